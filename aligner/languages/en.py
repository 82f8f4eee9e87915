"""English."""

from aligner.languages.base import LanguageProfile

PROFILE = LanguageProfile(
    code="en",
    name="English",
    babel_locale="en",
    sentence_enders=".!?…",
    abbreviations=frozenset(
        """mr mrs ms dr prof sr jr st no nos vs etc e.g i.e approx dept est fig inc ltd co corp gov
        gen col lt sgt capt rep sen jan feb mar apr jun jul aug sep sept oct nov dec mt ft u.s
        u.k u.n a.m p.m""".split()
    ),
    title_abbreviations=frozenset(
        """mr mrs ms dr prof st no nos gen col lt sgt capt rep sen mt fig approx vs""".split()
    ),
    list_connectors=("and", "or"),
    num2words_lang="en",
    decimal_comma=False,
    scale_words={"bn": 1e9, "mn": 1e6, "mln": 1e6, "tn": 1e12, "trillion": 1e12},
    percent_words=("percent", "per cent", "percentage point"),
    range_words=(("from", "to"), ("between", "and"), ("from", "until"), ("from", "through")),
    ordinal_suffixes=("st", "nd", "rd", "th"),
    number_connectors=("and",),
    unit_articles=("a", "an"),
    homograph_number_words=frozenset(),
    unit_conversions={
        "inch": (2.54, 0.0),
        "inches": (2.54, 0.0),
        "foot": (0.3048, 0.0),
        "feet": (0.3048, 0.0),
        "ft": (0.3048, 0.0),
        "yard": (0.9144, 0.0),
        "yards": (0.9144, 0.0),
        "mile": (1.609344, 0.0),
        "miles": (1.609344, 0.0),
        "mph": (1.609344, 0.0),
        "pound": (0.4536, 0.0),
        "pounds": (0.4536, 0.0),
        "lb": (0.4536, 0.0),
        "lbs": (0.4536, 0.0),
        "ounce": (28.35, 0.0),
        "ounces": (28.35, 0.0),
        "oz": (28.35, 0.0),
        "gallon": (3.785, 0.0),
        "gallons": (3.785, 0.0),
        "acre": (0.4047, 0.0),
        "acres": (0.4047, 0.0),
        "fahrenheit": (5 / 9, -32 * 5 / 9),
        "f": (5 / 9, -32 * 5 / 9),
        # plain "degrees" in US news is Fahrenheit often enough to accept a Celsius translation
        "degrees": (5 / 9, -32 * 5 / 9),
        "degree": (5 / 9, -32 * 5 / 9),
    },
    currency_scale_suffixes={"m": 1e6, "k": 1e3, "bn": 1e9},
    day_part_phrases={
        "in the morning": "am",
        "in the afternoon": "pm",
        "in the evening": "pm",
        "at night": "pm",
    },
    hour_words=("o'clock",),
    clock_words=("o'clock",),
    extra_number_words={"dozen": 12.0, "decade": 10.0, "twice": 2.0, "thrice": 3.0},
    roman_numeral_nouns=("century", "centuries", "millennium", "millennia", "congress", "dynasty"),
    roman_numeral_titles=(
        "war",
        "phase",
        "part",
        "chapter",
        "stage",
        "type",
        "class",
        "category",
        "volume",
        "grade",
        "level",
        "pope",
        "king",
        "queen",
        "tsar",
        "emperor",
        "olympiad",
    ),
    roman_numeral_homographs=frozenset({"I", "V", "X"}),  # the pronoun, and letters used as names
    half_suffix_phrases=("and a half", "and one half"),
)
