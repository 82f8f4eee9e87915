"""Candidates: one vector per document, and each document's nearest documents in every other language
(FAISS: exact search, IVF for big piles)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from aligner.stories.config import StoryConfig
from aligner.types import Document, Mapper, serial_map


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
