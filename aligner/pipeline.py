"""``aligner run``: the whole pipeline, top to bottom, from input paths to an output folder.

read → language → segment → embed → stories → align → numbers → export. Output is written to a
temporary folder beside ``--out`` and renamed into place only when everything is written, so a
failed or interrupted run never leaves a half-written folder or damages the previous output.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import closing, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from aligner import __version__
from aligner.align import AlignConfig
from aligner.align.rounds import align_in_rounds
from aligner.documents.prepare import PrepareSettings, prepare_inputs
from aligner.documents.read_records import Columns
from aligner.embedding.embedder import Embedder
from aligner.embedding.encoder import weights_sha256
from aligner.embedding.store import RunStore
from aligner.engines import Engine, LocalEngine
from aligner.errors import AlignerError
from aligner.export import SHARD_UNITS, record_digests, write_outputs
from aligner.export.files import write_text
from aligner.export.records import DIGESTS as RECORD_DIGESTS
from aligner.export.spool import Spool
from aligner.languages import supported
from aligner.numbers import NumberConfig, check_units
from aligner.report.progress import spinner, track
from aligner.rundir.resume import StoryUnits
from aligner.rundir.swap import (
    clear_leftovers,
    output_path,
    probe_writable,
    refuse_overlap,
    refuse_unswappable,
    restore_interrupted_swap,
    swap_into_place,
    temp_folder,
)
from aligner.stories.cluster import StoryResult
from aligner.stories.config import StoryConfig
from aligner.stories.first_look import (
    FirstLook,
    FirstLookConfig,
    count_distinct,
    first_look,
    in_play,
    sentences_needed,
    stories_after_first_look,
)
from aligner.types import Document, Mapper, NumberFinding, RunResult, Skipped, Story, Unit


@dataclass(frozen=True)
class RunOptions:
    """Every setting of a run besides the stage configs; all recorded in the manifest."""

    languages: tuple[str, ...] = field(default_factory=supported)
    lang_overrides: Mapping[str, str] = field(default_factory=dict)
    presplit: bool = False
    seed: int = 0
    min_score: float = 0.0
    shard_units: int = SHARD_UNITS  # a run with more units is written in shards (and Parquet)
    align: AlignConfig = field(default_factory=AlignConfig)
    stories: StoryConfig = field(default_factory=StoryConfig)
    numbers: NumberConfig = field(default_factory=NumberConfig)
    # Encode only the leads first; the rest of a document only when it has a candidate partner
    # (aligner/stories/first_look.py). Off (--encode-all): every sentence encoded and every document
    # searched by its vector too; the same output unless the first look missed a pair.
    story_first: bool = True
    first_look: FirstLookConfig = field(default_factory=FirstLookConfig)
    columns: Columns = field(default_factory=Columns)  # of Parquet and JSONL inputs (--text-column...)


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
    drop it, so memory grows with the largest story, not with the corpus. Nor its sentences: a
    document kept in a text shard (``documents/stored.py``) is read when its vectors are asked for.
    """

    def __init__(self, documents: Sequence[Document], embedder: Embedder) -> None:
        self._documents = {document.doc_id: document for document in documents}
        self._embedder = embedder

    def __getitem__(self, doc_id: str) -> np.ndarray:
        return self._embedder.store.get(self._documents[doc_id].sentences)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._documents  # without reading its vectors (Mapping's own would)

    def rows(self, doc_id: str) -> int:
        """How many vectors ``self[doc_id]`` has (one a sentence), without reading them."""
        return self._documents[doc_id].sentence_count

    @property
    def store(self) -> RunStore:
        """Where they are read from: an engine's tasks read them there when it is ``shareable``."""
        return self._embedder.store

    def __iter__(self):
        return iter(self._documents)

    def __len__(self) -> int:
        return len(self._documents)


