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
from aligner.bilingual.markup import plain
from aligner.languages import supported

LEVELS = ("low", "medium", "high")
DEFAULT_CUT = "medium"
_DIGIT_RUN = re.compile(r"\d+")
_ORDINAL = re.compile(r"\d+\s*(?:st|nd|rd|th|-?(?:й|я|е|го|му|ї|і|а|ий|ій))\b", re.IGNORECASE)
_SMALL_IN_WORDS = 10  # up to here a number is as often a word or a grammatical form as digits
_FROM_THE_OTHER_SIDE = {"missing": "added", "added": "missing"}
_DUAL = {"ar"}  # languages whose dual form says "2" without a digit
_DUAL_FORM = re.compile(r"\w{2,}(?:ان|ين|تا|تي)\b")  # يومين, ساعتان, فترتي: the Arabic dual's endings
_MARKED = re.compile(r"([^\[\]]{0,120})\[\[(.*?)\]\]([^\[\]]{0,120})", re.DOTALL)
_PLACEHOLDER = set("{}%$")
_BRACKETED = re.compile(r"\([^()]*\d[^()]*\)")  # a number in parentheses
_INDEXED_PLACEHOLDER = re.compile(r"\{(\d+)\}|%(\d+)")
_ICU_PLURAL = re.compile(r"\{\s*\w+\s*,\s*(?:plural|selectordinal)\s*,")
_GLUED_BEFORE = re.compile(r"[^\W\d_]-$|[^\W\d_]$")  # "base-[[2]]", "LOG[[2]]"
_COMPOUND = re.compile(r"-[^\W\d_]")  # "[[1]]-argument": a one-compound, often one word in translation
_DIGIT_PLURAL = re.compile(r"\d\s*s|\d's")  # "0s and 1s"


def at_least(confidence: str, cut: str) -> bool:
    return LEVELS.index(confidence) >= LEVELS.index(cut)


@lru_cache(maxsize=64)
def profiled(lang: str) -> bool:
    """Whether the number reader has a profile (number words, scales, separators) for ``lang``."""
    return re.split(r"[-_]", lang)[0].lower() in supported()


def _has_digits(text: str) -> bool:
    return any(char.isdigit() for char in text)


def digit_runs(text: str) -> list[str]:
    """Runs of digits in any script, as ASCII: "٣٠٠" -> "300"."""
    ascii_text = "".join(str(int(c)) if c.isdigit() and c.isdecimal() else c for c in text)
    return _DIGIT_RUN.findall(ascii_text)


def _value(values: Sequence[str]) -> int | None:
    """The value of a finding's number when it is a plain integer written in digits."""
    runs = [digit_runs(v) for v in values]
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
    there = set(digit_runs(text))
    wanted = [{run for run in digit_runs(v) if set(run) != {"0"}} for v in values]  # "US$20.00": 20
    return bool(values) and all(runs <= there for runs in wanted)


_MIXED = re.compile(r"\w*(?:[^\W\d_]\d|\d[^\W\d_])\w*")  # letters and digits in one token


def _mixed_in_another_script(finding: FileFinding, holder: str, other: str) -> bool:
    """The other side has a token of letters and digits in another script that shares a digit group with
    the code: dice "1D6" as "к6", a typing drill "a1z1" as "ش1ئ1"."""
    code = " ".join(finding.values.get(holder, []))
    runs = set(digit_runs(code))
    for token in _MIXED.findall(finding.texts.get(other, "")):
        if _scripts(token) != _scripts(code) and runs & set(digit_runs(token)):
            return True
    return False


def _scripts(text: str) -> set[str]:
    return {"latin" if "a" <= c.lower() <= "z" else "other" for c in text if c.isalpha()}


