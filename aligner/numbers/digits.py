"""Numbers written in digits: digit scripts, and the readings a separated digit string allows.

The separators each language uses come from Babel (CLDR); a string such as ``3,881`` keeps every
plausible reading, the language's own first.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol, get_group_symbol

from aligner import languages

SPACES = " \u00a0\u202f\u2009"
GROUP_CHARS = ",.'\u066c\u060c" + SPACES  # U+060C: Urdu writes 5،000
DECIMAL_CHARS = ",.\u066b"
_ALL_SEPARATORS = set(GROUP_CHARS + DECIMAL_CHARS)
_GROUPED = re.compile(r"\d{1,3}(?:S\d{3})*$")
_INDIAN = re.compile(r"\d{1,2}(?:S\d{2})*S\d{3}$")  # 1,00,000 (lakh grouping, used in Urdu and English)


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit (Arabic-Indic, Extended Arabic-Indic, ...) as ASCII, same length."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text)


@functools.cache
def own_symbols(lang: str) -> tuple[frozenset[str], frozenset[str]]:
    """(decimal, group) separators of ``lang`` per CLDR, for Latin and (Arabic script) native digits."""
    profile = languages.get(lang)
    locale = profile.babel_locale or _babel_knows(lang) or "en"  # a language without a profile: CLDR's
    systems = ("latn", "arab", "arabext") if profile.rtl else ("latn",)
    decimals = {get_decimal_symbol(locale, numbering_system=system) for system in systems}
    groups = {get_group_symbol(locale, numbering_system=system) for system in systems}
    if profile.decimal_comma:
        decimals.add(",")
    return frozenset(decimals), frozenset(groups)


def _babel_knows(code: str) -> str | None:
    try:
        return str(Locale.parse(code))
    except (ValueError, UnknownLocaleError):
        return None


def _space_class(ch: str) -> str:
    return " " if ch in SPACES else ch


def _grouping_valid(integer: str, separator: str) -> bool:
    shape = re.sub(r"\D", "S", integer)
    if set(shape.replace("S", "")) - set("0123456789"):
        return False
    if {_space_class(c) for c in integer if not c.isdigit()} - {_space_class(separator)}:
        return False
    return bool(_GROUPED.match(shape) or (separator in ",\u066c" and _INDIAN.match(shape)))


def readings(raw: str, lang: str) -> tuple[float, ...]:
    """Every plausible value of a digit string with separators, the language's own reading first.

    Empty when no reading is valid (the caller then splits the string into separate numbers).
    """
    raw = ascii_digits(raw)
    separators = [ch for ch in raw if not ch.isdigit()]
    if not separators:
        return (float(raw),)
    if set(separators) - _ALL_SEPARATORS:
        return ()
    decimals, groups = own_symbols(lang)
    last = separators[-1]
    options: list[tuple[bool, float]] = []  # (own convention, value)
    if last in GROUP_CHARS and _grouping_valid(raw, last):
        options.append((last in groups or _space_class(last) == " ", float(re.sub(r"\D", "", raw))))
    cut = raw.rfind(last)
    integer, fraction = raw[:cut], raw[cut + 1 :]
    others = {ch for ch in integer if not ch.isdigit()}
    decimal_possible = last in DECIMAL_CHARS and last not in others and fraction.isdigit()
    if decimal_possible and (not others or _grouping_valid(integer, next(iter(others)))):
        value = float(re.sub(r"\D", "", integer) + "." + fraction)
        # A point that is neither the language's decimal nor its group reads as a decimal first.
        own = last in decimals or (last == "." and "." not in groups)
        # 76.000 is a thousands group in prose, whatever the locale: nobody writes 76 that way
        own = own and not (fraction == "000" and options)
        options.append((own, value))
    options.sort(key=lambda option: not option[0])  # stable: own convention first
    values: list[float] = []
    for _, value in options:
        if value not in values:
            values.append(value)
    return tuple(values)
