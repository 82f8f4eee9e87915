"""Compare the numbers of every pair of translations in an aligned unit and explain each disagreement."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.numbers.config import NumberConfig
from aligner.numbers.pairing import Pairing, has_reading, pair_numbers
from aligner.numbers.units import comparable_numbers
from aligner.types import NumberFinding, NumberValue, Unit

_SEVERITY = {
    "matched": "info",
    "ambiguous": "warning",
    "missing": "warning",
    "added": "warning",
    "changed": "error",
}
FINDING_KINDS = tuple(_SEVERITY)  # every kind of finding the check gives, "matched" first


def _show(value: float) -> str:
    return f"{value:,.12g}" if abs(value) >= 1000 and float(value).is_integer() else f"{value:.12g}"


def _marked(text: str, numbers: Sequence[NumberValue]) -> str:
    pieces, cursor = [], 0
    for number in numbers:
        pieces.append(text[cursor : number.start] + "[[" + text[number.start : number.end] + "]]")
        cursor = number.end
    return "".join(pieces) + text[cursor:]


def _change_hint(a: NumberValue, b: NumberValue) -> str:
    """Name the likely slip when two values differ by a power of ten."""
    first, second = abs(a.values[0]), abs(b.values[0])
    if not (first and second):
        return ""
    exponent = math.log10(max(first, second) / min(first, second))
    if abs(exponent - round(exponent)) > 1e-9 or round(exponent) < 1:
        return ""
    if round(exponent) % 3 == 0:
        return " (a scale word differs, e.g. million vs billion)"
    return " (a power of ten apart)" if a.words or b.words else " (the decimal point moved)"


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
            sum(any(has_reading(n, value, config) for n in numbers) for numbers in others.values())
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


def _pair_findings(ctx: _PairContext, pairing: Pairing) -> list[NumberFinding]:
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
            f"in {second}{_change_hint(a, b)}."
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
        twins: dict[int, int] = {}
        for doc, segment in unit.segments.items():
            side = comparable_numbers(segment.text, segment.lang, config)
            numbers[doc] = side.numbers
            metric.update(side.metric)
            twins.update(side.twins)
        marked = {doc: _marked(unit.segments[doc].text, numbers[doc]) for doc in unit.segments}
        for first, second in itertools.combinations(sorted(unit.segments), 2):
            others = {d: n for d, n in numbers.items() if d not in (first, second)}
            ctx = _PairContext(unit, first, second, others, marked, config)
            converted_elsewhere = [
                metric[id(n)] for found in others.values() for n in found if id(n) in metric
            ]
            pairing = pair_numbers(
                numbers[first], numbers[second], config, metric, twins, converted_elsewhere
            )
            findings.extend(_pair_findings(ctx, pairing))
    return findings
