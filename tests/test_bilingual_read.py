"""Every bilingual format read by translate-toolkit: segment ids, lines, languages and their origin."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.bilingual.languages import base_language, resolve_languages
from aligner.bilingual.read import read_raw, sniff_format
from aligner.bilingual.segments import DEFAULT_SKIP, keep_checked
from aligner.errors import AlignerError

DATA = Path(__file__).parent / "data" / "bilingual"


def _read(name: str, src: str | None = None, tgt: str | None = None):
    return resolve_languages(keep_checked(read_raw(DATA / name), DEFAULT_SKIP), src, tgt)


def _shown(unit) -> dict[str, str]:
    return {lang: text.shown for lang, text in unit.texts.items()}


def test_xliff_1_2() -> None:
    found = _read("ui.xlf")
    assert (found.format, found.languages, found.untranslated) == ("XLIFF 1.2", ("en-US", "ru-RU"), 1)
    assert found.how == {"en-US": "file", "ru-RU": "file"}
    assert [(u.segment, u.line) for u in found.units] == [("tu1", 9), ("tu2", 13), ("tu3", 18), ("tu4", 22)]
    assert _shown(found.units[1])["ru-RU"].startswith('Нажмите <b class="k2">OK</b> в течение %1$s 30')


def test_sdlxliff_segments_are_the_mrk_of_each_trans_unit() -> None:
    found = _read("manual.sdlxliff")
    assert (found.format, found.languages) == ("SDLXLIFF", ("en-GB", "ar-SA"))
    assert [u.segment for u in found.units] == ["1", "2", "3"]
    assert _shown(found.units[1]) == {"en-GB": "Check it every 6 months.", "ar-SA": "افحصها كل 8 أشهر."}


def test_xliff_2() -> None:
    found = _read("app.xlf")
    assert (found.format, found.languages, found.untranslated) == ("XLIFF 2", ("en", "ur"), 1)
    assert [(u.segment, u.line) for u in found.units] == [("storage::s1", 7), ("trial::s1", 13)]
    assert _shown(found.units[0])["en"] == 'You have used <pc id="1">15 GB</pc> of <ph id="2"/>.'


def test_tmx_keeps_every_language_of_a_unit() -> None:
    found = _read("memory.tmx")
    assert found.languages == ("en-US", "ru-RU", "uk-UA", "ar-SA")
    assert [(u.segment, sorted(u.texts)) for u in found.units][1] == (
        "102",
        ["ar-SA", "en-US", "ru-RU", "uk-UA"],
    )
    assert _shown(found.units[0])["en-US"] == "The bridge is <b>1.2 km</b> long."


def test_po_plural_forms_and_header_language() -> None:
    found = _read("messages.po")
    assert found.format == "PO" and found.how["uk"] == "file" and found.untranslated == 1
    assert found.languages[0] == "en" and found.how["en"].startswith("detected")
    segments = [u.segment for u in found.units]
    assert segments[3:] == [
        "checkout | One payment [0]",
        "checkout | One payment [1]",
        "checkout | One payment [2]",
    ]
    assert [u.line for u in found.units] == [17, 22, 27, 31, 31, 31]  # where each entry starts
    assert _shown(found.units[5]) == {"en": "%d payments of 25&nbsp;EUR", "uk": "%d платежів по 25&nbsp;EUR"}


def test_tsv_with_a_header_of_language_codes() -> None:
    found = _read("glossary.tsv")
    assert (found.format, found.languages, found.how) == ("TSV", ("en", "ru"), {"en": "file", "ru": "file"})
    assert [(u.segment, u.line) for u in found.units] == [("line 2", 2), ("line 3", 3), ("line 4", 4)]


def test_csv_languages_from_the_flags_else_detected() -> None:
    detected = _read("cities.csv")
    assert detected.languages == ("en", "uk") and detected.how["uk"].startswith("detected")
    flagged = _read("cities.csv", "en-GB", "uk-UA")
    assert flagged.how == {"en-GB": "--src-lang", "uk-UA": "--tgt-lang"}
    assert _shown(flagged.units[3])["en-GB"] == 'Height 98 m, "tallest" since 2001'
    assert _read("ui.xlf", "de", "fr").how == {"en-US": "file", "ru-RU": "file"}  # the file wins


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.xlf", '<xliff version="1.2"><file><body><trans-unit', "not a readable XLIFF 1.2 file"),
        (
            "broken.tmx",
            "<tmx version='1.4'><body><tu><tuv><seg>1</seg></tuv></tu></body></tmx>",
            "without xml:lang",
        ),
        ("notes.txt", "hello", "not a bilingual file"),
    ],
)
def test_bad_files_are_one_line_errors(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AlignerError) as caught:
        read_raw(path)
    assert message in str(caught.value) and str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_formats_are_sniffed_from_content(tmp_path: Path) -> None:
    renamed = tmp_path / "export.xml"
    renamed.write_bytes((DATA / "memory.tmx").read_bytes())
    assert sniff_format(renamed) == "TMX"
    xliff2 = tmp_path / "strings.xliff"
    xliff2.write_bytes((DATA / "app.xlf").read_bytes())
    assert sniff_format(xliff2) == "XLIFF 2"


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("en-US", "en"),
        ("EN_us", "en"),
        ("urd", "ur"),
        ("ara", "ar"),
        ("pt-BR", "pt"),
        ("und", "und"),
        ("xx", "xx"),
    ],
)
def test_language_tags_become_the_reader_codes(tag: str, code: str) -> None:
    assert base_language(tag) == code


@pytest.mark.parametrize("name", ["empty.csv", "empty.tsv", "empty.po", "empty.xlf", "empty.tmx"])
def test_an_empty_file_is_one_line(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"")
    with pytest.raises(AlignerError, match="empty file"):
        read_raw(tmp_path / name)


def test_content_wins_over_the_name_however_long_the_prolog(tmp_path: Path) -> None:
    xliff = (DATA / "ui.xlf").read_text(encoding="utf-8")
    padded = xliff.replace("?>", "?><!--" + "x" * 5000 + "-->", 1)  # the root past the first 4 KB
    (tmp_path / "holds-xliff.tmx").write_text(padded, encoding="utf-8")
    assert read_raw(tmp_path / "holds-xliff.tmx").format == "XLIFF 1.2"
    (tmp_path / "holds-tmx.xlf").write_bytes((DATA / "memory.tmx").read_bytes())
    assert read_raw(tmp_path / "holds-tmx.xlf").format == "TMX"
    (tmp_path / "table.xlf").write_text("<html><body/></html>", encoding="utf-8")
    with pytest.raises(AlignerError, match="<html> root"):
        read_raw(tmp_path / "table.xlf")


def test_a_tmx_without_units_and_an_xliff_without_a_file_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "bare.xlf").write_text('<xliff version="1.2"/>', encoding="utf-8")
    with pytest.raises(AlignerError, match="not a readable XLIFF 1.2 file"):
        read_raw(tmp_path / "bare.xlf")
    (tmp_path / "blank.csv").write_text("\n\n", encoding="utf-8")
    assert read_raw(tmp_path / "blank.csv").units == []


def test_segment_ids_carry_no_bidi_or_control_characters(tmp_path: Path) -> None:
    table = tmp_path / "t.po"
    table.write_text('msgid "1 file\u202e"\nmsgstr "2 файла"\n', encoding="utf-8")
    (unit,) = read_raw(table).units
    assert unit.segment == "1 file\ufffd"
