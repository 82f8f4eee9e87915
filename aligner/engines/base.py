"""What an engine provides to the pipeline: where things run, never what they compute.

An engine runs ``map(function, items)`` (every stage's tasks) and ``encode(encoder, batches)`` (the
embedder's batches) where it chooses. Everything else (which texts are missing, batches, the run's store
and the caches; which stories are aligned and how) is the same code on every engine, so an engine is
one file: these four methods and its registration in ``aligner.engines.make_engine``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from aligner.embedding.embedder import Embedder
from aligner.embedding.encoder import Encoder


class Engine(Protocol):
    name: str
    nodes: dict[str, dict[str, float]]  # node id -> texts encoded and seconds there, for the manifest
    # Rounds in which the align stage's stories go through ``map`` with the vectors they asked for,
    # encoded in bulk in between (align/rounds.py); 0: aligned in this process, encoding as asked.
    align_rounds: int
    # A folder every node sees where the read stage's tasks keep the documents' sentences, so the driver
    # holds references, not texts (``aligner/documents/stored.py``); None: the documents hold them.
    texts: Path | None

    def setup(self, embedder: Embedder, work: Path | None) -> Embedder:
        """The run's embedder as this engine runs it (its ``encode`` as the embedder's runner, and any
        store the engine keeps; ``work`` is the folder kept beside the output between runs, if any)."""
        ...

    def map(self, function: Callable, items: Sequence, common: Any = None) -> list:
        """``[function(item) for item in items]`` (``function(item, common)`` when ``common`` is given),
        in order; ``common`` is shipped once, however many items there are (an ``aligner.types.Mapper``)."""
        ...

    def encode(
        self, encoder: Encoder, batches: list[list[str]]
    ) -> Iterator[tuple[list[str], np.ndarray | None]]:
        """Each batch with its vectors, as each is done (in any order), or None when the engine wrote them
        to the run's store itself (the store ``setup`` gave the embedder); an
        ``aligner.embedding.embedder.BatchRunner``."""
        ...

    def close(self) -> None: ...
