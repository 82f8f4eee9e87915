"""Bilingual alignment of two documents: candidates -> anchors and band -> DP, refined where unsure.

1. Encode single sentences; FAISS top-k gives candidates, margin scores and the calibration.
2. Confident, mutually best 1-1 pairs in a monotone chain are anchors; the DP runs in a band around
   them (or over the whole matrix when it is small).
3. The DP first scores multi-sentence beads with approximate span vectors; every sentence near an
   uncertain part of the path (a skip, a merge, a weak 1-1) gets its concatenations really encoded,
   and the DP runs again, until no new span is needed.
4. Leftovers on both sides between two aligned beads get a second, local look (align/gaps.py).
5. Leftovers on both sides that are each other's confident best match, far apart, are a passage the
   translation moved: they are aligned where they went (align/moves.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from aligner.align.calibration import probability
from aligner.align.candidates import band, monotone_chain, mutual_best
from aligner.align.choice import resolve
from aligner.align.config import DEFAULT_CONFIG, AlignConfig
from aligner.align.dp import PathBead, bead_types, best_path
from aligner.align.gaps import realign_gaps
from aligner.align.moves import find_moves
from aligner.align.scoring import PairScorer
from aligner.align.spans import SideSpans, Span, encode_spans
from aligner.align.two_pass import two_pass_band
from aligner.embedding.embedder import Embedder
from aligner.types import Bead


@dataclass
class PairResult:
    beads: list[Bead]
    scorer: PairScorer | None
    stats: dict[str, float | str] = field(default_factory=dict)
    # The aligner's own confidence of each bead (0 for 1-0 / 0-1), before the calibration that
    # turns it into ``Bead.score``; what scripts/fit_calibration.py fits on.
    confidences: list[float] = field(default_factory=list)


def _skips_only(n: int, m: int) -> list[Bead]:
    return [Bead((i,), (), 0.0) for i in range(n)] + [Bead((), (j,), 0.0) for j in range(m)]


def _skips_in_order(path: list[PathBead]) -> list[PathBead]:
    """Within each run of consecutive skips, 1-0 beads before 0-1 beads (the DP's ties are arbitrary)."""
    ordered: list[PathBead] = []
    run: list[PathBead] = []
    for bead in [*path, None]:
        if bead is not None and (not bead.src or not bead.tgt):
            run.append(bead)
            continue
        ordered.extend(sorted(run, key=lambda b: (not b.src, b.src, b.tgt)))
        run = []
        if bead is not None:
            ordered.append(bead)
    return ordered


def _dp_band(scorer: PairScorer, config: AlignConfig) -> tuple[np.ndarray, np.ndarray, int]:
    """(lo, hi, anchors) of the DP; the whole matrix when it is small."""
    n, m = len(scorer.src), len(scorer.tgt)
    if (n + 1) * (m + 1) <= config.full_matrix_cells:
        return np.zeros(n + 1, np.int64), np.full(n + 1, m, np.int64), 0
    chrome_src, chrome_tgt = scorer.src_facts.chrome, scorer.tgt_facts.chrome
    strong = scorer.skip_threshold + scorer.spread
    pairs = [
        (i, j, w)
        for i, j, w in mutual_best(scorer.candidates)
        if w >= strong and not chrome_src[i] and not chrome_tgt[j]
    ]
    anchors = monotone_chain(pairs)
    if anchors:
        lo, hi = band(anchors, n, m, config.band_width)
    else:  # nothing confident: a wide band around the diagonal
        width = max(4 * config.band_width, abs(n - m) // 4)
        diagonal = np.arange(n + 1) * m / max(n, 1)
        lo = np.clip(np.floor(diagonal) - width, 0, m).astype(np.int64)
        hi = np.clip(np.ceil(diagonal) + width, 0, m).astype(np.int64)
        lo[0], hi[n] = 0, m
    return lo, hi, len(anchors)


def _spans_around(sentences: set[int], side: SideSpans, max_length: int) -> set[Span]:
    """Every span of 2..max_length sentences that contains one of ``sentences``."""
    return {
        (start, length)
        for x in sentences
        for length in range(2, max_length + 1)
        for start in range(x - length + 1, x + 1)
        if side.valid(start, length)
    }


def _unsure(path: list[PathBead], scorer: PairScorer, config: AlignConfig) -> tuple[set[int], set[int]]:
    """Source and target sentences of the path's skips, merges and weak 1-1 beads."""
    src: set[int] = set()
    tgt: set[int] = set()
    for bead in path:
        skip_or_merge = len(bead.src) != 1 or len(bead.tgt) != 1
        if skip_or_merge or scorer.confidence(bead.score) < config.refine_below:
            src.update(bead.src)
            tgt.update(bead.tgt)
    return src, tgt


def _run(ids: tuple[int, ...]) -> Span:
    return (ids[0], len(ids))


def _adjacent_spans(
    path: list[PathBead], scorer: PairScorer, config: AlignConfig
) -> tuple[set[Span], set[Span]]:
    """The spans that could change the path next to where it is unsure.

    A skipped sentence may belong to the bead that holds the sentence before or after it on its side:
    the spans that extend that bead's side by this sentence. The bead is found by sentence id, not by
    its place in the path: in a run of skips on both sides, a skip's path neighbour is often the other
    side's skip. A multi-sentence bead needs its own spans. A weak 1-1 bead may be part of a 1-2 / 2-1
    with a neighbour: its pairs with the sentences before and after.
    """
    src: set[Span] = set()
    tgt: set[Span] = set()
    linked_src = {i: bead.src for bead in path if bead.src and bead.tgt for i in bead.src}
    linked_tgt = {j: bead.tgt for bead in path if bead.src and bead.tgt for j in bead.tgt}
    for bead in path:
        if bead.src and bead.tgt:
            if len(bead.src) + len(bead.tgt) > 2:
                src.add(_run(bead.src))
                tgt.add(_run(bead.tgt))
            elif scorer.confidence(bead.score) < config.refine_below:
                src.update({(bead.src[0] - 1, 2), (bead.src[0], 2)})
                tgt.update({(bead.tgt[0] - 1, 2), (bead.tgt[0], 2)})
            continue
        spans, linked, x = (src, linked_src, bead.src[0]) if bead.src else (tgt, linked_tgt, bead.tgt[0])
        before, after = linked.get(x - 1), linked.get(x + 1)
        if before is not None and before[-1] == x - 1:
            spans.add((before[0], len(before) + 1))
        if after is not None and after[0] == x + 1:
            spans.add((x, len(after) + 1))
    return src, tgt


def _spans_to_encode(
    path: list[PathBead], scorer: PairScorer, config: AlignConfig
) -> tuple[set[Span], set[Span]]:
    if config.refine_spans == "window":
        unsure_src, unsure_tgt = _unsure(path, scorer, config)
        return (
            _spans_around(unsure_src, scorer.src, config.max_bead),
            _spans_around(unsure_tgt, scorer.tgt, config.max_bead),
        )
    return _adjacent_spans(path, scorer, config)


def align_pair_detailed(
    src: Sequence[str],
    tgt: Sequence[str],
    embedder: Embedder,
    config: AlignConfig = DEFAULT_CONFIG,
    src_lang: str = "",
    tgt_lang: str = "",
) -> PairResult:
    """``align_pair`` plus the scorer (for pair scores of other segments) and work statistics."""
    if not src or not tgt:
        beads = _skips_only(len(src), len(tgt))
        stats = {"rounds": 0, "spans_encoded": 0, "anchors": 0, "objective": config.objective}
        return PairResult(beads, None, stats, [0.0] * len(beads))
    config = resolve(config, src, tgt, src_lang, tgt_lang)
    src_spans = SideSpans(src, embedder, config.max_bead)
    tgt_spans = SideSpans(tgt, embedder, config.max_bead)
    return align_spans(src_spans, tgt_spans, config, src_lang, tgt_lang)


def align_spans(
    src_spans: SideSpans, tgt_spans: SideSpans, config: AlignConfig, src_lang: str = "", tgt_lang: str = ""
) -> PairResult:
    """The alignment of two non-empty sides whose single sentences are already encoded.

    With ``objective="auto"`` the settings are chosen for this pair first (align/choice.py).
    """
    config = resolve(config, src_spans.sentences, tgt_spans.sentences, src_lang, tgt_lang)
    src_spans.allow(config.max_bead)
    tgt_spans.allow(config.max_bead)
    n, m = len(src_spans), len(tgt_spans)
    spans_encoded = 0
    if config.overlaps_upfront:
        overlaps = config.upfront_overlaps
        upfront = [(src_spans, src_spans.all_spans(overlaps)), (tgt_spans, tgt_spans.all_spans(overlaps))]
        spans_encoded += encode_spans(upfront, every=True)
    scorer = PairScorer(src_spans, tgt_spans, config, src_lang, tgt_lang)
    if config.search == "two_pass":
        lo, hi, anchors = two_pass_band(scorer)
    else:
        lo, hi, anchors = _dp_band(scorer, config)
    shapes = bead_types(config.max_bead, config.bead_total)
    rounds = 0
    while True:
        rounds += 1
        path = best_path(n, m, lo, hi, shapes, scorer.gains, *scorer.skip_gains())
        if config.overlaps_upfront or rounds > config.refine_rounds:
            break
        wanted_src, wanted_tgt = _spans_to_encode(path, scorer, config)
        new = encode_spans([(src_spans, wanted_src), (tgt_spans, wanted_tgt)])
        spans_encoded += new
        if new == 0:
            break
    if src_spans.asked or tgt_spans.asked:  # a draft (align/rounds.py): redone, gaps and moves with it
        return PairResult([], scorer, {"rounds": rounds, "spans_encoded": spans_encoded}, [])
    if config.realign_gaps and config.objective == "calibrated":
        path = realign_gaps(path, scorer, config)
    if config.find_moves:
        path = find_moves(path, scorer, config)
    ordered = _skips_in_order(path)
    confidences = [scorer.confidence(p.score) if p.src and p.tgt else 0.0 for p in ordered]
    beads = [
        Bead(p.src, p.tgt, probability(config.objective, c) if p.src and p.tgt else 0.0)
        for p, c in zip(ordered, confidences, strict=True)
    ]
    stats = {
        "rounds": rounds,
        "spans_encoded": spans_encoded,
        "anchors": anchors,
        "skip_threshold": scorer.skip_threshold,
        "spread": scorer.spread,
        "objective": config.objective,
    }
    return PairResult(beads, scorer, stats, confidences)


def align_pair(
    src: Sequence[str],
    tgt: Sequence[str],
    embedder: Embedder,
    config: AlignConfig = DEFAULT_CONFIG,
    src_lang: str = "",
    tgt_lang: str = "",
) -> list[Bead]:
    """Beads in source order covering every sentence of both sides once.

    Target order holds too, except for the beads of a moved passage (align/moves.py), which sit at
    their source position (``AlignConfig(find_moves=False)`` keeps the path monotone).

    ``Bead.score`` is a confidence in [0, 1]: a logistic function of the bead's score, 0.5 at the
    document pair's calibrated skip threshold and about 0.9 at its typical best match; 1-0 and 0-1
    beads score 0.
    """
    return align_pair_detailed(src, tgt, embedder, config, src_lang, tgt_lang).beads
