"""Codes, not quantities: digits written onto letters (3D, COVID-19, Су-57, F-16, B12), version numbers,
phone numbers, URLs and e-mail addresses. They are read as kind "code" with no values; ``codes.py``
compares them across translations by their digits."""

from __future__ import annotations

import re

from aligner.numbers.read_base import CURRENCY, CYRILLIC, LATIN, UNITS, Read, TokenWalk

MASKS = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = re.compile(
    r"(?<![\d.,])(?:\+\d{1,3}[ \u00a0\-]?)?(?:\(\d{2,5}\)[ \u00a0\-]?)?"
    r"\d{2,4}(?:[ \u00a0\u202f\-]\d{2,4}){2,}(?!\d)"
    r"|(?<![\d.,])0\d{1,4}/\d{2,}(?:[ \u00a0\-]\d{2,})*(?![\d.,]\d)"  # 031/433611, 031/43 36 11
)


def phone_like(candidate: str) -> bool:
    digits = sum(ch.isdigit() for ch in candidate)
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", candidate):
        return False
    marked = candidate.startswith("+") or "(" in candidate or candidate.count("-") >= 2
    marked = marked or bool(re.match(r"0\d{1,4}/", candidate))  # area code: 031/433611
    trunk = bool(re.search(r"(?:^|\D)0\d{3}", candidate))  # 0800 555 111, or 111 555 0800 in RTL text
    return digits >= 7 and (marked or trunk)


def masked_spans(text: str) -> list[tuple[int, int]]:
    """Spans of URLs, e-mail addresses and phone numbers: whatever digits they hold are not amounts."""
    spans = [(m.start(), m.end()) for m in MASKS.finditer(text)]
    return spans + [(m.start(), m.end()) for m in PHONE.finditer(text) if phone_like(m.group())]


# dice in games: 1D6, 2к6 (Russian), 3д8, and one die with its count left out, in lower case: d20, к6 (an
# upper-case D6 alone is a spreadsheet cell)
DICE = re.compile(r"(?:\d{1,3}[dDкКдД]|[dкд])(?:4|6|8|10|12|20|100)")


def _alternating(chunk: list) -> bool:
    """Letters and digits taking turns, two digit runs or more, one letter between (a1z1q1, ش1ئ1ض1, 2к6); a
    longer word between two numbers is a particle glued on ("5та4": 5 and 4)."""
    kinds = [t.kind for t in chunk if t.kind in ("num", "word")]
    if kinds.count("num") < 2 or any(t.kind == "punct" for t in chunk):
        return False
    if any(a == b for a, b in zip(kinds, kinds[1:], strict=False)):
        return False
    return all(len(t.text) == 1 for t in chunk if t.kind == "word")


class CodeReading(TokenWalk):
    def code_span(self, index: int, first: int | None = None, last: int | None = None) -> Read:
        if first is None or last is None:
            first, last = self.chunk(index)
        self.used.update(range(first, last + 1))
        text = self.text[self.tokens[first].start : self.tokens[last].end]
        # a code in another script than Latin is read one way here and another way in the translation
        other_script = any(ch.isalpha() and not LATIN.match(ch) for ch in text)
        return Read(
            self.tokens[first].start,
            self.tokens[last].end,
            (),
            kind="code",
            confidence="low" if other_script or DICE.fullmatch(text) else "high",
        )

    def split_digits(self, index: int) -> list[Read]:
        """A digit string no convention reads as one number: version numbers are codes, lists are split."""
        token = self.tokens[index]
        self.used.add(index)
        if token.text.count(".") >= 2 and "," not in token.text:
            return [Read(token.start, token.end, (), kind="code")]
        parts = []
        for match in re.finditer(r"\d+", token.text):
            value = float(match.group())
            kind = "year" if len(match.group()) == 4 and 1000 <= value <= 2100 else "quantity"
            parts.append(Read(token.start + match.start(), token.start + match.end(), (value,), kind=kind))
        return parts

    def is_code(self, index: int, first: int, last: int) -> bool:
        """Digits written onto letters (3D, COVID-19, Су-57, 04-NQ/TU) name things rather than count them;
        so do letters and digits taking turns in any script (a typing drill "ش1ئ1ض1", dice "2к6")."""
        before = self.tokens[first:index]
        if len(before) >= 2 and before[-1].text == "=" and before[-2].kind == "word":
            return False  # key=value: "пример=82" gives the value 82
        chunk = self.tokens[first : last + 1]
        if DICE.fullmatch(self.text[chunk[0].start : chunk[-1].end]) or _alternating(chunk):
            return True
        if len(before) == 2 and before[1].text == "." and before[0].norm in ("no", "nr", "nos"):
            return False  # No.1
        lowercase_hyphen = len(before) >= 2 and before[-1].text == "-" and before[-2].kind == "word"
        if (
            lowercase_hyphen
            and before[-2].text.islower()
            and (LATIN.search(before[-2].text) or CYRILLIC.search(before[-2].text))
        ):
            return False  # 1-of-4, par-3: a word that names nothing (names and models are capitalised)
        if any(t.kind == "word" for t in before):
            glued = before[-1]
            # Arabic و2025 and a Ukrainian "5та4" or "до10,16" glue a particle on; G7, A380, МиГ29 name things
            particle = glued.kind == "word" and not LATIN.search(glued.text) and glued.text.islower()
            uncased = glued.kind == "word" and glued.text.lower() == glued.text.upper()
            if not (particle or uncased):
                return True
        suffix = self.tok(index + 1)
        hyphen = bool(suffix and suffix.text == "-" and index + 1 < last)
        if hyphen:
            suffix = self.tok(index + 2)
        if suffix is None or suffix.kind != "word" or index + 1 > last or not LATIN.search(suffix.text):
            return False
        if hyphen:  # 13-year-old, 7.1-magnitude count; 04-NQ/TU names a document
            return any(ch.isupper() for ch in suffix.text)
        norm = suffix.norm
        currency = self.is_punct(first - 1, CURRENCY) or self.is_punct(index - 1, CURRENCY)
        known = (
            norm in UNITS
            or norm in self.ordinal_suffixes
            or norm in self.lex.scales
            or (currency and norm in self.profile.currency_scale_suffixes)
            or norm == "s"
        )
        return not known
