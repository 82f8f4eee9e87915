"""Number-word tables (num2words plus the language files) and the spelled-number parser."""

from __future__ import annotations

from aligner.numbers.words import JOINED, lexicon, normalise_word, parse_words


def parse(text: str, lang: str):
    words = [normalise_word(w) for w in text.split()]
    return parse_words(words, 0, lexicon(lang), [JOINED] * len(words))


def test_tables_hold_case_forms_from_num2words():
    ru = lexicon("ru")
    assert {"двадцати", "двадцатью", "тысячами", "миллионов"} <= set(ru.cardinals) | set(ru.scales)
    assert "третьего" in ru.ordinals
    uk = lexicon("uk")
    assert "третього" in uk.ordinals  # from the hand-written endings in uk.py


def test_normalisation_folds_spelling_variants():
    assert normalise_word("ألفاً") == normalise_word("الفا")
    assert normalise_word("п’ять") == "п'ять"


def test_parser_builds_values_and_stops_at_non_numbers():
    assert parse("две тысячи двадцать три года", "ru").value == 2023.0
    assert parse("five six", "en").value == 5.0  # two numbers, not 11
    assert parse("ثلاثة وعشرون", "ar").value == 23.0
    assert parse("تین سو پچیس", "ur").value == 325.0
    assert parse("hello world", "en") is None


def test_compound_words_begin_with_a_number_only_before_a_known_stem():
    ru, uk = lexicon("ru"), lexicon("uk")
    assert ru.compound(normalise_word("трёхзвёздочному")) == 3
    assert ru.compound(normalise_word("двухъярусный")) == 2  # the hard sign after the number
    assert ru.compound(normalise_word("двухсотлетие")) == 200  # the longest first part wins
    assert uk.compound(normalise_word("п’ятирічний")) == 5  # apostrophe variants fold
    assert uk.compound(normalise_word("тисячоліття")) == 1000
    for word in ("семинар", "сторона", "однозначно", "пятница"):
        assert ru.compound(normalise_word(word)) is None
    for word in ("трибуна", "сторінка", "столиця", "дворянин"):
        assert uk.compound(normalise_word(word)) is None
    assert lexicon("en").compound("threefold") is None  # a language without compounds in its file


def test_collective_numerals_are_read():
    """ "трое погибших", "п'ятеро дітей": news counts people with collective numerals."""
    ru, uk = lexicon("ru"), lexicon("uk")
    for word, value in (("пятеро", 5), ("семерых", 7), ("десятерыми", 10), ("трое", 3)):
        assert ru.lookup(normalise_word(word)) == ("card", value)
    for word, value in (("двоє", 2), ("п’ятеро", 5), ("шістьох", 6), ("сімома", 7), ("десятьом", 10)):
        assert uk.lookup(normalise_word(word)) == ("card", value)
