"""Documents whose sentences stay in a text shard: the same sentences back, a reference on the wire."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from aligner.documents.stored import StoredDocument, read_sentences, write_sentences
from aligner.errors import AlignerError
from aligner.types import Document


def documents() -> list[Document]:
    return [
        Document("a", "ru", "in/a.txt", ("Первое предложение.", "Второе: 2,8 млрд."), (0, 2), "ab", None),
        Document("b", "ur", "in/b.txt", ("پہلا جملہ۔", "\udc80 odd but kept"), (0, 0), "cd", "CC-BY-4.0"),
    ]


def test_sentences_come_back_as_written_and_the_rest_is_the_documents(tmp_path):
    stored = write_sentences(tmp_path / "texts", documents())
    for original, kept in zip(documents(), stored, strict=True):
        assert isinstance(kept, StoredDocument) and "sentences" not in vars(kept)
        assert kept.sentences == original.sentences
        assert kept.loaded() == original  # every field, a plain Document again
        assert dataclasses.asdict(kept) == dataclasses.asdict(original)
    assert [p.name.startswith(".") for p in (tmp_path / "texts").iterdir()] == [False]  # no .part left


def test_a_stored_document_travels_as_its_reference(tmp_path):
    kept = write_sentences(tmp_path, [dataclasses.replace(documents()[0], sentences=("x" * 50_000,))])[0]
    wire = pickle.dumps(kept)
    assert len(wire) < 2_000  # the sentences stay in the shard
    assert pickle.loads(wire).sentences == ("x" * 50_000,)


def test_a_stored_document_counts_its_sentences_without_its_shard(tmp_path):
    # The terminal report runs after the engine removed the run's text shards.
    stored = write_sentences(tmp_path / "texts", documents())
    for path in (tmp_path / "texts").iterdir():
        path.unlink()
    read_sentences.cache_clear()
    assert [d.sentence_count for d in stored] == [len(d.sentences) for d in documents()] == [2, 2]
    with pytest.raises(AlignerError):
        _ = stored[0].sentences


@pytest.mark.parametrize("damage", ["changed", "gone"])
def test_a_shard_changed_or_gone_is_a_clear_error_not_other_sentences(tmp_path, damage):
    kept = write_sentences(tmp_path, documents())[1]
    read_sentences.cache_clear()
    shard = tmp_path / next(p.name for p in tmp_path.iterdir())
    if damage == "changed":
        data = bytearray(shard.read_bytes())
        data[-3] ^= 0xFF
        shard.write_bytes(bytes(data))
    else:
        shard.unlink()
    with pytest.raises(AlignerError, match=str(shard)):
        _ = kept.sentences
