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

from collections.abc import Callable
from pathlib import Path

from aligner.errors import UsageError
from aligner.export.files import write_text
from aligner.export.pairs import write_moses, write_tsv
from aligner.export.parquet import write_parquet
from aligner.export.records import load_run, write_records
from aligner.export.tmx import write_tmx
from aligner.html_report import render_html
from aligner.types import RunResult

REPORT_HTML = "report.html"

_WRITERS: dict[str, Callable[[RunResult, Path, float], list[Path]]] = {
    "jsonl": lambda result, outdir, _min_score: write_records(result, outdir),
    "tsv": write_tsv,
    "moses": write_moses,
    "tmx": write_tmx,
    "parquet": write_parquet,
    "html": lambda result, outdir, _min_score: [write_text(outdir / REPORT_HTML, render_html(result))],
}
FORMATS = tuple(_WRITERS)


def write_format(result: RunResult, outdir: Path, fmt: str, min_score: float = 0.0) -> list[Path]:
    """Write one format into ``outdir``; returns the files written."""
    if fmt not in _WRITERS:
        raise UsageError(f"--format {fmt}: unknown format; choose one of {', '.join(FORMATS)}")
    if fmt in ("jsonl", "html") and min_score > 0:
        raise UsageError(f"--min-score does not apply to --format {fmt}: it shows every unit of the run")
    return _WRITERS[fmt](result, Path(outdir), min_score)


SHARD_UNITS = 200_000  # units past which a run is written in shards, for dataset builders


def write_outputs(
    result: RunResult, outdir: Path, min_score: float = 0.0, shard_units: int = SHARD_UNITS
) -> None:
    """Every output file of a run but manifest.json (the pipeline writes that one).

    A run of more than ``shard_units`` units is a dataset, not a review: its units go to
    alignments-NNNNN-of-NNNNN.jsonl and to Parquet shards, and no review page is written.
    """
    outdir = Path(outdir)
    write_records(result, outdir, shard_units)
    for fmt in ("tsv", "moses", "tmx"):
        write_format(result, outdir, fmt, min_score)
    if len(result.units) > shard_units:
        write_parquet(result, outdir, min_score)
    else:
        write_format(result, outdir, "html")


__all__ = ["FORMATS", "SHARD_UNITS", "load_run", "write_format", "write_outputs"]
