"""The Ray engine, on a real local Ray cluster: same bytes as local, faults, resume, incremental."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import engine_helpers
import numpy as np
import pytest
from engine_helpers import LoggingEncoder, encoded, pile_options, same_files, write_pile
from rich.console import Console

from aligner.documents.stored import StoredDocument, read_sentences
from aligner.embedding.cache import EmbeddingCache
from aligner.embedding.embedder import Embedder
from aligner.engines import make_engine
from aligner.engines.shards import ShardCache, ShardStore
from aligner.errors import AlignerError
from aligner.pipeline import RunOptions, run, work_folder
from aligner.report.terminal import print_report
from aligner.stories.first_look import FirstLookConfig, lead
from aligner.testing import HashingEncoder

ray = pytest.importorskip("ray")
pytestmark = pytest.mark.ray
TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def cluster():
    """A local Ray cluster of 2 CPUs for the whole module, dashboard off; its address."""
    ray.init(
        num_cpus=2,
        _node_ip_address="127.0.0.1",
        include_dashboard=False,
        logging_level="ERROR",
        log_to_driver=False,
    )
    ray.cloudpickle.register_pickle_by_value(engine_helpers)  # workers cannot import tests/
    yield ray.get_runtime_context().gcs_address
    ray.shutdown()


def embedder(cache: Path, encoder=None) -> Embedder:
    return Embedder(encoder or HashingEncoder(), EmbeddingCache(cache), progress=False)


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def assert_same_run(first: Path, second: Path) -> None:
    """Every output file the same bytes; the manifest the same but for timings and how the run went."""
    assert "alignments.jsonl" in same_files(first, second)
    a, b = manifest(first), manifest(second)
    for key in ("timings", "execution"):
        a.pop(key), b.pop(key)
    assert a == b


def test_ray_writes_the_same_bytes_as_local(tmp_path, cluster):
    ids = write_pile(tmp_path / "in")
    local = run([tmp_path / "in"], tmp_path / "local", embedder(tmp_path / "a.sqlite"), pile_options(ids))
    engine = make_engine("ray", workers=2)
    try:
        on_ray = run(
            [tmp_path / "in"],
            tmp_path / "ray",
            embedder(tmp_path / "b.sqlite"),
            pile_options(ids),
            engine=engine,
        )
    finally:
        engine.close()
    assert_same_run(tmp_path / "local", tmp_path / "ray")
    assert len(on_ray.stories) == 6 and len(on_ray.units) == len(local.units) > 0
    assert on_ray.manifest["execution"]["engine"] == "ray"
    assert on_ray.manifest["execution"]["encoded_texts"] == local.manifest["execution"]["encoded_texts"] > 0
    assert ray.is_initialized()  # an engine that joined a running cluster leaves it running


def test_the_driver_keeps_no_sentence_vectors(tmp_path, cluster, monkeypatch):
    """The actors write the vectors to the shard store and the tasks read them there: the driver keeps
    none, and reads only the lead vectors of the documents in play (their mean: a document vector)."""
    ids = write_pile(tmp_path / "in")
    read: list[str] = []
    original = ShardStore.get

    def recording(self, texts):
        read.extend(texts)
        return original(self, texts)

    monkeypatch.setattr(ShardStore, "get", recording)  # in this process, the driver, only
    driver = embedder(tmp_path / "b.sqlite")
    engine = make_engine("ray", workers=2)
    try:
        result = run([tmp_path / "in"], tmp_path / "ray", driver, pile_options(ids), engine=engine)
        texts = engine.texts
        assert texts is not None and any(texts.glob("*.texts"))  # the read tasks wrote the sentences there
    finally:
        engine.close()
    assert not texts.exists()  # the run's own text shards end with it
    assert len(driver.store) == 0  # the driver's own store: never written
    # Nor does it hold the documents' sentences: references to the text shards the tasks wrote.
    assert result.documents and all(isinstance(d, StoredDocument) for d in result.documents)
    assert all("sentences" not in vars(d) for d in result.documents)
    playing = [
        d for d in result.documents if any(d.doc_id in s.docs for s in result.stories if len(s.docs) > 1)
    ]
    leads = {sentence for d in playing for sentence in lead(d, FirstLookConfig())}
    assert read and set(read) <= leads
    sentences = {s for d in playing for s in d.sentences}
    stored = ShardCache(work_folder(tmp_path / "ray") / "store")
    fingerprint = HashingEncoder().fingerprint
    assert len(stored.get_many(fingerprint, sorted(sentences))) == len(sentences) > len(leads)
    # The terminal report comes after the engine closed: it reads no text shard (a run of more documents
    # than the last few read, kept in memory, failed there).
    first, count = result.documents[0].doc_id, len(result.documents[0].sentences)
    read_sentences.cache_clear()
    printed = io.StringIO()
    print_report(result, Console(file=printed, width=120, color_system=None))
    assert re.search(rf"{re.escape(first)}\s+\w+\s+{count}\s", printed.getvalue())


def test_a_store_the_engine_made_ends_with_it_and_a_given_one_stays(tmp_path, cluster):
    ids = write_pile(tmp_path / "in", stories=2)

    def run_without_resume(engine, name: str) -> None:  # no work folder to keep a store in (--no-resume)
        cache = embedder(tmp_path / f"{name}.sqlite")
        run([tmp_path / "in"], tmp_path / name, cache, pile_options(ids), resume=False, engine=engine)

    engine = make_engine("ray", workers=2)  # and no --store
    try:
        run_without_resume(engine, "a")
        made = engine.temporary_store
        assert made is not None and any(made.rglob("*.keys.npy"))  # the run's vectors were kept there
    finally:
        engine.close()
    assert not made.exists()
    given = tmp_path / "store"
    engine = make_engine("ray", workers=2, store=given)
    try:
        run_without_resume(engine, "b")
    finally:
        engine.close()
    assert any(given.rglob("*.keys.npy"))  # a store it was given stays, vectors and all


def test_a_tasks_clear_error_reaches_the_user_as_its_one_line(cluster):
    engine = make_engine("ray", workers=1)
    try:
        with pytest.raises(AlignerError) as raised:
            engine.map(engine_helpers.fails_clearly, ["a"])
    finally:
        engine.close()
    assert str(raised.value) == "texts/a.texts: the run's sentences changed while it ran (offset 0)"


def test_encode_all_on_ray_writes_the_bytes_of_local(tmp_path, cluster):
    """``--encode-all``: every document's vectors, read on the driver for the search, read in tasks for
    the evidence."""
    ids = write_pile(tmp_path / "in")
    options = dataclasses.replace(pile_options(ids), story_first=False)
    run([tmp_path / "in"], tmp_path / "local", embedder(tmp_path / "a.sqlite"), options)
    engine = make_engine("ray", workers=1)
    try:
        run([tmp_path / "in"], tmp_path / "ray", embedder(tmp_path / "b.sqlite"), options, engine=engine)
    finally:
        engine.close()
    assert_same_run(tmp_path / "local", tmp_path / "ray")
    assert not manifest(tmp_path / "ray")["parameters"]["story_first"]


def _kill_when(condition, log: Path, killed: list[int], timeout: float = 120.0) -> threading.Thread:
    """Kill, with SIGKILL, the worker that encodes next once ``condition()`` holds."""

    def watch() -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not condition():
            time.sleep(0.05)
        seen = len(encoded(log))
        while time.monotonic() < deadline:
            lines = encoded(log)
            if len(lines) > seen:
                pid = lines[-1][0]
                if pid != os.getpid():
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                    return
            time.sleep(0.02)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("stage", ["embed", "align"])
def test_a_worker_killed_midway_is_retried_and_the_output_is_the_same(tmp_path, cluster, stage):
    ids = write_pile(tmp_path / "in", stories=24, copies=2)
    run([tmp_path / "in"], tmp_path / "local", embedder(tmp_path / "a.sqlite"), pile_options(ids))
    log = tmp_path / "encoded.log"
    sentences = {line for path in (tmp_path / "in").glob("*.txt") for line in path.read_text().splitlines()}

    def condition() -> bool:  # embed: the first batch a worker encodes; align: a concatenation (after
        return stage == "embed" or len(encoded(log)) >= len(sentences)  # every sentence was encoded)

    killed: list[int] = []
    watcher = _kill_when(condition, log, killed)
    engine = make_engine("ray", workers=2)
    try:
        run(
            [tmp_path / "in"],
            tmp_path / "ray",
            embedder(tmp_path / "b.sqlite", LoggingEncoder(log, delay=0.4)),
            pile_options(ids),
            engine=engine,
        )
    finally:
        engine.close()
    watcher.join(timeout=5)
    assert killed, "no worker was killed"
    with pytest.raises(ProcessLookupError):
        os.kill(killed[0], 0)
    assert_same_run(tmp_path / "local", tmp_path / "ray")
    texts = [digest for _, digest in encoded(log)]
    # Only the batch in flight when the worker died is encoded a second time.
    assert len(texts) - len(set(texts)) <= 64


DRIVER = """
import sys
sys.path.insert(0, {tests!r})
import ray, engine_helpers
from pathlib import Path
from aligner.documents.stored import StoredDocument, read_sentences
from aligner.embedding.cache import EmbeddingCache
from aligner.embedding.embedder import Embedder
from aligner.engines.on_ray import RayEngine
from aligner.pipeline import run
ray.init(address={address!r}, logging_level="ERROR", log_to_driver=False)
ray.cloudpickle.register_pickle_by_value(engine_helpers)
ids = [p.stem for p in Path({pile!r}).glob("*.txt")]
encoder = engine_helpers.LoggingEncoder(Path({log!r}), delay=0.4)
embedder = Embedder(encoder, EmbeddingCache(Path({cache!r})), progress=False)
options = engine_helpers.pile_options(ids)
run([Path({pile!r})], Path({out!r}), embedder, options, force=True, engine=RayEngine())
"""


def test_a_killed_driver_leaves_the_output_and_the_rerun_resumes(tmp_path, cluster):
    ids = write_pile(tmp_path / "in", stories=24, copies=2)
    out = tmp_path / "out"
    run([tmp_path / "in"], tmp_path / "local", embedder(tmp_path / "a.sqlite"), pile_options(ids))
    previous = write_pile(tmp_path / "old", stories=2)  # an earlier run's output, to be kept intact
    run([tmp_path / "old"], out, embedder(tmp_path / "old.sqlite"), pile_options(previous), resume=False)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    log, cache = tmp_path / "encoded.log", tmp_path / "b.sqlite"
    script = DRIVER.format(
        tests=str(TESTS),
        address=cluster,
        pile=str(tmp_path / "in"),
        log=str(log),
        cache=str(cache),
        out=str(out),
    )
    driver = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True)
    stories = work_folder(out) / "stories"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and driver.poll() is None:
        if stories.is_dir() and len(list(stories.rglob("*.json"))) >= 3:
            break
        time.sleep(0.05)
    assert driver.poll() is None, driver.stderr.read() if driver.stderr else ""
    driver.send_signal(signal.SIGKILL)
    driver.wait(timeout=30)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    stored = set()
    shards = ShardCache(work_folder(out) / "store")
    for folder in shards.path.iterdir():
        for keys in folder.glob("*.keys.npy"):
            stored.update(key.tobytes().hex() for key in np.load(keys))
    first_run = len(encoded(log))
    killed = list((work_folder(out) / "store" / "texts").glob("run-*"))  # its text shards, left behind
    engine = make_engine("ray", workers=2)
    try:
        resumed = run(
            [tmp_path / "in"],
            out,
            embedder(cache, LoggingEncoder(log, delay=0.0)),
            pile_options(ids),
            force=True,
            engine=engine,
        )
    finally:
        engine.close()
    again = {digest for _, digest in encoded(log)[first_run:]}
    assert stored and not again & stored  # nothing stored before the kill is encoded again
    assert killed and not any(folder.exists() for folder in killed)  # swept: their owner had ended
    assert resumed.manifest["execution"]["stories_reused"] >= 3
    assert (
        resumed.manifest["execution"]["stories_aligned"] + resumed.manifest["execution"]["stories_reused"]
        == 24
    )
    assert_same_run(tmp_path / "local", out)


def test_new_documents_realign_only_the_stories_they_change(tmp_path, cluster):
    ids = write_pile(tmp_path / "in", stories=5)
    log = tmp_path / "encoded.log"
    engine = make_engine("ray", workers=2)
    try:
        cache = tmp_path / "b.sqlite"
        run(
            [tmp_path / "in"],
            tmp_path / "out",
            embedder(cache, LoggingEncoder(log)),
            pile_options(ids),
            engine=engine,
        )
        first_run = len(encoded(log))
        seen = {digest for _, digest in encoded(log)}
        ids += write_pile(tmp_path / "in", stories=1, first=5)
        grown = run(
            [tmp_path / "in"],
            tmp_path / "out",
            embedder(cache, LoggingEncoder(log)),
            pile_options(ids),
            force=True,
            engine=engine,
        )
    finally:
        engine.close()
    assert grown.manifest["execution"]["stories_reused"] == 5
    assert grown.manifest["execution"]["stories_aligned"] == 1
    new_texts = {digest for _, digest in encoded(log)[first_run:]}
    assert new_texts and not new_texts & seen  # the new story's texts, and only those, were encoded
    fresh = run(
        [tmp_path / "in"],
        tmp_path / "fresh",
        embedder(tmp_path / "c.sqlite"),
        pile_options(ids),
        resume=False,
    )
    assert fresh.manifest["execution"]["stories_reused"] == 0
    assert_same_run(tmp_path / "fresh", tmp_path / "out")


@pytest.mark.model
def test_seeds_on_ray_are_the_same_bytes_as_local(tmp_path, cluster, real_embedder):
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    run([seeds], tmp_path / "local", real_embedder, RunOptions(), resume=False)
    fresh = Embedder(real_embedder.encoder, real_embedder.cache, progress=False)
    engine = make_engine("ray", workers=1)  # one model in memory besides the test's own
    try:
        on_ray = run([seeds], tmp_path / "ray", fresh, RunOptions(), engine=engine)
    finally:
        engine.close()
    assert_same_run(tmp_path / "local", tmp_path / "ray")
    assert len(on_ray.stories) == 3 and len(on_ray.units) > 50


def test_ray_options_need_the_ray_engine(tmp_path):
    from click.testing import CliRunner

    from aligner.cli import cli

    (tmp_path / "a.txt").write_text("One sentence here.", encoding="utf-8")
    for option in (["--store", str(tmp_path / "s")], ["--ray-address", "auto"]):
        done = CliRunner().invoke(
            cli, ["run", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o"), *option]
        )
        assert done.exit_code == 2 and "need --engine ray" in done.stderr  # a usage error, one line
        assert not (tmp_path / "o").exists()


def test_an_address_nobody_answers_on_is_one_line_at_once():
    from aligner.errors import AlignerError

    started = time.monotonic()
    with pytest.raises(AlignerError, match="no Ray cluster answers"):
        make_engine("ray", address="127.0.0.1:1")
    assert time.monotonic() - started < 10
