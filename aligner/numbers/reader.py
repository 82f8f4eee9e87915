"""Read every number in a text as values: digits in any script, scale and percent words, dates, ranges,
fractions, ordinals, signs and spelled-out numbers; codes, phone numbers and model names are kept apart.

Each kind of reading has its own part: ``read_codes`` (codes, phones, URLs), ``read_times`` (clock times),
``read_dates``, ``read_amounts`` (signs, suffixes, scale and percent words, fractions), ``read_spelled``
(numbers in words), ``read_roman`` (Roman numerals), ``read_ordinal_ranges`` (16th–19th), ``read_ranges``
(ranges, lists, compound amounts); ``read_base`` holds what they share.
"""

from __future__ import annotations

import re

from aligner import languages
from aligner.numbers.digits import ascii_digits, readings
from aligner.numbers.read_amounts import degree_signs
from aligner.numbers.read_base import Read, phrases
from aligner.numbers.read_codes import CodeReading, masked_spans
from aligner.numbers.read_dates import DateReading
from aligner.numbers.read_lists import idiom_spans, is_interval, regroup
from aligner.numbers.read_ordinal_ranges import OrdinalRangeReading
from aligner.numbers.read_ranges import RangeReading
from aligner.numbers.read_roman import RomanReading
from aligner.numbers.read_spelled import SpelledReading
from aligner.numbers.read_times import TimeReading
from aligner.numbers.read_units import UnitReading
from aligner.numbers.tokens import tokenize
from aligner.numbers.words import COMMA, JOINED, lexicon, normalise_word
from aligner.types import NumberValue


class _Reader(
    CodeReading,
    DateReading,
    TimeReading,
    SpelledReading,
    RomanReading,
    OrdinalRangeReading,
    RangeReading,
    UnitReading,
):
    """One pass over one text: digit runs first look around them (sign, suffix, scale, percent), word runs
    go to the spelled-number parser, then ranges and shared scale words are settled on the whole list."""

    def __init__(self, text: str, lang: str) -> None:
        self.text = degree_signs(ascii_digits(text))  # same length as ``text``: spans carry over
        self.lang = lang
        self.profile = languages.get(lang)
        self.lex = lexicon(lang)
        self.masked = masked_spans(self.text)
        self.tokens = regroup(tokenize(self.text), self.text, lang, self.masked)  # "60 687" in a list: two
        idioms = idiom_spans(self.text, self.profile.digit_idioms)  # "3rd party": no ordinal
        self.used = {i for i, t in enumerate(self.tokens) if any(s <= t.start < e for s, e in idioms)}
        self.ordinal_suffixes = frozenset(normalise_word(s) for s in self.profile.ordinal_suffixes)
        self.day_parts = {normalise_word(w): part for w, part in self.profile.day_part_words.items()}
        self.hour_words = frozenset(normalise_word(w) for w in self.profile.hour_words)
        self.hour_only = frozenset(normalise_word(w) for w in self.profile.day_parts_after_hour_only)
        self.clock_words = frozenset(normalise_word(w) for w in self.profile.clock_words)

    # -- reading ---------------------------------------------------------------------------------------------
    def read(self) -> list[Read]:
        found: list[Read] = []
        words = [(i, t) for i, t in enumerate(self.tokens) if t.kind == "word"]
        word_position = {token_index: k for k, (token_index, _) in enumerate(words)}
        norms = [t.norm for _, t in words]
        joined = [self._joined(words[k - 1][0], words[k][0]) if k else 0 for k in range(len(words))]
        for index, token in enumerate(self.tokens):
            if index in self.used:
                continue
            if token.kind == "num":
                found.extend(self.read_digits(index))
            elif token.kind == "word":
                roman = self.read_roman(index)
                found.extend(roman or self.read_words(index, word_position[index], norms, joined, words))
        found.sort(key=lambda r: r.start)
        self.apply_fraction_words(found)
        merged = self.post_process(self.apply_half_words(found))
        self.share_meridiem(merged)
        self.apply_units(merged)
        return merged

    def _joined(self, previous: int, current: int) -> int:
        between = self.tokens[previous + 1 : current]
        gap = "".join(t.text for t in between)
        if any(t.kind == "num" for t in between):
            return 0
        if gap.strip() in ("", "-"):
            return JOINED
        return COMMA if gap.strip() == "," else 0

    def read_digits(self, index: int) -> list[Read]:
        token = self.tokens[index]
        if self.in_mask(token.start, token.end):
            return [self.code_span(index)]
        first, last = self.chunk(index)
        chunk_text = self.text[self.tokens[first].start : self.tokens[last].end]
        date = self.read_date(index, first, last, chunk_text)
        if date is not None:
            return date
        if self.unit_power(first, last):  # 10 m2: the 2 is the unit's
            self.used.update(range(first, last + 1))
            return []
        if self.is_code(index, first, last) and not self.closes_ordinal_range(index, first):
            return [self.code_span(index, first, last)]
        time = self.read_time(index)
        if time is not None:
            return [time]
        values = readings(token.text, self.lang)
        if not values or is_interval(self.tokens, index):  # [0,1] is 0 and 1, not 0.1
            return self.split_digits(index)
        read = Read(token.start, token.end, values)
        if (
            "/" in chunk_text
            and self.is_punct(index + 1, "/")
            and (nxt := self.tok(index + 2))
            and nxt.kind == "num"
        ):
            return self.read_fraction(index, read)
        self.apply_sign(index, read)
        end_index = self.apply_suffix(index, read)
        end_index = self.apply_scale(end_index, read)
        end_index = self.apply_percent(end_index, read)
        plain = read.kind == "quantity" and read.scale == 1 and re.fullmatch(r"\d{4}", token.text)
        if plain and 1000 <= values[0] <= 2100:
            read.kind = "year"
            decade = re.fullmatch(r"\d{2}(\d0)", token.text)
            decades = phrases(self.profile.decade_phrases)
            if decade and self.match_phrase(self.skip_space(end_index + 1), decades) is not None:
                read.values = (*read.values, float(decade.group(1)))  # "1930 کی دہائی", the thirties
        self.used.update(range(index, end_index + 1))
        read.end = max(read.end, self.tokens[end_index].end)
        return [read]


def read_numbers(text: str, lang: str) -> list[NumberValue]:
    """Every number in ``text`` with its span in ``text`` and all plausible values, own reading first."""
    return [
        NumberValue(
            text=text[r.start : r.end],
            start=r.start,
            end=r.end,
            values=r.values,
            kind=r.kind,
            words=r.words,
            unit=r.unit,
            confidence=r.confidence,
        )
        for r in _Reader(text, lang).read()
    ]
