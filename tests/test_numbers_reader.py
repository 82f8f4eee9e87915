"""Reading numbers from real sentences (the seeds in shared/seeds and NTREX), one test per reading item."""

from __future__ import annotations

import pytest

from aligner.numbers import read_numbers, signature


def readings(text: str, lang: str) -> list[tuple[str, tuple[float, ...], str]]:
    return [(n.text, n.values, n.kind) for n in read_numbers(text, lang)]


def values(text: str, lang: str) -> list[float]:
    return [n.values[0] for n in read_numbers(text, lang) if n.kind != "code"]


# -- digits in three scripts ---------------------------------------------------------------------------------
def test_arabic_indic_digits_with_ascii_separator_from_seed():
    # seeds/002 (ar): "في عام ٢٠٢٣ ما قيمته ٩٥,٥٣٩ مليار دونج"
    found = readings("المُخصَّصة للرعاية والتمويل في عام ٢٠٢٣ ما قيمته ٩٥,٥٣٩ مليار دونج", "ar")
    assert found[0] == ("٢٠٢٣", (2023.0,), "year")
    assert found[1][0] == "٩٥,٥٣٩ مليار"
    assert found[1][1][0] == 95539e9  # Arabic reads the comma as a thousands separator first
    assert 95.539e9 in found[1][1]  # and keeps the decimal reading


def test_extended_arabic_indic_and_mixed_scripts_in_one_text():
    assert values("۲۰۲۳ میں 5 لاکھ افراد", "ur") == [2023.0, 500000.0]
    assert values("عام ٢٠٢٣ و2024 و۲۰۲۵", "ar") == [2023.0, 2024.0, 2025.0]


# -- separators ----------------------------------------------------------------------------------------------
def test_ambiguous_comma_keeps_both_readings_own_first_seed_sentence():
    # seeds/000 (ru) and seeds/001 (ur) translate the same "3.881 tỷ" differently
    ru = read_numbers("В 2023 году весь район мобилизовал в общей сложности более 3,881 млрд донгов", "ru")[1]
    ur = read_numbers("پروگرام کو نافذ کرنے کے لیے 3,881 بلین VND سے زیادہ کا کل سرمایہ جمع کیا", "ur")[0]
    assert ru.values == (3.881e9, 3881e9)
    assert ur.values == (3881e9, 3.881e9)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("в стране более 820 000 человек", "ru", 820000.0),  # NTREX ru: space as group separator
        ("более 820\u00a0000 человек", "ru", 820000.0),  # NBSP (CLDR's Russian group symbol)
        ("більше 820\u202f000 осіб", "uk", 820000.0),  # narrow NBSP
        ("It cost 1'250 francs", "en", 1250.0),  # apostrophe
        ("بلغ ١٢٬٥٠٠٫٥ دولار", "ar", 12500.5),  # Arabic thousands U+066C and decimal U+066B
        ("магнитудой 7,5 баллов", "ru", 7.5),  # decimal comma
        ("a 7.5 magnitude earthquake", "en", 7.5),  # decimal point
        ("Pakistan has 1,00,000 voters", "en", 100000.0),  # lakh grouping
        ("тут обучаются более 30 000 детей", "ru", 30000.0),
    ],
)
def test_separators(text, lang, expected):
    assert values(text, lang)[0] == expected


def test_dot_thousands_with_three_zeros_reads_as_thousands():
    # NTREX ar line 1243 writes 76.000 for the English 76,000
    assert read_numbers("حضر 76.000 متفرج", "ar")[0].values[0] == 76000.0


# -- percent, fractions, ranges, dates, ordinals, signs ------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "lang", "number"),
    [
        ("К концу 2023 года уровень бедности в округе составит 2,8%", "ru", 2.8),  # seeds/000
        ("غربت کی شرح 2.8 فیصد ہو جائے گی", "ur", 2.8),  # seeds/001
        ("turnout stood at only 16 percent", "en", 16.0),  # NTREX en 499
        ("ثبتت نسبة المشاركة عند 16في المائة فقط", "ar", 16.0),  # NTREX ar 499, glued
        ("явка составила всего 16 процентов", "ru", 16.0),
        ("явка склала лише 16 відсотків", "uk", 16.0),
        ("بلغت النسبة ١٥٪ فقط", "ar", 15.0),
        ("ارتفعت 5 بالمئة", "ar", 5.0),
    ],
)
def test_percent(text, lang, number):
    found = [n for n in read_numbers(text, lang) if n.kind == "percent"]
    assert [n.values[0] for n in found] == [number]


