"""The alignment engine on same-language pairs with known beads (hashing test double), plus one real pair.

The hashing embedder gives identical strings identical vectors and unrelated random strings low
similarity, so a document and an edited copy of it have a known gold alignment.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from align_helpers import assert_covers, links, make_sentences

from aligner.align import AlignConfig, align_pair, align_pair_detailed
from aligner.align.scoring import PairScorer
from aligner.align.spans import SideSpans
from aligner.embedding.embedder import Embedder


def test_identical_documents_align_one_to_one(hashing_embedder: Embedder) -> None:
    src = make_sentences(25)
    beads = align_pair(src, list(src), hashing_embedder)
    assert links(beads) == [((i,), (i,)) for i in range(25)]
    assert min(b.score for b in beads) > 0.5


@pytest.mark.parametrize(
    ("src_group", "tgt_group"),
    [(2, 1), (1, 2), (3, 1), (1, 3), (2, 2)],
    ids=["2-1", "1-2", "3-1", "1-3", "2-2"],
)
def test_each_merged_bead_type(hashing_embedder: Embedder, src_group: int, tgt_group: int) -> None:
    """A run of sentences written as one line on the other side becomes one bead of that shape."""
    base = make_sentences(24, seed=1)
    src, tgt = list(base), list(base)
    if src_group == tgt_group == 2:  # 2-2: the same two sentences cut at places far apart
        first, second = base[8].split(), base[9].split()
        src[8:10] = [" ".join(first[:5]), " ".join(first[5:] + second)]
        tgt[8:10] = [" ".join(first + second[:-5]), " ".join(second[-5:])]
        expected = ((8, 9), (8, 9))
        # The two partial 1-1 beads are fair matches for the trigram test double, and the defaults
        # (tuned on Text+Berg) prefer two fair 1-1 beads to one 2-2: a 2-2 needs 2-2 weighting on,
        # and a stricter refinement to encode the concatenations of beads that look fair.
        config = AlignConfig(many_to_many_weight=0.5, refine_below=0.8)
    else:
        size = max(src_group, tgt_group)
        run = base[8 : 8 + size]
        if src_group == 1:
            src[8 : 8 + size] = [" ".join(run)]
            expected = ((8,), tuple(range(8, 8 + size)))
        else:
            tgt[8 : 8 + size] = [" ".join(run)]
            expected = (tuple(range(8, 8 + size)), (8,))
        config = AlignConfig()
    beads = align_pair(src, tgt, hashing_embedder, config)
    assert_covers(beads, len(src), len(tgt))
    assert expected in links(beads)
    others = [link for link in links(beads) if link != expected]
    assert all(len(s) == 1 and len(t) == 1 for s, t in others)


def test_deletions_on_both_sides(hashing_embedder: Embedder) -> None:
    base = make_sentences(30, seed=2)
    src = list(base)
    tgt = [s for k, s in enumerate(base) if k not in (6, 19)]  # two source sentences dropped
    tgt.insert(12, make_sentences(1, seed=99)[0])  # a target sentence the source lacks
    beads = align_pair(src, tgt, hashing_embedder)
    assert_covers(beads, len(src), len(tgt))
    assert ((6,), ()) in links(beads) and ((19,), ()) in links(beads)
    assert ((), (12,)) in links(beads)
    assert sum(1 for b in beads if b.src and b.tgt) == 28


def test_repeated_headline_and_page_chrome_stay_unaligned(hashing_embedder: Embedder) -> None:
    base = make_sentences(20, seed=3)
    src = list(base)
    tgt = list(base)
    tgt.insert(9, base[0])  # the headline reused as a photo caption
    tgt.insert(15, "Comment (0)")
    tgt.append("Home | World | Business | Sport")
    beads = align_pair(src, tgt, hashing_embedder)
    assert_covers(beads, len(src), len(tgt))
    assert ((0,), (0,)) in links(beads)
    for chrome in (9, 15, len(tgt) - 1):
        assert ((), (chrome,)) in links(beads)


def test_empty_and_one_sentence_documents(hashing_embedder: Embedder) -> None:
    assert align_pair([], [], hashing_embedder) == []
    assert links(align_pair(["Only here."], [], hashing_embedder)) == [((0,), ())]
    assert links(align_pair([], ["A", "B"], hashing_embedder)) == [((), (0,)), ((), (1,))]
    one = make_sentences(1, seed=4)
    beads = align_pair(one, list(one), hashing_embedder)
    assert links(beads) == [((0,), (0,))] and beads[0].score > 0.5
    other = ["Qwxz vbqw zzxq qwvx."]  # shares no character trigram with the syllable sentences
    assert set(links(align_pair(one, other, hashing_embedder))) == {((0,), ()), ((), (0,))}


def test_very_different_lengths(hashing_embedder: Embedder) -> None:
    src = make_sentences(100, seed=6)
    beads = align_pair(src, [src[37]], hashing_embedder)
    assert_covers(beads, 100, 1)
    assert ((37,), (0,)) in links(beads)
    beads = align_pair([src[62]], src, hashing_embedder)
    assert_covers(beads, 1, 100)
    assert ((0,), (62,)) in links(beads)


def test_band_gives_the_same_path_as_the_full_matrix(hashing_embedder: Embedder) -> None:
    base = make_sentences(120, seed=7)
    src = list(base)
    tgt = [s for k, s in enumerate(base) if k % 17 != 5]
    tgt[40:42] = [" ".join(tgt[40:42])]
    full = align_pair(src, tgt, hashing_embedder)
    banded = align_pair(src, tgt, hashing_embedder, AlignConfig(full_matrix_cells=0, band_width=4))
    result = align_pair_detailed(src, tgt, hashing_embedder, AlignConfig(full_matrix_cells=0, band_width=4))
    assert result.stats["anchors"] > 50
    assert links(banded) == links(full)
    assert_covers(banded, len(src), len(tgt))


def test_concatenations_encoded_only_near_the_path(hashing_embedder: Embedder, tmp_path) -> None:
    base = make_sentences(60, seed=8)
    src, tgt = list(base), list(base)
    tgt[20:22] = [" ".join(tgt[20:22])]
    lazy = align_pair_detailed(src, tgt, hashing_embedder)
    upfront_embedder = Embedder(hashing_embedder.encoder, None, progress=False)
    upfront = align_pair_detailed(src, tgt, upfront_embedder, AlignConfig(overlaps_upfront=True))
    sentences = len(src) + len(tgt)
    assert links(lazy.beads) == links(upfront.beads)
    assert ((20, 21), (20,)) in links(lazy.beads)
    assert 0 < lazy.stats["spans_encoded"] < 0.2 * sentences
    # up front: every run of 2, 3 and 4 sentences on both sides
    assert upfront.stats["spans_encoded"] == sum(len(side) - k + 1 for side in (src, tgt) for k in (2, 3, 4))


def test_same_input_same_output(hashing_embedder: Embedder) -> None:
    base = make_sentences(40, seed=9)
    tgt = [s for k, s in enumerate(base) if k != 11]
    tgt[3:5] = [" ".join(tgt[3:5])]
    assert align_pair(base, tgt, hashing_embedder) == align_pair(base, tgt, hashing_embedder)


def test_smaller_max_bead_setting(hashing_embedder: Embedder) -> None:
    base = make_sentences(20, seed=10)
    tgt = list(base)
    tgt[5:8] = [" ".join(base[5:8])]
    beads = align_pair(base, tgt, hashing_embedder, AlignConfig(max_bead=2))
    assert_covers(beads, 20, len(tgt))
    assert all(len(b.src) + len(b.tgt) <= 3 for b in beads)  # 1-1, 1-2, 2-1 and skips only


def test_numbers_prior_rewards_shared_numbers(hashing_embedder: Embedder) -> None:
    src = ["Sales rose by 12 percent to 340 units in 2019.", *make_sentences(5, seed=11)]
    tgt = ["Sales rose by 12 percent to 340 units in 2019.", "Sales rose by 15 percent to 410 units in 2018."]
    tgt += make_sentences(5, seed=12)

    def score_of(config: AlignConfig, i: int, j: int) -> float:
        scorer = PairScorer(
            SideSpans(src, hashing_embedder, 3), SideSpans(tgt, hashing_embedder, 3), config, "en", "en"
        )
        return float(scorer.scores(1, 1, i + 1, np.array([j + 1]))[0])

    plain = AlignConfig(numbers_weight=0.0)
    weighted = replace(plain, numbers_weight=0.1)
    assert score_of(weighted, 0, 0) - score_of(plain, 0, 0) == pytest.approx(0.1)  # all numbers shared
    assert score_of(weighted, 0, 1) - score_of(plain, 0, 1) == pytest.approx(-0.1)  # none shared
    assert score_of(weighted, 0, 2) - score_of(plain, 0, 2) == pytest.approx(-0.05)  # numbers on one side
    assert score_of(weighted, 1, 2) - score_of(plain, 1, 2) == pytest.approx(0.0)  # on neither side


def test_numbers_prior_counts_an_amount_converted_to_other_units_as_shared(
    hashing_embedder: Embedder,
) -> None:
    src = ["Up to 10 inches of rain fell on Monday.", *make_sentences(5, seed=13)]
    tgt = ["Up to 25.4 cm of rain fell on Monday.", "Up to 12 cm of rain fell on Monday."]
    tgt += make_sentences(5, seed=14)
    sides = SideSpans(src, hashing_embedder, 3), SideSpans(tgt, hashing_embedder, 3)
    plain = PairScorer(*sides, AlignConfig(numbers_weight=0.0), "en", "en")
    weighted = PairScorer(*sides, AlignConfig(numbers_weight=0.1), "en", "en")
    for j, change in ((0, 0.1), (1, -0.1)):  # 25.4 cm is 10 inches; 12 cm is not
        js = np.array([j + 1])
        assert weighted.scores(1, 1, 1, js)[0] - plain.scores(1, 1, 1, js)[0] == pytest.approx(change)
    assert weighted.segment_score([0], [0]) - plain.segment_score([0], [0]) == pytest.approx(0.1)


@pytest.mark.model
def test_real_model_russian_english_pair(real_embedder: Embedder) -> None:
    """A short ru-en news pair: one merged line, one line of page chrome, one dropped sentence."""
    en = [
        "The city council approved the new budget on Tuesday.",
        "It includes 12 million dollars for road repairs.",
        "Critics said the plan ignores public transport.",
        "The mayor promised a review next year.",
        "Two members of the council voted against it.",
        "Voting ended late in the evening.",
    ]
    ru = [
        "Городской совет во вторник одобрил новый бюджет.",
        "Он предусматривает 12 миллионов долларов на ремонт дорог. "
        "Критики заявили, что план игнорирует общественный транспорт.",
        "Мэр пообещал пересмотреть его в следующем году.",
        "Комментарии (0)",
        "Голосование закончилось поздно вечером.",
    ]
    beads = align_pair(en, ru, real_embedder, src_lang="en", tgt_lang="ru")
    assert_covers(beads, len(en), len(ru))
    assert links(beads) == [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,)), ((4,), ()), ((), (3,)), ((5,), (4,))]
    assert all(b.score > 0.5 for b in beads if b.src and b.tgt)


def test_approximate_index_for_big_sides(hashing_embedder: Embedder) -> None:
    """Above ``approximate_index_above`` sentences FAISS HNSW replaces exact search, same alignment here."""
    base = make_sentences(40, seed=13)
    tgt = [s for k, s in enumerate(base) if k != 17]
    exact = align_pair(base, tgt, hashing_embedder)
    approximate = align_pair(base, tgt, hashing_embedder, AlignConfig(approximate_index_above=10))
    assert links(approximate) == links(exact)
    assert ((17,), ()) in links(exact)


def test_bead_shapes_follow_the_largest_bead_setting() -> None:
    from aligner.align.dp import bead_types

    assert bead_types(3, 4) == [(1, 1), (1, 2), (2, 1), (1, 3), (2, 2), (3, 1)]
    assert bead_types(2, 3) == [(1, 1), (1, 2), (2, 1)]
    assert (1, 4) in bead_types(4, 5) and (2, 3) in bead_types(4, 5)


def test_sum_objective_merges_a_fragment_cut_off_a_sentence(hashing_embedder: Embedder) -> None:
    """Bertalign's objective: a short piece cut off a sentence joins its bead instead of being skipped."""
    base = make_sentences(24, seed=5)
    words = base[8].split()
    # A lead-in cut off as its own line ("Approche :"), which the chrome rule takes for page chrome.
    tgt = base[:8] + [" ".join(words[:2]) + " :", " ".join(words[2:])] + base[9:]
    beads = align_pair(base, tgt, hashing_embedder, AlignConfig(objective="sum"))
    assert_covers(beads, len(base), len(tgt))
    assert ((8,), (8, 9)) in links(beads)
    assert sum(1 for b in beads if len(b.src) == 1 and len(b.tgt) == 1) == 23


