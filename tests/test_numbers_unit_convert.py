"""Units compared across translations: the same figure in another unit, conversions within the rounding of
the printed figures, currencies, percent against percentage points, scale words (``unit_convert``)."""

from __future__ import annotations

import pytest
from number_helpers import problems

from aligner.numbers import FINDING_KINDS, amounts, read_numbers
from aligner.numbers.unit_convert import base_amount, defines_a_unit, printed_step


def kinds(**texts: str) -> list[str]:
    return [f.kind for f in problems(**texts)]


@pytest.mark.parametrize(
    ("en", "lang", "other"),
    [
        ("5 km", "ru", "5 м"),
        ("10 minutes", "ru", "10 часов"),
        ("3 years", "ru", "3 месяца"),
        ("1 kg", "ru", "1 г"),
        ("250 lb", "ru", "250 кг"),
        ("$140", "ru", "140 €"),
        ("15 minutes", "ar", "15 ساعة"),
        ("3 hours", "uk", "3 хвилини"),
        ("2 minutes", "ar", "بعد ساعتين"),  # an Arabic dual: two hours in one word
        ("20 minutes", "ur", "20 گھنٹے"),
        ("grew by 5 percentage points", "ru", "выросла на 5%"),
        ("a 5 km walk", "ar", "مسافة 5 كغ"),  # another kind of unit altogether
        ("7 km", "uk", "7 м"),
        ("7 kg", "ar", "7 غ"),
    ],
)
def test_same_figure_in_another_unit_is_a_unit_finding(en, lang, other):
    assert kinds(en=en, **{lang: other}) == ["unit"]


@pytest.mark.parametrize(
    ("en", "lang", "other"),
    [
        ("100 °F", "ru", "37,8 °C"),
        ("100 °F", "uk", "38 °C"),
        ("1 kg", "ru", "1000 г"),
        ("90 minutes", "ru", "1,5 часа"),
        ("385 miles", "ru", "620 км"),
        ("85 mph", "ru", "135 км/ч"),  # rounded to a five
        ("6 feet", "uk", "1,8 м"),
        ("a 20 °F rise", "ru", "рост на 11 °C"),  # a difference of temperatures
        ("5 km", "ru", "5 км"),
        ("$5 million", "ar", "5 ملايين دولار"),
        ("5 pounds", "ru", "5 фунтов"),
        ("after 2 hours", "ar", "بعد ساعتين"),
    ],
)
def test_same_amount_in_any_unit_is_no_finding(en, lang, other):
    assert kinds(en=en, **{lang: other}) == []


@pytest.mark.parametrize(
    ("en", "lang", "other"),
    [
        ("10 trillion", "ru", "10 миллиардов"),
        ("10 trillion", "ar", "10 مليار"),
        ("6 trillion", "ar", "10 مليار"),
        ("10 billion", "uk", "10 мільйонів"),
    ],
)
def test_scale_words_always_compare(en, lang, other):
    assert kinds(en=en, **{lang: other}) == ["changed"]


def test_wrong_conversion_is_a_change_that_names_the_conversion():
    (finding,) = problems(en="It was 109 °F.", ru="Было 45.0 °C.")
    assert finding.kind == "changed"
    assert "109 °Fahrenheit is 42.78 °Celsius, not 45.0" in finding.message
    assert problems(en="It was 100 °F.", ru="Было 37,8 °C.") == []
    # "100" and "45" each look rounded; only the converted side's rounding counts, so 45 °C is no 100 °F
    (rounded,) = problems(en="Last 14 days (100 °F)", ur="آخری 14 دن (45 °C)")
    assert rounded.kind == "changed" and "37.78" in rounded.message


def test_unit_finding_names_both_units_and_is_an_error():
    (finding,) = problems(en="It is 5 km away.", ru="Это в 5 м отсюда.")
    assert finding.severity == FINDING_KINDS["unit"] == "error"
    assert "kilometer" in finding.message and "meter" in finding.message


@pytest.mark.parametrize(
    ("text", "lang", "step"),
    [("45.0 °C", "en", 0.05), ("37.8 °C", "en", 0.05), ("109 °F", "en", 0.5), ("100 km", "en", 10.0)],
)
def test_printed_step_is_the_rounding_of_the_figure(text, lang, step):
    (number,) = read_numbers(text, lang)
    assert printed_step(number) == pytest.approx(step)


