"""Ranges of ordinals written with digits: "16th–19th centuries", "1st-3rd", "16-19-го сторіч".

The suffix of the first end is a word between the digits, which would otherwise make the second end look
like a code (F-16); both ends are then ordinary numbers of a range.
"""

from __future__ import annotations

from aligner.numbers.read_base import DASHES, TokenWalk


class OrdinalRangeReading(TokenWalk):
    def closes_ordinal_range(self, index: int, first: int) -> bool:
        """The digits at ``index`` follow "<digits><ordinal suffix><dash>" in the same run (16th–19th)."""
        before = self.tokens[first:index]
        if len(before) < 3 or not (before[-1].kind == "punct" and before[-1].text in DASHES):
            return False
        suffix, digits = before[-2], before[-3]
        if digits.kind == "punct" and digits.text == "-" and len(before) >= 4:
            digits = before[-4]  # 16-го–19-го
        return suffix.kind == "word" and suffix.norm in self.ordinal_suffixes and digits.kind == "num"
