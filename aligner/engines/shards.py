"""A shared, content-addressed vector store in ``.npy`` shards, for engines that run on many machines.

The same role as the SQLite cache (``get_many``/``put_many``, keyed by model fingerprint and the sha256
of the text), in a layout a shared file system serves well to many writers at once: every write is a new
immutable shard, ``<model>/<name>.vecs.npy`` then ``<model>/<name>.keys.npy``, each renamed into place, so
a shard is visible only once complete and a writer killed midway leaves no half-written shard behind.
A reader indexes the key files it has not seen yet (32 bytes a text) and reads the rows it asks for
with ``pread``, so a task that needs one story's vectors reads only those rows, and no reader keeps
pages of vectors in its memory (a driver that mapped every shard it read a few rows of would).
SQLite is no option here: its locking is unsafe on network file systems, where a cluster's nodes meet.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from aligner.embedding.store import sound_rows

KEYS_SUFFIX = ".keys.npy"
VECTORS_SUFFIX = ".vecs.npy"


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def model_folder(fingerprint: str) -> str:
    """A file-system-safe folder name for a model fingerprint (fingerprints may hold ':')."""
    return hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:32]


DAMAGED_SUFFIX = ".damaged"  # a shard set aside: renamed, never deleted (it ends in neither suffix above)
OPEN_SHARDS = 128  # vector files a reader keeps open between reads (descriptors, not memory)


class _KeyIndex:
    """Where each key's vector is, for one model: keys and places as sorted arrays, about 40 bytes a text
    (a dict of bytes to tuples took about 200, most of a crawl driver's index), the first shard indexed
    with a key winning. Shards added since the last look are merged in at the next one."""

    def __init__(self) -> None:
        self.shards: list[str] = []
        self._keys = np.zeros(0, dtype="V32")
        self._places = np.zeros(0, dtype=np.int64)  # shard number << 32 | row
        self._added: list[tuple[np.ndarray, np.ndarray]] = []

    def add(self, shard: str, keys: np.ndarray) -> None:
        number = len(self.shards)
        self.shards.append(shard)
        rows = np.arange(len(keys), dtype=np.int64)
        self._added.append((np.ascontiguousarray(keys).view("V32").ravel(), (number << 32) | rows))

    def _merged(self) -> None:
        if not self._added:
            return
        keys = np.concatenate([self._keys, *(k for k, _ in self._added)])
        places = np.concatenate([self._places, *(p for _, p in self._added)])
        self._added = []
        order = np.argsort(keys, kind="stable")  # among equal keys the one indexed first stays first
        keys, places = keys[order], places[order]
        first = np.r_[True, keys[1:] != keys[:-1]] if len(keys) else np.zeros(0, dtype=bool)
        self._keys, self._places = keys[first], places[first]

    def __len__(self) -> int:
        self._merged()
        return len(self._keys)

    def find(self, keys: Sequence[bytes]) -> list[tuple[str, int] | None]:
        """(shard, row) of each key, or None."""
        self._merged()
        if not len(keys) or not len(self._keys):
            return [None] * len(keys)
        query = np.frombuffer(b"".join(keys), dtype="V32")
        at = np.minimum(np.searchsorted(self._keys, query), len(self._keys) - 1)
        hits = (self._keys[at] == query).tolist()
        places = self._places[at].tolist()
        return [
            (self.shards[place >> 32], place & 0xFFFFFFFF) if hit else None
            for hit, place in zip(hits, places, strict=True)
        ]


class ShardCache:
    """Vectors in immutable ``.npy`` shards under ``path``; safe for many processes and nodes at once.

    A shard is checked when read: keys a (n, 32) array of bytes, vectors a (n, dim) float32 array, each
    row read finite and of unit length. A shard that fails (truncated, edited, its vectors file gone) is
    set aside (renamed ``….damaged``, with ``warn``) and the index rebuilt without it, so its texts are
    found in a later shard or encoded again: a damaged store heals on the next run instead of failing.
    """

    def __init__(self, path: Path, warn: Callable[[str], None] | None = None) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.warn = warn
        self._rows: dict[str, _KeyIndex] = {}  # model -> where each key's vector is
        self._seen: dict[str, set[str]] = {}  # model -> shards indexed
        self._sizes: dict[tuple[str, str], int] = {}  # (model, shard) -> rows its keys file holds
        self._damaged: set[tuple[str, str]] = set()  # (model, shard) set aside, or left out if it cannot be
        # (model, shard) -> an open vectors file and where its rows start, checked once; the latest last
        self._open: OrderedDict[tuple[str, str], tuple[int, int]] = OrderedDict()
        self.dims: dict[tuple[str, str], int] = {}  # (model, shard) -> its vectors' width, once opened
        self._starts: dict[tuple[str, str], int] = {}  # (model, shard) -> where its rows start, checked

    def _folder(self, model: str) -> Path:
        return self.path / model_folder(model)

    def _refresh(self, model: str) -> None:
        """Index the shards written since the last look (by this process or any other)."""
        folder = self._folder(model)
        rows = self._rows.setdefault(model, _KeyIndex())
        seen = self._seen.setdefault(model, set())
        if not folder.is_dir():
            return
        for entry in sorted(os.listdir(folder)):
            if not entry.endswith(KEYS_SUFFIX) or entry.startswith("."):
                continue
            shard = entry[: -len(KEYS_SUFFIX)]
            if shard in seen or (model, shard) in self._damaged:
                continue
            try:
                keys = np.load(folder / entry)
                if keys.dtype != np.uint8 or keys.ndim != 2 or keys.shape[1] != 32:
                    raise ValueError(f"keys of shape {keys.shape} and type {keys.dtype}")
            except (OSError, ValueError, EOFError, MemoryError) as error:  # MemoryError: a forged shape
                if (folder / entry).exists():  # a keys file that cannot be read: damaged, not in flight
                    self._set_aside(model, shard, f"unreadable keys ({error})")
                continue
            seen.add(shard)
            self._sizes[(model, shard)] = len(keys)
            rows.add(shard, keys)

    def _load(self, model: str, shard: str, mmap_mode: str | None = None) -> np.ndarray:
        """A shard's vectors file, of the type and shape its keys call for (else ValueError)."""
        vectors = np.load(self._folder(model) / f"{shard}{VECTORS_SUFFIX}", mmap_mode=mmap_mode)
        self._check_vectors(model, shard, vectors.shape, vectors.dtype)
        return vectors

    def _check_vectors(self, model: str, shard: str, shape: tuple, dtype: np.dtype) -> None:
        """A vectors file holds float32 rows, one for each key of its shard (else ValueError)."""
        size = self._sizes.get((model, shard))
        if dtype != np.dtype("<f4") or len(shape) != 2 or shape[0] != size:
            raise ValueError(f"vectors of shape {shape} and type {dtype} for {size} keys")

    def _read_rows(self, model: str, shard: str, rows: Sequence[int]) -> np.ndarray:
        """Rows of a shard's vectors, read with ``pread`` (ValueError: not the file its keys call for)."""
        descriptor, start = self._opened(model, shard)
        width = 4 * self.dims[(model, shard)]
        block = np.empty((len(rows), width // 4), dtype=np.float32)
        for out, row in enumerate(rows):
            data = os.pread(descriptor, width, start + row * width)
            if len(data) != width:
                raise ValueError(f"vectors file ends before row {row}")
            block[out] = np.frombuffer(data, dtype="<f4")
        return block

    def _opened(self, model: str, shard: str) -> tuple[int, int]:
        """The open vectors file of a shard and the offset of its first row; its header checked once."""
        key = (model, shard)
        if key in self._open:
            self._open.move_to_end(key)
            return self._open[key]
        descriptor = os.open(self._folder(model) / f"{shard}{VECTORS_SUFFIX}", os.O_RDONLY)
        if key in self._starts:  # its header was checked when it was first opened
            return self._keep_open(key, descriptor, self._starts[key])
        try:
            with open(descriptor, "rb", closefd=False) as handle:
                version = np.lib.format.read_magic(handle)
                if version not in ((1, 0), (2, 0)):  # np.save writes these for a plain array
                    raise ValueError(f"a .npy file of version {version}")
                read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else _header_2
                shape, fortran, dtype = read_header(handle)
                start = handle.tell()
            if fortran:
                raise ValueError("vectors in Fortran order")
            self._check_vectors(model, shard, shape, dtype)
        except BaseException:
            os.close(descriptor)
            raise
        self.dims[key] = shape[1]
        self._starts[key] = start
        return self._keep_open(key, descriptor, start)

    def _keep_open(self, key: tuple[str, str], descriptor: int, start: int) -> tuple[int, int]:
        self._open[key] = (descriptor, start)
        while len(self._open) > OPEN_SHARDS:
            os.close(self._open.popitem(last=False)[1][0])
        return descriptor, start

    def _set_aside(self, model: str, shard: str, reason: str) -> None:
        """Rename both files of a damaged shard out of the index (another process may have done it first)
        and forget every row: the next look indexes the remaining shards afresh."""
        folder = self._folder(model)
        self._damaged.add((model, shard))  # left out by this process even if it cannot be renamed
        moved = False
        for suffix in (KEYS_SUFFIX, VECTORS_SUFFIX):  # keys first: the shard leaves the index at once
            with contextlib.suppress(OSError):  # gone (another process set it aside first), or read-only
                os.replace(folder / f"{shard}{suffix}", folder / f"{shard}{suffix}{DAMAGED_SUFFIX}")
                moved = True
        if moved and self.warn is not None:
            self.warn(
                f"{folder / shard}: damaged vector shard ({reason}); set aside, its texts encoded again"
            )
        self._rows.pop(model, None)
        self._seen.pop(model, None)
        for key in [key for key in self._open if key[0] == model]:
            os.close(self._open.pop(key)[0])
        self._starts = {key: start for key, start in self._starts.items() if key[0] != model}

    def verify(self, model: str) -> int:
        """Read every shard indexed for ``model`` whole and set aside those that fail the checks of a read
        (so a later reader, here or in a task, never meets them); the shards checked. A shard is read
        into memory one at a time and dropped: nothing is kept."""
        self._refresh(model)
        checked = 0
        for shard in sorted(self._seen.get(model, set())):
            try:
                if not sound_rows(self._load(model, shard)).all():
                    raise ValueError("vectors not finite or not unit length")
            except (OSError, ValueError, EOFError, MemoryError) as error:
                self._set_aside(model, shard, _first_line(error))
            checked += 1
        self._refresh(model)
        return checked

    def keys(self, model: str) -> int:
        """How many distinct texts the store holds for ``model``."""
        self._refresh(model)
        return len(self._rows.setdefault(model, _KeyIndex()))

    def get_many(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        wanted = {text_key(t): t for t in texts}
        found: dict[str, np.ndarray] = {}
        while True:  # again after setting a damaged shard aside: the texts may be in a later shard
            damaged = self._read(model, wanted, found)
            if damaged is None:
                return found
            self._set_aside(model, *damaged)

    def _read(
        self, model: str, wanted: dict[bytes, str], found: dict[str, np.ndarray]
    ) -> tuple[str, str] | None:
        """Add to ``found`` the vectors of ``wanted`` not found yet; (shard, reason) of a damaged shard."""
        left = [key for key, text in wanted.items() if text not in found]
        places = self._places(model, left)
        by_shard: dict[str, list[tuple[int, str]]] = {}
        for key, place in zip(left, places, strict=True):
            if place is not None:
                shard, row = place
                by_shard.setdefault(shard, []).append((row, wanted[key]))
        blocks: dict[str, np.ndarray] = {}
        for shard in sorted(by_shard):
            try:
                blocks[shard] = self._read_rows(model, shard, [row for row, _ in by_shard[shard]])
            except (OSError, ValueError, IndexError, EOFError, MemoryError) as error:
                return shard, _first_line(error)
        if blocks and not sound_rows(np.concatenate(list(blocks.values()))).all():  # checked at once
            for shard, block in blocks.items():
                sound = sound_rows(block)
                if not sound.all():
                    return shard, f"{int((~sound).sum())} vector(s) not finite or not unit length"
        for shard, block in blocks.items():
            for (_, text), vector in zip(by_shard[shard], block, strict=True):
                found[text] = vector
        return None

    def put_many(self, model: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Write one new shard (``write_shard``) and index it."""
        if not len(texts):
            return
        name, keys = write_shard(self.path, model, texts, vectors)
        self._seen.setdefault(model, set()).add(name)
        self._sizes[(model, name)] = len(texts)
        self._rows.setdefault(model, _KeyIndex()).add(name, keys)

    def contains(self, model: str, texts: Sequence[str]) -> list[bool]:
        """Whether each text has a vector in the store (shards written since the last look included)."""
        return [place is not None for place in self._places(model, [text_key(t) for t in texts])]

    def _places(self, model: str, keys: Sequence[bytes]) -> list[tuple[str, int] | None]:
        """(shard, row) of each key, or None; the shards written since the last look indexed first when
        one is missing (by this process or any other)."""
        places = self._rows.setdefault(model, _KeyIndex()).find(keys)
        if None in places:
            self._refresh(model)
            places = self._rows.setdefault(model, _KeyIndex()).find(keys)
        return places

    def close(self) -> None:
        while self._open:
            os.close(self._open.popitem()[1][0])


_header_2 = np.lib.format.read_array_header_2_0


def _first_line(error: BaseException) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def write_shard(path: Path, model: str, texts: Sequence[str], vectors: np.ndarray) -> tuple[str, np.ndarray]:
    """One new shard of ``texts`` under ``path`` (vectors first, keys last: a shard is complete once its
    keys file exists); its name and keys. A writer that never reads (an encoding actor) indexes nothing."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if len(texts) != len(vectors):
        raise ValueError(f"{len(texts)} texts but {len(vectors)} vectors")
    folder = Path(path) / model_folder(model)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns():020d}-{uuid.uuid4().hex}"  # names sort in write order: the first vector wins
    keys = np.frombuffer(b"".join(text_key(t) for t in texts), dtype=np.uint8).reshape(len(texts), 32)
    for suffix, array in ((VECTORS_SUFFIX, vectors), (KEYS_SUFFIX, keys)):
        partial = folder / f".{name}{suffix}.part"
        with open(partial, "wb") as handle:
            np.save(handle, array)
        os.replace(partial, folder / f"{name}{suffix}")
    return name, keys


_OPEN: dict[str, ShardCache] = {}  # path -> the shard cache of a task's process: it indexes a store once


def _reopen(path: str, model: str, dim: int) -> ShardStore:
    """A ``ShardStore`` sent to a task (its process's own index of the shards)."""
    if path not in _OPEN:
        _OPEN[path] = ShardCache(Path(path))
    return ShardStore(_OPEN[path], model, dim)


class ShardStore:
    """The run's store (``aligner.embedding.store.RunStore``: ``missing``/``add``/``get``) kept in a
    shard store, for one model: this process holds the index of keys, never the vectors, which are read
    from the shards when asked for. It travels to a task as its path and model (``shareable``): the task
    reads the vectors it needs there, instead of being sent them, and indexes the store once a process.
    """

    shareable = True

    def __init__(self, shards: ShardCache, model: str, dim: int, verify: bool = False) -> None:
        """``verify``: check every shard already in the store first (``ShardCache.verify``): what a run
        finds there is state read back, while each shard written during the run was checked, vector by
        vector, by the actor that wrote it. A task's view does not: the driver's did."""
        self.shards = shards
        self.path = shards.path
        self.model = model
        self.dim = dim
        if verify:
            shards.verify(model)

    def __reduce__(self):
        return _reopen, (str(self.path), self.model, self.dim)

    def __len__(self) -> int:
        return self.shards.keys(self.model)

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and self.shards.contains(self.model, [text])[0]

    def missing(self, texts: Iterable[str]) -> list[str]:
        """The distinct texts not stored yet, in first-seen order."""
        distinct = list(dict.fromkeys(texts))
        present = self.shards.contains(self.model, distinct)
        return [text for text, stored in zip(distinct, present, strict=True) if not stored]

    def add(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        self.shards.put_many(self.model, texts, vectors)

    def get(self, texts: Sequence[str]) -> np.ndarray:
        """Rows for ``texts`` (KeyError for one not in the store, or in a shard found damaged since)."""
        if not len(texts):
            return np.zeros((0, self.dim), dtype=np.float32)
        found = self.shards.get_many(self.model, texts)
        missing = [t for t in texts if t not in found]
        if missing:
            raise KeyError(f"{len(missing)} texts have no vector in {self.path}")
        return np.stack([found[t] for t in texts])

    def close(self) -> None:
        self.shards.close()
