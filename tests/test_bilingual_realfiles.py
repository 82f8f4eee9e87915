"""`aligner check` end to end on one real file of every format (issue 25), read in place from the shared
set of public localisation files (../shared/data/catfiles beside the clone; SOURCES.md there)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from test_cli import aligner

from aligner.bilingual import check_paths
from aligner.bilingual.confidence import at_least

ROOT = Path(__file__).resolve().parents[1]
CATFILES = Path(os.environ.get("ALIGNER_CATFILES") or ROOT.parent / "shared" / "data" / "catfiles")

pytestmark = pytest.mark.skipif(
    not (CATFILES / "SOURCES.md").is_file(),
    reason=f"the real CAT files are not at {CATFILES} (set ALIGNER_CATFILES to their folder)",
)


def _reported(name: str):
    outcome = check_paths([CATFILES / name])
    found = [f for f in outcome.findings if f.kind != "matched" and at_least(f.confidence, "medium")]
    return outcome.inputs[0], found


def _where(findings) -> set[tuple[str, str, tuple[str, ...]]]:
    return {(f.segment[:30], f.kind, tuple(v for side in f.docs for v in f.values[side])) for f in findings}


def test_po_gnumeric_uk() -> None:
    item, found = _reported("gnumeric_functions-uk.po")
    assert item.format == "PO" and item.skipped["obsolete"] == 317 and item.skipped["metadata"] == 1
    assert ("If @{method} is 21 or 150, the", "changed", ("21", "11")) in _where(found)
    assert not any(f.segment.startswith("The 1-argument") for f in found)  # "Одноаргументна": low


def test_po_fuzzy_entries_are_left_out_unless_included() -> None:
    item, _ = _reported("comprehensiverust_ar.po")
    assert item.skipped["fuzzy"] == 50
    outcome = check_paths([CATFILES / "comprehensiverust_ar.po"], skip=frozenset({"metadata"}))
    assert any(f.segment == "Day 3: Afternoon" for f in outcome.findings)  # a fuzzy entry's slip


def test_xliff_1_2_symfony_ur() -> None:
    item, found = _reported("symfonyform_validators-ur.xlf")
    assert (item.format, item.units) == ("XLIFF 1.2", 33)
    assert _where(found) == {("99", "code", ("HTML5",))}


def test_xliff_2_koillection_ru() -> None:
    item, found = _reported("koillection_messages-ru.xlf")
    assert item.format == "XLIFF 2" and item.units == 598
    assert len(found) == 3 and {f.kind for f in found} == {"added"}  # a literal 1 in the ICU "one" branch


def test_xliff_2_with_one_language_named_for_both_sides() -> None:
    item, found = _reported("bolt_security-ru.xlf")
    assert item.languages["en"].startswith("detected") and item.units == 17 and found == []


def test_sdlxliff_supervertaler_nl() -> None:
    item, found = _reported("supervertaler_docx-test-nl.sdlxliff")
    assert (item.format, item.units) == ("SDLXLIFF", 54) and found == []


def test_tmx_omegat_ru_notice_is_metadata() -> None:
    item, found = _reported("omegatl10n_ru-project.tmx")
    assert item.format == "TMX" and item.skipped == {"metadata": 1} and item.untranslated == 1
    assert not any("2014" in v for f in found for vs in f.values.values() for v in vs)  # the notice's years


def test_csv_magento_columns_are_source_then_target() -> None:
    item, found = _reported("magento2langar_ar-sa.csv")
    assert item.format == "CSV" and list(item.languages) == ["en", "ar"]
    assert ("line 4965", "changed", ("2", "1")) in _where(found)
    assert ("line 15", "added", ("1%",)) in _where(found)  # %1 turned into 1%


def test_cli_on_real_files_reports_the_cut_and_carries_everything_in_json(tmp_path: Path) -> None:
    out = tmp_path / "found.json"
    files = [str(CATFILES / name) for name in ("magento2langar_ar-sa.csv", "gnumeric_functions-ru.po")]
    result = aligner("check", *files, "--json", str(out))
    assert result.returncode == 0, result.stderr
    assert "of lower confidence not shown (--min-confidence low shows them)" in result.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    records = document["findings"]
    assert document["min_confidence"] == "medium" and {r["confidence"] for r in records} >= {"high", "low"}
    shown = [r for r in records if r["reported"]]
    assert shown and all(r["confidence"] != "low" for r in shown)
    assert f"{len(shown)} finding(s)" in result.stderr
    gated = aligner("check", *files, "--fail-on", "changed")
    assert gated.returncode == 3
    low_only = aligner("check", files[1], "--fail-on", "missing", "--min-confidence", "high")
    assert low_only.returncode == 0  # base-2 logarithms: low confidence, below the cut, do not gate