def test_fractions_and_ratios():
    found = readings("набрав 21/21 балів і 2/10 у другому турі", "uk")
    assert [(v[0], kind) for _, v, kind in found] == [
        (21.0, "fraction"),
        (21.0, "fraction"),
        (2.0, "fraction"),
        (10.0, "fraction"),
        (2.0, "ordinal"),
    ]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("the 2021-2025 plan", "en"),
        ("план на 2021–2025 годы", "ru"),
        ("from 2021 to 2025", "en"),
        ("с 2021 по 2025 год", "ru"),
        ("від 2021 до 2025 року", "uk"),
        ("من 2021 إلى 2025", "ar"),
        ("2021 سے 2025 تک", "ur"),
    ],
)
def test_ranges_in_each_language(text, lang):
    assert [(n.values[0], n.kind) for n in read_numbers(text, lang)] == [(2021.0, "range"), (2025.0, "range")]


def test_dates_keep_day_and_year():
    # seeds/003: "Việt NamViệt Nam21/02/2024"; the other translations say "21 февраля 2024"
    assert values("Ha Tinh, 21/02/2024", "en") == [21.0, 2024.0]
    assert values("21.02.2024 состоялась конференция", "ru") == [21.0, 2024.0]
    assert sorted(values("on 2024-02-21", "en")) == [21.0, 2024.0]


def test_years_and_decades():
    assert readings("к концу 2024 года", "ru") == [("2024", (2024.0,), "year")]  # seeds/000
    assert read_numbers("widespread 1980s weather", "en")[0].kind == "year"
    assert read_numbers("у 1990-х роках", "uk")[0].kind == "year"


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("the 21st century", "en", 21.0),
        ("достиг 1-й категории", "ru", 1.0),  # NTREX ru 202
        ("5-та річниця", "uk", 5.0),
        ("в третьем квартале", "ru", 3.0),
        ("القرن التاسع عشر", "ar", 19.0),
        ("تیسرا مرحلہ", "ur", 3.0),
    ],
)
def test_ordinals(text, lang, value):
    number = read_numbers(text, lang)[0]
    assert (number.values[0], number.kind) == (value, "ordinal")


def test_signs():
    assert values("temperatures of -5 degrees", "en") == [-5.0]
    assert values("изменение составило −3,5%", "ru") == [-3.5]


def test_clock_times_compare_on_24_hours():
    # NTREX 143: "at 3 p.m." / "в 15:00"; NTREX 151: "at 7.55am" / "в 7:55"
    assert read_numbers("at 3 p.m. on Wednesday", "en")[0].values[0] == 15.0
    assert read_numbers("в среду в 15:00", "ru")[0].values[0] == 15.0
    assert read_numbers("was found at 7.55am", "en")[0].values[0] == read_numbers("в 7:55", "ru")[0].values[0]


# -- scale words ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("revenue of $2.8bn", "en"),
        ("revenue of 2.8 billion", "en"),
        ("выручка 2,8 млрд рублей", "ru"),
        ("виторг 2,8 млрд гривень", "uk"),
        ("2.8 مليار دولار", "ar"),
        ("2.8 بلین ڈالر", "ur"),
        ("2,8 миллиарда", "ru"),
        ("2,8 мільярда", "uk"),
    ],
)
def test_scale_words_make_equal_values(text, lang):
    assert signature(text, lang) == frozenset({2.8e9})


def test_south_asian_and_abbreviated_scales():
    assert values("5 لاکھ افراد اور 3 کروڑ روپے", "ur") == [5e5, 3e7]
    assert values("95 539 тыс. чел.", "ru") == [95539000.0]
    assert values("300 ألف تلميذ", "ar") == [300000.0]  # NTREX ar 655
    assert values("£5m deal", "en") == [5e6]
    assert values("2 млн 300 тыс. жителей", "ru") == [2.3e6]


