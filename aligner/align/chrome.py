"""Page chrome and captions: lines that should stay unaligned rather than be merged into a real bead.

Language-independent signals only (the sentence enders come from the language profile): a line
repeated in its document (a headline reused as photo captions), and short lines that do not end
like a sentence (bylines, "Comment (0)", link-list items, captions, dates). Such a line may still
form a 1-1 bead with a similar line, but never joins a multi-sentence bead cheaply.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from aligner import languages
from aligner.documents.segment import CLOSERS
from aligner.languages.scripts import UNSPACED_LETTER

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w", re.UNICODE)
_LINK_SEPARATORS = re.compile(r"\s[|•·/»>]\s")  # "Home | World | Sport", "News » World"


def normalised(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def repeated_lines(sentences: Sequence[str]) -> np.ndarray:
    """True for every sentence whose text occurs more than once in the document."""
    keys = [normalised(s) for s in sentences]
    counts = Counter(keys)
    return np.array([bool(k) and counts[k] > 1 for k in keys], dtype=bool)


def begins_another(sentences: Sequence[str]) -> np.ndarray:
    """True for every sentence whose text begins a longer line of the document."""
    keys = [normalised(s) for s in sentences]
    ordered = sorted(set(keys))  # the lines that begin with "k " follow each other in sorted order
    found = []
    for key in keys:
        at = bisect.bisect_left(ordered, key + " ")
        found.append(bool(key) and at < len(ordered) and ordered[at].startswith(key + " "))
    return np.array(found, dtype=bool)


def word_count(text: str) -> int:
    """Words of a line: its space-separated tokens, and two Han or kana characters to a word (about the
    length of a Chinese or Japanese word)."""
    unspaced = len(UNSPACED_LETTER.findall(text))
    spaced = sum(1 for token in UNSPACED_LETTER.sub(" ", text).split() if _WORD.search(token))
    return spaced + (unspaced + 1) // 2


def chrome_like(sentences: Sequence[str], lang: str, max_words: int = 4) -> np.ndarray:
    """True for repeated lines, link lists, and short lines that do not end like a sentence.

    A line that does not end like a sentence and begins a longer line counts as repeated: a headline
    that the page also runs into its first sentence, reused as a caption.
    """
    profile = languages.get(lang)
    enders = (profile.sentence_enders + profile.unspaced_enders) or ".!?"
    flags = repeated_lines(sentences)
    prefixes = begins_another(sentences)
    for i, sentence in enumerate(sentences):
        text = sentence.strip().rstrip(CLOSERS).rstrip()
        unended = not text or text[-1] not in enders
        short = word_count(text) <= max_words
        link_list = len(_LINK_SEPARATORS.findall(text)) >= 2
        if not text or link_list or (unended and (short or prefixes[i])):
            flags[i] = True
    return flags
