"""Reading numbers in five languages and checking that translations keep them.

``signature`` is the stable entry point other stages use: the set of numeric values in a text.
"""

from __future__ import annotations

import re

_DIGIT_MAP = {**{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)}}
_TRANSLATE = str.maketrans(_DIGIT_MAP)
_NUMBER = re.compile(r"\d+(?:[.,\u066b\u066c\u00a0\u202f' ]\d+)*")
_SCALES = {
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "bn": 1e9, "m": 1e6,
    "тыс": 1e3, "млн": 1e6, "млрд": 1e9, "тис": 1e3,
    "ألف": 1e3, "مليون": 1e6, "مليار": 1e9, "ہزار": 1e3, "لاکھ": 1e5, "کروڑ": 1e7, "ملین": 1e6, "بلین": 1e9,
}
_DECIMAL_COMMA = {"ru", "uk"}


def _value(raw: str, lang: str) -> float:
    raw = raw.replace("\u066b", ".").replace("\u066c", "").replace("\u00a0", "").replace("\u202f", "")
    raw = raw.replace("'", "").replace(" ", "")
    if lang in _DECIMAL_COMMA:
        raw = raw.replace(".", "").replace(",", ".")
    else:
        parts = raw.split(".")
        raw = raw.replace(",", "") if len(parts) <= 2 else raw.replace(".", "").replace(",", ".")
    try:
        return float(raw)
    except ValueError:
        return float(raw.replace(".", ""))


def signature(text: str, lang: str) -> frozenset[float]:
    """The numeric values in ``text`` (first-choice reading, scale words applied)."""
    text = text.translate(_TRANSLATE)
    values = set()
    for match in _NUMBER.finditer(text):
        value = _value(match.group(), lang)
        tail = re.match(r"\s*([^\W\d_]+)", text[match.end():])
        if tail and tail.group(1).lower() in _SCALES:
            value *= _SCALES[tail.group(1).lower()]
        values.add(round(value, 6))
    return frozenset(values)


__all__ = ["signature"]
