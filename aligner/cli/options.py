"""Option plumbing the commands share: language codes, scores, columns, encoder and aligner options."""

from __future__ import annotations

import functools
import math
from pathlib import Path

import click

from aligner.choices import (
    BACKENDS,
    DEFAULT_BACKEND,
    DEFAULT_DEVICE,
    DEVICES,
    OBJECTIVES,
    EncoderOptions,
)
from aligner.cli.exits import _log
from aligner.errors import UsageError

MAX_BEAD_LIMIT = 10  # = aligner.align.config.MAX_BEAD_LIMIT, not imported: the CLI starts without numpy


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
    from aligner.embedding.cache import EmbeddingCache, default_cache_dir
    from aligner.embedding.embedder import Embedder
    from aligner.embedding.encoder import load_encoder

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
