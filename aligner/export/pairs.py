"""Bilingual exports for training pipelines: pairs/<l1>-<l2>.tsv and line-aligned pairs/<l1>-<l2>.<l1|l2>.

Every aligned unit gives one pair per two documents of different languages that both take part in it
(languages in sorted order). When a story holds several documents of one language, each of them pairs
with every document of the other language, so a sentence can appear once per counterpart; documents of
the same language are never paired with each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from aligner import languages
from aligner.errors import AlignerError
from aligner.export.files import write_texts
from aligner.safe import safe_field
from aligner.types import RunResult, Unit

PAIRS_DIR = "pairs"

# TSV escaping (the "linear TSV" convention): one record per line, so `cut`, `wc -l` and line readers work.
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_TSV_SPECIAL = re.compile(r"[\\\t\n\r]")
_TSV_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}
TSV_COLUMNS = ("story", "unit", "score")

# \s covers tabs and everything str.splitlines() splits on (\x1c-\x1e, \x85, \u2028, \u2029):
# one unit must stay one line in a line-aligned file.
_LINE_BREAKING = re.compile(r"\s+")


@dataclass(frozen=True)
class Pair:
    """Two documents' segments of one unit, ``lang1 < lang2``."""

    story_id: str
    unit: int
    score: float
    lang1: str
    lang2: str
    doc1: str
    doc2: str
    text1: str
    text2: str


def pair_score(unit: Unit, doc1: str, doc2: str) -> float:
    """The bilingual score of the two documents in this unit, or the unit's score if the aligner gave none."""
    key = "|".join(sorted((doc1, doc2)))
    return unit.pair_scores.get(key, unit.score)


def language_pairs(result: RunResult) -> list[tuple[str, str]]:
    """Every (l1, l2), l1 < l2, of two documents in one story: each gets its files even when empty."""
    lang_of = {doc.doc_id: doc.lang for doc in result.documents}
    found = set()
    for story in result.stories:
        langs = {lang_of.get(doc_id, "") for doc_id in story.docs}
        found.update(combinations(sorted(lang for lang in langs if lang), 2))
    for unit in result.units:
        langs = {seg.lang for seg in unit.segments.values()}
        found.update(combinations(sorted(langs), 2))
    unsafe = sorted({lang for pair in found for lang in pair if not languages.is_code(lang)})
    if unsafe:
        raise AlignerError(
            f"language code {unsafe[0]!r} cannot name a file in pairs/ (letters, digits, - and _)"
        )
    return sorted(found)


def unit_pairs(unit: Unit) -> list[Pair]:
    """The bilingual pairs of one unit, in a fixed order (by language pair, then document ids)."""
    segments = sorted(unit.segments.values(), key=lambda seg: (seg.lang, seg.doc_id))
    pairs = []
    for first, second in combinations(segments, 2):
        if first.lang == second.lang or not first.text.strip() or not second.text.strip():
            continue
        pairs.append(
            Pair(
                unit.story_id,
                unit.index,
                pair_score(unit, first.doc_id, second.doc_id),
                first.lang,
                second.lang,
                first.doc_id,
                second.doc_id,
                first.text,
                second.text,
            )
        )
    return pairs


def escape_tsv(text: str) -> str:
    return text.translate(_TSV_ESCAPES) if _TSV_SPECIAL.search(text) else text  # most text has none


def unescape_tsv(field: str) -> str:
    """Inverse of escape_tsv, for readers of our TSV files."""
    return re.sub(r"\\(.)", lambda m: _TSV_UNESCAPES.get(m.group(1), m.group(0)), field)


def one_line(text: str) -> str:
    """A unit's text as one line: every run of whitespace or line separators becomes one space."""
    return safe_field(_LINE_BREAKING.sub(" ", text).strip())


def write_tsv(result: RunResult, outdir: Path, min_score: float = 0.0) -> list[Path]:
    """pairs/<l1>-<l2>.tsv: header `story unit score <l1>_doc <l2>_doc <l1> <l2>`.

    Text is escaped as \\t \\n \\r \\\\ (see escape_tsv), so every record is one line; other control
    characters (from document ids) become U+FFFD.
    """
    langs = language_pairs(result)
    paths = [outdir / PAIRS_DIR / f"{lang1}-{lang2}.tsv" for lang1, lang2 in langs]

    def pieces() -> Iterator[tuple[int, str]]:
        for number, (lang1, lang2) in enumerate(langs):
            yield number, "\t".join([*TSV_COLUMNS, f"{lang1}_doc", f"{lang2}_doc", lang1, lang2]) + "\n"
        for number, p in kept_pairs(result, langs, min_score):
            fields = [p.story_id, str(p.unit), f"{p.score:.4f}", p.doc1, p.doc2, p.text1, p.text2]
            yield number, "\t".join(escape_tsv(safe_field(field)) for field in fields) + "\n"

    return write_texts(paths, pieces())


def kept_pairs(
    result: RunResult, langs: list[tuple[str, str]], min_score: float
) -> Iterator[tuple[int, Pair]]:
    """Each unit's pairs whose pair score is at least ``min_score``, with the place of their language
    pair in ``langs``, in unit order: a run's pairs are never all held at once."""
    place = {pair: number for number, pair in enumerate(langs)}
    for unit in result.units:
        for pair in unit_pairs(unit):
            if pair.score >= min_score:
                yield place[(pair.lang1, pair.lang2)], pair


def write_moses(result: RunResult, outdir: Path, min_score: float = 0.0) -> list[Path]:
    """pairs/<l1>-<l2>.<l1> and .<l2>: line i of one is the translation of line i of the other."""
    langs = language_pairs(result)
    paths = [
        outdir / PAIRS_DIR / f"{lang1}-{lang2}.{lang}" for lang1, lang2 in langs for lang in (lang1, lang2)
    ]

    def pieces() -> Iterator[tuple[int, str]]:
        for number, p in kept_pairs(result, langs, min_score):
            yield 2 * number, one_line(p.text1) + "\n"
            yield 2 * number + 1, one_line(p.text2) + "\n"

    return write_texts(paths, pieces())
