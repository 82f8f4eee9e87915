"""Codes across translations, what the Trados Number Verifier calls modified alphanumerics: F-16, Су-35,
COVID-19, vitamin B12, G7, A320, 3D, phone and version numbers.

A code is compared by its digits only: its letters may be transliterated (Су-35, ایف-16, كوفيد-19) and its
dashes vary. A translation may also write the digits apart from the letters ("ایف 16") or spell them out
("Группа двадцати"), so a number of the other side that nothing else explains stands for the code too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from aligner.numbers.config import NumberConfig
from aligner.numbers.digits import ascii_digits
from aligner.numbers.pairing import has_reading
from aligner.numbers.read_codes import DICE, MASKS
from aligner.types import NumberValue


def code_digits(code: NumberValue) -> tuple[str, ...]:
    """The digit groups of a code, in ASCII digits: F-16 -> ("16",), H1N1 -> ("1", "1"); dice with their
    count, which one die leaves out: d6 and к6 -> ("1", "6")."""
    text = ascii_digits(code.text)
    dice = DICE.fullmatch(text)
    if dice and not text[0].isdigit():
        return ("1", *re.findall(r"\d+", text))
    return tuple(re.findall(r"\d+", text))


def comparable_codes(text: str, numbers: Sequence[NumberValue]) -> list[NumberValue]:
    """The codes of ``text`` worth comparing: every code with digits but URLs and e-mail addresses. Codes
    with only spaces between them are one (a phone number written "031/43 36 11")."""
    codes: list[NumberValue] = []
    for number in numbers:
        if number.kind != "code" or not code_digits(number) or MASKS.search(number.text):
            continue
        if any(mark in number.text for mark in "<>="):
            continue  # markup left in the text (id="1">), not a code anyone wrote
        previous = codes[-1] if codes else None
        # digits alone apart by spaces are one phone number; codes with letters (drills, models) stay apart
        lettered = any(ch.isalpha() for ch in (previous.text + number.text if previous else ""))
        if previous is not None and not lettered and not text[previous.end : number.start].strip():
            codes[-1] = replace(previous, text=text[previous.start : number.end], end=number.end)
        else:
            codes.append(number)
    return codes


def same_code(a: NumberValue, b: NumberValue) -> bool:
    """The same digits, grouped alike or not (031/433611 and 031/43 36 11), or three groups or more in
    another order (a phone number in right-to-left text: 111 555 0800; H1N2 and H2N1 stay apart)."""
    first, second = code_digits(a), code_digits(b)
    return "".join(first) == "".join(second) or (len(first) >= 3 and sorted(first) == sorted(second))


@dataclass
class CodePairing:
    """How the codes of two translations correspond."""

    matched: list[tuple[NumberValue, NumberValue]] = field(default_factory=list)
    # a code of one side and the number the other side writes for it, same digits or (in ``altered``) not
    as_numbers: list[tuple[NumberValue, NumberValue]] = field(default_factory=list)
    altered: list[tuple[NumberValue, NumberValue]] = field(default_factory=list)  # (first doc, second doc)
    missing: list[NumberValue] = field(default_factory=list)  # in the first doc only
    added: list[NumberValue] = field(default_factory=list)  # in the second doc only


def _gives(number: NumberValue, group: str, config: NumberConfig) -> bool:
    """``number`` says the digits ``group``; a year also a two-digit group (SS19 for a 2019 collection)."""
    if has_reading(number, float(group), config):
        return True
    return number.kind == "year" and len(group) == 2 and number.values[0] % 100 == int(group)


def _stands_for(code: NumberValue, free: list[NumberValue], config: NumberConfig) -> list[NumberValue]:
    """Numbers among ``free`` that give each digit group of ``code`` (in order), or []."""
    taken: list[NumberValue] = []
    for group in code_digits(code):
        found = next((n for n in free if n not in taken and _gives(n, group, config)), None)
        if found is None:
            return []
        taken.append(found)
    return taken


def pair_codes(
    left: Sequence[NumberValue],
    right: Sequence[NumberValue],
    loose_left: Sequence[NumberValue],
    loose_right: Sequence[NumberValue],
    config: NumberConfig,
    changed_left: Sequence[NumberValue] = (),
    changed_right: Sequence[NumberValue] = (),
) -> CodePairing:
    """Match the codes of two translations by their digits.

    ``loose_*`` are the numbers of each side the number pairing left without a counterpart and
    ``changed_*`` those it paired as changed: either may be a code of the other side written apart
    ("ایف 16" for F-16). Loose numbers are tried first, and codes of both sides are paired with each other
    before a changed number is taken, so that F-16/15 against F-15/16 stays two changes.
    """
    result = CodePairing()
    open_left, open_right = list(left), list(right)
    for a in list(open_left):
        twin = next((b for b in open_right if same_code(a, b)), None)
        if twin is not None:
            result.matched.append((a, twin))
            open_left.remove(a)
            open_right.remove(twin)
    spare_left, spare_right = list(loose_left), list(loose_right)
    _written_apart(open_left, spare_right, result, config)
    _written_apart(open_right, spare_left, result, config)
    # codes on both sides whose digits changed, shapes alike first (one group with one group)
    for a in list(open_left):
        candidates = [b for b in open_right if len(code_digits(b)) == len(code_digits(a))] or open_right
        if candidates:
            result.altered.append((a, candidates[0]))
            open_left.remove(a)
            open_right.remove(candidates[0])
    for codes, spare, changed in (
        (open_left, spare_right, changed_right),
        (open_right, spare_left, changed_left),
    ):
        pool = [*spare, *changed]
        _written_apart(codes, pool, result, config)
        spare[:] = [n for n in spare if any(n is kept for kept in pool)]  # what the codes left
    # a code written apart on the other side with other digits ("ایف 15" for F-16): as many digits
    for codes, spare, code_first in ((open_left, spare_right, True), (open_right, spare_left, False)):
        for code in list(codes):
            digits = code_digits(code)
            number = next((n for n in spare if not n.words and _digit_count(n) == len(digits[0])), None)
            if len(digits) == 1 and number is not None:
                codes.remove(code)
                spare.remove(number)
                result.altered.append((code, number) if code_first else (number, code))
                result.as_numbers.append((code, number))
    result.missing, result.added = open_left, open_right
    return result


def _written_apart(
    codes: list[NumberValue], spare: list[NumberValue], result: CodePairing, config: NumberConfig
) -> None:
    """Take from ``codes`` each code whose digits numbers of ``spare`` give, and those numbers from
    ``spare``."""
    for code in list(codes):
        numbers = _stands_for(code, spare, config)
        if numbers:
            codes.remove(code)
            for number in numbers:
                spare.remove(number)
                result.as_numbers.append((code, number))


def holds(
    code: NumberValue, codes: Sequence[NumberValue], numbers: Sequence[NumberValue], config: NumberConfig
) -> bool:
    """A translation with these codes and numbers has ``code``, in whatever script or shape."""
    return any(same_code(code, other) for other in codes) or bool(_stands_for(code, list(numbers), config))


def _digit_count(number: NumberValue) -> int:
    return len(re.sub(r"\D", "", ascii_digits(number.text)))
