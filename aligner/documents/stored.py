"""Documents whose sentences stay in a text shard, for engines whose driver must not hold every text.

On the Ray engine the tasks that segment the input write each batch's sentences to one new shard in a
folder every node sees (``write_sentences``), and send back ``StoredDocument``s: a document's id, language,
source and line numbers, and where its sentences are, never the sentences themselves. Whoever reads
``sentences`` (the driver for a lead, a task aligning a story) reads them from the shard, checked against
the digest the writer recorded, and keeps the last few read. A ``StoredDocument`` travels to a task as
that reference, so the texts pass from the segmenting task to the aligning task without the driver.
Hand-written because no library keeps a per-document blob addressable by offset on a shared file system
with a check; the layout is one file per batch, renamed into place once complete, as the vector shards.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
import uuid
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aligner.errors import AlignerError
from aligner.types import Document

TEXTS_SUFFIX = ".texts"
RECENT = 256  # documents' sentences kept after a read, per process: a story's documents are read together


@dataclass(frozen=True, slots=True)
class TextRef:
    """Where a document's sentences are: a shard, the place of their blob in it, and its digest."""

    shard: str
    offset: int
    length: int
    digest: bytes  # blake2b (16 bytes) of the blob as written


class StoredDocument(Document):
    """A ``Document`` whose ``sentences`` are read from a text shard when asked for (see the module)."""

    def __init__(self, document: Document, ref: TextRef) -> None:  # noqa: D107 - fields as its Document's
        for name in ("doc_id", "lang", "source", "paragraph_of", "sha256", "license"):
            object.__setattr__(self, name, getattr(document, name))
        object.__setattr__(self, "ref", ref)
        object.__setattr__(self, "count", len(document.sentences))

    @property
    def sentences(self) -> tuple[str, ...]:  # type: ignore[override]
        return read_sentences(self.ref)

    @property
    def sentence_count(self) -> int:
        # Counted when written: the shard ends with the run's engine (the terminal report is printed
        # after it closed), and a read costs a decompression and a check.
        return self.count

    def loaded(self) -> Document:
        """A plain ``Document`` with its sentences in memory."""
        return Document(
            self.doc_id, self.lang, self.source, self.sentences, self.paragraph_of, self.sha256, self.license
        )


def _blob(sentences: Sequence[str]) -> bytes:
    # JSON keeps every character of a sentence (lone surrogates included) and where each one ends
    text = json.dumps(list(sentences), ensure_ascii=False)
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 6)


def _digest(blob: bytes) -> bytes:
    return hashlib.blake2b(blob, digest_size=16).digest()


def write_sentences(folder: Path, documents: Sequence[Document]) -> list[StoredDocument]:
    """One new shard in ``folder`` with the sentences of ``documents``; each as a ``StoredDocument``."""
    if not documents:
        return []
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns():020d}-{uuid.uuid4().hex}{TEXTS_SUFFIX}"
    blobs = [_blob(document.sentences) for document in documents]
    partial = folder / f".{name}.part"
    with open(partial, "wb") as handle:
        for blob in blobs:
            handle.write(blob)
    os.replace(partial, folder / name)  # complete or absent: a writer killed midway leaves a .part only
    stored, offset, shard = [], 0, str(folder / name)  # one path string for the whole batch
    for document, blob in zip(documents, blobs, strict=True):
        stored.append(StoredDocument(document, TextRef(shard, offset, len(blob), _digest(blob))))
        offset += len(blob)
    return stored


@functools.lru_cache(maxsize=RECENT)
def read_sentences(ref: TextRef) -> tuple[str, ...]:
    """A document's sentences from its shard; a clear error when the shard is gone or changed."""
    try:
        with open(ref.shard, "rb") as handle:
            blob = os.pread(handle.fileno(), ref.length, ref.offset)
    except OSError as error:
        reason = error.strerror or error
        raise AlignerError(f"{ref.shard}: cannot read the run's sentences ({reason})") from None
    if len(blob) != ref.length or _digest(blob) != ref.digest:
        raise AlignerError(f"{ref.shard}: the run's sentences changed while it ran (offset {ref.offset})")
    sentences = json.loads(zlib.decompress(blob).decode("utf-8", "surrogatepass"))
    return tuple(sentences)
