"""Split a text (with ASCII digits) into digit runs, words, spaces and punctuation, keeping offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aligner.numbers.words import normalise_word

_TOKEN = re.compile(
    r"(?P<vulgar>[½¼¾⅓⅔⅛])"  # \w in Python, but a fraction sign here
    r"|(?P<num>\d+(?:(?:[.,'\u066b\u066c]|[ \u00a0\u202f\u2009\u060c](?=\d{3}(?!\d)))\d+)*)"
    r"|(?P<word>(?:[^\W\d_]|[\u0610-\u061a\u064b-\u065f\u0670\u0640\u200c])+(?:['’ʼ][^\W\d_]+)*)"
    r"|(?P<space>[\s\u200e\u200f\u061c]+)"
    r"|(?P<punct>.)",
    re.S,
)


@dataclass
class Token:
    """One piece of the text: a digit run with its separators, a word, a space or a punctuation mark."""

    kind: str  # num | word | space | punct
    start: int
    end: int
    text: str  # with ASCII digits
    norm: str  # normalised word ("" for others)


def tokenize(text: str) -> list[Token]:
    """Every character of ``text`` in exactly one token, in order."""
    return [
        Token(
            "punct" if m.lastgroup in (None, "vulgar") else m.lastgroup,
            m.start(),
            m.end(),
            m.group(),
            normalise_word(m.group()) if m.lastgroup == "word" else "",
        )
        for m in _TOKEN.finditer(text)
    ]
