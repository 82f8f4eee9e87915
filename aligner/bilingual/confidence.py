"""How sure a finding is: high, medium or low, and why in a few words.

The reader is sure of digits against digits in the languages it has a profile for; it is unsure where the
other side says the number in words it cannot read (a language without a profile, the singular of "1 hour",
an ordinal, an Arabic dual), and where one script's code is another script's separate numbers. The default
report shows high and medium; ``--min-confidence low`` shows the rest.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from aligner.bilingual.check import FileFinding
from aligner.languages import supported

LEVELS = ("low", "medium", "high")
DEFAULT_CUT = "medium"
_DIGIT_RUN = re.compile(r"\d+")
_ORDINAL = re.compile(r"\d+\s*(?:st|nd|rd|th|-?(?:й|я|е|го|му|ї|і|а|ий|ій))\b", re.IGNORECASE)
_SMALL_IN_WORDS = 10  # up to here a number is as often a word or a grammatical form as digits
_DUAL = {"ar"}  # languages whose dual form says "2" without a digit


def at_least(confidence: str, cut: str) -> bool:
    return LEVELS.index(confidence) >= LEVELS.index(cut)


@lru_cache(maxsize=64)
def profiled(lang: str) -> bool:
    """Whether the number reader has a profile (number words, scales, separators) for ``lang``."""
    return lang.split("-")[0].lower() in supported()


def _has_digits(text: str) -> bool:
    return any(char.isdigit() for char in text)


def _digit_runs(text: str) -> list[str]:
    """Runs of digits in any script, as ASCII: "٣٠٠" -> "300"."""
    ascii_text = "".join(str(int(c)) if c.isdigit() and c.isdecimal() else c for c in text)
    return _DIGIT_RUN.findall(ascii_text)


def _value(values: Sequence[str]) -> int | None:
    """The value of a finding's number when it is a plain integer written in digits."""
    runs = [_digit_runs(v) for v in values]
    if values and all(len(r) == 1 for r in runs) and len({r[0] for r in runs}) == 1:
        return int(runs[0][0])
    return None


def _code_elsewhere(finding: FileFinding, holder: str, other: str) -> bool:
    """A code on one side whose digit groups all stand on the other side (as a code in its script or as
    separate numbers: "200X300" and "200 × 300", "1D6" and "к6"), or the code written there as it is."""
    values = finding.values.get(holder, [])
    text = finding.texts.get(other, "")
    if any(v and v.casefold() in text.casefold() for v in values):
        return True
    there = set(_digit_runs(text))
    return bool(values) and all(set(_digit_runs(v)) <= there for v in values)


def _scripts(text: str) -> set[str]:
    return {"latin" if "a" <= c.lower() <= "z" else "other" for c in text if c.isalpha()}


def rate(finding: FileFinding, companions: Sequence[FileFinding] = ()) -> tuple[str, str]:
    """The confidence of one finding and why; ``companions`` are the other findings of its segment."""
    first, second = finding.docs
    langs = {side: finding.langs.get(side, side) for side in finding.docs}
    unprofiled = [side for side in finding.docs if not profiled(langs[side])]
    values = {side: finding.values.get(side, []) for side in finding.docs}
    digits = {side: any(_has_digits(v) for v in values[side]) for side in finding.docs}
    if finding.kind in ("changed", "ambiguous"):
        if all(digits.values()):
            if unprofiled:
                return "medium", f"digits against digits, but no profile for {langs[unprofiled[0]]}"
            return "high", "digits against digits"
        return ("low" if unprofiled else "medium"), "a number in words on one side"
    if finding.kind == "code":
        holder = first if values[first] else second
        other = second if holder == first else first
        if values[first] and values[second]:  # altered
            if _scripts(" ".join(values[first])) != _scripts(" ".join(values[second])):
                return "low", "a code read differently in two scripts"
            return ("medium" if unprofiled else "high"), "a code's digits differ"
        if _code_elsewhere(finding, holder, other):
            return "low", "the code's digits stand on the other side, read differently"
        return ("low" if unprofiled else "high"), "a code on one side only"
    # missing / added: one side has numbers the other lacks
    holder = first if finding.kind == "missing" else second
    other = second if holder == first else first
    other_text = finding.texts.get(other, "")
    if not profiled(langs[other]) and not _has_digits(other_text):
        return "low", f"no profile for {langs[other]}: the number may be written in words"
    if unprofiled:
        return "low", f"no profile for {langs[unprofiled[0]]}"
    for companion in companions:
        if companion.kind == "code" and companion is not finding:
            code_side = [s for s in companion.docs if companion.values.get(s)]
            if code_side and code_side[0] == other:
                codes = " ".join(companion.values[other])
                if all(set(_digit_runs(v)) <= set(_digit_runs(codes)) for v in values[holder]):
                    return "low", "the other side reads these digits as a code"
    if not digits[holder]:
        return "medium", "a number in words"
    if any(_ORDINAL.fullmatch(v.strip()) for v in values[holder]):
        return "low", "an ordinal, often a word or an idiom in translation (3rd party)"
    value = _value(values[holder])
    if value is not None and not _has_digits(other_text):
        if value == 1 or (value == 2 and langs[other].split("-")[0] in _DUAL):
            return "low", "a one (or an Arabic two) the other side may say with a noun's form"
        if value <= _SMALL_IN_WORDS:
            return "medium", "a small number the other side may write in words"
    return "high", "digits on one side only"


def rated(findings: Sequence[FileFinding]) -> list[FileFinding]:
    """Every finding with its confidence, judged with the other findings of its segment."""
    by_segment: dict[tuple[str, str, int | None], list[FileFinding]] = {}
    for finding in findings:
        by_segment.setdefault((finding.file, finding.segment, finding.line), []).append(finding)
    out = []
    for finding in findings:
        if finding.kind == "matched" or finding.confidence_why:
            out.append(finding)
            continue
        level, why = rate(finding, by_segment[(finding.file, finding.segment, finding.line)])
        out.append(replace(finding, confidence=level, confidence_why=why))
    return out
