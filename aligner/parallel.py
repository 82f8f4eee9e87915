"""Stories aligned in worker processes: they are independent, and the DP and FAISS are CPU-bound.

Each worker gets a recipe of the run's embedder (the encoder unloaded, the path of the disk cache)
and its share of the cores as threads, so workers x threads never exceeds the machine. Sentence
vectors are in the disk cache already (the embed stage wrote them); a worker loads the model only if
a story needs a concatenation nobody has encoded yet. Results come back in story order, so the output
does not depend on the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor

from aligner.align import AlignConfig, align_story
from aligner.embed import Embedder, EmbeddingCache
from aligner.signals import die_with_parent
from aligner.types import Document, Story, Unit

_worker_embedder: Embedder | None = None
_worker_config: AlignConfig | None = None


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_run_in_workers(embedder: Embedder) -> bool:
    """Workers share vectors through the disk cache: without one (or with one bypassed as unusable),
    every worker would encode again."""
    return embedder.cache is not None and getattr(embedder.cache, "usable", True)


def _start_worker(encoder, cache_path: str, config: AlignConfig, threads: int) -> None:
    global _worker_embedder, _worker_config
    die_with_parent()  # a SIGKILLed run leaves no worker (nor, through them, the resource tracker) behind
    import faiss

    faiss.omp_set_num_threads(threads)
    if hasattr(encoder, "threads"):
        encoder.threads = threads
    try:
        import torch

        torch.set_num_threads(threads)
    except ImportError:  # a test double needs no torch
        pass
    _worker_embedder = Embedder(encoder, EmbeddingCache(cache_path), progress=False)
    _worker_config = config


def _align_one(task: tuple[Story, dict[str, Document]]) -> tuple[list[Unit], int]:
    assert _worker_embedder is not None and _worker_config is not None
    before = _worker_embedder.encoded_texts
    story, documents = task
    units = align_story(story, documents, _worker_embedder, _worker_config)
    return units, _worker_embedder.encoded_texts - before


def align_in_workers(
    stories: Sequence[Story],
    documents: Mapping[str, Document],
    embedder: Embedder,
    config: AlignConfig,
    jobs: int,
) -> Iterator[tuple[list[Unit], int]]:
    """(units, texts encoded) of each story, in the order of ``stories``."""
    if embedder.cache is None:
        raise ValueError("aligning in workers needs the disk cache")
    threads = max(1, available_cores() // jobs)
    tasks = [(story, {d: documents[d] for d in story.docs}) for story in stories]
    context = multiprocessing.get_context("spawn")  # no fork of a process that holds torch threads
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_start_worker,
        initargs=(embedder.encoder, str(embedder.cache.path), config, threads),
    ) as pool:
        try:
            yield from pool.map(_align_one, tasks)
        except BaseException:  # Ctrl-C, SIGTERM, a failed story: stop the workers now, not after their story
            _stop_workers(pool)
            raise


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    pool.shutdown(wait=False, cancel_futures=True)
    # ProcessPoolExecutor.terminate_workers() is Python 3.14+; before it, the pool's own process table
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
