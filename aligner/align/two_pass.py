"""Bertalign's search path: a 1-1 DP over top-k candidates, then a window around its path.

The first pass (Liu and Zhu 2022) finds the best monotone chain of 1-1 beads where a bead gains
the plain cosine of the pair when the target is among the source's top-k neighbours and nothing
otherwise; skips are free. It runs inside a wide diagonal band. The bead DP then searches only the
target sentences within ``window`` of that chain: every source row between two chain points gets
the columns from the earlier point's target minus ``window`` to the later point's target plus
``window``. Written from the published description and parameters, on our own DP (align/dp.py).
"""

from __future__ import annotations

import numpy as np

from aligner.align.candidates import search
from aligner.align.dp import best_path
from aligner.align.scoring import PairScorer

_MIN_FIRST_WINDOW = 250  # sentences either side of the diagonal in the first pass (Bertalign's)
_FIRST_WINDOW_SHARE = 0.06  # ... or this share of the longer side, whichever is more


def diagonal_band(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Columns of each row (0..n) within the first pass's window of the diagonal."""
    width = max(_MIN_FIRST_WINDOW, int(max(n, m) * _FIRST_WINDOW_SHARE))
    centre = (np.arange(n + 1) * (m / n)).astype(np.int64)
    lo = np.clip(centre - width, 0, m)
    hi = np.clip(centre + width, 0, m)
    hi[n] = m
    return lo, hi


def first_pass(scorer: PairScorer) -> list[tuple[int, int]]:
    """End points (i + 1, j + 1) of the 1-1 beads of the best chain over top-k cosines."""
    n, m = len(scorer.src), len(scorer.tgt)
    sims, ids = search(scorer.tgt_index, scorer.src.matrix(1), scorer.config.top_k)

    def gains(a: int, b: int, i: int, js: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        row_ids, row_sims = ids[i - 1], sims[i - 1]
        hit = row_ids[None, :] == (js - 1)[:, None]
        gain = np.where(hit, row_sims[None, :], 0.0).sum(axis=1)
        return gain, gain

    lo, hi = diagonal_band(n, m)
    path = best_path(n, m, lo, hi, [(1, 1)], gains, np.zeros(n), np.zeros(m))
    return [(bead.src[0] + 1, bead.tgt[0] + 1) for bead in path if bead.src and bead.tgt]


def window_band(points: list[tuple[int, int]], n: int, m: int, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Columns of each row (0..n) for the second pass, around the first pass's chain of points."""
    points = list(points)
    # The chain must end at (n, m): a last point short of it on one side is replaced by (n, m).
    if not points:
        points = [(n, m)]
    elif points[-1] != (n, m):
        if points[-1][0] == n or points[-1][1] == m:
            points.pop()
        points.append((n, m))
    lo = np.zeros(n + 1, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    prev_src, prev_tgt = 0, 0
    for src, tgt in points:
        lo[prev_src + 1 : src + 1] = max(0, prev_tgt - window)
        hi[prev_src + 1 : src + 1] = min(m, tgt + window)
        prev_src, prev_tgt = src, tgt
    lo[0], hi[0] = lo[1] if n else 0, hi[1] if n else m
    lo[0] = 0
    hi[n] = m
    return lo, hi


def two_pass_band(scorer: PairScorer) -> tuple[np.ndarray, np.ndarray, int]:
    """(lo, hi, points of the first pass) of the bead DP."""
    n, m = len(scorer.src), len(scorer.tgt)
    points = first_pass(scorer)
    lo, hi = window_band(points, n, m, scorer.config.two_pass_window)
    return lo, hi, len(points)
