"""The output folder's swap: write beside ``--out``, rename into place, recover an interrupted swap.

A run writes into ``.NAME.tmp-PID-XXXX`` beside ``--out``, then (with ``--force`` and an existing
output) renames ``--out`` to ``.NAME.old-PID-XXXX/previous``, renames the new folder to ``--out``
and deletes the ``.old`` folder. A SIGKILL between two of these steps leaves those folders behind;
the next run on the same ``--out`` finds them and puts things right before it starts:

- ``--out`` missing and ``.old-*/previous`` there: the previous output is renamed back to ``--out``;
- ``--out`` there: the ``.old-*`` and ``.tmp-*`` folders are leftovers of a finished or abandoned
  swap and are deleted, once the new run is accepted (never by a run that is refused).

Only folders this tool provably made are touched: each gets a marker file (``MARKER``) the moment it is
made, so a user's own ``.out.old-backup`` is never restored over ``--out`` nor deleted. The PID in the
names tells a leftover from the folder of a run still going: a live process's folders are never touched.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from aligner.errors import AlignerError, UsageError

PREVIOUS = "previous"  # the old output's name inside its .old folder while the new one moves in
MARKER = ".aligner-temporary"  # inside every swap folder this tool makes: what proves it is ours
_MARK = "made by aligner; deleted by the next run into the same output\n"


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


def refuse_overlap(out: Path, inputs: Sequence[Path]) -> None:
    """``out`` equal to or inside an input folder (a forced run would delete the inputs, the next run read
    its own outputs), or an input inside ``out``: a usage error before any work. Symlinks are followed."""
    target = Path(os.path.realpath(out))
    for item in inputs:
        source = Path(os.path.realpath(item))
        if target == source:
            raise UsageError(f"{out}: is the input {item}; give an output folder outside the inputs")
        if target.is_relative_to(source):
            raise UsageError(f"{out}: is inside the input {item}; give an output folder outside the inputs")
        if source.is_relative_to(target):
            raise UsageError(f"{item}: this input is inside the output folder {out}; move one of them")


def probe_writable(out: Path) -> None:
    """Make (and remove) a swap folder beside ``out`` now: a place that takes no folder (``/proc/x``, a
    read-only mount) is refused before the work, not after it."""
    try:
        folder = temp_folder(out, "tmp")
    except OSError as error:
        raise AlignerError(f"{out}: cannot write the output there ({error.strerror or error})") from None
    shutil.rmtree(folder, ignore_errors=True)


def temp_folder(out: Path, kind: str) -> Path:
    """A new empty folder ``.NAME.KIND-PID-XXXX`` beside ``out``, made with the umask (mkdtemp makes 0700)."""
    absolute = output_path(out)
    for _ in range(100):
        folder = absolute.parent / f".{absolute.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}"
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        try:
            mark_temporary(folder)
        except BaseException:
            folder.rmdir()
            raise
        return folder
    raise FileExistsError(f"{absolute.parent}: no free name for a temporary folder")


def mark_temporary(folder: Path) -> None:
    """Write the marker that lets a later run delete ``folder`` as a leftover of this tool."""
    (Path(folder) / MARKER).write_text(_MARK, encoding="utf-8")


def is_ours(folder: Path) -> bool:
    """``folder`` holds this tool's marker (a regular file with its text): a folder we made."""
    marker = Path(folder) / MARKER
    try:
        return not marker.is_symlink() and marker.is_file() and marker.read_text(encoding="utf-8") == _MARK
    except (OSError, UnicodeDecodeError):
        return False


def _unmark(folder: Path) -> None:
    """The finished output keeps no marker (a kill right before this leaves a harmless file in it)."""
    (Path(folder) / MARKER).unlink(missing_ok=True)


def swap_into_place(work: Path, out: Path) -> None:
    """Rename ``work`` to ``out``; an existing ``out`` goes to ``.old-*/previous`` first, then is deleted."""
    if not out.exists():
        os.replace(work, out)
        _unmark(out)
        return
    old = temp_folder(out, "old")
    try:
        os.replace(out, old / PREVIOUS)
    except BaseException:
        shutil.rmtree(old, ignore_errors=True)  # only the marker is in it
        raise
    try:
        os.replace(work, out)
    except BaseException:
        os.replace(old / PREVIOUS, out)  # put the previous output back
        shutil.rmtree(old, ignore_errors=True)
        raise
    _unmark(out)
    shutil.rmtree(old, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # OverflowError: no process has such a number
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def leftovers(out: Path) -> list[tuple[Path, str, int]]:
    """The swap folders of ``out`` beside it: (path, "tmp" or "old", the process that made it).

    Only folders holding this tool's marker: a user's folder named like one is not a leftover."""
    absolute = output_path(out)
    pattern = re.compile(rf"\.{re.escape(absolute.name)}\.(tmp|old)-(\d+)-[0-9a-f]+")
    try:
        names = sorted(os.listdir(absolute.parent))
    except OSError:
        return []
    found = []
    for name in names:
        match = pattern.fullmatch(name)
        path = absolute.parent / name
        if match and path.is_dir() and not path.is_symlink() and is_ours(path):
            pid = int(match.group(2))
            found.append((absolute.parent / name, match.group(1), pid))
    return found


def _stale(out: Path) -> list[Path]:
    return [path for path, _kind, pid in leftovers(out) if not _alive(pid)]


def restore_interrupted_swap(out: Path, log: Callable[[str], None] = lambda message: None) -> None:
    """``out`` missing and an interrupted swap's ``.old-*/previous`` there: put it back (deletes nothing)."""
    absolute = output_path(out)
    stale = _stale(absolute)
    if stale and not os.path.lexists(absolute):
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


def clear_leftovers(out: Path, log: Callable[[str], None] = lambda message: None) -> None:
    """Delete the swap folders a dead run of this tool left beside ``out`` (call once the run is accepted).

    What they hold has no value: a new output not swapped in, or an output already replaced."""
    stale = _stale(output_path(out))
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    if stale:
        log(f"{out}: removed {len(stale)} temporary folder(s) left by an interrupted run")


def recover_interrupted_swap(out: Path, log: Callable[[str], None] = lambda message: None) -> None:
    """Put back, then clear, what an interrupted run left beside ``out`` (see the module's docstring)."""
    restore_interrupted_swap(out, log)
    clear_leftovers(out, log)