def form_stories(
    documents: Sequence[Document],
    embedder: Embedder,
    options: RunOptions,
    mapper: Mapper | None = None,
    clock: StageClock | None = None,
) -> tuple[FirstLook, StoryResult]:
    """The first look, the sentence vectors the stories need, and the stories stage (stages "embed" and
    "stories" of ``clock``). Both modes take the first look: the stories stage calibrates on its pairs, so
    its bars and threshold are the same whatever was encoded; ``options.story_first`` off (--encode-all)
    encodes every document and searches them all too."""
    stage = clock.stage if clock is not None else (lambda name: nullcontext())
    with stage("embed"):
        same_language = not options.stories.one_per_language
        look = first_look(documents, embedder, options.first_look, same_language, mapper)
        embeddings = embed_documents(in_play(documents, look) if options.story_first else documents, embedder)
    with stage("stories"), spinner("clustering stories"):
        encode_all = not options.story_first
        return look, stories_after_first_look(
            documents, embeddings, options.stories, look, mapper, encode_all
        )


def embed_documents(documents: Sequence[Document], embedder: Embedder) -> DocumentVectors:
    """Sentence vectors per document; every distinct sentence of the whole run is encoded once."""
    embedder.prepare(
        [sentence for document in documents for sentence in document.sentences], label="encoding sentences"
    )
    return DocumentVectors(documents, embedder)


def align_stories(
    stories: Sequence[Story],
    documents: Mapping[str, Document],
    embedder: Embedder,
    config: AlignConfig,
    jobs: int = 1,
    engine: Engine | None = None,
    reuse: StoryUnits | None = None,
) -> Spool[Unit]:
    """Units of every story with two or more documents, in story order, spooled to disk as they come.

    The stories are aligned in rounds through the engine's map, the concatenations each round asks for
    encoded in bulk by the embedder (align/rounds.py). ``reuse``: units of stories aligned before (same
    documents, sentences, model and settings) are taken from there, and each story aligned now is kept
    there the moment it is done, so an interrupted run resumes where it stopped and a run with a few new
    documents aligns only the stories they changed.
    """
    if engine is None:
        with closing(LocalEngine(jobs)) as local:
            return align_stories(stories, documents, embedder, config, jobs, local, reuse)
    todo = [s for s in stories if len(s.docs) > 1]
    found: dict[int, list[Unit]] = {}  # done, not spooled yet: a story done before one ahead of it
    keys = [reuse.key(story, documents) for story in todo] if reuse else []
    if reuse:
        for position, story in enumerate(todo):
            units = reuse.get(keys[position], story, documents)
            if units is not None:
                found[position] = units
        reuse.reused = len(found)
    left = [position for position in range(len(todo)) if position not in found]
    chosen = [todo[p] for p in left]
    spool: Spool[Unit] = Spool()
    spooled = 0  # stories of ``todo`` whose units are in the spool: a story's units go in together, in order

    def spool_ready() -> None:
        nonlocal spooled
        while spooled in found:
            spool.extend(found.pop(spooled))
            spooled += 1

    spool_ready()
    results = align_in_rounds(chosen, documents, embedder, config, engine.map, engine.align_rounds)
    for done, units in track(results, "aligning stories", total=len(left)):
        found[left[done]] = units
        if reuse:
            reuse.put(keys[left[done]], units)
        spool_ready()
    return spool


CHECKED_AT_ONCE = 2048  # units that go to the engine's map together (whole stories): bounds what is held


def check_stories(units: Sequence[Unit], config: NumberConfig, engine: Engine) -> Spool[NumberFinding]:
    """Number findings of every unit, one story per task, in unit order (``units`` in story order, as
    ``align_stories`` gives them), spooled as they come."""
    findings: Spool[NumberFinding] = Spool()
    stories: list[list[Unit]] = []
    held = 0

    def check() -> None:
        for found in engine.map(check_units, stories, common=config):
            findings.extend(found)
        stories.clear()

    for unit in units:
        if not stories or stories[-1][0].story_id != unit.story_id:
            if held >= CHECKED_AT_ONCE:
                check()
                held = 0
            stories.append([])
        stories[-1].append(unit)
        held += 1
    if stories:
        check()
    return findings


