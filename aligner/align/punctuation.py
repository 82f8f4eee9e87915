"""Punctuation clues of a bead: marks a translation keeps, and lines that continue the line before.

Both are cheap, language-light evidence the sentence vectors miss. A question, an exclamation, a
colon or a bracket usually survives translation, so a bead whose sides disagree on them is less
likely. A line that starts with a lower-case letter is the rest of a sentence cut in two (by a
segmenter at a colon, by OCR or a PDF line break); its content is usually in the same bead as the
line before, so the DP should not leave it unaligned as if it had been dropped. Caseless scripts
(Arabic, Urdu) simply never show that clue.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aligner import languages
from aligner.languages.base import KEPT_MARKS

MARK_KINDS = tuple(KEPT_MARKS)
_OPENERS = "\"'«“‘„‹([{-–—¿¡ \t"  # may stand before the first letter of a continued sentence


def mark_counts(sentences: Sequence[str], lang: str) -> np.ndarray:
    """Prefix sums (len + 1, kinds) of the kept marks of each sentence: spans are differences of rows."""
    kept = languages.get(lang).kept_marks
    counts = np.zeros((len(sentences) + 1, len(MARK_KINDS)), dtype=np.int64)
    for row, sentence in enumerate(sentences, start=1):
        counts[row] = [sum(sentence.count(char) for char in kept.get(kind, "")) for kind in MARK_KINDS]
    return np.cumsum(counts, axis=0)


def mark_mismatch(src_counts: np.ndarray, tgt_counts: np.ndarray) -> np.ndarray:
    """Marks found on one side of a bead and not the other; ``tgt_counts`` may hold many spans (rows)."""
    return np.abs(np.atleast_2d(tgt_counts) - src_counts[None, :]).sum(axis=1)


def continues_previous(sentences: Sequence[str]) -> np.ndarray:
    """True for a line that starts with a lower-case letter (after quotes, brackets or dashes)."""
    flags = np.zeros(len(sentences), dtype=bool)
    for i, sentence in enumerate(sentences):
        text = sentence.lstrip(_OPENERS)
        flags[i] = i > 0 and bool(text) and text[0].islower()
    return flags
