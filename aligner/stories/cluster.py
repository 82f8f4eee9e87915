"""Same-story clustering: put exactly the translations of one article together.

1. Candidates. Each document is a vector (mean of its sentence vectors, with each language's mean
   removed so the language itself does not pull documents together); FAISS finds each document's
   ``k`` nearest documents in every other language (exact search, IVF for big piles). Only these
   pairs are scored, so the cost grows with the number of documents, not its square.
2. Evidence. A candidate pair is scored from its sentences: the pairs that are each other's nearest
   neighbour across the two documents with a similarity above a bar (translations match most
   sentences, same-topic articles only a few), normalised by both lengths; the share of numbers the
   two share; and their length ratio. A short article against a longer translation (its lead alone,
   or with lines added) may instead score by the share of the shorter one matched.
3. Calibration, on the pile itself. The sentence bar sits high among the runner-up similarities
   (each sentence's second-best match: same topic, not a translation), one bar per language pair;
   the join threshold is the two-means split of the candidate scores pooled with a null (near misses
   and unrelated pairs), never below the null's upper tail.
4. Clustering. Accepted pairs are joined strongest first (ties by document id), by default never
   putting two documents of one language in a story, and only while the two groups agree on
   average; documents are sorted by id first, so the result does not depend on input order.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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
from aligner.stories.evidence import PairEvidence, _Scorer
from aligner.stories.join import join_pairs
from aligner.stories.search import candidate_pairs, document_vectors
from aligner.types import Document, Mapper, Story


@dataclass(frozen=True)
class StoryResult:
    stories: list[Story]
    pairs: list[PairEvidence]  # every scored candidate pair, strongest first
    calibration: Calibration
    seconds: dict[str, float]  # time per step: candidates, evidence, clustering (not part of the output)


def cluster_stories_detailed(
    documents: Sequence[Document],
    embeddings: Mapping[str, np.ndarray],
    config: StoryConfig = StoryConfig(),
    mapper: Mapper | None = None,
) -> StoryResult:
    """Stories plus every scored pair and the calibration (for ``--explain`` and the benchmark)."""
    ordered = sorted(documents, key=lambda d: d.doc_id)
    ids = [d.doc_id for d in ordered]
    if len(set(ids)) != len(ids):
        raise AlignerError("stories: two documents share one id; ids must be unique")
    missing = [d for d in ids if d not in embeddings]
    if missing:
        raise AlignerError(f"stories: no sentence vectors for document {missing[0]}")
    for doc in ordered:
        if len(embeddings[doc.doc_id]) != len(doc.sentences):
            raise AlignerError(
                f"stories: {doc.doc_id} has {len(doc.sentences)} sentences but "
                f"{len(embeddings[doc.doc_id])} vectors"
            )
    langs = [d.lang for d in ordered]
    started = time.perf_counter()
    vectors = document_vectors(ordered, embeddings, config.center_languages)
    has_vector = [bool(len(d.sentences)) for d in ordered]
    pairs = candidate_pairs(langs, vectors, config, mapper) if len(ordered) > 1 else []
    seconds = {"candidates": time.perf_counter() - started}
    scorer = _Scorer(ordered, embeddings, config.short_articles)
    # Runner-ups of an even sample of the pairs are plenty to place a quantile (and cost time).
    stride = max(1, math.ceil(len(pairs) / RUNNER_UP_PAIRS))
    candidate_matches = [scorer.match(i, j, n % stride == 0) for n, (i, j) in enumerate(pairs)]
    nulls = _null_pairs(langs, ids, has_vector, set(pairs))
    null_matches = [scorer.match(i, j, n % stride == 0) for n, (i, j) in enumerate(nulls)]
    runner_ups: dict[str, list[np.ndarray]] = {}
    for (i, j), (_, found) in zip([*pairs, *nulls], [*candidate_matches, *null_matches], strict=True):
        runner_ups.setdefault("|".join(sorted((langs[i], langs[j]))), []).append(found)
    bar, pair_bars, bar_how = _calibrate_bars(runner_ups, config)

    def bar_of(i: int, j: int) -> float:
        return pair_bars.get("|".join(sorted((langs[i], langs[j]))), bar)

    def evidence(pair_list, matches) -> list[PairEvidence]:
        return [
            scorer.evidence(i, j, m, bar_of(i, j)) for (i, j), (m, _) in zip(pair_list, matches, strict=True)
        ]

    scored = evidence(pairs, candidate_matches)
    scored.sort(key=lambda ev: (-ev.score, ev.a, ev.b))
    lang_of = dict(zip(ids, langs, strict=True))
    null_scores = _second_best(scored, lang_of) + [ev.score for ev in evidence(nulls, null_matches)]
    threshold, how = _calibrate_threshold([ev.score for ev in scored], null_scores, config)
    calibration = Calibration(
        round(bar, 6),
        round(threshold, 6),
        len(null_scores),
        len(pairs),
        f"sentence bar: {bar_how}; join threshold: {how}",
        pair_bars,
    )
    accepted = [ev for ev in scored if ev.score >= threshold and ev.matches > 0]
    seconds["evidence"] = time.perf_counter() - started - seconds["candidates"]
    stories = join_pairs(ids, langs, accepted, scorer, config, calibration)
    seconds["clustering"] = time.perf_counter() - started - seconds["candidates"] - seconds["evidence"]
    return StoryResult(stories, scored, calibration, {k: round(v, 3) for k, v in seconds.items()})


def cluster_stories(
    documents: Sequence[Document], embeddings: Mapping[str, np.ndarray], config: StoryConfig = StoryConfig()
) -> list[Story]:
    """Every document in exactly one story; ids s1, s2, ... ordered by each story's smallest doc id."""
    return cluster_stories_detailed(documents, embeddings, config).stories
