"""Stories aligned in worker processes give exactly the units of the serial run, in the same order."""

from __future__ import annotations

import random

import pytest

from aligner.align import AlignConfig
from aligner.embedding.cache import EmbeddingCache
from aligner.embedding.embedder import Embedder
from aligner.engines.local import LocalEngine
from aligner.engines.pool import workers_pay
from aligner.pipeline import align_stories
from aligner.testing import HashingEncoder
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


def test_workers_are_started_only_when_the_measured_work_pays_for_them():
    assert not workers_pay(serial_seconds=1.0, workers=2, startup=2.0)  # start-up costs more than it saves
    assert workers_pay(serial_seconds=60.0, workers=2, startup=2.0)
    assert not workers_pay(serial_seconds=60.0, workers=1, startup=0.0)  # one core: nothing to share
    assert workers_pay(serial_seconds=1.0, workers=2, startup=0.0)  # workers already running


def _slow_square(item: int) -> int:
    import time

    time.sleep(0.3)
    return item * item


def test_auto_keeps_a_light_map_here_and_sends_a_heavy_one_to_workers(monkeypatch):
    import aligner.engines.local as local

    monkeypatch.setattr(local, "available_cores", lambda: 2)
    engine = LocalEngine(jobs=0)
    try:
        assert engine.map(abs, [-1, 2, -3]) == [1, 2, 3]
        assert engine._pool is None  # microseconds of work: no worker started
        monkeypatch.setattr(local, "STARTUP_GUESS", 0.5)
        assert engine.map(_slow_square, list(range(40))) == [i * i for i in range(40)]
        assert engine._pool is not None  # 12 s of work here: the workers were measured to pay
    finally:
        engine.close()
