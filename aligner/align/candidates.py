"""Candidate pairs with FAISS: top-k neighbours, the neighbourhood means of the margin, anchors, band.

Exact inner-product search (IndexFlatIP) for documents of normal size; HNSW when a side has more
sentences than ``approximate_index_above`` (exact search over 50k x 50k would be slow).
"""

from __future__ import annotations

from dataclasses import dataclass

import faiss
import numpy as np

# A search of at most this many query x vector products runs on one thread: the aligner makes thousands of
# small ones, where starting OpenMP threads costs more than it saves, and far more on a busy machine.
# Measured on 20 NTREX stories, warm, load 7-9 on 2 cores: align stage 11.9 s on one thread, 44.6 s on two.
ONE_THREAD_SEARCH = 4_000_000


def build_index(vectors: np.ndarray, approximate_above: int) -> faiss.Index:
    dim = vectors.shape[1]
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if len(vectors) <= approximate_above:
        index = faiss.IndexFlatIP(dim)
        index.add(vectors)
        return index
    index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efSearch = 128
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)  # a parallel HNSW build links the graph in a varying order: not reproducible
    try:
        index.add(vectors)
    finally:
        faiss.omp_set_num_threads(threads)
    return index


def search(index: faiss.Index, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(similarities, ids) of the k nearest; ids are -1 where the index holds fewer than k vectors."""
    k_eff = min(k, index.ntotal)
    if k_eff == 0 or len(queries) == 0:
        return np.zeros((len(queries), 0), np.float32), np.zeros((len(queries), 0), np.int64)
    queries = np.ascontiguousarray(queries, dtype=np.float32)
    if len(queries) * index.ntotal > ONE_THREAD_SEARCH:
        return index.search(queries, k_eff)
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        return index.search(queries, k_eff)
    finally:
        faiss.omp_set_num_threads(threads)


def neighbour_mean(sims: np.ndarray, k: int, background: float) -> np.ndarray:
    """Mean similarity of each query's k nearest neighbours; missing neighbours count as ``background``.

    This is the denominator of ratio-margin mining (Artetxe & Schwenk 2019), used here as a subtrahend.
    """
    found = np.where(np.isfinite(sims), sims, background) if sims.size else sims
    total = found.sum(axis=1) + background * (k - found.shape[1])
    return (total / k).astype(np.float32)


@dataclass(frozen=True)
class Candidates:
    """Top-k candidates both ways with their margin scores (1-1 only)."""

    src_ids: np.ndarray  # (n, k) target ids for each source sentence
    src_margin: np.ndarray  # (n, k) margin scores
    tgt_ids: np.ndarray  # (m, k) source ids for each target sentence
    tgt_margin: np.ndarray  # (m, k)


def mutual_best(cands: Candidates) -> list[tuple[int, int, float]]:
    """Pairs that are each other's best candidate by margin: (i, j, margin)."""
    pairs = []
    if cands.src_ids.shape[1] == 0 or cands.tgt_ids.shape[1] == 0:
        return pairs
    best_tgt = cands.src_ids[np.arange(len(cands.src_ids)), np.argmax(cands.src_margin, axis=1)]
    best_src = cands.tgt_ids[np.arange(len(cands.tgt_ids)), np.argmax(cands.tgt_margin, axis=1)]
    for i, j in enumerate(best_tgt):
        if j >= 0 and best_src[j] == i:
            pairs.append((i, int(j), float(cands.src_margin[i].max())))
    return pairs


def monotone_chain(pairs: list[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """The longest chain of pairs increasing on both sides (patience sorting, O(p log p)).

    Among equally long chains the one found first in source order is kept (deterministic).
    """
    pairs = sorted(pairs)
    tails: list[int] = []  # tails[length-1] = index of the pair ending the best chain of that length
    tail_js: list[int] = []
    back = [-1] * len(pairs)
    for q, (_, j, _) in enumerate(pairs):
        pos = int(np.searchsorted(tail_js, j, side="left"))
        back[q] = tails[pos - 1] if pos > 0 else -1
        if pos == len(tails):
            tails.append(q)
            tail_js.append(j)
        else:
            tails[pos] = q
            tail_js[pos] = j
    chain = []
    q = tails[-1] if tails else -1
    while q >= 0:
        chain.append((pairs[q][0], pairs[q][1]))
        q = back[q]
    return chain[::-1]


def band(anchors: list[tuple[int, int]], n: int, m: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """For each DP row i (0..n) the allowed columns [lo[i], hi[i]] around the anchor chain.

    Between two anchors every column between them (plus ``width``) is allowed, so a long deletion
    between confident anchors stays reachable; the band is connected by construction.
    """
    lo = np.zeros(n + 1, dtype=np.int64)
    hi = np.full(n + 1, m, dtype=np.int64)
    if not anchors:
        return lo, hi
    states = sorted({(i, j) for a, b in anchors for i, j in ((a, b), (a + 1, b + 1))})
    rows = np.array([i for i, _ in states])
    cols = np.array([j for _, j in states])
    for i in range(n + 1):
        before = np.searchsorted(rows, i, side="right") - 1  # last anchor state at a row <= i
        after = np.searchsorted(rows, i, side="left")  # first anchor state at a row >= i
        if before >= 0:
            lo[i] = max(0, cols[before] - width)
        if after < len(rows):
            hi[i] = min(m, cols[after] + width)
    lo = np.maximum.accumulate(lo)
    hi = np.maximum.accumulate(hi)
    hi[n] = m
    lo[0] = 0
    for i in range(n - 1, -1, -1):  # keep consecutive rows overlapping, so (n, m) is reachable
        hi[i] = max(hi[i], lo[i + 1])
    return lo, hi
