"""What a file says about a segment: skipped by default (fuzzy, obsolete, metadata, locked, untranslated)
or on request (exact, final), counted; tracked deletions never read (issue 25, classes 2-4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.bilingual.check import check_file
from aligner.bilingual.languages import resolve_languages
from aligner.bilingual.read import read_raw
from aligner.bilingual.segments import DEFAULT_SKIP, STATUSES, is_credit_slot, keep_checked, parse_statuses

PO = """msgid ""
msgstr ""
"Language: ru\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "translator-credits"
msgstr "Yuri Ivanov, 2012-2015"

#, fuzzy
msgid "Day 3: Afternoon"
msgstr "День 1: утро"

msgid "Wait 5 minutes"
msgstr "Подождите 5 минут"

#~ msgid "Page 4"
#~ msgstr "Страница 7"
"""

SDLXLIFF = """<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0" xmlns="urn:oasis:names:tc:xliff:document:1.2"
 version="1.2" sdl:version="1.0">
<file original="a.docx" source-language="en-US" target-language="ru-RU" datatype="x-sdlfilterframework2">
<body>
<trans-unit id="t1">
<source>Paragraph 3 applies.</source>
<seg-source><mrk mtype="seg" mid="1">Paragraph 3 applies.</mrk></seg-source>
<target><mrk mtype="seg" mid="1">Применяется пункт <mrk mtype="x-sdl-deleted">#5 </mrk><mrk
 mtype="x-sdl-added">3</mrk>.</mrk></target>
<sdl:seg-defs><sdl:seg id="1" conf="Translated" origin="interactive"/></sdl:seg-defs>
</trans-unit>
<trans-unit id="t2">
<source>Model 7</source>
<seg-source><mrk mtype="seg" mid="2">Model 7</mrk></seg-source>
<target><mrk mtype="seg" mid="2">Модель 8</mrk></target>
<sdl:seg-defs><sdl:seg id="2" conf="ApprovedSignOff" locked="true"/></sdl:seg-defs>
</trans-unit>
<trans-unit id="t3">
<source>Size 10</source>
<seg-source><mrk mtype="seg" mid="3">Size 10</mrk></seg-source>
<target><mrk mtype="seg" mid="3">Размер 11</mrk></target>
<sdl:seg-defs><sdl:seg id="3" conf="Translated" origin="tm" percent="100"
 text-match="SourceAndTarget"/></sdl:seg-defs>
</trans-unit>
</body></file></xliff>
"""

XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file source-language="en" target-language="uk" datatype="plaintext" original="x"><body>
<trans-unit id="a"><source>Step 2</source><target state="translated">Крок 3</target></trans-unit>
<trans-unit id="b" translate="no"><source>Code 4</source><target>Код 9</target></trans-unit>
<trans-unit id="c"><source>Item 5</source>
<target state="final" state-qualifier="exact-match">Пункт 6</target></trans-unit>
<trans-unit id="d"><source>Row 7</source><target state="needs-translation">Row 7x 8</target></trans-unit>
</body></file></xliff>
"""


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _checked(path: Path, skip: frozenset[str] = DEFAULT_SKIP):
    bilingual = resolve_languages(keep_checked(read_raw(path), skip))
    return bilingual, [f for f in check_file(bilingual) if f.kind != "matched"]


def test_po_header_credits_fuzzy_and_obsolete_are_skipped_and_counted(tmp_path: Path) -> None:
    bilingual, findings = _checked(_file(tmp_path, "ru.po", PO))
    assert [u.segment for u in bilingual.units] == ["Wait 5 minutes"]
    assert bilingual.skipped == {"metadata": 2, "fuzzy": 1, "obsolete": 1}
    assert findings == []


def test_po_fuzzy_and_obsolete_are_checked_when_included(tmp_path: Path) -> None:
    _, findings = _checked(_file(tmp_path, "ru.po", PO), DEFAULT_SKIP - {"fuzzy", "obsolete"})
    assert {(f.segment, f.kind) for f in findings} == {("Day 3: Afternoon", "changed"), ("Page 4", "changed")}


def test_sdlxliff_tracked_deletions_are_not_read_and_statuses_are_honoured(tmp_path: Path) -> None:
    path = _file(tmp_path, "a.sdlxliff", SDLXLIFF)
    bilingual, findings = _checked(path)
    assert bilingual.skipped == {"locked": 1}  # locked and signed off: counted once, as locked
    assert findings and all(f.segment == "3" for f in findings)  # "#5" was deleted: paragraph 3 matches
    _, with_exact = _checked(path, DEFAULT_SKIP | {"exact"})
    assert with_exact == []
    statuses = {u.segment: u.statuses for u in read_raw(path).units}
    assert statuses == {"1": frozenset(), "2": {"locked", "final"}, "3": {"exact"}}


def test_xliff_translate_no_state_and_match_qualifiers(tmp_path: Path) -> None:
    path = _file(tmp_path, "uk.xlf", XLIFF)
    statuses = {u.segment: u.statuses for u in read_raw(path).units}
    assert statuses == {"a": set(), "b": {"locked"}, "c": {"final", "exact"}, "d": {"untranslated"}}
    bilingual, findings = _checked(path)
    assert bilingual.skipped == {"locked": 1, "untranslated": 1}
    assert {f.segment for f in findings} == {"a", "c"}
    assert {f.segment for f in _checked(path, DEFAULT_SKIP | {"final"})[1]} == {"a"}


def test_omegat_translation_notice_is_metadata(tmp_path: Path) -> None:
    tmx = (
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.1"><header srclang="EN"/><body>'
        '<tu><tuv lang="EN"><seg>@TRANSLATION_NOTICE@</seg></tuv>'
        '<tuv lang="UK-UA"><seg>Перекладачі: Кость Іванцов © 2018-2019</seg></tuv></tu>'
        '<tu><tuv lang="EN"><seg>Version 4</seg></tuv><tuv lang="UK-UA"><seg>Версія 4</seg></tuv></tu>'
        "</body></tmx>"
    )
    bilingual, findings = _checked(_file(tmp_path, "p.tmx", tmx))
    assert bilingual.skipped == {"metadata": 1} and findings == []


@pytest.mark.parametrize(
    ("source", "context", "credit"),
    [
        ("translator-credits", "", True),
        ("translator_credits", "", True),
        ("@TRANSLATION_NOTICE@", "", True),
        ("Your names", "NAME OF TRANSLATORS", True),
        ("Credit Memo", "", False),
        ("Admin notice", "", False),
        ("Translate 3 pages", "", False),
    ],
)
def test_credit_slots(source: str, context: str, credit: bool) -> None:
    assert is_credit_slot(source, context) is credit


def test_statuses_are_checked_names() -> None:
    assert parse_statuses("exact, final", "--skip") == {"exact", "final"}
    assert parse_statuses("all", "--include") == frozenset(STATUSES)
    with pytest.raises(ValueError, match="--skip sealed: not a segment status"):
        parse_statuses("exact,sealed", "--skip")


def test_memoq_locked_and_match_percent_on_the_unit(tmp_path: Path) -> None:
    mq = XLIFF.replace(
        '<trans-unit id="a">', '<trans-unit id="a" xmlns:mq="urn:mq" mq:locked="locked" mq:percent="101">'
    )
    statuses = {u.segment: u.statuses for u in read_raw(_file(tmp_path, "mq.xlf", mq)).units}
    assert statuses["a"] == {"locked", "exact"}
