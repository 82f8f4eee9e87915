"""Roman numerals (aligner/numbers/read_roman.py): read where they stand as numbers, nowhere else."""

from __future__ import annotations

import pytest
from number_helpers import problems

from aligner.numbers import read_numbers
from aligner.numbers.read_roman import roman_value


def values(text: str, lang: str) -> list[tuple[str, float, str]]:
    return [(n.text, n.values[0], n.kind) for n in read_numbers(text, lang) if n.kind != "code"]


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("XXI", 21),
        ("XIX", 19),
        ("IV", 4),
        ("MCMXC", 1990),
        ("ХХI", 21),
        ("ІІ", 2),
        ("IIII", None),
        ("VX", None),
    ],
)
def test_roman_value(word, value):  # ХХI with Cyrillic Х, ІІ with Ukrainian І
    assert roman_value(word) == value


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("в XXI веке", "ru", [("XXI", 21.0, "ordinal")]),
        ("у XXI столітті", "uk", [("XXI", 21.0, "ordinal")]),
        ("в ХХ в.", "ru", [("ХХ", 20.0, "ordinal")]),  # Cyrillic Х, abbreviated век
        ("у XVI–XIX ст.", "uk", [("XVI", 16.0, "range"), ("XIX", 19.0, "range")]),
        ("в XX-м веке", "ru", [("XX", 20.0, "ordinal")]),
        ("в XIX – XX вв.", "ru", [("XIX", 19.0, "range"), ("XX", 20.0, "range")]),  # spaced dash
        ("в конце XIX — начале XX века", "ru", [("XIX", 19.0, "ordinal"), ("XX", 20.0, "ordinal")]),
        ("Queen Elizabeth II", "en", [("II", 2.0, "ordinal")]),
        ("при Петре I", "ru", [("I", 1.0, "ordinal")]),
        ("after World War I", "en", [("I", 1.0, "ordinal")]),
        ("Phase III trials", "en", [("III", 3.0, "ordinal")]),
    ],
)
def test_roman_numerals_in_context_are_read(text, lang, expected):
    # (Ukrainian століття, "century", is also read: a soft 100, сто + літ "hundred years")
    assert [r for r in values(text, lang) if not r[0].startswith("стол")] == expected
    assert all(n.words for n in read_numbers(text, lang) if n.text == expected[0][0])


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Yesterday I went home", "en"),  # the pronoun after a capitalised word
        ("Then Peter I saw", "en"),
        ("Malcolm X spoke", "en"),
        ("Washington DC and the MIX festival", "en"),  # capitals that are not numerals here
        ("І тоді Петро пішов", "uk"),  # the conjunction
        ("I think so", "en"),
        ("CD and DVD sales", "en"),
        ("the XI. Congress", "en"),  # a full stop between: not this numeral's word
    ],
)
def test_words_and_letters_are_not_read_as_roman_numerals(text, lang):
    assert values(text, lang) == []


def test_roman_century_matches_the_ordinal_on_the_other_side():
    assert problems(en="in the 21st century", uk="у XXI столітті") == []
    assert problems(en="the 16th–19th centuries", ru="XVI–XIX веков") == []
    assert problems(en="Queen Elizabeth II said", ru="королева Елизавета сказала") == []  # may be dropped


def test_a_changed_roman_century_is_still_reported():
    found = problems(en="in the 21st century", uk="у XX столітті")
    assert [f.kind for f in found] == ["missing"]
    assert found[0].values["en"] == ["21st"]
