"""The command line's promises on hostile options and input: usage errors at parse time (exit 2), one
line per failure (exit 1), never a traceback, and nothing from the input steering the terminal.

Commands run in-process through click's test runner. The model folder is still checked for real, but
the sentences are encoded by the test double, so no test here loads the model.
"""

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from model_helpers import model_copy

from aligner.cli import cli
from aligner.rundir.swap import mark_temporary
from aligner.testing import HashingEncoder

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_EN = "The council approved 12 projects in 2024. Work will start in May. Residents welcomed it."
ARTICLE_RU = "Совет одобрил 12 проектов в 2024 году. Работы начнутся в мае. Жители это приветствовали."
TRACEBACK = "Traceback (most recent call last)"


@pytest.fixture
def invoke(tmp_path, monkeypatch):
    """``invoke(*args)`` runs ``aligner ARGS`` in-process with the test double as the encoder."""
    import aligner.embedding.encoder as embed

    real_load_encoder = embed.load_encoder

    def checked_then_hashing(model_dir=None, **options):
        real_load_encoder(model_dir, **options)  # the model folder's checks run
        return HashingEncoder()

    monkeypatch.setattr(embed, "load_encoder", checked_then_hashing)
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def call(*args):
        result = runner.invoke(cli, [str(arg) for arg in args])
        assert TRACEBACK not in result.output and "internal error" not in result.stderr, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        return result

    return call


@pytest.fixture
def pile(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "en.txt").write_text(ARTICLE_EN, encoding="utf-8")
    (folder / "ru.txt").write_text(ARTICLE_RU, encoding="utf-8")
    return folder


@pytest.fixture
def finished_run(invoke, pile, tmp_path) -> Path:
    result = invoke("run", pile, "--out", tmp_path / "run", "--lang", "en=en", "--lang", "ru=ru", "--quiet")
    assert result.exit_code == 0, result.stderr
    return tmp_path / "run"


def one_error_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    "option",
    [
        ("--min-score", "nan"),
        ("--min-score", "inf"),
        ("--min-score", "1.5"),
        ("--min-score", "-0.5"),
        ("--max-bead", "0"),
        ("--max-bead", "-3"),
        ("--threads", "-1"),
        ("--languages", "en,../../x"),
        ("--lang", "en=../../x"),
    ],
)
def test_out_of_range_options_are_usage_errors_before_any_work(invoke, pile, tmp_path, option):
    result = invoke("run", pile, "--out", tmp_path / "out", *option)
    assert result.exit_code == 2
    assert "Invalid value" in result.stderr and option[0] in result.stderr
    assert "read…" not in result.stderr  # refused at parse time, not after the run
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("value", ["nan", "inf", "1.5", "-0.5"])
def test_export_min_score_out_of_range_is_a_usage_error(invoke, finished_run, value):
    result = invoke("export", finished_run, "--format", "tmx", "--min-score", value)
    assert result.exit_code == 2 and "--min-score" in result.stderr


@pytest.mark.parametrize("option", [("--max-bead", "0"), ("--src-lang", "../x"), ("--threads", "-1")])
def test_align_refuses_bad_options_too(invoke, pile, option):
    result = invoke("align", pile / "en.txt", pile / "ru.txt", *option)
    assert result.exit_code == 2 and option[0] in result.stderr


def test_lang_splits_at_the_last_equals_and_warns_about_overrides_that_match_nothing(invoke, tmp_path):
    records = [{"id": "a=b", "text": ARTICLE_EN}, {"id": "c", "text": ARTICLE_RU, "lang": "ru"}]
    (tmp_path / "in.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    result = invoke(
        "run", tmp_path / "in.jsonl", "--out", tmp_path / "out", "--lang", "a=b=en", "--lang", "typo=ru"
    )
    assert result.exit_code == 0, result.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["parameters"]["lang_overrides"] == {"a=b": "en", "typo": "ru"}
    assert {item["doc"]: item["lang"] for item in manifest["inputs"]} == {"a=b": "en", "c": "ru"}
    assert "warning: --lang typo=ru matched no document" in result.stderr
    assert "a=b=en" not in result.stderr  # the override that matched is not warned about


