"""Synthetic documents and bead checks shared by the alignment tests."""

from __future__ import annotations

import random

from aligner.types import Bead

SYLLABLES = "ka lo mi nu pe ra si to vu we xa yo ze bri cla dro fen gur hol jin".split()  # noqa: SIM905


def make_sentences(count: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    sentences = []
    for _ in range(count):
        words = [
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
            for _ in range(rng.randint(6, 14))
        ]
        sentences.append(" ".join(words).capitalize() + ".")
    return sentences


def links(beads: list[Bead]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.src, b.tgt) for b in beads]


def assert_covers(beads: list[Bead], n: int, m: int) -> None:
    """Every sentence of both sides exactly once, in order."""
    assert [i for b in beads for i in b.src] == list(range(n))
    assert [j for b in beads for j in b.tgt] == list(range(m))
    for bead in beads:
        assert 0.0 <= bead.score <= 1.0
        if not bead.src or not bead.tgt:
            assert bead.score == 0.0
