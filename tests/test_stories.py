"""Tests of the stories stage: pure logic on hand-built vectors, one real-model test on the seeds."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import numpy as np
import pytest

from aligner.errors import AlignerError
from aligner.stories.cluster import Proposed, cluster_stories, cluster_stories_detailed
from aligner.stories.config import StoryConfig
from aligner.stories.evidence import OpeningTest, _Scorer, contained_score, mutual_neighbours, pair_score
from aligner.stories.search import candidate_pairs, document_vectors
from aligner.types import Document

LANGS = ("en", "ru", "uk", "ur", "ar")
DIM = 48
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _doc(doc_id: str, lang: str, n: int, text: str = "line") -> Document:
    return Document(doc_id, lang, f"{doc_id}.txt", tuple(f"{text} {i}" for i in range(n)), tuple(range(n)))


def _pile(n_stories: int, langs=LANGS, seed: int = 0, noise: float = 0.35):
    """Stories of translations: one sequence of random sentence vectors per story, each language a noisy copy.

    Stories come in pairs on one topic (their vectors share a component), so same-topic documents are
    each other's nearest candidates and must still be kept apart.
    """
    rng = np.random.default_rng(seed)
    docs, embeddings, gold = [], {}, {}
    for story in range(n_stories):
        if story % 2 == 0:
            topic = rng.normal(0, 1 / np.sqrt(DIM), DIM)
        length = int(rng.integers(5, 12))
        base = rng.normal(0, 1 / np.sqrt(DIM), (length, DIM)) + 0.8 * topic
        for position, lang in enumerate(langs):
            vectors = base + rng.normal(0, noise / np.sqrt(DIM), base.shape)
            doc_id = f"{lang}-{story:03d}" + (f"-{position}" if langs.count(lang) > 1 else "")
            docs.append(_doc(doc_id, lang, length))
            embeddings[doc_id] = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
            gold[doc_id] = story
    return docs, embeddings, gold


def _groups(stories) -> set[frozenset[str]]:
    return {frozenset(s.docs) for s in stories}


def test_translations_join_and_same_topic_stories_stay_apart():
    docs, embeddings, gold = _pile(12)
    stories = cluster_stories(docs, embeddings)
    expected = {frozenset(d for d in gold if gold[d] == story) for story in set(gold.values())}
    assert _groups(stories) == expected
    for story in stories:
        assert len(story.reasons) == len(story.docs) - 1
        assert 0.0 < story.score <= 1.0


def test_input_order_does_not_change_the_stories():
    docs, embeddings, _ = _pile(10, seed=3)
    shuffled = list(docs)
    random.Random(7).shuffle(shuffled)
    first = cluster_stories(docs, embeddings)
    assert cluster_stories(shuffled, embeddings) == first
    assert cluster_stories(list(reversed(docs)), embeddings) == first


def test_language_only_pile_gives_singletons():
    docs, embeddings, _ = _pile(5, langs=("en",))
    stories = cluster_stories(docs, embeddings)
    assert [s.docs for s in stories] == [(d.doc_id,) for d in sorted(docs, key=lambda d: d.doc_id)]
    assert [s.story_id for s in stories] == ["s1", "s2", "s3", "s4", "s5"]
    assert all(s.score == 1.0 and s.reasons == () for s in stories)


def test_one_document():
    docs, embeddings, _ = _pile(1, langs=("ur",))
    stories = cluster_stories(docs, embeddings)
    assert len(stories) == 1
    assert stories[0].docs == ("ur-000",) and stories[0].languages == ("ur",) and stories[0].score == 1.0


def test_empty_input_and_empty_document():
    assert cluster_stories([], {}) == []
    docs, embeddings, _ = _pile(4)
    empty = _doc("zz-empty", "en", 0)
    embeddings = {**embeddings, "zz-empty": np.zeros((0, DIM), dtype=np.float32)}
    stories = cluster_stories([*docs, empty], embeddings)
    assert ("zz-empty",) in [s.docs for s in stories]
    assert sum(len(s.docs) for s in stories) == len(docs) + 1


def test_identical_duplicates_in_one_language():
    docs, embeddings, _ = _pile(4)
    copy = dataclasses.replace(next(d for d in docs if d.doc_id == "ru-002"), doc_id="ru-002-copy")
    embeddings = {**embeddings, "ru-002-copy": embeddings["ru-002"].copy()}
    # Default: one document per language, so the copy cannot join; the tie goes to the smaller id.
    stories = cluster_stories([copy, *docs], embeddings)
    story_of = {d: s for s in stories for d in s.docs}
    assert "ru-002" in story_of["en-002"].docs
    assert story_of["ru-002-copy"].docs == ("ru-002-copy",)
    # With several documents per language allowed, the copy joins its original's story.
    loose = cluster_stories([copy, *docs], embeddings, StoryConfig(one_per_language=False))
    story_of = {d: s for s in loose for d in s.docs}
    assert story_of["ru-002-copy"] is story_of["ru-002"] is story_of["en-002"]
    assert len(story_of["ru-002"].docs) == 6


def test_identical_duplicates_alone():
    docs = [_doc("a", "en", 6), _doc("b", "en", 6)]
    vectors = np.eye(6, DIM, dtype=np.float32)
    embeddings = {"a": vectors, "b": vectors.copy()}
    assert _groups(cluster_stories(docs, embeddings)) == {frozenset({"a"}), frozenset({"b"})}
    joined = cluster_stories(docs, embeddings, StoryConfig(one_per_language=False, join_threshold=0.5))
    assert _groups(joined) == {frozenset({"a", "b"})}
    assert joined[0].score == pytest.approx(1.0)


def test_story_ids_and_fields_are_ordered():
    docs, embeddings, _ = _pile(6, seed=5)
    stories = cluster_stories(docs, embeddings)
    assert [s.story_id for s in stories] == [f"s{i}" for i in range(1, len(stories) + 1)]
    assert [s.docs[0] for s in stories] == sorted(s.docs[0] for s in stories)
    lang_of = {d.doc_id: d.lang for d in docs}
    for story in stories:
        assert list(story.docs) == sorted(story.docs)
        assert story.languages == tuple(lang_of[d] for d in story.docs)


def test_reason_names_the_evidence():
    docs, embeddings, _ = _pile(4, langs=("ru", "ur"))
    story = next(s for s in cluster_stories(docs, embeddings) if "ru-001" in s.docs)
    assert story.docs == ("ru-001", "ur-001")
    (reason,) = story.reasons
    assert reason.startswith("ru:ru-001 ~ ur:ur-001: ")
    assert "mutual-NN sentence pairs >=" in reason and "length ratio" in reason and "score" in reason


def test_several_translations_per_language_when_allowed():
    docs, embeddings, _ = _pile(6, langs=("en", "ru", "ru"))  # two Russian versions of each story
    assert all(len(s.docs) <= 2 for s in cluster_stories(docs, embeddings))
    loose = cluster_stories(docs, embeddings, StoryConfig(one_per_language=False))
    assert sorted(len(s.docs) for s in loose) == [3] * 6


def test_ivf_index_finds_the_same_stories():
    docs, embeddings, _ = _pile(100, seed=11)  # 100 per language: two IVF cells
    exact = cluster_stories(docs, embeddings)
    approximate = cluster_stories(docs, embeddings, StoryConfig(exact_search_max=10, ivf_nprobe=1))
    assert approximate == exact


def test_candidates_are_other_language_neighbours_only():
    docs, embeddings, _ = _pile(8, langs=("en", "ru", "ar"))
    ordered = sorted(docs, key=lambda d: d.doc_id)
    langs = [d.lang for d in ordered]
    vectors = document_vectors(ordered, embeddings)
    pairs = candidate_pairs(langs, vectors, StoryConfig(k=2))
    assert pairs == sorted(set(pairs))
    assert all(i < j and langs[i] != langs[j] for i, j in pairs)
    # Each document's own translations are among its 2 nearest per language.
    ids = [d.doc_id for d in ordered]
    found = {(ids[i], ids[j]) for i, j in pairs}
    assert ("en-005", "ru-005") in found and ("ar-005", "en-005") in found
    # At most k per other language from each side.
    assert len(pairs) <= len(ordered) * 2 * 2


def test_mutual_neighbours():
    a = np.eye(3, 4, dtype=np.float32)
    b = np.array([[0, 1, 0, 0], [1, 0, 0, 0], [0.6, 0, 0.8, 0]], dtype=np.float32)
    assert sorted(mutual_neighbours(a, b).tolist()) == pytest.approx([0.8, 1.0, 1.0])
    # A sentence whose best match prefers another sentence does not count.
    assert len(mutual_neighbours(a[:1], np.array([[0.8, 0.6, 0, 0], [1, 0, 0, 0]], dtype=np.float32))) == 1
    assert len(mutual_neighbours(np.zeros((0, 4), np.float32), b)) == 0


def test_pair_score_is_lowered_by_disagreeing_numbers_and_lengths():
    assert pair_score(1.0, 10, 10, 1.0) == pytest.approx(1.0)
    assert pair_score(1.0, 0, 0, 1.0) == pytest.approx(1.0)
    assert pair_score(1.0, 2, 10, 1.0) < pair_score(1.0, 9, 10, 1.0)
    assert pair_score(0.9, 5, 10, 0.5) < pair_score(0.9, 5, 10, 0.9)
    assert pair_score(0.3, 10, 10, 1.0) < pair_score(0.9, 10, 10, 1.0)


def test_numbers_count_as_evidence():
    docs = [
        Document("a", "en", "a", ("In 2023 there were 41 farms.", "The rest."), (0, 1)),
        Document("b", "ru", "b", ("В 2023 году было 41 хозяйство.", "Остальное."), (0, 1)),
        Document("c", "ar", "c", ("في عام 2019 كان هناك 7 مزارع.", "الباقي."), (0, 1)),
    ]
    vectors = np.eye(2, DIM, dtype=np.float32)
    embeddings = {d.doc_id: vectors for d in docs}
    result = cluster_stories_detailed(docs, embeddings, StoryConfig(join_threshold=0.5))
    by_pair = {(p.a, p.b): p for p in result.pairs}
    assert (by_pair["a", "b"].numbers_shared, by_pair["a", "b"].numbers_compared) == (2, 2)
    assert by_pair["a", "c"].numbers_shared == 0
    assert by_pair["a", "b"].score > by_pair["a", "c"].score


def test_lengths_compare_across_scripts():
    # The same two sentences in English and Chinese: 4x fewer characters, but not a shorter text.
    english = ("The mayor said the library will be open to all residents for free.", "Many welcomed it.")
    chinese = ("市长表示，这座图书馆将免费向所有居民开放。", "许多居民表示欢迎。")
    docs = [Document("en", "en", "en", english, (0, 1)), Document("zh", "zh-cn", "zh", chinese, (0, 1))]
    vectors = np.eye(2, DIM, dtype=np.float32)
    result = cluster_stories_detailed(docs, {"en": vectors, "zh": vectors}, StoryConfig(join_threshold=0.5))
    assert result.pairs[0].length_ratio > 0.7
    assert _groups(result.stories) == {frozenset({"en", "zh"})}


def test_errors_name_the_document():
    docs, embeddings, _ = _pile(2)
    with pytest.raises(AlignerError, match="en-000"):
        cluster_stories(docs, {k: v for k, v in embeddings.items() if k != "en-000"})
    with pytest.raises(AlignerError, match="en-001"):
        cluster_stories(docs, {**embeddings, "en-001": embeddings["en-001"][:1]})
    with pytest.raises(AlignerError, match="unique"):
        cluster_stories([docs[0], docs[0]], embeddings)


def test_config_is_recordable():
    recorded = json.loads(json.dumps(dataclasses.asdict(StoryConfig())))
    assert recorded["one_per_language"] is True
    assert StoryConfig(**recorded) == StoryConfig()


@pytest.mark.model
def test_seed_articles_form_their_stories(real_embedder):
    from aligner.documents.detect import detect_language
    from aligner.documents.segment import segment_text

    docs, embeddings = [], {}
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        lang, _ = detect_language(text)
        sentences, paragraphs = segment_text(text, lang)
        doc_id = path.stem[:3]
        docs.append(Document(doc_id, lang, str(path), tuple(sentences), tuple(paragraphs)))
        embeddings[doc_id] = real_embedder.embed(sentences)
    stories = cluster_stories(docs, embeddings)
    # 000 (ru) and 001 (ur): one Cam Xuyen report; 002 (ar) and 003 (en): one Ha Tinh report; 004 alone.
    assert [s.docs for s in stories] == [("000", "001"), ("002", "003"), ("004",)]
    assert all(s.reasons for s in stories[:2])


def test_calibration_comes_from_the_pile_and_falls_back_when_tiny():
    docs, embeddings, _ = _pile(12)
    calibration = cluster_stories_detailed(docs, embeddings).calibration
    assert "runner-up" in calibration.how and "two-means" in calibration.how
    assert 0.3 <= calibration.sentence_bar < 1.0 and 0.1 <= calibration.join_threshold < 0.9
    tiny = cluster_stories_detailed(docs[:2], {d.doc_id: embeddings[d.doc_id] for d in docs[:2]})
    assert "default" in tiny.calibration.how and tiny.calibration.join_threshold == 0.5
    assert len(tiny.stories) == 1  # two translations alone still join under the default
    fixed = cluster_stories_detailed(docs, embeddings, StoryConfig(sentence_bar=0.9, join_threshold=0.3))
    assert (fixed.calibration.sentence_bar, fixed.calibration.join_threshold) == (0.9, 0.3)


def test_documents_without_sentences_are_singletons():
    docs = [_doc("a", "en", 0), _doc("b", "ru", 0)]
    embeddings = {"a": np.zeros((0, DIM), np.float32), "b": np.zeros((0, DIM), np.float32)}
    assert [s.docs for s in cluster_stories(docs, embeddings)] == [("a",), ("b",)]


@pytest.mark.parametrize(("n_stories", "k"), [(1, 3), (8, 1)])
def test_piles_of_almost_only_translations_still_join(n_stories, k):
    # One story alone, or k=1 (nearly every candidate a translation): the threshold must not split
    # the translations among themselves.
    docs, embeddings, gold = _pile(n_stories, seed=2, noise=0.6)
    stories = cluster_stories(docs, embeddings, StoryConfig(k=k))
    expected = {frozenset(d for d in gold if gold[d] == story) for story in set(gold.values())}
    assert _groups(stories) == expected


def _cut(docs, embeddings, doc_id: str, rows: list[int]) -> None:
    """Keep only these sentence rows of one document (in place)."""
    at = next(k for k, d in enumerate(docs) if d.doc_id == doc_id)
    old = docs[at]
    docs[at] = Document(
        doc_id, old.lang, old.source, tuple(old.sentences[r] for r in rows), tuple(range(len(rows)))
    )
    embeddings[doc_id] = embeddings[doc_id][rows]


def test_a_short_article_joins_its_longer_translations():
    # Stories of 14-20 sentences; in two of them one language keeps only its first four sentences (a
    # lead published alone). Matched against the full articles it covers 8 of ~22 sentences of a pair.
    rng = np.random.default_rng(5)
    docs, embeddings, gold = [], {}, {}
    for story in range(10):
        length = int(rng.integers(14, 21))
        base = rng.normal(0, 1 / np.sqrt(DIM), (length, DIM))
        for lang in LANGS:
            vectors = base + rng.normal(0, 0.35 / np.sqrt(DIM), base.shape)
            doc_id = f"{lang}-{story:03d}"
            docs.append(_doc(doc_id, lang, length))
            embeddings[doc_id] = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
            gold[doc_id] = story
    _cut(docs, embeddings, "ur-001", [0, 1, 2, 3])
    _cut(docs, embeddings, "ar-004", [0, 1, 2])
    expected = {frozenset(d for d in gold if gold[d] == story) for story in set(gold.values())}
    assert _groups(cluster_stories(docs, embeddings)) == expected
    split = _groups(cluster_stories(docs, embeddings, StoryConfig(short_articles=False)))
    assert frozenset({"ur-001"}) in split and frozenset({"ar-004"}) in split


def test_contained_score_needs_most_of_the_shorter_document():
    whole = contained_score(4, 4, 2, 2)
    assert 0.5 < whole < pair_score(1.0, 2, 2, 1.0)  # below a full translation: it joins after one
    assert contained_score(4, 4, 0, 0) == pytest.approx(0.75 * whole)
    assert contained_score(2, 2, 2, 2) == 0.0  # two sentences are too few to tell
    half, third = contained_score(6, 12, 3, 3), contained_score(4, 12, 3, 3)
    assert half == pytest.approx(0.25 * whole) and third < half


def test_one_unmatched_number_costs_a_short_article_what_no_numbers_cost():
    # A lead's one number written differently in its longer version ("SS19" for "spring-summer 2019").
    assert contained_score(3, 3, 0, 1) == pytest.approx(contained_score(3, 3, 0, 0))
    assert contained_score(3, 3, 1, 1) == pytest.approx(contained_score(3, 3, 4, 4))
    # Numbers that mostly disagree still cost: fewer shared, lower score.
    scores = [contained_score(4, 4, shared, 4) for shared in range(5)]
    assert scores == sorted(scores) and scores[0] < 0.7 * scores[-1]


def test_a_storys_score_and_reasons_follow_from_its_documents_alone():
    # The strongest tree over every pair of the story's documents: the same whichever pairs were scored.
    docs, embeddings, gold = _pile(6)
    result = cluster_stories_detailed(docs, embeddings)
    by_pair = {(p.a, p.b): p for p in result.pairs}
    for story in (s for s in result.stories if len(s.docs) > 2):
        scored = [
            by_pair[a, b].score
            for n, a in enumerate(story.docs)
            for b in story.docs[n + 1 :]
            if (a, b) in by_pair
        ]
        assert len(story.reasons) == len(story.docs) - 1
        # Its weakest tree pair is at least the weakest scored pair inside it, and passes the threshold.
        assert min(scored) <= story.score and story.score >= result.calibration.join_threshold
    # Only the first look's pairs scored (so other joins are made): the same stories, scores, reasons.
    proposed = Proposed(frozenset((p.a, p.b) for p in result.pairs if gold[p.a] == gold[p.b]))
    narrow = cluster_stories_detailed(docs, embeddings, proposed=proposed)
    wide = cluster_stories_detailed(docs, embeddings, proposed=dataclasses.replace(proposed, search=True))
    assert narrow.calibration == wide.calibration
    assert narrow.stories == wide.stories
    assert _groups(narrow.stories) == _groups(result.stories)


def test_proposed_pairs_calibrate_on_their_documents_only():
    docs, embeddings, gold = _pile(8)
    pairs = frozenset(
        (a.doc_id, b.doc_id)
        for a in docs
        for b in docs
        if a.doc_id < b.doc_id and gold[a.doc_id] == gold[b.doc_id] and gold[a.doc_id] < 4
    )
    playing = {d for pair in pairs for d in pair}
    alone = cluster_stories_detailed(
        [d for d in docs if d.doc_id in playing], embeddings, proposed=Proposed(pairs)
    )
    everything = cluster_stories_detailed(docs, embeddings, proposed=Proposed(pairs, search=True))
    # The other four stories' documents are in the pile (and searched) but do not move the calibration.
    assert alone.calibration == everything.calibration
    assert alone.calibration.candidate_pairs == len(pairs)  # no lead vectors given: the pairs alone
    assert {s.docs for s in alone.stories} <= {s.docs for s in everything.stories}


def _basis(rows, dim: int = 32) -> np.ndarray:
    """Unit vectors: an int is that axis, a negative int a direction far from every axis used."""
    out = np.zeros((len(rows), dim), dtype=np.float32)
    for n, axis in enumerate(rows):
        if axis >= 0:
            out[n, axis] = 1.0
        else:
            out[n, dim + axis] = 1.0
    return out


def _wordy(doc_id: str, lang: str, n: int) -> Document:
    """A document of ``n`` sentences without digits (so no numbers to share)."""
    sentences = tuple(f"sentence {chr(97 + i)} here" for i in range(n))
    return Document(doc_id, lang, f"{doc_id}.txt", sentences, tuple(range(n)))


def test_a_short_article_is_read_against_the_whole_story():
    # Four translations of an 8-sentence article. Against a 4-sentence lead, one matches all 4 sentences
    # and each of the others misses a different one (it falls under that language pair's bar), as a short
    # version's matches do: its pairs average under the threshold, but every sentence is in the story.
    story = {
        "en": [-1, 1, 2, 3, 4, 5, 6, 7],
        "ru": [0, -2, 2, 3, 4, 5, 6, 7],
        "ar": [0, 1, -3, 3, 4, 5, 6, 7],
        "ur": [0, 1, 2, 3, 4, 5, 6, 7],
    }
    docs = [_wordy(f"{lang}-1", lang, 8) for lang in story]
    embeddings = {f"{lang}-1": _basis(rows) for lang, rows in story.items()}
    docs.append(_wordy("uk-short", "uk", 4))
    embeddings["uk-short"] = _basis([0, 1, 2, 3])
    docs.append(_wordy("de-decoy", "de", 4))  # two sentences of the article, two of another
    embeddings["de-decoy"] = _basis([0, 1, 20, 21])
    scorer = _Scorer(docs, embeddings)
    members, bars = [0, 1, 2, 3], [0.5] * 4
    pair_scores = [scorer.pair(4, m, 0.5).score for m in members]
    assert pair_scores[:3] == [pytest.approx(contained_score(3, 4, 0, 0), abs=1e-6)] * 3  # 3 of 4: 0.38
    assert pair_scores[3] == pytest.approx(contained_score(4, 4, 0, 0), abs=1e-6)  # 4 of 4: 0.675
    assert scorer.part_of_story(4, members, bars) == pytest.approx(contained_score(4, 4, 0, 0), abs=1e-6)
    assert scorer.part_of_story(5, members, bars) == 0.0  # 2 of 4 wherever it is read
    assert scorer.part_of_story(0, [4], [0.5]) == 0.0  # longer than the story it would be part of
    config = StoryConfig(sentence_bar=0.5, join_threshold=0.6)
    joined = cluster_stories(docs, embeddings, config)
    assert ("ar-1", "en-1", "ru-1", "uk-short", "ur-1") in [s.docs for s in joined]
    assert ("de-decoy",) in [s.docs for s in joined]
    # Without the rule (the pairs alone, averaged) the lead stays out.
    apart = cluster_stories(docs, embeddings, dataclasses.replace(config, short_articles=False))
    assert ("uk-short",) in [s.docs for s in apart]
    nothing = cluster_stories_detailed(docs, embeddings, config, proposed=Proposed(frozenset()))
    assert all(len(s.docs) == 1 for s in nothing.stories)  # nothing proposed, nothing searched: alone


def test_the_search_of_encode_all_passes_the_second_looks_test_too():
    docs, embeddings, gold = _pile(6)
    proposed = Proposed(frozenset(), search=True)
    searched = {(p.a, p.b) for p in cluster_stories_detailed(docs, embeddings, proposed=proposed).pairs}
    assert searched  # the search finds pairs of its own
    never = OpeningTest(sentences=6, bar=1.01, min_matches=3)  # no opening can pass it
    always = OpeningTest(sentences=6, bar=-1.0, min_matches=1)
    closed = cluster_stories_detailed(docs, embeddings, proposed=dataclasses.replace(proposed, opening=never))
    opened = cluster_stories_detailed(
        docs, embeddings, proposed=dataclasses.replace(proposed, opening=always)
    )
    assert closed.pairs == [] and all(len(s.docs) == 1 for s in closed.stories)
    assert {(p.a, p.b) for p in opened.pairs} == searched
    translation = embeddings[docs[0].doc_id]
    assert always.passes(translation, translation) and not never.passes(translation, translation)
    assert OpeningTest(6, 0.5, 3).matches(translation[:6], translation[:6]) == min(6, len(translation))


class _SharedStore:
    """A store an engine's tasks could read themselves (``shareable``), as a cluster's shard store."""

    shareable = True

    def __init__(self, texts: list[str], vectors: np.ndarray) -> None:
        self.rows = {text: row for row, text in enumerate(texts)}
        self.vectors = vectors
        self.dim = vectors.shape[1]

    def get(self, texts):
        return self.vectors[[self.rows[t] for t in texts]].reshape(len(texts), self.dim)


class _StoredVectors(dict):
    """Sentence vectors by document, with the store they come from (as the pipeline's DocumentVectors)."""

    def __init__(self, embeddings: dict, store: _SharedStore) -> None:
        super().__init__(embeddings)
        self.store = store


def test_evidence_computed_in_tasks_that_read_the_store_is_the_evidence_computed_here():
    docs, embeddings, _ = _pile(10)
    docs = [dataclasses.replace(d, sentences=tuple(f"{d.doc_id} {s}" for s in d.sentences)) for d in docs]
    texts = [s for d in docs for s in d.sentences]
    store = _SharedStore(texts, np.concatenate([embeddings[d.doc_id] for d in docs]))
    tasks: list[int] = []

    def mapper(function, items, common=None):
        # tasks that read the store, sent with the sentences their items name (the search's tasks are
        # sent its index)
        if isinstance(common, tuple) and common[0] is store:
            tasks.append(len(items))
        return [function(item) if common is None else function(item, common) for item in items]

    here = cluster_stories_detailed(docs, embeddings)
    in_tasks = cluster_stories_detailed(docs, _StoredVectors(embeddings, store), mapper=mapper)
    assert tasks and sum(tasks) >= len(here.pairs)  # the candidate pairs, the null, the groups' pairs
    assert in_tasks.stories == here.stories and in_tasks.pairs == here.pairs
    assert in_tasks.calibration == here.calibration
