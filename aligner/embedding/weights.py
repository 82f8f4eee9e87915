"""The model's fingerprint: the sha256 of every file that shapes a vector, verified, never taken on trust."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from pathlib import Path

from aligner.errors import AlignerError


def _combined(files: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()


_NOT_SHAPING = {".md", ".ipynb", ".png", ".jpg", ".jpeg", ".gif", ".svg"}  # a model card and its pictures
_DERIVED = {"onnx", "openvino"}  # exported graphs (the runtimes keep theirs in onnx/, stamped there)


def _shaping_files(model_dir: Path) -> list[Path]:
    """Every file of a model folder that can shape a vector: weights, configs (max_seq_length, prompts,
    pooling, dense layers), tokenizer files. Not the model card, hidden files (our stamps), or graphs."""
    found: list[Path] = []
    visited: set[str] = set()  # real paths: a linked module folder is read, a link loop is not followed
    for folder, subfolders, names in os.walk(model_dir, followlinks=True):
        real = os.path.realpath(folder)
        top = Path(folder) == model_dir
        if real in visited:
            subfolders.clear()
            continue
        visited.add(real)
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and not (top and d in _DERIVED))
        found += [
            Path(folder) / name
            for name in names
            if not name.startswith(".") and Path(name).suffix.lower() not in _NOT_SHAPING
        ]
    return sorted(path for path in found if path.is_file())


def _weights_hashes(model_dir: Path) -> dict[str, str]:
    """sha256 of each file that shapes a vector, verified: never taken on trust.

    A folder built by ``aligner fetch-model`` is checked against the pins (weights by their stamps, the
    pinned configs in full: ``aligner.embedding.fetch.verify_model``); its fingerprint is that of its pinned
    files,
    which stand for the configs too, since a folder whose configs differ from their pins is refused.
    Any other folder's weights, configs and tokenizer files are hashed, so an edited config is another
    fingerprint (another cache key, another exported graph); remembered next to them keyed by size and
    mtime (hashing 1 GB is slow).
    """
    from aligner.embedding.fetch import VERIFIED_MARKER, is_verified, sha256_file, verify_model

    if (model_dir / VERIFIED_MARKER).is_file() and is_verified(model_dir):
        return verify_model(model_dir)
    files = _shaping_files(model_dir)
    if not any(p.suffix in {".safetensors", ".bin"} for p in files):
        raise AlignerError(f"{model_dir}: no model weights (*.safetensors or *.bin) found")
    stamp = [(str(p.relative_to(model_dir)), p.stat().st_size, p.stat().st_mtime_ns) for p in files]
    memo = model_dir / ".aligner-fingerprint.json"
    names = [name for name, _size, _mtime in stamp]
    try:
        saved = json.loads(memo.read_text())
        kept = saved["files"]
        # the memo names the stamped files, each with a sha256: anything else is hashed again, not trusted
        if (
            saved["stamp"] == json.loads(json.dumps(stamp))
            and sorted(kept) == sorted(names)
            and all(isinstance(v, str) and re.fullmatch("[0-9a-f]{64}", v) for v in kept.values())
        ):
            return kept
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        pass
    hashes = {str(p.relative_to(model_dir)): sha256_file(p) for p in files}
    with contextlib.suppress(OSError):  # a read-only model directory only costs a re-hash next time
        memo.write_text(json.dumps({"stamp": stamp, "files": hashes}))
    return hashes
