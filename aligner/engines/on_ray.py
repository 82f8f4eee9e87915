"""The Ray engine: the same stage functions as Ray tasks and actors, on this machine or a cluster.

- read, language, segment, story candidate search and numbers: ordered maps of Ray tasks;
- embed: a pool of actors, each loading the model once (a GPU each when the cluster has them). The
  driver plans the batches exactly as the local engine does (distinct texts, by length, the same batch
  size), so the vectors are the same bits; each actor writes its batches to the shared shard store
  (``aligner/shards.py``) as it goes, so a batch finished before a crash is never encoded again;
- align: the same actors, one story per call, each reading only its story's vectors from the store.
Actors are restarted and their calls retried when a worker dies; results come back by position, so the
output does not depend on the number of nodes or on which worker did what.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from aligner.align import AlignConfig, align_story
from aligner.embed import Embedder, plan_batches, warn
from aligner.errors import AlignerError
from aligner.shards import ShardCache
from aligner.types import Document, Story, Unit
from aligner.vectors import VectorStore

BATCHES_PER_CALL = 8  # encode batches per actor call: enough to keep an actor busy between calls


def _call(function: Callable, item: Any, common: Any) -> Any:
    return function(item) if common is None else function(item, common)


class StageWorker:
    """A Ray actor: the encoder (loaded on first use) and the shard store; encodes batches, aligns stories."""

    def __init__(self, encoder, store: str, threads: int) -> None:
        if hasattr(encoder, "threads"):
            encoder.threads = threads
        try:
            import faiss

            faiss.omp_set_num_threads(threads)
        except ImportError:  # pragma: no cover - faiss is a dependency
            pass
        self.encoder = encoder
        self.shards = ShardCache(Path(store))

    def encode(self, batches: list[list[str]]) -> tuple[int, str, float]:
        """Encode each batch not in the store yet and store it at once: (texts encoded, node, seconds)."""
        import ray

        started = time.perf_counter()
        encoded = 0
        model = self.encoder.fingerprint
        for batch in batches:
            if len(self.shards.get_many(model, batch)) == len(set(batch)):
                continue  # stored by an earlier try of this call
            self.shards.put_many(model, batch, self.encoder.encode(batch))
            encoded += len(batch)
        return encoded, ray.get_runtime_context().get_node_id(), time.perf_counter() - started

    def align(
        self, position: int, story: Story, documents: dict[str, Document], config: AlignConfig
    ) -> tuple[int, list[Unit], int]:
        """One story's units, its vectors read from the store (a new text is encoded and stored)."""
        with tempfile.TemporaryDirectory(prefix="aligner-story-") as scratch:
            embedder = Embedder(self.encoder, self.shards, progress=False, store=VectorStore(Path(scratch)))
            try:
                units = align_story(story, documents, embedder, config)
            finally:
                embedder.store.close()
        return position, units, embedder.encoded_texts


