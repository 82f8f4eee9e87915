"""First look: which documents need every sentence encoded before stories are formed.

In a crawl most articles have no translation in the pile, and encoding a sentence is the run's main
cost. The first look reads what is cheap about every document and encodes only its lead:

1. the lead: its first sentences (the headline and the opening sentence, a dateline or a short
   kicker line does not count towards the lead's length), encoded;
2. its keys, read without the model: its numbers (``aligner.numbers.signature``, so ``2,8 млрд`` and
   ``2.8bn`` are one key), its dates, its URLs and e-mail addresses, and the names it writes in
   Latin script inside another script (``NTM``, ``iPhone``), or as acronyms in a Latin-script text.

Two documents in different languages are candidates when a lead sentence of one is among the ``k``
nearest lead sentences of the other's language to a lead sentence of the other with a similarity of
at least ``lead_bar`` (a translation translates its headline and lead), or when they share at least
``min_shared_keys`` keys that make up at least ``min_key_share`` of the larger key set (a translation
whose lead was rewritten still carries the same numbers and names).

A candidate is dropped when even with every sentence matched the stories stage's score (its length
ratio and share of numbers, which need no model) could not reach ``min_possible_score``; then, a second
look: the first few sentences of both documents are encoded, and a candidate whose openings do not match
sentence for sentence is dropped too (reports of one event by two outlets share a headline and numbers,
rarely their opening sentences).

Only documents with a candidate are encoded in full and go to the stories stage, which scores the
candidate pairs and calibrates on them (and on a null among their documents): a document with no
candidate is a story of its own. So the stories do not depend on the vectors of the documents left at
their lead, and a run that encodes everything (``--encode-all``: the stories stage also scores the pairs
its search by document vector finds) writes the same stories, units and findings unless the first
look missed a pair the stories stage accepts; the pairs the search finds pass the second look's test
too (BENCHMARKS.md, pile by pile: none on the seeds, NTREX, its decoys and crawl-like piles).

The lead search (one task a language and block of queries) and the second look's comparisons run in an
engine's tasks that read the vectors from the run's store when it is shared (the Ray engine's), so the
driver holds no lead vectors either: only the mean lead vector of each document in play.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np

from aligner.embedding.store import RunStore, VectorStore, reading_map
from aligner.languages.scripts import content_length
from aligner.stories.calibration import Calibration
from aligner.stories.cluster import Proposed, StoryResult, cluster_stories_detailed
from aligner.stories.config import StoryConfig
from aligner.stories.evidence import OpeningTest, contained_score, pair_score
from aligner.stories.evidence import document_numbers as numbers  # as the stories stage reads them
from aligner.stories.search import _index
from aligner.types import Document, Mapper, Story, serial_map

DEFAULT_STORIES = StoryConfig()
Embed = Callable[[Sequence[str]], np.ndarray]  # texts -> one unit vector per text (the Embedder's embed)


@dataclass(frozen=True)
class FirstLookConfig:
    """Settings of the first look; every field has a default (the manifest records them all)."""

    lead_chars: int = 120  # the lead runs until it holds this much text (content_length, headline included)
    lead_max_sentences: int = 3  # ... but never more sentences than this
    short_sentence: int = 40  # a sentence shorter than this (a dateline, a kicker) does not fill the lead
    k: int = 3  # nearest lead sentences per other language searched for each lead sentence
    # Similarity two lead sentences need to make their documents candidates: the stories stage's default
    # sentence bar. (0.6 left 4 of the 615 NTREX documents out: Urdu leads score lower with this model.)
    lead_bar: float = 0.5
    min_shared_keys: int = 3  # keys two documents must share to be candidates on their keys alone
    min_key_share: float = 0.5  # ... and the share of the larger key set they must make up
    max_key_documents: int = 50  # a key held by more documents than this is too common to pair on
    # A candidate whose best possible stories score (every sentence matched, at the pair's length ratio
    # and share of numbers) is under this is no translation: the stories stage's calibrated join
    # threshold has sat between 0.41 and 0.51 on every pile measured, and its default is 0.5.
    min_possible_score: float = 0.4
    # The second look: a candidate's first ``opening_sentences`` sentences, both sides, encoded; it stays a
    # candidate when at least ``min_opening_matches`` of them (fewer when the shorter opening is shorter:
    # all but one) are each other's nearest at ``opening_bar`` or more. Reports of one event by two outlets
    # share a lead and numbers, not their openings' sentences; a translation does (BENCHMARKS.md).
    opening_sentences: int = 6  # 0: no second look
    opening_bar: float = 0.4  # under every sentence bar the stories stage has calibrated (0.41-0.62)
    min_opening_matches: int = 3


@dataclass(frozen=True, slots=True)
class Candidate:
    """Two documents the first look could not tell apart from translations, and why."""

    a: str
    b: str
    lead_similarity: float  # best similarity of two of their lead sentences (0 when not searched)
    shared_keys: int
    keys_a: int
    keys_b: int
    possible_score: float  # the stories score the pair would get with every sentence matched
    opening_matches: int = -1  # mutual-nearest pairs of their openings at the opening bar (-1: not looked)


@dataclass(frozen=True)
class FirstLook:
    """What the first look decided: the documents to encode in full, and the evidence."""

    full: frozenset[str]  # ids of the documents that have a candidate: encoded in full
    candidates: tuple[Candidate, ...]
    lead_sentences: int  # distinct lead sentences encoded for the look
    # Each document's mean lead vector (a 1 x dim array; none for a document without a lead): the stories
    # stage searches the documents in play by it, whatever else was encoded (``cluster.Proposed``).
    lead_means: dict[str, np.ndarray] = field(default_factory=dict, compare=False)
    # Documents whose opening was encoded for the second look (those of every candidate before it).
    opened: frozenset[str] = frozenset()
    # The numbers of each document in play, as the stories stage reads them: read once.
    numbers: dict[str, frozenset[float]] = field(default_factory=dict, compare=False)
    opening: OpeningTest | None = None  # the second look's test (None: it was off)


# ---------------------------------------------------------------------------------------------------
# Reading without the model


def lead(document: Document, config: FirstLookConfig = FirstLookConfig()) -> tuple[str, ...]:
    """The headline and the opening sentence(s): the first sentences until ``lead_chars`` of text."""
    taken: list[str] = []
    filled = 0
    for sentence in document.sentences[: config.lead_max_sentences]:
        taken.append(sentence)
        length = content_length(sentence)
        if length >= config.short_sentence:
            filled += length
        if filled >= config.lead_chars:
            break
    return tuple(taken)


_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_DAY_FIRST_DATE = re.compile(r"(?<!\d)(\d{1,2})[./](\d{1,2})[./](\d{4})(?!\d)")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'’][A-Za-z0-9]+)*")
_LETTER = re.compile(r"[^\W\d_]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
SMALL_NUMBER = 10  # whole numbers under this are in nearly every text (and often spelled out): no evidence


def possible_score(
    a: Document, b: Document, numbers_a: frozenset[float], numbers_b: frozenset[float]
) -> float:
    """The stories stage's pair score with every sentence of the shorter document matched: its upper bound.

    Coverage cannot exceed 2 min(m, n) / (m + n); length ratio and shared numbers are what the stories
    stage computes, from the text alone. A short article inside a longer translation can score by the
    share of the shorter matched (``contained_score``), which is then 1.
    """
    count_a, count_b = a.sentence_count, b.sentence_count
    length_a = sum(content_length(s) for s in a.sentences)
    length_b = sum(content_length(s) for s in b.sentences)
    if not length_a or not length_b:
        length_a, length_b = count_a, count_b
    ratio = min(length_a, length_b) / max(length_a, length_b) if max(length_a, length_b) else 0.0
    total = count_a + count_b
    shorter = min(count_a, count_b)
    coverage = 2.0 * shorter / total if total else 0.0
    compared = min(len(numbers_a), len(numbers_b))
    shared = len(numbers_a & numbers_b)
    best = max(
        pair_score(coverage, shared, compared, ratio), contained_score(shorter, shorter, shared, compared)
    )
    return round(best, 6)


def keys(document: Document, values: frozenset[float] | None = None) -> frozenset[str]:
    """Numbers, dates, URLs and Latin-script names of a document: what survives translation as written."""
    text = "\n".join(document.sentences)
    found: set[str] = set()
    for value in numbers(document) if values is None else values:
        if not (value == int(value) and abs(value) < SMALL_NUMBER):
            found.add(f"n:{value:g}")
    for match in _URL.finditer(text):
        found.add("u:" + match.group(0).rstrip(".,;:").lower())
    for year, month, day in _ISO_DATE.findall(text):
        found.add(f"d:{int(year)}-{int(month):02d}-{int(day):02d}")
    for day, month, year in _DAY_FIRST_DATE.findall(text):
        found.add(f"d:{int(year)}-{int(month):02d}-{int(day):02d}")
    letters = _LETTER.findall(text)
    latin_text = bool(letters) and 2 * len(_LATIN_LETTER.findall(text)) > len(letters)
    for word in _LATIN_WORD.findall(_URL.sub(" ", text)):
        # In another script every Latin word is a name kept as written; in a Latin-script text only
        # acronyms and brand spellings (two capitals, or a capital inside) stand out from the words.
        capitals = sum(c.isupper() for c in word)
        if (
            (not latin_text and len(word) > 1 and capitals)
            or capitals >= 2
            or (capitals and word[0].islower())
        ):
            found.add("w:" + word.lower())
    return frozenset(found)


# ---------------------------------------------------------------------------------------------------
# Candidates


LEAD_QUERIES = 16_384  # lead sentences searched per task: the same split on every engine, so the same hits


def lead_candidates(
    documents: Sequence[Document],
    leads: Sequence[Sequence[str]],
    store: RunStore,
    config: FirstLookConfig,
    same_language: bool = False,
    mapper: Mapper | None = None,
) -> dict[tuple[int, int], float]:
    """Row pairs (i < j) with two lead sentences among each other's ``k`` nearest at ``lead_bar`` or more.

    Returns the best such similarity per pair. ``same_language``: documents of one language may be
    candidates too (when a story may hold several translations into one language). The lead sentences'
    vectors are in ``store``; the search runs in ``mapper``'s tasks (one a language and block of
    queries) when they can read the store themselves, else here.
    """
    langs = np.array([d.lang for d in documents])
    owner = np.array([row for row, sentences in enumerate(leads) for _ in sentences], dtype=np.int64)
    if not len(owner):
        return {}
    texts = [sentence for sentences in leads for sentence in sentences]
    sentence_lang = langs[owner]
    searches: list[tuple[np.ndarray, np.ndarray]] = []  # (targets, queries) as sentence positions
    for lang in sorted(set(langs.tolist())):
        targets = np.flatnonzero(sentence_lang == lang)
        queries = np.flatnonzero(sentence_lang != lang) if not same_language else np.arange(len(owner))
        for start in range(0, len(queries) if len(targets) else 0, LEAD_QUERIES):
            searches.append((targets, queries[start : start + LEAD_QUERIES]))
    wanted = config.k + (1 if same_language else 0)
    # Each search names its sentences by position; the texts go to the tasks once, with the store.
    items = [(targets, queries, wanted) for targets, queries in searches]
    run = reading_map(mapper, store)
    found: dict[tuple[int, int], float] = {}
    searched = run(nearest_leads, items, (store, tuple(texts)))
    for (targets, queries), (sims, hits) in zip(searches, searched, strict=True):
        for query, row_sims, row_hits in zip(queries.tolist(), sims.tolist(), hits.tolist(), strict=True):
            for sim, hit in zip(row_sims, row_hits, strict=True):
                if hit < 0 or sim < config.lead_bar:
                    continue
                i, j = int(owner[query]), int(owner[targets[hit]])
                if i == j:
                    continue
                pair = (min(i, j), max(i, j))
                found[pair] = max(found.get(pair, 0.0), round(float(sim), 6))
    return found


def nearest_leads(
    item: tuple[np.ndarray, np.ndarray, int], common: tuple[RunStore, Sequence[str]]
) -> tuple[np.ndarray, np.ndarray]:
    """Similarities and positions of each query's ``wanted`` nearest targets (an engine's task); targets
    and queries are positions in the lead sentences ``common`` carries beside the store."""
    targets, queries, wanted = item
    store, texts = common
    target_vectors = store.get([texts[t] for t in targets.tolist()])
    index = _index(np.ascontiguousarray(target_vectors, dtype=np.float32), StoryConfig())
    query_vectors = np.ascontiguousarray(store.get([texts[q] for q in queries.tolist()]), dtype=np.float32)
    return index.search(query_vectors, min(len(targets), wanted))


def key_candidates(
    documents: Sequence[Document],
    document_keys: Sequence[np.ndarray],
    config: FirstLookConfig,
    same_language: bool = False,
) -> dict[tuple[int, int], int]:
    """Row pairs (i < j) that share enough keys: ``min_shared_keys`` and ``min_key_share`` of the larger set.

    ``document_keys``: each document's ``key_digests``. Pairs are found through the keys held by at most
    ``max_key_documents`` documents (an inverted index, sorted in one array: the cost follows the pairs
    that share something rare, not the square of the pile, and no key is a Python object of its own).
    """
    sizes = np.array([len(found) for found in document_keys], dtype=np.int64)
    if not sizes.sum():
        return {}
    keys = np.concatenate([np.asarray(found, dtype=np.uint64) for found in document_keys])
    holders = np.repeat(np.arange(len(document_keys), dtype=np.int64), sizes)
    order = np.lexsort((holders, keys))
    keys, holders = keys[order], holders[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    counts = np.diff(np.r_[starts, len(keys)])
    common = (counts >= 2) & (counts <= config.max_key_documents)
    langs = [document.lang for document in documents]
    seen: set[tuple[int, int]] = set()
    for start, count in zip(starts[common].tolist(), counts[common].tolist(), strict=True):
        rows = holders[start : start + count].tolist()  # ascending: i < j below
        for n, i in enumerate(rows):
            for j in rows[n + 1 :]:
                if same_language or langs[i] != langs[j]:
                    seen.add((i, j))
    pairs = {}
    for i, j in seen:
        shared = shared_keys(document_keys[i], document_keys[j])
        larger = max(len(document_keys[i]), len(document_keys[j]))
        if shared >= config.min_shared_keys and shared >= config.min_key_share * larger:
            pairs[(i, j)] = shared
    return pairs


def key_digests(found: Iterable[str]) -> np.ndarray:
    """Keys as sorted 8-byte digests: a pile's keys held in arrays, not as strings in sets (two keys that
    met in 64 bits would count as one shared key; at 10 million documents that is about one pair's count)."""
    digests = {
        int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")
        for key in found
    }
    return np.array(sorted(digests), dtype=np.uint64)


