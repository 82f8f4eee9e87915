"""Sentence embeddings: the encoder interface, its implementations, and a disk cache.

Each distinct text is encoded once per model: texts are looked up in the cache, the rest are
sorted by length (less padding per batch), encoded in batches and stored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from aligner.embedding.store import VectorCache, VectorStore, default_store_dir, sound_rows
from aligner.errors import AlignerError
from aligner.safe import safe_text


@runtime_checkable
class Encoder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors."""

    name: str  # human-readable model name
    fingerprint: str  # sha256 of the weights (cache key and manifest entry)
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


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
        from aligner.embedding.runtimes import GraphRuntime, export_graph, quantized_graph

        build = quantized_graph if self.quantize else export_graph
        graph = build(self.model_dir, self.weights_fingerprint, log=_stderr_log)
        runtime = GraphRuntime(graph, self.backend, self.model_dir, threads=self.threads)
        self._prompt_text = _prompt_text(self.model_dir, self._prompt_name)
        self._dim = runtime.dim
        return runtime

    def export(self, log=lambda message: None) -> Path | None:
        """Build this backend's graph now (``aligner fetch-model --backend``); None for torch."""
        from aligner.embedding.runtimes import export_graph, quantized_graph

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


def default_cache_dir() -> Path:
    base = os.environ.get("ALIGNER_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "aligner"
    )
    return Path(base)


def warn(message: str) -> None:
    print(f"aligner: warning: {safe_text(message)}", file=sys.stderr, flush=True)


