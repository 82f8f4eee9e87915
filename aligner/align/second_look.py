"""Second look at the weak regions of a path, by the beads' calibrated probabilities (off by default).

The DP of text cut into fragments maximises Bertalign's sum of bead scores; where it is unsure (runs of
skips and of beads whose calibrated probability is low, between confident beads) the region is aligned
again on its own to maximise the expected number of right beads: each bead gains its probability of
being right (align/calibration.py, from the calibrated margin score) minus one half, so a bead is worth
taking when it is more likely right than wrong, and each skip costs ``second_look_skip``.
"""

from __future__ import annotations

import numpy as np

from aligner.align.calibration import probabilities
from aligner.align.config import AlignConfig
from aligner.align.dp import PathBead, bead_types, best_path
from aligner.align.scoring import PairScorer


def _weak(bead: PathBead, scorer: PairScorer, config: AlignConfig) -> bool:
    if not bead.src or not bead.tgt:
        return True
    confidence = np.array([scorer.confidence(bead.score)])
    return float(probabilities(config.objective, confidence)[0]) < config.second_look_below


def second_look(path: list[PathBead], scorer: PairScorer, config: AlignConfig) -> list[PathBead]:
    """The path with every weak region holding sentences of both sides aligned again locally."""
    if not config.second_look_below or config.objective not in ("sum", "bertalign"):
        return path
    result: list[PathBead] = []
    start = 0
    while start < len(path):
        if not _weak(path[start], scorer, config):
            result.append(path[start])
            start += 1
            continue
        end = start
        while end < len(path) and _weak(path[end], scorer, config):
            end += 1
        run = path[start:end]
        src = sorted(i for bead in run for i in bead.src)
        tgt = sorted(j for bead in run for j in bead.tgt)
        contiguous = src and tgt and src[-1] - src[0] == len(src) - 1 and tgt[-1] - tgt[0] == len(tgt) - 1
        small = max(len(src), len(tgt)) <= config.gap_max_sentences
        result.extend(_realign(src, tgt, scorer, config) if contiguous and small else run)
        start = end
    return result


def _realign(src: list[int], tgt: list[int], scorer: PairScorer, config: AlignConfig) -> list[PathBead]:
    i0, j0 = src[0], tgt[0]
    n, m = len(src), len(tgt)
    spread = max(scorer.spread / 2, 1e-3)

    def gains(a: int, b: int, i: int, js: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        score = scorer.scores(a, b, i + i0, js + j0)
        confidence = 1.0 / (1.0 + np.exp(-np.clip((score - scorer.skip_threshold) / spread, -50, 50)))
        return probabilities(config.objective, confidence) - 0.5, score

    skip = config.second_look_skip
    local = best_path(
        n,
        m,
        np.zeros(n + 1, np.int64),
        np.full(n + 1, m, np.int64),
        bead_types(config.max_bead, config.bead_total),
        gains,
        np.full(n, -skip),
        np.full(m, -skip),
    )
    return [
        PathBead(tuple(i + i0 for i in bead.src), tuple(j + j0 for j in bead.tgt), bead.score)
        for bead in local
    ]
