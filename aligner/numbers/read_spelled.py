"""Spelled-out numbers ("twenty-five thousand", "پچیس فیصد"), numbers written into compound words, and
halves said in words around a number (ساڑھے تین 3.5, "two and a half million")."""

from __future__ import annotations

import re
from dataclasses import replace

from aligner.numbers.read_amounts import AmountReading
from aligner.numbers.read_base import Read, clean, percent_phrases, phrases
from aligner.numbers.tokens import Token
from aligner.numbers.words import normalise_word, parse_words

_WORD_BEFORE = re.compile(r"([^\W\d_]+)\s+$")  # the word just before a position, a space between


class SpelledReading(AmountReading):  # "پچیس فیصد": a percent word after spelled numbers too
    def read_words(
        self, index: int, position: int, norms: list[str], joined: list[int], words: list[tuple[int, Token]]
    ) -> list[Read]:
        number = parse_words(norms, position, self.lex, joined)
        if number is None and norms[position] in self.lex.homographs and self.before_percent(index):
            # Urdu اسی "that same" is eighty and ستر "veil" seventy before فیصد (percent)
            number = parse_words(norms, position, replace(self.lex, homographs=frozenset()), joined)
        if number is None:
            return self.read_compound(index, norms[position])
        first_token, last_token = words[number.first][0], words[number.last][0]
        if any(i in self.used for i in range(first_token, last_token + 1)):
            return []
        self.used.update(range(first_token, last_token + 1))
        read = Read(
            self.tokens[first_token].start,
            self.tokens[last_token].end,
            (clean(number.value),),
            kind="ordinal" if number.ordinal else "quantity",
            words=True,
        )
        end = self.apply_percent(last_token, read)
        read.end = self.tokens[end].end
        self.used.update(range(last_token, end + 1))
        return [read]

    def before_percent(self, index: int) -> bool:
        """A percent word follows word ``index``."""
        return self.match_phrase(self.skip_space(index + 1), percent_phrases(self.lang)) is not None

    def apply_fraction_words(self, found: list[Read]) -> None:
        """A fraction word just before a number adds that share of its first unit: Urdu ساڑھے تین 3.5,
        ساڑھے تین سو 350, ساڑھے 5 ارب 5.5 billion, پونے دو 1.75."""
        fractions = {normalise_word(w): share for w, share in self.profile.fraction_prefix_words.items()}
        if not fractions:
            return
        blockers = {normalise_word(w) for w in self.profile.fraction_prefix_blockers}
        for read in found:
            match = _WORD_BEFORE.search(self.text[: read.start])
            if not match or normalise_word(match.group(1)) not in fractions or read.kind == "code":
                continue
            previous = _WORD_BEFORE.search(self.text[: match.start(1)])
            if previous and normalise_word(previous.group(1)) in blockers:
                continue
            unit = self.leading_unit(read)
            if unit is None:
                continue
            share = fractions[normalise_word(match.group(1))]
            read.values = tuple(clean(v + share * unit) for v in read.values)
            read.start = match.start(1)

    def apply_half_words(self, found: list[Read]) -> list[Read]:
        """ "and a half" after a number adds half of its first unit, before a scale or percent word that
        follows: "two and a half million" 2.5e6, "три с половиной процента" 3.5%, "3 з половиною"."""
        halves = phrases(self.profile.half_suffix_phrases)
        if not halves:
            return found
        starts = {token.start: index for index, token in enumerate(self.tokens)}
        absorbed: set[int] = set()
        for read in found:
            after = starts.get(read.end)
            end = self.match_phrase(self.skip_space(after), halves) if after is not None else None
            if end is None or read.kind == "code" or not read.values or id(read) in absorbed:
                continue
            unit = self.leading_unit(read) or 1.0
            read.values = tuple(clean(v + unit / 2) for v in read.values)
            scale_index = self.skip_space(end + 1)
            scale = self.tok(scale_index)
            found_scale = (
                self.lex.lookup(scale.norm, after_number=True) if scale and scale.kind == "word" else None
            )
            if found_scale and found_scale[0] == "scale":  # "two and a half million"
                read.values = tuple(clean(v * found_scale[1]) for v in read.values)
                read.scale, end = found_scale[1], scale_index
            end = self.apply_percent(end, read)
            read.end = self.tokens[end].end
            # what the reading now covers was read on its own before: "million", "بالمئة" (100)
            absorbed.update(
                id(other) for other in found if other is not read and read.start < other.start < read.end
            )
        return [read for read in found if id(read) not in absorbed]

    def leading_unit(self, read: Read) -> float | None:
        """What one of the number's first unit is worth: 1 in تین, 100 in تین سو, 1e9 in 5 ارب."""
        if not read.words:
            digits = re.match(r"\d+", self.text[read.start : read.end])
            return (
                read.scale
                if digits and read.values and read.values[0] == float(digits.group()) * read.scale
                else None
            )
        first = re.match(r"[^\W\d_]+", self.text[read.start : read.end])
        found = self.lex.lookup(normalise_word(first.group())) if first else None
        if not found or found[0] != "card" or not read.values:
            return None
        ratio = read.values[0] / found[1]
        return (
            ratio if ratio >= 1 and float(ratio).is_integer() and str(int(ratio)).rstrip("0") == "1" else None
        )

    def read_compound(self, index: int, norm: str) -> list[Read]:
        """A number written into a compound word (трёхзвёздочный): one word, so a soft number."""
        value = self.lex.compound(norm)
        if value is None:
            return []
        self.used.add(index)
        token = self.tokens[index]
        return [Read(token.start, token.end, (value,), kind="quantity", words=True)]
