"""Where vectors are kept: one protocol, and the run's own store (one float32 array, memory-mapped).

``VectorCache`` is what every keeper of vectors offers (the run's store here, the SQLite disk cache in
embed.py, the shard store of a cluster in shards.py): vectors by model fingerprint and text.
The run's store keeps one row per distinct text, found through a dict of row numbers: no Python object
per vector, and the pages of a large run are file-backed, so the operating system can write them out
under memory pressure instead of the run growing its anonymous memory with the corpus.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from aligner.types import Mapper, serial_map

_FIRST_CAPACITY = 1024
# Every encoder gives unit-length vectors (normalised in float32 even when run in bfloat16 or float16:
# measured |norm - 1| < 1e-6); a stored vector further off than this was damaged, or was never one.
NORM_TOLERANCE = 1e-2


def sound_rows(vectors: np.ndarray) -> np.ndarray:
    """Which rows of ``vectors`` can be trusted: finite and of unit length (a zero vector is not)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2:
        return np.zeros(len(vectors), dtype=bool)
    with np.errstate(all="ignore"):
        norms = np.linalg.norm(vectors, axis=1)
    return np.isfinite(vectors).all(axis=1) & (np.abs(norms - 1.0) <= NORM_TOLERANCE)


class VectorCache(Protocol):
    """Vectors of texts, keyed by model fingerprint and text; a text never stored is simply not found."""

    def get_many(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]: ...

    def put_many(self, model: str, texts: Sequence[str], vectors: np.ndarray) -> None: ...

    def close(self) -> None: ...


class RunStore(Protocol):
    """The run's vectors, one per distinct text (``VectorStore`` here; a shard store's view on a cluster)."""

    dim: int

    def __len__(self) -> int: ...

    def missing(self, texts: Iterable[str]) -> list[str]: ...

    def add(self, texts: Sequence[str], vectors: np.ndarray) -> None: ...

    def get(self, texts: Sequence[str]) -> np.ndarray: ...

    def close(self) -> None: ...


def shareable(store: RunStore) -> bool:
    """Whether tasks in other processes (on other nodes) can read ``store`` themselves when sent it."""
    return bool(getattr(store, "shareable", False))


def reading_map(mapper: Mapper | None, store: RunStore) -> Mapper:
    """Where a map whose tasks read vectors from ``store`` runs: ``mapper`` (an engine's tasks) when they
    can read it themselves, else here, where the store is."""
    return mapper if mapper is not None and shareable(store) else serial_map


class Tiers:
    """Several caches as one: read from the first that has a text, write to all (a cluster's shard
    store beside the driver's own disk cache, for instance)."""

    def __init__(self, *caches: VectorCache) -> None:
        self.caches = caches

    def get_many(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for cache in self.caches:
            left = [t for t in texts if t not in found]
            if not left:
                break
            found.update(cache.get_many(model, left))
        return found

    def put_many(self, model: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        for cache in self.caches:
            cache.put_many(model, texts, vectors)

    def close(self) -> None:
        for cache in self.caches:
            cache.close()


class VectorStore:
    """Append-only store of text -> vector of one model; ``get`` returns copies, so callers never hold
    the map. A ``VectorCache`` too: its ``get_many``/``put_many`` refuse a second model."""

    def __init__(self, directory: Path | None = None) -> None:
        self._directory = directory
        self._rows: dict[str, int] = {}
        self._file = None
        self._array: np.ndarray | None = None
        self.dim = 0
        self.model: str | None = None  # the fingerprint of the vectors, once one was given

    def _same_model(self, model: str) -> None:
        if self.model is None:
            self.model = model
        elif model != self.model:
            raise ValueError(f"vectors of model {model} asked of a store of model {self.model}")

    def get_many(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        self._same_model(model)
        present = [t for t in dict.fromkeys(texts) if t in self._rows]
        return dict(zip(present, self.get(present), strict=True))

    def put_many(self, model: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        self._same_model(model)
        self.add(texts, vectors)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, text: object) -> bool:
        return text in self._rows

    def missing(self, texts: Iterable[str]) -> list[str]:
        """The distinct texts not stored yet, in first-seen order."""
        return [t for t in dict.fromkeys(texts) if t not in self._rows]

    def add(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        if len(texts) != len(vectors):
            raise ValueError(f"{len(texts)} texts but {len(vectors)} vectors")
        new: dict[str, int] = {}  # text -> its first row in ``vectors``
        for row, text in enumerate(texts):
            if text not in self._rows:
                new.setdefault(text, row)
        if not new:
            return
        first = len(self._rows)
        self._reserve(first + len(new), vectors.shape[1])
        assert self._array is not None
        self._array[first : first + len(new)] = vectors[list(new.values())]
        self._rows.update((text, first + offset) for offset, text in enumerate(new))

    def get(self, texts: Sequence[str]) -> np.ndarray:
        """Rows for ``texts`` (KeyError for one never added), as a new in-memory array."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        assert self._array is not None
        return np.array(self._array[[self._rows[t] for t in texts]], dtype=np.float32)

    def _reserve(self, rows: int, dim: int) -> None:
        if self._array is not None and dim != self.dim:
            raise ValueError(f"vectors of dimension {dim} added to a store of dimension {self.dim}")
        capacity = 0 if self._array is None else self._array.shape[0]
        if rows <= capacity:
            return
        while capacity < rows:
            capacity = max(_FIRST_CAPACITY, capacity * 2)
        if self._file is None:
            if self._directory is not None:
                self._directory.mkdir(parents=True, exist_ok=True)
            # Closed in close(); the file is unlinked from the start, so nothing outlives the process.
            self._file = tempfile.TemporaryFile(prefix="aligner-vectors-", dir=self._directory)  # noqa: SIM115
        self.dim = dim
        self._array = None  # drop the old map before the file grows under it
        self._file.truncate(capacity * dim * 4)
        self._array = np.memmap(self._file, dtype=np.float32, mode="r+", shape=(capacity, dim))

    def close(self) -> None:
        self._array = None
        if self._file is not None:
            self._file.close()
            self._file = None

    def __del__(self) -> None:  # the temporary file is unlinked already; this frees the descriptor
        with contextlib.suppress(Exception):  # interpreter shutdown
            self.close()


def default_store_dir() -> Path | None:
    """Where the memory-mapped file goes: $ALIGNER_TMP, else the system temporary directory."""
    value = os.environ.get("ALIGNER_TMP")
    return Path(value) if value else None
