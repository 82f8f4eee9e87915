"""Tests of the first look (aligner/stories/first_look.py): pure logic with the test double, one real-model
run."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import numpy as np
import pytest

from aligner.pipeline import RunOptions, process
from aligner.stories.cluster import cluster_stories_detailed
from aligner.stories.evidence import contained_score
from aligner.stories.first_look import (
    EmbedInto,
    FirstLook,
    FirstLookConfig,
    first_look,
    in_play,
    key_candidates,
    key_digests,
    keys,
    lead,
    numbers,
    possible_score,
    sentences_needed,
    stories_after_first_look,
)
from aligner.testing import HashingEncoder
from aligner.types import Document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _doc(doc_id: str, lang: str, sentences: list[str]) -> Document:
    return Document(doc_id, lang, f"{doc_id}.txt", tuple(sentences), tuple(range(len(sentences))))


def _filler(tag: str, n: int) -> list[str]:
    """Body sentences of random words (seeded by ``tag``): unlike any other document's, even to the double."""
    rng = random.Random(tag)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(12 * n)]
    return [" ".join(words[12 * i : 12 * i + 12]).capitalize() + "." for i in range(n)]


def _embed(texts):
    return HashingEncoder().encode(list(texts))


# ---------------------------------------------------------------------------------------------------
# Reading without the model


def test_lead_is_the_headline_and_opening_sentence_and_skips_a_dateline():
    body = "Provincial leaders asked every sector to finish the criteria of a new rural province in 2024."
    doc = _doc("d", "en", ["Focus on the new rural province", "Hanoi 21/02/2024", body, "More.", "And more."])
    config = FirstLookConfig(lead_chars=80, lead_max_sentences=4, short_sentence=40)
    # The headline (under 40 characters) and the dateline do not fill the lead; the body sentence does.
    assert lead(doc, config) == doc.sentences[:3]
    assert lead(doc, dataclasses.replace(config, lead_max_sentences=2)) == doc.sentences[:2]
    long_headline = _doc(
        "e", "en", ["A headline that is long enough to fill the whole lead by itself alone, surely", "x"]
    )
    assert lead(long_headline, dataclasses.replace(config, lead_chars=60)) == long_headline.sentences[:1]


def test_keys_read_numbers_dates_urls_and_latin_names():
    ru = _doc(
        "ru",
        "ru",
        [
            "Компания NTM и iPhone: выручка 2,8 млрд долларов в 2024 году.",
            "Подробнее на https://example.org/news/1, письма на press@example.org, дата 21.02.2024.",
            "Три человека и 5 машин.",
        ],
    )
    found = keys(ru)
    assert {"n:2.8e+09", "n:2024", "d:2024-02-21", "u:https://example.org/news/1"} <= found
    assert {"u:press@example.org", "w:ntm", "w:iphone"} <= found
    assert "n:5" not in found and "n:3" not in found  # small counts are everywhere: not evidence
    en = _doc("en", "en", ["The NATO summit in Paris approved the iPhone ban, said Smith on 2024-02-21."])
    found_en = keys(en)
    # In a Latin-script text only acronyms and brand spellings stand out, not every capitalised word.
    assert {"w:nato", "w:iphone", "d:2024-02-21"} <= found_en
    assert "w:paris" not in found_en and "w:smith" not in found_en and "w:the" not in found_en


