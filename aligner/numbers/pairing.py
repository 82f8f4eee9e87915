"""Which numbers of two translations correspond: matched, ambiguous, changed, missing, added."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from aligner.numbers.config import NumberConfig
from aligner.numbers.unit_convert import same_amount, unit_clash
from aligner.types import NumberValue


def _digits(number: NumberValue) -> str:
    return re.sub(r"\D", "", number.text)


def _same_separated_digits(a: NumberValue, b: NumberValue) -> bool:
    """Same digits with a separator inside, so only the reading convention tells the values apart."""
    separated = re.compile(r"\d[.,\u066b\u066c'\s]\d")
    return _digits(a) == _digits(b) and bool(separated.search(a.text) and separated.search(b.text))


def _same(a: float, b: float, config: NumberConfig) -> bool:
    return math.isclose(a, b, rel_tol=config.relative_tolerance, abs_tol=1e-12)


def has_reading(number: NumberValue, value: float, config: NumberConfig) -> bool:
    """``value`` is one of the plausible readings of ``number`` (sign aside when the config says so)."""
    return any(
        _same(v, value, config) or (config.ignore_sign and _same(abs(v), abs(value), config))
        for v in number.values
    )


def _shares_reading(a: NumberValue, b: NumberValue, config: NumberConfig) -> bool:
    """One side's own reading is a plausible reading of the other (3,881 read as 3.881; 2pm as 2)."""
    return has_reading(b, a.values[0], config) or has_reading(a, b.values[0], config)


def _abbreviated_year(a: NumberValue, b: NumberValue) -> bool:
    """1977 written as '77 on the other side."""
    for year, short in ((a, b), (b, a)):
        if year.kind == "year" and re.fullmatch(r"\D?\d{2}", short.text.strip()):
            return year.values[0] % 100 == short.values[0]
    return False


def _soft(number: NumberValue, config: NumberConfig) -> bool:
    """Spelled-out numbers a faithful translation may drop or paraphrase ("one of", "thousands", "first")."""
    if not number.words:
        return False
    single = len(number.text.split()) == 1
    return (
        abs(number.values[0]) <= config.soft_word_max
        or number.kind == "ordinal"
        or (config.soft_single_words and single)
    )


def _vague(number: NumberValue) -> bool:
    """A scale word on its own: "thousands", "ملايين", "لاکھوں" (hundreds of thousands)."""
    value = abs(number.values[0])
    return number.words and len(number.text.split()) == 1 and value >= 1000 and math.log10(value).is_integer()


_METRIC_POWERS = (1.0, 100.0, 1000.0, 0.01, 0.001)  # cm or m, m or km; g or kg


def near(a: float, b: float, tolerance: float) -> bool:
    """``a`` is ``b`` within ``tolerance`` of its size, with the same sign."""
    return b != 0 and a / b > 0 and abs(a / b - 1) <= tolerance


def _metric_near(value: float, metric: float, config: NumberConfig) -> bool:
    """``value`` is ``metric`` (a converted amount) in the same or a neighbouring metric unit, rounded."""
    return any(near(metric, value * power, config.conversion_tolerance) for power in _METRIC_POWERS)


@dataclass
class Pairing:
    """How the numbers of two translations correspond."""

    matched: list[tuple[NumberValue, NumberValue]]
    ambiguous: list[tuple[NumberValue, NumberValue]]
    changed: list[tuple[NumberValue, NumberValue]]
    missing: list[NumberValue]  # in the first doc only
    added: list[NumberValue]  # in the second doc only
    # same figure (or a wrong conversion) in units that disagree: "5 km" and "5 м", "$140" and "140 €"
    units: list[tuple[NumberValue, NumberValue]] = field(default_factory=list)


