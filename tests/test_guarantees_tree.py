"""A property over the whole command line: random commands in a sandbox tree that holds special files
(a FIFO, a character device node of our own, symlinks), user folders and files named like our temporary
ones, the inputs, and a finished run. Whatever the command, nothing outside what it may write (``--out``
and its work folder, a report path, or ``export``'s target; and the cache) is created, changed or
deleted. The tree is compared by inode, type, mode and content hash (special files are never opened).

Commands run in-process through click's test runner; the model folder is checked for real, the
sentences are encoded by the test double.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_cli_fuzz import EN, RU, XLIFF, hashing_run, use_hashing_encoder  # noqa: F401 (a fixture)

from aligner.cli import cli
from aligner.rundir.swap import mark_temporary

DEAD = 2**22 + 7  # a process number Linux never gives: a "leftover" of a dead run, but not ours
USER_FOLDERS = [".out.old-x", ".out.tmp-y", f".out.old-{DEAD}-abcd", f".out.tmp-{DEAD}-ab12", ".run.old-z"]
USER_FILES = [".report.csv.tmp", f".report.csv.tmp-{DEAD}-abcd", "special/.page.html.tmp"]
OURS = f".out.tmp-{DEAD}-cafe0001"  # a leftover of a killed run into out/: marked, its process dead

PLACES = [  # paths a command may be given, special or not
    "out",
    "out/../out2",
    "in",
    "in/inner/result",
    "run",
    ".",
    ".out.old-x",
    "special/fifo",
    "special/node",
    "special/link-to-in",
    "special/link-to-file",
    "special/dangling",
]
INPUTS = ["in", "in/en.txt", "run", "special/fifo", "special/node", "special/link-to-in", "bi/f.xlf"]
REPORTS = [
    "report.csv",
    "special/node",
    "special/fifo",
    "special/link-to-file",
    "special/dangling",
    "bi/f.xlf",
    "in",
    "run/manifest.json",
]


def build_tree(root: Path, run_folder: Path) -> None:
    (root / "in" / "inner").mkdir(parents=True)
    (root / "in" / "en.txt").write_text(EN, encoding="utf-8")
    (root / "in" / "ru.txt").write_text(RU, encoding="utf-8")
    (root / "bi").mkdir()
    (root / "bi" / "f.xlf").write_bytes(XLIFF)
    shutil.copytree(run_folder, root / "run")
    special = root / "special"
    special.mkdir()
    os.mkfifo(special / "fifo")
    if os.geteuid() == 0:  # a node like /dev/null, made here; never a real device
        os.mknod(special / "node", stat.S_IFCHR | 0o666, os.makedev(1, 3))
    (special / "link-to-in").symlink_to("../in")
    (special / "link-to-file").symlink_to("../in/ru.txt")
    (special / "dangling").symlink_to("nowhere/at/all")
    for name in USER_FOLDERS:
        (root / name).mkdir()
        (root / name / "mine.txt").write_text("the user's", encoding="utf-8")
    for name in USER_FILES:
        (root / name).write_text("the user's", encoding="utf-8")
    (root / OURS).mkdir()
    mark_temporary(root / OURS)


def snapshot(root: Path, skip: Path) -> dict[str, tuple]:
    """Every entry under ``root`` (symlinks not followed) but ``skip``: inode, type, mode, content hash."""
    found: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            if path == skip or skip in path.parents:
                continue
            status = os.lstat(path)
            kind = stat.S_IFMT(status.st_mode)
            if stat.S_ISREG(status.st_mode):
                content = hashlib.sha256(path.read_bytes()).hexdigest()
            elif stat.S_ISLNK(status.st_mode):
                content = os.readlink(path)
            else:
                content = status.st_rdev if stat.S_ISCHR(status.st_mode) else None
            found[str(path)] = (status.st_ino, kind, stat.S_IMODE(status.st_mode), content)
    return found


def allowed_places(args: list[str], root: Path) -> list[Path]:
    """What the command may create, change or delete: its output folder and work folder, its reports
    (and, for a report at a symlink, the file it points to), or export's target."""
    places: list[Path] = []

    def given(option: str) -> list[str]:
        return [args[i + 1] for i, arg in enumerate(args[:-1]) if arg == option]

    for out in given("--out"):
        absolute = Path(os.path.abspath(root / out))
        places += [absolute, absolute.parent / f".{absolute.name}.work"]
        if absolute == root / "out":  # our own leftover beside it may be cleared
            places.append(root / OURS)
    for report in given("--csv") + given("--json") + given("--html"):
        places += [Path(os.path.abspath(root / report)), Path(os.path.realpath(root / report))]
    if args[0] == "export":  # a target that is a symlink to a folder is written into, as a shell's cd
        target = root / (given("--to") or ["run"])[0]
        places += [Path(os.path.abspath(target)), Path(os.path.realpath(target))]
    return places


