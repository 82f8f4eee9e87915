"""The Ray engine: the same stage functions as Ray tasks, the encoder in Ray actors, here or on a cluster.

- every map (read, language, segment, story candidate search, each round of aligning stories, numbers):
  ordered Ray tasks, retried when a worker dies;
- encode: one actor per node (or per GPU), each loading the model once for the whole run; the embedder
  plans the batches exactly as on the local engine (distinct texts, by length, the same batch size), so
  the vectors are the same bits. An actor writes each batch to the shard store (``aligner/engines/shards.py``)
  the moment it is done, so a batch finished before a crash is never encoded again, and sends the driver
  only which texts are done: the driver keeps the store's index, never the vectors. The tasks that need
  vectors (the stories' evidence, aligning) read them from the store. The driver's disk cache is read
  (its vectors copied to the store), not written: the store, kept beside the output, is the cluster's
  cache. Actors hold no CPU reservation: the driver runs a stage's tasks or its encoding, never both.
Results come back by position, so the output does not depend on the number of nodes or on which worker
did what.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from aligner.align.rounds import MAX_ROUNDS
from aligner.embedding.cache import warn
from aligner.embedding.embedder import Embedder, broken_model
from aligner.embedding.encoder import Encoder, SentenceTransformerEncoder
from aligner.embedding.store import sound_rows
from aligner.engines.run_folder import make_run_folder, sweep_abandoned
from aligner.engines.shards import ShardCache, ShardStore, write_shard
from aligner.errors import AlignerError
from aligner.types import serial_map

TEXTS_FOLDER = "texts"  # in the shard store: a folder a run for the documents' sentences
TASKS_PER_CPU = 4  # a map's items are sent in about this many tasks a CPU: balanced, few round trips


class EncodeWorker:
    """A Ray actor: the encoder, loaded on first use and kept for the run; one batch per call, written to
    the shard store at ``store`` (a folder every node sees), so a worker killed midway costs one batch
    encoded again."""

    def __init__(self, encoder: Encoder, threads: int, store: Path) -> None:
        if isinstance(encoder, SentenceTransformerEncoder):
            encoder.threads = threads
        self.encoder = encoder
        self.store = store

    def encode(self, batch: list[str]) -> tuple[list[str], int, str, float]:
        """The batch, how many of its vectors are not sound (0: all written), the node, the seconds."""
        import ray

        started = time.perf_counter()
        vectors = self.encoder.encode(batch)
        sound = sound_rows(vectors)
        bad = len(batch) - int(sound.sum()) if len(sound) == len(batch) else len(batch)
        if not bad:  # a broken model's vectors are never stored
            write_shard(self.store, self.encoder.fingerprint, batch, vectors)
        return batch, bad, ray.get_runtime_context().get_node_id(), time.perf_counter() - started


class RayEngine:
    name = "ray"
    align_rounds = MAX_ROUNDS  # stories aligned by tasks anywhere; spans encoded by the actors between rounds

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
        nodes = [node for node in ray.nodes() if node.get("Alive") and node["Resources"].get("CPU")]
        self.workers = workers or self.gpus or max(1, len(nodes))  # the model once per node (or GPU)
        self._pool: list = []
        self._pool_encoder: Encoder | None = None
        self.nodes: dict[str, dict[str, float]] = {}  # node id -> texts encoded and seconds spent there
        self._remote_map = ray.remote(max_retries=3)(serial_map)
        self.texts: Path | None = None  # made by ``setup``, in the shard store, removed by ``close``
        self.temporary_store: Path | None = None  # made by ``setup`` when none is given; ``close`` removes

    def setup(self, embedder: Embedder, work: Path | None) -> Embedder:
        """Encoding in the actors; the run's store a view of the shard store (``--store``, else the work
        folder, else a temporary folder), the embedder's disk cache read before encoding. An encoder asked
        for ``--device auto`` runs on the cluster's GPUs (its vectors then have their own fingerprint, so
        they never mix with the CPU's)."""
        encoder = embedder.encoder
        if self.gpus and isinstance(encoder, SentenceTransformerEncoder):
            encoder = encoder.on_cluster(self.gpus)
        if self.store is None and work is not None:
            self.store = work / "store"
        elif self.store is None:  # no --store and no work folder (--no-resume): the run's vectors end with it
            self.store = self.temporary_store = Path(tempfile.mkdtemp(prefix="aligner-ray-"))
        store = ShardStore(ShardCache(self.store, warn=warn), encoder.fingerprint, encoder.dim, verify=True)
        if self.texts is None:  # this run's own folder: another run may share the store
            for folder in sweep_abandoned(self.store / TEXTS_FOLDER):
                warn(f"removed {folder}: the text shards of a run here that ended without removing them")
            self.texts = make_run_folder(self.store / TEXTS_FOLDER)
        return embedder.using(encoder, embedder.cache, self.encode, store)

    def _actors(self, encoder: Encoder) -> list:
        if self._pool and self._pool_encoder is encoder:
            return self._pool
        self._release()
        ray = self._ray
        threads = max(1, self.cpus // self.workers)
        gpu = self.gpus > 0 and getattr(getattr(encoder, "plan", None), "device", "cpu") == "cuda"
        actor = ray.remote(EncodeWorker).options(
            num_cpus=0,  # the CPUs stay free for the tasks of the stages between two encodings
            num_gpus=1 if gpu else 0,
            scheduling_strategy="SPREAD",  # one a node
            max_restarts=-1,  # a worker killed midway is started again ...
            max_task_retries=-1,  # ... and its batch encoded again
        )
        self._pool = [actor.remote(encoder, threads, self.store) for _ in range(self.workers)]
        self._pool_encoder = encoder
        return self._pool

    # -- the engine --------------------------------------------------------------------------------

    def map(self, function: Callable, items: Sequence, common: Any = None) -> list:
        items = list(items)
        if not items:
            return []
        shared = self._ray.put(common) if common is not None else None
        size = max(1, -(-len(items) // (self.cpus * TASKS_PER_CPU)))
        calls = [
            self._remote_map.remote(function, items[start : start + size], shared)
            for start in range(0, len(items), size)
        ]
        try:
            done = self._ray.get(calls)
        except self._ray.exceptions.RayTaskError as error:
            if isinstance(error.cause, AlignerError):  # a task's clear error (a text shard changed, say):
                raise error.cause from None  # its one line, not Ray's remote traceback around it
            raise
        return [result for chunk in done for result in chunk]

    def encode(self, encoder: Encoder, batches: list[list[str]]) -> Iterator[tuple[list[str], None]]:
        """Each batch as it is written to the shard store by an actor (None: no vectors come back)."""
        if not batches:
            return
        from ray.util import ActorPool

        # each batch to the next free actor: a slow node takes fewer
        for batch, bad, node, seconds in ActorPool(self._actors(encoder)).map_unordered(
            lambda actor, batch: actor.encode.remote(batch), batches
        ):
            if bad:
                raise broken_model(encoder, bad)
            stats = self.nodes.setdefault(node, {"encoded_texts": 0, "encode_seconds": 0.0})
            stats["encoded_texts"] += len(batch)
            stats["encode_seconds"] = round(stats["encode_seconds"] + seconds, 3)
            yield batch, None

    def _release(self) -> None:
        for actor in self._pool:
            self._ray.kill(actor)
        self._pool = []
        self._pool_encoder = None

    def close(self) -> None:
        self._release()
        if self.texts is not None:  # only the folder this engine made
            shutil.rmtree(self.texts, ignore_errors=True)
            self.texts = None
        if self.temporary_store is not None:  # only a store this engine made
            shutil.rmtree(self.temporary_store, ignore_errors=True)
            self.store = self.temporary_store = None
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