def rate(finding: FileFinding, companions: Sequence[FileFinding] = ()) -> tuple[str, str]:
    """The confidence of one finding and why; ``companions`` are the other findings of its segment."""
    first, second = finding.docs
    langs = {side: finding.langs.get(side, side) for side in finding.docs}
    unprofiled = [side for side in finding.docs if not profiled(langs[side])]
    values = {side: finding.values.get(side, []) for side in finding.docs}
    digits = {side: any(_has_digits(v) for v in values[side]) for side in finding.docs}
    if finding.kind not in ("missing", "added", "code"):  # changed, ambiguous, unit: both sides have it
        if all(digits.values()):
            if unprofiled:
                return "medium", f"digits against digits, but no profile for {langs[unprofiled[0]]}"
            return "high", "digits against digits"
        if unprofiled:
            return "low", f"a number in words, and no profile for {langs[unprofiled[0]]}"
        counts = {len(values[side]) for side in finding.docs}
        if len(counts) > 1 and any(_says_one(values[side], langs[side]) for side in finding.docs):
            return "low", '"one" in words, told apart unevenly: an idiom (one another, at one table)'
        return "medium", "a number in words"
    if finding.kind == "code":
        holder = first if values[first] else second
        other = second if holder == first else first
        if values[first] and values[second]:  # altered
            if _scripts(" ".join(values[first])) != _scripts(" ".join(values[second])):
                return "low", "a code read differently in two scripts"
            if unprofiled:
                return "low", f"a code's digits differ, but no profile for {langs[unprofiled[0]]}"
            return "high", "a code's digits differ"
        if "other" in _scripts(" ".join(values[holder])):
            return "low", "a code in the translation's script (a localised link or date)"
        if _mixed_in_another_script(finding, holder, other):
            return "low", "a code read differently in two scripts (1D6 and к6)"
        if _code_elsewhere(finding, holder, other):
            return "low", "the code's digits stand on the other side, read differently"
        return ("low" if unprofiled else "high"), "a code on one side only"
    # missing / added: one side has numbers the other lacks
    holder = first if finding.kind == "missing" else second
    other = second if holder == first else first
    level, why = _presence(finding, holder, other, langs, unprofiled, companions)
    opposite = _FROM_THE_OTHER_SIDE[finding.kind]
    if level == "low" and not unprofiled and any(c.kind == opposite for c in companions):
        return "medium", f"{why}; but the other side has a number of its own left over"
    return level, why


def _around(finding: FileFinding, side: str) -> list[tuple[str, str, str]]:
    """Each marked number of ``side`` with the text just before and after it."""
    marked = finding.marked.get(side, "")
    return [(m.group(1), m.group(2), m.group(3)) for m in _MARKED.finditer(marked)]


