"""`aligner check`'s options for what to skip and how sure a finding must be (issue 25)."""

from __future__ import annotations

import json
from pathlib import Path

from test_bilingual_segments import PO
from test_cli import aligner


def _po(tmp_path: Path) -> Path:
    path = tmp_path / "ru.po"
    path.write_text(PO, encoding="utf-8")
    return path


def test_fuzzy_and_obsolete_are_counted_then_checked_on_request(tmp_path: Path) -> None:
    path = _po(tmp_path)
    default = aligner("check", str(path), "--fail-on", "changed")
    assert default.returncode == 0, default.stderr
    assert "skipped: 2 metadata, 1 obsolete, 1 fuzzy" in default.stdout
    fuzzy = aligner("check", str(path), "--include-fuzzy", "--fail-on", "changed", "--jsonl")
    assert fuzzy.returncode == 3
    assert [json.loads(line)["segment"] for line in fuzzy.stdout.splitlines()] == ["Day 3: Afternoon"]
    every = aligner("check", str(path), "--include", "all", "--jsonl")
    segments = {json.loads(line)["segment"] for line in every.stdout.splitlines()}
    assert {"Day 3: Afternoon", "Page 4", "translator-credits"} <= segments


def test_a_status_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    result = aligner("check", str(_po(tmp_path)), "--skip", "exact,sealed")
    assert result.returncode == 2 and "--skip sealed: not a segment status" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_confidence_cut_changes_the_report_and_the_gate(tmp_path: Path) -> None:
    path = tmp_path / "memory.tmx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="en"/><body>'
        '<tu tuid="a"><tuv xml:lang="en"><seg>Level 1 is easy</seg></tuv>'
        '<tuv xml:lang="fi"><seg>Ykköstaso on helppo</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    default = aligner("check", str(path), "--fail-on", "missing")
    assert default.returncode == 0 and "1 finding(s) of lower confidence not shown" in default.stderr
    low = aligner("check", str(path), "--fail-on", "missing", "--min-confidence", "low")
    assert low.returncode == 3 and "low confidence: no profile for fi" in low.stdout