class RayEngine:
    name = "ray"

    def __init__(
        self, address: str | None = None, store: Path | None = None, workers: int | None = None
    ) -> None:
        try:
            import ray
        except ImportError as error:  # pragma: no cover - ray is a dependency
            raise AlignerError(f"--engine ray: Ray is not installed ({error})") from None
        self._ray = ray
        self.store = Path(store) if store else None
        if address not in (None, "auto"):
            _reachable(address)
        self.started_here = not ray.is_initialized()
        if self.started_here:
            try:
                ray.init(
                    # None would join whatever /tmp/ray/ray_current_cluster or $RAY_ADDRESS names, a cluster
                    # long gone included (minutes of retries, deaf to Ctrl-C): no address starts one here
                    address=address or "local",
                    _node_ip_address=_loopback_or_none(address),
                    include_dashboard=False,
                    logging_level="ERROR",
                    log_to_driver=False,
                    configure_logging=True,
                )
            except (ConnectionError, RuntimeError, ValueError) as error:
                raise AlignerError(f"--ray-address {address}: cannot reach a Ray cluster ({error})") from None
        resources = ray.cluster_resources()
        self.gpus = int(resources.get("GPU", 0))
        self.cpus = max(1, int(resources.get("CPU", 1)))
        self.workers = workers or (self.gpus or self.cpus)
        self._pool: list = []
        self.nodes: dict[str, dict[str, float]] = {}  # node id -> texts encoded and seconds spent there
        self._remote_call = ray.remote(max_retries=3)(_call)

    # -- plumbing ----------------------------------------------------------------------------------

    def adopt(self, embedder: Embedder) -> None:
        """Before anything is looked up: an encoder asked for ``--device auto`` runs on the cluster's
        GPUs (its vectors then have their own fingerprint, so they never mix with the CPU's)."""
        if self.gpus and hasattr(embedder.encoder, "on_cluster"):
            embedder.encoder = embedder.encoder.on_cluster(self.gpus)

    def use_store(self, default: Path) -> None:
        """The shard store: ``--store``, else ``default`` (the run's work folder)."""
        if self.store is None:
            self.store = Path(default)

    def _shards(self) -> ShardCache:
        if self.store is None:
            self.store = Path(tempfile.mkdtemp(prefix="aligner-ray-store-"))
        return ShardCache(self.store, warn=warn)

    def _actors(self, encoder) -> list:
        if self._pool:
            return self._pool
        ray = self._ray
        threads = max(1, self.cpus // self.workers)
        gpu = self.gpus > 0 and getattr(getattr(encoder, "plan", None), "device", "cpu") == "cuda"
        actor = ray.remote(StageWorker).options(
            num_cpus=0 if gpu else threads,
            num_gpus=1 if gpu else 0,
            max_restarts=-1,  # a worker killed midway is started again ...
            max_task_retries=-1,  # ... and its call retried; batches it stored are not encoded again
        )
        self._pool = [actor.remote(encoder, str(self._shards().path), threads) for _ in range(self.workers)]
        return self._pool

    # -- the engine --------------------------------------------------------------------------------

    def map(self, function: Callable, items: Sequence, common: Any = None) -> list:
        if not items:
            return []
        shared = self._ray.put(common) if common is not None else None
        return self._ray.get([self._remote_call.remote(function, item, shared) for item in items])

    def embed(self, texts: Sequence[str], embedder: Embedder) -> None:
        model = embedder.encoder.fingerprint
        shards = self._shards()
        wanted = embedder.store.missing(texts)
        if wanted and embedder.cache is not None and not isinstance(embedder.cache, ShardCache):
            # The driver's own disk cache: what it holds goes to the shared store, for the workers.
            found = embedder.cache.get_many(model, wanted)
            if found:
                shards.put_many(model, list(found), _stack(found.values()))
        stored = shards.get_many(model, wanted)
        wanted = [t for t in wanted if t not in stored]
        batches = plan_batches(wanted)
        if batches:
            pool = self._actors(embedder.encoder)
            calls = [
                batches[start : start + BATCHES_PER_CALL]
                for start in range(0, len(batches), BATCHES_PER_CALL)
            ]
            from ray.util import ActorPool

            try:  # each call to the next free actor: a slow node takes fewer
                for count, node, seconds in ActorPool(pool).map_unordered(
                    lambda actor, call: actor.encode.remote(call), calls
                ):
                    embedder.encoded_texts += count
                    stats = self.nodes.setdefault(node, {"encoded_texts": 0, "encode_seconds": 0.0})
                    stats["encoded_texts"] += count
                    stats["encode_seconds"] = round(stats["encode_seconds"] + seconds, 3)
            finally:
                self._release()  # the next stage's tasks need the CPUs the actors hold
        missing = embedder.store.missing(texts)
        found = shards.get_many(model, missing)
        if len(found) != len(missing):
            raise AlignerError(
                f"ray engine: {len(missing) - len(found)} texts have no vector in {shards.path}"
            )
        if found:
            embedder.store.add(list(found), _stack(found.values()))
            if embedder.cache is not None and not isinstance(embedder.cache, ShardCache):
                encoded_now = set(wanted)
                new = [t for t in found if t in encoded_now]
                if new:
                    embedder.cache.put_many(model, new, _stack(found[t] for t in new))

    def align(
        self,
        stories: Sequence[Story],
        documents: Mapping[str, Document],
        embedder: Embedder,
        config: AlignConfig,
    ) -> Iterator[tuple[int, list[Unit], int]]:
        if not stories:
            return
        from ray.util import ActorPool

        pool = ActorPool(self._actors(embedder.encoder))
        tasks = [(p, story, {d: documents[d] for d in story.docs}) for p, story in enumerate(stories)]
        try:  # each story to the next free actor; results as they come, each with its position
            for position, units, encoded in pool.map_unordered(
                lambda actor, task: actor.align.remote(*task, config), tasks
            ):
                embedder.encoded_texts += encoded
                yield position, units, encoded
        finally:
            self._release()

    def _release(self) -> None:
        """End the pool's actors: a stage's actors hold CPUs that the next stage's tasks need."""
        for actor in self._pool:
            self._ray.kill(actor)
        self._pool = []

    def close(self) -> None:
        self._release()
        if self.started_here and self._ray.is_initialized():
            self._ray.shutdown()


# The client preface of HTTP/2 (RFC 9113 §3.4) and an empty SETTINGS frame: Ray's GCS is a gRPC server,
# which must answer with a SETTINGS frame of its own; an HTTP/1 server, or anything else, does not.
_HTTP2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + b"\x00\x00\x00\x04\x00\x00\x00\x00\x00"
_SETTINGS_FRAME = 0x04


def _reachable(address: str, timeout: float = 5.0) -> None:
    """A HOST:PORT where no gRPC server answers is a one-line error now: Ray itself would retry for
    minutes, deaf to Ctrl-C, flooding stderr. Hand-written because grpcio is not part of Ray's core
    install; the handshake is HTTP/2's own and the same for every gRPC server."""
    import socket

    host, _, port = address.rpartition(":")
    try:
        probe = socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout)
    except (OSError, ValueError) as error:
        raise AlignerError(f"--ray-address {address}: no Ray cluster answers there ({error})") from None
    header = b""
    try:
        with probe:
            probe.sendall(_HTTP2_PREFACE)
            while len(header) < 9 and (chunk := probe.recv(9 - len(header))):
                header += chunk
    except TimeoutError:
        raise AlignerError(
            f"--ray-address {address}: not a Ray cluster (no answer to a gRPC handshake within {timeout:g} s)"
        ) from None
    except OSError:
        pass  # reset by the peer: judged by what was heard
    if len(header) < 9 or header[3] != _SETTINGS_FRAME:
        heard = header.split(b"\r\n")[0].decode("ascii", "replace") if header else "the connection closed"
        raise AlignerError(
            f"--ray-address {address}: something else answers there, not a Ray cluster ({heard!r})"
        )


def _loopback_or_none(address: str | None) -> str | None:
    """127.0.0.1 for a cluster started here or reached on loopback: this node is then 127.0.0.1 too."""
    if address is None or address.split(":")[0] in ("127.0.0.1", "localhost"):
        return "127.0.0.1"
    return None


def _stack(vectors) -> Any:
    import numpy as np

    return np.stack(list(vectors)).astype(np.float32, copy=False)
