"""Read documents from files, directories (recursively, ``*.txt`` and record files) and record files.

A ``.txt`` file is one document. Record files (JSONL, ``.jsonl.gz``, ``.jsonl.zst``, Parquet) hold many,
and are read streaming by ``aligner/documents/read_records.py``.

Text is decoded as UTF-8 (a BOM is fine), normalised to NFC, and cleared of zero-width and bidi
control characters; otherwise it stays as published. Problems with one file or line become a
``Skipped`` record with a one-line reason, and reading goes on with the rest.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aligner.report.progress import track
from aligner.safe import BIDI_CONTROLS, BIDI_MARKS, safe_id
from aligner.types import RawDocument, Skipped

if TYPE_CHECKING:
    from aligner.documents.read_records import Columns

MAX_FILE_BYTES = 200 * 1024 * 1024  # larger inputs are almost certainly not one article
MAX_LINE_CHARS = 100_000  # a longer line is a dump (minified HTML, base64), not a paragraph of an article
# Zero-width and bidirectional formatting characters: invisible, and they break numbers and matching.
_INVISIBLE = re.compile(f"[\u200b\u200c\u200d\u2060\ufeff{BIDI_MARKS}{BIDI_CONTROLS}]")
# C0/C1 control characters other than tab and newline: never part of published text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Lone surrogates (JSON "\\ud800", file names that are not UTF-8) cannot be written as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")
RECORD_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst", ".parquet")  # files of many documents
_BINARY_SIGNATURES = (b"\x89PNG", b"%PDF", b"PK\x03\x04", b"\xff\xd8\xff", b"GIF8", b"\x7fELF")


@dataclass
class ReadResult:
    documents: list[RawDocument]
    skipped: list[Skipped]


def clean_text(text: str) -> str:
    """NFC, no invisible formatting characters, no control characters, ``\\n`` line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    text = _SURROGATE.sub("\ufffd", text)
    return unicodedata.normalize("NFC", text)


def source_name(path: Path | str) -> str:
    """A path as the report and the manifest name it: bytes that are not UTF-8 shown as U+FFFD."""
    return _SURROGATE.sub("\ufffd", str(path))


def document_id(value: str) -> str:
    """An id that can be printed and written in any output: controls, bidi controls and lone surrogates
    become U+FFFD (``safe.safe_id``)."""
    return safe_id(value)


_LEGACY = (
    ("cp1251", "CYRILLIC", "Cyrillic"),
    ("cp1256", "ARABIC", "Arabic"),
    ("latin-1", "LATIN", "Western"),
)


def _plausible_word(word: str, script: str) -> bool:
    """A word decoded in the right legacy encoding: one script, and capitals only where capitals go."""
    letters = [c for c in word if c.isalpha()]
    if script == "LATIN":  # Western text mixes ASCII and accented letters within words ("Café")
        in_script = any(c.isascii() for c in letters) and all(
            c.isascii() or unicodedata.name(c, "").startswith("LATIN") for c in letters
        )
    else:
        in_script = all(not c.isascii() and unicodedata.name(c, "").startswith(script) for c in letters)
    well_cased = word[1:].islower() or word.isupper() or not any(c.isupper() for c in word[1:])
    return in_script and well_cased


def _guess_encoding(data: bytes) -> str:
    """A hint for the error message only: the legacy encoding whose decoding reads most like words."""
    best, best_share = "an unknown encoding", 0.0
    for encoding, script, label in _LEGACY:
        text = data.decode(encoding, errors="replace")
        words = [w for w in re.findall(r"\w+", text) if not w.isascii()]
        if not words:
            continue
        share = sum(_plausible_word(w, script) for w in words) / len(words)
        if share > best_share:
            best, best_share = f"{encoding} ({label})", share
    return best


