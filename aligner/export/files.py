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
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "wb") as handle:
            for piece in [text] if isinstance(text, str) else text:
                handle.write(piece.encode("utf-8"))
        os.replace(tmp, path)
    except BaseException:  # disk full, interrupted: no half-written file left behind
        tmp.unlink(missing_ok=True)
        raise
    return path


def json_line(record: dict) -> str:
    """One JSON object on one line: keys in the order given, text as UTF-8 (not \\u escapes)."""
    return json.dumps(record, ensure_ascii=False, allow_nan=False)


def score(value: float) -> float:
    """Scores rounded to 6 places: stable across numpy/float types and idempotent when read back."""
    return round(float(value), 6)
