"""Dynamic programming over beads inside a band: the best monotone path from (0, 0) to (n, m).

Row i of the DP is the state "i source sentences consumed"; each row only holds the columns of its
band [lo[i], hi[i]], so memory and time grow with n * band width rather than n * m. Each row is
computed with numpy over its columns; 0-1 skips (same row) are a running maximum over prefix sums.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

GainFunction = Callable[[int, int, int, np.ndarray], tuple[np.ndarray, np.ndarray]]

_SKIP_SRC = -1  # bead 1-0
_SKIP_TGT = -2  # bead 0-1
_START = -3


@dataclass(frozen=True)
class PathBead:
    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float  # the bead's score (nan for 1-0 / 0-1)


def bead_types(max_bead: int, max_total: int) -> list[tuple[int, int]]:
    """Bead shapes with both sides non-empty, 1-1 first (it wins ties)."""
    shapes = [
        (a, b) for a in range(1, max_bead + 1) for b in range(1, max_bead + 1) if a + b <= max(max_total, 2)
    ]
    return sorted(shapes, key=lambda ab: (ab[0] + ab[1], ab))


def best_path(
    n: int,
    m: int,
    lo: np.ndarray,
    hi: np.ndarray,
    shapes: Sequence[tuple[int, int]],
    gains: GainFunction,
    src_skip: np.ndarray | None = None,
    tgt_skip: np.ndarray | None = None,
) -> list[PathBead]:
    """``src_skip[i]`` / ``tgt_skip[j]``: gain (<= 0) of leaving that sentence unaligned (default 0)."""
    src_skip = np.zeros(n) if src_skip is None else np.asarray(src_skip, dtype=np.float64)
    tgt_skip_prefix = np.concatenate([[0.0], np.cumsum(np.zeros(m) if tgt_skip is None else tgt_skip)])
    best: list[np.ndarray] = []
    choice: list[np.ndarray] = []
    chosen_score: list[np.ndarray] = []
    for i in range(n + 1):
        row_lo, row_hi = int(lo[i]), int(hi[i])
        js = np.arange(row_lo, row_hi + 1)
        values = np.full(len(js), -np.inf)
        picks = np.full(len(js), _START if i == 0 else _SKIP_SRC, dtype=np.int64)
        scores = np.full(len(js), np.nan)
        if i == 0:
            values[js == 0] = 0.0
        else:  # 1-0: from (i-1, j)
            prev_lo, prev_hi = int(lo[i - 1]), int(hi[i - 1])
            inside = (js >= prev_lo) & (js <= prev_hi)
            values[inside] = best[i - 1][js[inside] - prev_lo] + src_skip[i - 1]
        for code, (a, b) in enumerate(shapes):
            if i < a:
                continue
            prev_lo, prev_hi = int(lo[i - a]), int(hi[i - a])
            first, last = max(prev_lo + b, row_lo, b), min(prev_hi + b, row_hi)
            if first > last:
                continue
            sub = np.arange(first, last + 1)
            gain, score = gains(a, b, i, sub)
            candidate = best[i - a][sub - b - prev_lo] + gain
            at = sub - row_lo
            better = candidate > values[at]
            values[at[better]] = candidate[better]
            picks[at[better]] = code
            scores[at[better]] = score[better]
        # 0-1: from (i, j-1) plus tgt_skip[j-1]; with P = prefix sums of tgt_skip,
        # best[j] - P[j] = max(values[j] - P[j], best[j-1] - P[j-1]) is a running maximum.
        # Ties go to the 0-1, as they go to the 1-0 above: of two equal paths, the one that aligns the
        # earlier sentence wins on both sides (a headline, not its later copy as a caption).
        prefix = tgt_skip_prefix[row_lo : row_hi + 1]
        shifted = values - prefix
        running = np.maximum.accumulate(shifted)
        earlier = np.concatenate([[-np.inf], running[:-1]])
        picks[(earlier >= shifted) & np.isfinite(earlier)] = _SKIP_TGT
        values = running + prefix
        best.append(values)
        choice.append(picks)
        chosen_score.append(scores)
    return _backtrace(n, m, lo, shapes, choice, chosen_score)


def _backtrace(
    n: int,
    m: int,
    lo: np.ndarray,
    shapes: Sequence[tuple[int, int]],
    choice: list[np.ndarray],
    chosen_score: list[np.ndarray],
) -> list[PathBead]:
    path: list[PathBead] = []
    i, j = n, m
    while i > 0 or j > 0:
        pick = int(choice[i][j - lo[i]])
        if pick == _SKIP_SRC:
            path.append(PathBead((i - 1,), (), float("nan")))
            i -= 1
        elif pick == _SKIP_TGT:
            path.append(PathBead((), (j - 1,), float("nan")))
            j -= 1
        elif pick >= 0:
            a, b = shapes[pick]
            path.append(
                PathBead(tuple(range(i - a, i)), tuple(range(j - b, j)), float(chosen_score[i][j - lo[i]]))
            )
            i, j = i - a, j - b
        else:
            raise RuntimeError(f"alignment DP reached an unreachable state ({i}, {j})")
    return path[::-1]
