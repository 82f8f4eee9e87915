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
    extra_number_words={
        "півтора": 1.5,
        "півтори": 1.5,
        "двічі": 2,  # "twice", "thrice"
        "тричі": 3,
        "чотиричі": 4,
        # collective numerals ("троє загиблих", "п'ятеро дітей") and their oblique forms num2words lacks
        "двоє": 2,
        "троє": 3,
        "четверо": 4,
        **{word: 5 for word in ("п'ятеро", "п'ятьох", "п'ятьом", "п'ятьома")},
        **{word: 6 for word in ("шестеро", "шістьох", "шістьом", "шістьома")},
        **{word: 7 for word in ("семеро", "сімох", "сімом", "сімома")},
        **{word: 8 for word in ("восьмеро", "вісьмох", "вісьмом", "вісьмома")},
        **{word: 9 for word in ("дев'ятеро", "дев'ятьох", "дев'ятьом", "дев'ятьома")},
        **{word: 10 for word in ("десятеро", "десятьох", "десятьом", "десятьома")},
        # nouns of a group of N (the G7 is "Велика сімка", the G20 "двадцятка"), every case; not десятки,
        # which says "tens of"
        **{
            stem + ending: value
            for stem, value in (
                ("двійк", 2),
                ("трійк", 3),
                ("четвірк", 4),
                ("п'ятірк", 5),
                ("шістк", 6),
                ("сімк", 7),
                ("вісімк", 8),
                ("дев'ятк", 9),
                ("двадцятк", 20),
            )
            for ending in ("а", "и", "у", "ою", "ок")
        },
        **{  # the locative and dative change к to ц: у двадцятці
            stem + "ці": value
            for stem, value in (
                ("двій", 2),
                ("трій", 3),
                ("четвір", 4),
                ("п'ятір", 5),
                ("шіст", 6),
                ("сім", 7),
                ("вісім", 8),
                ("дев'ят", 9),
                ("двадцят", 20),
            )
        },
    },
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
    day_part_words={"ранку": "am", "ночі": "am", "дня": "pm", "вечора": "pm"},
    hour_words=("година", "години", "годині", "годин", "годину"),
    day_parts_after_hour_only=frozenset({"дня"}),
    # US news keeps its units in translation ("два фути", "40 миль"); another translation may convert them
    unit_conversions={
        **dict.fromkeys(("дюйм", "дюйми", "дюймів", "дюйма"), (2.54, 0.0)),
        **dict.fromkeys(("фут", "фути", "футів", "фута"), (0.3048, 0.0)),
        **dict.fromkeys(("ярд", "ярди", "ярдів", "ярда"), (0.9144, 0.0)),
        **dict.fromkeys(("миля", "милі", "миль", "милю", "милями"), (1.609344, 0.0)),
        **dict.fromkeys(("фунт", "фунти", "фунтів", "фунта"), (0.4536, 0.0)),
        **dict.fromkeys(("унція", "унції", "унцій"), (28.35, 0.0)),
        **dict.fromkeys(("галон", "галони", "галонів"), (3.785, 0.0)),
        **dict.fromkeys(("акр", "акри", "акрів"), (0.4047, 0.0)),
    },
    roman_numeral_nouns=(
        "століт",
        "сторіч",
        "ст",
        "тисячоліт",
        "з'їзд",
        "скликан",
        "династі",
        "олімпіад",
        "квартал",
        "ступен",
        "категорі",
        "груп",
    ),
    roman_numeral_titles=(
        "війн",
        "фаз",
        "частин",
        "розділ",
        "етап",
        "тип",
        "клас",
        "категорі",
        "том",
        "ступен",
        "груп",
        "імператор",
        "корол",
        "цар",
        "папа",
        "папи",
    ),
    roman_numeral_homographs=frozenset({"І"}),  # the conjunction "і" at the start of a sentence
    half_suffix_phrases=("з половиною", "із половиною", "з половиной"),
    unit_words={
        **dict.fromkeys(("метр", "метра", "метрів", "метрі", "метрах", "метрами"), "meter"),
        **dict.fromkeys(("літр", "літра", "літрів", "літрі", "літрах"), "liter"),
        **dict.fromkeys(("рік", "роки", "років", "році", "роках", "роками", "рр.", "річн*"), "year"),
        **dict.fromkeys(("милю", "милях", "милями"), "mile"),
        **dict.fromkeys(("фунт стерлінгів", "фунта стерлінгів", "фунтів стерлінгів"), "currency:GBP"),
        **dict.fromkeys(("день", "дні", "днів", "дня", "доба", "доби", "діб"), "day"),
        **dict.fromkeys(("год", "год."), "hour"),
        **dict.fromkeys(("хв", "хв."), "minute"),
        **dict.fromkeys(("мл",), "milliliter"),
        "г": "gram",  # CLDR's narrow hour too; news writes "год" for hours
        "м": "meter",  # CLDR's narrow month too; Ukrainian writes "міс." for months
        **dict.fromkeys(("дол", "дол.", "долара", "доларів"), "currency:USD"),
        **dict.fromkeys(("грн", "грн.", "гривень", "гривні", "гривня", "гривню"), "currency:UAH"),
        **dict.fromkeys(("руб", "руб."), "currency:RUB"),
        **dict.fromkeys(("в.п.", "п.п.", "в. п."), "percentage_point"),
        **dict.fromkeys(("тонн", "тонна", "тонни", "тонну", "тоннах", "тоннами"), "metric_ton"),
        **dict.fromkeys(("м2", "кв. м", "кв м", "кв.м"), "meter**2"),
        **dict.fromkeys(("км2", "кв. км", "кв км", "кв.км"), "kilometer**2"),
        **dict.fromkeys(("м3", "куб. м", "куб.м"), "meter**3"),
        **dict.fromkeys(("км/год",), "kilometer/hour"),
        **dict.fromkeys(("°с",), "degree_Celsius"),  # a Cyrillic С typed for the Latin C
    },
    unit_word_exclusions=frozenset({"ст", "сша"}),
    unit_letters=frozenset({"м", "г", "л", "т"}),
    percentage_point_words=(
        "відсоткових пункт",
        "відсоткового пункт",
        "відсоткові пункт",
        "пункт",
        "в.п",
        "п.п",
    ),
)