def test_news_unit_with_five_translations_names_the_unit_swap_only_where_it_is():
    # ``aligner run`` compares every pair of a news unit with the same reader: the Arabic swap stands out
    from number_helpers import unit

    from aligner.numbers import check_units

    news = unit(
        en="The storm moved 40 km inland.",
        ru="Шторм продвинулся на 40 км вглубь суши.",
        uk="Шторм просунувся на 40 км углиб суходолу.",
        ur="طوفان 40 کلو میٹر اندر تک گیا۔",
        ar="تقدمت العاصفة 40 مترا داخل اليابسة.",
    )
    found = [f for f in check_units([news]) if f.kind != "matched"]
    assert sorted(f.docs for f in found) == [("ar", "en"), ("ar", "ru"), ("ar", "uk"), ("ar", "ur")]
    assert {f.kind for f in found} == {"unit"}


def test_a_gloss_in_another_unit_must_say_the_same_amount():
    # NTREX 362 (uk): the translation adds "(64,4 км)" after 40 miles; a gloss in the wrong unit is no twin
    en = "Katrina (1967) was a hurricane within 40 miles of the AZ border."
    kept = "Катріна (1967 рік) була ураганом в межах 40 миль (64,4 км) від кордону Аризони."
    assert problems(en=en, uk=kept) == []
    wrong = kept.replace("64,4 км", "64,4 мікрометра")
    assert [f.kind for f in problems(en=en, uk=wrong)] == ["added"]


def test_an_amount_glossed_roughly_in_another_unit_may_be_kept_once():
    """An author's gloss is rounded ("six meters (18 feet)" is 5.5 m): a translation that keeps only the
    metres drops no number; a conversion a translator makes is held to its printed rounding."""
    assert problems(en="waves as high as six meters (18 feet)", ru="волны высотой почти шесть метров") == []
    assert [f.kind for f in problems(en="It was 100 °F", ru="Было 45 °C")] == ["changed"]


@pytest.mark.parametrize(
    ("text", "lang", "defines"),
    [
        ("BTU, Британська Теплова Одиниця, дорівнює 1060 Дж", "uk", True),  # 1 BTU is 1055 J
        ("a mile is 1.6 km", "en", True),
        ("a mile is 1.9 km", "en", False),  # not one mile within the printed rounding
        ("a mile is 1.6 kg", "en", False),  # another dimension
        ("he ran 1.6 km", "en", False),  # no unit named without a figure of its own
        ("he ran 1 mile, 1.6 km", "en", False),  # the mile has its figure: a conversion, not a definition
    ],
)
def test_a_definition_of_a_unit(text: str, lang: str, defines: bool) -> None:
    number = [n for n in read_numbers(text, lang) if n.unit][-1]
    assert defines_a_unit(number, text, lang) is defines


def test_energy_units_are_read() -> None:
    assert [n.unit for n in read_numbers("1060 Дж, 5 кДж, 200 ккал", "uk")] == [
        "joule",
        "kilojoule",
        "kilocalorie",
    ]
    assert kinds(en="It gives 5 kJ", ru="Это даёт 5 ккал") == ["unit"]


@pytest.mark.parametrize(
    ("first", "first_lang", "second", "second_lang"),
    [
        ("до 25,4 см дощу", "uk", "up to 10 inches of rain", "en"),
        ("249-кілограмовий кабан", "uk", "a hog of 550 lb", "en"),
        ("161 км", "ru", "100 miles", "en"),
        ("27 градусів Цельсія", "uk", "80 °F", "en"),
        ("5 km", "en", "5000 м", "ru"),
    ],
)
def test_an_amount_keeps_its_key_in_other_units(
    first: str, first_lang: str, second: str, second_lang: str
) -> None:
    assert amounts(first, first_lang) and amounts(first, first_lang) == amounts(second, second_lang)


def test_amounts_of_other_sizes_or_kinds_differ() -> None:
    assert amounts("25 km", "en") != amounts("25 miles", "en")  # 25,000 m against 40,000 m
    assert amounts("5 kg", "en") != amounts("5 km", "en")
    assert amounts("$140 and 5%", "en") == frozenset()  # currencies and percent have no base unit
    assert base_amount(3.0, "percent") is None
