"""A run's own folder in a store that several runs may share: made with a note naming its owner process,
removed by the engine that made it, and swept by a later run once that process has ended (a run killed
outright cannot remove it).

A folder is removed only when it is a ``run-*`` folder holding a note this module wrote, naming this host
and this process-id namespace (two containers may share a host name and a store), and the process it
names is gone: no such process, another process under the reused id (its start time
differs), or another boot of the machine. Anything else (no note, a note that does not parse, another
host's run, a live run) is left alone. Hand-written because the standard library has no process-liveness
check with start times and psutil is not a dependency: ``os.kill(pid, 0)`` says whether the process
exists, Linux's /proc when it started and which boot this is.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
from pathlib import Path

PREFIX = "run-"
OWNER_NOTE = ".owner.json"
_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


def make_run_folder(parent: Path) -> Path:
    """A new folder of this run in ``parent``, with the note that names its owner written first."""
    parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))
    note = {
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "started": _started(os.getpid()),
        "boot": _boot(),
        "pid_namespace": _pid_namespace(),
    }
    (folder / OWNER_NOTE).write_text(json.dumps(note), encoding="utf-8")
    return folder


def sweep_abandoned(parent: Path) -> list[Path]:
    """Remove the run folders in ``parent`` whose owner process on this host has ended; return them."""
    if not parent.is_dir():
        return []
    removed = []
    for folder in sorted(parent.glob(PREFIX + "*")):
        note = _note(folder / OWNER_NOTE)
        if note is not None and folder.is_dir() and not folder.is_symlink() and _owner_gone(note):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _note(path: Path) -> dict | None:
    """The owner note, if it is one this module wrote (a host, a positive process id); else None."""
    try:
        note = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(note, dict) or not isinstance(note.get("host"), str):
        return None
    pid = note.get("pid")
    if type(pid) is not int or pid <= 0:
        return None
    return note


def _owner_gone(note: dict) -> bool:
    if note["host"] != socket.gethostname():
        return False  # another machine's run: its processes cannot be seen from here
    if note.get("pid_namespace") != _pid_namespace():
        return False  # another container's, under the same host name: its process ids are not ours
    boot = _boot()
    if boot is not None and isinstance(note.get("boot"), str) and note["boot"] != boot:
        return True  # the machine restarted since: every process of that boot has ended
    pid = note["pid"]
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except OSError:
        pass  # it exists, another user's
    started, recorded = _started(pid), note.get("started")  # a process under a reused id started later
    return started is not None and isinstance(recorded, str) and started != recorded


def _started(pid: int) -> str | None:
    """When process ``pid`` started, in clock ticks after boot (/proc/PID/stat, field 22); None if none."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2 :].split()  # the name, in brackets, may hold spaces
    return fields[19] if len(fields) > 19 else None


def _pid_namespace() -> str | None:
    """Which process-id namespace this process is in (Linux: "pid:[4026531836]"), None where unknown."""
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return None


def _boot() -> str | None:
    try:
        return _BOOT_ID.read_text(encoding="ascii").strip() or None
    except OSError:
        return None