def test_key_candidates_need_enough_shared_keys_over_the_larger_set():
    a = _doc("a", "en", ["x"])
    b = _doc("b", "ru", ["y"])
    c = _doc("c", "ur", ["z"])
    d = _doc("d", "en", ["w"])
    shared = frozenset({"n:12", "n:2024", "n:2.8e+09"})
    many = shared | {f"n:{1000 + i}" for i in range(10)}
    config = FirstLookConfig(min_shared_keys=3, min_key_share=0.5)
    shared, many, more = key_digests(shared), key_digests(many), key_digests(shared | {"w:ntm"})
    found = key_candidates([a, b, c, d], [shared, more, many, shared], config)
    # a~b share 3 of 4; c holds them among 13 keys (a long text with many numbers is not a match);
    # a~d share everything but are in one language.
    assert found == {(0, 1): 3, (1, 3): 3}
    assert (0, 3) in key_candidates([a, b, c, d], [shared, shared, many, shared], config, same_language=True)
    rare = dataclasses.replace(config, max_key_documents=2)
    assert key_candidates([a, b, c, d], [shared] * 4, rare) == {}  # every key held by 4: too common


# ---------------------------------------------------------------------------------------------------
# The look with the test double: identical leads are found, unrelated ones are not


def _pile():
    headline = "Welsh assembly members worried about looking like muppets over a new title"
    opening = "There is consternation among some members at a suggestion their title should change."
    return [
        _doc("en1", "en", [headline, opening, *_filler("en1", 8)]),
        _doc("ru1", "ru", [headline, opening, *_filler("ru1", 8)]),  # the double sees text, not meaning
        _doc(
            "uk1", "uk", ["Позитивні результати року для міста", "Місто обрало проєкти.", *_filler("uk", 6)]
        ),
        _doc("ar1", "ar", ["خبر لا علاقة له بأي شيء آخر هنا", *_filler("ar", 5)]),
    ]


def test_first_look_encodes_only_documents_with_a_candidate():
    seen: list[str] = []

    def embed(texts):
        seen.extend(texts)
        return _embed(texts)

    documents = _pile()
    look = first_look(documents, embed, FirstLookConfig(lead_bar=0.9, opening_sentences=0))
    assert look.full == {"en1", "ru1"}
    assert [(c.a, c.b) for c in look.candidates] == [("en1", "ru1")]
    assert look.candidates[0].lead_similarity == pytest.approx(1.0, abs=1e-5)
    # Only lead sentences went to the encoder, each once.
    leads = {s for d in documents for s in lead(d, FirstLookConfig())}
    assert set(seen) == leads and len(seen) == len(leads) == look.lead_sentences
    assert [d.doc_id for d in in_play(documents, look)] == ["en1", "ru1"]
    assert in_play(documents, None) == documents
    all_sentences = {s for d in documents for s in d.sentences}
    needed = sentences_needed(documents, look, FirstLookConfig())
    assert needed < len(all_sentences) == sentences_needed(documents, None, FirstLookConfig())


def test_first_look_does_not_depend_on_input_order_and_pairs_on_keys():
    documents = _pile()
    numbers = "2800000 1500 2024 37 4471"  # digits only: read alike in every language
    # Different leads; the same numbers further down (a translation whose headline was rewritten).
    documents.append(_doc("ur1", "ur", ["کوئی اور سرخی بالکل مختلف", *_filler("ur1", 3), numbers]))
    documents.append(_doc("ar2", "ar", ["عنوان آخر مختلف تماما عن غيره", *_filler("ar2", 3), numbers]))
    config = FirstLookConfig(lead_bar=0.95, opening_sentences=0)  # the second look: its own test
    forward = first_look(documents, _embed, config)
    backward = first_look(list(reversed(documents)), _embed, config)
    assert forward == backward
    assert forward.lead_means.keys() == backward.lead_means.keys() == forward.full  # those in play only
    assert all(np.array_equal(forward.lead_means[d], backward.lead_means[d]) for d in forward.lead_means)
    by_pair = {(c.a, c.b): c for c in forward.candidates}
    assert by_pair[("ar2", "ur1")].lead_similarity == 0.0 and by_pair[("ar2", "ur1")].shared_keys == 5
    assert forward.full == {"en1", "ru1", "ar2", "ur1"}


