"""Reviewer decisions: fingerprints, loading, and what happens to decisions that no longer match."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from aligner.bilingual.check import check_file
from aligner.bilingual.decisions import FORMAT, Decision, apply_decisions, load_decisions, unmatched_lines
from aligner.bilingual.inputs import to_report
from aligner.bilingual.languages import resolve_languages
from aligner.bilingual.read import read_raw
from aligner.errors import AlignerError


def _findings(tmp_path: Path, rows: list[tuple[str, str]]):
    path = tmp_path / "pairs.tsv"
    path.write_text("en\tru\n" + "".join(f"{a}\t{b}\n" for a, b in rows), encoding="utf-8")
    return [f for f in check_file(resolve_languages(read_raw(path))) if f.kind != "matched"]


def test_the_fingerprint_is_both_texts_and_the_finding(tmp_path: Path) -> None:
    (first,) = _findings(tmp_path, [("It costs 5 euros.", "Это стоит 6 евро.")])
    (same,) = _findings(tmp_path, [("Hello.", "Привет."), ("It costs 5 euros.", "Это стоит 6 евро.")])
    assert first.fingerprint == same.fingerprint and first.line != same.line  # moving a segment keeps it
    (edited,) = _findings(tmp_path, [("It costs 5 euros!", "Это стоит 6 евро.")])
    assert edited.finding_key == first.finding_key and edited.texts_hash != first.texts_hash


def test_accepted_findings_are_left_out_and_errors_kept(tmp_path: Path) -> None:
    findings = _findings(tmp_path, [("It costs 5 euros.", "Это стоит 6 евро."), ("7 cats", "8 кошек")])
    decisions = [Decision(findings[0].fingerprint, "accepted"), Decision(findings[1].fingerprint, "error")]
    applied = apply_decisions(findings, decisions)
    assert [f.decision for f in applied.findings] == ["accepted", "error"]
    assert to_report(applied.findings) == [applied.findings[1]]
    assert (applied.stale, applied.unknown, unmatched_lines(applied)) == ([], [], [])


def test_stale_and_unknown_decisions_are_listed(tmp_path: Path) -> None:
    (old,) = _findings(tmp_path, [("It costs 5 euros.", "Это стоит 6 евро.")])
    (new,) = _findings(tmp_path, [("It costs 5 euros!", "Это стоит 6 евро.")])
    stale = Decision(old.fingerprint, "accepted", old.file, old.segment, old.kind)
    unknown = Decision("0" * 16 + "-" + "1" * 16, "error", "other.po", "x", "missing")
    applied = apply_decisions([new], [stale, unknown])
    assert applied.findings == [new] and applied.stale == [(stale, new)] and applied.unknown == [unknown]
    lines = unmatched_lines(applied)
    assert len(lines) == 2 and "stale decision (accepted)" in lines[0] and "text changed" in lines[0]
    assert lines[1] == "unknown decision (error) on other.po segment x: no such missing finding now"


def test_decisions_file_round_trip(tmp_path: Path) -> None:
    decision = Decision("a" * 16 + "-" + "b" * 16, "accepted", "f.xlf", "tu1", "changed", {"en": ["5"]}, "ok")
    path = tmp_path / "decisions.json"
    path.write_text(json.dumps({"format": FORMAT, "decisions": [dataclasses.asdict(decision)]}), "utf-8")
    assert load_decisions(path) == [decision]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not a decisions file"),
        ('{"format": "other", "decisions": []}', "expected"),
        (json.dumps({"format": FORMAT, "decisions": {}}), "must be a list"),
        (json.dumps({"format": FORMAT, "decisions": [{"decision": "accepted"}]}), "no fingerprint"),
        (json.dumps({"format": FORMAT, "decisions": [{"fingerprint": "x", "decision": "maybe"}]}), "one of"),
    ],
)
def test_bad_decisions_files_are_one_line_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "decisions.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AlignerError, match=message) as caught:
        load_decisions(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"values": {"en": 5}}, '"values" must map'),
        ({"values": {"en": None}}, '"values" must map'),
        ({"values": [1, 2]}, '"values" must map'),
    ],
)
def test_badly_typed_values_are_one_line_errors(tmp_path: Path, record: dict, message: str) -> None:
    path = tmp_path / "decisions.json"
    document = {"format": FORMAT, "decisions": [{"fingerprint": "a-b", "decision": "accepted", **record}]}
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(AlignerError, match=message) as caught:
        load_decisions(path)
    assert str(path) in str(caught.value) and "decision 1" in str(caught.value)


def test_null_values_are_no_values(tmp_path: Path) -> None:
    path = tmp_path / "decisions.json"
    document = {"format": FORMAT, "decisions": [{"fingerprint": "a-b", "decision": "error", "values": None}]}
    path.write_text(json.dumps(document), encoding="utf-8")
    assert load_decisions(path) == [Decision("a-b", "error")]


def test_a_deeply_nested_decisions_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "decisions.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(AlignerError, match="nested too deeply"):
        load_decisions(path)


def test_a_finding_marked_both_accepted_and_error_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "decisions.json"
    marks = [{"fingerprint": "a-b", "decision": d} for d in ("accepted", "accepted", "error")]
    path.write_text(json.dumps({"format": FORMAT, "decisions": marks}), encoding="utf-8")
    with pytest.raises(AlignerError, match="decisions 1 and 3 mark the same finding both accepted and error"):
        load_decisions(path)
    path.write_text(json.dumps({"format": FORMAT, "decisions": marks[:2]}), encoding="utf-8")
    assert load_decisions(path) == [Decision("a-b", "accepted")]  # the same mark twice counts once


def test_decision_texts_carry_no_bidi_or_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "decisions.json"
    record = {
        "fingerprint": "a-b",
        "decision": "error",
        "note": "ok\u202etxt.exe\x1b[2J",
        "segment": "s\u2066",
    }
    path.write_text(json.dumps({"format": FORMAT, "decisions": [record]}), encoding="utf-8")
    (decision,) = load_decisions(path)
    assert decision.note == "ok\ufffdtxt.exe\ufffd[2J" and decision.segment == "s\ufffd"
