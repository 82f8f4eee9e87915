"""The words and symbols that name a unit after (or a currency before) a number, in each language.

CLDR (through Babel) gives every language's unit names in each plural form ("5 километров", "ساعتان",
"5 کلو میٹر") and its currency names and symbols; pint names the units and converts them. The language files
add by hand only what CLDR lacks: case forms CLDR has no place for ("в 5 километрах"), abbreviations
news writes ("долл.", "руб."), and the CLDR forms that mean something else after a number.

A unit is a pint unit name ("kilometer", "degree_Fahrenheit"), "currency:USD" (or "currency:?" for a word
several currencies share), "percent" or "percentage_point".
"""

from __future__ import annotations

import functools
import re

from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_name, get_currency_symbol

from aligner import languages
from aligner.numbers.words import normalise_word

# CLDR unit keys -> pint unit names: length, mass, area, volume, speed, durations, temperature, data, power,
# energy;
# "ton" is read as the metric ton: news writes "tons" for either, and 10% is no slip anyone made; no decade:
# pint's decade is a logarithmic unit, and "a decade" is read as the number 10 (of years)
# fmt: off
CLDR_UNITS: dict[str, str] = {
    "length-kilometer": "kilometer", "length-meter": "meter", "length-decimeter": "decimeter",
    "length-centimeter": "centimeter", "length-millimeter": "millimeter", "length-micrometer": "micrometer",
    "length-nanometer": "nanometer", "length-mile": "mile", "length-yard": "yard", "length-foot": "foot",
    "length-inch": "inch", "length-nautical-mile": "nautical_mile", "length-light-year": "light_year",
    "mass-tonne": "metric_ton", "mass-kilogram": "kilogram", "mass-gram": "gram",
    "mass-milligram": "milligram",
    "mass-microgram": "microgram", "mass-ton": "metric_ton", "mass-stone": "stone", "mass-pound": "pound",
    "mass-ounce": "ounce", "mass-carat": "carat",
    "area-square-kilometer": "kilometer**2", "area-hectare": "hectare", "area-square-meter": "meter**2",
    "area-square-centimeter": "centimeter**2", "area-square-mile": "mile**2", "area-acre": "acre",
    "area-square-yard": "yard**2", "area-square-foot": "foot**2", "area-square-inch": "inch**2",
    "volume-cubic-kilometer": "kilometer**3", "volume-cubic-meter": "meter**3",
    "volume-cubic-centimeter": "centimeter**3", "volume-liter": "liter", "volume-milliliter": "milliliter",
    "volume-deciliter": "deciliter", "volume-centiliter": "centiliter", "volume-hectoliter": "hectoliter",
    "volume-gallon": "gallon", "volume-gallon-imperial": "imperial_gallon", "volume-quart": "quart",
    "volume-pint": "pint", "volume-fluid-ounce": "fluid_ounce", "volume-barrel": "oil_barrel",
    "volume-tablespoon": "tablespoon", "volume-teaspoon": "teaspoon",
    "speed-kilometer-per-hour": "kilometer/hour", "speed-meter-per-second": "meter/second",
    "speed-mile-per-hour": "mile/hour", "speed-knot": "knot",
    "duration-century": "century", "duration-year": "year",
    "duration-month": "month", "duration-week": "week", "duration-day": "day", "duration-hour": "hour",
    "duration-minute": "minute", "duration-second": "second", "duration-millisecond": "millisecond",
    "temperature-celsius": "degree_Celsius", "temperature-fahrenheit": "degree_Fahrenheit",
    "temperature-kelvin": "kelvin",
    "digital-terabyte": "terabyte", "digital-gigabyte": "gigabyte", "digital-megabyte": "megabyte",
    "digital-kilobyte": "kilobyte", "digital-byte": "byte",
    "power-gigawatt": "gigawatt", "power-megawatt": "megawatt", "power-kilowatt": "kilowatt",
    "power-watt": "watt", "energy-kilowatt-hour": "kilowatt_hour", "energy-joule": "joule",
    "energy-kilojoule": "kilojoule", "energy-calorie": "calorie", "energy-kilocalorie": "kilocalorie",
    "energy-foodcalorie": "kilocalorie", "energy-british-thermal-unit": "british_thermal_unit",
}
# fmt: on
CURRENCIES = (
    "USD",
    "EUR",
    "GBP",
    "RUB",
    "UAH",
    "PKR",
    "INR",
    "SAR",
    "AED",
    "EGP",
    "JPY",
    "CNY",
    "CHF",
    "QAR",
)
_STEM_MIN = 5  # a Cyrillic unit name matches its other case forms by the stem its plural forms share
_NOUN_SHARED = (
    4  # a word of four currency names or more is a currency noun ("dollar"), not a country ("Saudi")
)
_CYRILLIC = re.compile(r"[а-яіїєґ]")
_SPACE = r"[\s\u00a0\u202f\u2009]*"
_LENGTHS = frozenset({"kilometer", "meter", "mile"})


