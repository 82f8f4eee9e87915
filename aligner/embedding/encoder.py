"""The encoder interface and its implementation: any local sentence-transformers folder under one of the
runtimes; ``load_encoder`` picks the default model or the one named."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from aligner.embedding.weights import _combined, _weights_hashes
from aligner.errors import AlignerError


@runtime_checkable
class Encoder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors."""

    name: str  # human-readable model name
    fingerprint: str  # sha256 of the weights (cache key and manifest entry)
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def batch_invariant(encoder: Encoder) -> bool:
    """Whether a text's vector depends on the text alone, not on the batch mates it is encoded with (an
    encoder says so with a ``batch_invariant`` attribute; padded batches move vectors in the last bits)."""
    return bool(getattr(encoder, "batch_invariant", False))


class SentenceTransformerEncoder:
    """Any local sentence-transformers directory (the default model included), run offline.

    ``backend`` picks the runtime (torch, or the model's exported graph under ONNX Runtime or
    OpenVINO, see aligner.embedding.runtimes); ``device`` auto/cpu/cuda (a GPU runs torch in float16). Each
    runtime, precision and quantization has its own fingerprint, so their vectors never mix in a cache.
    """

    def __init__(
        self,
        model_dir: Path,
        name: str | None = None,
        prompt_name: str | None = "BitextMining",
        batch_size: int = 16,
        threads: int | None = None,
        quantize: bool = False,
        backend: str = "auto",
        device: str = "cpu",
    ) -> None:
        from aligner.embedding.runtimes import choose_device, fingerprint_suffix, resolve_backend

        model_dir = Path(model_dir).absolute()  # the same folder for Ray workers started elsewhere
        if not (model_dir / "modules.json").is_file() and not (model_dir / "config.json").is_file():
            raise AlignerError(f"{model_dir}: not a sentence-transformers model directory (no modules.json)")
        if quantize and backend in ("openvino", "openvino-bf16"):
            raise AlignerError("--quantize: int8 is measured for --backend torch and onnx, not openvino")
        may_use_gpu = device == "cuda" or (device == "auto" and backend in ("torch", "auto"))
        self.plan = choose_device(device, backend, may_use_gpu and _cuda_available(), batch_size)
        self.requested_device = device
        self.requested_backend = backend
        backend = resolve_backend(backend, self.plan, quantize)
        if quantize and self.plan.device == "cuda":
            raise AlignerError("--quantize: int8 runs on the CPU only; use --device cpu")
        self.model_dir = model_dir
        self.name = name or model_dir.name
        try:
            hashes = _weights_hashes(model_dir)
        except OSError as error:
            raise AlignerError(f"{model_dir}: cannot read the model ({error.strerror or error})") from None
        # the manifest's entry: the main weights file's hash, checked above, or all weights' combined
        weights = {name: digest for name, digest in hashes.items() if name.endswith((".safetensors", ".bin"))}
        self.weights_sha256 = hashes.get("model.safetensors") or _combined(weights)
        self.weights_fingerprint = _combined(hashes)
        self.fingerprint = self.weights_fingerprint + fingerprint_suffix(backend, quantize, self.plan)
        self.batch_size = self.plan.batch_size
        self.threads = threads
        self.quantize = quantize
        self.backend = backend
        self._prompt_name = prompt_name
        self._model = None  # loaded on first use: a run whose texts are all cached never loads it

    def on_cluster(self, cluster_gpus: int) -> SentenceTransformerEncoder:
        """This encoder as a cluster's actors run it: on the cluster's GPUs when the device is ``auto``
        (float16, so its own cache fingerprint), else unchanged."""
        import copy

        from aligner.embedding.runtimes import fingerprint_suffix, plan_on_cluster, resolve_backend

        plan = plan_on_cluster(self.requested_device, self.requested_backend, self.plan, cluster_gpus)
        if plan == self.plan:
            return self
        moved = copy.copy(self)
        moved.plan, moved.batch_size, moved._model = plan, plan.batch_size, None
        moved.backend = resolve_backend(self.requested_backend, plan, self.quantize)
        moved.fingerprint = self.weights_fingerprint + fingerprint_suffix(moved.backend, self.quantize, plan)
        return moved

    def _loaded(self):
        if self._model is None:
            if not self.model_dir.is_dir():
                raise AlignerError(f"{self.model_dir}: the model folder is gone")
            try:
                self._model = self._load_torch() if self.backend == "torch" else self._load_graph()
            except AlignerError:
                raise
            except Exception as error:  # truncated weights, a missing file: one line, not a traceback
                first = (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
                raise AlignerError(f"{self.model_dir}: cannot load the model ({first})") from None
        return self._model

    def _load_torch(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.logging.disable_progress_bar()
        transformers.logging.set_verbosity_error()
        if self.threads:
            torch.set_num_threads(self.threads)
        model = SentenceTransformer(str(self.model_dir), device=self.plan.device, local_files_only=True)
        if self.plan.half:
            model = model.half()
        if self.quantize:
            model = torch.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        prompts = getattr(model, "prompts", {}) or {}
        self.prompt_name = self._prompt_name if self._prompt_name in prompts else None
        dim_of = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self._dim = int(dim_of())
        return model

    def _load_graph(self):
        from aligner.embedding.graph import export_graph, quantized_graph
        from aligner.embedding.graph_runtime import GraphRuntime

        build = quantized_graph if self.quantize else export_graph
        graph = build(self.model_dir, self.weights_fingerprint, log=_stderr_log)
        runtime = GraphRuntime(graph, self.backend, self.model_dir, threads=self.threads)
        self._prompt_text = _prompt_text(self.model_dir, self._prompt_name)
        self._dim = runtime.dim
        return runtime

    def export(self, log=lambda message: None) -> Path | None:
        """Build this backend's graph now (``aligner fetch-model --backend``); None for torch."""
        from aligner.embedding.graph import export_graph, quantized_graph

        if self.backend == "torch":
            return None
        build = quantized_graph if self.quantize else export_graph
        return build(self.model_dir, self.weights_fingerprint, log=log)

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def __getstate__(self) -> dict:
        """Pickled as a recipe for worker processes: weights are loaded where needed, never shipped."""
        return {**self.__dict__, "_model": None}

    @property
    def dim(self) -> int:
        self._loaded()
        return self._dim

    @property
    def batch_invariant(self) -> bool:
        """OpenVINO bfloat16 runs one text per request (graph_runtime._openvino_streams): no padding."""
        return self.backend == "openvino-bf16"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._loaded()
        if self.backend != "torch":
            return model.encode(list(texts), self._prompt_text)
        vectors = model.encode(
            list(texts),
            prompt_name=self.prompt_name,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _cuda_available() -> bool:
    import torch

    return torch.cuda.is_available()


def _stderr_log(message: str) -> None:
    print(f"aligner: {message}", file=sys.stderr)


def _prompt_text(model_dir: Path, prompt_name: str | None) -> str:
    """The prompt sentence-transformers would prepend (from the model's own config), or none."""
    try:
        prompts = json.loads((Path(model_dir) / "config_sentence_transformers.json").read_text())["prompts"]
    except (OSError, ValueError, KeyError):
        return ""
    return prompts.get(prompt_name, "") if prompt_name else ""


DEFAULT_MODEL_NAME = "google/embeddinggemma-300m"


def load_encoder(
    model_dir: Path | None = None,
    threads: int | None = None,
    quantize: bool = False,
    backend: str = "auto",
    device: str = "cpu",
) -> Encoder:
    """The default model (rebuilt by ``aligner fetch-model``) or any local sentence-transformers directory,
    run by ``backend`` (auto, torch, onnx, openvino) on ``device`` (auto, cpu, cuda)."""
    from aligner.embedding.fetch import default_model_dir, is_verified

    options = {"threads": threads, "quantize": quantize, "backend": backend, "device": device}
    if model_dir is None:
        model_dir = default_model_dir()
        if not is_verified(model_dir):
            raise AlignerError(
                f"{model_dir}: the default model is not there; run `aligner fetch-model` (or `make model`)"
            )
        return SentenceTransformerEncoder(model_dir, name=DEFAULT_MODEL_NAME, **options)
    if not Path(model_dir).is_dir():
        raise AlignerError(f"{model_dir}: no such model directory")
    return SentenceTransformerEncoder(Path(model_dir), **options)


def weights_sha256(encoder: Encoder) -> str:
    """sha256 of the main weights file, as verified when the encoder was made (manifest entry); else the
    encoder's fingerprint."""
    return getattr(encoder, "weights_sha256", None) or encoder.fingerprint
