"""Russian."""

from aligner.languages.base import LanguageProfile

PROFILE = LanguageProfile(
    code="ru",
    name="Russian",
    babel_locale="ru",
    sentence_enders=".!?…",
    abbreviations=frozenset(
        """т.е т.д т.п т.к т.н др пр см ср им г гг ул д кв обл р-н стр рис табл тыс млн млрд трлн
        руб коп долл проф акад доц канд чел ок прим напр янв фев февр апр авг сент окт нояб дек
        в вв н.э и.о зам ген пос с""".split()
    ),
    title_abbreviations=frozenset("""им ул проф акад доц тов гр пос см ср напр рис табл стр""".split()),
    list_connectors=("и", "или"),
    num2words_lang="ru",
    decimal_comma=True,
    scale_words={"тыс": 1e3, "млн": 1e6, "млрд": 1e9, "трлн": 1e12},
    percent_words=("процент", "проц"),
    range_words=(("с", "по"), ("от", "до"), ("с", "до"), ("между", "и")),
    # every case, gender, number and animacy num2words knows, for cardinals and ordinals alike
    num2words_cardinal_forms=tuple(
        (("case", case), ("gender", gender), ("plural", plural), ("animate", animate))
        for case in ("n", "g", "d", "a", "i", "p")
        for gender in ("m", "f", "n")
        for plural in (False, True)
        for animate in (True, False)
    ),
    num2words_ordinal_forms=tuple(
        (("case", case), ("gender", gender), ("plural", plural), ("animate", animate))
        for case in ("n", "g", "d", "a", "i", "p")
        for gender in ("m", "f", "n")
        for plural in (False, True)
        for animate in (True, False)
    ),
    ordinal_suffixes=(
        "й",
        "я",
        "е",
        "го",
        "му",
        "м",
        "х",
        "ми",
        "ый",
        "ий",
        "ой",
        "ая",
        "ое",
        "ого",
        "ому",
        "ым",
        "ом",
        "ых",
        "ые",
        "ти",
        "ми",
        "ть",
    ),
    extra_number_words={
        "полтора": 1.5,
        "полторы": 1.5,
        "полутора": 1.5,
        "дважды": 2,  # "twice", "thrice": soft one-word numbers, as all spelled-out ones
        "трижды": 3,
        "четырежды": 4,
        # collective numerals num2words gives only for 2-4 ("трое погибших", "пятерых детей")
        **{
            stem + ending: value
            for stem, value in (
                ("пятер", 5),
                ("шестер", 6),
                ("семер", 7),
                ("восьмер", 8),
                ("девятер", 9),
                ("десятер", 10),
            )
            for ending in ("о", "ых", "ым", "ыми")
        },
        # nouns of a group of N (the G7 is "Большая семёрка", the G20 "двадцатка"), every case; not десятки,
        # which says "tens of"
        **{
            stem + ending: value
            for stem, value in (
                ("двойк", 2),
                ("тройк", 3),
                ("четвёрк", 4),
                ("пятёрк", 5),
                ("шестёрк", 6),
                ("семёрк", 7),
                ("восьмёрк", 8),
                ("девятк", 9),
                ("двадцатк", 20),
            )
            for ending in ("а", "и", "е", "у", "ой", "ою")
        },
    },
    compound_number_prefixes={
        "одно": 1,
        "дву": 2,
        "двух": 2,
        "трёх": 3,
        "четырёх": 4,
        "пяти": 5,
        "шести": 6,
        "семи": 7,
        "восьми": 8,
        "девяти": 9,
        "десяти": 10,
        "одиннадцати": 11,
        "двенадцати": 12,
        "пятнадцати": 15,
        "двадцати": 20,
        "тридцати": 30,
        "сорока": 40,
        "пятидесяти": 50,
        "шестидесяти": 60,
        "семидесяти": 70,
        "восьмидесяти": 80,
        "девяноста": 90,
        "сто": 100,
        "двухсот": 200,
        "трёхсот": 300,
        "пятисот": 500,
        "тысяче": 1000,
    },
    compound_number_stems=tuple(
        """лет звезд этаж месяч дневн суточн недельн часов минутн секундн кратн комнат
        процент сторон местн разов томн серийн полосн мерн уровнев ступенчат колесн осн моторн
        цилиндров ядерн метров километров тонн литров гранн угольн слойн язычн палубн голов цветн
        зарядн ствольн дверн ярусн квартирн класс сменн ходов""".split()
    ),
    day_part_words={"утра": "am", "ночи": "am", "дня": "pm", "вечера": "pm"},
    hour_words=("час", "часа", "часов"),
    day_parts_after_hour_only=frozenset({"дня"}),
    # US news keeps its units in translation ("два фута", "40 миль"); another translation may convert them
    unit_conversions={
        **dict.fromkeys(("дюйм", "дюйма", "дюймов", "дюйму", "дюймами"), (2.54, 0.0)),
        **dict.fromkeys(("фут", "фута", "футов", "футам", "футами"), (0.3048, 0.0)),
        **dict.fromkeys(("ярд", "ярда", "ярдов"), (0.9144, 0.0)),
        **dict.fromkeys(("миля", "мили", "миль", "милю", "милями", "милях"), (1.609344, 0.0)),
        **dict.fromkeys(("фунт", "фунта", "фунтов"), (0.4536, 0.0)),
        **dict.fromkeys(("унция", "унции", "унций"), (28.35, 0.0)),
        **dict.fromkeys(("галлон", "галлона", "галлонов"), (3.785, 0.0)),
        **dict.fromkeys(("акр", "акра", "акров"), (0.4047, 0.0)),
    },
    roman_numeral_nouns=(
        "век",
        "века",
        "веке",
        "веков",
        "векам",
        "веках",
        "вв",
        "в",
        "тысячелет",
        "съезд",
        "созыв",
        "династи",
        "олимпиад",
        "квартал",
        "степен",
        "категори",
        "групп",
    ),
    roman_numeral_titles=(
        "войн",
        "фаз",
        "част",
        "глав",
        "этап",
        "тип",
        "класс",
        "категори",
        "том",
        "степен",
        "групп",
        "император",
        "корол",
        "цар",
        "папа",
        "папы",
    ),
    half_suffix_phrases=("с половиной",),
    unit_words={
        **dict.fromkeys(("метр", "метра", "метров", "метре", "метрах", "метрами", "метру"), "meter"),
        **dict.fromkeys(("литр", "литра", "литров", "литре", "литрах", "литрами"), "liter"),
        **dict.fromkeys(("час", "часа", "часов", "часу", "часам", "часах", "часами", "ч."), "hour"),
        **dict.fromkeys(("год", "года", "лет", "году", "годах", "годами", "годам", "летн*"), "year"),
        **dict.fromkeys(("милю", "милях", "милями"), "mile"),
        **dict.fromkeys(("фунт стерлингов", "фунта стерлингов", "фунтов стерлингов"), "currency:GBP"),
        **dict.fromkeys(("день", "дня", "дней", "дням", "днях", "сутки", "суток", "дн."), "day"),
        **dict.fromkeys(("мин.", "мин"), "minute"),
        **dict.fromkeys(("сек", "сек."), "second"),
        **dict.fromkeys(("долл", "долл.", "доллара", "долларов"), "currency:USD"),
        **dict.fromkeys(("руб", "руб.", "рублей", "рубля"), "currency:RUB"),
        **dict.fromkeys(("грн", "грн."), "currency:UAH"),
        **dict.fromkeys(("п.п.", "п. п.", "пп"), "percentage_point"),
        **dict.fromkeys(("тонн", "тонна", "тонны", "тонну", "тоннах", "тоннами"), "metric_ton"),
        **dict.fromkeys(("м2", "кв. м", "кв м", "кв.м"), "meter**2"),
        **dict.fromkeys(("км2", "кв. км", "кв км", "кв.км"), "kilometer**2"),
        **dict.fromkeys(("м3", "куб. м", "куб.м"), "meter**3"),
        **dict.fromkeys(("км/ч", "км/год"), "kilometer/hour"),
        **dict.fromkeys(("°с",), "degree_Celsius"),  # a Cyrillic С typed for the Latin C
    },
    unit_word_exclusions=frozenset({"л.", "м.", "н.", "д.", "в.", "ми", "сша"}),
    unit_letters=frozenset({"м", "г", "л", "т", "ч"}),
    percentage_point_words=(
        "процентных пункт",
        "процентного пункт",
        "процентные пункт",
        "пункт",
        "п.п",
        "п. п",
    ),
)