def test_a_candidate_that_could_not_reach_the_stories_bar_is_dropped():
    headline = "Welsh assembly members worried about looking like muppets over a new title"
    short = _doc("en1", "en", [headline, "2024 and 1500 and 37."])
    long = _doc("ru1", "ru", [headline, *_filler("ru1", 20), "2024 and 1500 and 37."])
    best = possible_score(short, long, numbers(short), numbers(long))
    # 2 of 22 sentences could match at most: coverage 0.18, length ratio far below one, and two
    # sentences are too few to read the short one as a part of the long one.
    assert best < 0.4
    assert possible_score(short, short, numbers(short), numbers(short)) == 1.0
    assert first_look([short, long], _embed, FirstLookConfig(lead_bar=0.9)).full == frozenset()
    relaxed = FirstLookConfig(lead_bar=0.9, min_possible_score=0.0)
    assert first_look([short, long], _embed, relaxed).candidates[0].possible_score == best


def test_a_short_article_stays_a_candidate_of_its_longer_translation():
    # Three sentences (a lead) against a 23-line version: all three could match, so the stories stage
    # may score the pair by the share of the short one matched (stories.contained_score); it was dropped.
    headline = "Welsh assembly members worried about looking like muppets over a new title"
    short = _doc("en1", "en", [headline, "One line.", "2024 and 1500 and 37."])
    long = _doc("ru1", "ru", [headline, *_filler("ru1", 20), "2024 and 1500 and 37."])
    best = possible_score(short, long, numbers(short), numbers(long))
    assert best == pytest.approx(contained_score(3, 3, 3, 3)) and best > FirstLookConfig().min_possible_score
    config = FirstLookConfig(lead_bar=0.9, opening_sentences=0)
    assert first_look([short, long], _embed, config).full == {"en1", "ru1"}


def test_the_second_look_keeps_translations_and_drops_reports_that_share_only_a_lead():
    headline = "Welsh assembly members worried about looking like muppets over a new title"
    body = _filler("story", 8)
    numbers = "2800000 1500 2024 37 4471"
    original = _doc("en1", "en", [headline, *body, numbers])
    translation = _doc("ru1", "ru", [headline, *body, numbers])  # the double sees text: the same sentences
    # Another outlet's report of the same event: the same headline and numbers, its own sentences.
    report = _doc("uk1", "uk", [headline, *_filler("report", 8), numbers])
    short = _doc("ar1", "ar", [headline, *body[:2]])  # a lead of three sentences: all but one must match
    documents = [original, translation, report, short]
    without = first_look(documents, _embed, FirstLookConfig(lead_bar=0.9, opening_sentences=0))
    assert {(c.a, c.b) for c in without.candidates} >= {("en1", "uk1"), ("ru1", "uk1"), ("en1", "ru1")}
    seen: list[str] = []

    def embed(texts):
        seen.extend(texts)
        return _embed(texts)

    # The double puts unrelated sentences up to about 0.45 apart (hashed trigrams collide): a higher bar.
    config = FirstLookConfig(lead_bar=0.9, opening_bar=0.6)
    look = first_look(documents, embed, config)
    kept = {(c.a, c.b): c.opening_matches for c in look.candidates}
    assert kept[("en1", "ru1")] == config.opening_sentences  # every opening sentence matched
    assert ("ar1", "en1") in kept and kept[("ar1", "en1")] == 3
    assert not any("uk1" in pair for pair in kept)  # 1 of 6 opening sentences: the headline
    assert look.full == {"en1", "ru1", "ar1"} and look.opened == {"en1", "ru1", "ar1", "uk1"}
    # Only leads and the openings of the documents that had a candidate went to the encoder.
    openings = {t for d in documents for t in d.sentences[: config.opening_sentences]}
    assert set(seen) <= openings | {t for d in documents for t in lead(d, config)}
    # The report's opening counts among the sentences encoded although it left play.
    needed = sentences_needed(documents, look, config)
    assert needed == len(set(original.sentences) | set(short.sentences) | set(report.sentences[:6]))


