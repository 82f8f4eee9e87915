"""Sentence embeddings: ``Embedder`` runs an encoder behind the run's store and the disk cache.

Each distinct text is encoded once per model: texts are looked up in the cache, the rest are
sorted by length (less padding per batch), encoded in batches and stored.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np

from aligner.embedding.encoder import Encoder, batch_invariant
from aligner.embedding.store import RunStore, VectorCache, VectorStore, default_store_dir, sound_rows
from aligner.errors import AlignerError

_CACHE_READ_CHUNK = 20_000  # texts looked up in the disk cache at a time
ENCODE_BATCH = 64  # texts per encoder call


def plan_batches(texts: Sequence[str], batch: int = ENCODE_BATCH) -> list[list[str]]:
    """The distinct texts by length (less padding per batch), cut into batches.

    Every engine encodes through this plan: a text's vector depends slightly on its batch mates (padding),
    so the same plan is what makes the same texts come out as the same bits wherever they are encoded.
    """
    ordered = sorted(dict.fromkeys(texts), key=len)
    return [ordered[start : start + batch] for start in range(0, len(ordered), batch)]


# Where batches are encoded: ``runner(encoder, batches)`` yields each batch with its vectors as it is done,
# in any order; None instead of the vectors when the runner wrote them to the embedder's store itself (an
# engine whose workers write to a shared store). An engine's ``encode``; by default, here, in order.
BatchRunner = Callable[[Encoder, list[list[str]]], Iterable[tuple[list[str], np.ndarray | None]]]


def broken_model(encoder: Encoder, bad: int) -> AlignerError:
    """The error for vectors that are not finite and of unit length: never stored, never aligned."""
    return AlignerError(
        f"{encoder.name}: the model gave {bad} vector(s) not finite and of unit length; "
        "its files may be damaged (`aligner fetch-model --verify`)"
    )


def encode_here(encoder: Encoder, batches: list[list[str]]) -> Iterator[tuple[list[str], np.ndarray]]:
    for batch in batches:
        yield batch, encoder.encode(batch)


class MissingVectors(LookupError):
    """Asked of an embedder that holds some vectors and encodes none (a round of align/rounds.py)."""


class Embedder:
    """Encoder plus caches: ``embed(texts)`` returns one row per text, encoding only what is new.

    It owns "which texts are missing -> batches -> store and cache": the run's ``store`` first, then the
    disk ``cache``, then the encoder, batch by batch through ``runner`` (where an engine encodes).
    """

    def __init__(
        self,
        encoder: Encoder,
        cache: VectorCache | None = None,
        progress: bool | None = None,
        store: RunStore | None = None,
        runner: BatchRunner = encode_here,
    ) -> None:
        self.encoder = encoder
        self.cache = cache
        self.progress = sys.stderr.isatty() if progress is None else progress
        self.encoded_texts = 0  # texts actually run through the encoder (cache misses)
        self.store: RunStore = VectorStore(default_store_dir()) if store is None else store
        self.runner = runner

    def using(
        self,
        encoder: Encoder | None = None,
        cache: VectorCache | None = None,
        runner: BatchRunner | None = None,
        store: RunStore | None = None,
    ) -> Embedder:
        """This embedder with another encoder, cache, runner or store (an engine's); else its own store."""
        return Embedder(
            encoder or self.encoder,
            cache if cache is not None else self.cache,
            self.progress,
            store if store is not None else self.store,
            runner or self.runner,
        )

    def prepare(self, texts: Sequence[str], batch: int = ENCODE_BATCH, label: str = "encoding") -> None:
        """Make every text available in the store: from the disk cache, else encoded (in length order)."""
        wanted = self.store.missing(texts)
        if wanted and self.cache is not None:
            for start in range(0, len(wanted), _CACHE_READ_CHUNK):  # bounded memory on huge runs
                chunk = wanted[start : start + _CACHE_READ_CHUNK]
                found = self.cache.get_many(self.encoder.fingerprint, chunk)
                if found:
                    self.store.add(list(found), np.stack(list(found.values())))
            wanted = self.store.missing(wanted)
        if wanted:
            self._encode_new(plan_batches(wanted, batch), label)

    @property
    def span_batch(self) -> int:
        """Texts per encoder call for the aligner's spans: one a call, so that a span's vector is the same
        bits wherever and with whatever it is encoded, unless the encoder's vectors never depend on their
        batch mates; then a full batch, which keeps every stream of the runtime busy (one text a call left
        one of two idle: the spans' 4-5 texts/s against the sentences' 33)."""
        return ENCODE_BATCH if batch_invariant(self.encoder) else 1

    def embed(self, texts: Sequence[str], batch: int = ENCODE_BATCH, label: str = "encoding") -> np.ndarray:
        self.prepare(texts, batch, label)
        if not texts:
            return np.zeros((0, self.store.dim or self.encoder.dim), dtype=np.float32)
        try:
            return self.store.get(list(texts))
        except KeyError:  # a shared store found a shard damaged since (and set it aside): encoded again
            self.prepare(texts, batch, label)
            return self.store.get(list(texts))

    def _encode_new(self, batches: list[list[str]], label: str) -> None:
        from aligner.report.progress import counter

        with counter(label, sum(map(len, batches)), enabled=self.progress) as advance:
            for chunk, vectors in self.runner(self.encoder, batches):
                if vectors is None:  # checked and stored by the runner
                    self.encoded_texts += len(chunk)
                    advance(len(chunk))
                    continue
                sound = sound_rows(vectors)
                if len(sound) != len(chunk) or not sound.all():  # a broken model: never cached, never aligned
                    raise broken_model(self.encoder, len(chunk) - int(sound.sum()))
                if self.cache is not None:  # at once: a batch done before a crash is never encoded again
                    self.cache.put_many(self.encoder.fingerprint, chunk, vectors)
                self.store.add(chunk, vectors)
                self.encoded_texts += len(chunk)
                advance(len(chunk))
