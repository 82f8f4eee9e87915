"""One problem told once (issue 25): a number of a multilingual unit (class 10), and a table split
differently on the two sides (class 12)."""

from __future__ import annotations

from pathlib import Path

from test_bilingual_confidence import tmx_findings

from aligner.bilingual.check import check_file
from aligner.bilingual.inputs import to_report
from aligner.bilingual.languages import resolve_languages
from aligner.bilingual.read import read_raw

SIX = {
    "en": "The bridge opened in 2014 and is 120 metres long.",
    "de": "Die Brücke wurde 2014 eröffnet und ist 120 Meter lang.",
    "fr": "Le pont a ouvert en 2014 et mesure 120 mètres.",
    "ru": "Мост открыли в 2014 году, его длина 120 метров.",
    "uk": "Міст відкрили у 2014 році, його довжина 120 метрів.",
    "ar": "افتتح الجسر عام 2014 ويبلغ طوله 120 مترا.",
}


def test_a_number_one_language_changed_is_one_finding_naming_it(tmp_path: Path) -> None:
    unit = dict(SIX, uk="Міст відкрили у 2016 році, його довжина 120 метрів.")
    found = tmx_findings(tmp_path, [unit])
    assert len(found) == 1, [(f.docs, f.kind) for f in found]
    assert found[0].odd_one_out == "uk" and found[0].docs == ("en", "uk") and found[0].kind == "changed"
    assert "uk disagrees with en, de, fr, ru, ar" in found[0].message


def test_a_date_one_language_added_is_one_finding(tmp_path: Path) -> None:
    unit = dict(SIX, de="Die Brücke wurde am 3. Mai 2014 eröffnet und ist 120 Meter lang.")
    found = tmx_findings(tmp_path, [unit])
    assert len(found) == 1 and found[0].odd_one_out == "de" and found[0].kind == "added"
    assert found[0].values == {"en": [], "de": ["3"]} and found[0].docs == ("en", "de")


def test_two_languages_missing_a_number_are_named_together(tmp_path: Path) -> None:
    unit = dict(SIX, ru="Мост открыли в 2014 году.", uk="Міст відкрили у 2014 році.")
    found = tmx_findings(tmp_path, [unit])
    assert len(found) == 1 and found[0].kind == "missing" and found[0].odd_one_out == "ru, uk"


def test_a_bilingual_file_keeps_one_finding_per_pair(tmp_path: Path) -> None:
    found = tmx_findings(tmp_path, [{"en": "Pay 15 or 20", "ru": "Оплатите 16 или 21"}])
    assert len(found) == 2 and all(f.odd_one_out is None for f in found)


def _table(tmp_path: Path, whole: str) -> Path:
    rows = [
        ("City populations, thousands", "Население городов, тыс."),
        ("Moscow 12 655", whole),
        ("Kyiv 2 952", "Киев 2 952"),
        ("Minsk 1 996", "Минск 1 996"),
        ("Lviv 717", "Львов 717"),
        ("Source: statistics offices.", "Источник: статистические службы."),
    ]
    path = tmp_path / "table.csv"
    path.write_text("".join(f'"{s}","{t}"\n' for s, t in rows), encoding="utf-8")
    return path


def test_a_table_row_whose_target_holds_the_table_is_one_low_finding(tmp_path: Path) -> None:
    path = _table(tmp_path, "Москва 12 655 Киев 2 952 Минск 1 996 Львов 717")
    found = [f for f in check_file(resolve_languages(read_raw(path), "en", "ru")) if f.kind != "matched"]
    mine = [f for f in found if f.segment == "line 2"]
    assert len(mine) == 1, [(f.kind, f.values) for f in mine]
    assert mine[0].confidence == "low" and mine[0].message.startswith("Segmentation mismatch")
    assert to_report(found, min_confidence="medium") == []


def test_extra_figures_found_nowhere_near_stay_findings(tmp_path: Path) -> None:
    path = _table(tmp_path, "Москва 12 655, в 2023 году 13 104, рост 449")
    found = [f for f in check_file(resolve_languages(read_raw(path), "en", "ru")) if f.kind != "matched"]
    mine = [f for f in found if f.segment == "line 2"]
    assert mine and not any(f.message.startswith("Segmentation") for f in mine)
    assert any(f.confidence == "high" for f in mine)
