"""A run's units and findings kept on disk as they come, read back by the writers in order.

A crawl's units hold the text of every translated document, and each number finding its marked texts:
held in memory to the end, they would make the driver grow with the pile. A ``Spool`` appends each record
to an unlinked temporary file the moment it is made (only its offset stays in memory) and reads it back
when a writer asks, so what is held at once is one story's records. Hand-written because ``shelve`` and
``sqlite3`` would key, lock and index what is only ever appended once and read back in order.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Generic, TypeVar, overload

from aligner.embedding.store import default_store_dir

T = TypeVar("T")


class Spool(Sequence[T], Generic[T]):
    """An append-only sequence of records in an unlinked temporary file (``$ALIGNER_TMP`` or the
    system's): gone with the process, whatever ends it; no other process or path reaches it."""

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._file = tempfile.TemporaryFile(dir=default_store_dir())  # noqa: SIM115 - lives with the spool
        self._starts = array("q")  # where each record starts; the next one's start is its end
        self._end = 0
        self.extend(items)

    def append(self, item: T) -> None:
        blob = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
        written = os.pwrite(self._file.fileno(), blob, self._end)
        if written != len(blob):
            raise OSError(f"spool: wrote {written} of {len(blob)} bytes")
        self._starts.append(self._end)
        self._end += len(blob)

    def extend(self, items: Iterable[T]) -> None:
        for item in items:
            self.append(item)

    def __len__(self) -> int:
        return len(self._starts)

    @property
    def nbytes(self) -> int:
        """Bytes of the file on disk."""
        return self._end

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("spool index out of range")
        start = self._starts[index]
        end = self._starts[index + 1] if index + 1 < len(self) else self._end
        # Read back from a file only this process holds (unlinked, never named): what it wrote itself.
        return pickle.loads(os.pread(self._file.fileno(), end - start, start))

    def __iter__(self) -> Iterator[T]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Spool, list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    def __reduce__(self):
        return list, (list(self),)  # elsewhere it is the list it holds

    def __repr__(self) -> str:
        return f"Spool({len(self)} records)"

    def close(self) -> None:
        self._file.close()
