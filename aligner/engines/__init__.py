"""Engines decide where the stages run, never what they compute.

Every stage is the same function on every engine: an engine only runs ``map`` and ``encode`` where it
chooses (``base.Engine``). The local engine runs them here (a map in worker processes when measured to
pay); the Ray engine as Ray tasks and actors, on this machine or a cluster. ``make_engine`` builds one
by name; a new engine is one module and a line there.
"""

from __future__ import annotations

from pathlib import Path

from aligner.choices import ENGINES, require_engine
from aligner.engines.base import Engine
from aligner.engines.local import LocalEngine
from aligner.errors import UsageError


def make_engine(
    name: str = "local",
    jobs: int = 0,
    address: str | None = None,
    store: Path | None = None,
    workers: int | None = None,
) -> Engine:
    """``local`` (the default) or ``ray``.

    ``address``: None starts a local Ray cluster; "auto" or HOST:PORT joins a running one.
    """
    if name == "local":
        return LocalEngine(jobs)
    if name == "ray":
        require_engine(name)
        from aligner.engines.on_ray import RayEngine
        from aligner.rundir.signals import restore_sigterm

        engine = RayEngine(address=address, store=store, workers=workers)
        restore_sigterm()  # Ray's core worker installs a SIGTERM handler that prints a C stack dump
        return engine
    raise UsageError(f"--engine {name}: unknown engine; choose one of {', '.join(ENGINES)}")


__all__ = ["ENGINES", "Engine", "LocalEngine", "make_engine", "require"]
