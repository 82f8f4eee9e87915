"""A small pile the meaning-blind test double can cluster, and an encoder that logs what it encodes.

Engine tests use Ray for real; only the encoder is the test double, slowed down where a test needs to
stop a worker in the middle of a stage.
"""

from __future__ import annotations

import hashlib
import os
import random
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from aligner.pipeline import RunOptions
from aligner.stories.config import StoryConfig
from aligner.testing import HashingEncoder

WORDS = "river council budget school harbour election farmers bridge hospital festival rain market".split()


def write_pile(folder: Path, stories: int = 6, copies: int = 3, first: int = 0) -> list[str]:
    """``stories`` stories of ``copies`` near-copies each (the test double groups near-copies); their ids."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for story in range(first, first + stories):
        rng = random.Random(story)
        # Words of the story's own (random letters): the double sees letters, so stories written from one
        # template of common words would look alike to it, and so would their leads.
        words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6)) for _ in range(12)]
        sentences = [
            f"The {rng.choice(WORDS)} {' '.join(rng.sample(words, 4))} report {story}-{i} said "
            f"{rng.randint(1, 900)} people came on day {i}."
            for i in range(8)
        ]
        for copy in range(copies):
            lines = sentences if copy == 0 else sentences[:-1] + [f"Extra note {copy} for story {story}."]
            doc_id = f"s{story:02d}_{copy}"
            (folder / f"{doc_id}.txt").write_text("\n".join(lines), encoding="utf-8")
            ids.append(doc_id)
    return ids


def pile_options(ids: Sequence[str]) -> RunOptions:
    return RunOptions(lang_overrides={doc: "en" for doc in ids}, stories=StoryConfig(one_per_language=False))


class LoggingEncoder(HashingEncoder):
    """The test double, ``delay`` seconds per call, appending ``pid sha256`` of each text to ``log``."""

    def __init__(self, log: Path, delay: float = 0.0) -> None:
        super().__init__()
        self.log = str(log)
        self.delay = delay

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        time.sleep(self.delay)
        vectors = super().encode(texts)
        with open(self.log, "a", encoding="utf-8") as handle:
            for text in texts:
                handle.write(f"{os.getpid()} {hashlib.sha256(text.encode()).hexdigest()}\n")
        return vectors


def encoded(log: Path) -> list[tuple[int, str]]:
    """(pid, text hash) of every text the logging encoder encoded, in order."""
    if not log.exists():
        return []
    return [(int(pid), digest) for pid, digest in (line.split() for line in log.read_text().splitlines())]


def same_files(first: Path, second: Path) -> list[str]:
    """Relative paths of every output file; asserts each is byte for byte the same (manifest aside)."""
    names = []
    for path in sorted(first.rglob("*")):
        if path.is_file() and path.name != "manifest.json":
            other = second / path.relative_to(first)
            assert other.is_file(), f"{other} missing"
            assert path.read_bytes() == other.read_bytes(), f"{path.relative_to(first)} differs"
            names.append(str(path.relative_to(first)))
    assert sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file()) == sorted(
        p.relative_to(first) for p in first.rglob("*") if p.is_file()
    )
    return names


def fails_clearly(item: object) -> None:
    """A task that meets bad state: the one-line error a stage raises."""
    from aligner.errors import AlignerError

    raise AlignerError(f"texts/{item}.texts: the run's sentences changed while it ran (offset 0)")