def test_a_language_alone_has_no_candidate():
    documents = [
        _doc("a", "en", ["Same headline here for both of them", "x"]),
        _doc("b", "en", ["Same headline here for both of them", "y"]),
    ]
    assert first_look(documents, _embed).full == frozenset()
    assert first_look(documents, _embed, same_language=True).full == {"a", "b"}


# ---------------------------------------------------------------------------------------------------
# The stories stage on the documents in play


def _vectors(documents, seed=0):
    rng = np.random.default_rng(seed)
    out = {}
    for d in documents:
        v = rng.normal(size=(len(d.sentences), 16)).astype(np.float32)
        out[d.doc_id] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def _translation_pile():
    """Two translated pairs (en1/ru1, ar1/uk1: a shared lead and numbers) and two documents without any."""
    documents = []
    headlines = ("Welsh assembly members worried about looking like muppets", "Ferry timetable cut in winter")
    for pair, (a, b) in enumerate((("en", "ru"), ("ar", "uk"))):
        headline, numbers = headlines[pair], ("2800000 1500 2024 37", "88 4471 1969 123456")[pair]
        body = _filler(f"story{pair}", 6)
        for lang in (a, b):
            documents.append(_doc(f"{lang}1", lang, [headline, *body, numbers]))
    documents.append(_doc("en2", "en", ["A different story about a school festival", *_filler("en2", 6)]))
    documents.append(_doc("ur2", "ur", ["کوئی اور سرخی بالکل مختلف", *_filler("ur2", 6)]))
    return documents


def test_stories_do_not_depend_on_the_documents_left_at_their_lead():
    documents = _translation_pile()
    look = first_look(documents, _embed, FirstLookConfig(lead_bar=0.9))
    assert look.full == {"en1", "ru1", "ar1", "uk1"}
    everything = {d.doc_id: _embed(list(d.sentences)) for d in documents}
    played = {k: v for k, v in everything.items() if k in look.full}  # what a run with the first look encodes
    result = stories_after_first_look(documents, played, look=look)
    encode_all = stories_after_first_look(documents, everything, look=look, encode_all=True)
    assert [s.docs for s in result.stories] == [("ar1", "uk1"), ("en1", "ru1"), ("en2",), ("ur2",)]
    assert [s.story_id for s in result.stories] == ["s1", "s2", "s3", "s4"]  # numbered over the whole pile
    # Calibrated on the first look's pairs and their documents: the same bars and threshold either way.
    assert result.calibration == encode_all.calibration
    assert result.stories == encode_all.stories
    # The first look's pairs are scored, and their documents searched by lead vector.
    assert {("en1", "ru1"), ("ar1", "uk1")} <= {(p.a, p.b) for p in result.pairs}
    assert result.calibration.candidate_pairs >= len(look.candidates)
    # A document outside play changes nothing: nothing of it is read but its lead.
    swapped = dict(played)
    more = [*documents, _doc("ar2", "ar", ["عنوان آخر مختلف تماما عن غيره", *_filler("ar2", 6)])]
    look_more = first_look(more, _embed, FirstLookConfig(lead_bar=0.9))
    assert look_more.full == look.full
    again = stories_after_first_look(more, swapped, look=look_more)
    assert again.calibration == result.calibration
    assert [s.docs for s in again.stories if len(s.docs) > 1] == [("ar1", "uk1"), ("en1", "ru1")]


def test_without_a_look_it_is_the_stories_stage_itself():
    documents = _pile()
    embeddings = _vectors(documents)
    embeddings["ru1"] = embeddings["en1"].copy()  # a perfect translation, as vectors
    everything = cluster_stories_detailed(documents, embeddings)
    plain = stories_after_first_look(documents, embeddings, look=None)
    assert (plain.stories, plain.pairs, plain.calibration) == (
        everything.stories,
        everything.pairs,
        everything.calibration,
    )
    assert ("en1", "ru1") in [s.docs for s in plain.stories]