class EmbeddingCache:
    """Vectors on disk in SQLite, keyed by model fingerprint and the sha256 of the text.

    SQLite gives atomic, concurrent-safe writes; each row also stores its dimension so a damaged
    row (wrong length, NaN or infinite values, a zero or otherwise not unit-length vector) is detected
    on read, with a warning, and encoded again (then replaced) rather than trusted. The cache only
    ever saves time, so it never stops a run: a file that is not a sound SQLite database is set aside
    (renamed, with a note) and a new one started; a cache that cannot be opened or written (read-only,
    a file in the way, locked by another process) is bypassed with a warning.
    """

    def __init__(self, path: Path, timeout: float = 60.0, warn: Callable[[str], None] = warn) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.warn = warn
        self._db: sqlite3.Connection | None = None
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as error:
            if self._damaged(error):
                self._set_aside(error)
            else:
                self._bypass(error)
        except OSError as error:
            self._bypass(error)

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=self.timeout)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS vectors "
                "(model TEXT, key BLOB, dim INTEGER, vec BLOB, PRIMARY KEY (model, key))"
            )
            db.commit()
            # a cheap look at the first page of rows: a truncated file fails here, not mid-run
            db.execute("SELECT count(*) FROM (SELECT dim FROM vectors LIMIT 100)").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    @staticmethod
    def _damaged(error: sqlite3.Error) -> bool:
        """Not an SQLite database, or a corrupt one (as opposed to locked, read-only, out of space, or a
        misuse): only then is the file set aside."""
        name = getattr(error, "sqlite_errorname", "") or ""
        return name == "SQLITE_NOTADB" or name.startswith("SQLITE_CORRUPT")

    def _bypass(self, error: BaseException) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None
        reason = getattr(error, "strerror", None) or str(error)
        if isinstance(error, OSError) and error.filename:
            reason = f"{error.filename}: {reason}"
        self.warn(f"{self.path}: embedding cache not used ({reason}); every sentence is encoded this run")

    def _set_aside(self, error: BaseException) -> None:
        """Rename a damaged cache (and its -wal/-shm files) out of the way, leave a note, start anew."""
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None
        stamp = time.strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{os.getpid()}")
        try:
            for suffix in ("", "-wal", "-shm"):
                part = Path(f"{self.path}{suffix}")
                if part.exists():
                    os.replace(part, f"{aside}{suffix}")
            Path(f"{aside}.txt").write_text(
                f"aligner set this embedding cache aside on {stamp}: {error}.\n"
                "It only saved time (vectors are encoded again); delete it when you like.\n",
                encoding="utf-8",
            )
        except OSError as failure:
            self._bypass(failure)
            return
        self.warn(
            f"{self.path}: damaged embedding cache ({error}); set aside as {aside.name}, starting a new one"
        )
        try:
            self._db = self._open()
        except (sqlite3.Error, OSError) as failure:
            self._bypass(failure)

    def _failed(self, error: sqlite3.Error) -> None:
        if self._damaged(error):
            self._set_aside(error)
        else:
            self._bypass(error)

    @property
    def usable(self) -> bool:
        return self._db is not None

    @staticmethod
    def key(text: str) -> bytes:
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()

    def get_many(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        damaged = 0
        keys = {self.key(t): t for t in texts}
        items = list(keys.items())
        try:
            for start in range(0, len(items), 500):
                if self._db is None:
                    break
                chunk = items[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT key, dim, vec FROM vectors WHERE model = ? AND key IN ({marks})",
                    [model, *[k for k, _ in chunk]],
                )
                for key, row_dim, blob in rows:
                    if not row_dim or not isinstance(blob, bytes) or len(blob) != row_dim * 4:
                        damaged += 1
                        continue
                    vector = np.frombuffer(blob, dtype=np.float32)
                    if sound_rows(vector[None, :])[0]:  # NaN, inf, zero or not unit length: encoded again
                        found[keys[key]] = vector
                    else:
                        damaged += 1
        except sqlite3.Error as error:
            self._failed(error)
        if damaged:
            self.warn(
                f"{self.path}: {damaged} cached vector(s) damaged (wrong length, not finite or not unit "
                "length); encoded again"
            )
        return found

    def put_many(self, model: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        if self._db is None:
            return
        rows = [
            (model, self.key(t), int(v.shape[0]), np.ascontiguousarray(v, dtype=np.float32).tobytes())
            for t, v in zip(texts, vectors, strict=True)
        ]
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)", rows)
        except sqlite3.Error as error:
            self._failed(error)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


_CACHE_READ_CHUNK = 20_000  # texts looked up in the disk cache at a time
ENCODE_BATCH = 64  # texts per encoder call


def plan_batches(texts: Sequence[str], batch: int = ENCODE_BATCH) -> list[list[str]]:
    """The distinct texts by length (less padding per batch), cut into batches.

    Every engine encodes through this plan: a text's vector depends slightly on its batch mates (padding),
    so the same plan is what makes the same texts come out as the same bits wherever they are encoded.
    """
    ordered = sorted(dict.fromkeys(texts), key=len)
    return [ordered[start : start + batch] for start in range(0, len(ordered), batch)]


# Where batches are encoded: ``runner(encoder, batches)`` yields each batch with its vectors as it is done,
# in any order. An engine's ``encode``; by default, here, one batch after another.
BatchRunner = Callable[[Encoder, list[list[str]]], Iterable[tuple[list[str], np.ndarray]]]


def encode_here(encoder: Encoder, batches: list[list[str]]) -> Iterator[tuple[list[str], np.ndarray]]:
    for batch in batches:
        yield batch, encoder.encode(batch)


class MissingVectors(LookupError):
    """Asked of an embedder that holds some vectors and encodes none (a round of align/rounds.py)."""


class Embedder:
    """Encoder plus caches: ``embed(texts)`` returns one row per text, encoding only what is new.

    It owns "which texts are missing -> batches -> store and cache": the run's ``store`` first, then the
    disk ``cache``, then the encoder, batch by batch through ``runner`` (where an engine encodes).
    """

    def __init__(
        self,
        encoder: Encoder,
        cache: VectorCache | None = None,
        progress: bool | None = None,
        store: VectorStore | None = None,
        runner: BatchRunner = encode_here,
    ) -> None:
        self.encoder = encoder
        self.cache = cache
        self.progress = sys.stderr.isatty() if progress is None else progress
        self.encoded_texts = 0  # texts actually run through the encoder (cache misses)
        self.store = VectorStore(default_store_dir()) if store is None else store
        self.runner = runner

    def using(
        self,
        encoder: Encoder | None = None,
        cache: VectorCache | None = None,
        runner: BatchRunner | None = None,
    ) -> Embedder:
        """This embedder with another encoder, cache or runner (an engine's), sharing its store."""
        return Embedder(
            encoder or self.encoder,
            cache if cache is not None else self.cache,
            self.progress,
            self.store,
            runner or self.runner,
        )

    def prepare(self, texts: Sequence[str], batch: int = ENCODE_BATCH, label: str = "encoding") -> None:
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
            self._encode_new(plan_batches(wanted, batch), label)

    def embed(self, texts: Sequence[str], batch: int = ENCODE_BATCH, label: str = "encoding") -> np.ndarray:
        self.prepare(texts, batch, label)
        if not texts:
            return np.zeros((0, self.store.dim or self.encoder.dim), dtype=np.float32)
        return self.store.get(list(texts))

    def _encode_new(self, batches: list[list[str]], label: str) -> None:
        from aligner.report.progress import counter

        with counter(label, sum(map(len, batches)), enabled=self.progress) as advance:
            for chunk, vectors in self.runner(self.encoder, batches):
                sound = sound_rows(vectors)
                if len(sound) != len(chunk) or not sound.all():  # a broken model: never cached, never aligned
                    bad = len(chunk) - int(sound.sum())
                    raise AlignerError(
                        f"{self.encoder.name}: the model gave {bad} vector(s) not finite and of unit length; "
                        "its files may be damaged (`aligner fetch-model --verify`)"
                    )
                if self.cache is not None:  # at once: a batch done before a crash is never encoded again
                    self.cache.put_many(self.encoder.fingerprint, chunk, vectors)
                self.store.add(chunk, vectors)
                self.encoded_texts += len(chunk)
                advance(len(chunk))


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
