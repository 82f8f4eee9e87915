"""Spelled-out numbers (aligner/numbers/read_spelled.py): Urdu number words before فیصد (percent), "and a
half" after a number, and Urdu fraction words (ساڑھے, سوا, پونے)."""

from __future__ import annotations

import pytest

from aligner.languages import ur
from aligner.numbers import check_units, read_numbers
from aligner.types import Segment, Unit

_URDU = [(word, n) for n, forms in enumerate(ur._ONE_TO_NINETY_NINE) for word in forms.split("|") if n >= 2]


@pytest.mark.parametrize(("word", "value"), _URDU)
@pytest.mark.parametrize("percent", ["فیصد", "فی صد"])
def test_every_urdu_number_word_before_percent_is_a_percentage(word, value, percent):
    found = read_numbers(f"شرح {word} {percent} رہی", "ur")
    assert [(n.values[0], n.kind) for n in found] == [(float(value), "percent")]


def test_homographs_are_numbers_before_percent_only():
    assert read_numbers("اسی وقت", "ur") == []  # "at that very time"
    assert [n.values[0] for n in read_numbers("اسی فیصد لوگ", "ur")] == [80.0]
    assert [n.values[0] for n in read_numbers("ستر فیصد", "ur")] == [70.0]


def test_urdu_tens_before_percent_match_the_english_figure():
    segments = {
        "en": Segment("en", "en", (0,), "Turnout was 80 percent, up from 70 percent."),
        "ur": Segment("ur", "ur", (0,), "ٹرن آؤٹ اسی فیصد رہا جو ستر فیصد تھا۔"),
    }
    assert [f.kind for f in check_units([Unit("s", 0, segments, 1.0)])] == ["matched", "matched"]


def test_urdu_tens_with_either_he_inside():
    # اکہتر and اکھتر (71), انہتر and انھتر (69): both letters are typed inside these words
    for word, value in (("اکہتر", 71.0), ("اکھتر", 71.0), ("انھتر", 69.0), ("چوہتر", 74.0), ("چوھتر", 74.0)):
        assert [n.values[0] for n in read_numbers(f"{word} فیصد", "ur")] == [value]
    assert [n.values[0] for n in read_numbers("چھ فیصد", "ur")] == [6.0]  # a final letter stays as written


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("ساڑھے تین فیصد", 3.5),  # three and a half percent
        ("ساڑھے 3 فیصد", 3.5),
        ("ساڑھے تین سو", 350.0),  # the half is of the first unit: a half hundred
        ("ساڑھے چار لاکھ", 450000.0),
        ("ساڑھے 5 ارب", 5.5e9),
        ("سوا دو کروڑ", 2.25e7),
        ("پونے دو ارب", 1.75e9),
        ("پونے تین", 2.75),
        ("اس کے سوا تین افراد", 3.0),  # کے سوا: "except", no quarter
    ],
)
def test_urdu_fraction_words_before_a_number(text, value):
    assert [n.values[0] for n in read_numbers(text, "ur")] == [value]


def test_an_urdu_half_matches_the_english_decimal():
    segments = {
        "en": Segment("en", "en", (0,), "Inflation rose 3.5 percent."),
        "ur": Segment("ur", "ur", (0,), "مہنگائی میں ساڑھے تین فیصد اضافہ ہوا۔"),
    }
    assert [f.kind for f in check_units([Unit("s", 0, segments, 1.0)])] == ["matched"]


@pytest.mark.parametrize(
    ("text", "lang", "value", "kind"),
    [
        ("three and a half percent", "en", 3.5, "percent"),
        ("two and a half million people", "en", 2.5e6, "quantity"),
        ("3 and a half hours", "en", 3.5, "quantity"),
        ("три с половиной процента", "ru", 3.5, "percent"),
        ("3 с половиной миллиона", "ru", 3.5e6, "quantity"),
        ("три з половиною відсотка", "uk", 3.5, "percent"),
        ("ثلاثة ونصف بالمئة", "ar", 3.5, "percent"),
    ],
)
def test_and_a_half_after_a_number(text, lang, value, kind):
    assert [(n.values[0], n.kind) for n in read_numbers(text, lang)] == [(value, kind)]


def test_a_half_elsewhere_changes_nothing():
    assert read_numbers("a year and a half", "en") == []
    assert [n.values[0] for n in read_numbers("ثلاث سنوات ونصف", "ar")] == [3.0]  # the half after a noun


def test_two_and_a_half_million_matches_the_digits():
    segments = {
        "en": Segment("en", "en", (0,), "Some two and a half million people voted."),
        "ru": Segment("ru", "ru", (0,), "Проголосовали около 2,5 млн человек."),
    }
    assert [f.kind for f in check_units([Unit("s", 0, segments, 1.0)])] == ["matched"]
