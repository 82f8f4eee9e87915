"""Codes across translations (aligner/numbers/codes.py): a code altered or on one side only is a finding of
the kind "code"; the same digits in another script, with other dashes or written apart are not."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from number_helpers import problems

from aligner.numbers import FINDING_KINDS, read_numbers
from aligner.numbers.codes import code_digits, comparable_codes


def test_finding_kinds_name_every_kind_with_a_severity():
    assert FINDING_KINDS["code"] == "warning"
    assert FINDING_KINDS["changed"] == "error"
    assert set(FINDING_KINDS.values()) <= {"info", "warning", "error"}
    found = problems(en="Two F-16 jets, 5 pilots", ru="Два F-15, 6 пилотов")
    assert {f.kind for f in found} == {"code", "changed"}
    assert all(f.severity == FINDING_KINDS[f.kind] for f in found)


@pytest.mark.parametrize(
    ("english", "other", "lang", "before", "after"),
    [
        ("Two F-16 jets and a Su-35", "Два F-15 и Су-35", "ru", "F-16", "F-15"),  # weapon code
        ("Airbus A320 jets", "літаки Airbus A321", "uk", "A320", "A321"),  # model code
        ("vitamin B12 levels", "рівень вітаміну B6", "uk", "B12", "B6"),  # vitamin
        ("the G20 summit", "саммит G7", "ru", "G20", "G7"),  # group
        ("the H1N1 virus", "فيروس H1N2", "ar", "H1N1", "H1N2"),  # disease, digit inside
        ("cases of COVID-19", "كوفيد-18 حالات", "ar", "COVID-19", "كوفيد-18"),  # disease with year, Arabic
        ("printed in 3D", "напечатано в 4D-формате", "ru", "3D", "4D-формате"),  # "3D"-style term
    ],
)
def test_a_changed_code_is_a_code_finding(english, other, lang, before, after):
    found = problems(en=english, **{lang: other})
    assert [f.kind for f in found] == ["code"]
    assert found[0].values == {"en": [before], lang: [after]}
    assert "became" in found[0].message


@pytest.mark.parametrize(
    ("english", "other", "lang"),
    [
        ("Two F-16 jets and a Su-35", "Два F-16 и Су-35", "ru"),  # Cyrillic Су, Latin F
        ("an Su-35 fighter", "винищувач Су–35", "uk"),  # Cyrillic letters, en dash
        ("Airbus A320", "Airbus А320", "ru"),  # Cyrillic А
        ("F-16 jets", "دو ایف 16 طیارے", "ur"),  # letters transliterated, digits apart
        ("COVID-19 killed 5 people", "كوفيد-19 قتل 5 أشخاص", "ar"),
        ("COVID-19 killed 5 people", "کووڈ 19 سے 5 افراد ہلاک", "ur"),
        ("the G20 summit", "саммит «Группы двадцати»", "ru"),  # spelled out
        ("the G7 leaders", "лидеры «Большой семёрки»", "ru"),  # a noun of a group of seven
        ("the G20 summit", "саміт «двадцятки»", "uk"),
        ("their SS19 collection", "колекції весна-літо 2019", "uk"),  # NTREX 640: a season's year
        ("call 0800 555 111", "اتصل على 111 555 0800", "ar"),  # phone groups in right-to-left order
        ("Telefon 031/433611", "téléphone 031/43 36 11", "fr"),  # Text+Berg: other grouping
    ],
)
def test_the_same_code_in_another_script_or_shape_is_no_finding(english, other, lang):
    assert problems(en=english, **{lang: other}) == []


def test_a_code_the_translation_writes_apart_with_other_digits_is_altered():
    found = problems(en="Two F-16 jets", ur="دو ایف 15 طیارے")
    assert [f.kind for f in found] == ["code"]
    assert found[0].values == {"en": ["F-16"], "ur": ["15"]}


def test_a_code_on_one_side_only_is_missing_or_added():
    missing = problems(en="the H1N1 outbreak", ru="вспышка гриппа")
    assert [(f.kind, f.values) for f in missing] == [("code", {"en": ["H1N1"], "ru": []})]
    added = problems(en="the outbreak", ru="вспышка H1N1")
    assert [(f.kind, f.values) for f in added] == [("code", {"en": [], "ru": ["H1N1"]})]


def test_a_number_standing_for_a_code_is_not_taken_from_the_numbers():
    # the Urdu 16 stands for F-16; the 5 of the English has no counterpart and is still reported
    found = problems(en="F-16 jets: 5 lost", ur="ایف 16 طیارے")
    assert [(f.kind, f.values["en"]) for f in found] == [("missing", ["5"])]


def test_code_digits_and_what_is_compared():
    text = "see https://x.org/a1 or F-16, call 031/43 36 11"
    assert [c.text for c in comparable_codes(text, read_numbers(text, "en"))] == ["F-16", "031/43 36 11"]
    markup = 'اعتقال <p id="1">اعتقال'  # NTREX ar 1690: markup left in the text is no code
    assert comparable_codes(markup, read_numbers(markup, "ar")) == []
    assert code_digits(read_numbers("H1N1", "en")[0]) == ("1", "1")
    assert code_digits(read_numbers("Су-٣٥", "ru")[0]) == ("35",)


def test_codes_pair_with_codes_before_numbers_of_a_changed_pair():
    # F-16 and 15 became F-15 and 16: two changes, neither hidden by the other
    found = problems(en="F-16 fighters and 15 tanks", ru="F-15 и 16 танков")
    assert [(f.kind, f.values["en"], f.values["ru"]) for f in found] == [
        ("code", ["F-16"], ["F-15"]),
        ("changed", ["15"], ["16"]),
    ]


def test_a_dropped_number_is_not_explained_by_the_digits_of_a_code():
    found = problems(en="COVID-19 killed 5", ur="کووڈ 19 نے مارا")
    assert [(f.kind, f.values["en"]) for f in found] == [("missing", ["5"])]


def test_with_three_translations_the_odd_code_is_named():
    found = problems(en="Two F-16 jets", ru="Два F-16", uk="Два F-15")
    assert [(f.docs, f.odd_one_out) for f in found] == [(("en", "uk"), "uk"), (("ru", "uk"), "uk")]
    assert all("uk is the odd one out" in f.message for f in found)


# Latin capitals and the Cyrillic letters a Russian or Ukrainian text writes for them in a model code
_CYRILLIC_TWINS = str.maketrans("ABCEHKMOPTX", "АВСЕНКМОРТХ")
_DIGITS_IN = {"ar": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")}


@settings(max_examples=120, deadline=None)
@given(
    letters=st.text(alphabet="ABCEHKMOPTX", min_size=1, max_size=3),
    digits=st.integers(min_value=1, max_value=9999),
    dash=st.sampled_from(["-", "", "–"]),
    other_dash=st.sampled_from(["-", "", "–"]),
    lang=st.sampled_from(["ru", "uk", "ar"]),
    position=st.integers(min_value=0, max_value=3),
)
def test_property_a_code_in_another_script_matches_and_a_changed_digit_is_found(
    letters, digits, dash, other_dash, lang, position
):
    english = f"The {letters}{dash}{digits} was shown."
    if lang == "ar":  # the letters kept in Latin, the digits Arabic-Indic
        kept = f"{letters}{other_dash}{str(digits).translate(_DIGITS_IN['ar'])}"
        translated, changed_text = f"تم عرض {kept} أمس.", "تم عرض {} أمس."
    else:
        kept = f"{letters.translate(_CYRILLIC_TWINS)}{other_dash}{digits}"
        translated, changed_text = f"Показали {kept} вчера.", "Показали {} вчера."
    assert problems(en=english, **{lang: translated}) == []
    text = str(digits)
    index = position % len(text)
    new_digit = str((int(text[index]) + 1) % 10)
    changed = text[:index] + new_digit + text[index + 1 :]
    assume(changed.lstrip("0") != text.lstrip("0") and changed[0] != "0")
    if lang == "ar":
        changed = changed.translate(_DIGITS_IN["ar"])
        altered = f"{letters}{other_dash}{changed}"
    else:
        altered = f"{letters.translate(_CYRILLIC_TWINS)}{other_dash}{changed}"
    found = problems(en=english, **{lang: changed_text.format(altered)})
    assert [f.kind for f in found] == ["code"], found


def test_swapped_digit_groups_of_a_short_code_are_a_change():
    assert [f.kind for f in problems(en="the H1N2 strain", ru="штамм H2N1")] == ["code"]
