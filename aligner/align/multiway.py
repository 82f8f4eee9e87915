"""Multi-way units for the translations of one story, through a pivot document.

Why a pivot: every other document is aligned to one pivot (N-1 bilingual alignments) and units are
the connected groups of sentences linked through it, so units are consistent across all N by
construction (ru 3 ~ en 5 and ur 4 ~ en 5 put ru 3 and ur 4 in one unit). Aligning all N(N-1)/2
pairs and reconciling their conflicts costs more and needs a rule for conflicts; a joint N-way DP is
exponential in N. The pivot is the medoid of the story: the document whose sentences find the closest
matches in all the others. That is usually the original, or the most faithful translation: each
translation is nearer its source than to another translation, so aligning through it loses the least
(measured in BENCHMARKS.md, "Multi-way units"). Each unit still carries a score for every pair of its
documents, the non-pivot pairs scored directly with their own calibration.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations

import numpy as np

from aligner.align.calibration import probability
from aligner.align.candidates import build_index, search
from aligner.align.choice import resolve
from aligner.align.config import DEFAULT_CONFIG, AlignConfig
from aligner.align.pair import align_spans
from aligner.align.scoring import PairScorer
from aligner.align.spans import SideSpans
from aligner.embedding.embedder import Embedder
from aligner.errors import AlignerError
from aligner.types import Document, Segment, Story, Unit

Node = tuple[str, int]  # (doc id, sentence index)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Node, Node] = {}

    def find(self, node: Node) -> Node:
        self.parent.setdefault(node, node)
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def union(self, first: Node, second: Node) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


# Sentences a side asks with at most: the medoid needs an estimate, not the whole of a book.
_CLOSENESS_QUERIES = 1000


def _pivot(docs: list[Document], spans: Mapping[str, SideSpans]) -> Document:
    """The story's medoid: the largest summed closeness to the other documents (ties: more sentences, id).

    Closeness of two documents: the mean similarity of each sentence of either side to its nearest sentence
    on the other. Exact search, one index per document: with at most 1000 queries a side it costs little
    next to encoding the documents at all.
    """
    present = [d.doc_id for d in docs if d.doc_id in spans]
    indexes = {d: build_index(spans[d].matrix(1), approximate_above=len(spans[d])) for d in present}
    samples = {d: spans[d].matrix(1)[:: -(-len(spans[d]) // _CLOSENESS_QUERIES)] for d in present}
    closeness = {d.doc_id: 0.0 for d in docs}
    for first, second in combinations(present, 2):
        value = sum(
            float(np.mean(search(indexes[b], samples[a], 1)[0][:, 0])) / 2
            for a, b in ((first, second), (second, first))
        )
        closeness[first] += value
        closeness[second] += value
    return min(docs, key=lambda d: (-round(closeness[d.doc_id], 9), -len(d.sentences), d.doc_id))


def align_story(
    story: Story, documents: Mapping[str, Document], embedder: Embedder, config: AlignConfig = DEFAULT_CONFIG
) -> list[Unit]:
    """Units across the story's documents in reading order; every sentence in exactly one unit."""
    missing = [d for d in story.docs if d not in documents]
    if missing:
        raise AlignerError(f"story {story.story_id}: unknown document(s) {', '.join(missing)}")
    docs = [documents[d] for d in dict.fromkeys(story.docs)]
    spans = {d.doc_id: SideSpans(d.sentences, embedder, config.max_bead) for d in docs if d.sentences}
    pivot = _pivot(docs, spans)
    links = _UnionFind()
    scorers: dict[tuple[str, str], PairScorer] = {}
    for doc in docs:
        if doc.doc_id == pivot.doc_id or doc.doc_id not in spans or pivot.doc_id not in spans:
            continue
        result = align_spans(spans[pivot.doc_id], spans[doc.doc_id], config, pivot.lang, doc.lang)
        if result.scorer is not None:
            scorers[(pivot.doc_id, doc.doc_id)] = result.scorer
        for bead in result.beads:
            if bead.src and bead.tgt:
                nodes = [(pivot.doc_id, i) for i in bead.src] + [(doc.doc_id, j) for j in bead.tgt]
                for node in nodes[1:]:
                    links.union(nodes[0], node)
    if any(side.asked for side in spans.values()):  # a draft (align/rounds.py): redone once encoded
        return []
    groups: dict[Node, dict[str, list[int]]] = {}
    for doc in docs:
        for index in range(len(doc.sentences)):
            groups.setdefault(links.find((doc.doc_id, index)), {}).setdefault(doc.doc_id, []).append(index)
    ordered = _reading_order(list(groups.values()), [d.doc_id for d in docs], pivot.doc_id)
    by_id = {d.doc_id: d for d in docs}
    units = []
    for index, members in enumerate(ordered):
        segments = {
            doc_id: Segment(
                doc_id, by_id[doc_id].lang, tuple(ids), " ".join(by_id[doc_id].sentences[i] for i in ids)
            )
            for doc_id, ids in sorted(members.items(), key=lambda item: story.docs.index(item[0]))
        }
        pair_scores = _pair_scores(segments, by_id, spans, scorers, config)
        score = sum(pair_scores.values()) / len(pair_scores) if pair_scores else 0.0
        units.append(Unit(story.story_id, index, segments, score, pair_scores))
    return units


def _reading_order(
    groups: list[dict[str, list[int]]], doc_ids: list[str], pivot: str
) -> list[dict[str, list[int]]]:
    """Groups with pivot sentences by pivot position; others right after their document's previous group."""
    last_pivot_of: dict[Node, float] = {}  # (doc, sentence) -> last pivot sentence of its group
    for group in groups:
        if pivot in group:
            for doc_id, ids in group.items():
                for i in ids:
                    last_pivot_of[(doc_id, i)] = max(group[pivot])
    rank = {d: r for r, d in enumerate(doc_ids)}

    def key(group: dict[str, list[int]]) -> tuple[float, int, int]:
        if pivot in group:
            return (min(group[pivot]), -1, 0)
        ((doc_id, ids),) = group.items()
        previous = [last_pivot_of[(doc_id, i)] for i in range(ids[0]) if (doc_id, i) in last_pivot_of]
        return ((previous[-1] if previous else -1) + 0.5, rank[doc_id], ids[0])

    return sorted(groups, key=key)


def _pair_scores(
    segments: dict[str, Segment],
    documents: dict[str, Document],
    spans: dict[str, SideSpans],
    scorers: dict[tuple[str, str], PairScorer],
    config: AlignConfig,
) -> dict[str, float]:
    scores = {}
    for first, second in combinations(sorted(segments), 2):
        key = (first, second) if (first, second) in scorers else (second, first)
        scorer = scorers.get(key)
        if scorer is None:  # a non-pivot pair: its own scorer, built once, from vectors already encoded
            langs = documents[first].lang, documents[second].lang
            pair_config = resolve(config, spans[first].sentences, spans[second].sentences, *langs)
            scorer = PairScorer(spans[first], spans[second], pair_config, *langs)
            scorers[(first, second)] = scorer
            key = (first, second)
        a, b = segments[key[0]].sentences, segments[key[1]].sentences
        value = scorer.segment_score(a, b)
        scores[f"{first}|{second}"] = round(probability(scorer.config.objective, scorer.confidence(value)), 6)
    return scores
