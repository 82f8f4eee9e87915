"""Digits that look like one number but are several: a space between separate values ("60 687" in a list of
values), an interval ("[0,1]"), and digits in idioms that are no number at all ("3rd party").

The rule for a space inside digits: it groups thousands when the grouping is valid for the language (groups
of three after the first, and a decimal mark, if any, that the language uses: "101 509.2" is no Russian
number) and the text is no list of values: a run of three values or more separated by spaces that no
thousands grouping explains ("12 5 60 687") makes every space between digits in that text a separator. Any
language may group with a space (SI and ISO write 10 000 in English too; NTREX's "116 123" helpline).
"""

from __future__ import annotations

import functools
import re

from aligner.numbers.digits import own_symbols
from aligner.numbers.tokens import Token

_SPACES = " \u00a0\u202f\u2009"
_RUN = re.compile(rf"\d+(?:[.,]\d+)?(?:[{_SPACES}]+\d+(?:[.,]\d+)?)+")
_GROUPED = re.compile(rf"\d{{1,3}}(?:[{_SPACES}]\d{{3}})*(?:[.,]\d+)?")
_INTERVAL_OPEN, _INTERVAL_CLOSE = "[(", "])"


def _space_list(text: str) -> bool:
    """The text has a run of three or more values with spaces between that no grouping explains."""
    for match in _RUN.finditer(text):
        run = match.group()
        values = re.split(rf"[{_SPACES}]+", run)
        if len(values) >= 3 and not _GROUPED.fullmatch(run):
            return True
    return False


def _split(token: Token) -> list[Token]:
    pieces = []
    for match in re.finditer(rf"[^{_SPACES}]+|[{_SPACES}]+", token.text):
        kind = "space" if match.group()[0] in _SPACES else "num"
        start = token.start + match.start()
        pieces.append(Token(kind, start, start + len(match.group()), match.group(), ""))
    return pieces


def regroup(tokens: list[Token], text: str, lang: str, masked: list[tuple[int, int]]) -> list[Token]:
    """``tokens`` with each digit run whose spaces do not group thousands split into its numbers; a phone
    number (in ``masked``) stays whole."""
    if not any(t.kind == "num" and any(ch in _SPACES for ch in t.text) for t in tokens):
        return tokens
    decimals, _ = own_symbols(lang)
    listed = _space_list(text)
    out: list[Token] = []
    for token in tokens:
        spaces = {ch for ch in token.text if ch in _SPACES}
        if token.kind != "num" or not spaces or any(s <= token.start < e for s, e in masked):
            out.append(token)
            continue
        decimal = re.search(r"[.,\u066b](\d+)$", token.text)
        foreign_decimal = bool(decimal) and token.text[decimal.start()] not in decimals
        if not listed and not foreign_decimal:
            out.append(token)
        else:
            out.extend(_split(token))
    return out


def is_interval(tokens: list[Token], index: int) -> bool:
    """ "[0,1]", "(0,1]": a comma between two numbers in interval brackets, one of them square, is a list."""
    token = tokens[index]
    if token.text.count(",") != 1 or any(ch in token.text for ch in "." + _SPACES):
        return False
    before = tokens[index - 1] if index > 0 else None
    after = tokens[index + 1] if index + 1 < len(tokens) else None
    if (
        before is None
        or after is None
        or before.text not in _INTERVAL_OPEN
        or after.text not in _INTERVAL_CLOSE
    ):
        return False
    return "[" in before.text or "]" in after.text


def idiom_spans(text: str, idioms: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of the language's idioms written with digits ("3rd party", "24/7"): no number in them."""
    if not idioms:
        return []
    return [(m.start(), m.end()) for m in _idioms(idioms).finditer(text)]


@functools.cache
def _idioms(idioms: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(idiom) for idiom in sorted(idioms, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)
