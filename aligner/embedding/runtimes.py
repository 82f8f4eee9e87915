"""Encoder runtimes for one local sentence-transformers model: torch, ONNX Runtime, OpenVINO.

The ONNX graph of the whole model (transformer, pooling, dense layers, normalisation) is exported once
from the verified local weights with ``torch.onnx`` and stored beside them in ``<model>/onnx/``, with
the sha256 of every file it wrote in a stamp file; nothing is downloaded. ONNX Runtime runs that graph
(or its dynamic int8 quantization) and OpenVINO compiles the same graph. sentence-transformers' own
``backend="onnx"``/``"openvino"`` needs optimum-onnx / optimum-intel, whose releases pin transformers
below the 5.x line sentence-transformers 6 needs, so the graph is exported and run here directly.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from aligner.choices import BACKENDS, DEVICES
from aligner.errors import AlignerError

# What ``auto`` runs on a CPU: OpenVINO in bfloat16 where the CPU computes in it (2.3x float32 torch
# here, vectors at cosine 0.9999 to it, alignment and stories within the quality gate: BENCHMARKS.md,
# "The default encoder runtime"), else OpenVINO in float32 (torch's vectors). On a GPU: torch float16.
CPU_BACKEND = "openvino-bf16"
CPU_FALLBACK = "openvino"
GRAPH_BACKENDS = ("onnx", "openvino", "openvino-bf16")
GRAPH_DIR = "onnx"  # inside the model directory
GRAPH_FILE = "model.onnx"
INT8_FILE = "model-int8.onnx"
STAMP_FILE = "aligner-export.json"  # the pin: sha256 of each exported file and what it was built from
INPUTS = ("input_ids", "attention_mask")
TOKENS_PER_BATCH = 2048  # padded tokens per batch for the graph runtimes (measured: scripts/bench_speed.py)
MAX_BATCH = 64
GPU_BATCH = 128


@dataclass(frozen=True)
class DevicePlan:
    """Where the encoder runs and in what precision."""

    device: str  # "cpu" or "cuda"
    half: bool  # float16 weights (GPU only)
    batch_size: int


def choose_device(requested: str, backend: str, cuda_available: bool, cpu_batch: int = 16) -> DevicePlan:
    """``auto`` takes the GPU when there is one (backend torch or auto); a GPU runs float16 with a larger
    batch."""
    if requested not in DEVICES:
        raise AlignerError(f"--device {requested}: not one of {', '.join(DEVICES)}")
    if backend not in BACKENDS:
        raise AlignerError(f"--backend {backend}: not one of {', '.join(BACKENDS)}")
    if requested == "cuda" and not cuda_available:
        raise AlignerError("--device cuda: no CUDA GPU is visible to torch")
    if requested == "cuda" and backend not in ("torch", "auto"):
        raise AlignerError(f"--device cuda: the {backend} backend runs on the CPU here; use --backend torch")
    use_gpu = requested == "cuda" or (requested == "auto" and cuda_available and backend in ("torch", "auto"))
    if use_gpu:
        return DevicePlan("cuda", half=True, batch_size=GPU_BATCH)
    return DevicePlan("cpu", half=False, batch_size=cpu_batch)


def plan_on_cluster(requested: str, backend: str, plan: DevicePlan, cluster_gpus: int) -> DevicePlan:
    """Where a Ray cluster's actors encode: ``auto`` takes the cluster's GPUs, none on the driver needed."""
    if plan.device == "cpu" and requested == "auto" and backend in ("torch", "auto") and cluster_gpus > 0:
        return DevicePlan("cuda", half=True, batch_size=GPU_BATCH)
    return plan


@functools.cache
def cpu_has_bf16() -> bool:
    """Whether OpenVINO computes in bfloat16 on this CPU (AVX512-BF16 or AMX); without it a bf16 hint
    would silently run float32, under the bf16 fingerprint."""
    import openvino

    return "BF16" in openvino.Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")


def resolve_backend(
    backend: str, plan: DevicePlan, quantize: bool = False, bf16: Callable[[], bool] = cpu_has_bf16
) -> str:
    """The runtime ``backend`` names on ``plan``'s device: ``auto`` is torch on a GPU, else CPU_BACKEND
    where the CPU has bfloat16, else CPU_FALLBACK; with ``quantize``, ONNX Runtime's int8 graph."""
    if backend == "openvino-bf16" and not bf16():
        raise AlignerError("--backend openvino-bf16: this CPU has no bfloat16 arithmetic; use openvino")
    if backend != "auto":
        return backend
    if plan.device == "cuda":
        return "torch"
    if quantize:
        return "onnx"
    return CPU_BACKEND if bf16() else CPU_FALLBACK


