"""The output folder's swap (aligner/output.py): a SIGKILL at each step, recovery by the next run,
refusals before any work, and folders made with the umask (test double encoder)."""

import errno
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from aligner.errors import AlignerError
from aligner.export import load_run
from aligner.output import leftovers, recover_interrupted_swap
from aligner.pipeline import RunOptions, check_out_dir, run, write_run

ROOT = Path(__file__).resolve().parent.parent
EN = "The river rose by 3 metres overnight. Schools were closed. The mayor spoke at noon."
RU = "За ночь река поднялась на 3 метра. Школы были закрыты. Мэр выступил в полдень."
UK = "За ніч річка піднялася на 3 метри. Школи були закриті. Мер виступив опівдні."

# Runs `write_run` of a finished run folder over --out and SIGKILLs itself at one step of the swap.
KILLER = """
import os, shutil, signal, sys
from pathlib import Path
from aligner.export import load_run
from aligner.pipeline import write_run

source, out, step = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
result = load_run(source)
real_replace, real_rmtree = os.replace, shutil.rmtree

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def replace(src, dst):
    dst = Path(dst)
    if step == "write" and dst.name.endswith(".jsonl") or step == "aside" and dst.name == "previous":
        die()
    if step == "swap" and dst == Path(os.path.abspath(out)):
        die()
    return real_replace(src, dst)

def rmtree(path, *args, **kwargs):
    if step == "cleanup" and (Path(path) / "previous").exists():
        die()
    return real_rmtree(path, *args, **kwargs)

os.replace, shutil.rmtree = replace, rmtree
write_run(result, out, force=True)
"""


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def beside(out: Path) -> list[str]:
    """Hidden folders beside ``out`` but the work folder runs keep there (stories aligned before)."""
    return sorted(
        p.name for p in out.parent.iterdir() if p.name.startswith(".") and p.name != f".{out.name}.work"
    )


@pytest.fixture
def two_runs(tmp_path, hashing_embedder) -> tuple[Path, Path]:
    """``out``: a finished run; ``staged``: another run's output, to be swapped over it."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name, text in (("en", EN), ("ru", RU), ("uk", UK)):
        (inputs / f"{name}.txt").write_text(text, encoding="utf-8")
    overrides = {"en": "en", "ru": "ru", "uk": "uk"}
    run([inputs], tmp_path / "out", hashing_embedder, RunOptions(lang_overrides=overrides))
    (inputs / "uk.txt").unlink()
    run([inputs], tmp_path / "staged", hashing_embedder, RunOptions(lang_overrides=overrides))
    return tmp_path / "out", tmp_path / "staged"


STEPS = {  # where the SIGKILL lands, and what --out holds right after it
    "write": "previous",  # while the new files are written
    "aside": "previous",  # before --out is moved aside
    "swap": "missing",  # between the two renames: the previous output is only in .out.old-*/previous
    "cleanup": "new",  # after the swap, before the old output is deleted
}


def test_a_sigkill_at_each_step_of_the_swap_loses_nothing_and_the_next_run_recovers(two_runs):
    out, staged = two_runs
    previous, new = files_of(out), files_of(staged)
    assert previous != new
    copies = {}
    for step in STEPS:  # a copy of --out per step, all killed at once (each costs a process start)
        copies[step] = Path(shutil.copytree(out, out.parent / step / "out"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = {
        step: subprocess.Popen([sys.executable, "-c", KILLER, str(staged), str(target), step], env=env)
        for step, target in copies.items()
    }
    for step, process in killed.items():
        assert process.wait(timeout=300) == -signal.SIGKILL, step
    for step, target in copies.items():
        state = STEPS[step]
        assert leftovers(target), step  # the kill left something beside --out
        if state == "missing":
            assert not target.exists()
            (old,) = [path for path, kind, _ in leftovers(target) if kind == "old"]
            assert files_of(old / "previous") == previous
        else:
            assert files_of(target) == (previous if state == "previous" else new), step
        messages: list[str] = []
        check_out_dir(target, force=True, log=messages.append)  # what the next run does first
        assert files_of(target) == (new if state == "new" else previous), step
        assert beside(target) == [] and any("interrupted run" in m for m in messages), step
        write_run(load_run(staged), target, force=True)  # and the next run succeeds
        assert files_of(target) == new and beside(target) == [], step


def test_a_run_without_force_after_a_kill_between_the_renames_gets_the_previous_output_back(two_runs):
    out, _ = two_runs
    previous = files_of(out)
    old = out.parent / f".out.old-{2**22 + 7}-dead"  # a process id above Linux's limit: not running
    old.mkdir()
    os.replace(out, old / "previous")
    messages: list[str] = []
    with pytest.raises(AlignerError, match="use --force"):
        check_out_dir(out, force=False, log=messages.append)
    assert files_of(out) == previous and beside(out) == []
    assert "the previous output is restored" in messages[0]


def test_the_folders_of_a_run_still_going_are_left_alone(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    live = tmp_path / f".out.tmp-{os.getppid()}-abcd"  # the parent of this process is running
    live.mkdir()
    dead = tmp_path / f".out.tmp-{2**22 + 7}-abcd"
    dead.mkdir()
    recover_interrupted_swap(out)
    assert beside(out) == [live.name]


def test_output_folders_honour_the_umask(tmp_path, hashing_embedder):
    (tmp_path / "en.txt").write_text(EN, encoding="utf-8")
    for umask, expected in ((0o022, 0o755), (0o002, 0o775)):
        old_umask = os.umask(umask)
        try:
            out = tmp_path / f"out{umask}"
            run([tmp_path / "en.txt"], out, hashing_embedder, RunOptions(lang_overrides={"en": "en"}))
        finally:
            os.umask(old_umask)
        assert out.stat().st_mode & 0o777 == expected
        assert (out / "manifest.json").stat().st_mode & 0o777 == expected & 0o666


def test_a_rename_refused_by_the_system_leaves_no_empty_old_folder(two_runs, monkeypatch):
    out, staged = two_runs
    previous = files_of(out)
    real_replace = os.replace

    def busy(src, dst):
        if Path(dst).name == "previous":
            raise OSError(errno.EBUSY, "Device or resource busy", str(src))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", busy)
    with pytest.raises(AlignerError, match="Device or resource busy"):
        write_run(load_run(staged), out, force=True)
    assert files_of(out) == previous and beside(out) == []


@pytest.mark.parametrize(("out", "message"), [("/", "root folder"), ("/proc", "mount point")])
def test_folders_a_rename_cannot_replace_are_refused_before_any_work(out, message):
    with pytest.raises(AlignerError, match=message):
        check_out_dir(Path(out), force=True)
