import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from model_helpers import model_copy

from aligner.embedding.cache import EmbeddingCache
from aligner.embedding.embedder import Embedder
from aligner.embedding.encoder import Encoder, load_encoder
from aligner.testing import HashingEncoder


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


def test_a_row_with_nan_or_infinite_values_is_encoded_again(tmp_path):
    path = tmp_path / "c.sqlite"
    Embedder(CountingEncoder(), EmbeddingCache(path), progress=False).embed(["nan row", "inf row", "good"])
    with sqlite3.connect(path) as db:
        for text, value in (("nan row", np.nan), ("inf row", np.inf)):
            vector = np.full(32, value, dtype=np.float32).tobytes()
            db.execute("UPDATE vectors SET vec = ? WHERE key = ?", (vector, EmbeddingCache.key(text)))
    encoder = CountingEncoder()
    vectors = Embedder(encoder, EmbeddingCache(path), progress=False).embed(["nan row", "inf row", "good"])
    assert sorted(encoder.batches[0]) == ["inf row", "nan row"]  # "good" came from the cache
    assert np.isfinite(vectors).all()
    again = CountingEncoder()
    Embedder(again, EmbeddingCache(path), progress=False).embed(["nan row", "inf row"])
    assert again.batches == []  # the damaged rows were replaced


@pytest.mark.parametrize("scale", [0.0, 0.5, 1.5])
def test_a_finite_row_that_is_not_unit_length_is_encoded_again_with_a_warning(tmp_path, scale):
    path = tmp_path / "c.sqlite"
    Embedder(CountingEncoder(), EmbeddingCache(path), progress=False).embed(["wrong", "good"])
    with sqlite3.connect(path) as db:
        (blob,) = db.execute(
            "SELECT vec FROM vectors WHERE key = ?", (EmbeddingCache.key("wrong"),)
        ).fetchone()
        scaled = (np.frombuffer(blob, dtype=np.float32) * scale).tobytes()  # zero, or finite but off
        db.execute("UPDATE vectors SET vec = ? WHERE key = ?", (scaled, EmbeddingCache.key("wrong")))
    warnings: list[str] = []
    encoder = CountingEncoder()
    cache = EmbeddingCache(path, warn=warnings.append)
    vectors = Embedder(encoder, cache, progress=False).embed(["wrong", "good"])
    assert encoder.batches == [["wrong"]]  # "good" came from the cache, "wrong" was not trusted
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert len(warnings) == 1 and "1 cached vector(s) damaged" in warnings[0]
    again = CountingEncoder()
    Embedder(again, EmbeddingCache(path, warn=warnings.append), progress=False).embed(["wrong"])
    assert again.batches == [] and len(warnings) == 1  # the row was replaced


def _filled_cache(path, count: int = 400) -> list[str]:
    texts = [f"sentence number {i} of a cache with several pages" for i in range(count)]
    cache = EmbeddingCache(path)
    Embedder(CountingEncoder(), cache, progress=False).embed(texts)
    cache._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    cache.close()
    return texts


@pytest.mark.parametrize("damage", ["not sqlite", "truncated"])
def test_a_damaged_cache_file_is_set_aside_with_a_note_and_a_new_one_started(tmp_path, damage):
    path = tmp_path / "c.sqlite"
    texts = _filled_cache(path)
    if damage == "not sqlite":
        path.write_bytes(b"This is not an SQLite database at all.\n" * 100)
    else:
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    warnings: list[str] = []
    encoder = CountingEncoder()
    cache = EmbeddingCache(path, warn=warnings.append)
    vectors = Embedder(encoder, cache, progress=False).embed(texts)
    np.testing.assert_array_equal(vectors, CountingEncoder().encode(texts))
    assert len(warnings) == 1 and "set aside" in warnings[0]
    aside = sorted(p.name for p in tmp_path.iterdir() if ".damaged-" in p.name)
    assert len(aside) == 2 and aside[1].endswith(".txt")  # the damaged file and its note
    assert "set this embedding cache aside" in (tmp_path / aside[1]).read_text()
    again = CountingEncoder()
    Embedder(again, EmbeddingCache(path), progress=False).embed(texts)
    assert again.batches == []  # the new cache holds everything encoded since


def test_a_cache_that_cannot_be_made_is_bypassed_with_a_warning(tmp_path):
    (tmp_path / "a file").write_text("in the way")
    for path in (tmp_path / "a file" / "c.sqlite", Path("/sys/aligner-cache-test/c.sqlite")):
        warnings: list[str] = []
        cache = EmbeddingCache(path, warn=warnings.append)  # a file in the way; a read-only place
        vectors = Embedder(CountingEncoder(), cache, progress=False).embed(["still encoded"])
        assert vectors.shape == (1, 32) and not cache.usable
        assert len(warnings) == 1 and "embedding cache not used" in warnings[0]
    assert (tmp_path / "a file").read_text() == "in the way"


