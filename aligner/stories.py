"""Same-story clustering: put exactly the translations of one article together.

Three steps, each linear in the number of documents apart from the index search:

1. Candidates. Each document is a vector (mean of its sentence vectors, with each language's mean
   removed so the language itself does not pull documents together); FAISS finds each document's
   ``k`` nearest documents in every other language. Only these pairs are scored.
2. Evidence. A candidate pair is scored from its sentences: the pairs that are each other's nearest
   neighbour across the two documents with a similarity above a bar (translations match most
   sentences, same-topic articles only a few), normalised by both lengths; the share of numbers the
   two share; and their length ratio. The sentence bar and the join threshold are calibrated on the
   pile itself against a null drawn from it (documents paired with unrelated documents).
3. Clustering. Accepted pairs are joined strongest first (ties by document id), by default never
   putting two documents of one language in a story, so the result does not depend on input order.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from aligner.errors import AlignerError
from aligner.numbers import signature
from aligner.types import Document, Story


@dataclass(frozen=True)
class StoryConfig:
    """Settings of the stories stage; every field has a default (the manifest records them all)."""

    one_per_language: bool = True  # at most one document per language in a story
    k: int = 3  # nearest documents per other language that are scored against each document
    exact_search_max: int = 20000  # past this many documents in one language, an IVF index replaces exact search
    ivf_nprobe: int = 16  # IVF cells visited per query (more: better recall, slower)
    center_languages: bool = True  # remove each language's mean document vector before the search
    sentence_bar: float | None = None  # similarity a sentence pair needs to count; None: calibrated
    join_threshold: float | None = None  # pair score needed to join; None: calibrated
    null_quantile: float = 0.99  # how far into the null (unrelated pairs) the calibrated bars sit
    min_sentence_bar: float = 0.3  # the calibrated sentence bar never falls below this


@dataclass(frozen=True)
class PairEvidence:
    """Why two documents are (or are not) the same story."""

    a: str
    b: str
    matches: int  # sentence pairs that are mutual nearest neighbours above the bar
    sentences_a: int
    sentences_b: int
    numbers_shared: int
    numbers_total: int  # numbers in the document that has more of them
    length_ratio: float  # shorter / longer, in characters (in sentences when there is no text)
    score: float

    @property
    def coverage(self) -> float:
        total = self.sentences_a + self.sentences_b
        return 2.0 * self.matches / total if total else 0.0


@dataclass(frozen=True)
class Calibration:
    """The bars the decision used and where they came from (shown by ``--explain``)."""

    sentence_bar: float
    join_threshold: float
    null_pairs: int  # unrelated pairs the null was measured on
    candidate_pairs: int
    how: str


@dataclass(frozen=True)
class StoryResult:
    stories: list[Story]
    pairs: list[PairEvidence]  # every scored candidate pair, strongest first
    calibration: Calibration


# ---------------------------------------------------------------------------------------------------
# Candidates


def document_vectors(
    documents: Sequence[Document], embeddings: Mapping[str, np.ndarray], center_languages: bool = True
) -> np.ndarray:
    """One unit vector per document (a zero row for a document with no sentences)."""
    if not documents:
        return np.zeros((0, 0), dtype=np.float32)
    dim = next((embeddings[d.doc_id].shape[1] for d in documents if embeddings[d.doc_id].ndim == 2), 0)
    vectors = np.zeros((len(documents), dim), dtype=np.float32)
    for row, doc in enumerate(documents):
        sentences = embeddings[doc.doc_id]
        if len(sentences):
            vectors[row] = sentences.mean(axis=0)
    _normalise(vectors)
    if center_languages:
        langs = np.array([d.lang for d in documents])
        for lang in sorted(set(langs)):
            rows = np.flatnonzero((langs == lang) & (np.abs(vectors).sum(axis=1) > 0))
            # With one or two documents the mean is the documents themselves: nothing would remain.
            if len(rows) >= 3:
                vectors[rows] -= vectors[rows].mean(axis=0)
        _normalise(vectors)
    return vectors


def _normalise(vectors: np.ndarray) -> None:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.divide(vectors, norms, out=vectors, where=norms > 0)


def _index(vectors: np.ndarray, config: StoryConfig):
    """Exact inner-product search for small sets, IVF past ``exact_search_max`` (deterministic k-means)."""
    import faiss

    dim = vectors.shape[1]
    if len(vectors) <= config.exact_search_max:
        index = faiss.IndexFlatIP(dim)
    else:
        cells = int(math.sqrt(len(vectors)))
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, cells, faiss.METRIC_INNER_PRODUCT)
        index.cp.seed = 1234
        index.train(vectors)
        index.nprobe = min(config.ivf_nprobe, cells)
    index.add(vectors)
    return index


def candidate_pairs(langs: Sequence[str], vectors: np.ndarray, config: StoryConfig) -> list[tuple[int, int]]:
    """Row pairs (i < j) to score: each row's ``k`` nearest rows in each other language.

    With ``one_per_language`` off, a row's own language is searched too (several translations into one
    language are then allowed).
    """
    lang_array = np.array(langs)
    has_vector = np.abs(vectors).sum(axis=1) > 0 if len(vectors) else np.zeros(0, dtype=bool)
    found: set[tuple[int, int]] = set()
    for lang in sorted(set(langs)):
        targets = np.flatnonzero((lang_array == lang) & has_vector)
        if config.one_per_language:
            queries = np.flatnonzero((lang_array != lang) & has_vector)
        else:
            queries = np.flatnonzero(has_vector)
        if not len(targets) or not len(queries):
            continue
        index = _index(np.ascontiguousarray(vectors[targets]), config)
        wanted = min(len(targets), config.k + (0 if config.one_per_language else 1))
        _, neighbours = index.search(np.ascontiguousarray(vectors[queries]), wanted)
        for query, row in zip(queries.tolist(), neighbours.tolist(), strict=True):
            for hit in row:
                if hit < 0:
                    continue
                other = int(targets[hit])
                if other != query:
                    found.add((min(query, other), max(query, other)))
    return sorted(found)


# ---------------------------------------------------------------------------------------------------
# Evidence


def mutual_neighbours(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Similarities of the sentence pairs that are each other's nearest neighbour across a and b."""
    if not len(a) or not len(b):
        return np.zeros(0, dtype=np.float32)
    sims = a @ b.T
    best_in_b = sims.argmax(axis=1)
    best_in_a = sims.argmax(axis=0)
    rows = np.flatnonzero(best_in_a[best_in_b] == np.arange(len(a)))
    return sims[rows, best_in_b[rows]]