def shared_keys(a: np.ndarray, b: np.ndarray) -> int:
    """How many keys two documents' ``key_digests`` share."""
    return len(np.intersect1d(a, b, assume_unique=True))


def numbers_and_keys(document: Document) -> tuple[np.ndarray, np.ndarray]:
    """What the first look reads of a document without the model (a task of any engine's map): its
    numbers (as ``numbers`` reads them, in an array) and its ``key_digests``."""
    values = numbers(document)
    return np.array(sorted(values), dtype=np.float64), key_digests(keys(document, values))


def number_set(values: np.ndarray) -> frozenset[float]:
    """A document's numbers as the stories stage reads them, from ``numbers_and_keys``."""
    return frozenset(values.tolist())


class Vectors(Protocol):
    """What the first look encodes with: ``prepare`` puts texts' vectors in ``store`` (an ``Embedder``)."""

    store: RunStore

    def prepare(self, texts: Sequence[str], batch: int = ..., label: str = ...) -> None: ...


class EmbedInto:
    """``Vectors`` from a plain ``Embed`` function, kept in memory (for callers without an ``Embedder``)."""

    def __init__(self, embed: Embed) -> None:
        self.embed = embed
        self.store: RunStore = VectorStore()

    def prepare(self, texts: Sequence[str], batch: int = 0, label: str = "") -> None:
        missing = self.store.missing(texts)
        if missing:
            self.store.add(missing, np.asarray(self.embed(missing), dtype=np.float32))


