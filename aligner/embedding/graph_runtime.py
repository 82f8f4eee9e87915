"""The exported graph run by ONNX Runtime or OpenVINO on the CPU, fed by the model's own tokenizer."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from aligner.embedding.graph import _quiet_hub
from aligner.embedding.runtimes import GRAPH_BACKENDS, MAX_BATCH, TOKENS_PER_BATCH, require, token_batches
from aligner.errors import AlignerError


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
