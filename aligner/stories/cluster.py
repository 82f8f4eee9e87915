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

import hashlib
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from aligner.errors import AlignerError
from aligner.languages.scripts import content_length
from aligner.numbers import signature
from aligner.types import Document, Mapper, Story, serial_map


@dataclass(frozen=True)
class StoryConfig:
    """Settings of the stories stage; every field has a default (the manifest records them all)."""

    one_per_language: bool = True  # at most one document per language in a story
    k: int = 3  # nearest documents per other language that are scored against each document
    exact_search_max: int = 10000  # documents of one language past which IVF replaces exact search
    ivf_nprobe: int = 8  # IVF cells visited per query (more: better recall, slower)
    center_languages: bool = True  # remove each language's mean document vector before the search
    sentence_bar: float | None = None  # similarity a sentence pair needs to count; None: calibrated
    join_threshold: float | None = None  # pair score needed to join; None: calibrated
    bar_quantile: float = 0.9  # the sentence bar sits this far into the runner-up similarities
    null_quantile: float = 0.99  # the join threshold never falls below this quantile of the null's scores
    min_sentence_bar: float = 0.3  # the calibrated sentence bar never falls below this
    # A short article translated into a longer version (its lead alone, or with lines added around the
    # same facts) matches most of its own sentences but few of the longer one's: score such a pair by
    # the share of the shorter document matched too (see ``contained_score``).
    short_articles: bool = True


RUNNER_UP_PAIRS = 5000  # pairs whose runner-up similarities calibrate the sentence bar
MIN_CANDIDATES = 4  # fewer candidate pairs than this cannot show two groups
MIN_PAIR_RUNNER_UPS = 200  # runner-ups a language pair needs for a bar of its own
MIN_NULL = 20  # fewer null observations than this cannot place a quantile; the defaults below apply
FALLBACK_BAR = 0.5  # sentence bar for a pile too small to calibrate
# Join threshold when the pile cannot calibrate one: about half the sentences of both documents
# matched with numbers and length agreeing ("most sentences" is what a translation shows). It also
# caps the null's floor, and an upper group whose mean is below it is not taken for translations.
FALLBACK_THRESHOLD = 0.5
MIN_THRESHOLD = 0.1


@dataclass(frozen=True)
class PairEvidence:
    """Why two documents are (or are not) the same story."""

    a: str
    b: str
    matches: int  # sentence pairs that are mutual nearest neighbours above the bar
    sentences_a: int
    sentences_b: int
    numbers_shared: int
    # Numbers of the document that has fewer: a number spelled out in words on one side (which the
    # reader may miss) or a unit converted costs less than a number the translation invented.
    numbers_compared: int
    length_ratio: float  # shorter / longer, in content_length (in sentences when there is no text)
    score: float
    bar: float = 0.0  # the sentence bar the matches were counted at

    @property
    def coverage(self) -> float:
        total = self.sentences_a + self.sentences_b
        return 2.0 * self.matches / total if total else 0.0


@dataclass(frozen=True)
class Calibration:
    """The bars the decision used and where they came from (shown by ``--explain``)."""

    sentence_bar: float  # for language pairs with too few runner-ups of their own
    join_threshold: float
    null_pairs: int  # near-miss and unrelated pairs the threshold was measured on
    candidate_pairs: int
    how: str
    pair_bars: dict[str, float] = field(default_factory=dict)  # "ar|en" -> that language pair's bar

    def bar_for(self, lang_a: str, lang_b: str) -> float:
        return self.pair_bars.get("|".join(sorted((lang_a, lang_b))), self.sentence_bar)