def first_look(
    documents: Sequence[Document],
    embed: Vectors | Embed,
    config: FirstLookConfig = FirstLookConfig(),
    same_language: bool = False,
    mapper: Mapper | None = None,
) -> FirstLook:
    """The documents to encode in full: those with a candidate partner (see the module docstring).

    ``embed`` encodes texts (an ``Embedder``, or a function such as its ``embed``); only lead sentences and
    the openings of candidates are passed to it. ``mapper``: an engine's ordered map, which reads every
    document's numbers and keys, and searches the leads and compares the openings in tasks that read the
    vectors from the embedder's store when they can (default: here). The result does not depend on the
    order of ``documents``.
    """
    vectors = embed if hasattr(embed, "prepare") else EmbedInto(embed)  # type: ignore[arg-type]
    ordered = sorted(documents, key=lambda d: d.doc_id)
    leads = [lead(d, config) for d in ordered]
    distinct = list(dict.fromkeys(s for sentences in leads for s in sentences))
    vectors.prepare(distinct, label="encoding leads")
    by_lead = lead_candidates(ordered, leads, vectors.store, config, same_language, mapper)
    read = (mapper or serial_map)(numbers_and_keys, ordered)
    document_numbers = [values for values, _ in read]
    document_keys = [found for _, found in read]
    by_keys = key_candidates(ordered, document_keys, config, same_language)
    candidates = []
    for i, j in sorted(set(by_lead) | set(by_keys)):
        numbers_i, numbers_j = number_set(document_numbers[i]), number_set(document_numbers[j])
        best = possible_score(ordered[i], ordered[j], numbers_i, numbers_j)
        if best < config.min_possible_score:
            continue
        candidates.append(
            Candidate(
                ordered[i].doc_id,
                ordered[j].doc_id,
                by_lead.get((i, j), 0.0),
                shared_keys(document_keys[i], document_keys[j]),
                len(document_keys[i]),
                len(document_keys[j]),
                best,
            )
        )
    opened = frozenset(doc_id for c in candidates for doc_id in (c.a, c.b))
    # Only the documents with a candidate need their leads and numbers from here on: the rest of a
    # crawl's are let go before the second look.
    lead_of = {d.doc_id: lead for d, lead in zip(ordered, leads, strict=True) if lead and d.doc_id in opened}
    numbers_of = {d.doc_id: v for d, v in zip(ordered, document_numbers, strict=True) if d.doc_id in opened}
    lead_sentences = len(distinct)
    del leads, distinct, read, document_numbers, document_keys, by_lead, by_keys
    candidates = second_look(candidates, {d.doc_id: d for d in ordered}, vectors, config, mapper)
    full = frozenset(doc_id for c in candidates for doc_id in (c.a, c.b))
    # Mean lead vectors of the documents in play only: the stories stage searches those by them.
    means = {
        doc_id: vectors.store.get(list(sentences)).mean(axis=0, keepdims=True)
        for doc_id, sentences in lead_of.items()
        if doc_id in full
    }
    in_full = {doc_id: number_set(values) for doc_id, values in numbers_of.items() if doc_id in full}
    return FirstLook(
        full,
        tuple(candidates),
        lead_sentences,
        means,
        opened if config.opening_sentences else full,
        in_full,
        opening_test(config),
    )


