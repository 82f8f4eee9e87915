"""A shared, content-addressed vector store in ``.npy`` shards, for engines that run on many machines.

The same role as the SQLite cache (``get_many``/``put_many``, keyed by model fingerprint and the sha256
of the text), in a layout a shared file system serves well to many writers at once: every write is a new
immutable shard, ``<model>/<name>.vecs.npy`` then ``<model>/<name>.keys.npy``, each renamed into place, so
a shard is visible only once complete and a writer killed midway leaves no half-written shard behind.
A reader indexes the key files it has not seen yet (32 bytes a text) and memory-maps the vector files,
so a task that needs one story's vectors reads only those rows.
SQLite is no option here: its locking is unsafe on network file systems, where a cluster's nodes meet.
"""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import numpy as np

KEYS_SUFFIX = ".keys.npy"
VECTORS_SUFFIX = ".vecs.npy"


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def model_folder(fingerprint: str) -> str:
    """A file-system-safe folder name for a model fingerprint (fingerprints may hold ':')."""
    return hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:32]


class ShardCache:
    """Vectors in immutable ``.npy`` shards under ``path``; safe for many processes and nodes at once."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self._rows: dict[str, dict[bytes, tuple[str, int]]] = {}  # model -> key -> (shard, row)
        self._seen: dict[str, set[str]] = {}  # model -> shards indexed
        self._maps: dict[tuple[str, str], np.ndarray] = {}

    def _folder(self, model: str) -> Path:
        return self.path / model_folder(model)

    def _refresh(self, model: str) -> None:
        """Index the shards written since the last look (by this process or any other)."""
        folder = self._folder(model)
        rows = self._rows.setdefault(model, {})
        seen = self._seen.setdefault(model, set())
        if not folder.is_dir():
            return
        for entry in sorted(os.listdir(folder)):
            if not entry.endswith(KEYS_SUFFIX):
                continue
            shard = entry[: -len(KEYS_SUFFIX)]
            if shard in seen:
                continue
            try:
                keys = np.load(folder / entry)
            except (OSError, ValueError):  # unreadable: left out, its texts are encoded again
                continue
            seen.add(shard)
            for row, key in enumerate(keys):
                rows.setdefault(key.tobytes(), (shard, row))

    def _vectors(self, model: str, shard: str) -> np.ndarray:
        if (model, shard) not in self._maps:
            self._maps[(model, shard)] = np.load(
                self._folder(model) / f"{shard}{VECTORS_SUFFIX}", mmap_mode="r"
            )
        return self._maps[(model, shard)]

    def keys(self, model: str) -> int:
        """How many distinct texts the store holds for ``model``."""
        self._refresh(model)
        return len(self._rows.get(model, {}))

    def get_many(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        wanted = {text_key(t): t for t in texts}
        rows = self._rows.setdefault(model, {})
        if any(key not in rows for key in wanted):
            self._refresh(model)
        by_shard: dict[str, list[tuple[int, str]]] = {}
        for key, text in wanted.items():
            if key in rows:
                shard, row = rows[key]
                by_shard.setdefault(shard, []).append((row, text))
        found: dict[str, np.ndarray] = {}
        for shard in sorted(by_shard):
            try:
                vectors = self._vectors(model, shard)
                block = np.asarray(vectors[[row for row, _ in by_shard[shard]]], dtype=np.float32)
            except (OSError, ValueError, IndexError):  # a damaged shard: its texts are encoded again
                continue
            for (_, text), vector in zip(by_shard[shard], block, strict=True):
                if np.isfinite(vector).all():
                    found[text] = vector
        return found

    def put_many(self, model: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Write one new shard (vectors first, keys last: a shard is complete once its keys file exists)."""
        if not len(texts):
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if len(texts) != len(vectors):
            raise ValueError(f"{len(texts)} texts but {len(vectors)} vectors")
        folder = self._folder(model)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex}"  # names sort in write order: the first vector wins
        keys = np.frombuffer(b"".join(text_key(t) for t in texts), dtype=np.uint8).reshape(len(texts), 32)
        for suffix, array in ((VECTORS_SUFFIX, vectors), (KEYS_SUFFIX, keys)):
            partial = folder / f".{name}{suffix}.part"
            with open(partial, "wb") as handle:
                np.save(handle, array)
            os.replace(partial, folder / f"{name}{suffix}")
        rows = self._rows.setdefault(model, {})
        self._seen.setdefault(model, set()).add(name)
        for row, key in enumerate(keys):
            rows.setdefault(key.tobytes(), (name, row))

    def close(self) -> None:
        self._maps.clear()
