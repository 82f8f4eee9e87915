"""Units read with the numbers ("5 km", "$140", "10 минут") compared across translations: pint names and
converts them, and a conversion counts only within the rounding of the printed figures."""

from __future__ import annotations

import functools
import re

from aligner.numbers.digits import ascii_digits
from aligner.types import NumberValue


@functools.cache
def _registry():  # pint loads its unit definitions once, and only when a text has units
    import pint

    return pint.UnitRegistry()


@functools.cache
def dimension(unit: str) -> str:
    """What a unit measures: pint's dimensionality, or currency, percent, percentage_point."""
    if unit.startswith("currency:") or unit in ("percent", "percentage_point"):
        return unit.split(":")[0] if unit.startswith("currency:") else unit
    return str(_registry().Unit(unit).dimensionality)


def printed_step(number: NumberValue) -> float:
    """Half the step of the figure's last printed digit, in its value: 45.0 -> 0.05, 109 -> 0.5, and a round
    figure rounds more (100 -> 10, at most a tenth of it): the rounding a translator's conversion may show."""
    printed = re.search(r"\d+(?:[.,\u066b\u066c'\u00a0\u202f ]\d+)*", ascii_digits(number.text))
    value = abs(number.values[0])
    if printed is None or not value:
        return 0.5
    raw = printed.group()
    decimals = re.search(r"[.,\u066b](\d{1,2}|\d{4,})$", raw)  # a group of three digits is a thousands group
    digits = float(re.sub(r"\D", "", raw)) or 1.0
    if decimals:
        shown = digits / 10 ** len(decimals.group(1))
        return 0.5 * 10 ** -len(decimals.group(1)) * value / shown
    zeros = len(raw) - len(raw.rstrip("0")) if "." not in raw and "," not in raw else 0
    step = 0.5 * 10**zeros
    if not zeros and raw.endswith("5") and digits >= 10:
        step = 2.5  # 135 km/h for 85 mph: rounded to a five
    step = min(step, max(0.5, 0.1 * digits))
    return step * value / digits


@functools.lru_cache(maxsize=1 << 12)
def _converted(value: float, unit: str, target: str, delta: bool) -> float:
    registry = _registry()
    if delta:  # a temperature difference: 20 °F warmer is 11 °C warmer
        unit, target = f"delta_{unit}", f"delta_{target}"
    return float(registry.Quantity(value, unit).to(target).magnitude)


def _lands_on(value: float, unit: str, printed: NumberValue, delta: bool = False) -> bool:
    """``value`` ``unit`` converted to the unit of ``printed`` is that figure, within its printed rounding."""
    assert printed.unit
    converted = _converted(value, unit, printed.unit, delta)
    return abs(converted - abs(printed.values[0])) <= printed_step(printed) * (1 + 1e-9)


def _within_rounding(a: NumberValue, b: NumberValue, delta: bool) -> bool:
    """One side is the original figure, the other its conversion rounded as printed: ``a`` converted
    agrees with ``b`` within ``b``'s rounding, or ``b`` converted with ``a`` within ``a``'s. Adding both
    roundings would pass 45 °C for 100 °F (37.8 °C): "100" and "45" each look like a rounded figure."""
    assert a.unit and b.unit
    return _lands_on(abs(a.values[0]), a.unit, b, delta) or _lands_on(abs(b.values[0]), b.unit, a, delta)


def _physical(unit: str | None) -> bool:
    """A unit pint converts: not a currency, percent or percentage points."""
    return bool(unit) and not unit.startswith("currency:") and unit not in ("percent", "percentage_point")


@functools.lru_cache(maxsize=1 << 12)
def base_amount(value: float, unit: str) -> float | None:
    """``value`` ``unit`` in SI base units to two significant figures (25.4 cm and 10 inches: 0.25 m; 27 °C
    and 80 °F: 300 K), so an amount keeps one key whatever units a translation states it in; None for a
    unit pint does not convert (currencies, percent)."""
    if not _physical(unit):
        return None
    from pint.errors import PintError  # loaded with the registry, only when a text has units

    try:
        magnitude = float(_registry().Quantity(value, unit).to_base_units().magnitude)
    except PintError:  # a unit pint names but cannot take to base units has no key
        return None
    return float(f"{magnitude:.2g}") if magnitude else None


def same_amount(a: NumberValue, b: NumberValue, tolerance: float = 0.0) -> bool:
    """Two amounts with units of one dimension that say the same (1 kg and 1000 g, 100 °F and 37.8 °C);
    with a ``tolerance`` (a share), also amounts that many apart after conversion."""
    if not (_physical(a.unit) and _physical(b.unit)) or a.unit == b.unit:
        return False
    if dimension(a.unit) != dimension(b.unit):
        return False
    temperature = "temperature" in dimension(a.unit)
    if _within_rounding(a, b, False) or (temperature and _within_rounding(a, b, True)):
        return True
    converted, value_b = _converted(abs(a.values[0]), a.unit, b.unit, False), abs(b.values[0])
    return bool(tolerance) and not temperature and abs(converted - value_b) <= tolerance * max(value_b, 1e-9)


def unit_clash(a: NumberValue, b: NumberValue) -> str | None:
    """Why the units of two paired amounts disagree ("5 km" and "5 м", "$140" and "140 €", "109 °F" and
    "45.0 °C"), or None when they agree or a side names no unit."""
    if not (a.unit and b.unit) or a.unit == b.unit:
        return None
    names = f"{_unit_name(a.unit)} against {_unit_name(b.unit)}"
    if a.unit.startswith("currency:") and b.unit.startswith("currency:"):
        return None if "currency:?" in (a.unit, b.unit) else f"another currency, {names}"
    if dimension(a.unit) != dimension(b.unit):
        return f"another kind of unit, {names}"
    if same_amount(a, b):
        return None
    converted = _converted(abs(a.values[0]), a.unit, b.unit, False)
    return f"{names}: {a.text} {_unit_name(a.unit)} is {converted:.4g} {_unit_name(b.unit)}, not {b.text}"


def _unit_name(unit: str) -> str:
    name = unit.removeprefix("currency:").replace("degree_", "°").replace("**2", "²").replace("**3", "³")
    return name.replace("percentage_point", "percentage points").replace("_", " ")


def defines_a_unit(number: NumberValue, text: str, lang: str) -> bool:
    """``text`` names a unit without a figure of its own, and ``number`` is one of it in its own unit, within
    its printed rounding: a translator's definition of the unit ("BTU ... дорівнює 1060 Дж")."""
    from aligner.numbers.unit_words import unit_after  # unit names load CLDR: only when a finding asks

    if not _physical(number.unit):
        return False
    for word in re.finditer(r"(?<![^\W\d_])[^\W\d_]", text):
        before = text[: word.start()].rstrip(" \u00a0\u202f\u2009-")
        if before[-1:].isdigit():
            continue  # a unit after a figure is that figure's unit
        for names_lang in dict.fromkeys((lang, "en")):
            unit = unit_after(text[word.start() :], names_lang)
            if not _physical(unit) or unit == number.unit or dimension(unit) != dimension(number.unit):
                continue
            if _lands_on(1.0, unit, number):
                return True
    return False