def opening(document: Document, config: FirstLookConfig) -> tuple[str, ...]:
    return tuple(document.sentences[: config.opening_sentences])


def second_look(
    candidates: Sequence[Candidate],
    documents: Mapping[str, Document],
    vectors: Vectors,
    config: FirstLookConfig,
    mapper: Mapper | None = None,
) -> list[Candidate]:
    """The candidates whose openings match (see ``FirstLookConfig.opening_sentences``), each with its count.

    Only the openings of candidates are encoded: a few sentences a document, which the stories stage
    needs anyway when the document stays in play. Compared in ``mapper``'s tasks when they can read the
    store, else here.
    """
    test = opening_test(config)
    if test is None or not candidates:
        return list(candidates)
    opened = sorted({doc_id for c in candidates for doc_id in (c.a, c.b)})
    openings = {doc_id: opening(documents[doc_id], config) for doc_id in opened}  # each read once
    texts = list(dict.fromkeys(s for doc_id in opened for s in openings[doc_id]))
    vectors.prepare(texts)
    # Each comparison names its sentences by position: a document in many candidate pairs is sent once.
    position = {text: row for row, text in enumerate(texts)}
    items = [
        (_positions(openings[c.a], position), _positions(openings[c.b], position), test) for c in candidates
    ]
    del openings, position
    run = reading_map(mapper, vectors.store)
    kept = []
    for candidate, (matches, needed) in zip(
        candidates, run(openings_match, items, (vectors.store, tuple(texts))), strict=True
    ):
        if matches >= needed:
            kept.append(replace(candidate, opening_matches=matches))
    return kept


