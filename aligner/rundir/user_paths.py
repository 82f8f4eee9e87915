"""Files at paths the user names: read only if regular and bounded; written never replacing what is not ours.

Reading: a FIFO, a device or a pipe (``<(...)``) could block forever or never end, so an input must be a
regular file (symlinks are followed) no larger than a bound; anything else is one line naming it.

Writing a report (``check --json/--csv/--html``), by what is at the path:

- nothing, or a regular file: written beside it and renamed over it (all or nothing; an existing
  file's permissions are kept; missing folders on the way are made);
- a symlink: the same, at the file it points to; the link stays a link;
- a character device (``/dev/null``, a terminal) or a FIFO with a reader: written through, as a shell's
  ``>`` does; never replaced by a regular file;
- a folder, a block device, a socket, a FIFO nobody reads: refused, naming the user's path;
- an input of the same command (or a file inside an input folder): refused, the input is never replaced.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Sequence
from pathlib import Path

from aligner.errors import AlignerError, UsageError

MAX_INPUT_BYTES = 200 * 1024 * 1024  # larger than any bilingual file or decisions file a person made


def regular_input(path: Path, what: str = "input", limit: int = MAX_INPUT_BYTES) -> os.stat_result:
    """``path``'s status if it is a regular file within ``limit`` bytes; else a one-line error."""
    try:
        status = os.stat(path)
    except OSError as error:
        raise AlignerError(f"{path}: cannot read the {what} ({error.strerror or error})") from None
    if not stat.S_ISREG(status.st_mode):
        raise AlignerError(
            f"{path}: the {what} is {_kind(status.st_mode)}, not a regular file; save it to a file first"
        )
    if status.st_size > limit:
        raise AlignerError(f"{path}: the {what} is larger than {limit // 2**20} MB (limit of this command)")
    return status


def read_input_bytes(path: Path, what: str = "input", limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (checked again as it is read)."""
    regular_input(path, what, limit)
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise AlignerError(f"{path}: the {what} is larger than {limit // 2**20} MB (limit of this command)")
    return data


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _clash(path: Path, inputs: Sequence[Path]) -> str | None:
    """How ``path`` (existing) is one of ``inputs`` or lies inside one (hard links and symlinks included)."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    real = Path(os.path.realpath(path))
    for item in inputs:
        try:
            if os.path.samestat(status, os.stat(item)):
                return f"is the input {item}"
        except OSError:
            continue
        if Path(item).is_dir() and real.is_relative_to(os.path.realpath(item)):
            return f"is a file inside the input folder {item}"
    return None


def write_user_file(path: Path, text: str, inputs: Sequence[Path] = ()) -> Path:
    """Write ``text`` (UTF-8) to a path the user named, by the rules of the module's docstring."""
    path = Path(path)
    data = text.encode("utf-8")
    clash = _clash(path, inputs)
    if clash is not None:
        raise UsageError(f"{path}: {clash}; give another file for the report")
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None  # nothing there, or a symlink to nothing: its target is made
    except OSError as error:
        raise AlignerError(f"{path}: could not write the report ({error.strerror or error})") from None
    try:
        if mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
            _write_through(path, data)
        elif mode is not None and not stat.S_ISREG(mode):
            raise UsageError(f"{path}: is {_kind(mode)}; give a file name for the report")
        else:
            if not path.is_symlink():  # folders on the way are made, as before; never at a link's target
                path.parent.mkdir(parents=True, exist_ok=True)
            _replace(Path(os.path.realpath(path)), data, mode)
    except OSError as error:  # disk full, permissions, a vanished folder: named by the user's path
        raise AlignerError(
            f"{path}: could not write the report ({error.strerror or error}); nothing was changed"
        ) from None
    return path


def _write_through(path: Path, data: bytes) -> None:
    """A device or FIFO gets the bytes; a FIFO nobody reads is refused rather than waited on forever."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as error:
        if error.errno == errno.ENXIO:
            raise AlignerError(f"{path}: is a pipe (FIFO) that nobody reads; nothing was written") from None
        raise
    try:
        os.set_blocking(descriptor, True)
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
    finally:
        os.close(descriptor)


def _replace(target: Path, data: bytes, mode: int | None) -> None:
    """Write beside ``target`` under a fresh name, then rename over it: no half file, no name reused."""
    partial = target.with_name(f".{target.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), stat.S_IMODE(mode))  # replacing a file keeps its permissions
            handle.write(data)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
