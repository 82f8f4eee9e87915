"""Findings located in files: the source side first, numbers as written with their markup."""

from __future__ import annotations

from pathlib import Path

from aligner.bilingual.check import check_file
from aligner.bilingual.languages import resolve_languages
from aligner.bilingual.read import read_raw

DATA = Path(__file__).parent / "data" / "bilingual"


def _problems(path: Path):
    return [f for f in check_file(resolve_languages(read_raw(path))) if f.kind != "matched"]


def test_missing_and_added_are_seen_from_the_source(tmp_path: Path) -> None:
    """The check pairs "ar" before "en"; a number the Arabic translation drops is still "missing"."""
    path = tmp_path / "en-ar.tsv"
    path.write_text(
        "en\tar\nIt costs 5 euros and 7 cents.\tيكلف 5 يورو.\nIt costs 5 euros.\tيكلف 5 يورو و 9 سنتات.\n",
        encoding="utf-8",
    )
    dropped, extra = _problems(path)
    assert (dropped.kind, dropped.docs, dropped.values) == ("missing", ("en", "ar"), {"en": ["7"], "ar": []})
    assert (extra.kind, extra.docs, extra.values) == ("added", ("en", "ar"), {"en": [], "ar": ["9"]})
    assert dropped.message == "'7' (7, quantity) in en has no counterpart in ar."


def test_values_and_marks_are_in_the_text_as_written() -> None:
    (finding,) = _problems(DATA / "ui.xlf")
    assert finding.segment == "tu3" and finding.values == {"en-US": ["5"], "ru-RU": ["7"]}
    (sdl,) = _problems(DATA / "manual.sdlxliff")
    assert sdl.docs == ("en-GB", "ar-SA") and sdl.marked["ar-SA"] == "افحصها كل [[8]] أشهر."


def test_a_number_split_by_formatting_is_shown_with_its_tags(tmp_path: Path) -> None:
    path = tmp_path / "split.xlf"
    path.write_text(
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="x" '
        'source-language="en" target-language="ru" datatype="html"><body><trans-unit id="a">'
        '<source>Only <g id="1">1</g>50 left</source><target>Осталось всего 105</target>'
        "</trans-unit></body></file></xliff>",
        encoding="utf-8",
    )
    (finding,) = _problems(path)
    assert finding.kind == "changed" and finding.values["en"] == ['<g id="1">1</g>50']
    assert finding.marked["en"] == 'Only [[<g id="1">1</g>50]] left'


def test_a_changed_number_is_told_from_the_source_side(tmp_path: Path) -> None:
    """The check pairs "ar" before "en"; the message of a flipped finding says what the source had."""
    from test_bilingual_confidence import tmx_findings

    found = tmx_findings(tmp_path, [{"en": "Custom Email 2", "ar": "البريد الإلكتروني المخصص 1"}])
    assert [(f.docs, f.kind) for f in found] == [(("en", "ar"), "changed")]
    assert found[0].message.startswith("'2' (2) in en became '1' (1) in ar")
