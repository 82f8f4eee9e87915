"""What stands around digits and makes them an amount: a sign, an ordinal or unit suffix (1st, 3-й, 10km,
£5m, 14½), a scale word (2,8 млрд, 5 لاکھ), a percent sign or word, and fractions (2/3, 2020/21)."""

from __future__ import annotations

import re

from aligner.numbers.digits import readings
from aligner.numbers.read_base import CURRENCY, CYRILLIC, UNITS, Read, TokenWalk, clean, percent_phrases

SIGNS = "-−+"
PERCENT_SIGNS = "%٪"
# the masculine ordinal sign typed for a degree sign after digits (100ºC); both are one character
_ORDINAL_AS_DEGREE = re.compile(r"(?<=\d)(\s?)º")
VULGAR = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3, "⅛": 0.125}


def degree_signs(text: str) -> str:
    """``text`` with "º" after digits written as "°", same length: 100ºC is a temperature, not a code."""
    return _ORDINAL_AS_DEGREE.sub("\\1°", text) if "º" in text else text


class AmountReading(TokenWalk):
    def read_fraction(self, index: int, numerator: Read) -> list[Read]:
        denominator_token = self.tokens[index + 2]
        self.used.update(range(index, index + 3))
        numerator_value = numerator.values[0]
        denominator_value = readings(denominator_token.text, self.lang) or (float(denominator_token.text),)
        text = self.tokens[index].text
        # 2020/21: a season or financial year, i.e. a range of two years
        if re.fullmatch(r"\d{4}", text) and re.fullmatch(r"\d{2}", denominator_token.text):
            end_year = float(text[:2] + denominator_token.text)
            return [
                Read(numerator.start, numerator.end, (numerator_value,), kind="range"),
                Read(denominator_token.start, denominator_token.end, (end_year,), kind="range"),
            ]
        return [
            Read(numerator.start, numerator.end, numerator.values, kind="fraction"),
            Read(denominator_token.start, denominator_token.end, denominator_value, kind="fraction"),
        ]

    def apply_sign(self, index: int, read: Read) -> None:
        if not self.is_punct(index - 1, SIGNS):
            return
        before = self.tok(index - 2)
        if before is None or before.kind == "space" or (before.kind == "punct" and before.text in "(["):
            sign = -1.0 if self.tokens[index - 1].text != "+" else 1.0
            read.values = tuple(sign * v for v in read.values)
            read.start = self.tokens[index - 1].start

    def apply_suffix(self, index: int, read: Read) -> int:
        """Ordinal and unit suffixes written onto the digits (1st, 3-й, 1990s, 10km, £5m, 14½)."""
        nxt = self.tok(index + 1)
        if nxt and nxt.kind == "punct" and nxt.text in VULGAR:
            read.values = tuple(clean(v + VULGAR[nxt.text]) for v in read.values)
            return index + 1
        hyphen = False
        if (
            nxt
            and nxt.kind == "punct"
            and nxt.text == "-"
            and (after := self.tok(index + 2))
            and after.kind == "word"
        ):
            hyphen, nxt = True, after
        if not nxt or nxt.kind != "word":
            return index
        end = index + (2 if hyphen else 1)
        norm = nxt.norm
        digits = self.tokens[index].text
        decade = re.fullmatch(r"\d{2}(\d0)", digits)
        if (
            norm in self.ordinal_suffixes
            and (hyphen or not CYRILLIC.search(nxt.text))
            or (norm == "s" and decade)
        ):
            read.kind = "year" if re.fullmatch(r"\d{4}", digits) else "ordinal"
            if decade:  # the 1980s are also "the eighties", الثمانينيات
                read.values = (*read.values, float(decade.group(1)))
            return end
        currency = self.is_punct(index - 1, CURRENCY)
        scale = self.lex.scales.get(norm) or (
            self.profile.currency_scale_suffixes.get(norm) if currency else None
        )
        if scale and not hyphen:
            read.values = tuple(clean(v * scale) for v in read.values)
            read.scale = scale
            return end
        return end if not hyphen and norm in UNITS else index

    def apply_scale(self, index: int, read: Read) -> int:
        """A scale word after the number: 2,8 млрд, 5 لاکھ, 3 million."""
        if read.scale != 1:
            return index
        candidate = self.skip_space(index + 1)
        if self.is_punct(candidate, CURRENCY):  # 37$ بلین
            candidate = self.skip_space(candidate + 1)
        token = self.tok(candidate)
        if token is None or token.kind != "word":
            return index
        found = self.lex.lookup(token.norm, after_number=True)
        if found and found[0] == "scale":
            read.values = tuple(clean(v * found[1]) for v in read.values)
            read.scale = found[1]
            return candidate + 1 if self.is_punct(candidate + 1, ".") and found[1] else candidate
        return index

    def apply_percent(self, index: int, read: Read) -> int:
        candidate = self.skip_space(index + 1)
        if self.is_punct(candidate, PERCENT_SIGNS):
            read.kind = "percent"
            return candidate
        matched = self.match_phrase(candidate, percent_phrases(self.lang))
        if matched is not None:
            read.kind = "percent"
            return matched
        return index
