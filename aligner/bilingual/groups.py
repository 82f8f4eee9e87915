"""Findings that are one problem told many times, told once.

- A multilingual unit (a TMX with six languages) compares every pair of languages: one date added in one
  language gives five findings. ``per_number`` makes it one finding per number, naming the odd language(s).
- A table split differently on the two sides: a unit holds one row in the source but the whole table in
  the target, whose other figures are the neighbouring units' sources. ``segmentation`` makes the unit's
  dozens of added (or missing) numbers one low-confidence finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from aligner.bilingual.check import FileFinding
from aligner.bilingual.confidence import digit_runs
from aligner.bilingual.languages import BilingualFile

NEIGHBOURS = 8  # units either side where a table's other rows stand
_FIGURES = 2  # a unit with fewer extra figures than this is an ordinary finding
_FOUND_SHARE = 0.8  # the share of the extra figures its neighbours must hold


def _reading(values: Sequence[str]) -> str:
    """What a side's numbers say, comparable across languages: their digits, else their words."""
    runs = [run.lstrip("0") or "0" for v in values for run in digit_runs(v)]
    return " ".join(runs) if runs else " ".join(v.casefold() for v in values)


def _unit_key(finding: FileFinding) -> tuple[str, str, int | None]:
    return finding.file, finding.segment, finding.line


def _merged(group: list[FileFinding], order: Sequence[str]) -> FileFinding:
    """One finding for a number the sides of a multilingual unit disagree on, naming the odd sides."""
    reading: dict[str, str] = {}
    shown: dict[str, list[str]] = {}
    for finding in group:
        for side in finding.docs:
            reading.setdefault(side, _reading(finding.values.get(side, [])))
            shown.setdefault(side, finding.values.get(side, []))
    camps: dict[str, list[str]] = {}
    for side in sorted(reading, key=order.index):
        camps.setdefault(reading[side], []).append(side)
    source = order[0] if order[0] in reading else sorted(reading, key=order.index)[0]
    majority = max(camps.values(), key=lambda sides: (len(sides), source in sides))
    odd = [side for side in reading if side not in majority]
    odd.sort(key=order.index)
    keep, first_odd = majority[0], odd[0]
    model = next((f for f in group if set(f.docs) == {keep, first_odd}), group[0])
    if not reading[keep]:
        kind = "added" if model.kind != "code" else "code"
    elif not reading[first_odd]:
        kind = "missing" if model.kind != "code" else "code"
    else:
        kind = model.kind
    docs = (keep, first_odd)
    number = next((" ".join(shown[s]) for s in reading if shown[s]), "")
    said = ", ".join(f"{side}: {' '.join(shown[side]) or '-'}" for side in odd)
    message = (
        f"{number!r}: {', '.join(odd)} disagree{'s' if len(odd) == 1 else ''} with "
        f"{', '.join(majority)} ({said})."
    )
    flipped = model.docs != docs
    return replace(
        model,
        docs=docs,
        kind=kind,
        values={side: shown[side] for side in docs},
        texts={side: (model.texts.get(side) or _text_of(group, side)) for side in docs},
        marked={side: (model.marked.get(side) or _marked_of(group, side)) for side in docs},
        langs={side: (model.langs.get(side) or _lang_of(group, side)) for side in docs},
        message=message if flipped or len(group) > 1 else model.message,
        odd_one_out=", ".join(odd),
    )


def _text_of(group: list[FileFinding], side: str) -> str:
    return next(f.texts[side] for f in group if side in f.texts)


def _marked_of(group: list[FileFinding], side: str) -> str:
    return next(f.marked[side] for f in group if side in f.marked)


def _lang_of(group: list[FileFinding], side: str) -> str:
    return next(f.langs[side] for f in group if side in f.langs)