def _locale(lang: str) -> Locale | None:
    try:
        return Locale.parse(languages.get(lang).babel_locale or lang)
    except (ValueError, UnknownLocaleError):
        return None


def _pattern_words(pattern: str) -> str:
    return " ".join(pattern.replace("{0}", " ").split())


def _cldr_units(locale: Locale) -> dict[str, set[str]]:
    """Unit name forms (normalised) -> the pint units they name, from CLDR's unit patterns."""
    found: dict[str, set[str]] = {}
    patterns = locale._data["unit_patterns"]
    for key, unit in CLDR_UNITS.items():
        if key not in patterns:
            continue
        for width in ("long", "short", "narrow"):
            forms = patterns[key].get(width, {})
            for count in forms:
                if count == "per":
                    continue
                name = normalise_word(_pattern_words(forms[count]))
                if name:
                    found.setdefault(name, set()).add(unit)
    return found


def _currency_names(locale: Locale, code: str) -> set[str]:
    return {get_currency_name(code, count=count, locale=locale) for count in (1, 2, 3, 5, 11, 100, 1.5)}


def _cldr_currencies(locale: Locale) -> tuple[dict[str, set[str]], dict[str, str]]:
    """(currency words -> currencies, symbols -> currency) from CLDR. A name of one word ("euro", "евро")
    counts whole; of a longer name only the nouns, the words several of CLDR's currencies share ("dollar",
    "рубль", "ريال"), not the country adjectives ("Saudi", "российский") that name people as well."""
    sharing: dict[str, set[str]] = {}
    for code in locale.currencies:
        for name in _currency_names(locale, code):
            for word in name.split():
                sharing.setdefault(normalise_word(word), set()).add(code)
    words: dict[str, set[str]] = {}
    symbols: dict[str, str] = {}
    for code in CURRENCIES:
        words.setdefault(code.lower(), set()).add(f"currency:{code}")
        for name in _currency_names(locale, code):
            parts = [normalise_word(word) for word in name.split()]
            for word in parts:
                if len(parts) == 1 or len(sharing.get(word, ())) >= _NOUN_SHARED:
                    words.setdefault(word, set()).add(f"currency:{code}")
        for where in (locale, "en"):
            symbol = get_currency_symbol(code, locale=where)
            if symbol != code and not symbol.isalpha():
                symbols.setdefault(symbol, f"currency:{code}")
    return words, symbols


@functools.cache
def unit_words(lang: str) -> dict[str, str]:
    """Normalised unit names and symbols of ``lang`` (spaces between words) -> unit; "" when the name is
    ambiguous (a pound of weight or of money), which blocks a reading."""
    profile = languages.get(lang)
    locale = _locale(lang)
    names: dict[str, set[str]] = {}
    if locale is not None:
        for source in (_cldr_units(locale), _cldr_currencies(locale)[0]):
            for name, units in source.items():
                names.setdefault(name, set()).update(units)
    for symbol, currency in currency_symbols(lang).items():
        names.setdefault(normalise_word(symbol), set()).add(currency)  # 140 €, 5 $
    for name, unit in profile.unit_words.items():
        names[normalise_word(name)] = {unit}  # the language file's word is what the language means
    out: dict[str, str] = {}
    for name, units in names.items():
        letter = len(name) == 1 and name.isalpha() and name not in profile.unit_letters
        if letter or name in profile.unit_word_exclusions:
            continue
        currencies = {u for u in units if u.startswith("currency:")}
        if len(units) == 1:
            out[name] = next(iter(units))
        elif currencies == units:
            out[name] = "currency:?"  # a pound or a dinar of one of several countries
        else:
            out[name] = ""
    return out