def _positions(sentences: Sequence[str], position: Mapping[str, int]) -> np.ndarray:
    return np.array([position[sentence] for sentence in sentences], dtype=np.int64)


def openings_match(
    item: tuple[np.ndarray, np.ndarray, OpeningTest], common: tuple[RunStore, Sequence[str]]
) -> tuple[int, int]:
    """Matching pairs of two openings, and how many the test needs (an engine's task); the openings are
    positions in the texts ``common`` carries beside the store."""
    first, second, test = item
    store, texts = common
    a = store.get([texts[row] for row in first.tolist()])
    b = store.get([texts[row] for row in second.tolist()])
    return test.matches(a, b), test.needed(a, b)


def opening_test(config: FirstLookConfig) -> OpeningTest | None:
    """The second look's test, or None when it is off."""
    if not config.opening_sentences:
        return None
    return OpeningTest(config.opening_sentences, config.opening_bar, config.min_opening_matches)


# ---------------------------------------------------------------------------------------------------
# Stories from the documents in play


def in_play(documents: Iterable[Document], look: FirstLook | None) -> list[Document]:
    """The documents the stories stage sees: every one without a first look, else those with a candidate."""
    return [d for d in documents if look is None or d.doc_id in look.full]


def stories_after_first_look(
    documents: Sequence[Document],
    embeddings,
    config: StoryConfig = DEFAULT_STORIES,
    look: FirstLook | None = None,
    mapper: Mapper | None = None,
    encode_all: bool = False,
) -> StoryResult:
    """The stories stage on the first look's pairs; a document with no candidate is a story of its own.

    The stories stage scores the first look's candidate pairs and calibrates on them and on a null
    among their documents (``cluster.Proposed``), so its bars and threshold do not depend on what was
    encoded. ``encode_all``: every document has its vectors, and the pairs its search by document
    vector finds are scored too; the output differs only where the first look missed a pair the
    stories stage would have accepted. Without ``look``: the stories stage alone on the whole pile.
    Story ids are given over the whole pile (s1, s2, ... by each story's smallest document id), as
    the stories stage gives them.
    """
    if look is None:
        return cluster_stories_detailed(documents, embeddings, config, mapper)
    pairs = frozenset((c.a, c.b) for c in look.candidates)
    proposed = Proposed(pairs, look.lead_means, encode_all, look.numbers, look.opening)
    if encode_all:
        return cluster_stories_detailed(documents, embeddings, config, mapper, proposed)
    playing = in_play(documents, look)
    if playing:
        result = cluster_stories_detailed(playing, embeddings, config, mapper, proposed)
    else:
        empty = Calibration(0.0, 0.0, 0, 0, "no document has a candidate: nothing to calibrate")
        result = StoryResult([], [], empty, {})
    alone = [
        Story(story_id="", docs=(d.doc_id,), languages=(d.lang,), score=1.0)
        for d in documents
        if d.doc_id not in look.full
    ]
    merged = sorted([*result.stories, *alone], key=lambda story: story.docs)
    stories = [replace(story, story_id=f"s{number}") for number, story in enumerate(merged, start=1)]
    return StoryResult(stories, result.pairs, result.calibration, result.seconds)


def sentences_needed(documents: Iterable[Document], look: FirstLook | None, config: FirstLookConfig) -> int:
    """Distinct sentences the embed and stories stages need vectors for: leads, and documents in play."""

    def needed(document: Document) -> Iterable[str]:
        if look is None or document.doc_id in look.full:
            return document.sentences
        if document.doc_id in look.opened:
            return dict.fromkeys([*lead(document, config), *opening(document, config)])
        return lead(document, config)

    return count_distinct(text for document in documents for text in needed(document))


def count_distinct(texts: Iterable[str]) -> int:
    """How many distinct texts, counted by a 16-byte digest each: a pile's texts are never held at once."""
    digests = bytearray()
    for text in texts:
        digests += hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return len(np.unique(np.frombuffer(bytes(digests), dtype="V16"))) if digests else 0
