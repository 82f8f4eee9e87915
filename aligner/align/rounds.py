"""Many stories aligned in rounds by tasks that need vectors, never an encoder.

The aligner asks for the vectors of concatenated sentences ("spans") a few at a time, round after round
of its DP. A process that encodes them as asked needs the model: a worker would load it again. Here
each story of a group is aligned with the vectors it was sent (``ShippedVectors``): what it asks for and
was not sent is noted, not encoded, and its draft is dropped; the driver encodes what every story of the
group asked for, in one call of the embedder, and sends the story again. A story that asks for nothing
more is done: its units are those of aligning it with the encoder at hand, since every vector it asked
for was there, and a span's vector does not depend on its batch mates (``Embedder.span_batch``), so it is
the same bits whether it was encoded in a round or as asked. So an engine picks the rounds it wants
(``rounds=0``: every story here, encoding as asked, as cheap as aligning gets in one process) and writes
the same bytes. When the run's store is one every task can read (``shareable``: the Ray engine's shard
store), a story is sent its texts and the store, not the vectors, which then never pass through the driver.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from aligner.align.config import AlignConfig
from aligner.align.multiway import align_story
from aligner.embedding.embedder import Embedder, MissingVectors
from aligner.embedding.store import RunStore, shareable
from aligner.types import Document, Mapper, Story, Unit

# Rounds of bulk encoding before a story that still asks is aligned here with the encoder (lazily).
# Each round aligns the story again from the start (a draft stops at its first unanswered request).
MAX_ROUNDS = 8
GROUP = 256  # stories aligned and encoded for together: bounds the vectors held at once


@dataclass(frozen=True)
class StoryTask:
    story: Story
    documents: dict[str, Document]
    texts: tuple[str, ...]  # every text the story has a vector for: its sentences, the spans it asked for
    # Their vectors, or a store every task can read them from (``shareable``: a cluster's shard store),
    # so that they do not pass through the driver.
    vectors: np.ndarray | RunStore


@dataclass(frozen=True)
class Asked:
    """A story not done yet: the texts it asked for and was not sent."""

    texts: tuple[str, ...]


class ShippedVectors:
    """An embedder that holds a story's vectors and encodes nothing: other texts are noted in ``asked``
    and ``MissingVectors`` is raised (the aligner keeps their approximations meanwhile)."""

    def __init__(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        self.rows = {text: row for row, text in enumerate(texts)}
        self.vectors = vectors
        self.asked: dict[str, None] = {}

    span_batch = 1  # what encode_spans passes on; it encodes nothing, so any value gives the same vectors

    def embed(self, texts: Sequence[str], batch: int = 0, label: str = "") -> np.ndarray:
        missing = [text for text in texts if text not in self.rows]
        if missing:
            self.asked.update(dict.fromkeys(missing))
            raise MissingVectors(f"{len(missing)} texts")
        return np.array(self.vectors[[self.rows[text] for text in texts]], dtype=np.float32)


def align_or_ask(task: StoryTask, config: AlignConfig) -> list[Unit] | Asked:
    """The story's units, or the texts it still needs (a task of any engine's map: no encoder)."""
    sent = task.vectors if isinstance(task.vectors, np.ndarray) else task.vectors.get(task.texts)
    vectors = ShippedVectors(task.texts, sent)
    units = align_story(task.story, task.documents, vectors, config)  # type: ignore[arg-type]
    return Asked(tuple(vectors.asked)) if vectors.asked else units


def align_in_rounds(
    stories: Sequence[Story],
    documents: Mapping[str, Document],
    embedder: Embedder,
    config: AlignConfig,
    mapper: Mapper,
    rounds: int = MAX_ROUNDS,
) -> Iterator[tuple[int, list[Unit]]]:
    """(position in ``stories``, units) of each story as it is done; ``mapper`` runs the tasks."""
    for first in range(0, len(stories), GROUP):
        asked: dict[int, tuple[str, ...]] = {p: () for p in range(first, min(first + GROUP, len(stories)))}
        for _ in range(rounds):
            tasks = [_task(stories[p], documents, embedder, asked[p]) for p in asked]
            more: dict[int, tuple[str, ...]] = {}
            for position, result in zip(list(asked), mapper(align_or_ask, tasks, config), strict=True):
                if isinstance(result, Asked):
                    more[position] = asked[position] + result.texts
                else:
                    yield position, result
            if not more:
                break
            asked_now = [text for texts in more.values() for text in texts]
            embedder.prepare(asked_now, embedder.span_batch, label="encoding spans")
            asked = more
        else:  # still asking after every round: aligned here, the encoder at hand
            for position in asked:
                yield position, align_story(stories[position], documents, embedder, config)


def _task(
    story: Story, documents: Mapping[str, Document], embedder: Embedder, asked: Sequence[str]
) -> StoryTask:
    docs = {d: documents[d] for d in story.docs}
    texts = list(dict.fromkeys([s for d in docs.values() for s in d.sentences] + list(asked)))
    embedder.prepare(texts, label="encoding sentences")  # the embed stage did, unless a caller skipped it
    store = embedder.store
    return StoryTask(story, docs, tuple(texts), store if shareable(store) else store.get(texts))
