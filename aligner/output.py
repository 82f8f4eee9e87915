"""The output folder's swap: write beside ``--out``, rename into place, recover an interrupted swap.

A run writes into ``.NAME.tmp-PID-XXXX`` beside ``--out``, then (with ``--force`` and an existing
output) renames ``--out`` to ``.NAME.old-PID-XXXX/previous``, renames the new folder to ``--out``
and deletes the ``.old`` folder. A SIGKILL between two of these steps leaves those folders behind;
the next run on the same ``--out`` finds them and puts things right before it starts:

- ``--out`` missing and ``.old-*/previous`` there: the previous output is renamed back to ``--out``;
- ``--out`` there: the ``.old-*`` and ``.tmp-*`` folders are leftovers of a finished or abandoned
  swap and are deleted.

The PID in the names tells a leftover from the folder of a run still going: a live process's folders
are never touched.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

from aligner.errors import AlignerError

PREVIOUS = "previous"  # the old output's name inside its .old folder while the new one moves in


def output_path(out: Path) -> Path:
    """``out`` absolute, with ``.`` and ``..`` resolved (the swap renames it; a symlink stays a symlink)."""
    return Path(os.path.abspath(out))


def refuse_unswappable(out: Path) -> None:
    """Folders a rename cannot replace: the root, and a mount point (EBUSY, after the whole run)."""
    absolute = output_path(out)
    if absolute.parent == absolute:
        raise AlignerError(f"{out}: the root folder cannot be an output folder; give a folder inside it")
    if absolute.is_dir() and os.path.ismount(absolute):
        raise AlignerError(
            f"{out}: is a mount point, which cannot be replaced by a rename; give a folder inside it"
        )


def temp_folder(out: Path, kind: str) -> Path:
    """A new empty folder ``.NAME.KIND-PID-XXXX`` beside ``out``, made with the umask (mkdtemp makes 0700)."""
    absolute = output_path(out)
    for _ in range(100):
        folder = absolute.parent / f".{absolute.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}"
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder
    raise FileExistsError(f"{absolute.parent}: no free name for a temporary folder")


def swap_into_place(work: Path, out: Path) -> None:
    """Rename ``work`` to ``out``; an existing ``out`` goes to ``.old-*/previous`` first, then is deleted."""
    if not out.exists():
        os.replace(work, out)
        return
    old = temp_folder(out, "old")
    try:
        os.replace(out, old / PREVIOUS)
    except BaseException:
        old.rmdir()
        raise
    try:
        os.replace(work, out)
    except BaseException:
        os.replace(old / PREVIOUS, out)  # put the previous output back
        shutil.rmtree(old, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def leftovers(out: Path) -> list[tuple[Path, str, int | None]]:
    """The swap folders of ``out`` beside it: (path, "tmp" or "old", the writing process or None)."""
    absolute = output_path(out)
    pattern = re.compile(rf"\.{re.escape(absolute.name)}\.(tmp|old)-(?:(\d+)-)?[^/]+")
    try:
        names = sorted(os.listdir(absolute.parent))
    except OSError:
        return []
    found = []
    for name in names:
        match = pattern.fullmatch(name)
        if match and (absolute.parent / name).is_dir():
            pid = int(match.group(2)) if match.group(2) else None
            found.append((absolute.parent / name, match.group(1), pid))
    return found


def recover_interrupted_swap(out: Path, log: Callable[[str], None] = lambda message: None) -> None:
    """Put back or clear what an interrupted run left beside ``out`` (see the module's docstring)."""
    absolute = output_path(out)
    stale = [path for path, _kind, pid in leftovers(absolute) if pid is None or not _alive(pid)]
    if not stale:
        return
    if not os.path.lexists(absolute):
        previous = [path / PREVIOUS for path in stale if (path / PREVIOUS).is_dir()]
        if previous:
            newest = max(previous, key=lambda path: path.stat().st_mtime_ns)
            try:
                os.replace(newest, absolute)
            except OSError as error:
                raise AlignerError(
                    f"{out}: an interrupted run left the previous output in {newest}, and it could not be "
                    f"moved back ({error.strerror or error}); move it back by hand"
                ) from None
            log(f"{out}: an interrupted run had moved it aside; the previous output is restored")
    # what is left holds no output of value: a new output not swapped in, or an output already replaced
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    log(f"{out}: removed {len(stale)} temporary folder(s) left by an interrupted run")
