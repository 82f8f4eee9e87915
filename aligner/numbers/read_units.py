"""The unit of each amount, as part of its reading: "5 km", "10 минут", "15 ساعة", "$140", "140 €",
"5%" against "5 percentage points". ``unit_words`` holds the words; ``unit_convert`` compares them."""

from __future__ import annotations

import re

from aligner.numbers.read_base import Read, TokenWalk
from aligner.numbers.unit_words import currency_before, unit_after, unit_words
from aligner.numbers.words import normalise_word

_NO_UNIT = ("code", "year", "ordinal")
_LAST_DIGIT = re.compile(r"[\d½¼¾⅓⅔⅛](?!.*[\d½¼¾⅓⅔⅛])", re.S)
_POWER_UNIT = re.compile(r"[^\W\d_]{1,3}[23]")  # m2, км2, cm3: a unit, not a code, after a number


class UnitReading(TokenWalk):
    def unit_power(self, first: int, last: int) -> bool:
        """The chunk is a unit with a power (m2, км3) right after a number: nothing to read in it."""
        chunk = self.text[self.tokens[first].start : self.tokens[last].end]
        before = self.tok(first - 1)
        before = self.tok(first - 2) if before is not None and before.kind == "space" else before
        return bool(
            before is not None
            and before.kind == "num"
            and _POWER_UNIT.fullmatch(chunk)
            and unit_words(self.lang).get(normalise_word(chunk))
        )

    def apply_units(self, found: list[Read]) -> None:
        for read in found:
            if read.kind == "year" and re.fullmatch(r"\d{4}", self.text[read.start : read.end]):
                unit = self._unit(read)
                if unit and unit != "year":  # 1000 г, 2000 dollars: an amount, not a year
                    read.kind, read.values, read.unit = "quantity", read.values[:1], unit
                continue
            if read.kind in _NO_UNIT or read.meridiem:
                continue
            if read.kind == "percent":
                read.unit = "percentage_point" if self._points(read) else "percent"
                continue
            read.unit = self._unit(read)
        for left, right in zip(found, found[1:], strict=False):  # "3-5 years": the first end takes the unit
            if left.kind == right.kind == "range" and left.unit is None:
                left.unit = right.unit

    def _unit(self, read: Read) -> str | None:
        if read.words:  # an Arabic dual says the number and the unit in one word: ساعتين, two hours
            word = normalise_word(self.text[read.start : read.end])
            own = {normalise_word(w): u for w, u in self.profile.unit_words.items()}.get(word)
            if own:
                return own
        currency = currency_before(self.text[max(0, read.start - 8) : read.start], self.lang)
        if currency:  # $140, £5m, USD 20
            return currency
        last_digit = _LAST_DIGIT.search(self.text, read.start, read.end)
        for position in (last_digit.end() if last_digit else read.end, read.end):
            unit = unit_after(self.text[position:], self.lang)
            if unit is not None:
                return unit or None  # "" is an ambiguous name (a pound): no unit to compare
        return None

    def _points(self, read: Read) -> bool:
        """A percentage said in percentage points: "5 percentage points", "5 процентных пунктов"."""
        last_digit = _LAST_DIGIT.search(self.text, read.start, read.end)
        start = last_digit.end() if last_digit else read.end
        window = normalise_word(self.text[start : read.end + 30])
        return any(
            re.match(rf"[\s%٪]*(?:[^\W\d_]+\s+)?{re.escape(normalise_word(w))}", window)
            for w in self.profile.percentage_point_words
        )
