"""SIGTERM handled like Ctrl-C, and worker processes that die with the process that started them.

``kill PID`` (SIGTERM) would end the process at once, silently (exit 143), skipping the clean-up that
Ctrl-C runs; Ray's core worker even replaces the handler with one that prints a C stack dump. The
command line turns SIGTERM into ``Terminated`` (a ``KeyboardInterrupt``, so every clean-up path that
handles Ctrl-C runs), reported in one line with exit code 143 (128 + 15, as a shell reports it).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading

EXIT_TERMINATED = 128 + signal.SIGTERM
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_installed = False


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: unwind as Ctrl-C does."""


def _raise_terminated(signum, frame) -> None:
    raise Terminated


def handle_sigterm() -> None:
    """From now on SIGTERM raises ``Terminated`` in the main thread (the command line calls this)."""
    global _installed
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise_terminated)
        _installed = True


def restore_sigterm() -> None:
    """Put our handler back after a library replaced it (Ray's core worker does), if the CLI set it."""
    if _installed:
        handle_sigterm()


def die_with_parent() -> None:
    """In a worker process: the kernel kills it when its parent dies, even by SIGKILL (Linux only;
    elsewhere the pool's own shutdown is all there is)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:  # the parent died before prctl took effect
        os._exit(1)
