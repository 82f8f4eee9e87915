"""Progress bars on a terminal, nothing in a pipe or CI (the stage log lines say enough there)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sized
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


def on_terminal() -> bool:
    return sys.stderr.isatty()


def _bar(enabled: bool):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    return Progress(*columns, console=Console(stderr=True), transient=True, disable=not enabled)


def track(
    items: Iterable[T], label: str, enabled: bool | None = None, total: int | None = None
) -> Iterator[T]:
    """Yield ``items`` while a bar on standard error counts them (standard output stays the report's)."""
    enabled = on_terminal() if enabled is None else enabled
    count = len(items) if total is None and isinstance(items, Sized) else total
    if not enabled or count is None or count < 2:
        yield from items
        return
    with _bar(True) as bar:
        task = bar.add_task(label, total=count)
        for item in items:
            yield item
            bar.advance(task)


@contextmanager
def counter(label: str, total: int, enabled: bool | None = None):
    """A bar advanced by hand: ``with counter("encoding", n) as advance: advance(k)``."""
    enabled = on_terminal() if enabled is None else enabled
    with _bar(enabled) as bar:
        task = bar.add_task(label, total=total)
        yield lambda steps=1: bar.advance(task, steps)


@contextmanager
def spinner(label: str, enabled: bool | None = None):
    """A spinner for a stage that is one call (clustering)."""
    enabled = on_terminal() if enabled is None else enabled
    if not enabled:
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(label):
        yield
