"""Second look at two-sided gaps (align/gaps.py), with the hashing test double."""

from __future__ import annotations

import numpy as np
from align_helpers import assert_covers, links, make_sentences

from aligner.align import AlignConfig, align_pair
from aligner.align.dp import PathBead
from aligner.align.gaps import realign_gaps
from aligner.align.scoring import PairScorer
from aligner.align.spans import SideSpans
from aligner.embedding.embedder import Embedder


def _weak_pair_documents() -> tuple[list[str], list[str]]:
    """Identical documents but for target 10, which keeps only 2 of the 6 words of source 10."""
    base = make_sentences(24, seed=7)
    other = make_sentences(24, seed=70)
    tgt = list(base)
    words, replacement = base[10].split(), other[10].split()
    tgt[10] = " ".join(words[:2] + replacement[2:])
    return base, tgt


def test_weak_pair_between_aligned_beads_is_paired(hashing_embedder: Embedder) -> None:
    src, tgt = _weak_pair_documents()
    # A strict skip threshold makes the calibrated DP leave the weak pair unaligned ...
    strict = AlignConfig(skip_quantile=0.5, realign_gaps=False)
    before = links(align_pair(src, tgt, hashing_embedder, strict))
    assert ((10,), ()) in before and ((), (10,)) in before
    # ... and the second look at the gap between beads 9 and 11 pairs it.
    beads = align_pair(src, tgt, hashing_embedder, AlignConfig(skip_quantile=0.5))
    assert_covers(beads, len(src), len(tgt))
    assert links(beads) == [((i,), (i,)) for i in range(24)]
    assert 0.0 < beads[10].score < beads[9].score  # the weak pair keeps a low calibrated confidence


def test_page_chrome_next_to_a_deletion_stays_unaligned(hashing_embedder: Embedder) -> None:
    base = make_sentences(24, seed=7)
    tgt = [s for k, s in enumerate(base) if k != 12]
    tgt.insert(12, "Share this article")  # chrome where the deleted sentence was: a two-sided gap
    beads = align_pair(base, tgt, hashing_embedder)
    assert_covers(beads, len(base), len(tgt))
    assert ((12,), ()) in links(beads) and ((), (12,)) in links(beads)


def _all_skips(n: int, m: int) -> list[PathBead]:
    """1-0 and 0-1 beads (a NaN score: compare the same objects, as realign_gaps returns them)."""
    nan = float("nan")
    return [PathBead((i,), (), nan) for i in range(n)] + [PathBead((), (j,), nan) for j in range(m)]


def _identical_scorer(embedder: Embedder, count: int, config: AlignConfig) -> PairScorer:
    sentences = make_sentences(count, seed=8)
    src = SideSpans(sentences, embedder, config.max_bead)
    tgt = SideSpans(list(sentences), embedder, config.max_bead)
    return PairScorer(src, tgt, config)


def test_gap_between_beads_is_realigned_up_to_the_size_limit(hashing_embedder: Embedder) -> None:
    config = AlignConfig()
    scorer = _identical_scorer(hashing_embedder, 8, config)
    first, last = PathBead((0,), (0,), 1.0), PathBead((7,), (7,), 1.0)
    gap = [PathBead((i,), (), float("nan")) for i in range(1, 7)]
    gap += [PathBead((), (j,), float("nan")) for j in range(1, 7)]
    path = [first, *gap, last]
    realigned = realign_gaps(path, scorer, config)
    assert [(b.src, b.tgt) for b in realigned] == [((i,), (i,)) for i in range(8)]
    assert realigned == realign_gaps(path, scorer, config)  # deterministic
    assert realign_gaps(path, scorer, AlignConfig(gap_max_sentences=5)) == path


def test_gap_at_a_document_edge_is_left_alone(hashing_embedder: Embedder) -> None:
    """Nothing aligned on one side of the leftovers: no evidence that they are each other's pairs."""
    config = AlignConfig()
    scorer = _identical_scorer(hashing_embedder, 6, config)
    everything = _all_skips(6, 6)
    assert realign_gaps(everything, scorer, config) == everything
    tail = [PathBead((0,), (0,), 1.0)]
    tail += [PathBead((i,), (), float("nan")) for i in range(1, 6)]
    tail += [PathBead((), (j,), float("nan")) for j in range(1, 6)]
    assert realign_gaps(tail, scorer, config) == tail


def test_one_sided_gaps_are_left_alone(hashing_embedder: Embedder) -> None:
    sentences = make_sentences(6, seed=9)
    config = AlignConfig()
    src = SideSpans(sentences, hashing_embedder, config.max_bead)
    tgt = SideSpans(list(sentences), hashing_embedder, config.max_bead)
    scorer = PairScorer(src, tgt, config)
    path = [PathBead((0,), (0,), 1.0), PathBead((1,), (), float("nan")), PathBead((2,), (), float("nan"))]
    assert realign_gaps(path, scorer, config) == path


def test_page_chrome_forms_no_multi_sentence_bead_in_a_gap(hashing_embedder: Embedder) -> None:
    src = make_sentences(12, seed=9)
    tgt = [*src[:6], "Photo: Reuters", *src[6:]]  # a caption before target 7, the match of source 6
    scorer = PairScorer(
        SideSpans(src, hashing_embedder, 3), SideSpans(tgt, hashing_embedder, 3), AlignConfig()
    )
    assert scorer.tgt_facts.chrome[6] and not scorer.tgt_facts.chrome[7]
    with_caption, _ = scorer.gap_gains(1, 2, 7, np.array([8]))  # source 6 with targets 6 (caption) and 7
    alone, score = scorer.gap_gains(1, 1, 7, np.array([8]))  # source 6 with target 7
    assert with_caption[0] == -np.inf
    assert np.isfinite(alone[0]) and score[0] > scorer.skip_threshold
    # the bead of two real sentences is still open to the local objective
    merged, _ = scorer.gap_gains(2, 1, 8, np.array([9]))
    assert np.isfinite(merged[0])
