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
    extra_number_words={"полтора": 1.5, "полторы": 1.5, "полутора": 1.5},
)
