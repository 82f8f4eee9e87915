"""The shard vector store: content-addressed, shared between processes, damage tolerated."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from aligner.engines.shards import DAMAGED_SUFFIX, KEYS_SUFFIX, VECTORS_SUFFIX, ShardCache, model_folder


def vectors(rows: int, dim: int = 8, seed: int = 0) -> np.ndarray:
    """Unit-length rows, as every encoder gives."""
    raw = np.random.default_rng(seed).standard_normal((rows, dim)).astype(np.float32)
    return raw / np.linalg.norm(raw, axis=1, keepdims=True)


def test_what_one_writes_another_reads(tmp_path):
    writer, reader = ShardCache(tmp_path), ShardCache(tmp_path)
    assert reader.get_many("m", ["a", "b"]) == {}
    first = vectors(2)
    writer.put_many("m", ["a", "b"], first)
    found = reader.get_many("m", ["a", "b", "c"])  # the reader looks again for texts it lacks
    assert sorted(found) == ["a", "b"] and np.array_equal(found["a"], first[0])
    assert reader.get_many("other model", ["a"]) == {}  # keyed by model fingerprint too
    assert reader.keys("m") == 2


def test_a_reader_keeps_no_vector_file_mapped_after_a_read(tmp_path):
    # The driver reads a few rows of many shards (lead means): mapped pages would stay in its memory.
    ShardCache(tmp_path).put_many("m", ["a", "b"], vectors(2))
    reader = ShardCache(tmp_path)
    assert sorted(reader.get_many("m", ["a", "b"])) == ["a", "b"]
    mapped = Path("/proc/self/maps").read_text()
    assert str(tmp_path / model_folder("m")) not in mapped


def test_a_text_stored_twice_keeps_its_first_vector(tmp_path):
    store = ShardCache(tmp_path)
    first, second = vectors(1, seed=1), vectors(1, seed=2)
    store.put_many("m", ["a"], first)
    store.put_many("m", ["a"], second)
    assert np.array_equal(ShardCache(tmp_path).get_many("m", ["a"])["a"], first[0])


def test_partial_and_damaged_shards_are_not_trusted(tmp_path):
    store = ShardCache(tmp_path)
    store.put_many("m", ["a", "b"], vectors(2))
    folder = tmp_path / model_folder("m")
    (folder / ".x.keys.npy.part").write_bytes(b"half a shard")  # a writer killed midway
    bad = vectors(2)
    bad[1, 3] = np.nan
    store.put_many("m", ["c", "d"], bad)
    found = ShardCache(tmp_path).get_many("m", ["a", "b", "c", "d"])
    assert sorted(found) == [
        "a",
        "b",
    ]  # d's vector is not finite: its shard is set aside, c and d encoded again
    for path in folder.glob("*.vecs.npy"):
        path.write_bytes(b"not numpy")
    assert ShardCache(tmp_path).get_many("m", ["a"]) == {}  # unreadable: encoded again, no crash


def _truncate(path):
    path.write_bytes(path.read_bytes()[:200])


def _zero_row(path):
    array = np.load(path)
    array[0] = 0
    np.save(path, array)


def _scale(path):
    np.save(path, np.load(path) * 2)


def _drop_a_row(path):
    np.save(path, np.load(path)[:-1])


def _float64(path):
    np.save(path, np.load(path).astype(np.float64))


def _remove(path):
    path.unlink()


@pytest.mark.parametrize("damage", [_truncate, _zero_row, _scale, _drop_a_row, _float64, _remove])
@pytest.mark.parametrize("part", [VECTORS_SUFFIX, KEYS_SUFFIX])
def test_a_damaged_shard_is_set_aside_and_the_store_heals(tmp_path, damage, part):
    """Before: the index kept pointing at the damaged shard, so its texts, encoded again into a new shard,
    were never found ("64 texts have no vector" on every rerun)."""
    if part == KEYS_SUFFIX and damage in (_zero_row, _scale, _float64):
        pytest.skip("a keys file has no vectors")
    texts = ["a", "b", "c"]
    ShardCache(tmp_path).put_many("m", texts, vectors(3))
    folder = tmp_path / model_folder("m")
    (shard,) = folder.glob(f"*{part}")
    damage(shard)
    warnings: list[str] = []
    reader = ShardCache(tmp_path, warn=warnings.append)
    assert reader.get_many("m", texts) == {}  # nothing of the damaged shard is trusted
    if damage is not _remove or part != KEYS_SUFFIX:  # without its keys, a shard is never indexed at all
        aside = sorted(p.name for p in folder.iterdir() if p.name.endswith(DAMAGED_SUFFIX))
        assert aside and all(name.startswith(shard.name.split(".")[0]) for name in aside)  # renamed, kept
        assert len(warnings) == 1 and "damaged vector shard" in warnings[0]
    fresh = vectors(3, seed=7)
    reader.put_many("m", texts, fresh)  # encoded again
    for store in (reader, ShardCache(tmp_path)):  # this process, and the next run
        found = store.get_many("m", texts)
        assert sorted(found) == texts and np.array_equal(found["a"], fresh[0])


def test_a_shard_that_cannot_be_renamed_is_still_left_out(tmp_path, monkeypatch):
    import os

    ShardCache(tmp_path).put_many("m", ["a"], vectors(1))
    (shard,) = (tmp_path / model_folder("m")).glob(f"*{VECTORS_SUFFIX}")
    _zero_row(shard)

    def refuse(*args):
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr(os, "replace", refuse)
    reader = ShardCache(tmp_path)
    assert reader.get_many("m", ["a"]) == {}
    assert reader.get_many("m", ["a"]) == {}  # no endless loop, no crash
    monkeypatch.undo()
    reader.put_many("m", ["a"], vectors(1, seed=3))
    assert np.array_equal(reader.get_many("m", ["a"])["a"], vectors(1, seed=3)[0])


def test_a_keys_file_with_a_forged_shape_is_set_aside_not_a_memory_error(tmp_path):
    ShardCache(tmp_path).put_many("m", ["a", "b", "c"], vectors(3))
    (keys,) = (tmp_path / model_folder("m")).glob(f"*{KEYS_SUFFIX}")
    keys.write_bytes(keys.read_bytes().replace(b"(3, 32)", b"(99999999999, 32)"))  # 3 TB, claimed
    warnings: list[str] = []
    assert ShardCache(tmp_path, warn=warnings.append).get_many("m", ["a"]) == {}
    assert len(warnings) == 1 and "damaged vector shard" in warnings[0]


# ---------------------------------------------------------------------------------------------------
# The run's store as a view of the shard store (the Ray engine's driver keeps no vectors)


def test_the_run_store_view_keeps_keys_and_reads_vectors_from_the_shards(tmp_path):
    import pickle

    from aligner.engines.shards import ShardStore, write_shard

    store = ShardStore(ShardCache(tmp_path), "m", 8)
    assert store.missing(["a", "b", "a"]) == ["a", "b"] and len(store) == 0
    first = vectors(2)
    write_shard(tmp_path, "m", ["a", "b"], first)  # as an encoding actor does: nothing indexed here yet
    assert store.missing(["a", "b", "c"]) == ["c"] and "a" in store and "c" not in store
    assert np.array_equal(store.get(["b", "a", "b"]), first[[1, 0, 1]])
    assert store.get([]).shape == (0, 8)
    with pytest.raises(KeyError):
        store.get(["a", "c"])
    sent = pickle.dumps(store)
    write_shard(tmp_path, "m", [f"t{n}" for n in range(500)], vectors(500))
    assert len(store) == 502 and pickle.dumps(store) == sent  # its path and model, never its vectors
    task = pickle.loads(sent)  # what a task gets: its own index of the same shards
    assert task.shards is not store.shards and np.array_equal(task.get(["a"]), first[[0]])
    store.add(["c"], vectors(1, seed=4))
    assert np.array_equal(task.get(["c"]), vectors(1, seed=4))  # a later shard is found too


def test_a_shard_damaged_under_the_view_is_encoded_again_by_the_embedder(tmp_path):
    from aligner.embedding.embedder import Embedder
    from aligner.engines.shards import ShardStore
    from aligner.testing import HashingEncoder

    encoder = HashingEncoder()
    store = ShardStore(ShardCache(tmp_path), encoder.fingerprint, encoder.dim)
    embedder = Embedder(encoder, None, progress=False, store=store)
    first = embedder.embed(["one text", "another"])
    assert embedder.encoded_texts == 2
    (shard,) = (tmp_path / model_folder(encoder.fingerprint)).glob(f"*{VECTORS_SUFFIX}")
    _zero_row(shard)  # damaged after it was indexed
    again = embedder.embed(["one text", "another"])
    assert np.array_equal(first, again) and embedder.encoded_texts == 4


@pytest.mark.parametrize("damage", [_truncate, _zero_row, _scale, _drop_a_row, _float64, _remove])
def test_the_drivers_view_checks_the_shards_it_finds_so_no_task_meets_a_damaged_one(tmp_path, damage):
    from aligner.engines.shards import ShardStore

    ShardCache(tmp_path).put_many("m", ["a", "b", "c"], vectors(3))
    ShardCache(tmp_path).put_many("m", ["d"], vectors(1, seed=5))
    (first, _) = sorted((tmp_path / model_folder("m")).glob(f"*{VECTORS_SUFFIX}"))
    damage(first)
    trusting = ShardStore(ShardCache(tmp_path), "m", 8)  # as a task's view: keys only, not checked
    assert trusting.missing(["a", "b", "c", "d"]) == []
    warnings: list[str] = []
    driver = ShardStore(ShardCache(tmp_path, warn=warnings.append), "m", 8, verify=True)
    assert driver.missing(["a", "b", "c", "d"]) == ["a", "b", "c"]  # encoded again before a task reads them
    assert len(warnings) == 1 and "damaged vector shard" in warnings[0]


def test_the_key_index_finds_every_key_and_keeps_the_first_place_of_a_key_seen_twice():
    from aligner.engines.shards import _KeyIndex, text_key

    index = _KeyIndex()
    first = [text_key(f"t{n}") for n in range(300)]
    index.add("a", np.frombuffer(b"".join(first), dtype=np.uint8).reshape(-1, 32))
    assert index.find([first[7], text_key("nowhere")]) == [("a", 7), None]
    again = [text_key("t5"), text_key("new")]  # t5 again, in a later shard: the first place stays
    index.add("b", np.frombuffer(b"".join(again), dtype=np.uint8).reshape(-1, 32))
    assert len(index) == 301
    assert index.find([text_key("t5"), text_key("new"), first[299]]) == [("a", 5), ("b", 1), ("a", 299)]
