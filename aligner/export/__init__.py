"""Writing a run's files, and re-exporting a finished run in one format without re-encoding.

Formats:
    jsonl  documents.jsonl, stories.json, alignments.jsonl, numbers.jsonl (the full record; never filtered)
    tsv    pairs/<l1>-<l2>.tsv
    moses  pairs/<l1>-<l2>.<l1> and pairs/<l1>-<l2>.<l2>, line-aligned
    tmx    corpus.tmx
    parquet  parquet/units-*.parquet, a row per unit and language pair, and parquet/README.md (dataset card)
    html   report.html (the review page; never filtered, it has its own filters)
``min_score`` filters the bilingual pairs (by their pair score) and the TMX units (by the unit score).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from aligner.choices import SHARD_UNITS
from aligner.errors import AlignerError, UsageError
from aligner.export.files import write_text
from aligner.export.load import load_run
from aligner.export.pairs import write_moses, write_tsv
from aligner.export.parquet import write_parquet
from aligner.export.records import record_digests, refuse_non_finite, write_records
from aligner.export.tmx import write_tmx
from aligner.report.html import html_pieces
from aligner.rundir.swap import recover_interrupted_swap, temp_folder
from aligner.types import RunResult

REPORT_HTML = "report.html"

_WRITERS: dict[str, Callable[[RunResult, Path, float], list[Path]]] = {
    # in the run's own layout (one file or -of-N shards), so a re-export into the run folder is the same files
    "jsonl": lambda result, outdir, _min_score: write_records(result, outdir, _shard_units(result)),
    "tsv": write_tsv,
    "moses": write_moses,
    "tmx": write_tmx,
    "parquet": write_parquet,
    "html": lambda result, outdir, _min_score: [write_text(outdir / REPORT_HTML, html_pieces(result))],
}
FORMATS = tuple(_WRITERS)


def _shard_units(result: RunResult) -> int:
    parameters = (result.manifest or {}).get("parameters")
    value = parameters.get("shard_units") if isinstance(parameters, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else SHARD_UNITS


def write_format(result: RunResult, outdir: Path, fmt: str, min_score: float = 0.0) -> list[Path]:
    """Write one format into ``outdir``; returns the files written."""
    if fmt not in _WRITERS:
        raise UsageError(f"--format {fmt}: unknown format; choose one of {', '.join(FORMATS)}")
    if fmt in ("jsonl", "html") and min_score > 0:
        raise UsageError(f"--min-score does not apply to --format {fmt}: it shows every unit of the run")
    refuse_non_finite(result)
    return _WRITERS[fmt](result, Path(outdir), min_score)


def export_to(result: RunResult, target: Path, fmt: str, min_score: float = 0.0) -> list[Path]:
    """``aligner export``: one format into ``target``, all or nothing.

    The files are written into a temporary folder inside ``target`` and renamed into place only
    once all are written: a full disk or an interruption changes nothing, and a ``target`` this
    call created is removed again when the export fails.
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise AlignerError(f"{target}: exists and is not a folder; give a folder to --to")
    missing = [folder for folder in (target, *target.parents) if not folder.exists()]
    staging = target / "export"  # names the staging folders .export.tmp-PID-XXXX inside target
    try:
        target.mkdir(parents=True, exist_ok=True)
        recover_interrupted_swap(staging)  # the staging folders of killed exports, if any
        work = temp_folder(staging, "tmp")
        try:
            staged = write_format(result, work, fmt, min_score)
            for path in staged:  # checked before any rename: all or nothing
                _replaceable(target / path.relative_to(work))
            written = []
            for path in staged:
                final = target / path.relative_to(work)
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, final)
                written.append(final)
            return written
        finally:
            shutil.rmtree(work, ignore_errors=True)
    except BaseException as error:
        for folder in missing:  # deepest first: only folders this export made, and only if empty
            try:
                folder.rmdir()
            except OSError:
                break
        if isinstance(error, OSError):
            reason = error.strerror or str(error)
            raise AlignerError(f"{target}: could not export ({reason}); nothing was changed") from None
        raise


def _replaceable(final: Path) -> None:
    """An export replaces the files it writes, never a symlink, FIFO, device or folder at their names."""
    if os.path.lexists(final) and (final.is_symlink() or not final.is_file()):
        what = "a symlink" if final.is_symlink() else "not a regular file"
        raise AlignerError(f"{final}: is {what}, which an export does not replace; nothing was changed")


def write_outputs(
    result: RunResult, outdir: Path, min_score: float = 0.0, shard_units: int = SHARD_UNITS
) -> None:
    """Every output file of a run but manifest.json (the pipeline writes that one).

    A run of more than ``shard_units`` units is a dataset, not a review: its units go to
    alignments-NNNNN-of-NNNNN.jsonl and to Parquet shards, and no review page is written.
    """
    outdir = Path(outdir)
    refuse_non_finite(result)
    write_records(result, outdir, shard_units)
    for fmt in ("tsv", "moses", "tmx"):
        write_format(result, outdir, fmt, min_score)
    if len(result.units) > shard_units:
        write_parquet(result, outdir, min_score)
    else:
        write_format(result, outdir, "html")


__all__ = [
    "FORMATS",
    "SHARD_UNITS",
    "export_to",
    "load_run",
    "record_digests",
    "write_format",
    "write_outputs",
]
