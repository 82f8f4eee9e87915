"""Second look at the gaps of the path: leftovers on both sides between two aligned beads.

The calibrated DP leaves a sentence unaligned when its best pair scores below the document pair's
skip threshold. That threshold is a document-wide prior; between two aligned beads the odds change:
when both sides have leftover sentences there, they are most likely each other's (weakly embedded)
translations, not two unrelated deletions. Each such gap is aligned again on its own with the local
objective of Bertalign (similarity minus the similarity with the neighbouring sentences, times a
length penalty, skips at a small fixed cost), which compares the leftovers with each other rather
than with the whole document. Page chrome keeps its stricter rule: a chrome line forms only a 1-1
bead, and one that scores above the calibrated skip threshold, so a caption next to a deleted sentence
stays alone and a caption beside a sentence is not drawn into its bead.
One-sided gaps (a deletion, an inserted line) are left as the DP made them.
"""

from __future__ import annotations

import numpy as np

from aligner.align.config import AlignConfig
from aligner.align.dp import PathBead, bead_types, best_path
from aligner.align.scoring import PairScorer
from aligner.align.spans import encode_spans


def _is_skip(bead: PathBead) -> bool:
    return not bead.src or not bead.tgt


def realign_gaps(path: list[PathBead], scorer: PairScorer, config: AlignConfig) -> list[PathBead]:
    """The path with every two-sided run of skips between two aligned beads aligned again locally."""
    result: list[PathBead] = []
    start = 0
    while start < len(path):
        if not _is_skip(path[start]):
            result.append(path[start])
            start += 1
            continue
        end = start
        while end < len(path) and _is_skip(path[end]):
            end += 1
        run = path[start:end]
        src = sorted(i for bead in run for i in bead.src)
        tgt = sorted(j for bead in run for j in bead.tgt)
        # A long run of leftovers is unrelated text (or no translation at all), not a weak pair.
        small = max(len(src), len(tgt)) <= config.gap_max_sentences
        enclosed = start > 0 and end < len(path)  # aligned beads on both sides, not a document edge
        result.extend(align_gap(src, tgt, scorer, config) if src and tgt and small and enclosed else run)
        start = end
    return result


def align_gap(src: list[int], tgt: list[int], scorer: PairScorer, config: AlignConfig) -> list[PathBead]:
    """Local alignment of src[0]..src[-1] with tgt[0]..tgt[-1], each a run of neighbouring sentences
    (a gap of the monotone path, or the leftovers around a moved passage, align/moves.py)."""
    i0, j0 = src[0], tgt[0]
    n, m = len(src), len(tgt)
    longest = min(config.max_bead, max(n, m))
    src_spans = [(i0 + s, length) for length in range(2, longest + 1) for s in range(n - length + 1)]
    tgt_spans = [(j0 + s, length) for length in range(2, longest + 1) for s in range(m - length + 1)]
    encode_spans([(scorer.src, src_spans), (scorer.tgt, tgt_spans)])

    def gains(a: int, b: int, i: int, js: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return scorer.gap_gains(a, b, i + i0, js + j0)

    src_skip, tgt_skip = scorer.local_skip_gains()
    shapes = bead_types(config.max_bead, config.bead_total)
    local = best_path(
        n,
        m,
        np.zeros(n + 1, np.int64),
        np.full(n + 1, m, np.int64),
        shapes,
        gains,
        src_skip[i0 : i0 + n],
        tgt_skip[j0 : j0 + m],
    )
    return [
        PathBead(tuple(i + i0 for i in bead.src), tuple(j + j0 for j in bead.tgt), bead.score)
        for bead in local
    ]
