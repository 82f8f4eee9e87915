"""Read files of records: JSONL (plain, ``.gz``, ``.zst``) and Parquet (one file, or each shard of a folder).

Every format is read streaming, a batch of rows at a time, so memory grows with the batch and not with
the file: a JSONL line at a time through ``gzip`` / ``zstandard``, a Parquet batch at a time through
``pyarrow.parquet.ParquetFile.iter_batches``. One reader per format yields rows as plain dicts; one
function (``_document``) checks a row and makes the document, whatever the format. A bad row is one
``Skipped`` naming ``file:ROW``; a bad file (not Parquet, truncated, a missing column) is one ``Skipped``
naming the file, keeping the rows read before the damage; the run goes on with the rest.

Ids, texts and languages come from the columns named by ``Columns`` (``--id-column``, ``--text-column``,
``--lang-column``); the defaults fit Hugging Face datasets: ``id``, ``text``, and ``lang`` or else
``language`` when the file has one. A ``license`` column, when present, is carried to the dataset card.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from aligner import languages
from aligner.documents.read import (
    MAX_FILE_BYTES,
    clean_text,
    decode,
    document_id,
    record_suffix,
    source_name,
    too_long_line,
)
from aligner.safe import safe_field
from aligner.types import RawDocument, Skipped

BATCH_ROWS = 1024  # rows per batch: a few MB of text, enough to amortise a Parquet read
_CHUNK = 1 << 16  # compressed bytes read at a time (a few MB once decompressed, at most)
LANG_DEFAULTS = ("lang", "language")  # the language column when --lang-column is not given

Batch = tuple[list[RawDocument], list[Skipped]]


@dataclass(frozen=True)
class Columns:
    """Where a record keeps its id, its text and (optionally) its language."""

    text: str = "text"
    id: str = "id"
    lang: str | None = None  # None: "lang", else "language", if the record has either


class BadFile(ValueError):
    """The file cannot be read on from here (not the format, truncated, a column missing)."""


def read_batches(path: Path, columns: Columns = Columns(), batch_rows: int | None = None) -> Iterator[Batch]:
    """The documents of a record file, ``batch_rows`` rows at a time (default ``BATCH_ROWS``), and what
    was skipped (file:ROW)."""
    batch_rows = batch_rows or BATCH_ROWS
    name = source_name(path)
    suffix = record_suffix(path)
    rows = _parquet_rows(path, columns, batch_rows) if suffix == ".parquet" else _jsonl_rows(path)
    documents: list[RawDocument] = []
    skipped: list[Skipped] = []
    try:
        for number, row, digest in rows:
            found = _document(f"{name}:{number}", row, digest, columns)
            (documents if isinstance(found, RawDocument) else skipped).append(found)
            if len(documents) + len(skipped) >= batch_rows:
                yield documents, skipped
                documents, skipped = [], []
    except BadFile as error:
        skipped.append(Skipped(name, str(error)))
    except OSError as error:  # gzip.BadGzipFile, a file that vanished or cannot be read
        skipped.append(Skipped(name, f"cannot read ({error.strerror or error})"))
    if documents or skipped:
        yield documents, skipped


def _document(where: str, row: dict[str, Any] | str, digest: str, columns: Columns) -> RawDocument | Skipped:
    """The row as a document, or one line saying why not (a row that could not be parsed is its problem)."""
    if isinstance(row, str):
        return Skipped(where, row)
    lang_column = columns.lang or next((c for c in LANG_DEFAULTS if c in row), LANG_DEFAULTS[0])
    doc_id, body, lang = row.get(columns.id), row.get(columns.text), row.get(lang_column)
    license_name = row.get("license")
    license_name = license_name.strip() if isinstance(license_name, str) else None
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)) or str(doc_id).strip() == "":
        return Skipped(where, f'missing "{columns.id}"')
    doc_id = document_id(str(doc_id))
    if lang not in (None, "") and not (isinstance(lang, str) and languages.is_code(lang)):
        shown = safe_field(lang) if isinstance(lang, str) else json.dumps(lang, default=str)[:40]
        return Skipped(where, f'"{lang_column}" {shown!r} is not a language code', doc_id)
    if not isinstance(body, str):
        return Skipped(where, f'missing "{columns.text}" (a string)', doc_id)
    if len(body) > MAX_FILE_BYTES:
        return Skipped(where, f"text larger than {MAX_FILE_BYTES // 2**20} MB", doc_id)
    body = clean_text(body)
    if not body.strip():
        return Skipped(where, "empty text", doc_id)
    problem = too_long_line(body)
    if problem:
        return Skipped(where, problem, doc_id)
    return RawDocument(doc_id, body, where, digest, lang or None, license_name or None)


# ---------------------------------------------------------------------------------------------------
# JSONL: one object per line, plain or compressed


def _jsonl_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | str, str]]:
    """(line number, object, sha256 of the line) per line; a line that is no object: what is wrong."""
    with _open_lines(path) as stream:
        number = 0
        while True:
            try:
                line = stream.readline(MAX_FILE_BYTES + 1)  # bounded: a line is one record
            except EOFError as error:  # gzip: the stream ends inside a member
                raise BadFile(f"truncated after line {number} ({error})") from None
            except _zstd_error() as error:
                raise BadFile(f"not zstd, or damaged after line {number} ({error})") from None
            if not line:
                return
            number += 1
            if len(line) > MAX_FILE_BYTES:
                raise BadFile(f"line {number} is larger than {MAX_FILE_BYTES // 2**20} MB: not a record")
            if not line.strip():
                continue
            try:
                text = decode(line, str(path))
            except ValueError as error:
                if number == 1:  # binary, UTF-16 or a legacy encoding: the whole file is
                    raise BadFile(str(error)) from None
                yield number, str(error), ""
                continue
            yield number, _json_object(text), hashlib.sha256(line.rstrip(b"\r\n")).hexdigest()


def _json_object(line: str) -> dict[str, Any] | str:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return f"not valid JSON ({error.msg})"
    if not isinstance(record, dict):
        return 'a JSONL line must be an object with "id" and "text"'
    return record


def _open_lines(path: Path) -> BinaryIO:
    name = path.name.lower()
    if name.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if name.endswith(".zst"):
        return io.BufferedReader(_ZstdRaw(open(path, "rb")))  # noqa: SIM115 (closed with the reader)
    return open(path, "rb")  # noqa: SIM115


def _zstd_error() -> type[Exception]:
    import zstandard

    return zstandard.ZstdError


class _ZstdRaw(io.RawIOBase):
    """Decompressed bytes of a ``.zst`` file, frame after frame. Written around ``decompressobj`` because
    zstandard's ``stream_reader`` ends quietly on a truncated frame; ``decompressobj.eof`` tells."""

    def __init__(self, source: BinaryIO) -> None:
        import zstandard

        self._source = source
        self._new = zstandard.ZstdDecompressor().decompressobj
        self._decoder = self._new()
        self._pending, self._offset = memoryview(b""), 0  # decompressed, and how much was handed out
        self._in_frame = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        while self._offset >= len(self._pending):
            data = self._decoder.unused_data if self._decoder.eof else b""
            if self._decoder.eof:
                self._decoder, self._in_frame = self._new(), False
            data = data or self._source.read(_CHUNK)
            if not data:
                if self._in_frame:
                    raise _zstd_error()("the file ends inside a frame (truncated)")
                return 0
            self._in_frame = True
            self._pending, self._offset = memoryview(self._decoder.decompress(data)), 0
            if self._decoder.eof:
                self._in_frame = False
        size = min(len(buffer), len(self._pending) - self._offset)
        buffer[:size] = self._pending[self._offset : self._offset + size]
        self._offset += size
        return size

    def close(self) -> None:
        self._source.close()
        super().close()