def _presence(
    finding: FileFinding,
    holder: str,
    other: str,
    langs: dict[str, str],
    unprofiled: list[str],
    companions: Sequence[FileFinding],
) -> tuple[str, str]:
    """The confidence of a number one side has and the other lacks."""
    values = finding.values.get(holder, [])
    other_shown = finding.texts.get(other, "")
    other_text = plain(other_shown).read  # placeholders ({0}, @{b1}, %1$s) are not numbers
    holder_text = finding.texts.get(holder, "")
    holder_read = plain(holder_text).read
    if not profiled(langs[other]) and not _has_digits(other_text):
        return "low", f"no profile for {langs[other]}: the number may be written in words"
    if unprofiled:
        return "low", f"no profile for {langs[unprofiled[0]]}"
    around = _around(finding, holder)
    if any(b[-1:] in _PLACEHOLDER or a[:1] in _PLACEHOLDER for b, _, a in around) or any(
        set(v) & _PLACEHOLDER for v in values
    ):
        return "high", "a digit beside placeholder characters: a placeholder damaged"
    braced = {m.group(1) or m.group(2) for m in _INDEXED_PLACEHOLDER.finditer(other_shown)}
    if finding.kind == "added" and braced and all(set(digit_runs(v)) <= braced for v in values):
        return "high", "a placeholder's index without its braces or sign: a placeholder damaged"
    if _ICU_PLURAL.search(holder_text):
        return "high", "a literal number in a plural message, where # belongs"
    covered = {run for c in companions if c.kind == "code" for v in _all_values(c) for run in digit_runs(v)}
    if covered and all(set(digit_runs(v)) <= covered for v in values):
        return "low", "these digits are read as a code in this segment"
    one = _value(values) == 1
    if any(_GLUED_BEFORE.search(b) or (one and _COMPOUND.match(a)) for b, _, a in around) or any(
        _DIGIT_PLURAL.fullmatch(v.strip()) for v in values
    ):
        return "low", "a number inside a word (base-2, 1-argument, 0s): often a word in translation"
    if not any(_has_digits(v) for v in values):
        return "medium", "a number in words"
    others_dropped = any(
        c is not finding and c.kind == finding.kind and (_value(c.values.get(holder, [])) or 0) > 1
        for c in companions
    )
    if (
        not others_dropped
        and _said_once(values, holder_read, other_text)
        and _written_once(values, holder_read)
    ):
        return "low", "a number the source repeats, said once in the translation"
    if any(_ORDINAL.fullmatch(v.strip()) for v in values):
        small = all(int(run) <= 3 for v in values for run in digit_runs(v))
        if small and not _has_digits(other_text):
            return "low", "a first, second or third: often a word or an idiom in translation (3rd party)"
        return "medium", "an ordinal: the other side may write it as a word"
    if all(re.fullmatch(r"0{2,}", v.strip()) for v in values):
        return "low", "zeros alone: a decimal part the other side writes differently"
    bracketed = _BRACKETED.search(other_text)
    if finding.kind == "added" and not bracketed and any(_in_parentheses(b, a) for b, _, a in around):
        return "low", "added in parentheses: a translator's note"
    if _unit_definition(values, holder_read, langs[holder]):
        return "low", "one of a unit the text names, in another unit: a definition (BTU = 1060 J)"
    value = _value(values)
    listed = value is not None and str(value - 1) in digit_runs(holder_read)
    if finding.kind == "added" and listed and 1 < value <= _SMALL_IN_WORDS and "1" in digit_runs(other_text):
        return "low", "an item number continuing a numbered list"
    dual = value == 2 and langs[other].split("-")[0] in _DUAL and _DUAL_FORM.search(other_text)
    one = value == 1 or bool(dual)
    if one and not others_dropped:
        return "low", "a one (or an Arabic two) the other side may say with a noun's form"
    if finding.kind == "added" and not _has_digits(other_text):
        return "low", "a number the translation adds to a text without numbers"
    if value is not None and value <= _SMALL_IN_WORDS and not _has_digits(other_text):
        return "medium", "a small number the other side may write in words"
    return "high", "digits on one side only"


def _said_once(values: Sequence[str], holder_text: str, other_text: str) -> bool:
    """Each number stands more often on its own side than on the other, and at least once there:
    "17/03/2006 for the 17th of March" against a translation that gives the date once."""
    there = digit_runs(other_text)
    here = digit_runs(holder_text)
    runs = [run for v in values for run in digit_runs(v)]
    return bool(runs) and all(0 < there.count(run) < here.count(run) for run in runs)


def _written_once(values: Sequence[str], text: str) -> bool:
    """Each number is written so only once in ``text`` (its other occurrence is another form: "17th"
    beside "17/03/2006")."""
    return all(len(re.findall(rf"(?<!\w){re.escape(v)}(?!\w)", text)) <= 1 for v in values)


def _says_one(values: Sequence[str], lang: str) -> bool:
    """Whether numbers written in words say 1 ("one", "одним"): the number most used as a word."""
    from aligner.numbers import signature

    return any(signature(value, lang) == frozenset({1.0}) for value in values)


def _all_values(finding: FileFinding) -> list[str]:
    return [v for side in finding.docs for v in finding.values.get(side, [])]


def _unit_definition(values: Sequence[str], text: str, lang: str) -> bool:
    """Every number of the finding is one of a unit the text names, in another unit: "BTU ... 1060 J"."""
    from aligner.numbers.reader import read_numbers
    from aligner.numbers.unit_convert import defines_a_unit

    read = {number.text: number for number in read_numbers(text, lang)}
    return bool(values) and all(v in read and defines_a_unit(read[v], text, lang) for v in values)


def _in_parentheses(before: str, after: str) -> bool:
    return before.rfind("(") > before.rfind(")") and ")" in after


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