def fingerprint_suffix(backend: str, quantize: bool, plan: DevicePlan) -> str:
    """What tells this runtime's vectors apart in the cache. torch on the CPU runs MKL in its strict
    reproducible mode (aligner/__init__.py), whose bits differ from the vectors cached before it: "cnr"."""
    parts = (["cnr"] if plan.device == "cpu" else []) if backend == "torch" else [backend]
    if plan.half:
        parts.append(f"{plan.device}-fp16")
    if quantize:
        parts.append("int8")
    return "".join(f":{part}" for part in parts)


def token_batches(lengths: Sequence[int], tokens_per_batch: int, max_batch: int) -> list[list[int]]:
    """Indices grouped shortest first so that each batch's padded size (rows x longest) stays within
    ``tokens_per_batch`` (a longer text alone still makes a batch of one)."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        longest = lengths[index]  # sorted: the newcomer is the longest so far
        if current and ((len(current) + 1) * longest > tokens_per_batch or len(current) >= max_batch):
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches


def require(module: str, extra: str) -> None:
    """A one-line error, not a traceback, when a runtime's optional package is not installed."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise AlignerError(f"--backend {extra} needs the {module} package: pip install -e '.[{extra}]'")


# --- the exported graph and its stamp ------------------------------------------------------------


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


# --- running the graph -------------------------------------------------------------------------


class GraphRuntime:
    """The exported graph run by ONNX Runtime or OpenVINO on the CPU, fed by the model's own tokenizer.

    Texts are tokenized as sentence-transformers does (prompt text prepended, truncated to the model's
    max_seq_length) and batched by padded tokens rather than by count.
    """

    def __init__(
        self,
        graph: Path,
        backend: str,
        model_dir: Path,
        threads: int | None = None,
        tokens_per_batch: int = TOKENS_PER_BATCH,
        max_batch: int = MAX_BATCH,
        optimization: str = "all",
        pin_threads: bool = True,
    ) -> None:
        """``optimization``: ONNX Runtime's graph optimization level (basic, extended, all);
        ``pin_threads``: OpenVINO keeps its threads on their cores."""
        from transformers import AutoTokenizer

        with _quiet_hub():
            self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
        self.max_length = _max_seq_length(model_dir, self.tokenizer)
        self.tokens_per_batch = tokens_per_batch
        self.max_batch = max_batch
        threads = threads or len(os.sched_getaffinity(0))
        if backend in GRAPH_BACKENDS:
            require("onnxruntime" if backend == "onnx" else "openvino", backend)
        self._run_each: Callable[[list[list[int]]], np.ndarray] | None = None
        if backend == "onnx":
            self._run, self.dim = _onnxruntime_session(graph, threads, optimization)
        elif backend == "openvino":
            self._run, self.dim = _openvino_model(graph, threads, pin_threads)
        elif backend == "openvino-bf16":
            self._run_each, self.dim = _openvino_streams(graph, threads)
        else:
            raise AlignerError(f"--backend {backend}: not a graph runtime (onnx or openvino)")

    def encode(self, texts: Sequence[str], prompt: str = "") -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        ids = self.tokenizer(
            [prompt + text for text in texts], truncation=True, max_length=self.max_length, padding=False
        )["input_ids"]
        if self._run_each is not None:
            return self._run_each(ids)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        pad = self.tokenizer.pad_token_id or 0
        for batch in token_batches([len(row) for row in ids], self.tokens_per_batch, self.max_batch):
            longest = max(len(ids[i]) for i in batch)
            input_ids = np.full((len(batch), longest), pad, dtype=np.int64)
            mask = np.zeros((len(batch), longest), dtype=np.int64)
            for row, index in enumerate(batch):
                tokens = ids[index]
                if self.tokenizer.padding_side == "left":
                    input_ids[row, longest - len(tokens) :] = tokens
                    mask[row, longest - len(tokens) :] = 1
                else:
                    input_ids[row, : len(tokens)] = tokens
                    mask[row, : len(tokens)] = 1
            out[batch] = self._run(input_ids, mask)
        return out