def test_no_document_in_play_gives_one_story_each():
    documents = _pile()
    result = stories_after_first_look(documents, {}, look=FirstLook(frozenset(), (), 0))
    assert [s.docs for s in result.stories] == [("ar1",), ("en1",), ("ru1",), ("uk1",)]
    assert result.pairs == []


def test_the_run_records_the_first_look_and_can_switch_it_off(tmp_path, hashing_embedder):
    folder = tmp_path / "in"
    folder.mkdir()
    for d in _pile():
        (folder / f"{d.doc_id}.txt").write_text("\n".join(d.sentences) + "\n", encoding="utf-8")
    overrides = {d.doc_id: d.lang for d in _pile()}
    on = process([folder], hashing_embedder, RunOptions(lang_overrides=overrides))  # the default
    off = process([folder], hashing_embedder, RunOptions(lang_overrides=overrides, story_first=False))
    counts_on, counts_off = on.manifest["counts"]["first_look"], off.manifest["counts"]["first_look"]
    assert on.manifest["parameters"]["story_first"] is True
    assert off.manifest["parameters"]["story_first"] is False and counts_off["enabled"] is False
    assert counts_off["sentences_saved"] == 0 and counts_off["documents_encoded_in_full"] == 4
    assert counts_on["documents_encoded_in_full"] == 2 and counts_on["sentences_saved"] > 0
    assert counts_on["sentences_encoded"] + counts_on["sentences_saved"] == counts_off["sentences_encoded"]
    assert on.stories == off.stories and on.units == off.units and on.findings == off.findings
    assert on.manifest["stories_calibration"] == off.manifest["stories_calibration"]


# ---------------------------------------------------------------------------------------------------
# The real model on the seeds: the Ukrainian article has no translation


@pytest.mark.model
def test_seeds_give_the_same_stories_and_units_with_fewer_sentences_encoded(real_embedder):
    on = process([SEEDS], real_embedder, RunOptions())  # the first look is the default
    off = process([SEEDS], real_embedder, RunOptions(story_first=False))
    # Calibrated on the first look's pairs either way: the same stories, scores and reasons, units, findings.
    assert on.stories == off.stories
    assert on.units == off.units and on.findings == off.findings
    assert on.manifest["stories_calibration"] == off.manifest["stories_calibration"]
    uk = next(d.doc_id for d in on.documents if d.lang == "uk")
    assert (uk,) in [s.docs for s in on.stories]
    look_on, look_off = on.manifest["counts"]["first_look"], off.manifest["counts"]["first_look"]
    assert look_on["documents_encoded_in_full"] == 4  # every document but the Ukrainian one
    assert look_on["sentences_saved"] > 0 and look_off["sentences_saved"] == 0
    assert look_on["sentences_encoded"] < look_off["sentences_encoded"]


def test_leads_searched_and_openings_compared_in_tasks_that_read_the_store_as_here():
    shared = EmbedInto(_embed)
    shared.store.shareable = True  # as a cluster's shard store: tasks read it themselves
    functions: list[str] = []

    def mapper(function, items, common=None):
        # the store itself, or the store with what the items name by position (the lead search)
        if common is shared.store or (isinstance(common, tuple) and common[0] is shared.store):
            functions.append(function.__name__)
        return [function(item) if common is None else function(item, common) for item in items]

    documents = _pile()
    config = FirstLookConfig(lead_bar=0.9, opening_sentences=2, min_opening_matches=2)
    here = first_look(documents, _embed, config)
    in_tasks = first_look(documents, shared, config, mapper=mapper)
    assert in_tasks == here and in_tasks.full == {"en1", "ru1"}
    assert in_tasks.lead_means.keys() == here.lead_means.keys()
    assert all(np.array_equal(in_tasks.lead_means[d], here.lead_means[d]) for d in here.lead_means)
    assert set(functions) == {"nearest_leads", "openings_match"}
