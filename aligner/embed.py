"""Sentence embeddings: the encoder interface, its implementations, and a disk cache.

Each distinct text is encoded once per model: texts are looked up in the cache, the rest are
sorted by length (less padding per batch), encoded in batches and stored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from aligner.errors import AlignerError
from aligner.vectors import VectorStore, default_store_dir


@runtime_checkable
class Encoder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors."""

    name: str  # human-readable model name
    fingerprint: str  # sha256 of the weights (cache key and manifest entry)
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _weights_fingerprint(model_dir: Path) -> str:
    """sha256 of the weights files, remembered next to them keyed by size and mtime (hashing 1 GB is slow)."""
    from aligner.fetch import VERIFIED_MARKER, sha256_file

    marker = model_dir / VERIFIED_MARKER
    if marker.is_file():
        files = json.loads(marker.read_text())["files"]
        return hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()
    weights = sorted(p for p in model_dir.rglob("*") if p.suffix in {".safetensors", ".bin"} and p.is_file())
    if not weights:
        raise AlignerError(f"{model_dir}: no model weights (*.safetensors or *.bin) found")
    stamp = [(str(p.relative_to(model_dir)), p.stat().st_size, p.stat().st_mtime_ns) for p in weights]
    memo = model_dir / ".aligner-fingerprint.json"
    try:
        saved = json.loads(memo.read_text())
        if saved["stamp"] == json.loads(json.dumps(stamp)):
            return saved["sha256"]
    except (OSError, ValueError, KeyError):
        pass
    files = {str(p.relative_to(model_dir)): sha256_file(p) for p in weights}
    digest = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()
    with contextlib.suppress(OSError):  # a read-only model directory only costs a re-hash next time
        memo.write_text(json.dumps({"stamp": stamp, "sha256": digest}))
    return digest


class SentenceTransformerEncoder:
    """Any local sentence-transformers directory (the default model included), run offline.

    ``backend`` picks the runtime (torch, or the model's exported graph under ONNX Runtime or
    OpenVINO, see aligner.backends); ``device`` auto/cpu/cuda (a GPU runs torch in float16). Each
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
        backend: str = "torch",
        device: str = "cpu",
    ) -> None:
        from aligner.backends import choose_device, fingerprint_suffix

        model_dir = Path(model_dir)
        if not (model_dir / "modules.json").is_file() and not (model_dir / "config.json").is_file():
            raise AlignerError(f"{model_dir}: not a sentence-transformers model directory (no modules.json)")
        if quantize and backend == "openvino":
            raise AlignerError("--quantize: int8 is measured for --backend torch and onnx, not openvino")
        may_use_gpu = device == "cuda" or (device == "auto" and backend == "torch")
        self.plan = choose_device(device, backend, may_use_gpu and _cuda_available(), batch_size)
        if quantize and self.plan.device == "cuda":
            raise AlignerError("--quantize: int8 runs on the CPU only; use --device cpu")
        self.model_dir = model_dir
        self.name = name or model_dir.name
        self.weights_fingerprint = _weights_fingerprint(model_dir)
        self.fingerprint = self.weights_fingerprint + fingerprint_suffix(backend, quantize, self.plan)
        self.batch_size = self.plan.batch_size
        self.threads = threads
        self.quantize = quantize
        self.backend = backend
        self._prompt_name = prompt_name
        self._model = None  # loaded on first use: a run whose texts are all cached never loads it

    def _loaded(self):
        if self._model is None:
            if self.backend == "torch":
                self._model = self._load_torch()
            else:
                self._model = self._load_graph()
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
        from aligner.backends import GraphRuntime, export_graph, quantized_graph

        build = quantized_graph if self.quantize else export_graph
        graph = build(self.model_dir, self.weights_fingerprint, log=_stderr_log)
        runtime = GraphRuntime(graph, self.backend, self.model_dir, threads=self.threads)
        self._prompt_text = _prompt_text(self.model_dir, self._prompt_name)
        self._dim = runtime.dim
        return runtime

    def export(self, log=lambda message: None) -> Path | None:
        """Build this backend's graph now (``aligner fetch-model --backend``); None for torch."""
        from aligner.backends import export_graph, quantized_graph

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


class HashingEncoder:
    """A tiny deterministic test double: hashed character trigrams, L2-normalised.

    Only for unit tests of pure logic (identical texts get identical vectors, similar strings similar
    ones); it knows nothing of meaning or languages. Integration tests use the real model.
    """

    name = "hashing-trigrams"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.fingerprint = f"hashing-trigrams-{dim}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            padded = f"  {text.lower()}  "
            for i in range(len(padded) - 2):
                bucket = int.from_bytes(
                    hashlib.blake2b(padded[i : i + 3].encode(), digest_size=4).digest(), "little"
                )
                out[row, bucket % self.dim] += 1.0
            norm = np.linalg.norm(out[row])
            if norm > 0:
                out[row] /= norm
        return out


