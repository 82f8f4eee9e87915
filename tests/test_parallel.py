"""Stories aligned in worker processes give exactly the units of the serial run, in the same order."""

from __future__ import annotations

import random

import pytest

from aligner.align import AlignConfig
from aligner.embed import Embedder, EmbeddingCache, HashingEncoder
from aligner.engines.local import PARALLEL_MIN_STORIES, align_jobs
from aligner.pipeline import align_stories
from aligner.types import Document, Story

SYLLABLES = "ka lo mi nu pe ra si to vu we xa yo ze bri cla dro".split()  # noqa: SIM905


def _sentences(count: int, rng: random.Random) -> list[str]:
    return [
        " ".join("".join(rng.choice(SYLLABLES) for _ in range(3)) for _ in range(rng.randint(5, 10))) + "."
        for _ in range(count)
    ]


def _pile(stories: int) -> tuple[list[Story], dict[str, Document]]:
    rng = random.Random(7)
    documents: dict[str, Document] = {}
    result = []
    for k in range(stories):
        base = _sentences(12, rng)
        edited = base[:3] + [base[3] + " " + base[4]] + base[5:9] + base[10:]  # a merge and a deletion
        for doc_id, lang, text in ((f"en{k}", "en", base), (f"ru{k}", "ru", edited)):
            documents[doc_id] = Document(doc_id, lang, f"{doc_id}.txt", tuple(text), tuple(range(len(text))))
        result.append(Story(f"s{k}", (f"en{k}", f"ru{k}"), ("en", "ru"), 1.0))
    result.append(Story("alone", ("en0",), ("en",), 1.0))  # a one-document story has nothing to align
    return result, documents


@pytest.mark.slow
def test_workers_give_the_serial_units_in_story_order(tmp_path):
    stories, documents = _pile(4)
    serial = Embedder(HashingEncoder(), EmbeddingCache(tmp_path / "serial.sqlite"), progress=False)
    expected = align_stories(stories, documents, serial, AlignConfig(), jobs=1)
    parallel = Embedder(HashingEncoder(), EmbeddingCache(tmp_path / "parallel.sqlite"), progress=False)
    got = align_stories(stories, documents, parallel, AlignConfig(), jobs=2)
    assert got == expected
    assert [u.story_id for u in got] == [u.story_id for u in expected]
    assert {u.story_id for u in got} == {"s0", "s1", "s2", "s3"}
    # texts the workers encoded (concatenations) are counted in the parent, as in the serial run
    assert parallel.encoded_texts == serial.encoded_texts > 0


def test_how_many_workers(tmp_path):
    cached = Embedder(HashingEncoder(), EmbeddingCache(tmp_path / "c.sqlite"), progress=False)
    uncached = Embedder(HashingEncoder(), None, progress=False)
    assert align_jobs(4, 10, uncached) == 1  # workers share vectors through the disk cache only
    assert align_jobs(4, 1, cached) == 1
    assert align_jobs(3, 2, cached) == 2  # never more workers than stories
    assert align_jobs(0, PARALLEL_MIN_STORIES - 1, cached) == 1  # auto: too little work to pay for workers
    assert align_jobs(0, PARALLEL_MIN_STORIES, cached) >= 1
