"""Ranges of ordinals in digits (aligner/numbers/read_ordinal_ranges.py): 16th–19th is no code."""

from __future__ import annotations

import pytest
from number_helpers import problems

from aligner.numbers import read_numbers


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("in the 16th–19th centuries", "en"),
        ("in the 16th-19th centuries", "en"),
        ("у 16-19-го сторіч", "uk"),
        ("в 16-м–19-м веках", "ru"),
    ],
)
def test_both_ends_are_a_range(text, lang):
    assert [(n.values[0], n.kind) for n in read_numbers(text, lang)] == [(16.0, "range"), (19.0, "range")]


def test_ordinal_ranges_match_across_languages():
    assert problems(en="the 16th–19th centuries", uk="16-19-го сторіч") == []
    assert problems(en="the 1st-3rd places", ru="1-3-е места") == []


def test_a_changed_end_is_reported_and_codes_stay_codes():
    assert [f.kind for f in problems(en="the 16th–19th centuries", uk="16-18-го сторіч")] == ["changed"]
    assert [n.kind for n in read_numbers("an F-16 jet", "en")] == ["code"]
