"""Letters and digits mixed in any script (``read_codes``, ``codes``): typing drills, dice, units with a
power, and the confidence of a code another script writes otherwise."""

from __future__ import annotations

import pytest
from number_helpers import problems

from aligner.numbers import read_numbers
from aligner.numbers.codes import code_digits


def read(text: str, lang: str) -> list[tuple[str, str, str]]:
    return [(n.text, n.kind, n.confidence) for n in read_numbers(text, lang)]


@pytest.mark.parametrize(
    ("text", "lang", "code"),
    [
        ("a1z1q1", "en", "a1z1q1"),
        ("ش1ئ1ض1", "ar", "ش1ئ1ض1"),
        ("ف1ج1", "ur", "ف1ج1"),
        ("1D6", "en", "1D6"),
        ("d20", "en", "d20"),
        ("к6", "ru", "к6"),
        ("2к6", "ru", "2к6"),
        ("3д8", "uk", "3д8"),
    ],
)
def test_letters_and_digits_taking_turns_are_one_code(text, lang, code):
    found = read_numbers(text, lang)
    assert [(n.text, n.kind) for n in found] == [(code, "code")]


@pytest.mark.parametrize(
    ("text", "lang", "confidence"),
    [("a1z1q1", "en", "high"), ("ش1ئ1ض1", "ar", "low"), ("к6", "ru", "low"), ("1D6", "en", "low")],
)
def test_code_in_another_script_or_dice_has_low_confidence(text, lang, confidence):
    assert read(text, lang)[0][2] == confidence


def test_particle_glued_between_numbers_is_still_two_numbers():
    assert [n.values for n in read_numbers("5та4", "uk")] == [(5.0,), (4.0,)]


def test_dice_digits_count_one_die_when_left_out():
    assert code_digits(read_numbers("к6", "ru")[0]) == ("1", "6")
    assert code_digits(read_numbers("1D6", "en")[0]) == ("1", "6")
    assert code_digits(read_numbers("2D6", "en")[0]) == ("2", "6")


@pytest.mark.parametrize(
    ("en", "lang", "other"),
    [
        ("Type a1z1q1 s1x1w1", "ar", "اكتب ش1ئ1ض1 س1ء1ص1"),
        ("Type a1z1q1\u00a0s1x1w1", "ar", "اكتب ش1ئ1ض1 س1ء1ص1"),  # drill tokens across a no-break space
        ("Roll 1D6", "ru", "Бросьте к6"),
        ("Roll 2D6", "ru", "Бросьте 2к6"),
        ("10 m2 of floor", "ru", "10 м2 пола"),
    ],
)
def test_codes_read_alike_in_both_scripts_give_no_finding(en, lang, other):
    assert problems(en=en, **{lang: other}) == []


def test_changed_dice_are_a_code_finding():
    (finding,) = problems(en="Roll 2D6", ru="Бросьте 2к8")
    assert finding.kind == "code"


def test_unit_with_a_power_is_no_code():
    assert [(n.text, n.kind, n.unit) for n in read_numbers("10 m2", "en")] == [("10", "quantity", "meter**2")]


def test_a_code_finding_in_another_script_has_low_confidence():
    (drill,) = problems(en="Type a1z1q1", ar="اكتب ش1ئ1ض2")
    assert (drill.kind, drill.confidence) == ("code", "low")
    (model,) = problems(en="Two F-16 jets", ru="Два F-15")
    assert (model.kind, model.confidence) == ("code", "high")


def test_an_equals_sign_ends_a_code():
    # "4x5=20" is a code and a result, as "4x5 = 20" is: the same numbers on both sides
    assert read("4x5=20", "en") == [("4x5", "code", "high"), ("20", "quantity", "high")]
    assert read("4x5=20", "en") == read("4x5 = 20", "en")
    assert problems(en="then 4x5=20", ru="затем 4x5 = 20") == []
