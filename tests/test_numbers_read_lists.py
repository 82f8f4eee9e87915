"""Digits that look like one number but are several, or none (``read_lists``): space groups in lists and
with a foreign decimal mark, intervals, key=value text and idioms written with digits."""

from __future__ import annotations

import pytest
from number_helpers import problems

from aligner.numbers import read_numbers


def values(text: str, lang: str) -> list[float]:
    return [n.values[0] for n in read_numbers(text, lang) if n.values]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Примерно 16 700 местных жителей", "ru", [16700.0]),  # NTREX ru: a thousands group
        ("понад 380\u00a0000 людей", "uk", [380000.0]),
        ("call 116 123 (UK and Ireland)", "en", [116123.0]),  # any language may group with a space
        ("10\u202f000 people", "en", [10000.0]),
        ("1 000 000 рублей", "ru", [1e6]),
    ],
)
def test_space_groups_thousands_outside_lists(text, lang, expected):
    assert values(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # a row of values: no grouping explains "12 5", so no space groups in this text
        ("Значения: 12 5 60 687 101 509,2", "ru", [12.0, 5.0, 60.0, 687.0, 101.0, 509.2]),
        ("Values: 12 5 60\u00a0687", "en", [12.0, 5.0, 60.0, 687.0]),
        ("значение 101 509.2", "ru", [101.0, 509.2]),  # a point is no Russian decimal mark: two values
    ],
)
def test_space_separates_values_in_lists_and_with_a_foreign_decimal(text, lang, expected):
    assert values(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [("in [0,1]", "en"), ("на отрезке [0,1]", "ru"), ("(0,1]", "uk"), ("[0;1]", "ru")],
)
def test_interval_is_two_numbers(text, lang):
    assert values(text, lang) == [0.0, 1.0]


def test_parenthesised_decimal_comma_stays_a_decimal():
    assert values("(0,1)", "ru") == [0.1]


def test_interval_in_both_notations_matches():
    assert problems(en="x in [0,1]", ru="x в [0;1]") == []


def test_key_value_numbers_are_read_and_compared():
    assert values("пример=82", "ru") == [82.0]
    (finding,) = problems(en="example=82", ru="пример=28")
    assert finding.kind == "changed"


@pytest.mark.parametrize("text", ["3rd party integrations", "3rd-party tools", "open 24/7"])
def test_digit_idioms_are_no_numbers(text):
    assert read_numbers(text, "en") == []


def test_idiom_translated_in_words_is_no_missing_ordinal():
    assert problems(en="3rd party integrations", ru="сторонние интеграции") == []
    assert values("finished 3rd, a party said", "en") == [3.0]  # an ordinal outside the idiom is still read
