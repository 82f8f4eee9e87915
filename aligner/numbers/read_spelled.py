"""Spelled-out numbers ("twenty-five thousand", "پچیس فیصد") and numbers written into compound words."""

from __future__ import annotations

from dataclasses import replace

from aligner.numbers.read_amounts import AmountReading
from aligner.numbers.read_base import Read, clean, percent_phrases
from aligner.numbers.tokens import Token
from aligner.numbers.words import parse_words


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

    def read_compound(self, index: int, norm: str) -> list[Read]:
        """A number written into a compound word (трёхзвёздочный): one word, so a soft number."""
        value = self.lex.compound(norm)
        if value is None:
            return []
        self.used.add(index)
        token = self.tokens[index]
        return [Read(token.start, token.end, (value,), kind="quantity", words=True)]