def decode(data: bytes, source: str) -> str:
    """UTF-8 (BOM allowed) or a ``ValueError`` whose message says what the bytes look like."""
    if (
        data.startswith(_BINARY_SIGNATURES)
        or b"\x00" in data[:4096]
        and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    ):
        raise ValueError("binary file, not text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError("UTF-16 text; convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        guess = _guess_encoding(data)
        source_encoding = guess.split()[0] if guess[0] != "a" else "ENCODING"
        raise ValueError(
            f"not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); looks like {guess}: "
            f"convert it to UTF-8 (iconv -f {source_encoding} -t UTF-8)"
        ) from None


def too_long_line(text: str) -> str | None:
    longest = max(text.split("\n"), key=len)
    if len(longest) > MAX_LINE_CHARS:
        number = text.split("\n").index(longest) + 1
        return f"line {number} has {len(longest):,} characters (limit {MAX_LINE_CHARS:,}): not article text"
    return None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_text_file(path: Path) -> tuple[list[RawDocument], list[Skipped]]:
    data = path.read_bytes()
    text = decode(data, str(path))
    text = clean_text(text)
    if not text.strip():
        return [], [Skipped(source_name(path), "empty file (no text)", document_id(path.stem))]
    problem = too_long_line(text)
    if problem:
        return [], [Skipped(source_name(path), problem, document_id(path.stem))]
    document = RawDocument(document_id(path.stem), text, source_name(path), _sha256(data))
    return [document], []


def record_suffix(path: Path) -> str | None:
    """The record format of a file name (``.jsonl.gz`` and the like), or None for a text file."""
    name = path.name.lower()
    return next((suffix for suffix in RECORD_SUFFIXES if name.endswith(suffix)), None)


def expand_inputs(inputs: Sequence[Path]) -> tuple[list[Path], list[Skipped]]:
    """Files named directly, and every ``*.txt`` and record file (``*.jsonl[.gz|.zst]``, ``*.parquet``)
    under named directories (a folder of Parquet shards, say), sorted."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if (p.suffix.lower() == ".txt" or record_suffix(p)) and p.is_file()
            )
            if not found:
                skipped.append(
                    Skipped(source_name(path), "directory has no *.txt, *.jsonl or *.parquet files")
                )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif path.exists():
            skipped.append(Skipped(source_name(path), "not a regular file"))
        else:
            skipped.append(Skipped(source_name(path), "no such file or directory"))
    return files, skipped


def read_file_batches(
    path: Path, columns: Columns | None = None
) -> Iterator[tuple[list[RawDocument], list[Skipped]]]:
    """The documents of one input file, a batch at a time, and what was skipped: a record file streams
    (``read_records``), a text file is one batch. The size limit is one document's: the whole of a text
    file, each record of a record file (so a Parquet shard or a compressed JSONL file may be any size)."""
    if record_suffix(path):
        from aligner.documents.read_records import Columns, read_batches  # it builds on this module's helpers

        yield from read_batches(path, columns or Columns())
        return
    name, doc_id = source_name(path), document_id(path.stem)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            yield [], [Skipped(name, f"larger than {MAX_FILE_BYTES // 2**20} MB", doc_id)]
        else:
            yield _read_text_file(path)
    except ValueError as error:
        yield [], [Skipped(name, str(error), doc_id)]
    except OSError as error:
        yield [], [Skipped(name, f"cannot read ({error.strerror or error})", doc_id)]


def read_file(path: Path, columns: Columns | None = None) -> tuple[list[RawDocument], list[Skipped]]:
    """The documents of one input file, or why it was skipped (``read_file_batches`` joined)."""
    documents: list[RawDocument] = []
    skipped: list[Skipped] = []
    for found, lost in read_file_batches(path, columns):
        documents.extend(found)
        skipped.extend(lost)
    return documents, skipped


def read_documents(inputs: Iterable[Path], columns: Columns | None = None) -> ReadResult:
    """Every readable document of the inputs; a repeated id keeps its first document, the rest are skipped."""
    files, skipped = expand_inputs(list(inputs))
    return join_files([read_file(path, columns) for path in track(files, "reading")], skipped)


def join_files(
    per_file: Iterable[tuple[list[RawDocument], list[Skipped]]], skipped: list[Skipped]
) -> ReadResult:
    """The documents of every file read, in input order, with repeated ids reported (not renamed)."""
    skipped = list(skipped)
    documents: list[RawDocument] = []
    for found, lost in per_file:
        documents.extend(found)
        skipped.extend(lost)
    return ReadResult(*_dedupe_ids(documents, skipped))


def _dedupe_ids(
    documents: list[RawDocument], skipped: list[Skipped]
) -> tuple[list[RawDocument], list[Skipped]]:
    """A repeated id keeps its first document; later ones are reported, never silently renamed."""
    seen: dict[str, str] = {}
    kept: list[RawDocument] = []
    for document in documents:
        if document.doc_id in seen:
            skipped.append(
                Skipped(
                    document.source,
                    f"duplicate document id (first seen in {seen[document.doc_id]})",
                    document.doc_id,
                )
            )
            continue
        seen[document.doc_id] = document.source
        kept.append(document)
    return kept, skipped
