"""The local engine: every stage in this process; a map in worker processes when measured to pay."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from aligner.align.rounds import MAX_ROUNDS
from aligner.embedding.embedder import Embedder, encode_here
from aligner.embedding.encoder import Encoder
from aligner.engines.pool import STARTUP_GUESS, WorkerPool, available_cores, workers_pay
from aligner.types import serial_map


class LocalEngine:
    """``jobs``: worker processes for maps (1 = none; 0 = auto: the map's first items run here, timed, and
    the rest go to one worker a core once that is measured to finish sooner, start-up included)."""

    name = "local"

    def __init__(self, jobs: int = 0) -> None:
        self.jobs = jobs
        # Aligning in workers needs rounds, each a draft alignment again; on a cold run they cost more
        # than a second core saves (BENCHMARKS.md, "Cold run"): only when workers are asked for.
        self.align_rounds = MAX_ROUNDS if jobs > 1 else 0
        self.nodes: dict[str, dict[str, float]] = {}  # only the Ray engine spreads work over nodes
        self.texts: Path | None = None  # documents hold their sentences: this process is the only reader
        self._pool: WorkerPool | None = None

    def setup(self, embedder: Embedder, work: Path | None) -> Embedder:
        return embedder  # it encodes here, with its own runner

    def encode(self, encoder: Encoder, batches: list[list[str]]) -> Iterator[tuple[list[str], np.ndarray]]:
        return encode_here(encoder, batches)

    def map(self, function: Callable, items: Sequence, common: Any = None) -> list:
        items = list(items)
        workers = self._workers(len(items))
        if workers < 2:
            return serial_map(function, items, common)
        if self.jobs > 1:
            return self._started(workers).map(function, items, common)
        done: list = []
        started = time.perf_counter()
        for index, item in enumerate(items):
            done.extend(serial_map(function, [item], common))
            left = items[index + 1 :]
            per_item = (time.perf_counter() - started) / (index + 1)
            startup = 0.0 if self._pool else STARTUP_GUESS  # running workers cost nothing more to start
            if left and workers_pay(per_item * len(left), min(workers, len(left)), startup):
                return done + self._started(workers).map(function, left, common)
        return done

    def _workers(self, items: int) -> int:
        if self.jobs == 1 or items < 2:
            return 1
        return self.jobs if self.jobs > 1 else available_cores()

    def _started(self, workers: int) -> WorkerPool:
        if self._pool is None:
            self._pool = WorkerPool(workers)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None
