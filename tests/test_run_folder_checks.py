"""A run folder read back by ``export`` and ``check`` is checked whole, not line by line: against the
manifest's counts and record digests and the ``-of-N`` shard names; no NaN, infinity, huge number or lone
surrogate gets past the reader. Damage is one line and exit 1, never partial output or "internal error"."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from engine_helpers import pile_options, write_pile

from aligner.cli import cli
from aligner.embedding.embedder import Embedder
from aligner.errors import AlignerError
from aligner.export import load_run, write_format
from aligner.export.records import DIGESTS
from aligner.pipeline import run
from aligner.testing import HashingEncoder


def make_run(tmp_path: Path, shard_units: int = 200_000) -> Path:
    ids = write_pile(tmp_path / "in", stories=2)
    options = dataclasses.replace(pile_options(ids), shard_units=shard_units)
    out = tmp_path / "run"
    run([tmp_path / "in"], out, Embedder(HashingEncoder(), None, progress=False), options, resume=False)
    return out


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory) -> Path:
    return make_run(tmp_path_factory.mktemp("clean"))


@pytest.fixture
def run_dir(clean_run, tmp_path) -> Path:
    import shutil

    return Path(shutil.copytree(clean_run, tmp_path / "run"))


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def _edit_unit(run_dir: Path, change) -> None:
    path = run_dir / "alignments.jsonl"
    lines = _lines(path)
    record = json.loads(lines[0])
    change(record)
    lines[0] = json.dumps(record) + "\n"  # ASCII: a lone surrogate as an escape, as an editor would write it
    path.write_text("".join(lines), encoding="utf-8")


def _without_digests(run_dir: Path) -> None:
    """The manifest's digests removed too: the reader's own checks must catch the damage."""
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest.pop(DIGESTS)
    (run_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _raw_score(text: str):
    def change(run_dir: Path) -> None:
        path = run_dir / "alignments.jsonl"
        lines = _lines(path)
        record = json.loads(lines[0])
        record["score"] = "SCORE"
        lines[0] = json.dumps(record, ensure_ascii=False).replace('"SCORE"', text) + "\n"
        path.write_text("".join(lines), encoding="utf-8")

    return change


def _first_text(record: dict) -> dict:
    return next(iter(record["segments"].values()))


DAMAGE = {
    "cut to whole lines": (
        lambda d: (d / "alignments.jsonl").write_text("".join(_lines(d / "alignments.jsonl")[:-2])),
        "units where the manifest counts",
    ),
    "emptied": (lambda d: (d / "alignments.jsonl").write_text(""), "units where the manifest counts"),
    "findings cut": (
        lambda d: (d / "numbers.jsonl").write_text("".join(_lines(d / "numbers.jsonl")[:-1])),
        "numbers.jsonl",
    ),
    "a NaN score": (_raw_score("NaN"), "not a finite number"),
    "an infinite score": (_raw_score("Infinity"), "not a finite number"),
    "a unit number of 10**30": (lambda d: _edit_unit(d, lambda r: r.update(unit=10**30)), "out of range"),
    "a sentence number of 10**30": (
        lambda d: _edit_unit(d, lambda r: _first_text(r).update(sentences=[10**30])),
        "out of range",
    ),
    "a lone surrogate": (
        lambda d: _edit_unit(d, lambda r: _first_text(r).update(text="\ud800")),
        "lone surrogate",
    ),
    "an edited text": (
        lambda d: _edit_unit(d, lambda r: _first_text(r).update(text="Edited.")),
        "not its sentences",
    ),
    "a unit of the wrong language": (
        lambda d: _edit_unit(d, lambda r: _first_text(r).update(lang="xx")),
        "not its sentences",
    ),
}


@pytest.mark.parametrize("digests", [True, False], ids=["with digests", "digests removed"])
@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_run_folder_is_refused_in_one_line(run_dir, damage, digests):
    change, message = DAMAGE[damage]
    change(run_dir)
    if not digests:
        _without_digests(run_dir)
    with pytest.raises(AlignerError, match="the run folder is damaged") as error:
        load_run(run_dir)
    text = str(error.value)
    assert "\n" not in text
    assert message in text or (digests and "sha256 differs" in text), text


@pytest.mark.parametrize(
    "damage", ["cut to whole lines", "a NaN score", "a unit number of 10**30", "a lone surrogate"]
)
@pytest.mark.parametrize(
    "command", [["export", "--format", "parquet"], ["export", "--format", "tmx"], ["check"]]
)
def test_export_and_check_refuse_a_damaged_run_folder(run_dir, damage, command):
    DAMAGE[damage][0](run_dir)
    _without_digests(run_dir)
    before = sorted(p.name for p in run_dir.iterdir())
    args = [*command[:1], str(run_dir), *command[1:]]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "damaged" in lines[0] and "internal error" not in lines[0], result.stderr
    assert sorted(p.name for p in run_dir.iterdir()) == before  # nothing written


def test_a_clean_run_folder_reads_back_whole(clean_run):
    result = load_run(clean_run)
    manifest = json.loads((clean_run / "manifest.json").read_text())
    assert len(result.units) == manifest["counts"]["units"] > 0
    assert set(manifest[DIGESTS]) == {"documents.jsonl", "stories.json", "alignments.jsonl", "numbers.jsonl"}
    done = CliRunner().invoke(cli, ["check", str(clean_run)])
    assert done.exit_code == 0, done.output


@pytest.fixture(scope="module")
def sharded_run(tmp_path_factory) -> Path:
    return make_run(tmp_path_factory.mktemp("sharded"), shard_units=4)


def test_a_missing_or_misnamed_shard_is_refused(sharded_run, tmp_path):
    import shutil

    shards = sorted(sharded_run.glob("alignments-*-of-*.jsonl"))
    assert len(shards) >= 3 and load_run(sharded_run).units
    for damage, message in (
        (lambda d, s: (d / s[1].name).unlink(), "missing: "),
        (lambda d, s: (d / s[-1].name).unlink(), "missing: "),
        (
            lambda d, s: (d / s[1].name).rename(d / s[1].name.replace("-of-0", "-of-9")),
            "disagree",
        ),
        (lambda d, s: (d / "alignments.jsonl").write_text(""), "beside alignment shards"),
        (lambda d, s: (d / s[0].name).write_text(""), "alignment shards"),
    ):
        copy = Path(shutil.copytree(sharded_run, tmp_path / f"copy{len(list(tmp_path.iterdir()))}"))
        damage(copy, shards)
        with pytest.raises(AlignerError, match=message):
            load_run(copy)
        _without_digests(copy)
        with pytest.raises(AlignerError, match=message):
            load_run(copy)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_no_output_is_written_with_a_non_finite_score(clean_run, tmp_path, value):
    result = load_run(clean_run)
    result.units[0] = dataclasses.replace(result.units[0], score=value)
    for fmt in ("tmx", "tsv", "jsonl", "parquet"):
        with pytest.raises(AlignerError, match="a score of"):
            write_format(result, tmp_path / fmt, fmt)
        assert not (tmp_path / fmt).exists() or not any((tmp_path / fmt).rglob("*.*"))


def test_a_jsonl_re_export_into_a_sharded_run_keeps_its_layout_and_bytes(sharded_run, tmp_path):
    import shutil

    run_dir = Path(shutil.copytree(sharded_run, tmp_path / "run"))
    before = {p.name: p.read_bytes() for p in run_dir.iterdir() if p.is_file()}
    done = CliRunner().invoke(cli, ["export", str(run_dir), "--format", "jsonl"])
    assert done.exit_code == 0, done.output
    assert {p.name: p.read_bytes() for p in run_dir.iterdir() if p.is_file()} == before
    assert load_run(run_dir).units == load_run(sharded_run).units
