"""Read, language and segment as one map over input files, so an engine can run it anywhere.

Each file is read, and each of its documents gets its language and sentences, on its own
(``prepare_files``); ``assemble`` then puts the files back in input order and drops repeated ids, so
the documents and the skipped list are the same whichever engine ran the map and in what order.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from aligner.documents.detect import assign_languages
from aligner.documents.read import expand_inputs, join_files, read_file_batches, record_suffix
from aligner.documents.read_records import Columns
from aligner.documents.segment import segment_documents
from aligner.documents.stored import write_sentences
from aligner.types import Document, Mapper, RawDocument, Skipped

READ, LANGUAGE, SEGMENT = "read", "language", "segment"
FILES_PER_TASK = 64  # files prepared by one task: enough work to outweigh a remote call


@dataclass(frozen=True)
class PrepareSettings:
    kept: tuple[str, ...] | None  # languages to keep (None: any)
    overrides: Mapping[str, str]
    presplit: bool
    seed: int
    columns: Columns = Columns()  # where record files keep ids, texts and languages
    # A folder every node sees (the Ray engine's): each batch's sentences go to a text shard there and the
    # documents come back as references to them (``stored.StoredDocument``). None: documents hold them.
    texts: str | None = None


@dataclass
class PreparedFile:
    """One input file: its raw documents, and each document's fate."""

    raw: list[RawDocument]  # ids and sources only: a text is dropped once segmented
    read_skips: list[Skipped]
    # Per raw document, by id: ("ok", Document) or the stage that dropped it and why.
    outcomes: dict[str, tuple[str, Document | Skipped]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def prepare_file(path: Path, settings: PrepareSettings) -> PreparedFile:
    """One file, a batch of documents at a time: a Parquet shard or a compressed JSONL file is never
    held whole as text. Of each raw document only its id and source are kept (``assemble`` needs no
    more); its text lives on in its sentences."""
    prepared = PreparedFile([], [], seconds={READ: 0.0, LANGUAGE: 0.0, SEGMENT: 0.0})
    seen: set[str] = set()
    clock = time.perf_counter()
    for raw, read_skips in read_file_batches(Path(path), settings.columns):
        prepared.seconds[READ] += time.perf_counter() - clock
        prepared.read_skips.extend(read_skips)
        first = [d for d in raw if not (d.doc_id in seen or seen.add(d.doc_id))]  # a repeated id: its first
        _prepare_batch(first, settings, prepared)
        prepared.raw.extend(dataclasses.replace(d, text="") for d in raw)
        clock = time.perf_counter()
    prepared.seconds[READ] += time.perf_counter() - clock
    return prepared


def _prepare_batch(first: list[RawDocument], settings: PrepareSettings, prepared: PreparedFile) -> None:
    """Language and sentences of a batch of documents, into ``prepared.outcomes``."""
    clock = time.perf_counter()
    languages, lost = assign_languages(
        first, settings.kept, settings.overrides, settings.seed, progress=False
    )
    for skip in lost:
        prepared.outcomes[skip.doc_id or ""] = (LANGUAGE, skip)
    prepared.seconds[LANGUAGE] += time.perf_counter() - clock
    clock = time.perf_counter()
    kept: list[Document] = []
    for document in segment_documents(first, languages, settings.presplit):
        if document.sentences:
            kept.append(document)
        else:
            reason = Skipped(document.source, "no sentences after segmentation", document.doc_id)
            prepared.outcomes[document.doc_id] = (SEGMENT, reason)
    if settings.texts is not None:
        kept = write_sentences(Path(settings.texts), kept)
    for document in kept:
        prepared.outcomes[document.doc_id] = ("ok", document)
    prepared.seconds[SEGMENT] += time.perf_counter() - clock


def prepare_files(paths: Sequence[Path], settings: PrepareSettings) -> list[PreparedFile]:
    """``prepare_file`` of several files: one engine task."""
    return [prepare_file(path, settings) for path in paths]


def assemble(
    prepared: Iterable[PreparedFile], expand_skips: list[Skipped]
) -> tuple[list[Document], list[Skipped], dict[str, float]]:
    """Documents in input order, and what was skipped: read, then language, then segmentation."""
    prepared = list(prepared)
    read = join_files(((p.raw, p.read_skips) for p in prepared), expand_skips)
    outcomes: dict[str, tuple[str, Document | Skipped]] = {}
    for item in prepared:  # a repeated id keeps its first document, as join_files does
        for doc_id, outcome in item.outcomes.items():
            outcomes.setdefault(doc_id, outcome)
    documents: list[Document] = []
    dropped: dict[str, list[Skipped]] = {LANGUAGE: [], SEGMENT: []}
    for raw in read.documents:
        stage, value = outcomes[raw.doc_id]
        if stage == "ok":
            assert isinstance(value, Document)
            documents.append(value)
        else:
            assert isinstance(value, Skipped)
            dropped[stage].append(value)
    seconds = {stage: sum(p.seconds.get(stage, 0.0) for p in prepared) for stage in (READ, LANGUAGE, SEGMENT)}
    return documents, [*read.skipped, *dropped[LANGUAGE], *dropped[SEGMENT]], seconds


def file_tasks(files: Sequence[Path]) -> list[list[Path]]:
    """Files in input order, in tasks of up to ``FILES_PER_TASK`` text files; a record file (a Parquet
    shard, a JSONL file: many documents) is a task of its own, so shards are prepared in parallel."""
    tasks: list[list[Path]] = []
    for path in files:
        if (
            record_suffix(path)
            or not tasks
            or len(tasks[-1]) >= FILES_PER_TASK
            or record_suffix(tasks[-1][0])
        ):
            tasks.append([path])
        else:
            tasks[-1].append(path)
    return tasks


def prepare_inputs(
    inputs: Sequence[Path], settings: PrepareSettings, mapper: Mapper
) -> tuple[list[Document], list[Skipped], dict[str, float]]:
    """Every input file prepared through ``mapper`` (an engine's ordered map), then assembled."""
    import functools

    files, expand_skips = expand_inputs(list(inputs))
    chunks = file_tasks(files)
    per_chunk = mapper(functools.partial(prepare_files, settings=settings), chunks)
    return assemble((item for chunk in per_chunk for item in chunk), expand_skips)
