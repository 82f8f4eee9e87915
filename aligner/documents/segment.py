"""Split documents into sentences, never across input lines.

Hand-written on purpose: sentencex splits after ``т.е.`` and ``млрд.`` and keeps ``…`` inside a
sentence, and pysbd has no Ukrainian; the rules here read each language's enders and abbreviations
from its profile, so a new language needs only its profile.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from aligner.languages import LanguageProfile, get
from aligner.types import Document

MAX_SENTENCE_CHARS = 1500  # a longer "sentence" is a run-on line (tables, link lists): wrap it at whitespace
CLOSERS = "\"'»”’)]}›」』）】》"  # quotes and brackets that may follow a sentence's last mark
_OPENERS = "\"'«“‘([{‹—–-"


def _boundary_pattern(profile: LanguageProfile) -> re.Pattern[str]:
    closers = re.escape(CLOSERS)
    # A run of enders, any closing quotes/brackets, then whitespace; the split falls after the whitespace.
    spaced = rf"[{re.escape(profile.sentence_enders)}]+[{closers}]*\s+"
    if not profile.unspaced_enders:
        return re.compile(spaced)
    # Chinese and Japanese write no space after a full stop: the split falls right after it.
    return re.compile(rf"{spaced}|[{re.escape(profile.unspaced_enders)}]+[{closers}]*\s*")


def _word_before(text: str, end: int) -> str:
    """The token that ends at ``end`` (the position of its final dot), lower-cased."""
    start = end
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in _OPENERS:
        start -= 1
    return text[start:end].lower()


def _is_boundary(line: str, match: re.Match[str], profile: LanguageProfile) -> bool:
    after = match.end()
    if after >= len(line):
        return False
    following = line[after]
    ender_run = match.group(0).rstrip().rstrip(CLOSERS)
    first_letter = next((c for c in line[after : after + 4] if c.isalpha() or c.isdigit()), following)
    if first_letter.islower():
        return False  # "т.е. больше", "etc. and", "Да! — сказал он": the sentence goes on
    if ender_run != ".":
        return True
    word = _word_before(line, match.start())
    if word in profile.title_abbreviations:
        return False  # "Mr. Smith", "No. 5", "ул. Ленина"
    if word in profile.abbreviations and first_letter.isdigit():
        return False  # "млрд. 5", "p. 12"
    # An initial ("A. Smith", "В. Путин") does not end a sentence.
    initial = len(word) == 1 and word.isalpha() and line[match.start() - 1].isupper()
    return not (initial and first_letter.isupper())


def _wrap_long(sentence: str, limit: int) -> list[str]:
    pieces = []
    while len(sentence) > limit:
        cut = sentence.rfind(" ", limit // 2, limit)
        cut = cut + 1 if cut > 0 else limit
        pieces.append(sentence[:cut].strip())
        sentence = sentence[cut:]
    pieces.append(sentence.strip())
    return [p for p in pieces if p]


def split_line(line: str, profile: LanguageProfile, max_chars: int = MAX_SENTENCE_CHARS) -> list[str]:
    """Sentences of one input line; concatenated they give the line back, whitespace aside."""
    cuts = [0]
    for match in _boundary_pattern(profile).finditer(line):
        if _is_boundary(line, match, profile):
            cuts.append(match.end())
    cuts.append(len(line))
    spans: list[tuple[int, int]] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece = line[start:end].strip()
        if spans and piece and not any(ch.isalnum() for ch in piece):
            spans[-1] = (spans[-1][0], end)  # a dash or quote left at the line's end is no sentence
        elif piece:
            spans.append((start, end))
    return [wrapped for start, end in spans for wrapped in _wrap_long(line[start:end].strip(), max_chars)]


def segment_text(text: str, lang: str, presplit: bool = False) -> tuple[list[str], list[int]]:
    """Sentences and, for each, the 0-based number of the input line it came from (blank lines count).

    ``presplit``: every non-blank line is one sentence, however long, so that sentence ids map to the
    line numbers a gold standard uses.
    """
    profile = get(lang)
    sentences: list[str] = []
    paragraph_of: list[int] = []
    for number, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        found = [line.strip()] if presplit else split_line(line, profile)
        sentences.extend(found)
        paragraph_of.extend([number] * len(found))
    return sentences, paragraph_of


def segment_documents(raw: Sequence, languages: dict[str, str], presplit: bool = False) -> list[Document]:
    """A ``Document`` for every raw document that has a language."""
    documents = []
    for item in raw:
        if item.doc_id not in languages:
            continue
        sentences, paragraph_of = segment_text(item.text, languages[item.doc_id], presplit)
        documents.append(
            Document(
                doc_id=item.doc_id,
                lang=languages[item.doc_id],
                source=item.source,
                sentences=tuple(sentences),
                paragraph_of=tuple(paragraph_of),
                sha256=item.sha256,
                license=getattr(item, "license", None),
            )
        )
    return documents
