"""Paths the user names (aligner/rundir/user_paths.py): reports never replace a device, FIFO, symlink or
input;
inputs must be regular files of bounded size. Device nodes are made here, in a temporary folder only."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.cli import cli
from aligner.errors import AlignerError
from aligner.rundir.user_paths import read_input_bytes, regular_input, write_user_file

XLIFF = (
    '<?xml version="1.0"?><xliff version="1.2"><file source-language="en" target-language="ru" '
    'datatype="plaintext" original="x"><body><trans-unit id="1"><source>12 files</source>'
    "<target>13 файлов</target></trans-unit></body></file></xliff>"
)


def null_node(path: Path) -> Path:
    """A character device node like /dev/null (1, 3), of our own, in a temporary folder."""
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return path


def check(*args: str):
    return CliRunner().invoke(cli, ["check", *args])


@pytest.fixture
def xlf(tmp_path: Path) -> Path:
    path = tmp_path / "f.xlf"
    path.write_text(XLIFF, encoding="utf-8")
    return path


@pytest.mark.parametrize("option", ["--csv", "--json", "--html"])
def test_a_report_onto_a_device_node_writes_through_and_leaves_the_node(tmp_path, xlf, option):
    node = null_node(tmp_path / "node")
    result = check(str(xlf), option, str(node))
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.lstat(node).st_mode) and os.lstat(node).st_rdev == os.makedev(1, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.xlf", "node"]


def test_a_report_onto_a_symlink_replaces_its_target_and_keeps_the_link(tmp_path, xlf):
    (tmp_path / "real.csv").write_text("old", encoding="utf-8")
    os.chmod(tmp_path / "real.csv", 0o640)
    (tmp_path / "link.csv").symlink_to("real.csv")
    result = check(str(xlf), "--csv", str(tmp_path / "link.csv"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "link.csv").is_symlink() and os.readlink(tmp_path / "link.csv") == "real.csv"
    assert (tmp_path / "real.csv").read_text(encoding="utf-8").startswith("file,segment")
    assert stat.S_IMODE((tmp_path / "real.csv").stat().st_mode) == 0o640  # its permissions kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.xlf", "link.csv", "real.csv"]


def test_a_report_onto_a_fifo_with_a_reader_writes_through(tmp_path, xlf):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader; the report fits the pipe's buffer
    try:
        result = check(str(xlf), "--csv", str(fifo))
        got = os.read(reader, 1 << 16)
    finally:
        os.close(reader)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and got.startswith(b"file,segment")


def test_a_report_onto_a_fifo_nobody_reads_is_refused_without_waiting(tmp_path, xlf):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    result = check(str(xlf), "--csv", str(fifo))
    assert result.exit_code == 1 and "nobody reads" in result.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("option", ["--csv", "--json", "--html"])
def test_a_report_naming_an_input_is_refused_and_the_input_kept(tmp_path, xlf, option):
    (tmp_path / "hard.xlf").hardlink_to(xlf)
    for target in (xlf, tmp_path / "hard.xlf"):
        result = check(str(xlf), option, str(target))
        assert result.exit_code == 2 and "is the input" in result.output, result.output
        assert xlf.read_text(encoding="utf-8") == XLIFF


def test_a_report_naming_the_decisions_file_or_a_run_folder_file_is_refused(tmp_path, xlf):
    decisions = tmp_path / "d.json"
    decisions.write_text('{"format": "aligner-decisions/1", "decisions": []}', encoding="utf-8")
    result = check(str(xlf), "--decisions", str(decisions), "--json", str(decisions))
    assert result.exit_code == 2 and "is the input" in result.output
    run = tmp_path / "run"
    run.mkdir()
    (run / "manifest.json").write_text("{}", encoding="utf-8")
    with pytest.raises(AlignerError, match="inside the input folder"):
        write_user_file(run / "manifest.json", "x", [run])
    assert (run / "manifest.json").read_text(encoding="utf-8") == "{}"


def test_a_report_onto_a_folder_names_the_users_path(tmp_path, xlf):
    (tmp_path / "folder").mkdir()
    result = check(str(xlf), "--html", str(tmp_path / "folder"))
    assert result.exit_code == 2
    assert f"{tmp_path / 'folder'}: is a folder" in result.output and ".tmp" not in result.output


def test_two_reports_at_one_path_are_refused(tmp_path, xlf):
    result = check(str(xlf), "--csv", str(tmp_path / "r"), "--json", str(tmp_path / "r"))
    assert result.exit_code == 2 and "same file" in result.output
    assert not (tmp_path / "r").exists()


def test_a_full_disk_names_the_report_and_leaves_nothing(tmp_path, xlf, monkeypatch):
    (tmp_path / "page.html").write_text("before", encoding="utf-8")
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def fileno(self):
            return self.handle.fileno()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: Full(real_fdopen(fd, *a, **k)))
    result = check(str(xlf), "--html", str(tmp_path / "page.html"))
    assert result.exit_code == 1
    assert f"{tmp_path / 'page.html'}: could not write the report (No space left on device)" in result.output
    assert (tmp_path / "page.html").read_text(encoding="utf-8") == "before"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.xlf", "page.html"]


def test_a_user_file_named_like_our_partial_file_is_left_alone(tmp_path):
    (tmp_path / ".r.csv.tmp").write_text("mine", encoding="utf-8")
    write_user_file(tmp_path / "r.csv", "new")
    assert (tmp_path / ".r.csv.tmp").read_text(encoding="utf-8") == "mine"
    assert (tmp_path / "r.csv").read_text(encoding="utf-8") == "new"


def test_inputs_must_be_regular_and_bounded(tmp_path):
    (tmp_path / "zero").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(AlignerError, match="character device, not a regular file"):
        regular_input(tmp_path / "zero")
    with pytest.raises(AlignerError, match="pipe"):
        regular_input(tmp_path / "fifo")
    (tmp_path / "big").write_bytes(b"x" * 2048)
    with pytest.raises(AlignerError, match="larger than"):
        read_input_bytes(tmp_path / "big", limit=1024)
    assert read_input_bytes(tmp_path / "big", limit=4096) == b"x" * 2048


@pytest.mark.parametrize("kind", ["fifo", "zero", "pipe"])
def test_check_refuses_an_input_or_decisions_file_that_is_not_regular_at_once(tmp_path, xlf, kind):
    special = tmp_path / "special.xlf"
    if kind == "fifo":
        os.mkfifo(special)
    elif kind == "zero":
        special.symlink_to("/dev/zero")
    else:  # what <(cat f.xlf) gives: a pipe under /dev/fd
        read_end, write_end = os.pipe()
        os.write(write_end, XLIFF.encode())
        os.close(write_end)
        special = Path(f"/dev/fd/{read_end}")
    for args in ([str(special)], [str(xlf), "--decisions", str(special)]):
        result = check(*args)  # a FIFO would block forever, /dev/zero fill the memory
        assert result.exit_code == 1 and "not a regular file" in result.output, result.output
        assert "empty" not in result.output


@pytest.mark.parametrize("name", ["alignments.jsonl", "manifest.json"])
def test_a_run_folder_file_that_is_a_fifo_or_a_device_is_refused_at_once(tmp_path, hashing_embedder, name):
    from aligner.pipeline import RunOptions, run

    (tmp_path / "en.txt").write_text("The river rose by 3 metres. Schools closed.", encoding="utf-8")
    (tmp_path / "ru.txt").write_text("Река поднялась на 3 метра. Школы закрыты.", encoding="utf-8")
    out = tmp_path / "run"
    run(
        [tmp_path / "en.txt", tmp_path / "ru.txt"],
        out,
        hashing_embedder,
        RunOptions(lang_overrides={"ru": "ru"}),
    )
    (out / name).unlink()
    os.mkfifo(out / name)
    for args in (["check", str(out)], ["export", str(out), "--format", "tsv"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1 and "not a regular file" in result.output, result.output
    (out / name).unlink()
    (out / name).symlink_to("/dev/zero")
    result = check(str(out))
    assert result.exit_code == 1 and "character device" in result.output, result.output


def test_missing_folders_on_the_way_are_made_but_never_at_a_dangling_links_target(tmp_path):
    write_user_file(tmp_path / "new" / "deeper" / "r.csv", "x")
    assert (tmp_path / "new" / "deeper" / "r.csv").read_text(encoding="utf-8") == "x"
    (tmp_path / "dangling").symlink_to("nowhere/r.csv")
    with pytest.raises(AlignerError, match="No such file or directory"):
        write_user_file(tmp_path / "dangling", "x")
    assert not (tmp_path / "nowhere").exists() and (tmp_path / "dangling").is_symlink()


@pytest.mark.parametrize("kind", ["fifo", "symlink", "folder"])
def test_an_export_never_replaces_a_special_file_at_one_of_its_names(tmp_path, hashing_embedder, kind):
    from aligner.pipeline import RunOptions, run

    (tmp_path / "en.txt").write_text("The river rose by 3 metres. Schools closed.", encoding="utf-8")
    (tmp_path / "ru.txt").write_text("Река поднялась на 3 метра. Школы закрыты.", encoding="utf-8")
    out = tmp_path / "run"
    run(
        [tmp_path / "en.txt", tmp_path / "ru.txt"],
        out,
        hashing_embedder,
        RunOptions(lang_overrides={"ru": "ru"}),
    )
    target = tmp_path / "exported"
    target.mkdir()
    (target / "keep.txt").write_text("mine", encoding="utf-8")
    if kind == "fifo":
        os.mkfifo(target / "corpus.tmx")
    elif kind == "symlink":
        (target / "corpus.tmx").symlink_to("keep.txt")
    else:
        (target / "corpus.tmx").mkdir()
    before = os.lstat(target / "corpus.tmx")
    result = CliRunner().invoke(cli, ["export", str(out), "--format", "tmx", "--to", str(target)])
    assert result.exit_code == 1 and "which an export does not replace" in result.output, result.output
    after = os.lstat(target / "corpus.tmx")
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert sorted(p.name for p in target.iterdir()) == ["corpus.tmx", "keep.txt"]
    assert (target / "keep.txt").read_text(encoding="utf-8") == "mine"
