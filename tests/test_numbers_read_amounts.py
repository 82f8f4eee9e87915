"""Amounts around digits (aligner/numbers/read_amounts.py): the masculine ordinal sign typed as a degree."""

from __future__ import annotations

from number_helpers import problems

from aligner.numbers import read_numbers
from aligner.numbers.read_amounts import degree_signs


def test_ordinal_sign_after_digits_is_a_degree_sign():
    assert degree_signs("100ºC, 30 ºF, Nº 5") == "100°C, 30 °F, Nº 5"  # same length; Nº stays
    number = read_numbers("вода кипит при 100ºC", "ru")[0]
    assert (number.text, number.values, number.kind) == ("100", (100.0,), "quantity")


def test_a_temperature_with_the_ordinal_sign_matches_the_degree_sign():
    assert problems(en="Water boils at 100°C.", ru="Вода кипит при 100ºC.") == []
    assert problems(en="It was 50 degrees Fahrenheit", uk="Було 10ºC") == []  # converted, as with °
