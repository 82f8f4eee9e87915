"""Amounts a translation may state in other units (miles as km, °F as °C), and amounts a text gives twice."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from aligner import languages
from aligner.numbers.codes import comparable_codes
from aligner.numbers.config import NumberConfig
from aligner.numbers.pairing import near
from aligner.numbers.reader import read_numbers
from aligner.numbers.unit_convert import same_amount
from aligner.types import NumberValue


def metric_values(text: str, lang: str, numbers: Sequence[NumberValue]) -> dict[int, float]:
    """id() of each number with a unit the language's profile converts -> the value in metric units.

    The first number of a range takes the unit of the second ("1 to 4 inches").
    """
    profile = languages.get(lang)
    conversions = profile.unit_conversions
    found: dict[int, float] = {}
    if not conversions:
        return found
    # words between the two ends of a range: "to", "до", "إلى", and Urdu's "سے" after the first number
    range_gaps = {"-", "–", "to", "and", "or", "/"} | {word for pair in profile.range_words for word in pair}
    for position in range(len(numbers) - 1, -1, -1):
        number = numbers[position]
        key = _unit_of(text, number, conversions)
        if key not in conversions and position + 1 < len(numbers):
            following = numbers[position + 1]
            gap = text[number.end : following.start].strip().lower()
            if id(following) in found and gap in range_gaps:
                key = _unit_of(text, following, conversions)
        if key in conversions:
            factor, offset = conversions[key]
            found[id(number)] = number.values[0] * factor + offset
    return found


def _unit_of(text: str, number: NumberValue, conversions: dict[str, tuple[float, float]]) -> str:
    """The convertible unit written after ``number`` ("inches", "degrees Fahrenheit", "°F"), or ""."""
    unit = re.match(r"[\s\-°º]*([^\W\d_]+)(?:[\s\-]+([^\W\d_]+))?", text[number.end :])
    if not unit:
        return ""
    first, second = unit.group(1).lower(), (unit.group(2) or "").lower()
    if first in ("degree", "degrees") and second in conversions:
        return second  # degrees Fahrenheit
    if first in ("degree", "degrees") and second in ("celsius", "c", "centigrade"):
        return ""
    return first if first in conversions else ""


@functools.cache
def _conversions() -> frozenset[tuple[float, float]]:
    return frozenset(
        pair for code in languages.supported() for pair in languages.get(code).unit_conversions.values()
    )


def _converts(value: float, other: float, config: NumberConfig) -> bool:
    """``other`` is ``value`` itself or ``value`` in other units (miles in km, °F in °C), either way round."""
    if value == other:
        return True
    return any(
        near(a * factor + offset, b, config.conversion_tolerance)
        for factor, offset in _conversions()
        for a, b in ((value, other), (other, value))
    )


@dataclass
class SideNumbers:
    """The numbers of one text to compare, with what the comparison needs to know about them."""

    numbers: list[NumberValue]
    codes: list[NumberValue]  # codes with digits (F-16, COVID-19), compared apart by ``codes.pair_codes``
    metric: dict[int, float]  # id() of an imperial amount -> its value in metric units
    twins: dict[int, int]  # id() -> id() of the same amount given again ("45 miles (72 kilometers)")


def comparable_numbers(text: str, lang: str, config: NumberConfig) -> SideNumbers:
    """The numbers of one text to compare, its codes apart, the numbers' metric values and their twins."""
    found = read_numbers(text, lang)
    numbers = [n for n in found if n.kind != "code" and n.values]
    metric = metric_values(text, lang, numbers)
    twins: dict[int, int] = {}
    for first, second in zip(numbers, numbers[1:], strict=False):
        gap = text[first.end : second.start]
        glossed = "(" in gap and len(gap) <= 25 and _converts(first.values[0], second.values[0], config)
        converted = id(first) in metric and near(
            metric[id(first)], second.values[0], config.conversion_tolerance
        )
        twin = glossed or (converted and len(gap) <= 25)  # "40 миль (64,4 км)", "60 Minutes (60 хвилин)"
        # both units read: the twin says about the same amount in them (an author's gloss is rounded:
        # "six meters (18 feet)" is 5.5 m)
        if first.unit and second.unit:
            twin = twin and (
                first.unit == second.unit or same_amount(first, second, config.conversion_tolerance)
            )
        if twin:
            twins[id(first)], twins[id(second)] = id(second), id(first)
    return SideNumbers(numbers, comparable_codes(text, found), metric, twins)
