"""Compare the numbers of every pair of translations in an aligned unit and explain each disagreement."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from aligner import languages
from aligner.numbers.reader import read_numbers
from aligner.types import NumberFinding, NumberValue, Unit


@dataclass(frozen=True)
class NumberConfig:
    """Options of the number check (recorded in the run manifest)."""

    soft_word_max: float = (
        10.0  # spelled-out numbers up to this ("one", "first") may be dropped in translation
    )
    relative_tolerance: float = 1e-9
    ignore_sign: bool = True  # "fell 5%" and "-5%" say the same thing
    report_matched: bool = True  # emit `matched` findings (severity info) so reports can count them
    soft_single_words: bool = (
        True  # a one-word number ("twenty", "тысячи") may be paraphrase, never "missing"
    )
    conversion_tolerance: float = 0.1  # 10 inches = 25 cm: converted units match within this share


_SEVERITY = {
    "matched": "info",
    "ambiguous": "warning",
    "missing": "warning",
    "added": "warning",
    "changed": "error",
}


def _digits(number: NumberValue) -> str:
    return re.sub(r"\D", "", number.text)


def _same_separated_digits(a: NumberValue, b: NumberValue) -> bool:
    """Same digits with a separator inside, so only the reading convention tells the values apart."""
    separated = re.compile(r"\d[.,\u066b\u066c'\s]\d")
    return _digits(a) == _digits(b) and bool(separated.search(a.text) or separated.search(b.text))


def _same(a: float, b: float, config: NumberConfig) -> bool:
    return math.isclose(a, b, rel_tol=config.relative_tolerance, abs_tol=1e-12)


def _has(number: NumberValue, value: float, config: NumberConfig) -> bool:
    return any(
        _same(v, value, config) or (config.ignore_sign and _same(abs(v), abs(value), config))
        for v in number.values
    )


def _soft(number: NumberValue, config: NumberConfig) -> bool:
    """Spelled-out numbers a faithful translation may drop or paraphrase ("one of", "thousands", "first")."""
    if number.kind == "year" and re.search(r"\d(?:s|-х|-ті)$", number.text):
        return True  # decades (1980s) are often written in words: الثمانينيات
    if not number.words:
        return False
    single = len(number.text.split()) == 1
    return (
        abs(number.values[0]) <= config.soft_word_max
        or number.kind == "ordinal"
        or (config.soft_single_words and single)
    )


def _show(value: float) -> str:
    return f"{value:,.12g}" if abs(value) >= 1000 and float(value).is_integer() else f"{value:.12g}"


def _marked(text: str, numbers: Sequence[NumberValue]) -> str:
    pieces, cursor = [], 0
    for number in numbers:
        pieces.append(text[cursor : number.start] + "[[" + text[number.start : number.end] + "]]")
        cursor = number.end
    return "".join(pieces) + text[cursor:]


def _change_hint(a: float, b: float) -> str:
    if a and b:
        ratio = max(abs(a), abs(b)) / min(abs(a), abs(b))
        exponent = math.log10(ratio)
        if abs(exponent - round(exponent)) < 1e-9 and round(exponent) >= 1:
            if round(exponent) % 3 == 0:
                return " (a scale word differs, e.g. million vs billion)"
            return " (the decimal point moved)"
    return ""


@dataclass
class _Pairing:
    matched: list[tuple[NumberValue, NumberValue]]
    ambiguous: list[tuple[NumberValue, NumberValue]]
    changed: list[tuple[NumberValue, NumberValue]]
    missing: list[NumberValue]  # in the first doc only
    added: list[NumberValue]  # in the second doc only


def pair_numbers(
    left: Sequence[NumberValue],
    right: Sequence[NumberValue],
    config: NumberConfig,
    metric: dict[int, float] | None = None,
) -> _Pairing:
    """Match the numbers of two translations: own readings, then any reading, then converted units; the
    leftovers pair up as changes (digits with digits, spelled-out with spelled-out) or stay missing/added.

    ``metric`` maps id() of a number followed by an imperial unit to its metric value (20 feet -> 6.096).
    """
    metric = metric or {}
    free_left, free_right = list(left), list(right)
    result = _Pairing([], [], [], [], [])

    def take(test, bucket) -> None:
        for a in list(free_left):
            for b in free_right:
                if test(a, b):
                    bucket.append((a, b))
                    free_left.remove(a)
                    free_right.remove(b)
                    break

    def converted(a: NumberValue, b: NumberValue) -> bool:
        for source, target in ((a, b), (b, a)):
            if id(source) in metric and not math.isnan(metric[id(source)]) and target.values[0]:
                ratio = metric[id(source)] / target.values[0]
                # cm or m, m or km; a power of ten alone is a moved decimal point, not a conversion
                for power in (1.0, 100.0, 1000.0, 0.01, 0.001):
                    if ratio > 0 and abs(ratio / power - 1) <= config.conversion_tolerance:
                        return True
        return False

    take(lambda a, b: _same(a.values[0], b.values[0], config), result.matched)
    if config.ignore_sign:
        take(lambda a, b: _same(abs(a.values[0]), abs(b.values[0]), config), result.matched)
    # A common value only under another convention: the same digits may mean different amounts.
    take(
        lambda a, b: any(_has(b, v, config) for v in a.values) and _same_separated_digits(a, b),
        result.ambiguous,
    )
    take(lambda a, b: any(_has(b, v, config) for v in a.values), result.matched)
    take(converted, result.matched)

    def pairable(a: NumberValue, b: NumberValue) -> bool:
        if (a.kind == "year") != (b.kind == "year") and not (a.words or b.words):
            return False
        if "ordinal" in (a.kind, b.kind) and (a.words or b.words):
            return False  # "the first time" and "впервые": ordinal words are idiom too often
        return _soft(a, config) == _soft(b, config)

    given_twice = {key for key, value in metric.items() if math.isnan(value)}
    free_left = [a for a in free_left if id(a) not in given_twice]
    free_right = [b for b in free_right if id(b) not in given_twice]
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


def metric_values(text: str, lang: str, numbers: Sequence[NumberValue]) -> dict[int, float]:
    """id() of each number with a unit the language's profile converts -> the value in metric units.

    The first number of a range takes the unit of the second ("1 to 4 inches").
    """
    conversions = languages.get(lang).unit_conversions
    found: dict[int, float] = {}
    if not conversions:
        return found
    for position in range(len(numbers) - 1, -1, -1):
        number = numbers[position]
        unit = re.match(r"[\s-]*(?:degrees?\s+|°\s*)?([^\W\d_]+)", text[number.end :])
        key = unit.group(1).lower() if unit else ""
        if key not in conversions and position + 1 < len(numbers):
            following = numbers[position + 1]
            gap = text[number.end : following.start].strip().lower()
            if id(following) in found and gap in ("-", "–", "to", "and", "or", "/"):
                key = _unit_of(text, following, conversions)
        if key in conversions:
            factor, offset = conversions[key]
            found[id(number)] = number.values[0] * factor + offset
    return found


def _unit_of(text: str, number: NumberValue, conversions: dict[str, tuple[float, float]]) -> str:
    unit = re.match(r"[\s-]*(?:degrees?\s+|°\s*)?([^\W\d_]+)", text[number.end :])
    return unit.group(1).lower() if unit and unit.group(1).lower() in conversions else ""


def _near(a: float, b: float, tolerance: float) -> bool:
    return b != 0 and a / b > 0 and abs(a / b - 1) <= tolerance


def comparable_numbers(
    text: str, lang: str, config: NumberConfig
) -> tuple[list[NumberValue], dict[int, float]]:
    """The numbers of one text to compare (codes left out) and the metric values of imperial amounts.

    An amount given twice ("45 miles (72 kilometers)") maps to ``math.nan``: a translation may keep either.
    """
    numbers = [n for n in read_numbers(text, lang) if n.kind != "code" and n.values]
    metric = metric_values(text, lang, numbers)
    twice = {
        key
        for key, value in metric.items()
        if any(
            id(other) != key and _near(value, other.values[0], config.conversion_tolerance)
            for other in numbers
        )
    }
    metric.update(dict.fromkeys(twice, math.nan))
    return numbers, metric


def _odd_one_out(
    first: str,
    second: str,
    value_first: float | None,
    value_second: float | None,
    others: dict[str, list[NumberValue]],
    config: NumberConfig,
) -> str | None:
    """The doc of the pair that disagrees with every other translation of the unit, if one does.

    A value of None means that side has no counterpart; the others then vote on the value the other side has.
    """
    if not others:
        return None

    def holders(value: float | None) -> int:
        return (
            sum(any(_has(n, value, config) for n in numbers) for numbers in others.values())
            if value is not None
            else 0
        )

    votes_first, votes_second = holders(value_first), holders(value_second)
    everyone = len(others)
    if value_second is None:  # first has a number second lacks
        return second if votes_first == everyone else first if votes_first == 0 else None
    if value_first is None:
        return first if votes_second == everyone else second if votes_second == 0 else None
    if votes_first == everyone and votes_second == 0:
        return second
    if votes_second == everyone and votes_first == 0:
        return first
    return None


@dataclass(frozen=True)
class _PairContext:
    unit: Unit
    first: str
    second: str
    others: dict[str, list[NumberValue]]
    marked: dict[str, str]
    config: NumberConfig


def _finding(
    ctx: _PairContext, kind: str, a: NumberValue | None, b: NumberValue | None, message: str
) -> NumberFinding:
    odd = None
    if kind != "matched":
        odd = _odd_one_out(
            ctx.first,
            ctx.second,
            a.values[0] if a else None,
            b.values[0] if b else None,
            ctx.others,
            ctx.config,
        )
    if odd:
        agreeing = ctx.second if odd == ctx.first else ctx.first
        message += f" The other translations agree with {agreeing}: {odd} is the odd one out."
    return NumberFinding(
        story_id=ctx.unit.story_id,
        unit=ctx.unit.index,
        docs=(ctx.first, ctx.second),
        kind=kind,
        values={ctx.first: [a.text] if a else [], ctx.second: [b.text] if b else []},
        message=message,
        severity=_SEVERITY[kind],
        odd_one_out=odd,
        marked={ctx.first: ctx.marked[ctx.first], ctx.second: ctx.marked[ctx.second]},
    )


def _pair_findings(ctx: _PairContext, pairing: _Pairing) -> list[NumberFinding]:
    first, second = ctx.first, ctx.second
    lang_first, lang_second = ctx.unit.segments[first].lang, ctx.unit.segments[second].lang
    ordered: list[tuple[int, NumberFinding]] = []
    if ctx.config.report_matched:
        for a, b in pairing.matched:
            message = f"{a.text!r} ({first}) and {b.text!r} ({second}) both say {_show(a.values[0])}."
            ordered.append((a.start, _finding(ctx, "matched", a, b, message)))
    for a, b in pairing.ambiguous:
        message = (
            f"{a.text!r} reads as {_show(a.values[0])} in {first} ({lang_first}) but {b.text!r} reads as "
            f"{_show(b.values[0])} in {second} ({lang_second}); a reviewer should check which was meant."
        )
        ordered.append((a.start, _finding(ctx, "ambiguous", a, b, message)))
    for a, b in pairing.changed:
        message = (
            f"{a.text!r} ({_show(a.values[0])}) in {first} became {b.text!r} ({_show(b.values[0])}) "
            f"in {second}{_change_hint(a.values[0], b.values[0])}."
        )
        ordered.append((a.start, _finding(ctx, "changed", a, b, message)))
    for a in pairing.missing:
        message = f"{a.text!r} ({_show(a.values[0])}, {a.kind}) in {first} has no counterpart in {second}."
        ordered.append((a.start, _finding(ctx, "missing", a, None, message)))
    offset = len(ctx.unit.segments[first].text)
    for b in pairing.added:
        message = f"{b.text!r} ({_show(b.values[0])}, {b.kind}) in {second} has no counterpart in {first}."
        ordered.append((offset + b.start, _finding(ctx, "added", None, b, message)))
    return [f for _, f in sorted(ordered, key=lambda item: item[0])]


def check_units(units: Sequence[Unit], config: NumberConfig | None = None) -> list[NumberFinding]:
    """Findings for every pair of translations in every unit with two or more segments, in a fixed order."""
    config = config or NumberConfig()
    findings: list[NumberFinding] = []
    for unit in units:
        if len(unit.segments) < 2:
            continue
        numbers: dict[str, list[NumberValue]] = {}
        metric: dict[int, float] = {}
        for doc, segment in unit.segments.items():
            numbers[doc], doc_metric = comparable_numbers(segment.text, segment.lang, config)
            metric.update(doc_metric)
        marked = {doc: _marked(unit.segments[doc].text, numbers[doc]) for doc in unit.segments}
        for first, second in itertools.combinations(sorted(unit.segments), 2):
            others = {d: n for d, n in numbers.items() if d not in (first, second)}
            ctx = _PairContext(unit, first, second, others, marked, config)
            pairing = pair_numbers(numbers[first], numbers[second], config, metric)
            findings.extend(_pair_findings(ctx, pairing))
    return findings
