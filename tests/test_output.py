"""The output folder's swap (aligner/rundir/swap.py): a SIGKILL at each step, recovery by the next run,
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
from aligner.pipeline import RunOptions, check_out_dir, run, write_run
from aligner.rundir.swap import leftovers, mark_temporary, recover_interrupted_swap

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
    mark_temporary(old)
    os.replace(out, old / "previous")
    messages: list[str] = []
    with pytest.raises(AlignerError, match="use --force"):
        check_out_dir(out, force=False, log=messages.append)
    # the emptied leftover stays until a run is accepted: a refused run deletes nothing (issue #26)
    assert files_of(out) == previous and beside(out) == [old.name]
    assert "the previous output is restored" in messages[0]


def test_the_folders_of_a_run_still_going_are_left_alone(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    live = tmp_path / f".out.tmp-{os.getppid()}-abcd"  # the parent of this process is running
    live.mkdir()
    dead = tmp_path / f".out.tmp-{2**22 + 7}-abcd"
    dead.mkdir()
    mark_temporary(dead)
    mark_temporary(live)
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


def user_folder(path: Path) -> Path:
    """A user's own folder named like a swap folder of ours (no marker), with a file in it."""
    path.mkdir()
    (path / "keep.txt").write_text("mine", encoding="utf-8")
    return path


def test_a_refused_run_deletes_no_user_folder_named_like_a_leftover(two_runs, hashing_embedder):
    out, staged = two_runs
    dead = 2**22 + 7  # names a process that is not running, as a real leftover would
    mine = [
        user_folder(out.parent / ".out.old-backup"),
        user_folder(out.parent / f".out.old-{dead}-abcd"),
        user_folder(out.parent / f".out.tmp-{dead}-ab12"),
    ]
    with pytest.raises(AlignerError, match="use --force"):
        run([out.parent / "in"], out, hashing_embedder, RunOptions(lang_overrides={"en": "en"}))
    assert all((folder / "keep.txt").read_text(encoding="utf-8") == "mine" for folder in mine)
    write_run(load_run(staged), out, force=True)  # an accepted run leaves them alone too
    assert all((folder / "keep.txt").read_text(encoding="utf-8") == "mine" for folder in mine)
    assert files_of(out) == files_of(staged)


def test_a_user_folder_named_like_a_leftover_is_never_restored_over_a_missing_out(tmp_path):
    out = tmp_path / "out"
    backup = user_folder(tmp_path / f".out.old-{2**22 + 7}-abcd")
    (backup / "previous").mkdir()
    restored: list[str] = []
    check_out_dir(out, force=False, log=restored.append)
    assert not out.exists() and (backup / "previous").is_dir() and restored == []


def test_a_huge_process_number_in_a_leftover_name_is_a_dead_process(tmp_path):
    (tmp_path / "out").mkdir()
    leftover = tmp_path / f".out.tmp-{10**30}-abcd"
    leftover.mkdir()
    mark_temporary(leftover)
    recover_interrupted_swap(tmp_path / "out")
    assert not leftover.exists()


@pytest.mark.parametrize(
    ("out", "inputs", "message"),
    [
        ("in", ["in"], "is the input"),
        ("in/inner/result", ["in"], "inside the input"),
        ("link", ["in"], "is the input"),  # a symlink to the input folder
        ("other", ["other/in.txt"], "inside the output folder"),
        (".", ["in"], "inside the output folder"),
    ],
)
def test_an_output_folder_overlapping_an_input_is_refused_before_any_work(
    tmp_path, hashing_embedder, out, inputs, message
):
    (tmp_path / "in" / "inner").mkdir(parents=True)
    (tmp_path / "in" / "en.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "in.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "in")
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    with pytest.raises(AlignerError, match=message):
        run([tmp_path / i for i in inputs], tmp_path / out, hashing_embedder, force=True)
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before
    assert hashing_embedder.encoded_texts == 0


def test_a_place_that_takes_no_folder_is_refused_before_any_work(tmp_path, hashing_embedder):
    (tmp_path / "en.txt").write_text(EN, encoding="utf-8")
    with pytest.raises(AlignerError, match="cannot write the output there"):
        run([tmp_path / "en.txt"], Path("/proc/x"), hashing_embedder, force=True)
    assert hashing_embedder.encoded_texts == 0
