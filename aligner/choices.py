"""Every choice the command line offers, in one place and free of dependencies.

The CLI builds its options from these lists and the library checks its settings against them, so a new
runtime, objective, engine or format is added here once. Nothing heavy is imported: ``aligner --help``
must not load torch, faiss or Ray.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

Backend = Literal["auto", "torch", "onnx", "openvino", "openvino-bf16"]
Device = Literal["auto", "cpu", "cuda"]
Objective = Literal["auto", "calibrated", "sum", "bertalign"]
EngineName = Literal["local", "ray"]
ExportFormat = Literal["tmx", "moses", "tsv", "jsonl", "html", "parquet"]
AlignFormat = Literal["tsv", "jsonl", "vecalign"]

BACKENDS: tuple[str, ...] = get_args(Backend)
DEVICES: tuple[str, ...] = get_args(Device)
OBJECTIVES: tuple[str, ...] = get_args(Objective)
ENGINES: tuple[str, ...] = get_args(EngineName)
EXPORT_FORMATS: tuple[str, ...] = get_args(ExportFormat)
ALIGN_FORMATS: tuple[str, ...] = get_args(AlignFormat)

DEFAULT_BACKEND: Backend = "auto"
DEFAULT_DEVICE: Device = "cpu"
SHARD_UNITS = 200_000  # units past which a run is written in shards, for dataset builders

# The extra that brings each optional engine's dependencies (pip install 'aligner[ray]'), and its module.
ENGINE_EXTRAS: dict[str, tuple[str, str]] = {"ray": ("ray", "ray")}


def missing_extra(engine: str) -> str | None:
    """The one-line error for an engine whose optional dependencies are not installed, else None."""
    extra, module = ENGINE_EXTRAS.get(engine, (None, None))
    if extra and importlib.util.find_spec(module) is None:
        return f"--engine {engine} needs {module}, an optional extra: pip install 'aligner[{extra}]'"
    return None


def require_engine(engine: str) -> str:
    """``engine`` if its optional dependencies are installed, else a usage error naming the extra."""
    from aligner.errors import UsageError

    problem = missing_extra(engine)
    if problem:
        raise UsageError(problem)
    return engine


@dataclass(frozen=True)
class EncoderOptions:
    """How to load the encoder and where to cache its vectors: the options every encoding command shares."""

    model: Path | None = None  # a local sentence-transformers folder; None: the default model
    backend: Backend = DEFAULT_BACKEND
    device: Device = DEFAULT_DEVICE
    threads: int | None = None  # None or 0: every core
    quantize: bool = False
    cache: Path | None = None  # the cache folder; None: $ALIGNER_CACHE or ~/.cache/aligner
    no_cache: bool = False
