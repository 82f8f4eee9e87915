"""Evidence: a candidate pair scored from its mutual-nearest sentences, shared numbers and length ratio."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from aligner.embedding.store import RunStore, reading_map
from aligner.languages.scripts import content_length
from aligner.numbers import signature
from aligner.types import Document, Mapper

_NONE = np.zeros(0, dtype=np.float32)  # runner-ups not kept
PAIRS_PER_MAP = 4096  # document pairs whose sentences go to an engine's tasks in one map


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
class Mutual:
    """Two documents' sentence pairs that are each other's nearest neighbour: rows of the first, columns
    of the second and their similarities; and, when asked for, every sentence's runner-up similarity
    (its second best match in the other document: not a translation, but as close in topic as the
    document offers, the pile's own null)."""

    rows: np.ndarray
    columns: np.ndarray
    sims: np.ndarray
    runner_ups: np.ndarray

    def matched(self, bar: float, first: bool = True) -> np.ndarray:
        """Positions in the first document (else the second) of the pairs at ``bar`` or more."""
        return (self.rows if first else self.columns)[self.sims >= bar]


def mutual_pairs(a: np.ndarray, b: np.ndarray, runner_ups: bool = True) -> Mutual:
    """``Mutual`` of two documents' sentence vectors."""
    empty = np.zeros(0, dtype=np.float32)
    if not len(a) or not len(b):
        nothing = np.zeros(0, dtype=np.int64)
        return Mutual(nothing, nothing, empty, empty)
    sims = a @ b.T
    rows, columns = mutual_nearest(sims)
    runner_up = [empty]
    if runner_ups and sims.shape[1] > 1:
        runner_up.append(np.partition(sims, -2, axis=1)[:, -2])
    if runner_ups and sims.shape[0] > 1:
        runner_up.append(np.partition(sims, -2, axis=0)[-2, :])
    return Mutual(rows, columns, sims[rows, columns], np.concatenate(runner_up))


def mutual_task(item: tuple[int, int, bool], common: tuple[RunStore, Mapping[int, Sequence[str]]]) -> Mutual:
    """``mutual_pairs`` of two documents given by their rows in the sentences ``common`` carries beside the
    store, their vectors read from the store (an engine's task)."""
    a, b, runner_ups = item
    store, sentences = common
    return mutual_pairs(store.get(list(sentences[a])), store.get(list(sentences[b])), runner_ups)


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """What a pair's evidence needs of a document besides its vectors."""

    doc_id: str
    sentences: int
    length: int  # content_length of its text
    numbers: frozenset[float]


def pair_evidence(
    a: DocumentFacts, b: DocumentFacts, sims: np.ndarray, bar: float, short_articles: bool
) -> PairEvidence:
    """The evidence of two documents from their mutual-nearest similarities ``sims``, at ``bar``."""
    shared = len(a.numbers & b.numbers)
    total = min(len(a.numbers), len(b.numbers))
    la, lb = a.length, b.length
    if not la or not lb:
        la, lb = a.sentences, b.sentences
    ratio = min(la, lb) / max(la, lb) if max(la, lb) else 0.0
    matches = int((sims >= bar).sum())
    total_sentences = a.sentences + b.sentences
    coverage = 2.0 * matches / total_sentences if total_sentences else 0.0
    score = pair_score(coverage, shared, total, ratio)
    if short_articles:
        shorter = min(a.sentences, b.sentences)
        score = max(score, contained_score(matches, shorter, shared, total))
    return PairEvidence(
        a.doc_id,
        b.doc_id,
        matches,
        a.sentences,
        b.sentences,
        shared,
        total,
        round(ratio, 6),
        round(score, 6),
        bar,
    )


def evidence_task(
    item: tuple[int, int, float],
    common: tuple[RunStore, Mapping[int, Sequence[str]], Mapping[int, DocumentFacts], bool],
) -> PairEvidence:
    """``pair_evidence`` of two documents given by their rows, at a bar (an engine's task): only the
    evidence comes back, not the similarities."""
    i, j, bar = item
    store, sentences, facts, short_articles = common
    sims = mutual_pairs(store.get(list(sentences[i])), store.get(list(sentences[j])), False).sims
    return pair_evidence(facts[i], facts[j], sims, bar, short_articles)


def mutual_neighbours(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Similarities of the sentence pairs that are each other's nearest neighbour across a and b."""
    return mutual_pairs(a, b, False).sims


def mutual_nearest(sims: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rows, columns) of the cells of a non-empty similarity matrix that are the best of both their row
    and their column: the sentence pairs that are each other's nearest neighbour."""
    best_in_b = sims.argmax(axis=1)
    rows = np.flatnonzero(sims.argmax(axis=0)[best_in_b] == np.arange(len(sims)))
    return rows, best_in_b[rows]


def matched_rows(a: np.ndarray, b: np.ndarray, bar: float) -> np.ndarray:
    """Rows of ``a`` whose mutual nearest neighbour in ``b`` is at ``bar`` or more (the matches counted)."""
    return mutual_pairs(a, b, runner_ups=False).matched(bar)


@dataclass(frozen=True)
class OpeningTest:
    """Two documents' first ``sentences`` sentences must match: at least ``min_matches`` pairs (all but one
    when the shorter opening is shorter) each other's nearest at ``bar`` or more (the first look's
    second look; the stories stage applies it to the pairs its search finds too)."""

    sentences: int
    bar: float
    min_matches: int

    def matches(self, a: np.ndarray, b: np.ndarray) -> int:
        """Matching pairs of two openings' vectors (each at most ``sentences`` rows)."""
        return len(matched_rows(a, b, self.bar))

    def needed(self, a: np.ndarray, b: np.ndarray) -> int:
        return min(self.min_matches, max(1, min(len(a), len(b)) - 1))

    def passes(self, a: np.ndarray, b: np.ndarray) -> bool:
        return self.matches(a, b) >= self.needed(a, b)


def document_numbers(document: Document) -> frozenset[float]:
    """Every number value of a document, read sentence by sentence (the cost stays linear in its length)."""
    return frozenset().union(*(signature(s, document.lang) for s in document.sentences))


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
    ``CONTAINED_WEIGHT``. The share counts one number more on both sides: a short article's one number
    that its longer version writes differently ("весна-літо 2019" for "SS19") or leaves out costs what
    having no numbers costs, not half the score, while numbers that mostly disagree still cost. Lengths
    say nothing here: the longer one is longer by definition. Fewer than ``MIN_CONTAINED`` matches: 0
    (one shared headline does not make a translation)."""
    if matches < MIN_CONTAINED or not shorter:
        return 0.0
    share = min(1.0, matches / shorter)
    numbers = (numbers_shared + 1) / (numbers_compared + 1) if numbers_compared else 0.5
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
    """Per-document data computed once (numbers, lengths), and every pair's ``Mutual`` once: in bulk
    (``compute``: in an engine's tasks that read the vectors from the run's store, when they can) or, for a
    pair not computed yet, here."""

    def __init__(
        self,
        documents: Sequence[Document],
        embeddings: Mapping[str, np.ndarray],
        short_articles: bool = True,
        numbers: Mapping[str, frozenset[float]] | None = None,
        mapper: Mapper | None = None,
    ) -> None:
        """``numbers``: documents' numbers read before (by the first look); the others are read here.
        ``embeddings``: sentence vectors by document id; when it names a ``store`` that tasks can read
        (``aligner.embedding.store.shareable``), ``mapper`` computes in tasks that read it."""
        self.documents = documents
        self.short_articles = short_articles
        self.embeddings = embeddings
        self.lengths = [_length(d) for d in documents]
        self.counts = [d.sentence_count for d in documents]
        known = numbers or {}
        self.numbers = [known[d.doc_id] if d.doc_id in known else document_numbers(d) for d in documents]
        self._cache: dict[tuple[int, int, float], PairEvidence] = {}
        self._mutual: dict[tuple[int, int], Mutual] = {}  # (i, j), i < j: no runner-ups kept
        self._store: RunStore | None = getattr(embeddings, "store", None)  # the pipeline's vectors name it
        self._map = reading_map(mapper, self._store) if self._store is not None else None

    def compute(self, pairs: Sequence[tuple[int, int]], runner_ups: Sequence[bool] = ()) -> list[Mutual]:
        """``Mutual`` of each pair (i < j), with runner-ups where ``runner_ups`` says so (default: none)."""
        flags = list(runner_ups) or [False] * len(pairs)
        todo = [n for n, pair in enumerate(pairs) if flags[n] or pair not in self._mutual]
        if self._map is not None:  # read from the store: in tasks when they can, else here
            done = []
            for start in range(0, len(todo), PAIRS_PER_MAP):  # the sentences sent at once stay bounded
                chunk = todo[start : start + PAIRS_PER_MAP]
                items = [(pairs[n][0], pairs[n][1], flags[n]) for n in chunk]
                # each document's sentences sent once a map, however many of its pairs are in it
                rows = sorted({row for n in chunk for row in pairs[n]})
                sentences = {row: self._sentences(row) for row in rows}
                done += self._map(mutual_task, items, (self._store, sentences))
        else:  # vectors given by document
            done = [
                mutual_pairs(self._vectors(pairs[n][0]), self._vectors(pairs[n][1]), flags[n]) for n in todo
            ]
        found = dict(zip(todo, done, strict=True))
        for n, mutual in found.items():
            self._mutual[pairs[n]] = Mutual(mutual.rows, mutual.columns, mutual.sims, _NONE)
        return [found[n] if n in found else self._mutual[pair] for n, pair in enumerate(pairs)]

    def evidences(self, pairs: Sequence[tuple[int, int]], bars: Sequence[float]) -> list[PairEvidence]:
        """``evidence`` of each pair (i < j) at its bar, computed anew: in tasks that read the store when
        they can, so only the evidence reaches this process (a crawl's pairs' similarities would not fit)."""
        if self._map is None:  # vectors given by document
            return [
                self.evidence(i, j, mutual_pairs(self._vectors(i), self._vectors(j), False).sims, bar)
                for (i, j), bar in zip(pairs, bars, strict=True)
            ]
        done: list[PairEvidence] = []
        for start in range(0, len(pairs), PAIRS_PER_MAP):
            stop = start + PAIRS_PER_MAP
            chunk = [(i, j, bar) for (i, j), bar in zip(pairs[start:stop], bars[start:stop], strict=True)]
            rows = sorted({row for i, j, _ in chunk for row in (i, j)})
            sentences = {row: self._sentences(row) for row in rows}
            facts = {row: self.facts(row) for row in rows}
            done += self._map(evidence_task, chunk, (self._store, sentences, facts, self.short_articles))
        return done

    def facts(self, row: int) -> DocumentFacts:
        document = self.documents[row]
        return DocumentFacts(document.doc_id, self.counts[row], self.lengths[row], self.numbers[row])

    def mutual(self, i: int, j: int) -> Mutual:
        """``Mutual`` of rows ``i`` < ``j``, computed here unless computed before."""
        if (i, j) not in self._mutual:
            self.compute([(i, j)])
        return self._mutual[(i, j)]

    def _sentences(self, row: int) -> tuple[str, ...]:
        return tuple(self.documents[row].sentences)

    def _vectors(self, row: int) -> np.ndarray:
        return self.embeddings[self.documents[row].doc_id]

    def pair(self, i: int, j: int, bar: float) -> PairEvidence:
        """Evidence for any pair (candidate or not), computed once."""
        key = (min(i, j), max(i, j), bar)
        if key not in self._cache:
            self._cache[key] = self.evidence(key[0], key[1], self.mutual(key[0], key[1]).sims, bar)
        return self._cache[key]

    def matched_sentences(self, i: int, j: int, bar: float) -> frozenset[int]:
        """Sentences of document ``i`` whose mutual nearest neighbour in ``j`` is at ``bar`` or more (the
        matches ``evidence`` counts, by position)."""
        mutual = self.mutual(min(i, j), max(i, j))
        return frozenset(mutual.matched(bar, first=i < j).tolist())

    def part_of_story(self, row: int, story: Sequence[int], bars: Sequence[float]) -> float:
        """``contained_score`` of a document read as a part of a story: the share of its sentences that
        match in at least one of the story's documents (``bars``: the bar of each pair), and of its numbers
        that one of them has. A short article is matched by each translation of the longer version a
        little differently (a sentence may fall under one language pair's bar and not another's), so
        against the story it is read whole; a decoy made of parts of other articles is not, whichever
        translation it is read against. 0 unless it is no longer than each of them."""
        sentences = self.counts[row]
        if not self.short_articles or any(self.counts[m] < sentences for m in story):
            return 0.0
        matched: set[int] = set()
        for member, bar in zip(story, bars, strict=True):
            matched |= self.matched_sentences(row, member, bar)
        numbers = frozenset().union(*(self.numbers[m] for m in story))
        compared = min(len(self.numbers[row]), len(numbers))
        return round(contained_score(len(matched), sentences, len(self.numbers[row] & numbers), compared), 6)

    def evidence(self, i: int, j: int, sims: np.ndarray, bar: float) -> PairEvidence:
        return pair_evidence(self.facts(i), self.facts(j), sims, bar, self.short_articles)
