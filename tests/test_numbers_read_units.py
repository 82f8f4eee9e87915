"""Units and currencies read with each number, in the five languages (``read_units``, ``unit_words``)."""

from __future__ import annotations

import pytest

from aligner.numbers import read_numbers
from aligner.numbers.unit_words import unit_words


def units(text: str, lang: str) -> list[str | None]:
    return [n.unit for n in read_numbers(text, lang)]


@pytest.mark.parametrize(
    ("text", "lang", "unit"),
    [
        ("5 km", "en", "kilometer"),
        ("10km away", "en", "kilometer"),
        ("5 м", "ru", "meter"),
        ("в 5 километрах", "ru", "kilometer"),  # a case form CLDR has no place for: the stem
        ("10 minutes", "en", "minute"),
        ("10 часов", "ru", "hour"),
        ("3 месяца", "ru", "month"),
        ("3 роки", "uk", "year"),
        ("15 ساعة", "ar", "hour"),
        ("20 منٹ", "ur", "minute"),
        ("500 کلو میٹر", "ur", "kilometer"),
        ("5 كم", "ar", "kilometer"),
        ("1 kg", "en", "kilogram"),
        ("1 г", "ru", "gram"),
        ("2 г", "uk", "gram"),  # CLDR's narrow Ukrainian hour too: the language file decides
        ("7 м", "uk", "meter"),  # CLDR's narrow Ukrainian month too
        ("7 غ", "ar", "gram"),  # a one-letter symbol the Arabic file allows
        ("250 lb", "en", "pound"),
        ("250 кг", "ru", "kilogram"),
        ("109 °F", "en", "degree_Fahrenheit"),
        ("37,8 °C", "ru", "degree_Celsius"),
        ("10 m2", "en", "meter**2"),
        ("10 м2", "ru", "meter**2"),
        ("2 ha", "en", "hectare"),
        ("5 litres", "en", "liter"),
        ("85 mph", "en", "mile/hour"),
        ("137 км на годину", "uk", "kilometer/hour"),  # CLDR's "per hour" after a length: a speed
        ("85 ميلاً في الساعة", "ar", "mile/hour"),
        ("$140", "en", "currency:USD"),
        ("140 €", "ru", "currency:EUR"),
        ("USD 140", "en", "currency:USD"),
        ("140 долларов", "ru", "currency:USD"),
        ("140 гривень", "uk", "currency:UAH"),
        ("140 دولار", "ar", "currency:USD"),
        ("140 ڈالر", "ur", "currency:USD"),
        ("$5 million", "en", "currency:USD"),
        ("5 million dollars", "en", "currency:USD"),
        ("5 рупий", "ru", "currency:?"),  # the rupee of India or of Pakistan
        ("5%", "ru", "percent"),
        ("5 percent", "en", "percent"),
        ("5 percentage points", "en", "percentage_point"),
        ("5 процентных пунктов", "ru", "percentage_point"),
        ("5 п.п.", "ru", "percentage_point"),
        ("1000 г", "ru", "gram"),  # a four-digit amount with a unit is no year
    ],
)
def test_unit_is_part_of_the_reading(text, lang, unit):
    assert units(text, lang) == [unit]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("5 pounds", "en"),  # of weight or of money: no unit to compare
        ("5 фунтов", "ru"),
        ("in 5 in the morning", "en"),  # "in" is no inch
        ("the 5 people", "en"),
        ("5 سعودی شہری", "ur"),  # a country's adjective is no currency
        ("5 Saudi citizens", "en"),
    ],
)
def test_ambiguous_or_ordinary_words_give_no_unit(text, lang):
    assert all(u is None for u in units(text, lang))


def test_points_further_on_make_no_percentage_points():
    assert units("rose 5% to 3,000 points", "en")[0] == "percent"


def test_years_keep_no_unit_and_ranges_share_theirs():
    assert units("в 2020 г.", "ru") == [None]
    assert units("3-5 years", "en") == ["year", "year"]


@pytest.mark.parametrize("lang", ["en", "ru", "uk", "ar", "ur"])
def test_every_language_names_the_common_units(lang):
    named = set(unit_words(lang).values())
    for unit in (
        "kilometer",
        "meter",
        "kilogram",
        "hour",
        "minute",
        "year",
        "degree_Celsius",
        "currency:USD",
    ):
        assert unit in named, (lang, unit)


@pytest.mark.parametrize("lang", ["en", "ru", "uk", "ar", "ur"])
def test_every_unit_of_the_tables_is_a_pint_unit_with_a_dimension(lang):
    from aligner.numbers.unit_convert import dimension

    for unit in set(unit_words(lang).values()) - {""}:
        if not unit.endswith("byte"):  # pint counts bytes without a dimension, and converts them
            assert dimension(unit) != "dimensionless", (lang, unit)  # pint's decade is logarithmic: none
