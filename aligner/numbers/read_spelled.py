"""Spelled-out numbers ("twenty-five thousand", "پچیس فیصد") and numbers written into compound words."""

from __future__ import annotations

from aligner.numbers.read_amounts import AmountReading
from aligner.numbers.read_base import Read, clean
from aligner.numbers.tokens import Token
from aligner.numbers.words import parse_words


class SpelledReading(AmountReading):  # "پچیس فیصد": a percent word after spelled numbers too
    def read_words(
        self, index: int, position: int, norms: list[str], joined: list[int], words: list[tuple[int, Token]]
    ) -> list[Read]:
        number = parse_words(norms, position, self.lex, joined)
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

    def read_compound(self, index: int, norm: str) -> list[Read]:
        """A number written into a compound word (трёхзвёздочный): one word, so a soft number."""
        value = self.lex.compound(norm)
        if value is None:
            return []
        self.used.add(index)
        token = self.tokens[index]
        return [Read(token.start, token.end, (value,), kind="quantity", words=True)]
