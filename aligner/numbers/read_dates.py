"""Numeric dates (21/02/2024, 21.02.2024, 2024-02-21): the day and the year are kept as numbers."""

from __future__ import annotations

import re

from aligner.numbers.read_base import Read, TokenWalk


class DateReading(TokenWalk):
    def read_date(self, index: int, first: int, last: int, chunk_text: str) -> list[Read] | None:
        """Numeric dates: day and year are kept (month names are not read, so numeric months are dropped)."""
        token = self.tokens[index]
        dotted = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", token.text)
        if dotted:
            day, year = dotted.group(1), dotted.group(3)
            self.used.add(index)
            return [
                Read(token.start, token.start + len(day), (float(day),)),
                Read(token.end - 4, token.end, (float(year),), kind="year"),
            ]
        parts = [self.tokens[i] for i in range(index, min(last, index + 4) + 1)]
        shape = "".join("N" if t.kind == "num" else t.text for t in parts)
        if not (shape.startswith("N/N/N") or shape.startswith("N-N-N")):
            return None
        day_token, year_token = parts[0], parts[4]
        if shape.startswith("N-N-N") and len(parts[0].text) == 4:
            day_token, year_token = parts[4], parts[0]
        if not (day_token.text.isdigit() and year_token.text.isdigit() and parts[2].text.isdigit()):
            return None
        if not (
            1 <= int(day_token.text) <= 31
            and 1 <= int(parts[2].text) <= 12
            and len(year_token.text) in (2, 4)
        ):
            return None
        self.used.update(range(index, index + 5))
        return [
            Read(day_token.start, day_token.end, (float(day_token.text),)),
            Read(year_token.start, year_token.end, (float(year_token.text),), kind="year"),
        ]
