"""Worker processes for the local engine's map, and when they pay for themselves.

Workers are started once per engine (spawned: no fork of a process that holds torch threads) and each
gets its share of the cores as threads, so workers x threads never exceeds the machine. They never load
the model: a task brings what it needs (an align task its story's vectors, align/rounds.py). Results
come back in item order, so the output does not depend on the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from aligner.rundir.signals import die_with_parent
from aligner.types import serial_map

CHUNKS_PER_WORKER = 4  # items are sent in this many chunks a worker: fewer round trips, still balanced
# Seconds to start the workers and import the stages there, until measured on this machine.
STARTUP_GUESS = 2.0
# A worker's share of the work is assumed this much slower than alone (shared caches and memory bus).
CONTENTION = 1.3


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _start_worker(threads: int) -> None:
    die_with_parent()  # a SIGKILLed run leaves no worker (nor, through them, the resource tracker) behind
    import faiss

    faiss.omp_set_num_threads(threads)
    try:
        import torch

        torch.set_num_threads(threads)
    except ImportError:  # torch is only needed by the torch runtime
        pass


def _ready(_: int) -> int:
    import aligner.align  # noqa: F401  (the heavy imports, inside the measured start-up)

    return os.getpid()


def _run_chunk(task: tuple[Callable, Sequence, Any]) -> list:
    function, items, common = task
    return serial_map(function, items, common)


class WorkerPool:
    """``workers`` processes kept until ``close``; ``startup`` is what starting them cost here, in seconds."""

    def __init__(self, workers: int) -> None:
        started = time.perf_counter()
        self.workers = workers
        threads = max(1, available_cores() // workers)
        self._executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(threads,),
        )
        list(self._executor.map(_ready, range(workers)))
        self.startup = time.perf_counter() - started

    def map(self, function: Callable, items: Sequence, common: Any = None) -> list:
        size = max(1, -(-len(items) // (self.workers * CHUNKS_PER_WORKER)))
        chunks = [(function, items[start : start + size], common) for start in range(0, len(items), size)]
        try:
            return [result for chunk in self._executor.map(_run_chunk, chunks) for result in chunk]
        except BaseException:  # Ctrl-C, SIGTERM, a failed item: stop the workers now, not after their chunk
            self._stop_workers()
            raise

    def _stop_workers(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        # ProcessPoolExecutor.terminate_workers() is Python 3.14+; before it, the pool's own process table
        for process in list((getattr(self._executor, "_processes", None) or {}).values()):
            process.terminate()

    def close(self) -> None:
        self._executor.shutdown(cancel_futures=True)


def workers_pay(serial_seconds: float, workers: int, startup: float) -> bool:
    """Whether ``workers`` processes (``startup`` seconds to start, 0 when running) finish work that
    takes ``serial_seconds`` here sooner than this process alone, by a clear margin."""
    if workers < 2:
        return False
    parallel = startup + serial_seconds * CONTENTION / workers
    return parallel < 0.8 * serial_seconds
