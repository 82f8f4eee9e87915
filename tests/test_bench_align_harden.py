"""The gold of scripts/bench_align.py's hardened news: what each hardened line is the translation of."""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from bench_align import harden  # noqa: E402

ARTICLE = [f"Sentence number {k} of the article, long enough to be a sentence." for k in range(12)]
HEADLINE = ARTICLE[0]


def _hardened(seed: int, move_rate: float = 0.0) -> tuple[list[str], list]:
    return harden(ARTICLE, "en", random.Random(seed), delete_rate=0.3, move_rate=move_rate)


def test_every_line_is_in_the_gold_once_and_says_what_it_translates():
    for seed in range(200):
        lines, gold = _hardened(seed, move_rate=0.5 if seed % 2 else 0.0)
        placed = sorted(j for _, hardened in gold for j in hardened)
        assert placed == list(range(len(lines)))
        for original, hardened in gold:
            if original and hardened:
                assert lines[hardened[0]] == " ".join(ARTICLE[k] for k in original)
        assert sorted(k for original, _ in gold for k in original) == list(range(len(ARTICLE)))


def test_a_deleted_headlines_caption_copy_is_its_translation_and_a_kept_ones_is_chrome():
    relabelled = chrome = 0
    for seed in range(200):
        lines, gold = _hardened(seed)
        copies = [j for j, text in enumerate(lines) if text == HEADLINE]
        headline = [hardened for original, hardened in gold if original == (0,)]
        if len(copies) == 1 and headline == [(copies[0],)] and copies[0] > 0:
            relabelled += 1  # deleted, so its copy further down is the only translation of it
        if len(copies) == 2:
            assert headline == [(copies[0],)] and ((), (copies[1],)) in gold
            chrome += 1
        assert ((0,), ()) not in gold or not copies
    assert relabelled and chrome  # both cases occur among these seeds
