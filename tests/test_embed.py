import sqlite3

import numpy as np
import pytest

from aligner.embed import Embedder, EmbeddingCache, Encoder, HashingEncoder


class CountingEncoder(HashingEncoder):
    def __init__(self) -> None:
        super().__init__(dim=32)
        self.batches: list[list[str]] = []

    def encode(self, texts):
        self.batches.append(list(texts))
        return super().encode(texts)


def test_hashing_encoder_is_a_deterministic_normalised_encoder():
    encoder = HashingEncoder(dim=64)
    assert isinstance(encoder, Encoder)
    first = encoder.encode(["Hello world.", "Привет, мир."])
    again = HashingEncoder(dim=64).encode(["Hello world.", "Привет, мир."])
    assert first.dtype == np.float32 and first.shape == (2, 64)
    np.testing.assert_array_equal(first, again)
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, rtol=1e-6)


def test_each_distinct_text_is_encoded_once_sorted_by_length(tmp_path):
    encoder = CountingEncoder()
    embedder = Embedder(encoder, EmbeddingCache(tmp_path / "c.sqlite"), progress=False)
    texts = ["a much longer sentence here", "short", "short", "mid length"]
    vectors = embedder.embed(texts, batch=2)
    assert vectors.shape == (4, 32)
    np.testing.assert_array_equal(vectors[1], vectors[2])
    assert encoder.batches == [["short", "mid length"], ["a much longer sentence here"]]
    assert embedder.encoded_texts == 3


def test_second_run_reads_the_disk_cache_and_encodes_nothing(tmp_path):
    texts = ["one", "two", "three"]
    first = Embedder(CountingEncoder(), EmbeddingCache(tmp_path / "c.sqlite"), progress=False)
    expected = first.embed(texts)
    encoder = CountingEncoder()
    second = Embedder(encoder, EmbeddingCache(tmp_path / "c.sqlite"), progress=False)
    np.testing.assert_array_equal(second.embed(texts), expected)
    assert encoder.batches == [] and second.encoded_texts == 0


def test_cache_is_keyed_by_model(tmp_path):
    cache = EmbeddingCache(tmp_path / "c.sqlite")
    Embedder(HashingEncoder(dim=16), cache, progress=False).embed(["text"])
    other = CountingEncoder()  # different fingerprint and dimension
    Embedder(other, cache, progress=False).embed(["text"])
    assert other.batches == [["text"]]


def test_a_damaged_cache_row_is_encoded_again(tmp_path):
    path = tmp_path / "c.sqlite"
    Embedder(CountingEncoder(), EmbeddingCache(path), progress=False).embed(["broken"])
    with sqlite3.connect(path) as db:
        db.execute("UPDATE vectors SET vec = ?", (b"\x00\x01",))
    encoder = CountingEncoder()
    vectors = Embedder(encoder, EmbeddingCache(path), progress=False).embed(["broken"])
    assert encoder.batches == [["broken"]]
    assert np.isclose(np.linalg.norm(vectors[0]), 1.0)


def test_empty_input_gives_an_empty_matrix(hashing_embedder):
    assert hashing_embedder.embed([]).shape == (0, hashing_embedder.encoder.dim)


@pytest.mark.model
def test_real_model_puts_translations_close(real_embedder):
    texts = [
        "The committee met on the morning of January 27.",
        "Утром 27 января комитет провёл заседание.",
        "27 جنوری کی صبح کمیٹی کا اجلاس ہوا۔",
        "Stock markets fell sharply in Tokyo today.",
    ]
    vectors = real_embedder.embed(texts)
    similarity = vectors @ vectors.T
    assert vectors.shape == (4, 768)
    assert similarity[0, 1] > similarity[0, 3] + 0.2
    assert similarity[0, 2] > similarity[0, 3] + 0.2