@dataclass(frozen=True)
class StoryResult:
    stories: list[Story]
    pairs: list[PairEvidence]  # every scored candidate pair, strongest first
    calibration: Calibration
    seconds: dict[str, float]  # time per step: candidates, evidence, clustering (not part of the output)


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
        # About 4 sqrt(n) cells, each trained on at least 39 points (faiss's k-means minimum).
        cells = max(1, min(int(4 * math.sqrt(len(vectors))), len(vectors) // 39))
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, cells, faiss.METRIC_INNER_PRODUCT)
        index.cp.seed = 1234
        index.train(vectors)
        index.nprobe = min(config.ivf_nprobe, cells)
    index.add(vectors)
    return index


SEARCH_BATCH = 4096  # queries per search task; the same split on every engine, so the same neighbours


def search_batch(queries: np.ndarray, search: tuple[bytes, int]) -> np.ndarray:
    """Row numbers of the ``wanted`` nearest targets of each query, from a serialised FAISS index."""
    import faiss

    index_bytes, wanted = search
    index = faiss.deserialize_index(np.frombuffer(index_bytes, dtype=np.uint8))
    return index.search(np.ascontiguousarray(queries, dtype=np.float32), wanted)[1]


def candidate_pairs(
    langs: Sequence[str], vectors: np.ndarray, config: StoryConfig, mapper: Mapper | None = None
) -> list[tuple[int, int]]:
    """Row pairs (i < j) to score: each row's ``k`` nearest rows in each other language.

    With ``one_per_language`` off, a row's own language is searched too (several translations into one
    language are then allowed). Queries are searched in batches of ``SEARCH_BATCH`` through ``mapper``
    (an engine's ordered map; default: here, one after another).
    """
    import faiss

    mapper = mapper or serial_map
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
        batches = [queries[start : start + SEARCH_BATCH] for start in range(0, len(queries), SEARCH_BATCH)]
        shared = (faiss.serialize_index(index).tobytes(), wanted)
        results = mapper(search_batch, [np.ascontiguousarray(vectors[batch]) for batch in batches], shared)
        for batch, neighbours in zip(batches, results, strict=True):
            for query, row in zip(batch.tolist(), neighbours.tolist(), strict=True):
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
    return _match(a, b)[0]


def _match(a: np.ndarray, b: np.ndarray, runner_ups: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Mutual nearest-neighbour similarities, and every sentence's runner-up similarity.

    The runner-up (second best match of a sentence in the other document) is a sentence pair that is
    not a translation but is as close in topic as the document offers: the pile's own null.
    """
    empty = np.zeros(0, dtype=np.float32)
    if not len(a) or not len(b):
        return empty, empty
    sims = a @ b.T
    best_in_b = sims.argmax(axis=1)
    best_in_a = sims.argmax(axis=0)
    rows = np.flatnonzero(best_in_a[best_in_b] == np.arange(len(a)))
    runner_up = [empty]
    if runner_ups and sims.shape[1] > 1:
        runner_up.append(np.partition(sims, -2, axis=1)[:, -2])
    if runner_ups and sims.shape[0] > 1:
        runner_up.append(np.partition(sims, -2, axis=0)[-2, :])
    return sims[rows, best_in_b[rows]], np.concatenate(runner_up)


def _length(doc: Document) -> int:
    return sum(content_length(s) for s in doc.sentences)


MIN_CONTAINED = 3  # sentences of the shorter document that must match for ``contained_score`` to count
# A part read inside a longer article is weaker evidence than a full translation: its pairs join after
# those of full translations, so a short article that also matches a same-topic article cannot join
# that article first and pull it into its story.
CONTAINED_WEIGHT = 0.9


def contained_score(matches: int, shorter: int, numbers_shared: int, numbers_compared: int) -> float:
    """The score of a short document read as a part of a longer one: the share of the shorter document's
    sentences matched, squared (a decoy made of half of an article scores a quarter, a third a ninth),
    scaled by the share of its numbers the longer one has (0.75 with no numbers to compare) and by
    ``CONTAINED_WEIGHT``. Lengths say nothing here: the longer one is longer by definition. Fewer than
    ``MIN_CONTAINED`` matches: 0 (one shared headline does not make a translation)."""
    if matches < MIN_CONTAINED or not shorter:
        return 0.0
    share = min(1.0, matches / shorter)
    numbers = numbers_shared / numbers_compared if numbers_compared else 0.5
    return CONTAINED_WEIGHT * share * share * (0.5 + 0.5 * numbers)


def pair_score(coverage: float, numbers_shared: int, numbers_compared: int, length_ratio: float) -> float:
    """Sentence coverage, scaled by how well the numbers and the lengths agree.

    Coverage carries the decision; numbers and length can only lower it (a pair that matches most
    sentences but shares none of its numbers, or is twice as long, is probably not a translation).
    With no numbers on one side the numbers say nothing.
    """
    agreement = [length_ratio]
    if numbers_compared:
        agreement.append(numbers_shared / numbers_compared)
    return coverage * (0.5 + 0.5 * sum(agreement) / len(agreement))


class _Scorer:
    """Per-document data computed once (numbers, lengths) and pair evidence on demand."""

    def __init__(
        self, documents: Sequence[Document], embeddings: Mapping[str, np.ndarray], short_articles: bool = True
    ) -> None:
        self.documents = documents
        self.short_articles = short_articles
        self.embeddings = embeddings
        self.lengths = [_length(d) for d in documents]
        # Sentence by sentence: reading cost stays linear in the document's length.
        self.numbers = [frozenset().union(*(signature(s, d.lang) for s in d.sentences)) for d in documents]
        self._cache: dict[tuple[int, int, float], PairEvidence] = {}

    def match(self, i: int, j: int, runner_ups: bool = True) -> tuple[np.ndarray, np.ndarray]:
        a, b = self.documents[i].doc_id, self.documents[j].doc_id
        return _match(self.embeddings[a], self.embeddings[b], runner_ups)

    def pair(self, i: int, j: int, bar: float) -> PairEvidence:
        """Evidence for any pair (candidate or not), computed once."""
        key = (min(i, j), max(i, j), bar)
        if key not in self._cache:
            self._cache[key] = self.evidence(key[0], key[1], self.match(key[0], key[1], False)[0], bar)
        return self._cache[key]

    def evidence(self, i: int, j: int, sims: np.ndarray, bar: float) -> PairEvidence:
        a, b = self.documents[i], self.documents[j]
        shared = len(self.numbers[i] & self.numbers[j])
        total = min(len(self.numbers[i]), len(self.numbers[j]))
        la, lb = self.lengths[i], self.lengths[j]
        if not la or not lb:
            la, lb = len(a.sentences), len(b.sentences)
        ratio = min(la, lb) / max(la, lb) if max(la, lb) else 0.0
        matches = int((sims >= bar).sum())
        total_sentences = len(a.sentences) + len(b.sentences)
        coverage = 2.0 * matches / total_sentences if total_sentences else 0.0
        score = pair_score(coverage, shared, total, ratio)
        if self.short_articles:
            shorter = min(len(a.sentences), len(b.sentences))
            score = max(score, contained_score(matches, shorter, shared, total))
        return PairEvidence(
            a.doc_id,
            b.doc_id,
            matches,
            len(a.sentences),
            len(b.sentences),
            shared,
            total,
            round(ratio, 6),
            round(score, 6),
            bar,
        )


def _null_pairs(
    langs: Sequence[str], ids: Sequence[str], has_vector: Sequence[bool], candidates: set[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Each document paired with a pseudo-random other-language document that is not a candidate.

    The partner is drawn by hashing the id, so the null does not depend on input order; a document
    whose draws all hit candidates (a tiny pile) simply gets no null partner.
    """
    by_lang: dict[str, list[int]] = {}
    for row in range(len(ids)):
        if has_vector[row]:
            by_lang.setdefault(langs[row], []).append(row)
    pairs: set[tuple[int, int]] = set()
    for lang, rows in by_lang.items():
        others = [row for other in sorted(by_lang) if other != lang for row in by_lang[other]]
        if not others:
            continue
        for i in rows:
            for attempt in range(16):
                j = others[_hash_pick(ids[i], attempt, len(others))]
                pair = (min(i, j), max(i, j))
                if pair not in candidates:
                    pairs.add(pair)
                    break
    return sorted(pairs)


def _hash_pick(key: str, attempt: int, size: int) -> int:
    digest = hashlib.blake2b(f"{key}\0{attempt}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") % size


def _second_best(scored: Sequence[PairEvidence], langs: Mapping[str, str]) -> list[float]:
    """Each document's second-best candidate score in each other language: near misses, not translations.

    (With one document per language a document has at most one translation in a language, so the
    second best is the closest non-translation the pile holds: a same-topic article more often than not.)
    """
    ranked: dict[tuple[str, str], list[float]] = {}
    for ev in scored:
        ranked.setdefault((ev.a, langs[ev.b]), []).append(ev.score)
        ranked.setdefault((ev.b, langs[ev.a]), []).append(ev.score)
    return [sorted(scores)[-2] for scores in ranked.values() if len(scores) > 1]


def _calibrate_bars(
    runner_ups: Mapping[str, list[np.ndarray]], config: StoryConfig
) -> tuple[float, dict[str, float], str]:
    """The similarity a mutual-nearest sentence pair needs: above most runner-up similarities.

    Each language pair gets its own bar when it has enough runner-ups (a model places some pairs,
    Urdu-Russian say, lower on its similarity scale than others); the rest share the pooled bar.
    """
    if config.sentence_bar is not None:
        return config.sentence_bar, {}, "set"
    pooled = np.concatenate([r for key in sorted(runner_ups) for r in runner_ups[key]] or [np.zeros(0)])
    if len(pooled) < MIN_NULL:
        return FALLBACK_BAR, {}, f"too few sentences to calibrate ({len(pooled)} runner-ups): default"

    def bar(values: np.ndarray) -> float:
        return round(max(float(np.quantile(values, config.bar_quantile)), config.min_sentence_bar), 6)

    pair_bars = {}
    for key in sorted(runner_ups):
        values = np.concatenate(runner_ups[key])
        if len(values) >= MIN_PAIR_RUNNER_UPS:
            pair_bars[key] = bar(values)
    how = f"q{config.bar_quantile:g} of the runner-up sentence similarities ({len(pooled)})"
    if pair_bars:
        how += " per language pair: " + ", ".join(f"{k} {v:.2f}" for k, v in pair_bars.items())
    return bar(pooled), pair_bars, how


def _calibrate_threshold(
    candidate_scores: Sequence[float], null_scores: Sequence[float], config: StoryConfig
) -> tuple[float, str]:
    """The score a pair needs to join, placed in the gap between the pile's two populations.

    The candidates' scores, pooled with the null's (near misses and unrelated pairs, so the lower
    group exists even when nearly every candidate is a translation), fall into translations (most
    sentences matched) and the rest; the two-means split (Ridler-Calvard) puts the threshold midway
    between their means, never below the upper tail of the null. With too small a null, or no upper
    group (its mean under FALLBACK_THRESHOLD), the default applies: a join must match most sentences.
    """
    if config.join_threshold is not None:
        return config.join_threshold, "set"
    if len(null_scores) < MIN_NULL:
        return FALLBACK_THRESHOLD, f"too few documents to calibrate ({len(null_scores)} null pairs): default"
    pooled = np.asarray([*candidate_scores, *null_scores], dtype=np.float64)
    split = _two_means(pooled)
    if split is None or split[2] < FALLBACK_THRESHOLD:
        return FALLBACK_THRESHOLD, f"no group of translations in {len(candidate_scores)} candidates: default"
    threshold, low, high = split
    noise = min(float(np.quantile(np.asarray(null_scores), config.null_quantile)), FALLBACK_THRESHOLD)
    how = (
        f"two-means split of {len(candidate_scores)} candidate and {len(null_scores)} null scores "
        f"(means {low:.2f} / {high:.2f}), floor q{config.null_quantile:g} of the null {noise:.3f}"
    )
    return max(threshold, noise, MIN_THRESHOLD), how


def _two_means(values: np.ndarray) -> tuple[float, float, float] | None:
    """Ridler-Calvard (isodata) threshold of a 1-D sample and its two class means (None: no two groups)."""
    if len(values) < MIN_CANDIDATES or float(values.max()) == float(values.min()):
        return None
    threshold = float(values.mean())
    for _ in range(100):
        low, high = values[values <= threshold], values[values > threshold]
        moved = (float(low.mean()) + float(high.mean())) / 2
        if abs(moved - threshold) < 1e-9:
            break
        threshold = moved
    return threshold, float(low.mean()), float(high.mean())


# ---------------------------------------------------------------------------------------------------
# Clustering


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
    not chain two different stories through one shared document.
    """
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
        if len(members[ra]) + len(members[rb]) > 2:
            cross = [
                scorer.pair(i, j, calibration.bar_for(langs[i], langs[j])).score
                for i in members[ra]
                for j in members[rb]
            ]
            if sum(cross) / len(cross) < calibration.join_threshold:
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
