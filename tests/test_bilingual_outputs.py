"""What `check` writes (aligner/bilingual/outputs.py): the CSV a spreadsheet opens runs no formula and
carries no control character; ids with bidi controls are shown neutralised."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from aligner.cli import cli
from aligner.safe import spreadsheet_cell

HOSTILE = '=HYPERLINK("http://evil.example","12")\x1b[2J\x07'


def test_check_csv_neutralises_formulas_and_controls(tmp_path: Path) -> None:
    table = tmp_path / "t.tsv"
    table.write_text(f"en\tru\n{HOSTILE} files\t@SUM(1) 13 файлов\x1b]0;x\x07\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(table), "--csv", str(tmp_path / "r.csv")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "r.csv").read_text(encoding="utf-8")
    assert "\x1b" not in text and "\x07" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values()), row
        assert row["text_a"].startswith("'=HYPERLINK") and row["text_b"].startswith("'@SUM")


def test_spreadsheet_cells() -> None:
    assert spreadsheet_cell("=1+1") == "'=1+1"
    assert spreadsheet_cell("-2+3") == "'-2+3" and spreadsheet_cell("\tx") == "'\tx"
    assert spreadsheet_cell("-5") == "-5" and spreadsheet_cell("+1,200.50") == "+1,200.50"
    assert spreadsheet_cell("a\x00b\x1b") == "a\ufffdb\ufffd" and spreadsheet_cell("plain") == "plain"


def test_check_terminal_text_and_ids_carry_no_bidi_override(tmp_path: Path) -> None:
    po = tmp_path / "m.po"
    po.write_text('msgid "id\u202e 12 files"\nmsgstr "13 \u2067файлов"\n', encoding="utf-8")
    languages = ["--src-lang", "en", "--tgt-lang", "ru"]
    shown = CliRunner().invoke(cli, ["check", str(po), *languages])
    assert shown.exit_code == 0 and "\ufffd" in shown.output, shown.output
    assert "\u202e" not in shown.output and "\u2067" not in shown.output
    lines = CliRunner().invoke(
        cli, ["check", str(po), *languages, "--jsonl", "--csv", str(tmp_path / "r.csv")]
    )
    (record,) = [json.loads(line) for line in lines.stdout.splitlines()]
    assert record["segment"] == "id\ufffd 12 files"  # the id; JSON keeps the texts as data
    table = (tmp_path / "r.csv").read_text(encoding="utf-8")
    assert "\u202e" not in table and "\u2067" not in table
