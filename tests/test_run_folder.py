"""A run's own folder in a shared store: swept by a later run only when its owner process has ended."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from aligner.engines.run_folder import OWNER_NOTE, make_run_folder, sweep_abandoned


def _ended_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _folder(parent: Path, name: str, note: object | None) -> Path:
    folder = parent / name
    folder.mkdir(parents=True)
    (folder / "batch.texts").write_bytes(b"sentences")
    if note is not None:
        (folder / OWNER_NOTE).write_text(note if isinstance(note, str) else json.dumps(note))
    return folder


def test_a_live_runs_folder_stays_and_a_dead_ones_goes(tmp_path):
    mine = make_run_folder(tmp_path)
    note = json.loads((mine / OWNER_NOTE).read_text())
    assert note["host"] == socket.gethostname() and note["pid"] == os.getpid()
    dead = _folder(tmp_path, "run-dead", {**note, "pid": _ended_pid()})
    assert sweep_abandoned(tmp_path) == [dead]
    assert mine.is_dir() and not dead.exists()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="process start times come from /proc")
def test_a_process_id_reused_by_another_process_does_not_keep_a_folder(tmp_path):
    note = json.loads((make_run_folder(tmp_path / "probe") / OWNER_NOTE).read_text())
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        started = Path(f"/proc/{other.pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
        alive = _folder(tmp_path, "run-alive", {**note, "pid": other.pid, "started": started})
        reused = _folder(tmp_path, "run-reused", {**note, "pid": other.pid, "started": "1"})
        assert sweep_abandoned(tmp_path) == [reused]  # the same id, another start: not the owner
        assert alive.is_dir()
    finally:
        other.kill()
        other.wait()


@pytest.mark.skipif(not Path("/proc/sys/kernel/random/boot_id").exists(), reason="no boot id here")
def test_a_folder_from_before_the_machine_restarted_goes(tmp_path):
    note = json.loads((make_run_folder(tmp_path / "probe") / OWNER_NOTE).read_text())
    old = _folder(tmp_path, "run-old-boot", {**note, "boot": "another boot"})
    assert sweep_abandoned(tmp_path) == [old]


def test_what_the_sweep_cannot_vouch_for_is_left_alone(tmp_path):
    note = json.loads((make_run_folder(tmp_path / "probe") / OWNER_NOTE).read_text())
    dead = {**note, "pid": _ended_pid()}
    control = _folder(tmp_path / "control", "run-dead", dead)
    assert sweep_abandoned(tmp_path / "control") == [control]  # each case below differs from it in one thing
    kept = [
        _folder(tmp_path, "run-no-note", None),
        _folder(tmp_path, "run-garbled", "{not json"),
        _folder(tmp_path, "run-a-list", [1, 2]),
        _folder(tmp_path, "run-no-pid", {"host": socket.gethostname()}),
        _folder(tmp_path, "run-bad-pid", {**dead, "pid": "12"}),
        _folder(tmp_path, "run-other-host", {**dead, "host": socket.gethostname() + "-elsewhere"}),
        _folder(tmp_path, "run-other-container", {**dead, "pid_namespace": "pid:[1]"}),
        _folder(tmp_path, "mine-not-a-run", dead),  # not a run folder of this module's naming
    ]
    assert sweep_abandoned(tmp_path) == []
    assert all((folder / "batch.texts").is_file() for folder in kept)
    assert sweep_abandoned(tmp_path / "absent") == []
