"""What every part of the number reader shares: the record of one reading and a walk over the tokens."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from aligner import languages
from aligner.languages.base import LanguageProfile
from aligner.numbers.tokens import Token
from aligner.numbers.words import Lexicon, normalise_word

CHUNK_EDGE = "()[]{}«»\"'“”‘’.,;:!?؟،؛۔…"
LATIN = re.compile(r"[A-Za-z]")
CYRILLIC = re.compile(r"[А-Яа-яІіЇїЄєҐґЁё]")
CURRENCY = "$£€¥₽₴₹"
DASHES = "-–—"
# unit symbols written onto digits that keep them an amount (10km, 5kg), where other letters make a code (3D)
# fmt: off
UNITS = frozenset((
    "km", "m", "cm", "mm", "kg", "g", "mg", "t", "l", "ml", "h", "min", "s", "ms", "mph", "kmh", "kph", "ft",
    "in", "lb", "lbs", "oz", "mi", "ha", "gb", "mb", "kb", "tb", "ghz", "mhz", "kw", "mw", "gw", "kwh", "mwh",
    "gwh", "w", "v", "am", "pm", "x", "c", "f",
))
# fmt: on


@dataclass
class Read:
    """One number found in the text: its span, its plausible values and what kind of number it is."""

    start: int
    end: int
    values: tuple[float, ...]
    kind: str = "quantity"
    words: bool = False
    scale: float = 1.0
    meridiem: str | None = None  # "am" | "pm" | "clock" (an hour word alone) for a clock time
    unit: str | None = None  # a pint unit name, "currency:USD", "percent" or "percentage_point"
    confidence: str = "high"  # "low" for a code whose letters another script may write otherwise (a1z1, 1D6)


def clean(value: float) -> float:
    return float(f"{value:.12g}")


@functools.cache
def percent_phrases(lang: str) -> tuple[tuple[str, ...], ...]:
    return phrases(languages.get(lang).percent_words)


def phrases(phrases: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(normalise_word(w) for w in phrase.split()) for phrase in phrases)


class TokenWalk:
    """The state of one pass over one text and the helpers to look around a token; the reading parts
    (codes, times, dates, amounts, spelled numbers, Roman numerals, ranges) build on it."""

    text: str  # with ASCII digits, same length as the original: spans carry over
    lang: str
    profile: LanguageProfile
    lex: Lexicon
    tokens: list[Token]
    used: set[int]  # token indices already part of a reading
    masked: list[tuple[int, int]]  # spans of URLs, e-mail addresses and phone numbers
    ordinal_suffixes: frozenset[str]

    # -- token helpers -------------------------------------------------------------------------------------
    def tok(self, index: int) -> Token | None:
        return self.tokens[index] if 0 <= index < len(self.tokens) else None

    def skip_space(self, index: int) -> int:
        token = self.tok(index)
        return index + 1 if token and token.kind == "space" else index

    def is_punct(self, index: int, chars: str) -> bool:
        token = self.tok(index)
        return bool(token and token.kind == "punct" and token.text in chars)

    def chunk(self, index: int) -> tuple[int, int]:
        """Token range [first, last] of the run around ``index`` with no space, without edge punctuation; an
        equals sign between digits ends it too ("4x5=20" is a code and a result, as "4x5 = 20" is)."""
        first = last = index
        while first > 0 and self.tokens[first - 1].kind != "space" and not self._equation(first - 1):
            first -= 1
        while (
            last + 1 < len(self.tokens)
            and self.tokens[last + 1].kind != "space"
            and not self._equation(last + 1)
        ):
            last += 1
        while first < index and self.tokens[first].kind == "punct" and self.tokens[first].text in CHUNK_EDGE:
            first += 1
        while last > index and self.tokens[last].kind == "punct" and self.tokens[last].text in CHUNK_EDGE:
            last -= 1
        return first, last

    def _equation(self, position: int) -> bool:
        """An equals sign with digits on both sides: 4x5=20, 2+2=4."""
        before, after = self.tok(position - 1), self.tok(position + 1)
        return (
            self.tokens[position].text == "="
            and before is not None
            and after is not None
            and before.kind == after.kind == "num"
        )

    def in_mask(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.masked)

    def match_phrase(self, index: int, phrases: tuple[tuple[str, ...], ...]) -> int | None:
        """Index of the last token of the first phrase found at ``index`` (its last word may be a stem)."""
        for phrase in phrases:
            position, last = index, None
            for k, word in enumerate(phrase):
                token = self.tok(position)
                if token is None or token.kind != "word":
                    break
                exact = token.norm == word or any(token.norm == p + word for p in self.lex.prefixes)
                if not (exact or (k == len(phrase) - 1 and token.norm.startswith(word))):
                    break
                last = position
                position = self.skip_space(position + 1)
            else:
                return last
        return None
