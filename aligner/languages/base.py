"""What the toolkit knows about one language, kept in one record per language file."""

from __future__ import annotations

from dataclasses import dataclass, field

# Kinds of punctuation a translation usually keeps, with the characters most scripts write for them;
# a language file overrides a kind when its script has its own character (Arabic-script ؟ and ؛).
KEPT_MARKS: dict[str, str] = {
    "colon": ":：",
    "question": "?？",
    "exclamation": "!！",
    "bracket": "(（",
    "semicolon": ";；",
}  # the second character of each: the full-width form of Chinese and Japanese text


@dataclass(frozen=True)
class LanguageProfile:
    code: str  # ISO 639-1, as langdetect reports it
    name: str
    rtl: bool = False
    babel_locale: str = ""  # CLDR locale for number symbols (decimal, group, percent)
    # Segmentation
    sentence_enders: str = ".!?…؟۔।"  # characters that end a sentence when a space follows
    # Enders after which the next sentence starts without a space (Chinese and Japanese full stops)
    unspaced_enders: str = "。！？｡"
    abbreviations: frozenset[str] = (
        frozenset()
    )  # lower-case, without the final dot: end a sentence only before a capital
    title_abbreviations: frozenset[str] = frozenset()  # stand before a name or number: never end a sentence
    # Alignment: marks a translation usually keeps, by kind (the kinds of KEPT_MARKS) -> characters
    kept_marks: dict[str, str] = field(default_factory=lambda: dict(KEPT_MARKS))
    # Numbers
    num2words_lang: str | None = None  # language code num2words knows, if any
    decimal_comma: bool = False  # the language's own convention writes 2,8 for 2.8
    scale_words: dict[str, float] = field(default_factory=dict)  # word (lower-case) -> multiplier
    percent_words: tuple[str, ...] = ()  # words that make the number before them a percentage
    range_words: tuple[tuple[str, str], ...] = ()  # ("from", "to") pairs that make a range
    extra_number_words: dict[str, float] = field(default_factory=dict)  # hand-written words num2words lacks
    attached_prefixes: tuple[str, ...] = ()  # clitics written onto a number word (Arabic و ب ل)
    # num2words keyword sets that render every case / gender form of cardinals and ordinals
    num2words_cardinal_forms: tuple[tuple[tuple[str, object], ...], ...] = ((),)
    num2words_ordinal_forms: tuple[tuple[tuple[str, object], ...], ...] = ((),)
    # (nominative ending, other endings) of ordinal adjectives num2words gives in one form only
    ordinal_inflections: tuple[tuple[str, tuple[str, ...]], ...] = ()
    extra_ordinal_words: dict[str, float] = field(default_factory=dict)  # hand-written ordinals
    ordinal_suffixes: tuple[str, ...] = ()  # written after digits: 1st, 3-й, 5-та
    number_connectors: tuple[str, ...] = ()  # words inside one spelled number: "and", "و"
    units_before_tens: bool = False  # Arabic says "five and twenty"
    unit_articles: tuple[str, ...] = ()  # "a" in "a million": means one before a scale word
    postpositional_ranges: bool = False  # Urdu "2022 سے 2025 تک": the range words follow each number
    # number words that are also common other words: read as numbers only inside a longer number
    homograph_number_words: frozenset[str] = frozenset()
    # metric value = number * factor + offset, for units a translation may convert (miles -> km)
    unit_conversions: dict[str, tuple[float, float]] = field(default_factory=dict)
    ordinal_prefixes: tuple[str, ...] = ()  # a cardinal with this prefix is an ordinal (Arabic العشرين)
    list_connectors: tuple[str, ...] = ()  # "2.94, 2.89 and 2.52 million": the scale word covers the list
    currency_scale_suffixes: dict[str, float] = field(default_factory=dict)  # £5m, $2bn: only after money
    # Clock times said with a part of the day ("7 مساءً", "شام 7 بجے", "7 часов вечера"): word -> am | pm,
    # the words that may stand between the hour and it ("часов", "بجے"), and whether it may come first
    # (Urdu; then an hour word must follow the number).
    day_part_words: dict[str, str] = field(default_factory=dict)
    hour_words: tuple[str, ...] = ()
    day_parts_after_hour_only: frozenset[str] = frozenset()  # "3 часа дня" is 3 pm, "3 дня" three days
    # hour words that always mean a clock time ("1 بجے", "1 o'clock"): without a part of the day, the
    # hour is read on both halves of the clock (1 and 13); "7 часов" may be a duration, so not there
    clock_words: tuple[str, ...] = ()
    day_part_before: bool = False
    # parts of the day said in several words after the hour ("2 in the afternoon") -> am | pm
    day_part_phrases: dict[str, str] = field(default_factory=dict)
    # words after a year that make it a decade, as "1930s" does in English ("1930 کی دہائی")
    decade_phrases: tuple[str, ...] = ()
    # A number written into a compound word (трёхзвёздочный "three-star", п'ятирічний "five-year"): the
    # first part -> its value, read only before one of the stems, so that семинар is no 7.
    compound_number_prefixes: dict[str, float] = field(default_factory=dict)
    compound_number_stems: tuple[str, ...] = ()
    # words before a number that add a fraction of its first unit (Urdu ساڑھے تین "three and a half",
    # ساڑھے تین سو 350, پونے دو "a quarter less than two"), and words after which they mean something else
    # (Urdu "کے سوا", "except")
    fraction_prefix_words: dict[str, float] = field(default_factory=dict)
    fraction_prefix_blockers: tuple[str, ...] = ()
    half_suffix_phrases: tuple[str, ...] = ()  # after a number: "and a half", "с половиной", "ونصف"
    # Roman numerals are read as numbers before these words (XXI век; entries of four letters or more also
    # match their inflections), after these words (World War II), or after a capitalised name (Elizabeth II);
    # a numeral that is also a word of the language ("I") is never read on its own.
    roman_numeral_nouns: tuple[str, ...] = ()
    roman_numeral_titles: tuple[str, ...] = ()
    roman_numeral_homographs: frozenset[str] = frozenset()
    # Units (``numbers/unit_words.py`` reads CLDR's unit and currency names): words CLDR lacks -> a pint unit,
    # "currency:XXX", "percentage_point" or "" for a name of two units ("летн*": any word of that stem);
    # CLDR forms that after a number mean something else; one-letter symbols read as units (others are
    # initials or particles)
    unit_words: dict[str, str] = field(default_factory=dict)
    unit_word_exclusions: frozenset[str] = frozenset()
    unit_letters: frozenset[str] = frozenset()
    # words after a percentage that make it percentage points ("5 percentage points", "5 п.п.")
    percentage_point_words: tuple[str, ...] = ()
    # idioms written with digits that are no number ("3rd party"): lower-case, as written
    digit_idioms: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = sorted(set(self.kept_marks) - set(KEPT_MARKS))
        if unknown:  # a misspelt kind would silently never count
            raise ValueError(f"{self.code}: unknown kept_marks kinds {unknown}; known: {sorted(KEPT_MARKS)}")
