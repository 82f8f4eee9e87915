"""A throwaway copy of the default model folder for fault tests: links to the real files (nothing
of the 1 GB is copied), its own verification marker, and, when asked, truncated weights."""

from __future__ import annotations

import shutil
from pathlib import Path

from aligner.embedding.fetch import VERIFIED_MARKER, default_model_dir
from aligner.embedding.runtimes import GRAPH_DIR


def model_copy(folder: Path, weights_bytes: int | None = None, marker: bool = True) -> Path:
    """``folder`` made a model folder: symlinks to the default model's files; ``weights_bytes``: the
    first so many bytes of model.safetensors copied instead (a truncated download). The exported graph
    is left out."""
    model = default_model_dir()
    folder.mkdir(parents=True)
    for item in model.iterdir():
        if item.name.startswith(".") or (weights_bytes is not None and item.name == "model.safetensors"):
            continue
        if item.name == GRAPH_DIR:  # an export for the copy must never write into the real model's graph
            continue
        (folder / item.name).symlink_to(item.resolve())
    if weights_bytes is not None:
        with open(model / "model.safetensors", "rb") as whole:
            (folder / "model.safetensors").write_bytes(whole.read(weights_bytes))
    if marker:
        shutil.copyfile(model / VERIFIED_MARKER, folder / VERIFIED_MARKER)
    return folder