def prepare_documents(
    inputs: Sequence[Path],
    lang_overrides: Mapping[str, str] | None = None,
    presplit: bool = False,
    languages: Sequence[str] | None = None,
    seed: int = 0,
    clock: StageClock | None = None,
    any_language: bool = False,
    engine: Engine | None = None,
    columns: Columns | None = None,
) -> tuple[list[Document], list[Skipped]]:
    """Read, detect languages and segment: the documents that can be aligned, and what was skipped.

    ``languages``: the codes to keep (default: every language with a profile); ``any_language`` keeps
    whatever language a document is in; ``columns``: where record files keep ids, texts and languages.
    One map over the input files (``aligner/documents/prepare.py``).
    """
    kept = None if any_language else tuple(languages or supported())
    engine = engine or LocalEngine()
    texts = str(engine.texts) if engine.texts is not None else None  # where its tasks keep the sentences
    settings = PrepareSettings(kept, dict(lang_overrides or {}), presplit, seed, columns or Columns(), texts)
    documents, skipped, seconds = prepare_inputs(inputs, settings, engine.map)
    if clock is not None:
        clock.timings.update({stage: round(value, 3) for stage, value in seconds.items()})
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


def work_folder(out: Path) -> Path:
    """Kept beside ``--out`` between runs: units of stories already aligned (and the Ray engine's vectors)."""
    out = Path(out).resolve()
    return out.parent / f".{out.name}.work"


def process(
    inputs: Sequence[Path],
    embedder: Embedder,
    options: RunOptions = RunOptions(),
    log: Callable[[str], None] = lambda message: None,
    jobs: int = 0,
    engine: Engine | None = None,
    work: Path | None = None,
) -> RunResult:
    """Run every stage in memory and return what the run produced (no files written).

    ``engine`` decides where the stages run (default: this process, aligning in ``jobs`` worker
    processes: 0 = auto, 1 = none); ``work`` is a folder kept between runs, from which stories aligned
    before are reused. Neither changes the output, so neither is one of the recorded parameters.
    """
    if engine is None:  # workers it may start end with the run
        with closing(LocalEngine(jobs)) as local:
            return process(inputs, embedder, options, log, jobs, local, work)
    embedder = engine.setup(embedder, work)
    clock = StageClock(log)
    log("reading, detecting languages, segmenting…")
    documents, skipped = prepare_documents(
        inputs,
        options.lang_overrides,
        options.presplit,
        options.languages,
        options.seed,
        clock,
        engine=engine,
        columns=options.columns,
    )
    if not documents:
        raise AlignerError(f"nothing to align: no usable document in the input ({skip_summary(skipped)})")
    by_id = {document.doc_id: document for document in documents}
    encoded_before = embedder.encoded_texts
    look, clustering = form_stories(documents, embedder, options, engine.map, clock)
    stories, calibration = clustering.stories, clustering.calibration
    look_counts = _first_look_counts(documents, look if options.story_first else None, options.first_look)
    del look, clustering  # every pair's evidence and the lead vectors: not held while stories are aligned
    notices = [
        f"{story.docs[0]}: a story of one document ({by_id[story.docs[0]].lang}); nothing to align it with"
        for story in stories
        if len(story.docs) == 1
    ]
    reuse = StoryUnits(work / "stories", _reuse_context(embedder, options)) if work is not None else None
    with clock.stage("align"):
        units = align_stories(stories, by_id, embedder, options.align, engine=engine, reuse=reuse)
    with clock.stage("numbers"):
        findings = check_stories(units, options.numbers, engine)
    sentence_count = sum(d.sentence_count for d in documents)
    encoded = embedder.encoded_texts - encoded_before
    manifest = {
        "tool": "aligner",
        "version": __version__,
        "model": {
            "name": embedder.encoder.name,
            "fingerprint": embedder.encoder.fingerprint,
            "runtime": getattr(embedder.encoder, "backend", None),  # onnx, openvino, torch; None: test double
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
            "join_threshold": calibration.join_threshold,
            "sentence_bars": dict(sorted(calibration.pair_bars.items())),
            "how": calibration.how,
        },
        "counts": {
            "documents": len(documents),
            "skipped": len(skipped),
            "sentences": sentence_count,
            "stories": len(stories),
            "units": len(units),
            "findings": sum(f.kind != "matched" for f in findings),
            "first_look": look_counts,
        },
        # How this run went, not what it produced: another engine, cache or rerun may differ here.
        "execution": {
            "engine": engine.name,
            "encoded_texts": encoded,
            "encoded_per_sentence": round(encoded / sentence_count, 4) if sentence_count else 0.0,
            "stories_aligned": sum(len(s.docs) > 1 for s in stories) - (reuse.reused if reuse else 0),
            "stories_reused": reuse.reused if reuse else 0,
            "nodes": dict(sorted(engine.nodes.items())),
        },
        "timings": clock.timings,
    }
    return RunResult(documents, skipped, stories, units, findings, manifest)