def pair_numbers(
    left: Sequence[NumberValue],
    right: Sequence[NumberValue],
    config: NumberConfig,
    metric: dict[int, float] | None = None,
    twins: dict[int, int] | None = None,
    converted_elsewhere: Sequence[float] = (),
) -> Pairing:
    """Match the numbers of two translations: own readings, then any reading, then converted units; the
    leftovers pair up as changes (digits with digits, spelled-out with spelled-out) or stay missing/added.

    ``metric`` maps id() of a number followed by an imperial unit to its metric value (20 feet -> 6.096);
    ``twins`` pairs amounts a text gives twice, of which a translation may keep either;
    ``converted_elsewhere`` holds the metric values of imperial amounts in the unit's other translations:
    two translations that both converted one ("2,5 см" and "2,54 см" for 1 inch) rounded, not changed it.
    """
    metric = metric or {}
    twins = twins or {}
    free_left, free_right = list(left), list(right)
    result = Pairing([], [], [], [], [])

    def take(test, bucket) -> None:
        for a in list(free_left):
            candidates = [b for b in free_right if test(a, b)]
            if candidates:  # digits with digits, a year with a year, before anything else
                b = min(
                    candidates,
                    key=lambda b: (unit_clash(a, b) is not None, a.words != b.words, a.kind != b.kind),
                )
                bucket.append((a, b))
                free_left.remove(a)
                free_right.remove(b)

    def converted(a: NumberValue, b: NumberValue) -> bool:
        if a.unit and b.unit:
            return False  # both units read: ``same_amount`` converts them, exactly
        for source, target in ((a, b), (b, a)):
            # cm or m, m or km; a power of ten alone is a moved decimal point, not a conversion
            if id(source) in metric and _metric_near(target.values[0], metric[id(source)], config):
                return True
        return False

    def same_conversion(a: NumberValue, b: NumberValue) -> bool:
        return any(
            _metric_near(a.values[0], m, config) and _metric_near(b.values[0], m, config)
            for m in converted_elsewhere
        )

    def hard(a: NumberValue, b: NumberValue) -> bool:
        return not _soft(a, config) and not _soft(b, config)

    # Digits with digits first, and "10 inches" with 25 cm even when a 10 stands on the other side too.
    take(
        lambda a, b: (
            hard(a, b)
            and id(a) not in metric
            and id(b) not in metric
            and _same(a.values[0], b.values[0], config)
        ),
        result.matched,
    )
    take(converted, result.matched)
    take(same_amount, result.matched)  # 1 kg and 1000 g, 90 minutes and 1.5 hours

    take(
        lambda a, b: hard(a, b) and _shares_reading(a, b, config) and not _same_separated_digits(a, b),
        result.matched,
    )  # "2pm" and "2 مساءً" before a spelled-out "two" takes the 2
    take(lambda a, b: _same(a.values[0], b.values[0], config), result.matched)
    if config.ignore_sign:
        take(lambda a, b: _same(abs(a.values[0]), abs(b.values[0]), config), result.matched)
    take(same_conversion, result.matched)
    # A common value only under another convention: the same digits may mean different amounts.
    take(
        lambda a, b: _shares_reading(a, b, config) and _same_separated_digits(a, b),
        result.ambiguous,
    )
    take(lambda a, b: _shares_reading(a, b, config), result.matched)
    take(_abbreviated_year, result.matched)

    def pairable(a: NumberValue, b: NumberValue) -> bool:
        if _vague(a) or _vague(b):
            return False  # "millions" and "لاکھوں" (hundreds of thousands) are manners of speaking
        near = abs(a.values[0] - b.values[0]) <= 0.1 * max(abs(a.values[0]), abs(b.values[0]))
        if (a.kind == "year") != (b.kind == "year") and not (a.words or b.words or near):
            return False  # 1197 cases and 1,127 cases: a year-like count still pairs with a near value
        if "ordinal" in (a.kind, b.kind) and (a.words or b.words):
            return False  # "the first time" and "впервые": ordinal words are idiom too often
        return _soft(a, config) == _soft(b, config)

    for pair in list(result.matched):  # the figure agrees, its unit does not: 5 km and 5 м
        if unit_clash(*pair) is not None:
            result.matched.remove(pair)
            result.units.append(pair)
    # of an amount given twice, report at most the first, and nothing when the translation kept either
    kept = {id(n) for pair in (*result.matched, *result.ambiguous) for n in pair}

    def untwinned(free: list[NumberValue]) -> list[NumberValue]:
        out: list[NumberValue] = []
        for number in free:  # in text order
            twin = twins.get(id(number))
            if twin is None or not (twin in kept or any(id(n) == twin for n in out)):
                out.append(number)
        return out

    free_left, free_right = untwinned(free_left), untwinned(free_right)
    for a in list(free_left):
        candidates = [b for b in free_right if pairable(a, b)]
        if candidates:
            b = min(
                candidates,
                key=lambda b: (
                    a.kind != b.kind,
                    abs(math.log10(abs(a.values[0]) + 1) - math.log10(abs(b.values[0]) + 1)),
                ),
            )
            result.changed.append((a, b))
            free_left.remove(a)
            free_right.remove(b)
    result.missing = [a for a in free_left if not _soft(a, config)]
    result.added = [b for b in free_right if not _soft(b, config)]
    return result
