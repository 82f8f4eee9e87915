"""The local engine: every stage in this process, aligning in worker processes when there is enough work."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from aligner.align import AlignConfig, align_story
from aligner.embed import Embedder
from aligner.parallel import align_in_workers, available_cores, can_run_in_workers
from aligner.types import Document, Story, Unit

PARALLEL_MIN_STORIES = 16  # below this, starting workers (imports, maybe the model) costs more than it saves


def align_jobs(requested: int, stories: int, embedder: Embedder) -> int:
    """Worker processes for aligning: ``requested``, or 0 = auto (every core once there is enough work)."""
    if not can_run_in_workers(embedder) or stories < 2:
        return 1
    if requested == 0:
        return min(available_cores(), stories) if stories >= PARALLEL_MIN_STORIES else 1
    return max(1, min(requested, stories))


class LocalEngine:
    name = "local"

    def __init__(self, jobs: int = 0) -> None:
        self.jobs = jobs  # worker processes for aligning (0 = auto, 1 = none)
        self.nodes: dict[str, dict[str, float]] = {}  # only the Ray engine spreads work over nodes

    def map(self, function: Callable, items: Sequence, common: Any = None) -> list:
        if common is None:
            return [function(item) for item in items]
        return [function(item, common) for item in items]

    def embed(self, texts: Sequence[str], embedder: Embedder) -> None:
        embedder.prepare(texts, label="encoding sentences")

    def align(
        self,
        stories: Sequence[Story],
        documents: Mapping[str, Document],
        embedder: Embedder,
        config: AlignConfig,
    ) -> Iterator[tuple[int, list[Unit], int]]:
        jobs = align_jobs(self.jobs, len(stories), embedder)
        if jobs == 1:
            for position, story in enumerate(stories):
                before = embedder.encoded_texts
                units = align_story(story, documents, embedder, config)
                yield position, units, embedder.encoded_texts - before
            return
        results = align_in_workers(stories, documents, embedder, config, jobs)
        for position, (units, encoded) in enumerate(results):
            embedder.encoded_texts += encoded  # the manifest counts every text encoded, wherever it was
            yield position, units, encoded

    def close(self) -> None:
        pass