# ---------------------------------------------------------------------------------------------------
# Parquet: a file, or each shard of a folder, read a batch of rows at a time


def _parquet_rows(path: Path, columns: Columns, batch_rows: int) -> Iterator[tuple[int, dict[str, Any], str]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        reader = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as error:
        raise BadFile(f"not a Parquet file ({error})") from None
    names = reader.schema_arrow.names
    lang = columns.lang or next((c for c in LANG_DEFAULTS if c in names), None)
    wanted = [c for c in (columns.id, columns.text, lang, "license") if c]
    missing = [c for c in wanted[:2] if c not in names] + ([lang] if lang and lang not in names else [])
    if missing:
        shown = ", ".join(names[:12])
        raise BadFile(
            f"no column {missing[0]!r} (columns: {shown}); name it with --{_option(missing[0], columns)}"
        )
    text_type = reader.schema_arrow.field(columns.text).type
    if not (pa.types.is_string(text_type) or pa.types.is_large_string(text_type)):
        raise BadFile(f"column {columns.text!r} holds {text_type}, not text")
    number = 0
    try:
        for batch in reader.iter_batches(batch_size=batch_rows, columns=[c for c in wanted if c in names]):
            for row in batch.to_pylist():
                number += 1
                body = row.get(columns.text)
                digest = hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest() if body else ""
                yield number, row, digest
    except (pa.ArrowException, OSError) as error:
        raise BadFile(f"damaged after row {number} ({error})") from None


def _option(column: str, columns: Columns) -> str:
    return "id-column" if column == columns.id else "text-column" if column == columns.text else "lang-column"
