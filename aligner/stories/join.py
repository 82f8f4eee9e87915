"""Clustering: accepted pairs joined strongest first, under the language and average-linkage rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aligner.stories.calibration import Calibration
from aligner.stories.config import StoryConfig
from aligner.stories.evidence import PairEvidence, _Scorer
from aligner.types import Story


def _reason(ev: PairEvidence, langs: Mapping[str, str], calibration: Calibration) -> str:
    numbers = "no numbers on one side"
    if ev.numbers_compared:
        numbers = f"{ev.numbers_shared}/{ev.numbers_compared} numbers shared"
    return (
        f"{langs[ev.a]}:{ev.a} ~ {langs[ev.b]}:{ev.b}: {ev.matches} mutual-NN sentence pairs >= "
        f"{ev.bar:.2f} (of {ev.sentences_a} and {ev.sentences_b} sentences), {numbers}, "
        f"length ratio {ev.length_ratio:.2f}; score {ev.score:.2f} >= {calibration.join_threshold:.2f}"
    )


def join_pairs(
    ids: Sequence[str],
    langs: Sequence[str],
    accepted: Sequence[PairEvidence],
    scorer: _Scorer,
    config: StoryConfig,
    calibration: Calibration,
) -> list[Story]:
    """Union of accepted pairs, strongest first.

    A join is skipped when it would repeat a language (by default) or when the two groups, taken
    pair by pair, do not on average reach the threshold (average linkage): a strong pair alone must
    not chain two different stories through one shared document. A single document no longer than
    each document of a story may instead reach it as a part of the story (``_Scorer.part_of_story``).
    """
    row_of = {doc_id: row for row, doc_id in enumerate(ids)}
    parent = {row: row for row in range(len(ids))}
    members: dict[int, list[int]] = {row: [row] for row in range(len(ids))}

    for ev in accepted:
        ra, rb = group_root(parent, row_of[ev.a]), group_root(parent, row_of[ev.b])
        if ra == rb:
            continue
        if config.one_per_language and {langs[m] for m in members[ra]} & {langs[m] for m in members[rb]}:
            continue
        if len(members[ra]) + len(members[rb]) > 2:
            cross = [
                scorer.pair(i, j, calibration.bar_for(langs[i], langs[j])).score
                for i in members[ra]
                for j in members[rb]
            ]
            linkage = sum(cross) / len(cross)
            if linkage < calibration.join_threshold and min(len(members[ra]), len(members[rb])) == 1:
                # A short article joining a story: read against the story as a whole.
                (single,), story = sorted((members[ra], members[rb]), key=len)
                bars = [calibration.bar_for(langs[single], langs[m]) for m in story]
                linkage = max(linkage, scorer.part_of_story(single, story, bars))
            if linkage < calibration.join_threshold:
                continue
        keep, gone = min(ra, rb), max(ra, rb)
        parent[gone] = keep
        members[keep] += members.pop(gone)

    lang_of = dict(zip(ids, langs, strict=True))
    groups = sorted(
        (sorted(ids[m] for m in members[r]), _strongest_tree(sorted(members[r]), langs, scorer, calibration))
        for r in members
    )
    stories = []
    for number, (docs, evidence) in enumerate(groups, start=1):
        stories.append(
            Story(
                story_id=f"s{number}",
                docs=tuple(docs),
                languages=tuple(lang_of[d] for d in docs),
                # A singleton has no join to be weak: 1.0 means "nothing in it is doubtful".
                score=min((ev.score for ev in evidence), default=1.0),
                reasons=tuple(_reason(ev, lang_of, calibration) for ev in evidence),
            )
        )
    return stories


def _strongest_tree(
    rows: list[int], langs: Sequence[str], scorer: _Scorer, calibration: Calibration
) -> list[PairEvidence]:
    """The pairs that tie a story together: its maximum spanning tree over every pair of its documents,
    strongest first (ties by id). A story's score is the weakest of them and its reasons are them, so both
    follow from its documents alone, not from the order the pairs were found in (a run with the first
    look and one that encodes everything join along different pairs). Every join passed the threshold,
    so the tree's weakest pair does too."""
    if len(rows) < 2:
        return []
    pairs = [
        scorer.pair(i, j, calibration.bar_for(langs[i], langs[j]))
        for n, i in enumerate(rows)
        for j in rows[n + 1 :]
    ]
    group = {row: row for row in rows}
    row_of = {scorer.documents[row].doc_id: row for row in rows}
    tree = []
    for ev in sorted(pairs, key=lambda ev: (-ev.score, ev.a, ev.b)):
        ra, rb = group_root(group, row_of[ev.a]), group_root(group, row_of[ev.b])
        if ra != rb:
            group[max(ra, rb)] = min(ra, rb)
            tree.append(ev)
    return tree


def group_root(parent: dict[int, int], row: int) -> int:
    """Union-find: the representative of ``row``'s group (paths halved on the way)."""
    while parent[row] != row:
        parent[row] = parent[parent[row]]
        row = parent[row]
    return row
