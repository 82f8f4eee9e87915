"""Roman numerals where they stand as numbers: before a century word (XXI век, XIX–XX вв.), after a title
word (World War II, Phase III) or after a name (Elizabeth II, Петра I). A word such as English "I" is never
read on its own, and other capitals (DC, MIX, CD) need a century word after them.

Read as ordinals in letters, like "twenty-first": they match a 21st on the other side, and a translation
may drop them ("Queen Elizabeth") without a finding.
"""

from __future__ import annotations

import functools
import re

from aligner import languages
from aligner.numbers.read_base import CYRILLIC, DASHES, LATIN, Read, TokenWalk
from aligner.numbers.tokens import Token
from aligner.numbers.words import normalise_word

_ROMAN = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
# Cyrillic letters typed for their Latin twins in Roman numerals (ХХI век with a Cyrillic Х, Ukrainian І)
_LOOKALIKES = str.maketrans({"Х": "X", "І": "I", "Ӏ": "I", "С": "C", "М": "M"})
_ROMAN_LETTERS = frozenset("IVXLCDMХІӀСМ")


def roman_value(word: str) -> int | None:
    """The value of a Roman numeral written in capitals (Latin, or Cyrillic lookalikes), else None."""
    if not word or word[0] not in _ROMAN_LETTERS:  # most words: no translation, no pattern
        return None
    latin = word.translate(_LOOKALIKES)
    if not _ROMAN.fullmatch(latin):
        return None
    total = 0
    for letter, following in zip(latin, [*latin[1:], ""], strict=True):
        value = _VALUES[letter]
        total += -value if following and _VALUES[following] > value else value
    return total


@functools.cache
def _context(lang: str) -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]:
    profile = languages.get(lang)
    return (
        tuple(normalise_word(w) for w in profile.roman_numeral_nouns),
        tuple(normalise_word(w) for w in profile.roman_numeral_titles),
        frozenset(profile.roman_numeral_homographs),
    )


def _is_word(norm: str, words: tuple[str, ...]) -> bool:
    """``norm`` is one of ``words``, or an inflection of one of its entries of four letters or more."""
    return any(norm == w or (len(w) >= 4 and norm.startswith(w)) for w in words)


class RomanReading(TokenWalk):
    def read_roman(self, index: int) -> list[Read]:
        """The Roman numerals starting at word ``index`` (one, or a range XIX–XX), or [] when the context
        does not make them numbers."""
        nouns, titles, homographs = _context(self.lang)
        numerals = self.numeral_run(index)
        if not numerals:
            return []
        last = self.after_suffix(numerals[-1][0])
        before = self.word_before(index)
        small = all(set(self.tokens[i].text.translate(_LOOKALIKES)) <= set("IVX") for i, _ in numerals)
        named = (
            before is not None
            and small
            and before.text[:1].isupper()
            and not before.text.isupper()
            and bool(LATIN.search(before.text) or CYRILLIC.search(before.text))
        )
        titled = before is not None and _is_word(before.norm, titles)
        if len(numerals) == 1 and self.tokens[index].text in homographs and not titled:
            return []  # "I" is the pronoun, except in "World War I"
        if not (self.noun_after(last, nouns) or titled or named or self.century_follows(last, nouns)):
            return []
        self.used.update(range(index, last + 1))
        kind = "ordinal" if len(numerals) == 1 else "range"
        return [
            Read(self.tokens[i].start, self.tokens[i].end, (float(value),), kind=kind, words=True)
            for i, value in numerals
        ]

    def numeral_run(self, index: int) -> list[tuple[int, int]]:
        """(token index, value) of the Roman numeral at ``index`` and of those joined on by dashes (XIX–XX,
        XIX – XX)."""
        numerals: list[tuple[int, int]] = []
        position = index
        while (token := self.tok(position)) and token.kind == "word" and (value := roman_value(token.text)):
            numerals.append((position, value))
            dash = self.skip_space(position + 1)
            following = self.skip_space(dash + 1)
            if not (self.is_punct(dash, DASHES) and (nxt := self.tok(following)) and nxt.kind == "word"):
                break
            position = following
        return numerals

    def after_suffix(self, last: int) -> int:
        """The last token of a numeral with its ordinal ending (XX-го века, XXI-му столітті)."""
        if (
            self.is_punct(last + 1, "-")
            and (ending := self.tok(last + 2))
            and ending.norm in self.ordinal_suffixes
        ):
            return last + 2
        return last

    def noun_after(self, last: int, nouns: tuple[str, ...]) -> bool:
        after = self.tok(self.skip_space(last + 1))
        return after is not None and after.kind == "word" and _is_word(after.norm, nouns)

    def century_follows(self, last: int, nouns: tuple[str, ...]) -> bool:
        """A Roman numeral with a century word follows in the same clause: "в конце XIX — начале XX века"."""
        for position in range(last + 1, min(last + 12, len(self.tokens))):
            token = self.tokens[position]
            if token.kind == "num" or (token.kind == "punct" and token.text in ".!?;:()"):
                return False
            if token.kind == "word" and roman_value(token.text) and len(token.text) > 1:
                return self.noun_after(self.after_suffix(position), nouns)
        return False

    def word_before(self, index: int) -> Token | None:
        """The word just before token ``index``, with at most a space between, or None."""
        position = index - 1
        if (token := self.tok(position)) and token.kind == "space":
            position -= 1
        token = self.tok(position)
        return token if token and token.kind == "word" else None
