"""Encoder runtimes: device choice, fingerprints, token batching, and the ONNX export run for real by
ONNX Runtime and OpenVINO on a tiny sentence-transformers model built here (no download)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from aligner.embedding.encoder import SentenceTransformerEncoder
from aligner.embedding.graph import export_graph, graph_dir, stamped_graph
from aligner.embedding.runtimes import (
    CPU_BACKEND,
    CPU_FALLBACK,
    GRAPH_FILE,
    STAMP_FILE,
    DevicePlan,
    choose_device,
    cpu_has_bf16,
    fingerprint_suffix,
    require,
    resolve_backend,
    token_batches,
)
from aligner.errors import AlignerError

TEXTS = [
    "the cat sat on the mat",
    "a dog",
    "the quick brown fox jumps over the lazy dog near the river bank today",
    "cat",
    "dog sat",
]


def test_auto_takes_the_gpu_only_when_there_is_one_and_torch_runs():
    assert choose_device("auto", "torch", cuda_available=False) == DevicePlan(
        "cpu", half=False, batch_size=16
    )
    assert choose_device("auto", "torch", cuda_available=True) == DevicePlan(
        "cuda", half=True, batch_size=128
    )
    assert choose_device("auto", "onnx", cuda_available=True).device == "cpu"
    assert choose_device("cpu", "torch", cuda_available=True) == DevicePlan("cpu", half=False, batch_size=16)
    assert choose_device("cuda", "torch", cuda_available=True).half


def test_the_default_backend_is_the_graph_runtime_on_a_cpu_and_torch_half_on_a_gpu():
    cpu = choose_device("auto", "auto", cuda_available=False)
    gpu = choose_device("auto", "auto", cuda_available=True)
    has, lacks = (lambda: True), (lambda: False)
    assert (cpu.device, resolve_backend("auto", cpu, bf16=has)) == ("cpu", CPU_BACKEND)
    assert resolve_backend("auto", cpu, bf16=lacks) == CPU_FALLBACK  # no bfloat16: float32 OpenVINO
    assert resolve_backend("auto", cpu, quantize=True, bf16=has) == "onnx"  # int8 is ONNX Runtime's
    assert (gpu.device, gpu.half, resolve_backend("auto", gpu, bf16=has)) == ("cuda", True, "torch")
    assert resolve_backend("auto", choose_device("cpu", "auto", cuda_available=True), bf16=has) == CPU_BACKEND
    assert resolve_backend("auto", choose_device("cuda", "auto", cuda_available=True)) == "torch"
    for named in ("torch", "onnx", "openvino"):  # a named runtime is never swapped
        assert resolve_backend(named, cpu, bf16=lacks) == named
    assert resolve_backend("openvino-bf16", cpu, bf16=has) == "openvino-bf16"
    with pytest.raises(AlignerError, match="no bfloat16"):  # never float32 under the bf16 fingerprint
        resolve_backend("openvino-bf16", cpu, bf16=lacks)


def test_the_default_backend_is_resolved_in_the_encoder_and_its_fingerprint(tiny_model):
    default = SentenceTransformerEncoder(tiny_model)
    expected = CPU_BACKEND if cpu_has_bf16() else CPU_FALLBACK  # what this machine's CPU computes in
    assert default.backend == expected and default.requested_backend == "auto"
    assert default.fingerprint == _encoder(tiny_model, expected).fingerprint
    assert default.fingerprint.endswith(":" + expected)
    assert default.fingerprint != _encoder(tiny_model, "torch").fingerprint


def test_impossible_device_requests_are_one_line_errors():
    with pytest.raises(AlignerError, match="no CUDA GPU"):
        choose_device("cuda", "torch", cuda_available=False)
    with pytest.raises(AlignerError, match="use --backend torch"):
        choose_device("cuda", "openvino", cuda_available=True)
    with pytest.raises(AlignerError, match="not one of"):
        choose_device("tpu", "torch", cuda_available=False)
    with pytest.raises(AlignerError, match="not one of"):
        choose_device("cpu", "tensorrt", cuda_available=False)


def test_a_missing_runtime_package_is_a_one_line_error():
    with pytest.raises(AlignerError, match=r"needs the no_such_runtime package: pip install -e '\.\[onnx\]'"):
        require("no_such_runtime", "onnx")
    require("numpy", "onnx")  # present: no error


def test_every_runtime_has_its_own_fingerprint_and_float32_torch_names_its_reproducible_mode():
    cpu, gpu = DevicePlan("cpu", False, 16), DevicePlan("cuda", True, 128)
    assert fingerprint_suffix("torch", False, cpu) == ":cnr"  # not the vectors cached before strict MKL
    suffixes = [
        fingerprint_suffix(backend, quantize, plan)
        for backend in ("torch", "onnx", "openvino")
        for quantize in (False, True)
        for plan in (cpu, gpu)
    ]
    assert len(set(suffixes)) == len(suffixes)


def test_token_batches_cover_every_text_once_within_the_padding_budget():
    lengths = [5, 40, 7, 7, 100, 3, 12, 12, 12, 60, 2, 9]
    batches = token_batches(lengths, tokens_per_batch=64, max_batch=4)
    assert sorted(i for batch in batches for i in batch) == list(range(len(lengths)))
    for batch in batches:
        padded = len(batch) * max(lengths[i] for i in batch)
        assert padded <= 64 or len(batch) == 1
        assert len(batch) <= 4
    flat = [lengths[i] for batch in batches for i in batch]
    assert flat == sorted(flat)  # shortest first: neighbours of similar length share a batch
    assert [lengths[i] for i in batches[-1]] == [100]  # too long to share, alone


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    """A 2-layer BERT sentence-transformers model with random weights and a word-level vocabulary."""
    import torch
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, BertTokenizerFast

    folder = tmp_path_factory.mktemp("tiny")
    base = folder / "base"
    base.mkdir()
    words = sorted({word for text in TEXTS for word in text.split()})
    (base / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]) + "\n")
    BertTokenizerFast(vocab_file=str(base / "vocab.txt")).save_pretrained(base)
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(words) + 5, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=64,
    )  # fmt: skip
    BertModel(config).save_pretrained(base)
    transformer = models.Transformer(str(base), max_seq_length=48)
    model = SentenceTransformer(
        modules=[transformer, models.Pooling(32, "mean"), models.Normalize()],
        prompts={"BitextMining": "query: "},
        device="cpu",
    )
    model.save(str(folder / "model"))
    return folder / "model"


def _encoder(model: Path, backend: str, **options) -> SentenceTransformerEncoder:
    return SentenceTransformerEncoder(model, backend=backend, **options)


def test_the_exported_graph_gives_torch_vectors_under_both_runtimes(tiny_model):
    reference = _encoder(tiny_model, "torch").encode(TEXTS)
    for backend in ("onnx", "openvino"):
        vectors = _encoder(tiny_model, backend, threads=1).encode(TEXTS)
        assert vectors.shape == reference.shape and vectors.dtype == np.float32
        np.testing.assert_allclose(vectors, reference, atol=1e-5)  # same prompt, pooling and norm
    no_prompt = _encoder(tiny_model, "onnx", prompt_name=None).encode(TEXTS)
    assert np.abs(no_prompt - reference).max() > 1e-3  # the prompt is part of what is compared


@pytest.mark.skipif(not cpu_has_bf16(), reason="this CPU has no bfloat16 arithmetic")
def test_bfloat16_vectors_are_close_to_torch_and_depend_on_the_text_alone(tiny_model):
    reference = _encoder(tiny_model, "torch").encode(TEXTS)
    bf16 = _encoder(tiny_model, "openvino-bf16", threads=1)
    vectors = bf16.encode(TEXTS)
    assert (vectors * reference).sum(axis=1).min() > 0.99  # normalised: the cosines
    alone = np.vstack([bf16.encode([text]) for text in reversed(TEXTS)])[::-1]
    assert np.array_equal(alone, vectors)  # no batch padding reaches a vector
    assert np.array_equal(_encoder(tiny_model, "openvino-bf16", threads=2).encode(TEXTS), vectors)
    assert bf16.batch_invariant and not _encoder(tiny_model, "onnx").batch_invariant  # spans share calls


def test_the_graph_is_stamped_reused_and_rebuilt_when_damaged(tiny_model):
    encoder = _encoder(tiny_model, "onnx")
    graph = encoder.export()
    assert graph == graph_dir(tiny_model) / GRAPH_FILE
    stamp = json.loads((graph_dir(tiny_model) / STAMP_FILE).read_text())
    assert stamp["source"] == encoder.weights_fingerprint
    assert GRAPH_FILE in stamp["graphs"][GRAPH_FILE]
    before = graph.stat().st_mtime_ns
    assert encoder.export() == graph and graph.stat().st_mtime_ns == before  # built once
    assert stamped_graph(tiny_model, "other weights") is None  # a stamp for other weights is not trusted
    with open(graph, "ab") as handle:
        handle.write(b"\0")
    assert stamped_graph(tiny_model, encoder.weights_fingerprint) is None
    export_graph(tiny_model, encoder.weights_fingerprint)
    assert stamped_graph(tiny_model, encoder.weights_fingerprint) == graph
    vectors = _encoder(tiny_model, "onnx").encode(TEXTS)
    np.testing.assert_allclose(vectors, _encoder(tiny_model, "torch").encode(TEXTS), atol=1e-5)


def test_int8_graph_is_its_own_runtime(tiny_model):
    int8 = _encoder(tiny_model, "onnx", quantize=True)
    fp32 = _encoder(tiny_model, "onnx")
    assert int8.fingerprint != fp32.fingerprint != _encoder(tiny_model, "torch").fingerprint
    vectors = int8.encode(TEXTS)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    cosines = (vectors * fp32.encode(TEXTS)).sum(axis=1)
    assert cosines.min() > 0.9
    with pytest.raises(AlignerError, match="not openvino"):
        _encoder(tiny_model, "openvino", quantize=True)


def _aligner(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, "-m", "aligner.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)


def test_cli_backend_option_reaches_the_encoder(tiny_model, tmp_path):
    src, tgt = tmp_path / "src.txt", tmp_path / "tgt.txt"
    src.write_text("\n".join(TEXTS) + "\n")
    tgt.write_text("\n".join(reversed(TEXTS)) + "\n")
    common = ["align", str(src), str(tgt), "--presplit", "--model", str(tiny_model), "--no-cache"]
    by_torch = _aligner(*common, "--backend", "torch")
    by_onnx = _aligner(*common, "--backend", "onnx")
    assert by_torch.returncode == 0 and by_onnx.returncode == 0, by_onnx.stderr
    assert by_onnx.stdout == by_torch.stdout and by_torch.stdout.strip()
    no_gpu = _aligner(*common, "--backend", "onnx", "--device", "cuda")
    assert no_gpu.returncode == 1 and "Traceback" not in no_gpu.stderr
    assert len(no_gpu.stderr.strip().splitlines()) == 1
    bad = _aligner(*common, "--backend", "tensorrt")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_ray_actors_take_the_clusters_gpus_when_the_device_is_auto():
    from aligner.embedding.runtimes import plan_on_cluster

    cpu = choose_device("auto", "torch", cuda_available=False)
    gpu = DevicePlan("cuda", half=True, batch_size=128)
    assert plan_on_cluster("auto", "torch", cpu, cluster_gpus=4) == gpu
    assert plan_on_cluster("auto", "torch", cpu, cluster_gpus=0) == cpu  # a CPU cluster: unchanged
    assert plan_on_cluster("cpu", "torch", cpu, cluster_gpus=4) == cpu  # the user asked for the CPU
    assert plan_on_cluster("auto", "onnx", cpu, cluster_gpus=4) == cpu  # the graph runtimes run on CPUs
    assert plan_on_cluster("auto", "auto", cpu, cluster_gpus=4) == gpu  # the default: torch on the GPUs


def test_the_default_encoder_moves_to_torch_on_a_clusters_gpus(tiny_model):
    here = SentenceTransformerEncoder(tiny_model, device="auto")
    assert here.backend in (CPU_BACKEND, CPU_FALLBACK)  # no GPU on this machine
    there = here.on_cluster(cluster_gpus=2)
    assert (there.backend, there.plan.device, there.plan.half) == ("torch", "cuda", True)
    assert there.fingerprint != here.fingerprint and here.backend != "torch"  # the driver's is unchanged
    named = SentenceTransformerEncoder(tiny_model, backend="onnx", device="auto")
    assert named.on_cluster(cluster_gpus=2).backend == "onnx"  # a runtime the user named stays
