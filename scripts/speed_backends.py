"""Every encoder runtime against float32 torch, interleaved in one process on the same cores.

    .venv/bin/python scripts/bench_speed.py --backends                 # 40 sentences a language
    .venv/bin/python scripts/bench_speed.py --backends --per-language 100 --variants onnx,openvino

The texts are NTREX sentences (the first N of each of the five languages), in batches of 64 sorted by
length as the embedder hands them over. Torch stays loaded; the variants are loaded a few at a time
(--together) and timed batch by batch in turn with torch over the same texts,
so both see the same load from other processes. Reported per variant: its sentences per second over
torch's in the same rounds, and the cosine between each sentence's two vectors. Static int8 is
calibrated on the seed articles (seeds/, not part of NTREX or Text+Berg).
"""

from __future__ import annotations

import gc
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from harness import ntrex_sentences

# name -> how the runtime is built (see variant_encoder)
VARIANTS = {
    "openvino": {"backend": "openvino"},  # OpenVINO, threads pinned, tokens-per-batch batching
    "openvino-bf16": {"backend": "openvino-bf16"},  # the CPU default: bfloat16, one text per call
    "onnx": {"backend": "onnx"},  # ONNX Runtime, every graph optimization, tokens-per-batch batching
    "onnx-int8": {"backend": "onnx", "quantize": True},
    "openvino-fixed16": {"backend": "openvino", "tokens_per_batch": 1 << 30, "max_batch": 16},
    "openvino-unpinned": {"backend": "openvino", "pin_threads": False},
    "openvino-tokens1024": {"backend": "openvino", "tokens_per_batch": 1024, "max_batch": 32},
    "onnx-fixed16": {"backend": "onnx", "tokens_per_batch": 1 << 30, "max_batch": 16},
    "onnx-basic": {"backend": "onnx", "optimization": "basic"},
    "onnx-extended": {"backend": "onnx", "optimization": "extended"},
    "torch-int8": {"backend": "torch", "quantize": True},
    "onnx-int8-static": {"backend": "onnx", "static": True},
}


def seed_sentences(seeds: Path) -> list[str]:
    from aligner.pipeline import prepare_documents

    documents, _ = prepare_documents([seeds])
    return list(dict.fromkeys(s for d in documents for s in d.sentences))


def static_int8_graph(encoder, calibration: list[str], folder: Path, log: Callable[[str], None]) -> Path:
    """Static int8 (QDQ, per-channel weights) of the exported graph, MinMax-calibrated on ``calibration``."""
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static

    from aligner.embedding.graph import export_graph
    from aligner.embedding.graph_runtime import GraphRuntime

    graph = export_graph(encoder.model_dir, encoder.weights_fingerprint, log)
    runtime = GraphRuntime(graph, "onnx", encoder.model_dir)
    prompt = encoder._prompt_text if encoder.loaded else ""
    ids = runtime.tokenizer([prompt + t for t in calibration], truncation=True, max_length=runtime.max_length)

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self.rows = iter(ids["input_ids"])

        def get_next(self):
            row = next(self.rows, None)
            if row is None:
                return None
            tokens = np.asarray([row], dtype=np.int64)
            return {"input_ids": tokens, "attention_mask": np.ones_like(tokens)}

    del runtime
    target = folder / "model-int8-static.onnx"
    log(f"static int8: calibrating on {len(calibration)} seed sentences")
    quantize_static(
        graph, target, Reader(), quant_format=QuantFormat.QDQ, per_channel=True,
        weight_type=QuantType.QInt8, activation_type=QuantType.QInt8, op_types_to_quantize=["MatMul"],
        extra_options={"CalibMaxIntermediateOutputs": 16},
    )  # fmt: skip
    return target


class VariantEncoder:
    """A runtime built from a VARIANTS entry, with the model's prompt, as the embedder would call it."""

    def __init__(self, name: str, model_dir: Path, threads: int | None, calibration: list[str], work: Path):
        from aligner.embedding.encoder import SentenceTransformerEncoder, _prompt_text
        from aligner.embedding.graph_runtime import GraphRuntime

        spec = dict(VARIANTS[name])
        backend = spec.pop("backend")
        static = spec.pop("static", False)
        quantize = spec.pop("quantize", False)
        self.encoder = SentenceTransformerEncoder(
            model_dir, backend=backend, quantize=quantize, threads=threads
        )
        self.runtime = None
        if backend != "torch" and (spec or static):
            if static:
                graph = static_int8_graph(self.encoder, calibration, work, print)
            else:
                graph = self.encoder.export(log=print)
            self.runtime = GraphRuntime(graph, backend, model_dir, threads=threads, **spec)
            self.prompt = _prompt_text(model_dir, "BitextMining")

    def encode(self, texts: list[str]) -> np.ndarray:
        if self.runtime is not None:
            return self.runtime.encode(texts, self.prompt)
        return self.encoder.encode(texts)


def measure_backends(
    ntrex: Path,
    seeds: Path,
    per_language: int,
    variants: list[str],
    threads: int | None,
    rounds: int,
    together: int = 3,
) -> dict:
    """Variants are loaded ``together`` at a time (memory) and timed in the same rounds as torch."""
    from aligner.embedding.encoder import SentenceTransformerEncoder
    from aligner.embedding.fetch import default_model_dir

    model_dir = default_model_dir()
    texts = sorted(ntrex_sentences(ntrex, per_language), key=len)
    batches = [texts[i : i + 64] for i in range(0, len(texts), 64)]
    torch_fp32 = SentenceTransformerEncoder(model_dir, threads=threads, backend="torch")
    torch_fp32.encode(texts[-16:])  # load and warm up, untimed
    calibration = seed_sentences(seeds)
    out: dict = {
        "sentences": len(texts),
        "rounds": rounds,
        "threads": threads or len(os.sched_getaffinity(0)),
        "calibration": f"{len(calibration)} sentences of the seed articles ({seeds.name}/)",
        "variants": {},
    }
    with tempfile.TemporaryDirectory(prefix="bench-backends-") as tmp:
        for first in range(0, len(variants), together):
            group = {"torch": torch_fp32}
            for name in variants[first : first + together]:
                group[name] = VariantEncoder(name, model_dir, threads, calibration, Path(tmp))
                group[name].encode(texts[-16:])  # build, load and warm up, untimed
            seconds = dict.fromkeys(group, 0.0)
            vectors: dict[str, list[np.ndarray]] = {label: [] for label in group}
            loads = []
            for round_index in range(rounds):
                for batch in batches:
                    order = list(group.items())  # who goes first turns with each round
                    shift = round_index % len(order)
                    for label, runtime in order[shift:] + order[:shift]:
                        start = time.perf_counter()
                        result = runtime.encode(batch)
                        seconds[label] += time.perf_counter() - start
                        if round_index == 0:
                            vectors[label].append(result)
                    loads.append(os.getloadavg()[0])
            torch_vectors = np.concatenate(vectors["torch"])
            done = len(texts) * rounds
            for name in list(group)[1:]:
                cosines = np.sum(torch_vectors * np.concatenate(vectors[name]), axis=1)
                out["variants"][name] = {
                    "sentences_per_second": round(done / seconds[name], 2),
                    "torch_sentences_per_second": round(done / seconds["torch"], 2),
                    "speedup_over_torch_fp32": round(seconds["torch"] / seconds[name], 3),
                    "cosine_mean": round(float(cosines.mean()), 6),
                    "cosine_min": round(float(cosines.min()), 6),
                    "load_1min": round(float(np.mean(loads)), 2),
                }
                print(name, out["variants"][name], flush=True)
            del group, vectors
            gc.collect()
    return out
