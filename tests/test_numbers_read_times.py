"""Clock times (aligner/numbers/read_times.py): a range's am/pm holds for both hours."""

from __future__ import annotations

import pytest
from number_helpers import problems

from aligner.numbers import read_numbers


@pytest.mark.parametrize(
    ("english", "other", "lang"),
    [
        ("from 1 to 2 pm", "с 13:00 до 14:00", "ru"),
        ("from 1 to 2 p.m.", "з 13.00 до 14.00", "uk"),
        ("between 10 and 11 am", "между 10:00 и 11:00", "ru"),
        ("1-2pm on Sunday", "в воскресенье 13:00-14:00", "ru"),
        ("from 9 to 5 pm", "с 9:00 до 17:00", "ru"),  # the first hour keeps its bare reading too
        ("from 1 to 2 in the afternoon", "с 13:00 до 14:00", "ru"),
        ("at 7 o'clock in the evening", "о 19:00", "uk"),
        ("from 13:00 to 14:00", "1 سے 2 بجے تک", "ur"),  # a clock word alone: either half of the day
    ],
)
def test_a_24_hour_range_matches_the_same_hours_in_12_hour_words(english, other, lang):
    assert problems(en=english, **{lang: other}) == []


def test_the_first_hour_takes_the_second_hours_half_of_the_day():
    first, second = read_numbers("from 1 to 2 pm", "en")
    assert first.values == (13.0, 1.0)
    assert second.values[0] == 14.0
    assert read_numbers("from 1 to 2 km", "en")[0].values == (1.0,)  # no clock, no change


def test_a_changed_hour_in_a_range_is_still_reported():
    assert [f.kind for f in problems(en="from 1 to 2 pm", ru="с 15:00 до 16:00")] == ["changed", "changed"]