def _length(doc: Document) -> int:
    return sum(len(s) for s in doc.sentences)


def pair_score(coverage: float, numbers_shared: int, numbers_total: int, length_ratio: float) -> float:
    """Sentence coverage, scaled by how well the numbers and the lengths agree.

    Coverage carries the decision; numbers and length can only lower it (a pair that matches most
    sentences but shares none of its numbers, or is twice as long, is probably not a translation).
    """
    agreement = [length_ratio]
    if numbers_total:
        agreement.append(numbers_shared / numbers_total)
    return coverage * (0.5 + 0.5 * sum(agreement) / len(agreement))


class _Scorer:
    """Per-document data computed once (numbers, lengths) and pair evidence on demand."""

    def __init__(self, documents: Sequence[Document], embeddings: Mapping[str, np.ndarray]) -> None:
        self.documents = documents
        self.embeddings = embeddings
        self.lengths = [_length(d) for d in documents]
        self.numbers = [signature("\n".join(d.sentences), d.lang) if d.sentences else frozenset() for d in documents]

    def sims(self, i: int, j: int) -> np.ndarray:
        return mutual_neighbours(self.embeddings[self.documents[i].doc_id], self.embeddings[self.documents[j].doc_id])

    def evidence(self, i: int, j: int, sims: np.ndarray, bar: float) -> PairEvidence:
        a, b = self.documents[i], self.documents[j]
        shared = len(self.numbers[i] & self.numbers[j])
        total = max(len(self.numbers[i]), len(self.numbers[j]))
        la, lb = self.lengths[i], self.lengths[j]
        if not la or not lb:
            la, lb = len(a.sentences), len(b.sentences)
        ratio = min(la, lb) / max(la, lb) if max(la, lb) else 0.0
        matches = int((sims >= bar).sum())
        total_sentences = len(a.sentences) + len(b.sentences)
        coverage = 2.0 * matches / total_sentences if total_sentences else 0.0
        score = pair_score(coverage, shared, total, ratio)
        return PairEvidence(a.doc_id, b.doc_id, matches, len(a.sentences), len(b.sentences), shared, total,
                            round(ratio, 6), round(score, 6))


