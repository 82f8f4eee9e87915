"""Compare the numbers of every pair of translations in an aligned unit and explain each disagreement."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from aligner.numbers.codes import CodePairing, code_digits, holds, pair_codes
from aligner.numbers.config import NumberConfig
from aligner.numbers.pairing import Pairing, has_reading, pair_numbers
from aligner.numbers.unit_convert import unit_clash
from aligner.numbers.units import SideNumbers, comparable_numbers
from aligner.types import NumberFinding, NumberValue, Unit

# Every kind of finding with its severity. "code" is a code (F-16, COVID-19, B12) altered, or present on
# one side only; it has a kind of its own so that the number kinds keep counting amounts only.
FINDING_KINDS: dict[str, str] = {
    "matched": "info",
    "ambiguous": "warning",
    "missing": "warning",
    "added": "warning",
    "changed": "error",
    "code": "warning",
    "unit": "error",  # the same figure in another unit or currency, or a conversion that does not agree
}


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

    return _outvoted(
        first,
        second,
        value_first is not None,
        value_second is not None,
        holders(value_first),
        holders(value_second),
        len(others),
    )


def _outvoted(
    first: str,
    second: str,
    has_first: bool,
    has_second: bool,
    votes_first: int,
    votes_second: int,
    everyone: int,
) -> str | None:
    """Which doc of a pair every other translation contradicts: ``votes_*`` count the others that have what
    that side has; a side without a counterpart (``has_*`` false) is judged by the votes for the other."""
    if not has_second:  # first has something second lacks
        return second if votes_first == everyone else first if votes_first == 0 else None
    if not has_first:
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
    other_codes: dict[str, list[NumberValue]] = field(default_factory=dict)  # the codes of ``others``


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
        severity=FINDING_KINDS[kind],
        odd_one_out=odd,
        marked={ctx.first: ctx.marked[ctx.first], ctx.second: ctx.marked[ctx.second]},
        confidence=_confidence(a, b),
    )


def _confidence(a: NumberValue | None, b: NumberValue | None) -> str:
    """The reader's confidence in a finding: low when either side was read with doubt (a code in another
    script, dice)."""
    return "low" if any(n is not None and n.confidence == "low" for n in (a, b)) else "high"


def _pair_findings(
    ctx: _PairContext, pairing: Pairing, code_findings: list[tuple[int, NumberFinding]]
) -> list[NumberFinding]:
    first, second = ctx.first, ctx.second
    lang_first, lang_second = ctx.unit.segments[first].lang, ctx.unit.segments[second].lang
    ordered: list[tuple[int, NumberFinding]] = list(code_findings)
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
        if a.unit and b.unit and a.unit != b.unit:  # a wrong conversion: 109 °F is 42.78 °C, not 45.0
            message += f" Units: {unit_clash(a, b)}."
        ordered.append((a.start, _finding(ctx, "changed", a, b, message)))
    for a, b in pairing.units:
        message = f"{a.text!r} in {first} and {b.text!r} in {second} name other units: {unit_clash(a, b)}."
        ordered.append((a.start, _finding(ctx, "unit", a, b, message)))
    for a in pairing.missing:
        message = f"{a.text!r} ({_show(a.values[0])}, {a.kind}) in {first} has no counterpart in {second}."
        ordered.append((a.start, _finding(ctx, "missing", a, None, message)))
    offset = len(ctx.unit.segments[first].text)
    for b in pairing.added:
        message = f"{b.text!r} ({_show(b.values[0])}, {b.kind}) in {second} has no counterpart in {first}."
        ordered.append((offset + b.start, _finding(ctx, "added", None, b, message)))
    return [f for _, f in sorted(ordered, key=lambda item: item[0])]


def _code_odd_one_out(ctx: _PairContext, a: NumberValue | None, b: NumberValue | None) -> str | None:
    """The doc of the pair whose code every other translation contradicts, as ``_odd_one_out`` for numbers."""
    if not ctx.other_codes:
        return None

    def votes(code: NumberValue | None) -> int:
        if code is None:
            return 0
        return sum(holds(code, ctx.other_codes[d], ctx.others[d], ctx.config) for d in ctx.other_codes)

    has = (a is not None, b is not None)
    return _outvoted(ctx.first, ctx.second, *has, votes(a), votes(b), len(ctx.other_codes))


def _code_findings(ctx: _PairContext, codes: CodePairing) -> list[tuple[int, NumberFinding]]:
    first, second = ctx.first, ctx.second
    texts = {doc: ctx.unit.segments[doc].text for doc in (first, second)}
    offset = len(texts[first])
    found: list[tuple[int, NumberFinding]] = []

    def finding(a: NumberValue | None, b: NumberValue | None, message: str) -> NumberFinding:
        odd = _code_odd_one_out(ctx, a, b)
        if odd:
            agreeing = second if odd == first else first
            message += f" The other translations agree with {agreeing}: {odd} is the odd one out."
        return NumberFinding(
            story_id=ctx.unit.story_id,
            unit=ctx.unit.index,
            docs=(first, second),
            kind="code",
            values={first: [a.text] if a else [], second: [b.text] if b else []},
            message=message,
            severity=FINDING_KINDS["code"],
            odd_one_out=odd,
            confidence=_confidence(a, b),
            marked={
                first: _marked(texts[first], [a] if a else []),
                second: _marked(texts[second], [b] if b else []),
            },
        )

    for a, b in codes.altered:
        digits = "-".join(code_digits(a)), "-".join(code_digits(b))
        message = (
            f"Code {a.text!r} in {first} became {b.text!r} in {second} (digits {digits[0]} vs {digits[1]})."
        )
        found.append((a.start, finding(a, b, message)))
    for a in codes.missing:
        found.append(
            (a.start, finding(a, None, f"Code {a.text!r} in {first} has no counterpart in {second}."))
        )
    for b in codes.added:
        message = f"Code {b.text!r} in {second} has no counterpart in {first}."
        found.append((offset + b.start, finding(None, b, message)))
    return found


def _pair_sides(
    first: SideNumbers,
    second: SideNumbers,
    config: NumberConfig,
    metric: dict[int, float],
    twins: dict[int, int],
    elsewhere: Sequence[float],
) -> tuple[Pairing, CodePairing]:
    """Numbers and codes of two translations paired; a number that stands for a code of the other side
    ("ایف 16" for F-16) is taken out of the number pairing."""
    pairing = pair_numbers(first.numbers, second.numbers, config, metric, twins, elsewhere)
    if not (first.codes or second.codes):
        return pairing, CodePairing()
    kept = {
        id(n)
        for pair in (*pairing.matched, *pairing.ambiguous, *pairing.changed, *pairing.units)
        for n in pair
    }
    codes = pair_codes(
        first.codes,
        second.codes,
        [n for n in first.numbers if id(n) not in kept],
        [n for n in second.numbers if id(n) not in kept],
        config,
        [a for a, _ in pairing.changed],
        [b for _, b in pairing.changed],
    )
    standing = {id(number) for _, number in codes.as_numbers}
    if standing:
        pairing = pair_numbers(
            [n for n in first.numbers if id(n) not in standing],
            [n for n in second.numbers if id(n) not in standing],
            config,
            metric,
            twins,
            elsewhere,
        )
    return pairing, codes


def check_units(units: Sequence[Unit], config: NumberConfig | None = None) -> list[NumberFinding]:
    """Findings for every pair of translations in every unit with two or more segments, in a fixed order."""
    config = config or NumberConfig()
    findings: list[NumberFinding] = []
    for unit in units:
        if len(unit.segments) < 2:
            continue
        sides: dict[str, SideNumbers] = {}
        numbers: dict[str, list[NumberValue]] = {}
        metric: dict[int, float] = {}
        twins: dict[int, int] = {}
        for doc, segment in unit.segments.items():
            side = sides[doc] = comparable_numbers(segment.text, segment.lang, config)
            numbers[doc] = side.numbers
            metric.update(side.metric)
            twins.update(side.twins)
        marked = {doc: _marked(unit.segments[doc].text, numbers[doc]) for doc in unit.segments}
        for first, second in itertools.combinations(sorted(unit.segments), 2):
            others = {d: n for d, n in numbers.items() if d not in (first, second)}
            other_codes = {d: sides[d].codes for d in others}
            ctx = _PairContext(unit, first, second, others, marked, config, other_codes)
            converted_elsewhere = [
                metric[id(n)] for found in others.values() for n in found if id(n) in metric
            ]
            pairing, codes = _pair_sides(
                sides[first], sides[second], config, metric, twins, converted_elsewhere
            )
            findings.extend(_pair_findings(ctx, pairing, _code_findings(ctx, codes)))
    return findings
