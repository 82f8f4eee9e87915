"""After reading: compound amounts (2 млн 300 тыс.), scale words shared by a list, and ranges (2021-2025,
"from 2021 to 2025", "2022 سے 2025 تک", "1950-53")."""

from __future__ import annotations

import re
from dataclasses import replace

from aligner.numbers.read_base import DASHES, Read, TokenWalk, clean
from aligner.numbers.words import normalise_word


class RangeReading(TokenWalk):
    def post_process(self, found: list[Read]) -> list[Read]:
        self.share_scales(found)
        merged: list[Read] = []
        for read in found:
            previous = merged[-1] if merged else None
            gap = self.text[previous.end : read.start] if previous else ""
            if (
                previous
                and previous.kind == read.kind == "quantity"
                and 1 < read.scale < previous.scale
                and not gap.strip()
                and not previous.words
            ):  # 2 млн 300 тыс.
                merged[-1] = replace(
                    previous, end=read.end, values=(clean(previous.values[0] + read.values[0]),)
                )
                continue
            merged.append(read)
        for left, right in zip(merged, merged[1:], strict=False):
            if "code" in (left.kind, right.kind):
                continue
            gap = self.text[left.end : right.start].strip()
            if gap and all(ch in DASHES for ch in gap) or self.range_words(left, right, gap):
                left.kind = right.kind = "range"
                # 1950-53; right-to-left text is often typed 53-1950, the short year first
                if not self.expand_short_year(left, right):
                    self.expand_short_year(right, left)
        return merged

    def expand_short_year(self, year: Read, short: Read) -> bool:
        """Give the two-digit end of a range of years ("1950-53") its full reading (1953) as well."""
        full, digits = self.text[year.start : year.end], self.text[short.start : short.end]
        if not (
            re.fullmatch(r"\d{4}", full) and re.fullmatch(r"\d{2}", digits) and int(digits) > int(full[2:])
        ):
            return False
        short.values = (float(full[:2] + digits), float(digits))
        return True

    def share_scales(self, found: list[Read]) -> None:
        """In "2.94, 2.89 and 2.52 million" the scale word belongs to every number of the list."""
        connectors = {normalise_word(w) for w in self.profile.list_connectors}
        for position in range(len(found) - 1, 0, -1):
            current, previous = found[position], found[position - 1]
            if current.scale == 1 or current.words or previous.words or previous.scale != 1:
                continue
            if previous.kind != "quantity" or current.kind != "quantity":
                continue
            gap = self.text[previous.end : current.start]
            words = [normalise_word(w) for w in re.findall(r"[^\W\d_]+", gap)]
            listed = bool(re.search(r"[,\u060c]", gap)) or bool(connectors & set(words))
            if not listed or re.search(r"[^\w\s,\u060c]", gap):
                continue
            # "2.94, 2.89 and 2.52 million"; with names between ("NBC 2.94, MSNBC 2.89 ... million") only
            # for fractions, which nobody writes bare next to a scaled amount
            if len(words) > 1 and (len(words) > 8 or float(previous.values[0]).is_integer()):
                continue
            previous.values = tuple(clean(v * current.scale) for v in previous.values)
            previous.scale = current.scale

    def range_words(self, left: Read, right: Read, gap: str) -> bool:
        gap_words = [normalise_word(w) for w in re.findall(r"[^\W\d_]+", gap)]
        for opening, closing in self.profile.range_words:
            opening, closing = normalise_word(opening), normalise_word(closing)
            if self.profile.postpositional_ranges:
                after = re.match(r"\s*([^\W\d_]+)", self.text[right.end :])
                if gap_words == [opening] and after and normalise_word(after.group(1)) == closing:
                    return True
                continue
            before = re.search(r"([^\W\d_]+)\s*$", self.text[: left.start])
            openings = (opening, *(p + opening for p in self.lex.prefixes))
            closed = gap_words and gap_words[-1].endswith(closing) and len(gap_words) <= 2
            if closed and before and normalise_word(before.group(1)) in openings:
                return True
        return False