def _max_seq_length(model_dir: Path, tokenizer) -> int:
    try:
        limit = int(json.loads((Path(model_dir) / "sentence_bert_config.json").read_text())["max_seq_length"])
    except (OSError, ValueError, KeyError):
        limit = 512
    model_max = getattr(tokenizer, "model_max_length", None)
    return min(limit, model_max) if isinstance(model_max, int) and model_max > 0 else limit


def _onnxruntime_session(graph: Path, threads: int, optimization: str):
    import onnxruntime

    levels = {
        "basic": onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC,
        "extended": onnxruntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
        "all": onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL,
    }
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = levels[optimization]
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
    dim = session.get_outputs()[0].shape[-1]

    def run(input_ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return session.run(None, {"input_ids": input_ids, "attention_mask": mask})[0]

    return run, int(dim)


def _openvino_streams(graph: Path, threads: int):
    """OpenVINO in bfloat16, one text per request on ``threads`` streams of one thread each.

    Alone, a text's vector depends on the text only: in a padded batch bfloat16 moves it by up to 5e-4,
    so a run's vectors would depend on what else it encoded, i.e. on the cache's history. One text per
    request on single-thread streams gives the same bits as one request on two threads (checked) and
    1.4x its speed here: small requests keep one core busy each."""
    import openvino

    core = openvino.Core()
    compiled = core.compile_model(
        core.read_model(str(graph)),
        "CPU",
        {
            "INFERENCE_PRECISION_HINT": "bf16",
            "PERFORMANCE_HINT": "THROUGHPUT",
            "NUM_STREAMS": threads,
            "INFERENCE_NUM_THREADS": threads,
        },
    )
    dim = int(compiled.outputs[0].get_partial_shape()[-1].get_length())
    requests = openvino.AsyncInferQueue(compiled, threads)

    def run_each(ids: list[list[int]]) -> np.ndarray:
        out = np.zeros((len(ids), dim), dtype=np.float32)

        def done(request, index: int) -> None:
            out[index] = request.get_output_tensor(0).data[0]

        requests.set_callback(done)
        for index, tokens in enumerate(ids):
            row = np.array([tokens], dtype=np.int64)
            requests.start_async({"input_ids": row, "attention_mask": np.ones_like(row)}, index)
        requests.wait_all()
        return out

    return run_each, dim


def _openvino_model(graph: Path, threads: int, pin_threads: bool, precision: str = "f32"):
    import openvino

    core = openvino.Core()
    compiled = core.compile_model(
        core.read_model(str(graph)),
        "CPU",
        {
            "INFERENCE_NUM_THREADS": threads,
            # float32 as torch unless bf16 is asked for: OpenVINO would pick bf16 on CPUs that have it
            "INFERENCE_PRECISION_HINT": precision,
            "PERFORMANCE_HINT": "LATENCY",
            "ENABLE_CPU_PINNING": pin_threads,
        },
    )
    request = compiled.create_infer_request()
    dim = compiled.outputs[0].get_partial_shape()[-1].get_length()

    def run(input_ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return request.infer({"input_ids": input_ids, "attention_mask": mask})[0].copy()

    return run, int(dim)
