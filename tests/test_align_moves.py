"""Moved passages (align/moves.py): leftovers on both sides that translate each other, far apart."""

from __future__ import annotations

from align_helpers import links, make_sentences

from aligner.align import AlignConfig, align_pair
from aligner.align.dp import PathBead
from aligner.align.moves import find_moves, run_around
from aligner.align.scoring import PairScorer
from aligner.align.spans import SideSpans
from aligner.embedding.embedder import Embedder
from aligner.types import Bead


def _moved_documents() -> tuple[list[str], list[str]]:
    """Target = source with sentences 5 and 6 moved after sentence 17."""
    src = make_sentences(24, seed=31)
    tgt = src[:5] + src[7:18] + src[5:7] + src[18:]
    return src, tgt


def _assert_every_sentence_once(beads: list[Bead], n: int, m: int) -> None:
    assert sorted(i for b in beads for i in b.src) == list(range(n))
    assert sorted(j for b in beads for j in b.tgt) == list(range(m))


def test_a_moved_passage_is_aligned_where_it_went(hashing_embedder: Embedder) -> None:
    src, tgt = _moved_documents()
    monotone = links(align_pair(src, tgt, hashing_embedder, AlignConfig(find_moves=False)))
    assert ((5,), ()) in monotone and ((), (16,)) in monotone  # the monotone path must drop one order
    beads = align_pair(src, tgt, hashing_embedder)
    _assert_every_sentence_once(beads, len(src), len(tgt))
    found = links(beads)
    assert ((5,), (16,)) in found and ((6,), (17,)) in found
    assert all(b.src and b.tgt for b in beads)  # nothing left unaligned
    # the moved beads sit at their source position: source order is kept
    assert [i for b in beads for i in b.src] == list(range(len(src)))
    assert next(b for b in beads if b.src == (5,)).score > 0.5


def test_page_chrome_on_both_sides_is_not_a_moved_passage(hashing_embedder: Embedder) -> None:
    base = make_sentences(24, seed=32)
    src = base[:3] + ["Share this article"] + base[3:]
    tgt = base[:20] + ["Share this article"] + base[20:]  # the same line, far from the other one
    found = links(align_pair(src, tgt, hashing_embedder))
    assert ((3,), ()) in found and ((), (20,)) in found


def test_unrelated_leftovers_stay_unaligned(hashing_embedder: Embedder) -> None:
    base = make_sentences(24, seed=33)
    other = make_sentences(2, seed=34)
    src = base[:4] + [other[0]] + base[4:]  # a sentence only the source has ...
    tgt = base[:19] + [other[1]] + base[19:]  # ... and an unrelated one only the target has
    found = links(align_pair(src, tgt, hashing_embedder))
    assert ((4,), ()) in found and ((), (19,)) in found


def test_run_around_a_seed_is_centred_and_bounded() -> None:
    free = {3, 4, 5, 6, 7, 8, 9, 20}
    assert run_around(6, free, 8) == [3, 4, 5, 6, 7, 8, 9]
    assert run_around(6, free, 3) == [5, 6, 7]
    assert run_around(20, free, 8) == [20]
    assert run_around(3, free, 4) == [3, 4, 5, 6]


def _bead(scorer: PairScorer, src: tuple[int, ...], tgt: tuple[int, ...]) -> PathBead:
    return PathBead(src, tgt, scorer.segment_score(src, tgt))


def test_a_moved_line_drawn_into_a_merged_bead_leaves_it(hashing_embedder: Embedder) -> None:
    src = make_sentences(24, seed=35)
    tgt = src[:5] + src[6:18] + [src[5]] + src[18:]  # source 5 moved to target 17
    config = AlignConfig()
    scorer = PairScorer(SideSpans(src, hashing_embedder, 3), SideSpans(tgt, hashing_embedder, 3), config)
    # a path that drew source 5 into the bead of source 4 and left target 17 unaligned
    path = (
        [_bead(scorer, (k,), (k,)) for k in range(4)]
        + [_bead(scorer, (4, 5), (4,))]
        + [_bead(scorer, (k,), (k - 1,)) for k in range(6, 18)]
        + [PathBead((), (17,), float("nan"))]
        + [_bead(scorer, (k,), (k,)) for k in range(18, 24)]
    )
    found = links(find_moves(path, scorer, config))
    assert ((5,), (17,)) in found and ((4,), (4,)) in found  # moved out, and the rest aligned again
    assert sorted(i for s, _ in found for i in s) == list(range(24))
    assert sorted(j for _, t in found for j in t) == list(range(24))
    kept = links(find_moves(path, scorer, AlignConfig(move_out_of_beads=False)))
    assert ((4, 5), (4,)) in kept and ((), (17,)) in kept


def test_every_sentence_stays_in_exactly_one_bead_whatever_moves(hashing_embedder: Embedder) -> None:
    """Random moves, deletions, merges and chrome: beads still cover each sentence once, in source order."""
    import random

    for seed in range(6):
        rng = random.Random(seed)
        src = make_sentences(30, seed=100 + seed)
        tgt = [s for s in src if rng.random() > 0.1]  # deletions
        for _ in range(2):  # passages of 1-3 lines moved anywhere
            start, length = rng.randrange(len(tgt) - 3), rng.randint(1, 3)
            block = tgt[start : start + length]
            del tgt[start : start + length]
            at = rng.randrange(len(tgt) + 1)
            tgt[at:at] = block
        k = rng.randrange(len(tgt) - 1)
        tgt[k : k + 2] = [tgt[k] + " " + tgt[k + 1]]  # a merge
        tgt.insert(rng.randrange(len(tgt) + 1), "Share this article")
        beads = align_pair(src, tgt, hashing_embedder)
        _assert_every_sentence_once(beads, len(src), len(tgt))
        assert [i for b in beads for i in b.src] == list(range(len(src)))
        # every target line that is a source sentence as it was (not merged) is in a bead with it
        truth = {j: src.index(line) for j, line in enumerate(tgt) if line in src}
        paired = {(i, j) for b in beads for i in b.src for j in b.tgt}
        assert {(i, j) for j, i in truth.items()} <= paired
