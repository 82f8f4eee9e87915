"""Digit strings: scripts and the readings each language's separators allow (CLDR symbols via Babel)."""

from __future__ import annotations

import pytest

from aligner.numbers.digits import ascii_digits, own_symbols, readings


def test_ascii_digits_keeps_length_and_maps_both_arabic_scripts():
    text = "عام ٢٠٢٣ و۱۴۰۲"
    assert ascii_digits(text) == "عام 2023 و1402"
    assert len(ascii_digits(text)) == len(text)


def test_symbols_come_from_cldr():
    decimals, groups = own_symbols("ru")
    assert "," in decimals and "\u00a0" in groups
    decimals, groups = own_symbols("ar")
    assert {".", "\u066b"} <= decimals and {",", "\u066c"} <= groups


@pytest.mark.parametrize(
    ("raw", "lang", "expected"),
    [
        ("3,881", "en", (3881.0, 3.881)),
        ("3,881", "ru", (3.881, 3881.0)),
        ("3,881", "ar", (3881.0, 3.881)),
        ("2,8", "en", (2.8,)),  # a comma before one digit can only be a decimal
        ("1.234.567,89", "uk", (1234567.89,)),
        ("1 234 567", "ru", (1234567.0,)),
        ("76.000", "ar", (76000.0, 76.0)),
        ("12,34,567", "ur", (1234567.0,)),  # lakh grouping
    ],
)
def test_readings_own_convention_first(raw, lang, expected):
    assert readings(raw, lang) == expected


def test_no_reading_for_impossible_groupings():
    assert readings("2019 100", "en") == ()
    assert readings("1,2,3", "en") == ()
