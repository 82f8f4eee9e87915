"""The exported ONNX graph of a model and its stamp: built once from the verified local weights (and its
int8 quantization), beside them in ``<model>/onnx/``, checked against the stamp before it is used."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

from aligner.embedding.runtimes import GRAPH_DIR, GRAPH_FILE, INPUTS, INT8_FILE, STAMP_FILE, require


def graph_dir(model_dir: Path) -> Path:
    return Path(model_dir) / GRAPH_DIR


def _read_stamp(folder: Path) -> dict:
    try:
        return json.loads((folder / STAMP_FILE).read_text())
    except (OSError, ValueError):
        return {}


def _file_record(path: Path) -> dict:
    from aligner.embedding.fetch import sha256_file

    stat = path.stat()
    return {"sha256": sha256_file(path), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _matches(folder: Path, name: str, record: dict) -> bool:
    """True when the file is the one the stamp pins (re-hashed only when its size or mtime moved)."""
    from aligner.embedding.fetch import sha256_file

    path = folder / name
    if not path.is_file():
        return False
    stat = path.stat()
    if stat.st_size != record.get("size"):
        return False
    if stat.st_mtime_ns == record.get("mtime_ns"):
        return True
    return sha256_file(path) == record.get("sha256")


def stamped_graph(model_dir: Path, source: str, graph: str = GRAPH_FILE) -> Path | None:
    """The exported graph when it is there, complete, and built from these weights (``source``)."""
    folder = graph_dir(model_dir)
    stamp = _read_stamp(folder)
    if stamp.get("source") != source:
        return None
    files = stamp.get("graphs", {}).get(graph)
    if not files or not all(_matches(folder, name, record) for name, record in files.items()):
        return None
    return folder / graph


def _stamp_graph(folder: Path, source: str, graph: str, files: list[str]) -> None:
    stamp = _read_stamp(folder)
    if stamp.get("source") != source:
        stamp = {"source": source, "graphs": {}}
    stamp["graphs"][graph] = {name: _file_record(folder / name) for name in files}
    temp = folder / f".{STAMP_FILE}.tmp"
    temp.write_text(json.dumps(stamp, indent=1, sort_keys=True))
    os.replace(temp, folder / STAMP_FILE)


def export_graph(model_dir: Path, source: str, log: Callable[[str], None] = lambda message: None) -> Path:
    """Export the float32 ONNX graph of the model once (kept when already stamped for these weights).

    Written in a temporary folder and moved into place file by file before the stamp, so a stopped
    export leaves no stamped half-graph. For the 300M model: minutes, and about 3 GB of memory.
    """
    model_dir = Path(model_dir)
    done = stamped_graph(model_dir, source)
    if done is not None:
        return done
    with _export_lock(model_dir):  # worker processes starting together export once
        return stamped_graph(model_dir, source) or _export(model_dir, source, log)


def _export(model_dir: Path, source: str, log: Callable[[str], None]) -> Path:
    require("onnxscript", "onnx")  # torch.onnx's exporter
    log(f"exporting {model_dir.name} to ONNX (once; stored in {graph_dir(model_dir)})")
    import torch
    from sentence_transformers import SentenceTransformer

    folder = graph_dir(model_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with _quiet_hub():
        model = SentenceTransformer(
            str(model_dir), device="cpu", local_files_only=True, model_kwargs={"attn_implementation": "eager"}
        )
    model.eval()

    class SentenceEmbedding(torch.nn.Module):
        """The whole model as one function of (input_ids, attention_mask): one graph to export."""

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            features = {"input_ids": input_ids, "attention_mask": attention_mask}
            return self.model(features)["sentence_embedding"]

    wrapped = SentenceEmbedding().eval()
    example = model.tokenizer(["a", "two words"], padding=True, return_tensors="pt")
    batch, length = torch.export.Dim("batch"), torch.export.Dim("sequence")
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=folder))
    try:
        # the exporter narrates every step on stdout and warns about operators this model does not use
        logging.getLogger("torch.onnx").setLevel(logging.ERROR)
        with torch.no_grad(), contextlib.redirect_stdout(None), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                wrapped,
                (example["input_ids"], example["attention_mask"]),
                str(work / GRAPH_FILE),
                input_names=list(INPUTS),
                output_names=["sentence_embedding"],
                dynamic_shapes=({0: batch, 1: length}, {0: batch, 1: length}),
                dynamo=True,
                external_data=True,
                verbose=False,
            )
        written = sorted(p.name for p in work.iterdir())
        for name in written:
            os.replace(work / name, folder / name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _stamp_graph(folder, source, GRAPH_FILE, written)
    return folder / GRAPH_FILE


def quantized_graph(model_dir: Path, source: str, log: Callable[[str], None] = lambda message: None) -> Path:
    """Dynamic int8 quantization of the exported graph (weights int8, activations quantized per batch)."""
    done = stamped_graph(model_dir, source, INT8_FILE)
    if done is not None:
        return done
    fp32 = export_graph(model_dir, source, log)
    with _export_lock(model_dir):
        return stamped_graph(model_dir, source, INT8_FILE) or _quantize(model_dir, source, fp32, log)


def _quantize(model_dir: Path, source: str, fp32: Path, log: Callable[[str], None]) -> Path:
    require("onnxruntime", "onnx")
    log("quantizing the ONNX graph to int8 (once)")
    from onnxruntime.quantization import QuantType, quantize_dynamic

    folder = graph_dir(model_dir)
    temp = folder / f".{INT8_FILE}.tmp"
    quantize_dynamic(fp32, temp, weight_type=QuantType.QInt8)
    os.replace(temp, folder / INT8_FILE)
    _stamp_graph(folder, source, INT8_FILE, [INT8_FILE])
    return folder / INT8_FILE


@contextlib.contextmanager
def _export_lock(model_dir: Path):
    import fcntl

    folder = graph_dir(model_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def _quiet_hub():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import transformers

    transformers.logging.disable_progress_bar()
    transformers.logging.set_verbosity_error()
    yield
