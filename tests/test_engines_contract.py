"""The engine contract: every engine writes the same bytes as the local engine alone, and encodes as much.

One pile, run by the local engine in this process as the reference, then by each engine: the local
engine with two worker processes, Ray on one node, and Ray on two nodes (both on 127.0.0.1). A new
engine joins the list below. The encoder is the meaning-blind test double: the contract is about where
things run, not about the model.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import engine_helpers
import pytest
from engine_helpers import pile_options, same_files, write_pile

from aligner.embedding.cache import EmbeddingCache
from aligner.embedding.embedder import Embedder
from aligner.engines import Engine, LocalEngine, make_engine
from aligner.pipeline import run
from aligner.testing import HashingEncoder


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ray_start(*args: str) -> subprocess.Popen:
    """A ``ray start --block`` process of ours, on 127.0.0.1 (stopping it ends it alone, not every Ray)."""
    command = [str(Path(sys.executable).parent / "ray"), "start", "--block", "--node-ip-address", "127.0.0.1"]
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    return subprocess.Popen([*command, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _ray_cluster(nodes: int) -> Iterator[Engine]:
    """One node started by ``ray.init`` here, or ``nodes`` nodes of one CPU each started by ``ray start``."""
    ray = pytest.importorskip("ray")
    processes: list[subprocess.Popen] = []
    temp = Path(tempfile.mkdtemp(prefix="ray-", dir="/tmp"))  # Ray's socket paths must stay short
    options = {"logging_level": "ERROR", "log_to_driver": False, "_node_ip_address": "127.0.0.1"}
    try:
        if nodes == 1:
            ray.init(address="local", num_cpus=2, include_dashboard=False, **options)  # not another's
        else:
            address = f"127.0.0.1:{_free_port()}"
            head = ["--head", "--port", address.split(":")[1], "--num-cpus", "1", "--temp-dir", str(temp)]
            processes.append(_ray_start(*head, "--include-dashboard", "false"))
            for _ in range(nodes - 1):
                time.sleep(5)  # the head's GCS must be up before a worker joins
                processes.append(_ray_start("--address", address, "--num-cpus", "1"))
            deadline = time.monotonic() + 120
            while True:
                try:
                    ray.init(address=address, **options)
                    if sum(node["Alive"] for node in ray.nodes()) >= nodes or time.monotonic() > deadline:
                        break
                    ray.shutdown()
                except (ConnectionError, RuntimeError):
                    if time.monotonic() > deadline:
                        raise
                time.sleep(2)
        ray.cloudpickle.register_pickle_by_value(engine_helpers)  # workers cannot import tests/
        engine = make_engine("ray")
        try:
            assert sum(node["Alive"] for node in ray.nodes()) == nodes
            assert engine.workers == nodes  # the model once a node
            yield engine
        finally:
            engine.close()
    finally:
        ray.shutdown()
        for process in processes[::-1]:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(temp, ignore_errors=True)


def _local(jobs: int) -> Iterator[Engine]:
    engine = LocalEngine(jobs)
    try:
        yield engine
    finally:
        engine.close()


ENGINES = {
    "local --jobs 2": lambda: _local(2),
    "ray": lambda: _ray_cluster(1),
    "ray, two nodes": lambda: _ray_cluster(2),
}


@pytest.fixture(
    params=[
        "local --jobs 2",
        pytest.param("ray", marks=pytest.mark.ray),
        pytest.param("ray, two nodes", marks=pytest.mark.ray),
    ]
)
def engine(request) -> Iterator[Engine]:
    yield from ENGINES[request.param]()


def _manifest(out: Path) -> dict:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest.pop("timings")
    return manifest


def test_every_engine_writes_the_bytes_of_the_local_engine(tmp_path, engine):
    ids = write_pile(tmp_path / "in", stories=6, copies=3)
    cache = lambda name: EmbeddingCache(tmp_path / name)  # noqa: E731  (each run its own, empty)
    reference = run(
        [tmp_path / "in"],
        tmp_path / "local",
        Embedder(HashingEncoder(), cache("a.sqlite"), progress=False),
        pile_options(ids),
        jobs=1,
    )
    other = run(
        [tmp_path / "in"],
        tmp_path / "other",
        Embedder(HashingEncoder(), cache("b.sqlite"), progress=False),
        pile_options(ids),
        engine=engine,
    )
    assert "alignments.jsonl" in same_files(tmp_path / "local", tmp_path / "other")
    first, second = _manifest(tmp_path / "local"), _manifest(tmp_path / "other")
    executed = second.pop("execution")
    first.pop("execution")
    assert first == second
    assert executed["engine"] == engine.name
    assert len(other.units) == len(reference.units) > 0
    encoded = reference.manifest["execution"]["encoded_texts"]
    assert other.manifest["execution"]["encoded_texts"] == encoded > 0