def _null_pairs(langs: Sequence[str], ids: Sequence[str], has_vector: Sequence[bool],
                candidates: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each document paired with a pseudo-random other-language document that is not a candidate.

    The partner is chosen by hashing the two ids, so the null does not depend on input order.
    """
    rows = [i for i in range(len(ids)) if has_vector[i]]
    pairs: set[tuple[int, int]] = set()
    if len(rows) < 3:
        return []
    for i in rows:
        ranked = sorted(rows, key=lambda j: hashlib.blake2b(f"{ids[i]}\0{ids[j]}".encode(), digest_size=8).digest()) \
            if len(rows) <= 64 else [rows[_hash_pick(ids[i], attempt, len(rows))] for attempt in range(64)]
        for j in ranked:
            pair = (min(i, j), max(i, j))
            if j != i and langs[j] != langs[i] and pair not in candidates:
                pairs.add(pair)
                break
    return sorted(pairs)


def _hash_pick(key: str, attempt: int, size: int) -> int:
    digest = hashlib.blake2b(f"{key}\0{attempt}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") % size


def _calibrate(candidate_sims: list[np.ndarray], null_sims: list[np.ndarray],
               null_scores_at, config: StoryConfig, n_candidates: int) -> Calibration:
    """The sentence bar and the join threshold, from the pile's own null (unrelated pairs).

    Sentence bar: the ``null_quantile`` of the mutual-neighbour similarities of unrelated pairs (a
    chance match rarely reaches it). Join threshold: the midpoint between the ``null_quantile`` of the
    unrelated pairs' scores and the Otsu split of the candidates' scores, so it sits above the noise
    and below the mass of real translations whatever the model's similarity scale.
    """
    pooled_null = np.concatenate(null_sims) if null_sims else np.zeros(0, dtype=np.float32)
    if config.sentence_bar is not None:
        bar, bar_how = config.sentence_bar, "set"
    elif len(pooled_null) >= 20:
        bar = max(float(np.quantile(pooled_null, config.null_quantile)), config.min_sentence_bar)
        bar_how = f"q{config.null_quantile:g} of {len(pooled_null)} chance sentence matches"
    else:
        pooled = np.concatenate(candidate_sims) if candidate_sims else np.zeros(0, dtype=np.float32)
        bar = max(_otsu(pooled), config.min_sentence_bar) if len(pooled) >= 20 else 0.5
        bar_how = "Otsu split of candidate sentence matches (too few documents for a null)"
    null_scores = null_scores_at(bar)
    if config.join_threshold is not None:
        threshold, how = config.join_threshold, "set"
    else:
        noise = float(np.quantile(null_scores, config.null_quantile)) if len(null_scores) else 0.0
        threshold = max(noise, 0.1)
        how = f"q{config.null_quantile:g} of {len(null_scores)} unrelated pairs"
    return Calibration(round(bar, 6), round(threshold, 6), len(null_sims), n_candidates,
                       f"sentence bar: {bar_how}; join threshold: {how}")


def _otsu(values: np.ndarray, bins: int = 256) -> float:
    """Otsu's threshold of a 1-D sample (between-class variance maximised over a histogram)."""
    if len(values) == 0 or float(values.max()) == float(values.min()):
        return float(values.max()) if len(values) else 0.0
    counts, edges = np.histogram(values, bins=bins)
    centres = (edges[:-1] + edges[1:]) / 2
    weight = np.cumsum(counts)
    mean = np.cumsum(counts * centres)
    total, grand = weight[-1], mean[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (grand * weight - total * mean) ** 2 / (weight * (total - weight))
    between = np.nan_to_num(between[:-1])
    return float(edges[int(between.argmax()) + 1])


# ---------------------------------------------------------------------------------------------------
# Clustering


def _reason(ev: PairEvidence, langs: Mapping[str, str], calibration: Calibration) -> str:
    numbers = f"{ev.numbers_shared}/{ev.numbers_total} numbers shared" if ev.numbers_total else "no numbers"
    return (
        f"{langs[ev.a]}:{ev.a} ~ {langs[ev.b]}:{ev.b}: {ev.matches} mutual-NN sentence pairs >= "
        f"{calibration.sentence_bar:.2f} (of {ev.sentences_a} and {ev.sentences_b} sentences), {numbers}, "
        f"length ratio {ev.length_ratio:.2f}; score {ev.score:.2f} >= {calibration.join_threshold:.2f}"
    )


def _join(ids: Sequence[str], langs: Sequence[str], accepted: Sequence[PairEvidence], config: StoryConfig,
          calibration: Calibration) -> list[Story]:
    """Union of accepted pairs, strongest first; a join that would repeat a language is skipped."""
    row_of = {doc_id: row for row, doc_id in enumerate(ids)}
    parent = list(range(len(ids)))
    members: dict[int, list[int]] = {row: [row] for row in range(len(ids))}
    joins: dict[int, list[PairEvidence]] = {row: [] for row in range(len(ids))}

    def root(row: int) -> int:
        while parent[row] != row:
            parent[row] = parent[parent[row]]
            row = parent[row]
        return row

    for ev in accepted:
        ra, rb = root(row_of[ev.a]), root(row_of[ev.b])
        if ra == rb:
            continue
        if config.one_per_language and {langs[m] for m in members[ra]} & {langs[m] for m in members[rb]}:
            continue
        keep, gone = min(ra, rb), max(ra, rb)
        parent[gone] = keep
        members[keep] += members.pop(gone)
        joins[keep] += joins.pop(gone) + [ev]

    lang_of = dict(zip(ids, langs, strict=True))
    groups = sorted((sorted(ids[m] for m in members[r]), joins[r]) for r in members)
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


def cluster_stories_detailed(
    documents: Sequence[Document], embeddings: Mapping[str, np.ndarray], config: StoryConfig = StoryConfig()
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
            raise AlignerError(f"stories: {doc.doc_id} has {len(doc.sentences)} sentences but "
                               f"{len(embeddings[doc.doc_id])} vectors")
    langs = [d.lang for d in ordered]
    vectors = document_vectors(ordered, embeddings, config.center_languages)
    has_vector = [bool(len(d.sentences)) for d in ordered]
    pairs = candidate_pairs(langs, vectors, config) if len(ordered) > 1 else []
    scorer = _Scorer(ordered, embeddings)
    candidate_sims = [scorer.sims(i, j) for i, j in pairs]
    nulls = _null_pairs(langs, ids, has_vector, set(pairs))
    null_sims = [scorer.sims(i, j) for i, j in nulls]

    def null_scores_at(bar: float) -> np.ndarray:
        return np.array([scorer.evidence(i, j, s, bar).score for (i, j), s in zip(nulls, null_sims, strict=True)])

    calibration = _calibrate(candidate_sims, null_sims, null_scores_at, config, len(pairs))
    scored = [scorer.evidence(i, j, s, calibration.sentence_bar) for (i, j), s in zip(pairs, candidate_sims,
                                                                                        strict=True)]
    scored.sort(key=lambda ev: (-ev.score, ev.a, ev.b))
    accepted = [ev for ev in scored if ev.score > calibration.join_threshold and ev.matches > 0]
    return StoryResult(_join(ids, langs, accepted, config, calibration), scored, calibration)


def cluster_stories(
    documents: Sequence[Document], embeddings: Mapping[str, np.ndarray], config: StoryConfig = StoryConfig()
) -> list[Story]:
    """Every document in exactly one story; ids s1, s2, ... ordered by each story's smallest doc id."""
    return cluster_stories_detailed(documents, embeddings, config).stories
