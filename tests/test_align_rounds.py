"""Stories aligned in rounds (tasks hold vectors, never an encoder) give the units of aligning as asked."""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
import pytest

from aligner.align import AlignConfig
from aligner.align.rounds import Asked, ShippedVectors, StoryTask, align_in_rounds, align_or_ask
from aligner.embedding.embedder import Embedder, MissingVectors
from aligner.testing import HashingEncoder
from aligner.types import Document, Story, serial_map

SYLLABLES = "ka lo mi nu pe ra si to vu we xa yo ze bri cla dro".split()  # noqa: SIM905


class CallCountingEncoder(HashingEncoder):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[int] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        return super().encode(texts)


def _pile(stories: int) -> tuple[list[Story], dict[str, Document]]:
    rng = random.Random(3)
    documents: dict[str, Document] = {}
    result = []
    for k in range(stories):
        base = [
            " ".join("".join(rng.choice(SYLLABLES) for _ in range(3)) for _ in range(rng.randint(5, 10)))
            + "."
            for _ in range(12)
        ]
        edited = base[:3] + [base[3] + " " + base[4]] + base[5:9] + base[10:]  # a merge and a deletion
        for doc_id, text in ((f"en{k}", base), (f"ru{k}", edited)):
            documents[doc_id] = Document(doc_id, "en", f"{doc_id}.txt", tuple(text), tuple(range(len(text))))
        result.append(Story(f"s{k}", (f"en{k}", f"ru{k}"), ("en", "ru"), 1.0))
    return result, documents


def _units(rounds: int, encoder: CallCountingEncoder) -> tuple[list, int]:
    """Units of the pile's stories, and how many times the map ran (the encoder never runs inside it)."""
    stories, documents = _pile(5)
    embedder = Embedder(encoder, None, progress=False)
    embedder.prepare([s for d in documents.values() for s in d.sentences])  # the embed stage
    maps = []

    def mapper(function, items, common=None):
        before = len(encoder.calls)
        results = serial_map(function, items, common)
        assert len(encoder.calls) == before  # a task holds vectors, never an encoder
        maps.append(len(items))
        return results

    done = dict(align_in_rounds(stories, documents, embedder, AlignConfig(), mapper, rounds))
    assert sorted(done) == list(range(len(stories)))
    return [done[position] for position in range(len(stories))], len(maps)


def test_rounds_give_the_units_of_aligning_as_asked_and_the_same_texts_encoded():
    as_asked, in_rounds = CallCountingEncoder(), CallCountingEncoder()
    expected, _ = _units(0, as_asked)
    got, rounds = _units(8, in_rounds)
    assert got == expected and any(expected)
    assert sum(in_rounds.calls) == sum(as_asked.calls) > sum(as_asked.calls[:1])  # the same texts, each once
    assert 2 <= rounds <= 8  # drafts asked for concatenations, encoded between rounds; then done


def test_a_task_asks_for_what_it_was_not_sent_and_encodes_nothing():
    stories, documents = _pile(1)
    texts = [s for d in stories[0].docs for s in documents[d].sentences]
    vectors = HashingEncoder().encode(texts)
    task = StoryTask(stories[0], {d: documents[d] for d in stories[0].docs}, tuple(texts), vectors)
    result = align_or_ask(task, AlignConfig())
    assert isinstance(result, Asked) and result.texts
    assert all(text not in texts for text in result.texts)  # concatenations, never a sentence it has
    shipped = ShippedVectors(texts, vectors)
    assert np.array_equal(shipped.embed(texts[:2]), vectors[:2])
    with pytest.raises(MissingVectors):
        shipped.embed(["not sent"])
    assert list(shipped.asked) == ["not sent"]