LOCK_HOLDER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA locking_mode=EXCLUSIVE")
db.execute("BEGIN EXCLUSIVE")
db.execute("INSERT OR REPLACE INTO vectors VALUES ('other', x'00', 0, x'')")
print("locked", flush=True)
sys.stdin.readline()
db.execute("ROLLBACK")
"""


def test_a_cache_locked_by_another_process_is_bypassed_and_intact_afterwards(tmp_path):
    path = tmp_path / "c.sqlite"
    texts = _filled_cache(path, count=20)
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        warnings: list[str] = []
        encoder = CountingEncoder()
        cache = EmbeddingCache(path, timeout=0.2, warn=warnings.append)
        vectors = Embedder(encoder, cache, progress=False).embed([*texts, "a new one"])
        np.testing.assert_array_equal(vectors, CountingEncoder().encode([*texts, "a new one"]))
        assert len(warnings) == 1 and "locked" in warnings[0]
    finally:
        holder.communicate("\n", timeout=30)
    again = CountingEncoder()
    Embedder(again, EmbeddingCache(path), progress=False).embed(texts)
    assert again.batches == []  # nothing cached before was lost
    assert not [p for p in tmp_path.iterdir() if ".damaged-" in p.name]  # a lock is not damage


@pytest.mark.model
def test_a_model_folder_that_disappears_after_the_first_batch(tmp_path):
    """The weights are in memory after the first batch: the run finishes, its manifest names the
    verified weights; the next run says in one line that the folder is gone."""
    from aligner.embedding.encoder import SentenceTransformerEncoder
    from aligner.embedding.fetch import load_pins
    from aligner.errors import AlignerError
    from aligner.pipeline import RunOptions, run

    folder = model_copy(tmp_path / "model")
    encoder = SentenceTransformerEncoder(folder, name="copy", backend="torch")  # weights held in memory

    class Vanishing:
        name, fingerprint, weights_sha256 = encoder.name, encoder.fingerprint, encoder.weights_sha256

        @property
        def dim(self):
            return encoder.dim

        def encode(self, texts):
            vectors = encoder.encode(texts)
            shutil.rmtree(folder, ignore_errors=True)  # gone after the first batch
            return vectors

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "en.txt").write_text("The river rose by 3 metres overnight. Schools were closed.")
    (inputs / "ru.txt").write_text("За ночь река поднялась на 3 метра. Школы были закрыты.")
    embedder = Embedder(Vanishing(), EmbeddingCache(tmp_path / "c.sqlite"), progress=False)
    result = run([inputs], tmp_path / "out", embedder, RunOptions(lang_overrides={"en": "en", "ru": "ru"}))
    assert not folder.exists() and embedder.encoded_texts == 4  # two batches, the second after it went
    assert result.manifest["model"]["weights_sha256"] == load_pins().weights_sha256
    assert len(result.units) == 2
    with pytest.raises(AlignerError, match="no such model directory"):
        load_encoder(folder)


@pytest.mark.model
def test_truncated_weights_in_a_folder_without_a_marker_are_one_line_when_loaded(tmp_path):
    from aligner.embedding.encoder import SentenceTransformerEncoder
    from aligner.errors import AlignerError

    folder = model_copy(tmp_path / "model", weights_bytes=1 << 20, marker=False)  # a user's own folder
    from aligner.embedding.fetch import load_pins

    # torch: a graph export would write beside the copy's symlinked files, i.e. into the real model's folder
    encoder = SentenceTransformerEncoder(folder, backend="torch")
    assert encoder.weights_sha256 != load_pins().weights_sha256  # hashed as they are, not assumed
    with pytest.raises(AlignerError, match=r"cannot load the model \(.*\)$"):
        encoder.encode(["a sentence no cache holds"])


def test_a_model_that_gives_vectors_not_of_unit_length_is_one_line_and_nothing_is_cached(tmp_path):
    from aligner.errors import AlignerError

    class Broken(HashingEncoder):
        def encode(self, texts):
            vectors = super().encode(texts)
            vectors[-1] = 0  # a zero vector: a cosine of 0 with everything, so 0 units with exit 0 before
            return vectors

    cache = EmbeddingCache(tmp_path / "c.sqlite")
    with pytest.raises(AlignerError, match="1 vector\\(s\\) not finite and of unit length"):
        Embedder(Broken(), cache, progress=False).embed(["one", "two"])
    assert cache.get_many(Broken().fingerprint, ["one", "two"]) == {}


class PaddedEncoder(CountingEncoder):
    batch_invariant = False  # as a runtime that pads a batch: a vector moves with its batch mates


@pytest.mark.parametrize(("encoder", "per_call"), [(CountingEncoder, 3), (PaddedEncoder, 1)])
def test_spans_share_a_call_only_when_vectors_do_not_depend_on_batch_mates(tmp_path, encoder, per_call):
    from aligner.align.spans import SideSpans

    counting = encoder()
    embedder = Embedder(counting, None, progress=False)
    side = SideSpans(["One.", "Two words.", "Three words here.", "Four."], embedder, max_length=3)
    counting.batches.clear()
    assert side.encode([(0, 2), (1, 2), (1, 3)]) == 3
    assert [len(batch) for batch in counting.batches] == [per_call] * (3 // per_call)
    assert np.allclose(side.vector(1, 3), counting.encode(["Two words. Three words here. Four."])[0])
