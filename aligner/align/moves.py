"""Moved passages: leftovers on one side that are the confident translation of leftovers elsewhere.

The DP's path is monotone, so when a translation moves a passage (a paragraph placed elsewhere, a
photo caption that lands at another point of the text), one of the two orders loses and its
sentences end up unaligned on both sides, far apart. Here a sentence left unaligned on each side,
each the other's best candidate in the whole document with a confident margin, seeds a moved
passage: the runs of unaligned sentences around the two are aligned with each other locally (the
gap objective of align/gaps.py). Beads that cross the main path are fine in every output; page
chrome stays out (a byline on each side is not a moved passage).

Where a deletion or a chrome line stood at the old place of the moved line, the DP often draws the
moved line into a bead with it. So a seed may also have one side in a merged bead, a bead with a
chrome line or a bead below the skip threshold (which the gap look may keep), when that bead scores
below the seed's margin. The bead is then taken apart, but only
if the moved passage really forms around the seed, and what is left of it is aligned again locally.
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


def _contiguous(ids: list[int]) -> bool:
    return ids[-1] - ids[0] == len(ids) - 1


def _may_hold_a_stray(bead: PathBead, chrome_src: np.ndarray, chrome_tgt: np.ndarray) -> bool:
    """A merged bead or one with a page-chrome line: where the DP puts a line whose match moved away."""
    merged = len(bead.src) + len(bead.tgt) > 2
    return merged or bool(chrome_src[list(bead.src)].any() or chrome_tgt[list(bead.tgt)].any())


def _seeds(
    scorer: PairScorer,
    path: list[PathBead],
    free_src: set[int],
    free_tgt: set[int],
    bar: float,
    out_of_beads: bool,
) -> list[tuple[int, int, int | None]]:
    """(i, j, bead to take apart or None): mutual best pairs by margin with both sides unaligned,
    strongest first; with ``out_of_beads``, also those with one side in a merged, chrome or sub-threshold
    bead of the path that scores below the pair."""
    cands = scorer.candidates
    if cands.src_ids.shape[1] == 0 or cands.tgt_ids.shape[1] == 0:
        return []
    chrome_src, chrome_tgt = scorer.src_facts.chrome, scorer.tgt_facts.chrome
    bead_of_src = {i: q for q, b in enumerate(path) if b.src and b.tgt for i in b.src}
    bead_of_tgt = {j: q for q, b in enumerate(path) if b.src and b.tgt for j in b.tgt}
    found = []
    for i in range(len(chrome_src)):
        if chrome_src[i]:
            continue
        best = int(np.argmax(cands.src_margin[i]))
        j, margin = int(cands.src_ids[i, best]), float(cands.src_margin[i, best])
        if j < 0 or chrome_tgt[j] or margin < bar:
            continue
        if int(cands.tgt_ids[j, int(np.argmax(cands.tgt_margin[j]))]) != i:
            continue
        if i in free_src and j in free_tgt:
            found.append((margin, i, j, None))
        elif out_of_beads and (i in free_src) != (j in free_tgt):
            q = bead_of_tgt[j] if i in free_src else bead_of_src[i]
            weak = path[q].score < scorer.skip_threshold  # kept by the gap look, below the skip bar
            if path[q].score < margin and (weak or _may_hold_a_stray(path[q], chrome_src, chrome_tgt)):
                found.append((margin, i, j, q))
    return [(i, j, q) for _, i, j, q in sorted(found, key=lambda t: (-t[0], t[1], t[2]))]


def find_moves(path: list[PathBead], scorer: PairScorer, config: AlignConfig) -> list[PathBead]:
    """The path with moved passages aligned; each moved bead takes the place of its source sentences."""
    free_src = {i for bead in path if not bead.tgt for i in bead.src}
    free_tgt = {j for bead in path if not bead.src for j in bead.tgt}
    bar = scorer.skip_threshold + config.move_strength * scorer.spread
    moved: dict[int, PathBead] = {}  # first source sentence -> new bead (moved, or the rest of a bead)
    released: set[int] = set()  # beads of the path taken apart
    for i, j, q in _seeds(scorer, path, free_src, free_tgt, bar, config.move_out_of_beads):
        if q is not None and q not in released:
            trial_src, trial_tgt = free_src | set(path[q].src), free_tgt | set(path[q].tgt)
        else:
            trial_src, trial_tgt = free_src, free_tgt
        if i not in trial_src or j not in trial_tgt:
            continue  # already part of a passage found from a stronger seed
        src = run_around(i, trial_src, config.gap_max_sentences)
        tgt = run_around(j, trial_tgt, config.gap_max_sentences)
        beads = [
            b
            for b in align_gap(src, tgt, scorer, config)
            if b.src and b.tgt and b.score >= scorer.skip_threshold
        ]
        if q is not None and q not in released:
            if not any(i in b.src and j in b.tgt for b in beads):
                continue  # the bead stays: the seed does not hold up in its neighbourhood
            released.add(q)
            free_src, free_tgt = trial_src, trial_tgt
        for bead in beads:
            _place(bead, moved, free_src, free_tgt)
    _realign_rests(path, released, moved, free_src, free_tgt, scorer, config)
    return _rebuilt(path, moved, released, free_src, free_tgt) if moved else path


def _place(bead: PathBead, moved: dict[int, PathBead], free_src: set[int], free_tgt: set[int]) -> None:
    moved[bead.src[0]] = bead
    free_src.difference_update(bead.src)
    free_tgt.difference_update(bead.tgt)


def _realign_rests(
    path: list[PathBead],
    released: set[int],
    moved: dict[int, PathBead],
    free_src: set[int],
    free_tgt: set[int],
    scorer: PairScorer,
    config: AlignConfig,
) -> None:
    """What a moved line left of its old bead is aligned again locally, when both of its sides are left."""
    for q in sorted(released):
        rest_src = [i for i in path[q].src if i in free_src]
        rest_tgt = [j for j in path[q].tgt if j in free_tgt]
        if rest_src and rest_tgt and _contiguous(rest_src) and _contiguous(rest_tgt):
            for bead in align_gap(rest_src, rest_tgt, scorer, config):
                if bead.src and bead.tgt:
                    _place(bead, moved, free_src, free_tgt)


def _rebuilt(
    path: list[PathBead],
    moved: dict[int, PathBead],
    released: set[int],
    free_src: set[int],
    free_tgt: set[int],
) -> list[PathBead]:
    """The path with the new beads at the place of their first source sentence, the rest unaligned."""
    nan = float("nan")
    result = []
    for q, bead in enumerate(path):
        if bead.src and bead.tgt and q not in released:
            result.append(bead)
            continue
        for i in bead.src:
            if i in moved:
                result.append(moved[i])
            elif i in free_src:
                result.append(PathBead((i,), (), nan))
        result.extend(PathBead((), (j,), nan) for j in bead.tgt if j in free_tgt)
    return result
