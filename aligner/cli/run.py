"""The ``run`` command: read the inputs, align every story, write the output folder."""

from __future__ import annotations

import json
from pathlib import Path

import click

from aligner.choices import ENGINES, SHARD_UNITS, require_engine
from aligner.cli.exits import _log
from aligner.cli.options import (
    MAX_BEAD_LIMIT,
    ScoreType,
    _align_config,
    _columns,
    _embedder,
    _parse_languages,
    _warn_unmatched,
    columns_options,
    lang_overrides_option,
    languages_option,
    model_options,
    moves_option,
    objective_option,
)
from aligner.errors import UsageError


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


def _run_options(
    languages, lang_overrides, presplit, min_score, shard_units, align, several, story_first, columns
):
    """The RunOptions of ``run``'s command-line options, built at once."""
    from aligner.align import AlignConfig
    from aligner.languages import supported
    from aligner.pipeline import RunOptions
    from aligner.stories.config import StoryConfig

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


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out", type=click.Path(path_type=Path), required=True, help="Output folder (written atomically)."
)
@click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    is_eager=True,
    callback=_defaults_from,
    help='A TOML file of options (keys: the option names, e.g. objective = "sum"; inputs = [...]).',
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
    callback=lambda ctx, param, value: require_engine(value),  # before anything loads
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
    "--story-first/--encode-all",
    default=True,
    show_default=True,
    help="Encode the leads first and the rest of a document only when it has a candidate partner "
    "(the default); --encode-all encodes every sentence and also searches every document by its vector "
    "(slower; differs only where the first look missed a translation).",
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