@functools.cache
def currency_symbols(lang: str) -> dict[str, str]:
    """Currency symbols (as written) -> "currency:XXX", from CLDR for ``lang`` and English."""
    locale = _locale(lang) or Locale.parse("en")
    symbols = _cldr_currencies(locale)[1]
    symbols.update({"$": "currency:USD", "₽": "currency:RUB", "₴": "currency:UAH", "₹": "currency:INR"})
    return symbols


def _alternative(name: str) -> str:
    words = name.split(" ")
    parts = []
    for k, word in enumerate(words):
        piece = re.escape(word.rstrip("*"))
        last = k == len(words) - 1
        if word.endswith("*") or (last and _CYRILLIC.match(word) and len(word) >= _STEM_MIN):
            piece += r"[^\W\d_]*"  # the other case forms of a Cyrillic unit name
        parts.append(piece)
    return _SPACE.join(parts)


@functools.cache
def _after_patterns(lang: str) -> dict[str, tuple[re.Pattern[str], tuple[str, ...]]]:
    """One pattern per first character of the names: a number is followed by few of them."""
    table = unit_words(lang)
    by_first: dict[str, list[str]] = {}
    for name in sorted(table, key=len, reverse=True):
        by_first.setdefault(name[0], []).append(name)
    out = {}
    for first, names in by_first.items():
        alternatives = "|".join(f"(?P<u{k}>{_alternative(name)})" for k, name in enumerate(names))
        out[first] = re.compile(rf"(?:{alternatives})(?![^\W\d_])"), tuple(names)
    return out


@functools.cache
def _per_hour(lang: str) -> re.Pattern[str]:
    """ "per hour" after a unit, as CLDR writes it ("{0} в час", "{0}/h", "{0} في الساعة") or as news does."""
    forms = {"/h", "/ч", "an hour", "per hour", "a hour"}
    locale = _locale(lang)
    if locale is not None:
        patterns = locale._data["unit_patterns"]["duration-hour"]
        forms |= {
            normalise_word(_pattern_words(patterns[w]["per"])) for w in patterns if "per" in patterns[w]
        }
    alternatives = "|".join(_alternative(f) for f in sorted(forms, key=len, reverse=True) if f)
    return re.compile(rf"{_SPACE}(?:{alternatives})(?![^\W\d_])")


def unit_after(text: str, lang: str) -> str | None:
    """The unit named at the start of ``text`` (the text after a number), or None; "" for an ambiguous
    name. A length per hour is a speed: "137 км на годину", "85 ميلاً في الساعة"."""
    tail = normalise_word(text[:60])
    start = len(tail) - len(tail.lstrip(" \u00a0\u202f\u2009"))
    if tail[start : start + 1] == "-":
        start += 1 + len(tail[start + 1 :]) - len(tail[start + 1 :].lstrip(" \u00a0\u202f\u2009"))
    if start >= len(tail) or tail[start] not in _after_patterns(lang):
        return None
    pattern, names = _after_patterns(lang)[tail[start]]
    match = pattern.match(tail, start)
    if match is None or match.lastgroup is None:
        return None
    unit = unit_words(lang)[names[int(match.lastgroup[1:])]]
    if unit in _LENGTHS and _per_hour(lang).match(tail, match.end()):
        return f"{unit}/hour"
    return unit


@functools.cache
def _before_pattern(lang: str) -> re.Pattern[str]:
    symbols = sorted(currency_symbols(lang), key=len, reverse=True)
    codes = [code.lower() for code in CURRENCIES]
    alternatives = "|".join(re.escape(s.lower()) for s in symbols + codes)
    return re.compile(rf"(?<![^\W\d_])(?:{alternatives}){_SPACE}$")


def currency_before(text: str, lang: str) -> str | None:
    """The currency whose symbol or ISO code ends ``text`` (the text before a number): "$", "US$ ", "EUR"."""
    tail = text[-8:].lower()
    match = _before_pattern(lang).search(tail)
    if match is None:
        return None
    written = match.group().strip(" \u00a0\u202f\u2009")
    symbols = {s.lower(): unit for s, unit in currency_symbols(lang).items()}
    return symbols.get(written) or f"currency:{written.upper()}"
