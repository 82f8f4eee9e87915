"""The shard vector store: content-addressed, shared between processes, damage tolerated."""

from __future__ import annotations

import numpy as np

from aligner.shards import ShardCache, model_folder


def vectors(rows: int, dim: int = 8, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((rows, dim)).astype(np.float32)


def test_what_one_writes_another_reads(tmp_path):
    writer, reader = ShardCache(tmp_path), ShardCache(tmp_path)
    assert reader.get_many("m", ["a", "b"]) == {}
    first = vectors(2)
    writer.put_many("m", ["a", "b"], first)
    found = reader.get_many("m", ["a", "b", "c"])  # the reader looks again for texts it lacks
    assert sorted(found) == ["a", "b"] and np.array_equal(found["a"], first[0])
    assert reader.get_many("other model", ["a"]) == {}  # keyed by model fingerprint too
    assert reader.keys("m") == 2


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
    assert sorted(found) == ["a", "b", "c"]  # d's vector is not finite: encoded again
    for path in folder.glob("*.vecs.npy"):
        path.write_bytes(b"not numpy")
    assert ShardCache(tmp_path).get_many("m", ["a"]) == {}  # unreadable: encoded again, no crash
