"""Vectors of one side's sentences and of runs of neighbouring sentences ("spans"), encoded lazily.

Single sentences are always encoded. A span of 2+ sentences starts with an approximation (the
normalised sum of its sentences' vectors, free to compute) and gets its real embedding, the
encoding of the sentences joined by a space, only when ``encode`` is asked for it: the aligner
asks only for spans near its current path, so far fewer texts are encoded than the 3-4 per
sentence of aligners that embed every concatenation up front.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from aligner.embedding.embedder import Embedder, MissingVectors

Span = tuple[int, int]  # (start, length)
# Spans are encoded ``Embedder.span_batch`` at a time: one a call unless the encoder's vectors never
# depend on their batch mates, so a span encoded lazily here or in bulk between rounds (align/rounds.py)
# is the same bits, and every engine writes the same bytes however it schedules the stories.


def span_text(sentences: Sequence[str], start: int, length: int) -> str:
    return " ".join(sentences[start : start + length])


class SideSpans:
    """Span vectors of one side, real where encoded and approximated elsewhere."""

    def __init__(self, sentences: Sequence[str], embedder: Embedder, max_length: int) -> None:
        self.sentences = list(sentences)
        self.embedder = embedder
        self.max_length = max(1, max_length)
        singles = embedder.embed(self.sentences, label="encoding sentences")
        self.dim = singles.shape[1]
        self._prefix = np.vstack(
            [np.zeros((1, self.dim), np.float32), np.cumsum(singles, axis=0, dtype=np.float64)]
        )
        self._matrices: dict[int, np.ndarray] = {1: np.ascontiguousarray(singles, dtype=np.float32)}
        self.real: set[Span] = {(i, 1) for i in range(len(self.sentences))}
        self.version = 0  # bumped whenever a real span vector replaces an approximation
        # Spans were asked for that the embedder does not hold (a round of align/rounds.py): this
        # alignment is a draft, redone once they are encoded, so what only polishes it can be skipped.
        self.asked = False

    def __len__(self) -> int:
        return len(self.sentences)

    def matrix(self, length: int) -> np.ndarray:
        """Vectors of every span of ``length`` sentences, row = start (real where encoded)."""
        if length not in self._matrices:
            count = max(0, len(self.sentences) - length + 1)
            sums = self._prefix[length : length + count] - self._prefix[:count]
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            self._matrices[length] = np.ascontiguousarray(sums / np.maximum(norms, 1e-12), dtype=np.float32)
        return self._matrices[length]

    def vector(self, start: int, length: int) -> np.ndarray:
        """One span's vector: real if encoded, else the approximation (any length)."""
        if length <= self.max_length or length in self._matrices:
            return self.matrix(length)[start]
        total = self._prefix[start + length] - self._prefix[start]
        return (total / max(float(np.linalg.norm(total)), 1e-12)).astype(np.float32)

    def allow(self, max_length: int) -> None:
        """Let spans of up to ``max_length`` sentences get their real embeddings from now on."""
        self.max_length = max(self.max_length, max_length)

    def valid(self, start: int, length: int) -> bool:
        return start >= 0 and length >= 1 and start + length <= len(self.sentences)

    def encode(self, spans: Iterable[Span]) -> int:
        """Give these spans their real embeddings; returns how many were new to this side."""
        return encode_spans([(self, spans)])

    def wanted(self, spans: Iterable[Span]) -> list[Span]:
        """The spans among these that are not real yet and may become real (valid, short enough)."""
        return sorted({s for s in spans if s not in self.real and self.valid(*s) and s[1] <= self.max_length})

    def take(self, spans: Sequence[Span], vectors: np.ndarray) -> None:
        """These spans' real embeddings, in the order of ``spans``."""
        for (start, length), vector in zip(spans, vectors, strict=True):
            if length <= self.max_length:
                self.matrix(length)[start] = vector
            self.real.add((start, length))
        self.version += 1

    def all_spans(self, max_length: int) -> list[Span]:
        """Every span of 2 to ``max_length`` sentences not real yet (the Bertalign/Vecalign way)."""
        spans = [(s, n) for n in range(2, max_length + 1) for s in range(len(self.sentences) - n + 1)]
        return [s for s in spans if s not in self.real]

    def encode_all(self, max_length: int) -> int:
        """Every span of up to ``max_length`` sentences (the Bertalign/Vecalign way)."""
        return encode_spans([(self, self.all_spans(max_length))], every=True)


def encode_spans(requests: Sequence[tuple[SideSpans, Iterable[Span]]], every: bool = False) -> int:
    """Real embeddings for the spans of both sides of a pair, in one call to the embedder (one request,
    so that rounds of many stories can be collected and encoded in bulk: align/rounds.py).

    ``every``: spans longer than a side's ``max_length`` are encoded too (the up-front overlaps).
    Returns how many spans were new. When the embedder holds only some vectors (a round of
    align/rounds.py), nothing is encoded: the texts are noted for the next round and 0 is returned.
    """
    plan = [(side, list(spans) if every else side.wanted(spans)) for side, spans in requests]
    plan = [(side, spans) for side, spans in plan if spans]
    if not plan:
        return 0
    embedder = plan[0][0].embedder
    texts = [span_text(side.sentences, s, n) for side, spans in plan for s, n in spans]
    try:
        vectors = embedder.embed(
            texts, embedder.span_batch, label="encoding overlaps" if every else "encoding spans"
        )
    except MissingVectors:
        for side, _ in plan:
            side.asked = True
        return 0
    start = 0
    for side, spans in plan:
        side.take(spans, vectors[start : start + len(spans)])
        start += len(spans)
    return sum(len(spans) for _, spans in plan)
