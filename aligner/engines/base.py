"""What an engine provides to the pipeline: an ordered map, the embed stage and the align stage."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Protocol

from aligner.align import AlignConfig
from aligner.embed import Embedder
from aligner.types import Document, Story, Unit


class Engine(Protocol):
    name: str
    nodes: dict[str, dict[str, float]]  # node id -> texts encoded and seconds there, for the manifest

    def map(self, function: Callable, items: Sequence, common: Any = None) -> list:
        """``[function(item) for item in items]`` (``function(item, common)`` when ``common`` is given),
        in order; ``common`` is shipped once, however many items there are."""
        ...

    def embed(self, texts: Sequence[str], embedder: Embedder) -> None:
        """Make every text's vector available in ``embedder.store`` (the disk cache first, then encoded)."""
        ...

    def align(
        self,
        stories: Sequence[Story],
        documents: Mapping[str, Document],
        embedder: Embedder,
        config: AlignConfig,
    ) -> Iterator[tuple[int, list[Unit], int]]:
        """(position in ``stories``, its units, texts encoded for it) of each story, as each is done
        (not necessarily in order: the pipeline keeps each story's units the moment they arrive)."""
        ...

    def close(self) -> None: ...