# -- spelled-out numbers -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("only ten tropical cyclones have maintained", "en", 10.0),  # NTREX en 361
        ("всего «десять тропических циклонов сохраняли", "ru", 10.0),  # NTREX ru 361
        ("one hundred and five people", "en", 105.0),
        ("более двадцати пяти тысяч человек", "ru", 25000.0),  # genitive
        ("з двадцятьма п'ятьма учасниками", "uk", 25.0),  # instrumental, apostrophe
        ("двумстам тридцати одному участнику", "ru", 231.0),  # dative
        ("خمسة وعشرون ألفاً", "ar", 25000.0),  # reversed units and tens, و attached
        ("بخمسة آلاف دولار", "ar", 5000.0),  # attached ب
        ("ثلاث عشرة سيدة", "ar", 13.0),  # feminine
        ("ایک لاکھ پچاس ہزار", "ur", 150000.0),
        ("پچیس فیصد", "ur", 25.0),
        ("a million dollars", "en", 1e6),
    ],
)
def test_spelled_out_numbers(text, lang, value):
    number = read_numbers(text, lang)[0]
    assert number.words
    assert number.values[0] == value


def test_urdu_homographs_need_a_longer_number():
    assert read_numbers("اسی وقت", "ur") == []  # "at that very time", not eighty
    assert values("اسی ہزار", "ur") == [80000.0]


# -- not quantities ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "lang", "code"),
    [
        ("Công văn số 04-NQ/TU của tỉnh", "en", "04-NQ/TU"),
        ("call +7 (495) 123-45-67 now", "en", None),
        ("contact Crimestoppers anonymously on 0800 555 111", "en", "0800 555 111"),  # NTREX en 166
        ("за номером 0800\u00a0555\u00a0111 і", "uk", "0800\u00a0555\u00a0111"),  # NTREX uk 166
        ("a 3D model", "en", "3D"),
        ("вакцина от COVID-19", "ru", "COVID-19"),
        ("version 1.2.3", "en", "1.2.3"),
    ],
)
def test_codes_phones_and_model_names_are_kept_apart(text, lang, code):
    found = read_numbers(text, lang)
    assert found and all(n.kind == "code" and n.values == () for n in found)
    if code:
        assert code in [n.text for n in found]
    assert signature(text, lang) == frozenset()


def test_hyphenated_ages_are_quantities_not_codes():
    # NTREX 44: "Shark injures 13-year-old" / "ранила 13-летнего"
    assert values("Shark injures 13-year-old on lobster dive", "en") == [13.0]
    assert values("акула ранила 13-летнего ныряльщика", "ru") == [13.0]


def test_spans_point_into_the_original_text():
    text = "في عام ٢٠٢٣ بلغ ٣٬٨٨١ شخصاً"
    for number in read_numbers(text, "ar"):
        assert text[number.start : number.end] == number.text


def test_signature_is_plain_floats_and_empty_without_numbers():
    assert signature("В 2023 году — 2,8 млрд", "ru") == frozenset({2023.0, 2.8e9})
    assert signature("Члены Ассамблеи Уэльса не хотят «походить на маппетов»", "ru") == frozenset()


def test_vulgar_fractions_and_scores():
    # NTREX en 1185: "winning 14½-13½"
    assert values("winning 14½-13½", "en") == [14.5, 13.5]


def test_a_scale_word_after_a_list_covers_the_list():
    # NTREX ur 238: "NBC 2.94, MSNBC 2.89 and CNN 2.52 million viewers"
    text = (
        "سی بی ایس کے 3.1 ملین، این بی سی کے 2.94، "
        "ایم ایس این بی سی کے 2.89 اور سی این این کے 2.52 ملین ناظرین"
    )
    assert values(text, "ur") == [3.1e6, 2.94e6, 2.89e6, 2.52e6]
    assert values("In 2019, 5 million people", "en") == [2019.0, 5e6]  # a year is not part of the list


def test_languages_without_a_profile_use_cldr_symbols_and_num2words():
    # Text+Berg de/fr 004: "um 20.30 Uhr" / "à 20 h 30"; German writes 1.500 for fifteen hundred
    assert values("Eintritt 1.500 Franken, zwei Seillängen", "de") == [1500.0, 2.0]
    assert values("et à 20 h 30 la pleine lune se lève", "fr") == values("und um 20.30 Uhr steigt", "de")


def test_area_code_phone_numbers_are_codes():
    # Text+Berg de/fr 001: "Telefon 031/433611" / "téléphone 031/43 36 11"
    assert signature("Telefon 031/433611 , Telefax 031/446063", "de") == frozenset()
    assert signature("téléphone 031/43 36 11 ,", "fr") == frozenset()