def _first_look_counts(documents: Sequence[Document], look, config: FirstLookConfig) -> dict:
    """Distinct sentences the stories needed vectors for, and how many the first look spared."""
    distinct = count_distinct(sentence for document in documents for sentence in document.sentences)
    needed = sentences_needed(documents, look, config)
    return {
        "enabled": look is not None,
        "documents_encoded_in_full": len(in_play(documents, look)),
        "candidate_pairs": len(look.candidates) if look else 0,
        "sentences_encoded": needed,
        "sentences_saved": distinct - needed,
    }


def _reuse_context(embedder: Embedder, options: RunOptions) -> dict:
    """What a story's units depend on besides its documents: tool, model, and the aligner's settings."""
    return {
        "version": __version__,
        "model": embedder.encoder.fingerprint,
        "align": json.loads(json.dumps(dataclasses.asdict(options.align), default=str)),
    }


def _parameters(options: RunOptions) -> dict:
    plain = dataclasses.asdict(options)
    plain["languages"] = list(options.languages)
    plain["lang_overrides"] = dict(sorted(options.lang_overrides.items()))
    return json.loads(json.dumps(plain, default=str))


def check_out_dir(
    out: Path,
    force: bool,
    log: Callable[[str], None] = lambda message: None,
    inputs: Sequence[Path] = (),
) -> None:
    """Refuse early (before any work) an output folder that exists, unless ``force``; that overlaps an
    input; or that cannot be made or replaced. An interrupted run's swap is put right first, and its
    leftovers are deleted only once this run is accepted (``aligner.rundir.swap``)."""
    out = Path(out)
    refuse_unswappable(out)
    parent = output_path(out).parent
    if not parent.is_dir():
        raise AlignerError(f"{parent}: no such folder for the output")
    refuse_overlap(out, inputs)
    restore_interrupted_swap(out, log)
    if out.exists() and not force:
        raise AlignerError(f"{out}: output folder exists; use --force to replace it")
    if out.exists() and not out.is_dir():
        raise AlignerError(f"{out}: exists and is not a folder")
    if not os.access(parent, os.W_OK):
        raise AlignerError(f"{parent}: not writable")
    probe_writable(out)
    clear_leftovers(out, log)


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
        parameters = result.manifest["parameters"]
        write_outputs(
            result, work, parameters.get("min_score", 0.0), parameters.get("shard_units", SHARD_UNITS)
        )
        result.manifest[RECORD_DIGESTS] = record_digests(work)  # export and check verify the records by these
        # in pieces: a crawl's manifest lists every input
        encoder = json.JSONEncoder(ensure_ascii=False, indent=2, sort_keys=True)
        write_text(work / "manifest.json", itertools.chain(encoder.iterencode(result.manifest), ["\n"]))
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
    engine: Engine | str | None = None,
    resume: bool = True,
    ray_address: str | None = None,
    store: Path | None = None,
) -> RunResult:
    """``aligner run`` from Python: process the inputs and write the output folder.

    ``engine``: "local" (default), "ray", or an engine made by ``aligner.engines.make_engine`` (then
    the caller closes it); ``jobs``, ``ray_address`` and ``store`` are the named engine's settings.
    ``resume``: reuse the units of stories aligned by earlier runs into ``out`` (kept beside it).
    """
    from aligner.engines import make_engine

    check_out_dir(Path(out), force, log, inputs)  # before an engine starts: a bad --out is refused at once
    if engine is None or isinstance(engine, str):
        with closing(make_engine(engine or "local", jobs, address=ray_address, store=store)) as owned:
            return run(inputs, out, embedder, options, force, log, jobs, owned, resume)
    work = work_folder(out) if resume else None
    result = process(inputs, embedder, options, log, jobs, engine, work)
    write_run(result, out, force)
    return result