def changed_outside(before: dict, after: dict, allowed: list[Path]) -> list[str]:
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}

    def fine(path: Path) -> bool:
        inside = any(path == place or place in path.parents for place in allowed)
        made_on_the_way = str(path) not in before and any(path in place.parents for place in allowed)
        return inside or made_on_the_way

    return sorted(path for path in changed if not fine(Path(path)))


@pytest.fixture
def sandbox(monkeypatch, hashing_run):  # noqa: F811 (the fixture imported above)
    use_hashing_encoder(monkeypatch)
    runner = CliRunner()

    def call(args: list[str]) -> None:
        with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
            root = Path(folder).resolve()
            build_tree(root, hashing_run)
            cache = root / "cache"
            before = snapshot(root, cache)
            result = runner.invoke(cli, args, env={"ALIGNER_CACHE": str(cache), "ALIGNER_TMP": str(cache)})
            after = snapshot(root, cache)
            shown = f"aligner {args!r}\n{result.output}"
            assert result.exit_code in {0, 1, 2, 3}, shown
            assert "Traceback" not in result.output and "internal error" not in result.output, shown
            allowed = allowed_places(args, root)
            assert changed_outside(before, after, allowed) == [], shown
            for name in USER_FOLDERS:  # named like ours: kept, unless the user named one as --out
                if root / name not in allowed:
                    assert (root / name / "mine.txt").read_text(encoding="utf-8") == "the user's", shown
            for name in USER_FILES:
                assert (root / name).read_text(encoding="utf-8") == "the user's", shown
            assert stat.S_ISFIFO(os.lstat(root / "special" / "fifo").st_mode), shown
            if args[0] == "run" and result.exit_code == 0 and root / OURS in allowed:
                assert not (root / OURS).exists(), shown  # an accepted run clears what a dead run left
            if args == ["run", "in", "--out", "out", "--lang", "en=en", "--lang", "ru=ru", "--quiet"]:
                assert result.exit_code == 0 and not (root / OURS).exists(), shown  # the explicit example

    return call


def flag(name: str):
    return st.sampled_from([[], [name]])


def option(name: str, values: list[str]):
    return st.one_of(st.just([]), st.sampled_from(values).map(lambda value: [name, value]))


run_commands = st.tuples(
    st.just(["run"]),
    st.lists(st.sampled_from(INPUTS), min_size=1, max_size=2, unique=True),
    st.sampled_from(PLACES).map(lambda out: ["--out", out]),
    flag("--force"),
    st.just(["--lang", "en=en", "--lang", "ru=ru", "--quiet"]),
    option("--jobs", ["1", "2"]),
    flag("--no-resume"),
)
check_commands = st.tuples(
    st.just(["check"]),
    st.lists(
        st.sampled_from(["bi/f.xlf", "run", "special/fifo", "special/node", "special/link-to-file"]),
        min_size=1,
        max_size=2,
        unique=True,
    ),
    option("--csv", REPORTS),
    option("--json", REPORTS),
    option("--html", REPORTS),
    option("--decisions", ["special/fifo", "special/node", "bi/f.xlf"]),
)
export_commands = st.tuples(
    st.just(["export", "run"]),
    st.sampled_from(["tsv", "tmx", "jsonl", "html"]).map(lambda fmt: ["--format", fmt]),
    option(
        "--to", ["exported", "in", "special/node", "special/link-to-in", "special/dangling", ".out.old-x"]
    ),
)
align_commands = st.tuples(
    st.just(["align"]),
    st.lists(
        st.sampled_from(["in/en.txt", "in/ru.txt", "special/fifo", "special/link-to-file"]),
        min_size=2,
        max_size=2,
    ),
)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same examples everywhere: a failure can be replayed
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(command=st.one_of(run_commands, check_commands, export_commands, align_commands))
@example(command=(["run", "in", "--out", "out"], ["--lang", "en=en", "--lang", "ru=ru", "--quiet"]))
def test_no_command_touches_anything_outside_what_it_may_write(sandbox, command):
    sandbox([part for chosen in command for part in chosen])
