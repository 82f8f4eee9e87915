"""The memory-mapped vector store: rows by text, growth past its first capacity, copies out."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.embedding.store import VectorStore


def _vectors(count: int, dim: int = 8, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((count, dim)).astype(np.float32)


def test_rows_come_back_by_text_in_the_order_asked(tmp_path):
    store = VectorStore(tmp_path)
    vectors = _vectors(3)
    store.add(["a", "b", "c"], vectors)
    got = store.get(["c", "a", "c"])
    assert np.array_equal(got, vectors[[2, 0, 2]])
    assert len(store) == 3 and "b" in store and "z" not in store


def test_growing_past_capacity_keeps_earlier_rows(tmp_path):
    store = VectorStore(tmp_path)
    first = _vectors(1000, seed=1)
    second = _vectors(2500, seed=2)
    store.add([f"x{i}" for i in range(1000)], first)
    store.add([f"y{i}" for i in range(2500)], second)
    assert np.array_equal(store.get(["x0", "x999"]), first[[0, 999]])
    assert np.array_equal(store.get(["y2499", "y0"]), second[[2499, 0]])
    assert len(store) == 3500


def test_a_text_added_twice_keeps_its_first_vector(tmp_path):
    store = VectorStore(tmp_path)
    store.add(["a"], _vectors(1, seed=1))
    store.add(["a", "b"], _vectors(2, seed=2))
    assert np.array_equal(store.get(["a"]), _vectors(1, seed=1))
    assert store.missing(["a", "b", "c", "c"]) == ["c"]


def test_get_returns_a_copy_not_a_view_of_the_map(tmp_path):
    store = VectorStore(tmp_path)
    store.add(["a"], _vectors(1))
    got = store.get(["a"])
    got[:] = 0
    assert not np.array_equal(store.get(["a"]), got)
    assert not isinstance(got, np.memmap)


def test_wrong_dimension_and_unknown_text_are_refused(tmp_path):
    store = VectorStore(tmp_path)
    store.add(["a"], _vectors(1, dim=8))
    with pytest.raises(ValueError, match="dimension"):
        store.add(["b"], _vectors(1, dim=4))
    with pytest.raises(KeyError):
        store.get(["never added"])


def test_the_backing_file_is_in_the_given_folder_and_gone_after_close(tmp_path):
    store = VectorStore(tmp_path)
    store.add(["a"], _vectors(1))
    store.close()
    assert list(tmp_path.iterdir()) == []  # an unlinked temporary file: nothing left behind


def test_a_text_repeated_in_one_call_keeps_its_first_vector(tmp_path):
    store = VectorStore(tmp_path)
    vectors = _vectors(3, seed=3)
    store.add(["a", "b", "a"], vectors)
    assert len(store) == 2
    assert np.array_equal(store.get(["a", "b"]), vectors[[0, 1]])


def test_the_run_store_is_a_vector_cache_of_one_model():
    store = VectorStore()
    store.put_many("m", ["a", "b"], np.eye(2, dtype=np.float32))
    found = store.get_many("m", ["b", "c"])
    assert list(found) == ["b"] and np.array_equal(found["b"], [0.0, 1.0])
    with pytest.raises(ValueError):
        store.get_many("another model", ["a"])


def test_tiers_read_the_first_that_has_a_text_and_write_to_all(tmp_path):
    from aligner.embedding.store import Tiers
    from aligner.engines.shards import ShardCache

    first, second = VectorStore(), ShardCache(tmp_path)
    # unit vectors: a store sets aside what is not (a damaged shard)
    first.put_many("m", ["a"], np.array([[1.0, 0.0]], np.float32))
    second.put_many("m", ["a", "b"], np.array([[0.0, 1.0], [0.0, 1.0]], np.float32))
    tiers = Tiers(first, second)
    found = tiers.get_many("m", ["a", "b", "c"])
    assert sorted(found) == ["a", "b"] and found["a"].tolist() == [1.0, 0.0] and found["b"].tolist() == [0, 1]
    tiers.put_many("m", ["c"], np.array([[0.6, 0.8]], np.float32))
    stored = ShardCache(tmp_path).get_many("m", ["c"])["c"]
    assert "c" in first and np.allclose(stored, [0.6, 0.8])
