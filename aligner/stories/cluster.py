"""Same-story clustering: put exactly the translations of one article together.

1. Candidates. Each document is a vector (mean of its sentence vectors, with each language's mean
   removed so the language itself does not pull documents together); FAISS finds each document's
   ``k`` nearest documents in every other language (exact search, IVF for big piles). Only these
   pairs are scored, so the cost grows with the number of documents, not its square. In a run, the
   first look's pairs (``first_look.py``) are scored instead, with the search's added by ``--encode-all``.
2. Evidence. A candidate pair is scored from its sentences: the pairs that are each other's nearest
   neighbour across the two documents with a similarity above a bar (translations match most
   sentences, same-topic articles only a few), normalised by both lengths; the share of numbers the
   two share; and their length ratio. A short article against a longer translation (its lead alone,
   or with lines added) may instead score by the share of the shorter one matched. The sentence pairs
   of every candidate, of the null and of each group of accepted pairs are found in bulk, by an engine's
   tasks that read the vectors from the run's store when it is shared (the Ray engine's): its driver then
   holds no sentence vectors (``evidence._Scorer``).
3. Calibration, on the pile itself. The sentence bar sits high among the runner-up similarities
   (each sentence's second-best match: same topic, not a translation), one bar per language pair;
   the join threshold is the two-means split of the candidate scores pooled with a null (near misses
   and unrelated pairs), never below the null's upper tail. Given the first look's pairs, both are
   measured on those pairs and their documents alone (``Proposed``), so they are the same whether or
   not the other documents were encoded.
4. Clustering. Accepted pairs are joined strongest first (ties by document id), by default never
   putting two documents of one language in a story, and only while the two groups agree on
   average; documents are sorted by id first, so the result does not depend on input order.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from aligner.errors import AlignerError
from aligner.stories.calibration import (
    RUNNER_UP_PAIRS,
    Calibration,
    _calibrate_bars,
    _calibrate_threshold,
    _null_pairs,
    _second_best,
)
from aligner.stories.config import StoryConfig
from aligner.stories.evidence import OpeningTest, PairEvidence, _Scorer
from aligner.stories.join import group_root, join_pairs
from aligner.stories.search import candidate_pairs, document_vectors
from aligner.types import Document, Mapper, Story


@dataclass(frozen=True)
class StoryResult:
    stories: list[Story]
    pairs: list[PairEvidence]  # every scored candidate pair, strongest first
    calibration: Calibration
    seconds: dict[str, float]  # time per step: candidates, evidence, clustering (not part of the output)


@dataclass(frozen=True)
class Proposed:
    """Pairs proposed before the stories stage (by the first look), on which it calibrates.

    Their documents are searched by their lead vectors too (each one's ``k`` nearest in every other
    language: topic neighbours, mostly not translations, as the search by full document vectors
    finds), and the sentence bars and the join threshold are measured on all these pairs and on a
    null drawn among their documents only: so they do not depend on which other documents are in the
    pile or were encoded. ``search``: score the pairs the search by full document vector finds as well
    (every document must then have its sentence vectors); off, only the proposed pairs are scored.
    """

    pairs: frozenset[tuple[str, str]]  # document ids, the smaller first
    lead_means: Mapping[str, np.ndarray] = field(default_factory=dict)  # document id -> 1 x dim
    search: bool = False
    numbers: Mapping[str, frozenset[float]] = field(default_factory=dict)  # read by the first look
    # The second look's test, applied to the pairs the search finds as to the first look's candidates.
    opening: OpeningTest | None = None


def cluster_stories_detailed(
    documents: Sequence[Document],
    embeddings: Mapping[str, np.ndarray],
    config: StoryConfig = StoryConfig(),
    mapper: Mapper | None = None,
    proposed: Proposed | None = None,
) -> StoryResult:
    """Stories plus every scored pair and the calibration (for ``--explain`` and the benchmark).

    ``proposed``: the first look's pairs, scored and calibrated on (see ``Proposed``); without it the
    candidates are found by document vector and the whole pile calibrates.
    """
    ordered = sorted(documents, key=lambda d: d.doc_id)
    ids = [d.doc_id for d in ordered]
    if len(set(ids)) != len(ids):
        raise AlignerError("stories: two documents share one id; ids must be unique")
    missing = [d for d in ids if d not in embeddings]
    if missing:
        raise AlignerError(f"stories: no sentence vectors for document {missing[0]}")
    rows = getattr(embeddings, "rows", None)  # the pipeline's vectors say, without reading them
    for doc in ordered:
        count = rows(doc.doc_id) if rows is not None else len(embeddings[doc.doc_id])
        if count != doc.sentence_count:
            raise AlignerError(
                f"stories: {doc.doc_id} has {doc.sentence_count} sentences but {count} vectors"
            )
    langs = [d.lang for d in ordered]
    started = time.perf_counter()
    has_vector = [bool(d.sentence_count) for d in ordered]
    searched: list[tuple[int, int]] = []
    if (proposed is None or proposed.search) and len(ordered) > 1:
        vectors = document_vectors(ordered, embeddings, config.center_languages)
        searched = candidate_pairs(langs, vectors, config, mapper)
        if proposed is not None and proposed.opening is not None:
            test, n = proposed.opening, proposed.opening.sentences
            searched = [
                (i, j) for i, j in searched if test.passes(embeddings[ids[i]][:n], embeddings[ids[j]][:n])
            ]
    if proposed is None:
        calibrating, in_null = searched, has_vector
    else:
        row_of = {doc_id: row for row, doc_id in enumerate(ids)}
        given = {(row_of[a], row_of[b]) for a, b in proposed.pairs}
        proposing = {row for pair in given for row in pair}
        calibrating = sorted(given | _lead_neighbours(ordered, sorted(proposing), proposed, config, mapper))
        in_null = [has and row in proposing for row, has in enumerate(has_vector)]
    pairs = sorted(set(calibrating) | set(searched))
    seconds = {"candidates": time.perf_counter() - started}
    numbers = proposed.numbers if proposed else None
    scorer = _Scorer(ordered, embeddings, config.short_articles, numbers, mapper)
    # Runner-ups of an even sample of the pairs are plenty to place a quantile (and cost time).
    stride = max(1, math.ceil(len(calibrating) / RUNNER_UP_PAIRS))
    nulls = _null_pairs(langs, ids, in_null, set(calibrating))
    sampled = [n % stride == 0 for n in range(len(calibrating))] + [
        n % stride == 0 for n in range(len(nulls))
    ]
    # The runner-ups of the sample first (they place the bars), then every pair's evidence at its bar:
    # computed where the vectors are read, so no pair's similarities are kept here.
    sample = [pair for pair, flag in zip([*calibrating, *nulls], sampled, strict=True) if flag]
    runner_ups: dict[str, list[np.ndarray]] = {}
    for (i, j), found in zip(sample, scorer.compute(sample, [True] * len(sample)), strict=True):
        runner_ups.setdefault("|".join(sorted((langs[i], langs[j]))), []).append(found.runner_ups)
    bar, pair_bars, bar_how = _calibrate_bars(runner_ups, config)
    del runner_ups

    def evidence(pair_list: Sequence[tuple[int, int]]) -> list[PairEvidence]:
        keys = ("|".join(sorted((langs[i], langs[j]))) for i, j in pair_list)
        return scorer.evidences(pair_list, [pair_bars.get(key, bar) for key in keys])

    by_pair = dict(zip(pairs, evidence(pairs), strict=True))
    scored = sorted(by_pair.values(), key=lambda ev: (-ev.score, ev.a, ev.b))
    calibration_scored = sorted(
        (by_pair[pair] for pair in calibrating), key=lambda ev: (-ev.score, ev.a, ev.b)
    )
    lang_of = dict(zip(ids, langs, strict=True))
    null_scores = _second_best(calibration_scored, lang_of) + [ev.score for ev in evidence(nulls)]
    threshold, how = _calibrate_threshold([ev.score for ev in calibration_scored], null_scores, config)
    calibration = Calibration(
        round(bar, 6),
        round(threshold, 6),
        len(null_scores),
        len(calibrating),
        f"sentence bar: {bar_how}; join threshold: {how}",
        pair_bars,
    )
    accepted = [ev for ev in scored if ev.score >= threshold and ev.matches > 0]
    scorer.compute(
        _pairs_within_groups(accepted, {doc_id: row for row, doc_id in enumerate(ids)})
    )  # what the join may ask, in bulk
    seconds["evidence"] = time.perf_counter() - started - seconds["candidates"]
    stories = join_pairs(ids, langs, accepted, scorer, config, calibration)
    seconds["clustering"] = time.perf_counter() - started - seconds["candidates"] - seconds["evidence"]
    return StoryResult(stories, scored, calibration, {k: round(v, 3) for k, v in seconds.items()})


MAX_GROUP = 24  # documents of a group of accepted pairs whose every pair is computed in bulk before the join


def _pairs_within_groups(
    accepted: Sequence[PairEvidence], row_of: Mapping[str, int]
) -> list[tuple[int, int]]:
    """Every row pair (i < j) inside each group of documents tied by accepted pairs, of up to ``MAX_GROUP``
    documents: the pairs the join can ask for (average linkage, parts of stories, the strongest tree),
    so they are computed together, in tasks, rather than one by one as the join asks. A larger group (a
    chain of same-topic pairs) is left to the join, which asks only for the pairs it needs."""
    parent: dict[int, int] = {}
    for ev in accepted:
        for row in (row_of[ev.a], row_of[ev.b]):
            parent.setdefault(row, row)
        ra, rb = group_root(parent, row_of[ev.a]), group_root(parent, row_of[ev.b])
        parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for row in sorted(parent):
        groups.setdefault(group_root(parent, row), []).append(row)
    return [
        (i, j)
        for rows in groups.values()
        if len(rows) <= MAX_GROUP
        for n, i in enumerate(rows)
        for j in rows[n + 1 :]
    ]


def _lead_neighbours(
    ordered: Sequence[Document],
    rows: Sequence[int],
    proposed: Proposed,
    config: StoryConfig,
    mapper: Mapper | None,
) -> set[tuple[int, int]]:
    """Row pairs (i < j) of the proposed documents, each one's ``k`` nearest in every other language by
    mean lead vector (``search.candidate_pairs`` on those vectors)."""
    with_lead = [row for row in rows if ordered[row].doc_id in proposed.lead_means]
    if len(with_lead) < 2:
        return set()
    subset = [ordered[row] for row in with_lead]
    leads = {d.doc_id: proposed.lead_means[d.doc_id] for d in subset}
    vectors = document_vectors(subset, leads, config.center_languages)
    found = candidate_pairs([d.lang for d in subset], vectors, config, mapper)
    return {(with_lead[i], with_lead[j]) for i, j in found}


def cluster_stories(
    documents: Sequence[Document], embeddings: Mapping[str, np.ndarray], config: StoryConfig = StoryConfig()
) -> list[Story]:
    """Every document in exactly one story; ids s1, s2, ... ordered by each story's smallest doc id."""
    return cluster_stories_detailed(documents, embeddings, config).stories