def default_cache_dir() -> Path:
    base = os.environ.get("ALIGNER_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "aligner"
    )
    return Path(base)


class EmbeddingCache:
    """Vectors on disk in SQLite, keyed by model fingerprint and the sha256 of the text.

    SQLite gives atomic, concurrent-safe writes; each row also stores its dimension so a damaged
    row is detected on read and encoded again rather than trusted.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=60)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors "
            "(model TEXT, key BLOB, dim INTEGER, vec BLOB, PRIMARY KEY (model, key))"
        )
        self._db.commit()

    @staticmethod
    def key(text: str) -> bytes:
        return hashlib.sha256(text.encode("utf-8")).digest()

    def get_many(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        keys = {self.key(t): t for t in texts}
        items = list(keys.items())
        for start in range(0, len(items), 500):
            chunk = items[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT key, dim, vec FROM vectors WHERE model = ? AND key IN ({marks})",
                [model, *[k for k, _ in chunk]],
            )
            for key, row_dim, blob in rows:
                if row_dim and len(blob) == row_dim * 4:
                    found[keys[key]] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, model: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        rows = [
            (model, self.key(t), int(v.shape[0]), np.ascontiguousarray(v, dtype=np.float32).tobytes())
            for t, v in zip(texts, vectors, strict=True)
        ]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)", rows)

    def close(self) -> None:
        self._db.close()


_CACHE_READ_CHUNK = 20_000  # texts looked up in the disk cache at a time


class Embedder:
    """Encoder plus cache: ``embed(texts)`` returns one row per text, encoding only what is new."""

    def __init__(
        self,
        encoder: Encoder,
        cache: EmbeddingCache | None = None,
        progress: bool | None = None,
        store: VectorStore | None = None,
    ) -> None:
        self.encoder = encoder
        self.cache = cache
        self.progress = sys.stderr.isatty() if progress is None else progress
        self.encoded_texts = 0  # texts actually run through the encoder (cache misses)
        self.store = VectorStore(default_store_dir()) if store is None else store

    def prepare(self, texts: Sequence[str], batch: int = 64, label: str = "encoding") -> None:
        """Make every text available in the store: from the disk cache, else encoded (in length order)."""
        wanted = self.store.missing(texts)
        if wanted and self.cache is not None:
            for start in range(0, len(wanted), _CACHE_READ_CHUNK):  # bounded memory on huge runs
                chunk = wanted[start : start + _CACHE_READ_CHUNK]
                found = self.cache.get_many(self.encoder.fingerprint, chunk)
                if found:
                    self.store.add(list(found), np.stack(list(found.values())))
            wanted = self.store.missing(wanted)
        if wanted:
            wanted.sort(key=len)
            self._encode_new(wanted, batch, label)

    def embed(self, texts: Sequence[str], batch: int = 64, label: str = "encoding") -> np.ndarray:
        self.prepare(texts, batch, label)
        if not texts:
            return np.zeros((0, self.store.dim or self.encoder.dim), dtype=np.float32)
        return self.store.get(list(texts))

    def _encode_new(self, wanted: list[str], batch: int, label: str) -> None:
        from aligner.progress import counter

        with counter(label, len(wanted), enabled=self.progress) as advance:
            for start in range(0, len(wanted), batch):
                chunk = wanted[start : start + batch]
                vectors = self.encoder.encode(chunk)
                if self.cache is not None:
                    self.cache.put_many(self.encoder.fingerprint, chunk, vectors)
                self.store.add(chunk, vectors)
                self.encoded_texts += len(chunk)
                advance(len(chunk))


DEFAULT_MODEL_NAME = "google/embeddinggemma-300m"


def load_encoder(
    model_dir: Path | None = None,
    threads: int | None = None,
    quantize: bool = False,
    backend: str = "torch",
    device: str = "cpu",
) -> Encoder:
    """The default model (rebuilt by ``aligner fetch-model``) or any local sentence-transformers directory,
    run by ``backend`` (torch, onnx, openvino) on ``device`` (auto, cpu, cuda)."""
    from aligner.fetch import default_model_dir, is_verified

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
    """sha256 of the main weights file where known (manifest entry), else the encoder's fingerprint."""
    model_dir = getattr(encoder, "model_dir", None)
    if model_dir is not None:
        from aligner.fetch import VERIFIED_MARKER

        marker = Path(model_dir) / VERIFIED_MARKER
        if marker.is_file():
            return json.loads(marker.read_text())["files"]["model.safetensors"]
    return encoder.fingerprint
