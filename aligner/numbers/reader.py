"""Read every number in a text as values: digits in any script, scale and percent words, dates, ranges,
fractions, ordinals, signs and spelled-out numbers; codes, phone numbers and model names are kept apart.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from aligner import languages
from aligner.numbers.digits import ascii_digits, readings
from aligner.numbers.tokens import Token, tokenize
from aligner.numbers.words import COMMA, JOINED, Lexicon, lexicon, normalise_word, parse_words
from aligner.types import NumberValue

_MASKS = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+")
_PHONE = re.compile(
    r"(?<![\d.,])(?:\+\d{1,3}[ \u00a0\-]?)?(?:\(\d{2,5}\)[ \u00a0\-]?)?"
    r"\d{2,4}(?:[ \u00a0\u202f\-]\d{2,4}){2,}(?!\d)"
    r"|(?<![\d.,])0\d{1,4}/\d{2,}(?:[ \u00a0\-]\d{2,})*(?![\d.,]\d)"  # 031/433611, 031/43 36 11
)
_CHUNK_EDGE = "()[]{}«»\"'“”‘’.,;:!?؟،؛۔…"
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[А-Яа-яІіЇїЄєҐґЁё]")
# unit symbols written onto digits that keep them an amount (10km, 5kg), where other letters make a code (3D)
# fmt: off
_UNITS = frozenset((
    "km", "m", "cm", "mm", "kg", "g", "mg", "t", "l", "ml", "h", "min", "s", "ms", "mph", "kmh", "kph", "ft",
    "in", "lb", "lbs", "oz", "mi", "ha", "gb", "mb", "kb", "tb", "ghz", "mhz", "kw", "mw", "gw", "kwh", "mwh",
    "gwh", "w", "v", "am", "pm", "x", "c", "f",
))
# fmt: on
_CURRENCY = "$£€¥₽₴₹"
_DASHES = "-–—"
_SIGNS = "-−+"
_PERCENT_SIGNS = "%٪"
_VULGAR = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3, "⅛": 0.125}


@dataclass
class _Read:
    start: int
    end: int
    values: tuple[float, ...]
    kind: str = "quantity"
    words: bool = False
    scale: float = 1.0


def _clean(value: float) -> float:
    return float(f"{value:.12g}")


@functools.cache
def _percent_phrases(lang: str) -> tuple[tuple[str, ...], ...]:
    return _phrases(languages.get(lang).percent_words)


def _phrases(phrases: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(normalise_word(w) for w in phrase.split()) for phrase in phrases)


class _Reader:
    """One pass over one text: digit runs first look around them (sign, suffix, scale, percent), word runs
    go to the spelled-number parser, then ranges and shared scale words are settled on the whole list."""

    def __init__(self, text: str, lang: str) -> None:
        self.text = ascii_digits(text)  # same length as ``text``: spans carry over
        self.lang = lang
        self.profile = languages.get(lang)
        self.lex: Lexicon = lexicon(lang)
        self.tokens = tokenize(self.text)
        self.used: set[int] = set()
        self.masked = [(m.start(), m.end()) for m in _MASKS.finditer(self.text)]
        self.masked += [
            (m.start(), m.end()) for m in _PHONE.finditer(self.text) if self._phone_like(m.group())
        ]
        self.ordinal_suffixes = frozenset(normalise_word(s) for s in self.profile.ordinal_suffixes)
        self.day_parts = {normalise_word(w): part for w, part in self.profile.day_part_words.items()}
        self.hour_words = frozenset(normalise_word(w) for w in self.profile.hour_words)
        self.hour_only = frozenset(normalise_word(w) for w in self.profile.day_parts_after_hour_only)
        self.clock_words = frozenset(normalise_word(w) for w in self.profile.clock_words)

    @staticmethod
    def _phone_like(candidate: str) -> bool:
        digits = sum(ch.isdigit() for ch in candidate)
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", candidate):
            return False
        marked = candidate.startswith("+") or "(" in candidate or candidate.count("-") >= 2
        marked = marked or bool(re.match(r"0\d{1,4}/", candidate))  # area code: 031/433611
        trunk = bool(re.search(r"(?:^|\D)0\d{3}", candidate))  # 0800 555 111, or 111 555 0800 in RTL text
        return digits >= 7 and (marked or trunk)

    # -- token helpers -------------------------------------------------------------------------------------
    def tok(self, index: int) -> Token | None:
        return self.tokens[index] if 0 <= index < len(self.tokens) else None

    def skip_space(self, index: int) -> int:
        token = self.tok(index)
        return index + 1 if token and token.kind == "space" else index

    def is_punct(self, index: int, chars: str) -> bool:
        token = self.tok(index)
        return bool(token and token.kind == "punct" and token.text in chars)

    def chunk(self, index: int) -> tuple[int, int]:
        """Token range [first, last] of the run around ``index`` with no space, without edge punctuation."""
        first = last = index
        while first > 0 and self.tokens[first - 1].kind != "space":
            first -= 1
        while last + 1 < len(self.tokens) and self.tokens[last + 1].kind != "space":
            last += 1
        while first < index and self.tokens[first].kind == "punct" and self.tokens[first].text in _CHUNK_EDGE:
            first += 1
        while last > index and self.tokens[last].kind == "punct" and self.tokens[last].text in _CHUNK_EDGE:
            last -= 1
        return first, last

    # -- reading ---------------------------------------------------------------------------------------------
    def read(self) -> list[_Read]:
        found: list[_Read] = []
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
                found.extend(self.read_words(index, word_position[index], norms, joined, words))
        found.sort(key=lambda r: r.start)
        return self.post_process(found)

    def _joined(self, previous: int, current: int) -> int:
        between = self.tokens[previous + 1 : current]
        gap = "".join(t.text for t in between)
        if any(t.kind == "num" for t in between):
            return 0
        if gap.strip() in ("", "-"):
            return JOINED
        return COMMA if gap.strip() == "," else 0

    def in_mask(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.masked)

    def read_digits(self, index: int) -> list[_Read]:
        token = self.tokens[index]
        if self.in_mask(token.start, token.end):
            return [self.code_span(index)]
        first, last = self.chunk(index)
        chunk_text = self.text[self.tokens[first].start : self.tokens[last].end]
        date = self.read_date(index, first, last, chunk_text)
        if date is not None:
            return date
        if self.is_code(index, first, last):
            return [self.code_span(index, first, last)]
        time = self.read_time(index)
        if time is not None:
            return [time]
        values = readings(token.text, self.lang)
        if not values:
            return self.split_digits(index)
        read = _Read(token.start, token.end, values)
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
            phrases = _phrases(self.profile.decade_phrases)
            if decade and self.match_phrase(self.skip_space(end_index + 1), phrases) is not None:
                read.values = (*read.values, float(decade.group(1)))  # "1930 کی دہائی", the thirties
        self.used.update(range(index, end_index + 1))
        read.end = max(read.end, self.tokens[end_index].end)
        return [read]

    def read_time(self, index: int) -> _Read | None:
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
        values = dict.fromkeys(_clean(hour + int(minutes) / 100) for hour in readings)
        return _Read(token.start, self.tokens[after].end, tuple(values))

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

    def code_span(self, index: int, first: int | None = None, last: int | None = None) -> _Read:
        if first is None or last is None:
            first, last = self.chunk(index)
        self.used.update(range(first, last + 1))
        return _Read(self.tokens[first].start, self.tokens[last].end, (), kind="code")

    def split_digits(self, index: int) -> list[_Read]:
        """A digit string no convention reads as one number: version numbers are codes, lists are split."""
        token = self.tokens[index]
        self.used.add(index)
        if token.text.count(".") >= 2 and "," not in token.text:
            return [_Read(token.start, token.end, (), kind="code")]
        parts = []
        for match in re.finditer(r"\d+", token.text):
            value = float(match.group())
            kind = "year" if len(match.group()) == 4 and 1000 <= value <= 2100 else "quantity"
            parts.append(_Read(token.start + match.start(), token.start + match.end(), (value,), kind=kind))
        return parts

    def read_date(self, index: int, first: int, last: int, chunk_text: str) -> list[_Read] | None:
        """Numeric dates: day and year are kept (month names are not read, so numeric months are dropped)."""
        token = self.tokens[index]
        dotted = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", token.text)
        if dotted:
            day, year = dotted.group(1), dotted.group(3)
            self.used.add(index)
            return [
                _Read(token.start, token.start + len(day), (float(day),)),
                _Read(token.end - 4, token.end, (float(year),), kind="year"),
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
            _Read(day_token.start, day_token.end, (float(day_token.text),)),
            _Read(year_token.start, year_token.end, (float(year_token.text),), kind="year"),
        ]

    def is_code(self, index: int, first: int, last: int) -> bool:
        """Digits written onto letters (3D, COVID-19, Су-57, 04-NQ/TU) name things rather than count them."""
        before = self.tokens[first:index]
        if len(before) == 2 and before[1].text == "." and before[0].norm in ("no", "nr", "nos"):
            return False  # No.1
        lowercase_hyphen = len(before) >= 2 and before[-1].text == "-" and before[-2].kind == "word"
        if (
            lowercase_hyphen
            and before[-2].text.islower()
            and (_LATIN.search(before[-2].text) or _CYRILLIC.search(before[-2].text))
        ):
            return False  # 1-of-4, par-3: a word that names nothing (names and models are capitalised)
        if any(t.kind == "word" for t in before):
            glued = before[-1]
            # Arabic و2025 and a Ukrainian "5та4" or "до10,16" glue a particle on; G7, A380, МиГ29 name things
            particle = glued.kind == "word" and not _LATIN.search(glued.text) and glued.text.islower()
            uncased = glued.kind == "word" and glued.text.lower() == glued.text.upper()
            if not (particle or uncased):
                return True
        suffix = self.tok(index + 1)
        hyphen = bool(suffix and suffix.text == "-" and index + 1 < last)
        if hyphen:
            suffix = self.tok(index + 2)
        if suffix is None or suffix.kind != "word" or index + 1 > last or not _LATIN.search(suffix.text):
            return False
        if hyphen:  # 13-year-old, 7.1-magnitude count; 04-NQ/TU names a document
            return any(ch.isupper() for ch in suffix.text)
        norm = suffix.norm
        currency = self.is_punct(first - 1, _CURRENCY) or self.is_punct(index - 1, _CURRENCY)
        known = (
            norm in _UNITS
            or norm in self.ordinal_suffixes
            or norm in self.lex.scales
            or (currency and norm in self.profile.currency_scale_suffixes)
            or norm == "s"
        )
        return not known

    def read_fraction(self, index: int, numerator: _Read) -> list[_Read]:
        denominator_token = self.tokens[index + 2]
        self.used.update(range(index, index + 3))
        numerator_value = numerator.values[0]
        denominator_value = readings(denominator_token.text, self.lang) or (float(denominator_token.text),)
        text = self.tokens[index].text
        # 2020/21: a season or financial year, i.e. a range of two years
        if re.fullmatch(r"\d{4}", text) and re.fullmatch(r"\d{2}", denominator_token.text):
            end_year = float(text[:2] + denominator_token.text)
            return [
                _Read(numerator.start, numerator.end, (numerator_value,), kind="range"),
                _Read(denominator_token.start, denominator_token.end, (end_year,), kind="range"),
            ]
        return [
            _Read(numerator.start, numerator.end, numerator.values, kind="fraction"),
            _Read(denominator_token.start, denominator_token.end, denominator_value, kind="fraction"),
        ]

    def apply_sign(self, index: int, read: _Read) -> None:
        if not self.is_punct(index - 1, _SIGNS):
            return
        before = self.tok(index - 2)
        if before is None or before.kind == "space" or (before.kind == "punct" and before.text in "(["):
            sign = -1.0 if self.tokens[index - 1].text != "+" else 1.0
            read.values = tuple(sign * v for v in read.values)
            read.start = self.tokens[index - 1].start

    def apply_suffix(self, index: int, read: _Read) -> int:
        """Ordinal and unit suffixes written onto the digits (1st, 3-й, 1990s, 10km, £5m, 14½)."""
        nxt = self.tok(index + 1)
        if nxt and nxt.kind == "punct" and nxt.text in _VULGAR:
            read.values = tuple(_clean(v + _VULGAR[nxt.text]) for v in read.values)
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
            and (hyphen or not _CYRILLIC.search(nxt.text))
            or (norm == "s" and decade)
        ):
            read.kind = "year" if re.fullmatch(r"\d{4}", digits) else "ordinal"
            if decade:  # the 1980s are also "the eighties", الثمانينيات
                read.values = (*read.values, float(decade.group(1)))
            return end
        currency = self.is_punct(index - 1, _CURRENCY)
        scale = self.lex.scales.get(norm) or (
            self.profile.currency_scale_suffixes.get(norm) if currency else None
        )
        if scale and not hyphen:
            read.values = tuple(_clean(v * scale) for v in read.values)
            read.scale = scale
            return end
        return end if not hyphen and norm in _UNITS else index

    def apply_scale(self, index: int, read: _Read) -> int:
        """A scale word after the number: 2,8 млрд, 5 لاکھ, 3 million."""
        if read.scale != 1:
            return index
        candidate = self.skip_space(index + 1)
        if self.is_punct(candidate, _CURRENCY):  # 37$ بلین
            candidate = self.skip_space(candidate + 1)
        token = self.tok(candidate)
        if token is None or token.kind != "word":
            return index
        found = self.lex.lookup(token.norm, after_number=True)
        if found and found[0] == "scale":
            read.values = tuple(_clean(v * found[1]) for v in read.values)
            read.scale = found[1]
            return candidate + 1 if self.is_punct(candidate + 1, ".") and found[1] else candidate
        return index

    def apply_percent(self, index: int, read: _Read) -> int:
        candidate = self.skip_space(index + 1)
        if self.is_punct(candidate, _PERCENT_SIGNS):
            read.kind = "percent"
            return candidate
        matched = self.match_phrase(candidate, _percent_phrases(self.lang))
        if matched is not None:
            read.kind = "percent"
            return matched
        return index

    def match_phrase(self, index: int, phrases: tuple[tuple[str, ...], ...]) -> int | None:
        """Index of the last token of the first phrase found at ``index`` (its last word may be a stem)."""
        for phrase in phrases:
            position, last = index, None
            for k, word in enumerate(phrase):
                token = self.tok(position)
                if token is None or token.kind != "word":
                    break
                exact = token.norm == word or any(token.norm == p + word for p in self.lex.prefixes)
                if not (exact or (k == len(phrase) - 1 and token.norm.startswith(word))):
                    break
                last = position
                position = self.skip_space(position + 1)
            else:
                return last
        return None

    def read_words(
        self, index: int, position: int, norms: list[str], joined: list[int], words: list[tuple[int, Token]]
    ) -> list[_Read]:
        number = parse_words(norms, position, self.lex, joined)
        if number is None:
            return self.read_compound(index, norms[position])
        first_token, last_token = words[number.first][0], words[number.last][0]
        if any(i in self.used for i in range(first_token, last_token + 1)):
            return []
        self.used.update(range(first_token, last_token + 1))
        read = _Read(
            self.tokens[first_token].start,
            self.tokens[last_token].end,
            (_clean(number.value),),
            kind="ordinal" if number.ordinal else "quantity",
            words=True,
        )
        end = self.apply_percent(last_token, read)
        read.end = self.tokens[end].end
        self.used.update(range(last_token, end + 1))
        return [read]

    def read_compound(self, index: int, norm: str) -> list[_Read]:
        """A number written into a compound word (трёхзвёздочный): one word, so a soft number."""
        value = self.lex.compound(norm)
        if value is None:
            return []
        self.used.add(index)
        token = self.tokens[index]
        return [_Read(token.start, token.end, (value,), kind="quantity", words=True)]

    # -- after reading: ranges and compound amounts ------------------------------------------------------
    def post_process(self, found: list[_Read]) -> list[_Read]:
        self.share_scales(found)
        merged: list[_Read] = []
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
                    previous, end=read.end, values=(_clean(previous.values[0] + read.values[0]),)
                )
                continue
            merged.append(read)
        for left, right in zip(merged, merged[1:], strict=False):
            if "code" in (left.kind, right.kind):
                continue
            gap = self.text[left.end : right.start].strip()
            if gap and all(ch in _DASHES for ch in gap) or self.range_words(left, right, gap):
                left.kind = right.kind = "range"
                # 1950-53; right-to-left text is often typed 53-1950, the short year first
                if not self.expand_short_year(left, right):
                    self.expand_short_year(right, left)
        return merged

    def expand_short_year(self, year: _Read, short: _Read) -> bool:
        """Give the two-digit end of a range of years ("1950-53") its full reading (1953) as well."""
        full, digits = self.text[year.start : year.end], self.text[short.start : short.end]
        if not (
            re.fullmatch(r"\d{4}", full) and re.fullmatch(r"\d{2}", digits) and int(digits) > int(full[2:])
        ):
            return False
        short.values = (float(full[:2] + digits), float(digits))
        return True

    def share_scales(self, found: list[_Read]) -> None:
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
            previous.values = tuple(_clean(v * current.scale) for v in previous.values)
            previous.scale = current.scale

    def range_words(self, left: _Read, right: _Read, gap: str) -> bool:
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


def read_numbers(text: str, lang: str) -> list[NumberValue]:
    """Every number in ``text`` with its span in ``text`` and all plausible values, own reading first."""
    return [
        NumberValue(
            text=text[r.start : r.end], start=r.start, end=r.end, values=r.values, kind=r.kind, words=r.words
        )
        for r in _Reader(text, lang).read()
    ]
