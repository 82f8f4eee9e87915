"""Clock times: 7:55, 7.55am, 3 p.m., 20 h 30, "7 часов вечера", "شام 7 بجے", compared on a 24-hour clock."""

from __future__ import annotations

import re

from aligner.numbers.read_base import Read, TokenWalk, clean, phrases


class TimeReading(TokenWalk):
    day_parts: dict[str, str]
    hour_words: frozenset[str]
    hour_only: frozenset[str]
    clock_words: frozenset[str]

    def read_time(self, index: int) -> Read | None:
        """Clock times as hours.minutes on a 24-hour clock: 7.55am, 7:55, 3 p.m. and 15:00 compare equal."""
        token = self.tokens[index]
        hours, minutes, end = token.text, "00", index
        nxt = self.tok(index + 2)
        colon = self.is_punct(index + 1, ":") and nxt is not None and re.fullmatch(r"\d{2}", nxt.text)
        dotted = re.fullmatch(r"(\d{1,2})[.:](\d{2})", token.text)
        h_form = re.match(r"\s?h\s?(\d{2})(?!\d)", self.text[token.end :])  # 20 h 30, 20h30
        if h_form and re.fullmatch(r"\d{1,2}", token.text) and int(h_form.group(1)) < 60:
            colon, minutes = True, h_form.group(1)
            end = next(
                i
                for i in range(index + 1, len(self.tokens))
                if self.tokens[i].end >= token.end + h_form.end()
            )
        elif colon and re.fullmatch(r"\d{1,2}", token.text):
            minutes, end = self.tokens[index + 2].text, index + 2
        elif dotted:
            hours, minutes = dotted.groups()
        elif not re.fullmatch(r"\d{1,2}", token.text):
            return None
        meridiem, after = self.meridiem(end + 1)
        if meridiem in (None, "clock"):  # "شام 7 بجے": the part of the day said first
            before, hour_word = self.day_part_before(index, end + 1)
            meridiem, after = (before, hour_word) if before else (meridiem, after)
        if not (colon or meridiem) or int(hours) > 24 or int(minutes) > 59:
            return None
        if meridiem == "clock":  # "1 بجے": the hour as said, then on the afternoon half of the clock
            readings = (int(hours), int(hours) + 12 if int(hours) < 12 else int(hours))
        else:  # the 12-hour reading too: "3 p.m." may be translated "3 часа дня"
            value = int(hours) % 12 + (12 if meridiem == "pm" else 0) if meridiem else int(hours)
            readings = (value, int(hours))
        self.used.update(range(index, after + 1))
        values = dict.fromkeys(clean(hour + int(minutes) / 100) for hour in readings)
        return Read(token.start, self.tokens[after].end, tuple(values), meridiem=meridiem)

    def share_meridiem(self, found: list[Read]) -> None:
        """In "from 1 to 2 pm" and "1-2 p.m." the am/pm of the second hour holds for the first as well, so
        the first also reads 13 and matches "13:00-14:00"; its bare reading stays second. After a clock
        word alone ("1 سے 2 بجے تک") the first hour reads on both halves of the clock, as the second does."""
        for left, right in zip(found, found[1:], strict=False):
            if not (left.kind == right.kind == "range" and right.meridiem and not left.meridiem):
                continue
            if left.words or not left.values or len(self.text[left.end : right.start].strip()) > 8:
                continue
            value = left.values[0]
            hour = int(value)
            if not (
                0 < value < 13 and re.fullmatch(r"\d{1,2}(?:[.:]\d{2})?", self.text[left.start : left.end])
            ):
                continue
            if right.meridiem == "clock":
                shared = clean(hour + 12 + (value - hour)) if hour < 12 else value
                left.values = tuple(dict.fromkeys((*left.values, shared)))
            else:
                shared = clean(hour % 12 + (12 if right.meridiem == "pm" else 0) + (value - hour))
                left.values = tuple(dict.fromkeys((shared, *left.values)))
            left.meridiem = right.meridiem

    def meridiem(self, index: int) -> tuple[str | None, int]:
        """("am" | "pm" | "clock" | None, index of its last token) for what follows an hour: am, pm, a.m.,
        p.m., a part of the day, or a clock word alone ("1 بجے": either half of the day)."""
        position = self.skip_space(index)
        token = self.tok(position)
        if token and token.kind == "word" and token.norm in ("am", "pm"):
            return token.norm, position
        m = self.tok(position + 2)
        if token and token.norm in ("a", "p") and self.is_punct(position + 1, ".") and m and m.norm == "m":
            return token.norm + "m", position + 3 if self.is_punct(position + 3, ".") else position + 2
        hour = token and token.kind == "word" and token.norm in self.hour_words
        hour_token, hour_position = token, position
        if hour:  # "7 часов вечера", "7 بجے شام"
            position = self.skip_space(position + 1)
            token = self.tok(position)
        if (
            token
            and token.kind == "word"
            and token.norm in self.day_parts
            and (hour or token.norm not in self.hour_only)
        ):
            return self.day_parts[token.norm], position  # "7 مساءً", "5 утра"
        for phrase, part in self.profile.day_part_phrases.items():  # "2 in the afternoon"
            end = self.match_phrase(position, phrases((phrase,)))
            if end is not None:
                return part, end
        if hour and hour_token.norm in self.clock_words:
            return "clock", hour_position
        return None, index - 1

    def day_part_before(self, index: int, after: int) -> tuple[str | None, int]:
        """(am | pm | None, index of the hour word) for a part of the day said first: "شام 7 بجے"."""
        if not self.profile.day_part_before:
            return None, after - 1
        previous = index - 1
        if self.tok(previous) and self.tok(previous).kind == "space":
            previous -= 1
        before = self.tok(previous)
        position = self.skip_space(after)
        hour = self.tok(position)
        if (
            before
            and before.kind == "word"
            and before.norm in self.day_parts
            and hour
            and hour.norm in self.hour_words
        ):
            return self.day_parts[before.norm], position
        return None, after - 1
