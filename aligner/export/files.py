"""Byte-exact, all-or-nothing file writing shared by every export format."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path


def write_text(path: Path, text: str | Iterable[str]) -> Path:
    """Write UTF-8, ``\\n`` newlines, via a temporary file: an interrupted re-export leaves no half file.

    ``text`` may come in pieces (any iterable of strings, a generator of lines for instance), each written
    as it comes, so a large run's file is never held in memory whole."""
    pieces = [text] if isinstance(text, str) else text
    return write_texts([path], ((0, piece) for piece in pieces))[0]


def write_texts(paths: list[Path], pieces: Iterable[tuple[int, str]]) -> list[Path]:
    """``write_text`` of several files at once: each piece ``(n, text)`` goes to ``paths[n]`` as it comes,
    so one pass over a run's units writes every file of a format; all are renamed into place at the end,
    or none is (their temporary files removed)."""
    temporary = [path.with_name(f".{path.name}.tmp") for path in paths]
    handles = []
    try:
        for tmp in temporary:
            tmp.parent.mkdir(parents=True, exist_ok=True)
            handles.append(open(tmp, "wb"))  # noqa: SIM115 - closed below, on every path
        for number, text in pieces:
            handles[number].write(text.encode("utf-8"))
        for handle in handles:
            handle.close()
        for tmp, path in zip(temporary, paths, strict=True):
            os.replace(tmp, path)
    except BaseException:
        for handle in handles:
            handle.close()
        for tmp in temporary:
            tmp.unlink(missing_ok=True)
        raise
    return list(paths)


def json_line(record: dict) -> str:
    """One JSON object on one line: keys in the order given, text as UTF-8 (not \\u escapes)."""
    return json.dumps(record, ensure_ascii=False, allow_nan=False)


def score(value: float) -> float:
    """Scores rounded to 6 places: stable across numpy/float types and idempotent when read back."""
    return round(float(value), 6)
