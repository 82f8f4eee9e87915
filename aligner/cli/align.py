"""The ``align`` command: the sentences of one bilingual pair, printed as beads."""

from __future__ import annotations

import json
from pathlib import Path

import click

from aligner.choices import ALIGN_FORMATS
from aligner.cli.exits import _log
from aligner.cli.options import (
    MAX_BEAD_LIMIT,
    _align_config,
    _embedder,
    _language_code,
    _note_generic,
    model_options,
    moves_option,
    objective_option,
)
from aligner.types import Bead, Document


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


@click.command()
@click.argument("src", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.argument("tgt", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--presplit",
    is_flag=True,
    help="Each non-blank line is one sentence (e.g. Text+Berg, NTREX); ids are then 0-based line numbers.",
)
@click.option("--format", "fmt", type=click.Choice(ALIGN_FORMATS), default="tsv", show_default=True)
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
