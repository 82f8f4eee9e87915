"""Moved passages: leftovers on one side that are the confident translation of leftovers elsewhere.

The DP's path is monotone, so when a translation moves a passage (a paragraph placed elsewhere, a
photo caption that lands at another point of the text), one of the two orders loses and its
sentences end up unaligned on both sides, far apart. Here a sentence left unaligned on each side,
each the other's best candidate in the whole document with a confident margin, seeds a moved
passage: the runs of unaligned sentences around the two are aligned with each other locally (the
gap objective of align/gaps.py). Beads that cross the main path are fine in every output; page
chrome stays out (a byline on each side is not a moved passage).
"""

from __future__ import annotations

import numpy as np

from aligner.align.config import AlignConfig
from aligner.align.dp import PathBead
from aligner.align.gaps import align_gap
from aligner.align.scoring import PairScorer


def run_around(seed: int, free: set[int], limit: int) -> list[int]:
    """The contiguous unaligned sentences around ``seed``, at most ``limit`` of them, seed centred."""
    low = high = seed
    while high - low + 1 < limit and (low - 1 in free or high + 1 in free):
        if low - 1 in free:
            low -= 1
        if high + 1 in free and high - low + 1 < limit:
            high += 1
    return list(range(low, high + 1))


def _seeds(scorer: PairScorer, free_src: set[int], free_tgt: set[int], bar: float) -> list[tuple[int, int]]:
    """Unaligned (i, j) that are each other's best candidate by margin, strongest first."""
    cands = scorer.candidates
    if cands.src_ids.shape[1] == 0 or cands.tgt_ids.shape[1] == 0:
        return []
    chrome_src, chrome_tgt = scorer.src_facts.chrome, scorer.tgt_facts.chrome
    found = []
    for i in sorted(free_src):
        if chrome_src[i]:
            continue
        best = int(np.argmax(cands.src_margin[i]))
        j, margin = int(cands.src_ids[i, best]), float(cands.src_margin[i, best])
        if j < 0 or j not in free_tgt or chrome_tgt[j] or margin < bar:
            continue
        if int(cands.tgt_ids[j, int(np.argmax(cands.tgt_margin[j]))]) == i:
            found.append((margin, i, j))
    return [(i, j) for _, i, j in sorted(found, key=lambda t: (-t[0], t[1], t[2]))]


def find_moves(path: list[PathBead], scorer: PairScorer, config: AlignConfig) -> list[PathBead]:
    """The path with moved passages aligned; each moved bead takes the place of its source sentences."""
    free_src = {i for bead in path if not bead.tgt for i in bead.src}
    free_tgt = {j for bead in path if not bead.src for j in bead.tgt}
    bar = scorer.skip_threshold + config.move_strength * scorer.spread
    moved: dict[int, PathBead] = {}  # first source sentence -> moved bead
    taken_tgt: set[int] = set()
    for i, j in _seeds(scorer, free_src, free_tgt, bar):
        if i not in free_src or j not in free_tgt:
            continue  # already part of a passage found from a stronger seed
        src = run_around(i, free_src, config.gap_max_sentences)
        tgt = run_around(j, free_tgt, config.gap_max_sentences)
        for bead in align_gap(src, tgt, scorer, config):
            if bead.src and bead.tgt and bead.score >= scorer.skip_threshold:
                moved[bead.src[0]] = bead
                free_src.difference_update(bead.src)
                free_tgt.difference_update(bead.tgt)
                taken_tgt.update(bead.tgt)
    if not moved:
        return path
    result = []
    for bead in path:
        if bead.src and not bead.tgt:
            if bead.src[0] in moved:
                result.append(moved[bead.src[0]])
            elif bead.src[0] in free_src:
                result.append(bead)
        elif bead.tgt and not bead.src:
            if bead.tgt[0] not in taken_tgt:
                result.append(bead)
        else:
            result.append(bead)
    return result
