"""`aligner check` end to end on every format: outputs, exit codes, run folders, and no model loaded."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli import aligner
from test_export import hostile_run

from aligner.cli.exits import EXIT_FINDINGS
from aligner.export import load_run
from aligner.numbers import FINDING_KINDS, check_units
from aligner.pipeline import write_run

DATA = Path(__file__).parent / "data" / "bilingual"
FILES = sorted(str(path) for path in DATA.iterdir())
SEEDED = {  # the errors written into the sample files: (file, segment) -> kind
    ("app.xlf", "trial::s1"): "changed",
    ("cities.csv", "line 5"): "changed",
    ("glossary.tsv", "line 3"): "changed",
    ("manual.sdlxliff", "2"): "changed",
    ("memory.tmx", "102"): "changed",
    ("messages.po", "Free delivery on orders over %(amount)s, or 10% off today"): "changed",
    ("ui.xlf", "tu3"): "changed",
}


def _records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_every_format_finds_exactly_the_seeded_errors() -> None:
    result = aligner("check", *FILES, "--jsonl")
    assert result.returncode == 0, result.stderr
    found = _records(result.stdout)
    assert {(Path(r["file"]).name, r["segment"]): r["kind"] for r in found} == SEEDED
    tmx = [r for r in found if r["file"].endswith("memory.tmx")]
    # one finding for the number, naming the odd language, not one per pair of four languages (issue 25)
    assert len(tmx) == 1 and tmx[0]["odd_one_out"] == "uk-UA" and "uk-UA" in tmx[0]["docs"]
    for record in found:
        assert record["line"] and record["fingerprint"] and set(record["texts"]) == set(record["docs"])
    po = next(r for r in found if r["file"].endswith(".po"))
    assert po["values"] == {"en": ["10%"], "uk": ["15%"]} and po["line"] == 17


def test_terminal_report_names_languages_and_where_they_came_from() -> None:
    result = aligner("check", str(DATA / "messages.po"), str(DATA / "ui.xlf"))
    assert result.returncode == 0
    assert "messages.po  PO · 6 units · languages en (detected" in result.stdout
    assert "uk (file)" in result.stdout and "en-US (file), ru-RU (file)" in result.stdout
    assert "ui.xlf:18 [tu3] error changed" in result.stdout and "[[5]]" in result.stdout


def test_fail_on_gates_the_exit_code(tmp_path: Path) -> None:
    assert EXIT_FINDINGS not in (0, 1, 2, 130)
    assert aligner("check", *FILES).returncode == 0  # findings, but no gate
    assert aligner("check", *FILES, "--fail-on", "missing,changed").returncode == EXIT_FINDINGS
    assert aligner("check", *FILES, "--fail-on", "added").returncode == 0
    clean = tmp_path / "clean.tsv"
    clean.write_text("en\tru\nIt costs 5 euros.\tЭто стоит 5 евро.\n", encoding="utf-8")
    assert aligner("check", str(clean), "--fail-on", ",".join(list(FINDING_KINDS)[1:])).returncode == 0
    wrong = aligner("check", str(clean), "--fail-on", "changed,typo")
    assert wrong.returncode == 2 and "typo" in wrong.stderr and "Traceback" not in wrong.stderr


def test_json_and_csv_files(tmp_path: Path) -> None:
    result = aligner(
        "check", *FILES, "--json", str(tmp_path / "f.json"), "--csv", str(tmp_path / "f.csv"), "--jsonl"
    )
    assert result.returncode == 0
    document = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))
    assert len(document["findings"]) == len(SEEDED)  # the TMX unit's number: one finding (issue 25)
    assert {Path(item["label"]).name: item["format"] for item in document["inputs"]}[
        "manual.sdlxliff"
    ] == "SDLXLIFF"
    rows = list(csv.DictReader(io.StringIO((tmp_path / "f.csv").read_text(encoding="utf-8"))))
    assert len(rows) == len(document["findings"])
    tsv = next(row for row in rows if row["file"].endswith("glossary.tsv"))
    assert (tsv["segment"], tsv["kind"], tsv["values_a"], tsv["values_b"]) == (
        "line 3",
        "changed",
        "1852",
        "1825",
    )
    assert (tsv["text_a"], tsv["text_b"]) == ("It opened in 1852.", "Он открылся в 1825 году.")


def test_bad_inputs_are_one_line_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlf"
    broken.write_text("<xliff version='1.2'><file>", encoding="utf-8")
    for args in ([str(broken)], [str(tmp_path / "missing.po")], [str(tmp_path)]):
        result = aligner("check", *args)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_a_run_folder_is_checked_as_before(tmp_path: Path) -> None:
    run = hostile_run()
    write_run(run, tmp_path / "out")
    listing = aligner("check", str(tmp_path / "out"))
    assert listing.returncode == 0
    expected = [  # what `check OUTDIR` always printed
        f"{f.story_id}#{f.unit}\t{f.severity}\t{f.kind}\t{f.message}"
        for f in check_units(load_run(tmp_path / "out").units)
        if f.kind != "matched"
    ]
    assert expected and listing.stdout.splitlines() == expected
    records = _records(aligner("check", str(tmp_path / "out"), "--json").stdout)
    always = [  # what `check OUTDIR --json` always printed, each record now with more fields
        json.loads(json.dumps(dataclasses.asdict(f)))
        for f in check_units(load_run(tmp_path / "out").units)
        if f.kind != "matched"
    ]
    keys = list(always[0])
    assert [{key: record[key] for key in keys} for record in records] == always
    page = tmp_path / "run.html"
    assert aligner("check", str(tmp_path / "out"), "--html", str(page)).returncode == 0
    aligned = {u.story_id for u in run.units if len(u.segments) >= 2}  # a lone document has no table
    assert page.read_text(encoding="utf-8").count('<section class="file story"') == len(aligned)
    mixed = aligner("check", str(tmp_path / "out"), str(DATA / "ui.xlf"), "--jsonl")
    assert {Path(r["file"]).name for r in _records(mixed.stdout)} == {"out", "ui.xlf"}


def test_no_embedding_model_is_loaded_for_files() -> None:
    code = (
        "import sys\nfrom aligner import cli\n"
        f"sys.argv = ['aligner', 'check', *{FILES!r}, '--jsonl']\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('torch', 'sentence_transformers', 'faiss')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.stderr.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("flag", ["--src-lang", "--tgt-lang"])
def test_language_flags_are_used_when_the_file_says_nothing(flag: str) -> None:
    result = aligner("check", str(DATA / "cities.csv"), flag, "xx", "--json", "-")
    assert result.returncode == 0
    assert "xx" in {lang for record in _records(result.stdout) for lang in record["docs"]}