def test_a_lone_surrogate_in_jsonl_text_or_id_is_replaced_not_a_traceback(invoke, tmp_path):
    lines = [
        '{"id": "x\\ud800", "text": "Broken \\udfff text. ' + ARTICLE_EN + '", "lang": "en"}',
        '{"id": "y", "text": "' + ARTICLE_RU + '", "lang": "ru"}',
    ]
    (tmp_path / "in.jsonl").write_text("\n".join(lines), encoding="utf-8")
    result = invoke("run", tmp_path / "in.jsonl", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    documents = [json.loads(line) for line in (tmp_path / "out" / "documents.jsonl").read_text().splitlines()]
    assert sorted(d["doc"] for d in documents) == ["x\ufffd", "y"]
    assert "Broken \ufffd text." in documents[[d["doc"] for d in documents].index("x\ufffd")]["sentences"]


def test_escape_sequences_in_names_and_ids_never_reach_the_terminal_or_the_tsv(invoke, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    hostile = "\x1b]0;pwned\x07\x1b[31m"
    (folder / f"{hostile}.txt").write_bytes(b"\x89PNG\r\n\x1a\n")  # skipped, and the skip is printed
    records = [
        {"id": f"en{hostile}", "text": ARTICLE_EN, "lang": "en"},
        {"id": f"ru\x9b31m{hostile}", "text": ARTICLE_EN, "lang": "ru"},  # same text: aligned
    ]
    (folder / "docs.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    result = invoke("run", folder, "--out", tmp_path / "out", "--quiet")
    assert result.exit_code == 0, result.stderr
    assert "skipped" in result.stderr and "binary" in result.stderr
    printed = result.stdout + result.stderr
    assert not any(char in printed for char in "\x1b\x07\x9b")
    tsv = (tmp_path / "out" / "pairs" / "en-ru.tsv").read_text(encoding="utf-8")
    assert tsv.count("\n") > 1 and "\ufffd" in tsv
    assert not any(char in tsv for char in "\x1b\x07\x9b")
    stories = invoke("stories", folder, "--languages", "en,ru")
    assert not any(char in stories.stdout + stories.stderr for char in "\x1b\x07\x9b")


def test_a_bad_value_quoted_in_a_usage_error_is_made_safe(invoke, pile, tmp_path):
    result = invoke("run", pile, "--out", tmp_path / "o", "--max-bead", "\x1b]0;x\x07")
    assert result.exit_code == 2 and "\x1b" not in result.stderr
    gone = tmp_path / "\x1b]0;gone\x07"
    result = invoke("eval", gone, gone)  # click quotes a missing path as given
    assert result.exit_code == 2 and "\x1b" not in result.stderr and "gone" in result.stderr
    result = invoke("check", gone)  # and so does the command's own error
    assert result.exit_code == 1 and "\x1b" not in result.stderr and "gone" in result.stderr


def test_export_to_an_existing_file_or_a_read_only_place_is_one_line(invoke, finished_run, tmp_path):
    (tmp_path / "file").write_text("keep me")
    result = invoke("export", finished_run, "--format", "tmx", "--to", tmp_path / "file")
    assert result.exit_code == 1 and "not a folder" in one_error_line(result)
    assert (tmp_path / "file").read_text() == "keep me"
    read_only = Path("/sys/aligner-export-test/deeper")  # /sys refuses new folders, even to root
    result = invoke("export", finished_run, "--format", "tmx", "--to", read_only)
    assert result.exit_code == 1 and "could not export" in one_error_line(result)


def test_a_failed_export_leaves_no_empty_to_folder_and_no_temporary_file(
    invoke, finished_run, tmp_path, monkeypatch
):
    import errno

    def disk_full(path, text):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("aligner.export.tmx.write_text", disk_full)
    result = invoke("export", finished_run, "--format", "tmx", "--to", tmp_path / "new" / "deeper")
    assert result.exit_code == 1 and "No space left on device" in one_error_line(result)
    assert not (tmp_path / "new").exists()
    before = {p.name: p.read_bytes() for p in finished_run.iterdir() if p.is_file()}
    result = invoke("export", finished_run, "--format", "tmx")  # into the run folder itself
    assert result.exit_code == 1
    assert {p.name: p.read_bytes() for p in finished_run.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in finished_run.iterdir() if p.name.startswith(".")) == []


def test_a_cache_path_that_is_a_file_is_bypassed_with_a_warning(invoke, pile, tmp_path):
    (tmp_path / "cachefile").write_text("not a folder")
    result = invoke("run", pile, "--out", tmp_path / "out", "--cache", tmp_path / "cachefile")
    assert result.exit_code == 0, result.stderr
    assert "embedding cache not used" in result.stderr
    assert (tmp_path / "cachefile").read_text() == "not a folder"


def test_out_at_the_root_or_on_a_mount_point_is_refused_before_any_work(invoke, pile, tmp_path):
    result = invoke("run", pile, "--out", "/", "--force")
    assert result.exit_code == 1 and "root folder" in one_error_line(result)
    result = invoke("run", pile, "--out", "/proc", "--force")  # /proc is a mount point on Linux
    assert result.exit_code == 1 and "mount point" in one_error_line(result)
    assert not [name for name in os.listdir("/") if name.startswith((".proc.", "..old", "..tmp"))]


@pytest.mark.model
def test_a_truncated_model_is_one_line_not_a_success_with_the_pinned_hash(invoke, pile, tmp_path):
    copy = model_copy(tmp_path / "model", weights_bytes=1 << 20)  # 1 MB of weights, the rest intact
    result = invoke("run", pile, "--out", tmp_path / "out", "--model", copy)
    assert result.exit_code == 1
    assert "model.safetensors" in one_error_line(result) and "does not match the pin" in result.stderr
    assert not (tmp_path / "out").exists()


def test_ctrl_c_is_exit_130_in_one_line_and_the_previous_output_intact(
    invoke, finished_run, pile, monkeypatch
):
    before = {p.name: p.read_bytes() for p in finished_run.iterdir() if p.is_file()}

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("aligner.pipeline.align_stories", interrupted)  # Ctrl-C while aligning
    result = invoke("run", pile, "--out", finished_run, "--force", "--lang", "en=en", "--lang", "ru=ru")
    assert result.exit_code == 130
    assert result.stderr.strip().splitlines()[-1] == (
        "aligner: interrupted; no output was written, the previous output is intact"
    )
    assert {p.name: p.read_bytes() for p in finished_run.iterdir() if p.is_file()} == before


def test_the_installed_entry_point_gives_the_same_exit_codes(tmp_path):
    import subprocess
    import sys

    usage = subprocess.run(
        [
            sys.executable,
            "-m",
            "aligner.cli",
            "run",
            str(tmp_path),
            "--out",
            str(tmp_path / "o"),
            "--max-bead",
            "0",
        ],
        capture_output=True,
        text=True,
    )
    assert usage.returncode == 2 and "--max-bead" in usage.stderr and TRACEBACK not in usage.stderr
    unknown = subprocess.run(
        [sys.executable, "-m", "aligner.cli", "nonsense"], capture_output=True, text=True
    )
    assert unknown.returncode == 2 and "No such command" in unknown.stderr
    failed = subprocess.run(
        [sys.executable, "-m", "aligner.cli", "check", str(tmp_path)], capture_output=True, text=True
    )
    assert failed.returncode == 1 and len(failed.stderr.strip().splitlines()) == 1


def test_an_export_cleans_up_after_an_export_that_was_killed(invoke, finished_run):
    killed = finished_run / f".export.tmp-{2**22 + 7}-dead"  # no such process can be running
    (killed / "pairs").mkdir(parents=True)
    mark_temporary(killed)  # what a killed export leaves: its own marked folder
    (killed / "pairs" / "en-ru.tsv").write_text("half a fi")
    result = invoke("export", finished_run, "--format", "tsv")
    assert result.exit_code == 0, result.stderr
    assert not killed.exists()
    assert sorted(p.name for p in finished_run.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("value", ["../../x", '<img src=x onerror="alert(1)">'])
def test_check_refuses_a_language_that_is_not_a_code_like_run(invoke, tmp_path, value):
    (tmp_path / "t.tsv").write_text("1 file\t2 файла\n", encoding="utf-8")
    for option in ("--src-lang", "--tgt-lang"):
        result = invoke("check", tmp_path / "t.tsv", option, value)
        assert result.exit_code == 2 and "not a language code" in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--out", "/proc/x", "--force"], 1, "cannot write the output there"),
        (["--out", "in/result"], 2, "inside the input"),
        (["--out", "in", "--force"], 2, "is the input"),
        (["--engine", "ray", "--store", "in/en.txt", "--out", "out"], 2, "--store must be a folder"),
    ],
)
def test_run_refuses_a_bad_place_before_any_work(invoke, pile, tmp_path, args, code, message):
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    result = invoke("run", pile, *args)
    assert result.exit_code == code and message in one_error_line(result)
    assert "read" not in result.stderr  # refused before reading, encoding, aligning
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before
