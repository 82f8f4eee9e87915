"""Ukrainian."""

from aligner.languages.base import LanguageProfile

PROFILE = LanguageProfile(
    code="uk",
    name="Ukrainian",
    babel_locale="uk",
    sentence_enders=".!?…",
    abbreviations=frozenset(
        """т.б т.д т.п т.ч див ін ім напр пор р рр вул обл р-н с смт стор рис табл тис млн млрд
        трлн грн коп дол проф акад доц канд ос прим січ лют бер квіт трав черв лип серп вер жовт
        лист груд ст н.е в.о заст ген""".split()
    ),
    title_abbreviations=frozenset("""ім вул проф акад доц див пор напр рис табл стор""".split()),
    list_connectors=("і", "й", "та", "або"),
    num2words_lang="uk",
    decimal_comma=True,
    scale_words={"тис": 1e3, "млн": 1e6, "млрд": 1e9, "трлн": 1e12},
    percent_words=("відсот", "проц"),
    range_words=(("з", "по"), ("від", "до"), ("з", "до"), ("між", "і"), ("між", "та")),
    num2words_cardinal_forms=tuple(
        (("case", case), ("gender", gender))
        for case in ("nominative", "genitive", "dative", "accusative", "instrumental", "locative")
        for gender in ("masculine", "feminine")
    ),
    # num2words gives Ukrainian ordinals in the masculine nominative only: the other endings by hand
    ordinal_inflections=(
        ("ий", ("ого", "ому", "им", "ім", "а", "ої", "ій", "у", "ою", "е", "і", "их", "ими")),
        ("ій", ("ього", "ьому", "ім", "я", "ьої", "ю", "ьою", "є", "і", "іх", "іми")),
    ),
    ordinal_suffixes=(
        "й",
        "я",
        "е",
        "го",
        "му",
        "м",
        "х",
        "ти",
        "ма",
        "ої",
        "ий",
        "ій",
        "ого",
        "ому",
        "им",
        "ім",
        "их",
        "а",
        "та",
        "ша",
        "га",
        "тя",
        "те",
    ),
    extra_number_words={"півтора": 1.5, "півтори": 1.5},
    compound_number_prefixes={
        "одно": 1,
        "дво": 2,
        "двох": 2,
        "три": 3,
        "трьох": 3,
        "чотири": 4,
        "чотирьох": 4,
        "п'яти": 5,
        "шести": 6,
        "семи": 7,
        "восьми": 8,
        "дев'яти": 9,
        "десяти": 10,
        "дванадцяти": 12,
        "п'ятнадцяти": 15,
        "двадцяти": 20,
        "тридцяти": 30,
        "сорока": 40,
        "п'ятдесяти": 50,
        "сто": 100,
        "двохсот": 200,
        "трьохсот": 300,
        "п'ятисот": 500,
        "тисячо": 1000,
        "тисяче": 1000,
    },
    compound_number_stems=tuple(
        """річн річч літн літт зірк поверх місяч денн добов тижнев годин хвилин секунд кратн кімнат
        відсот сторон місн разов томн серійн смуг вимірн рівнев ступен колісн осьов мотор
        циліндр ядерн метров кілометров тонн літров гранн кутн шаров мовн палубн голов кольоров
        зарядн ствольн дверн ярусн квартирн класн змінн ходов""".split()
    ),
)
