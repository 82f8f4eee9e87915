"""The disk cache of sentence vectors (SQLite), keyed by model fingerprint and text; it only saves time."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from aligner.embedding.store import sound_rows
from aligner.safe import safe_text


def default_cache_dir() -> Path:
    base = os.environ.get("ALIGNER_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "aligner"
    )
    return Path(base)


def warn(message: str) -> None:
    print(f"aligner: warning: {safe_text(message)}", file=sys.stderr, flush=True)


class EmbeddingCache:
    """Vectors on disk in SQLite, keyed by model fingerprint and the sha256 of the text.

    SQLite gives atomic, concurrent-safe writes; each row also stores its dimension so a damaged
    row (wrong length, NaN or infinite values, a zero or otherwise not unit-length vector) is detected
    on read, with a warning, and encoded again (then replaced) rather than trusted. The cache only
    ever saves time, so it never stops a run: a file that is not a sound SQLite database is set aside
    (renamed, with a note) and a new one started; a cache that cannot be opened or written (read-only,
    a file in the way, locked by another process) is bypassed with a warning.
    """

    def __init__(self, path: Path, timeout: float = 60.0, warn: Callable[[str], None] = warn) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.warn = warn
        self._db: sqlite3.Connection | None = None
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as error:
            if self._damaged(error):
                self._set_aside(error)
            else:
                self._bypass(error)
        except OSError as error:
            self._bypass(error)

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=self.timeout)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS vectors "
                "(model TEXT, key BLOB, dim INTEGER, vec BLOB, PRIMARY KEY (model, key))"
            )
            db.commit()
            # a cheap look at the first page of rows: a truncated file fails here, not mid-run
            db.execute("SELECT count(*) FROM (SELECT dim FROM vectors LIMIT 100)").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    @staticmethod
    def _damaged(error: sqlite3.Error) -> bool:
        """Not an SQLite database, or a corrupt one (as opposed to locked, read-only, out of space, or a
        misuse): only then is the file set aside."""
        name = getattr(error, "sqlite_errorname", "") or ""
        return name == "SQLITE_NOTADB" or name.startswith("SQLITE_CORRUPT")

    def _bypass(self, error: BaseException) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None
        reason = getattr(error, "strerror", None) or str(error)
        if isinstance(error, OSError) and error.filename:
            reason = f"{error.filename}: {reason}"
        self.warn(f"{self.path}: embedding cache not used ({reason}); every sentence is encoded this run")

    def _set_aside(self, error: BaseException) -> None:
        """Rename a damaged cache (and its -wal/-shm files) out of the way, leave a note, start anew."""
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None
        stamp = time.strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{os.getpid()}")
        try:
            for suffix in ("", "-wal", "-shm"):
                part = Path(f"{self.path}{suffix}")
                if part.exists():
                    os.replace(part, f"{aside}{suffix}")
            Path(f"{aside}.txt").write_text(
                f"aligner set this embedding cache aside on {stamp}: {error}.\n"
                "It only saved time (vectors are encoded again); delete it when you like.\n",
                encoding="utf-8",
            )
        except OSError as failure:
            self._bypass(failure)
            return
        self.warn(
            f"{self.path}: damaged embedding cache ({error}); set aside as {aside.name}, starting a new one"
        )
        try:
            self._db = self._open()
        except (sqlite3.Error, OSError) as failure:
            self._bypass(failure)

    def _failed(self, error: sqlite3.Error) -> None:
        if self._damaged(error):
            self._set_aside(error)
        else:
            self._bypass(error)

    @property
    def usable(self) -> bool:
        return self._db is not None

    @staticmethod
    def key(text: str) -> bytes:
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()

    def get_many(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        damaged = 0
        keys = {self.key(t): t for t in texts}
        items = list(keys.items())
        try:
            for start in range(0, len(items), 500):
                if self._db is None:
                    break
                chunk = items[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT key, dim, vec FROM vectors WHERE model = ? AND key IN ({marks})",
                    [model, *[k for k, _ in chunk]],
                )
                for key, row_dim, blob in rows:
                    if not row_dim or not isinstance(blob, bytes) or len(blob) != row_dim * 4:
                        damaged += 1
                        continue
                    vector = np.frombuffer(blob, dtype=np.float32)
                    if sound_rows(vector[None, :])[0]:  # NaN, inf, zero or not unit length: encoded again
                        found[keys[key]] = vector
                    else:
                        damaged += 1
        except sqlite3.Error as error:
            self._failed(error)
        if damaged:
            self.warn(
                f"{self.path}: {damaged} cached vector(s) damaged (wrong length, not finite or not unit "
                "length); encoded again"
            )
        return found

    def put_many(self, model: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        if self._db is None:
            return
        rows = [
            (model, self.key(t), int(v.shape[0]), np.ascontiguousarray(v, dtype=np.float32).tobytes())
            for t, v in zip(texts, vectors, strict=True)
        ]
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)", rows)
        except sqlite3.Error as error:
            self._failed(error)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