def test_sum_objective_leaves_chrome_and_deletions_unaligned(hashing_embedder: Embedder) -> None:
    base = make_sentences(24, seed=6)
    tgt = [s for k, s in enumerate(base) if k != 12]  # one source sentence dropped
    tgt.insert(5, "Home | World | Business | Sport")
    beads = align_pair(base, tgt, hashing_embedder, AlignConfig(objective="sum"))
    assert_covers(beads, len(base), len(tgt))
    assert ((12,), ()) in links(beads)
    assert ((), (5,)) in links(beads)
    assert all(0.0 <= b.score <= 1.0 for b in beads)  # confidences stay on the calibrated scale


def test_unknown_objective_is_refused() -> None:
    with pytest.raises(ValueError, match="objective"):
        AlignConfig(objective="greedy")
    with pytest.raises(ValueError, match="search"):
        AlignConfig(search="beam")


def test_a_skip_gets_the_spans_of_the_bead_beside_it_among_other_skips() -> None:
    from aligner.align.dp import PathBead
    from aligner.align.pair import _adjacent_spans

    class SureScorer:  # every 1-1 bead confident: only the skips ask for spans
        def confidence(self, score: float) -> float:
            return 1.0

    # source 3 and target 3 are skipped between two beads; the DP's path puts target 3's skip first
    path = [
        PathBead((2,), (2,), 0.5),
        PathBead((), (3,), float("nan")),
        PathBead((3,), (), float("nan")),
        PathBead((4,), (4,), 0.5),
    ]
    src, tgt = _adjacent_spans(path, SureScorer(), AlignConfig())
    assert src == {(2, 2), (3, 2)}  # source 3 with the bead before it and with the bead after it
    assert tgt == {(2, 2), (3, 2)}
