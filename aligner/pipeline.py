"""``aligner run``: the whole pipeline, top to bottom, from input paths to an output folder.

read → language → segment → embed → stories → align → numbers → export. Output is written to a
temporary folder beside ``--out`` and renamed into place only when everything is written, so a
failed or interrupted run never leaves a half-written folder or damages the previous output.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from aligner import __version__
from aligner.align import AlignConfig, align_story
from aligner.embed import Embedder, weights_sha256
from aligner.errors import AlignerError
from aligner.export import write_outputs
from aligner.language import assign_languages
from aligner.languages import supported
from aligner.numbers import NumberConfig, check_units
from aligner.output import (
    output_path,
    recover_interrupted_swap,
    refuse_unswappable,
    swap_into_place,
    temp_folder,
)
from aligner.parallel import align_in_workers, available_cores, can_run_in_workers
from aligner.progress import spinner, track
from aligner.read import read_documents
from aligner.segment import segment_documents
from aligner.stories import StoryConfig, cluster_stories_detailed
from aligner.types import Document, RunResult, Skipped, Unit


@dataclass(frozen=True)
class RunOptions:
    """Every setting of a run besides the stage configs; all recorded in the manifest."""

    languages: tuple[str, ...] = field(default_factory=supported)
    lang_overrides: Mapping[str, str] = field(default_factory=dict)
    presplit: bool = False
    seed: int = 0
    min_score: float = 0.0
    align: AlignConfig = field(default_factory=AlignConfig)
    stories: StoryConfig = field(default_factory=StoryConfig)
    numbers: NumberConfig = field(default_factory=NumberConfig)


class StageClock:
    """Wall time per stage, for the manifest and the report."""

    def __init__(self, log: Callable[[str], None]) -> None:
        self.timings: dict[str, float] = {}
        self.log = log

    @contextmanager
    def stage(self, name: str):
        self.log(f"{name}…")
        start = time.perf_counter()
        yield
        self.timings[name] = round(time.perf_counter() - start, 3)


class DocumentVectors(Mapping[str, np.ndarray]):
    """Sentence vectors per document, read from the embedder's store when asked for.

    Nothing is held per document: the stages that need a document's vectors get a fresh copy and
    drop it, so memory grows with the largest story, not with the corpus.
    """

    def __init__(self, documents: Sequence[Document], embedder: Embedder) -> None:
        self._sentences = {document.doc_id: document.sentences for document in documents}
        self._embedder = embedder

    def __getitem__(self, doc_id: str) -> np.ndarray:
        return self._embedder.store.get(self._sentences[doc_id])

    def __iter__(self):
        return iter(self._sentences)

    def __len__(self) -> int:
        return len(self._sentences)


def embed_documents(documents: Sequence[Document], embedder: Embedder) -> DocumentVectors:
    """Sentence vectors per document; every distinct sentence of the whole run is encoded once."""
    embedder.prepare(
        [sentence for document in documents for sentence in document.sentences], label="encoding sentences"
    )
    return DocumentVectors(documents, embedder)


PARALLEL_MIN_STORIES = 16  # below this, starting workers (imports, maybe the model) costs more than it saves


def align_jobs(requested: int, stories: int, embedder: Embedder) -> int:
    """Worker processes for aligning: ``requested``, or 0 = auto (every core once there is enough work)."""
    if not can_run_in_workers(embedder) or stories < 2:
        return 1
    if requested == 0:
        return min(available_cores(), stories) if stories >= PARALLEL_MIN_STORIES else 1
    return max(1, min(requested, stories))


def align_stories(
    stories, documents: Mapping[str, Document], embedder: Embedder, config: AlignConfig, jobs: int = 1
) -> list[Unit]:
    """Units of every story with two or more documents, in story order (``jobs`` > 1: in workers)."""
    todo = [s for s in stories if len(s.docs) > 1]
    jobs = align_jobs(jobs, len(todo), embedder)
    units: list[Unit] = []
    if jobs == 1:
        for story in track(todo, "aligning stories"):
            units.extend(align_story(story, documents, embedder, config))
        return units
    for story_units, encoded in track(
        align_in_workers(todo, documents, embedder, config, jobs), "aligning stories", total=len(todo)
    ):
        units.extend(story_units)
        embedder.encoded_texts += encoded  # the manifest counts every text encoded, wherever it was
    return units


def prepare_documents(
    inputs: Sequence[Path],
    lang_overrides: Mapping[str, str] | None = None,
    presplit: bool = False,
    languages: Sequence[str] | None = None,
    seed: int = 0,
    clock: StageClock | None = None,
    any_language: bool = False,
) -> tuple[list[Document], list[Skipped]]:
    """Read, detect languages and segment: the documents that can be aligned, and what was skipped.

    ``languages``: the codes to keep (default: every language with a profile); ``any_language`` keeps
    whatever language a document is in.
    """
    clock = clock or StageClock(lambda message: None)
    with clock.stage("read"):
        read = read_documents(inputs)
        skipped: list[Skipped] = list(read.skipped)
    with clock.stage("language"):
        kept = None if any_language else tuple(languages or supported())
        found, lost = assign_languages(read.documents, kept, lang_overrides or {}, seed)
        skipped.extend(lost)
    with clock.stage("segment"):
        documents = []
        for document in segment_documents(read.documents, found, presplit):
            if document.sentences:
                documents.append(document)
            else:
                skipped.append(Skipped(document.source, "no sentences after segmentation", document.doc_id))
    return documents, skipped


def skip_summary(skipped: Sequence[Skipped], most: int = 3) -> str:
    """The first few skipped inputs and why, for a one-line error."""
    return "; ".join(f"{item.source}: {item.reason}" for item in skipped[:most]) or "no input files"


def load_side(path: Path, lang: str | None = None, presplit: bool = False) -> Document:
    """One document for ``aligner align``, in whatever language it is: a clear error when it cannot be used.

    The user named this file, so a detected language without a profile is aligned too (the model
    covers 100+ languages), with the generic sentence rules and number reading.
    """
    overrides = {Path(path).stem: lang} if lang else {}
    documents, skipped = prepare_documents([Path(path)], overrides, presplit, any_language=True)
    if not documents:
        reason = skipped[0].reason if skipped else "no text"
        raise AlignerError(f"{path}: {reason}")
    return documents[0]


def process(
    inputs: Sequence[Path],
    embedder: Embedder,
    options: RunOptions = RunOptions(),
    log: Callable[[str], None] = lambda message: None,
    jobs: int = 0,
) -> RunResult:
    """Run every stage in memory and return what the run produced (no files written).

    ``jobs``: worker processes for aligning stories (0 = auto, 1 = none); it never changes the output,
    so it is not one of the recorded parameters.
    """
    clock = StageClock(log)
    documents, skipped = prepare_documents(
        inputs, options.lang_overrides, options.presplit, options.languages, options.seed, clock
    )
    if not documents:
        raise AlignerError(f"nothing to align: no usable document in the input ({skip_summary(skipped)})")
    by_id = {document.doc_id: document for document in documents}
    encoded_before = embedder.encoded_texts
    with clock.stage("embed"):
        embeddings = embed_documents(documents, embedder)
    with clock.stage("stories"), spinner("clustering stories"):
        clustering = cluster_stories_detailed(documents, embeddings, options.stories)
        stories = clustering.stories
    notices = [
        f"{story.docs[0]}: a story of one document ({by_id[story.docs[0]].lang}); nothing to align it with"
        for story in stories
        if len(story.docs) == 1
    ]
    with clock.stage("align"):
        units = align_stories(stories, by_id, embedder, options.align, jobs)
    with clock.stage("numbers"):
        findings = check_units(units, options.numbers)
    sentence_count = sum(len(d.sentences) for d in documents)
    encoded = embedder.encoded_texts - encoded_before
    manifest = {
        "tool": "aligner",
        "version": __version__,
        "model": {
            "name": embedder.encoder.name,
            "fingerprint": embedder.encoder.fingerprint,
            "weights_sha256": weights_sha256(embedder.encoder),
            "dim": int(embedder.store.dim),
        },
        "parameters": _parameters(options),
        "inputs": sorted(
            ({"doc": d.doc_id, "source": d.source, "sha256": d.sha256, "lang": d.lang} for d in documents),
            key=lambda item: item["doc"],
        ),
        "skipped": [dataclasses.asdict(s) for s in skipped],
        "notices": notices,
        "stories_calibration": {
            "join_threshold": clustering.calibration.join_threshold,
            "sentence_bars": dict(sorted(clustering.calibration.pair_bars.items())),
            "how": clustering.calibration.how,
        },
        "counts": {
            "documents": len(documents),
            "skipped": len(skipped),
            "sentences": sentence_count,
            "stories": len(stories),
            "units": len(units),
            "findings": sum(f.kind != "matched" for f in findings),
            "encoded_texts": encoded,
            "encoded_per_sentence": round(encoded / sentence_count, 4) if sentence_count else 0.0,
        },
        "timings": clock.timings,
    }
    return RunResult(documents, skipped, stories, units, findings, manifest)


def _parameters(options: RunOptions) -> dict:
    plain = dataclasses.asdict(options)
    plain["languages"] = list(options.languages)
    plain["lang_overrides"] = dict(sorted(options.lang_overrides.items()))
    return json.loads(json.dumps(plain, default=str))


def check_out_dir(out: Path, force: bool, log: Callable[[str], None] = lambda message: None) -> None:
    """Refuse early (before any work) an output folder that exists, unless ``force``; or cannot be made
    or replaced. Leftovers of an interrupted run's swap are put right first (``aligner.output``)."""
    out = Path(out)
    refuse_unswappable(out)
    parent = output_path(out).parent
    if not parent.is_dir():
        raise AlignerError(f"{parent}: no such folder for the output")
    recover_interrupted_swap(out, log)
    if out.exists() and not force:
        raise AlignerError(f"{out}: output folder exists; use --force to replace it")
    if out.exists() and not out.is_dir():
        raise AlignerError(f"{out}: exists and is not a folder")
    if not os.access(parent, os.W_OK):
        raise AlignerError(f"{parent}: not writable")


def write_run(result: RunResult, out: Path, force: bool = False) -> Path:
    """Write every output file into a temporary folder, then swap it into place atomically."""
    out = Path(out)
    check_out_dir(out, force)
    try:
        _swap_in(result, out)
    except OSError as error:  # disk full, permissions, a vanished folder: one line, previous output intact
        reason = error.strerror or str(error)
        raise AlignerError(f"{out}: could not write the output ({reason}); nothing was changed") from None
    return out


def _swap_in(result: RunResult, out: Path) -> None:
    work = temp_folder(out, "tmp")
    try:
        write_outputs(result, work, min_score=result.manifest["parameters"].get("min_score", 0.0))
        manifest = json.dumps(result.manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        (work / "manifest.json").write_text(manifest, encoding="utf-8")
        swap_into_place(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def run(
    inputs: Sequence[Path],
    out: Path,
    embedder: Embedder,
    options: RunOptions = RunOptions(),
    force: bool = False,
    log: Callable[[str], None] = lambda message: None,
    jobs: int = 0,
) -> RunResult:
    """``aligner run`` from Python: process the inputs and write the output folder."""
    check_out_dir(Path(out), force)
    result = process(inputs, embedder, options, log, jobs)
    write_run(result, out, force)
    return result
