"""Encoder runtimes for one local sentence-transformers model: torch, ONNX Runtime, OpenVINO.

The ONNX graph of the whole model (transformer, pooling, dense layers, normalisation) is exported once
from the verified local weights with ``torch.onnx`` and stored beside them in ``<model>/onnx/``, with
the sha256 of every file it wrote in a stamp file; nothing is downloaded. ONNX Runtime runs that graph
(or its dynamic int8 quantization) and OpenVINO compiles the same graph. sentence-transformers' own
``backend="onnx"``/``"openvino"`` needs optimum-onnx / optimum-intel, whose releases pin transformers
below the 5.x line sentence-transformers 6 needs, so the graph is exported and run here directly.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

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
