"""Detect each document's language (langdetect with a fixed seed); overrides win."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from aligner.languages.scripts import HAN_LETTER, HANGUL_LETTER, KANA_LETTER
from aligner.report.progress import track
from aligner.types import RawDocument, Skipped

# Letters only: digits, URLs and punctuation carry no language and mislead the detector.
_NOISE = re.compile(r"https?://\S+|[\d\W_]+", re.UNICODE)
DETECTION_CHARS = 5000  # the first few thousand letters decide as well as the whole text, much faster


@dataclass(frozen=True)
class LanguageDecision:
    doc_id: str
    lang: str | None  # None when no supported language was found
    source: str  # "override" | "jsonl" | "detected"
    probability: float = 1.0


# langdetect's Korean profile is full of Han characters, so Chinese text often comes out as "ko"
# (langdetect issue #51). Korean is written in Hangul and Japanese always has kana: without them, not those.
_NEEDS_SCRIPT = {"ko": HANGUL_LETTER, "ja": KANA_LETTER}


def detect_language(text: str, seed: int = 0) -> tuple[str, float]:
    """The most probable language code of ``text`` and its probability ("" when undecidable)."""
    from langdetect import DetectorFactory, LangDetectException, detect_langs

    DetectorFactory.seed = seed  # langdetect is random without a seed
    letters = _NOISE.sub(" ", text[: DETECTION_CHARS * 2]).strip()[:DETECTION_CHARS]
    if not letters:
        return "", 0.0
    try:
        candidates = detect_langs(letters)
    except LangDetectException:
        return "", 0.0
    for candidate in candidates:
        script = _NEEDS_SCRIPT.get(candidate.lang)
        if script is None or script.search(letters):
            return candidate.lang, float(candidate.prob)
    if HAN_LETTER.search(letters):  # Han and no Hangul or kana: Chinese (at langdetect's confidence)
        return "zh-cn", float(candidates[0].prob)
    return candidates[0].lang, float(candidates[0].prob)


def assign_languages(
    documents: Sequence[RawDocument],
    supported: Sequence[str] | None,
    overrides: Mapping[str, str] | None = None,
    seed: int = 0,
    progress: bool | None = None,
) -> tuple[dict[str, str], list[Skipped]]:
    """Language per document id; documents in no supported language are skipped with the reason.

    ``supported=None`` keeps every language (a language without a profile gets the generic rules).
    """
    overrides = overrides or {}
    languages: dict[str, str] = {}
    skipped: list[Skipped] = []
    for document in track(documents, "detecting languages", enabled=progress):
        if document.doc_id in overrides:
            lang, how = overrides[document.doc_id], "set by --lang"
        elif document.lang_hint:
            lang, how = document.lang_hint, "given in the input"
        else:
            lang, probability = detect_language(document.text, seed)
            how = f"detected, p={probability:.2f}"
            if not lang:
                skipped.append(
                    Skipped(document.source, "no language could be detected (no letters)", document.doc_id)
                )
                continue
        if supported is not None and lang not in supported:
            skipped.append(
                Skipped(
                    document.source,
                    f"language '{lang}' ({how}) is not one of {', '.join(supported)}"
                    f" (--languages sets the languages kept)",
                    document.doc_id,
                )
            )
            continue
        languages[document.doc_id] = lang
    return languages, skipped
