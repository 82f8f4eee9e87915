"""Letters of the scripts the generic rules need to recognise (Unicode blocks, not languages)."""

from __future__ import annotations

import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs, extension A and compatibility
KANA = "\u3040-\u30ff"  # hiragana and katakana
HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"  # jamo, compatibility jamo and syllables

HAN_LETTER = re.compile(f"[{HAN}]")
KANA_LETTER = re.compile(f"[{KANA}]")
HANGUL_LETTER = re.compile(f"[{HANGUL}]")
# Scripts written without spaces between words
UNSPACED_LETTER = re.compile(f"[{HAN}{KANA}]")

# Letters of these scripts carry more than a Latin letter: a Chinese translation of an English text has
# about a third of its characters, a Korean or Japanese (kana) one about half.
_DENSE_LETTERS = ((HAN_LETTER, 3), (KANA_LETTER, 2), (HANGUL_LETTER, 2))


def content_length(text: str) -> int:
    """Length in Latin-letter equivalents: comparable across scripts, unlike ``len``."""
    return len(text) + sum((weight - 1) * len(pattern.findall(text)) for pattern, weight in _DENSE_LETTERS)
