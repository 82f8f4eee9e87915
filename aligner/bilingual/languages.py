"""The languages of a bilingual file: as the file names them, else as the flags say, else detected."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError

from aligner.bilingual.read import SOURCE, TARGET, RawFile, TranslationUnit
from aligner.documents.detect import detect_language

DETECTION_UNITS = 200  # the first units of a side are enough to tell its language
SURE = 0.9  # below this, a PO file's msgids are taken to be English, as gettext expects


@dataclass(frozen=True)
class BilingualFile:
    """A bilingual file's units, each text under its language tag (as the file writes it: en-US, ru)."""

    path: Path
    format: str
    languages: tuple[str, ...]  # every language tag of the file, the source first
    how: dict[str, str]  # tag -> where it came from: "file", "--src-lang", "detected, p=0.99"
    units: list[TranslationUnit]
    untranslated: int
    skipped: dict[str, int] = field(default_factory=dict)  # status -> units left out (segments.py)


@lru_cache(maxsize=256)
def base_language(tag: str) -> str:
    """The language code the number reader knows: "pt-BR" -> "pt", "urd" (ISO 639-2) -> "ur" (CLDR's
    aliases, through Babel); langdetect's "zh-cn" and "zh-tw" stay as they are."""
    code = tag.replace("_", "-").lower()
    if code in ("zh-cn", "zh-tw") or code.split("-")[0] == "und":  # Babel would make "und" English
        return code.split("-")[0] if code.startswith("und") else code
    try:
        return Locale.parse(code.replace("-", "_")).language
    except (ValueError, UnknownLocaleError):
        return code.split("-")[0].split("/")[0]


def _detected(raw: RawFile, side: str) -> tuple[str, str]:
    sample = " ".join(unit.texts[side].read for unit in raw.units[:DETECTION_UNITS] if side in unit.texts)
    lang, probability = detect_language(sample)
    if raw.format == "PO" and side == SOURCE and probability < SURE:
        unsure = f"{lang or '?'}, p={probability:.2f}"
        return "en", f"gettext's convention (msgids in English); detection unsure ({unsure})"
    return (lang, f"detected, p={probability:.2f}") if lang else ("und", "not detected: no letters")


def resolve_languages(
    raw: RawFile, src_lang: str | None = None, tgt_lang: str | None = None
) -> BilingualFile:
    """Name the sides the file leaves unnamed; a side named like the other gets "/target" added."""
    names: dict[str, tuple[str, str]] = {}
    for side, flag, option in ((SOURCE, src_lang, "--src-lang"), (TARGET, tgt_lang, "--tgt-lang")):
        if any(side in unit.texts for unit in raw.units):
            names[side] = (flag, option) if flag else _detected(raw, side)
    order: list[str] = []
    how: dict[str, str] = {}
    units = []
    for unit in raw.units:
        texts = {}
        for key, text in unit.texts.items():
            tag, origin = names.get(key, (key, "file"))
            if tag in texts:  # the same language on both sides (a proofreading file)
                tag = f"{tag}/target"
            texts[tag] = text
            if tag not in how:
                order.append(tag)
                how[tag] = origin
        units.append(replace(unit, texts=texts))
    return BilingualFile(raw.path, raw.format, tuple(order), how, units, raw.untranslated, dict(raw.skipped))
