"""Inline tags, placeholders and entities are shown as written and never read as numbers."""

from __future__ import annotations

import pytest
from lxml import etree

from aligner.bilingual.markup import inline, plain
from aligner.numbers import read_numbers

XLIFF = "urn:oasis:names:tc:xliff:document:1.2"


def _read(masked, lang="en") -> list[float]:
    return [n.values[0] for n in read_numbers(masked.read, lang) if n.kind != "code"]


def _element(xml: str):
    return etree.fromstring(f'<source xmlns="{XLIFF}">{xml}</source>')


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("Delete %d files older than 30 days", [30.0]),
        ("Item %1$s of %2$s: %3$d left", []),
        ("Hello %(name)s, you have 5 messages", [5.0]),
        ("Page {0} of {1}, {count} items, {{total}} in 2 rows", [2.0]),
        ("{count, plural, =0 {no files} one {# file} other {# files}} in 3 folders", [3.0]),
        ("{n, plural, one {# file in 2 folders} other {# files}}", [2.0]),
        ("Select {gender, select, male {he} other {they}} 7 times", [7.0]),
        ("Qt style %1 and %2 of 12", [12.0]),
        ("<b>45</b> kg <br/> <a href='/p/99'>link</a>", [45.0]),
        ("@@id42@@ costs 8", [8.0]),
    ],
)
def test_digits_in_placeholders_are_never_read(text, numbers) -> None:
    masked = plain(text)
    assert masked.shown == text
    assert _read(masked) == numbers


def test_text_percent_signs_are_not_printf() -> None:
    assert [n.kind for n in read_numbers(plain("20% off today").read, "en")] == ["percent"]
    french = plain("50 % des ventes")
    assert french.read == "50 % des ventes"
    assert plain("50%% done").read == "50%% done"


def test_an_entity_reads_as_its_character() -> None:
    masked = plain("Total: 10&nbsp;000 and 7&#160;% more, &amp;x3")
    assert _read(masked, "ru")[:2] == [10000.0, 7.0]
    start = masked.read.index("10")
    span = masked.shown_span(start, start + len("10\u00a0000"))
    assert masked.shown[slice(*span)] == "10&nbsp;000"


def test_inline_tags_are_shown_and_masked() -> None:
    masked = inline(
        _element(
            'Save <g id="1">2<g id="2">0</g>%</g> on <x id="3"/>3 items '
            '<bpt id="4">&lt;b id="44"&gt;</bpt>now<ept id="4">&lt;/b&gt;</ept> <ph id="5">{0}</ph> '
            '<it id="6" pos="open">&lt;i n="9"&gt;</it>'
        )
    )
    assert masked.shown == (
        'Save <g id="1">2<g id="2">0</g>%</g> on <x id="3"/>3 items <b id="44">now</b> {0} <i n="9">'
    )
    assert "44" not in masked.read and "9" not in masked.read and "{0}" not in masked.read
    numbers = read_numbers(masked.read, "en")
    assert [(n.values[0], n.kind) for n in numbers] == [(20.0, "percent"), (3.0, "quantity")]
    first = numbers[0]
    assert masked.shown[slice(*masked.shown_span(first.start, first.end))] == '2<g id="2">0</g>%'


def test_xliff2_and_pretty_printed_layout() -> None:
    element = etree.fromstring(
        '<source xmlns="urn:oasis:names:tc:xliff:document:2.0">\n   Up to <pc id="1">15</pc> users'
        '<ph id="2"/>\n   <sc id="3"/>for 3 days<ec startRef="3"/>\n</source>'
    )
    masked = inline(element)
    assert masked.shown == 'Up to <pc id="1">15</pc> users<ph id="2"/> <sc id="3"/>for 3 days<ec/>'
    assert _read(masked) == [15.0, 3.0]
    assert len(masked.origin) == len(masked.read) + 1


@pytest.mark.parametrize(
    ("xml", "read"),
    [
        ('£<x id="1"/>125m', "£125m"),  # a code between a sign and its number keeps them together
        ('-<bpt id="1">&lt;b&gt;</bpt>13<ept id="1">&lt;/b&gt;</ept>', "-13"),
        ('Step<x id="1"/>3', "Step 3"),  # between a word and a number it is a word boundary
        ('5<ph id="1">&lt;br/&gt;</ph>6', "5 6"),
        ("Wait %d seconds", "Wait  seconds"),
    ],
)
def test_a_code_reads_as_a_boundary_only_between_letters_or_digits(xml: str, read: str) -> None:
    assert inline(_element(xml)).read == read


def test_icu_branches_read_as_text() -> None:
    masked = plain("{n, plural, one {# item in 2 rows} other {# items in 3 rows}} left")
    assert masked.read.split() == "item in 2 rows items in 3 rows left".split()