def per_number(findings: list[FileFinding], order: Sequence[str]) -> list[FileFinding]:
    """In units of three or more languages, one finding per number instead of one per pair of languages."""
    if len(order) < 3:
        return findings
    out: list[FileFinding] = []
    groups: dict[tuple, list[FileFinding]] = {}
    for finding in findings:
        if finding.kind == "matched":
            out.append(finding)
            continue
        family = "code" if finding.kind == "code" else "number"
        readings = frozenset(r for side in finding.docs if (r := _reading(finding.values.get(side, []))))
        groups.setdefault((_unit_key(finding), family, readings), []).append(finding)
    # a number one language lacks shows as {"2014"} in every pair with it; the pairs of two languages
    # that both have it never disagree, so each group is one number
    for group in groups.values():
        sides = {side for f in group for side in f.docs}
        if len(sides) > 2:
            out.append(_merged(group, order))
        else:
            out += group
    return out


def _neighbourdigit_runs(bilingual: BilingualFile, index: int, side: str) -> set[str]:
    """The digit runs of ``side`` in the units around ``index`` (not the unit itself)."""
    found: set[str] = set()
    low, high = max(0, index - NEIGHBOURS), min(len(bilingual.units), index + NEIGHBOURS + 1)
    for other in range(low, high):
        text = bilingual.units[other].texts.get(side)
        if other != index and text is not None:
            found.update(digit_runs(text.read))
    return found


def segmentation(findings: list[FileFinding], bilingual: BilingualFile) -> list[FileFinding]:
    """A unit whose extra figures stand in its neighbouring units becomes one low-confidence finding."""
    index_of = {(u.segment, u.line): k for k, u in enumerate(bilingual.units)}
    by_unit: dict[tuple, list[FileFinding]] = {}
    for finding in findings:
        by_unit.setdefault(_unit_key(finding), []).append(finding)
    out: list[FileFinding] = []
    for key, group in by_unit.items():
        extra = [f for f in group if f.kind in ("added", "missing")]
        index = index_of.get((key[1], key[2]))
        merged = _table_finding(extra, bilingual, index) if index is not None else None
        if merged is None:
            out += group
        else:
            out += [f for f in group if f not in extra] + [merged]
    return out


def _table_finding(extra: list[FileFinding], bilingual: BilingualFile, index: int) -> FileFinding | None:
    """The unit's extra figures as one finding if its neighbours hold them, else None."""
    if not extra or len({f.docs for f in extra}) != 1:
        return None
    first, second = extra[0].docs
    figures: dict[str, list[str]] = {first: [], second: []}
    for finding in extra:
        if finding.kind == "missing":
            figures[first] += finding.values.get(first, [])
        else:
            figures[second] += finding.values.get(second, [])
    holder = max(figures, key=lambda side: len(figures[side]))
    other = second if holder == first else first
    runs = [run for value in figures[holder] for run in digit_runs(value) if len(run) >= 2]  # 1-9: anywhere
    if len(runs) < _FIGURES:
        return None
    around = _neighbourdigit_runs(bilingual, index, other)
    found = [run for run in runs if run in around]
    if len(found) < _FOUND_SHARE * len(runs):
        return None
    kind = "added" if holder == second else "missing"
    message = (
        f"Segmentation mismatch: {len(runs)} figures of {holder} ({', '.join(figures[holder][:6])}"
        f"{', …' if len(figures[holder]) > 6 else ''}) stand in the neighbouring units of {other}; "
        f"the two sides split the text (a table?) differently."
    )
    return replace(
        extra[0],
        kind=kind,
        severity="warning",
        values={holder: figures[holder], other: figures[other]},
        marked=_union_marks(extra),
        message=message,
        confidence="low",
        confidence_why="segmentation mismatch: the figures stand in the neighbouring units",
    )


def _union_marks(findings: list[FileFinding]) -> dict[str, str]:
    """Each side's text with every finding's numbers marked (the marks of the first that has any)."""
    out = {}
    for side in findings[0].docs:
        texts = [f.marked.get(side, "") for f in findings]
        out[side] = max(texts, key=lambda t: t.count("[["))
    return out
