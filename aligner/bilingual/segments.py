"""What a file says about each segment (fuzzy, locked, a 100% match, final…) and which segments are skipped.

The readers mark each unit with the statuses its file gives it; ``keep_checked`` leaves out the units whose
status the user skips and counts them, in the spirit of the Trados Number Verifier's "exclude locked,
100% and untranslated segments".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:
    from aligner.bilingual.read import RawFile

# Every status a segment can have, in the order a skipped unit is counted under (its first one).
STATUSES: dict[str, str] = {
    "metadata": "PO headers, translator credits and translation notices",
    "obsolete": "PO obsolete (#~) entries",
    "untranslated": "targets the file marks untranslated (XLIFF new/needs-translation)",
    "fuzzy": "PO fuzzy entries (gettext never shows them)",
    "locked": 'locked segments and translate="no"',
    "exact": "100% and context matches (SDLXLIFF percent=100, XLIFF exact-match, id-match, 100%+)",
    "final": "segments the file marks final or signed off",
}
DEFAULT_SKIP = frozenset({"metadata", "obsolete", "untranslated", "fuzzy", "locked"})

# A source that only names a credit or notice slot ("translator-credits", "@TRANSLATION_NOTICE@",
# KDE's "Your names"): the target is a list of people and years, not a translation of it.
_CREDIT_SLOT = re.compile(
    r"(?i:translator[-_ ]?credits?|translators?|translator[-_ ]?comments?|your names|your emails)"
    r"|@?[A-Z_]*(?:TRANSLAT|CREDIT|NOTICE)[A-Z_]*@?"
)
_CREDIT_CONTEXT = re.compile(r"(?:name|email)s? of translators", re.IGNORECASE)
_YES = {"true", "yes", "locked", "1"}
_XLIFF_UNTRANSLATED = {"new", "needs-translation", "initial"}
_XLIFF_FINAL = {"final", "signed-off"}
_XLIFF_EXACT = {"exact-match", "id-match", "leveraged-inherited"}
_SDL_FINAL = {"ApprovedSignOff"}


def parse_statuses(value: str, option: str) -> frozenset[str]:
    """``--skip``/``--include`` KINDS: a comma-separated list of statuses (or "all"), checked."""
    names = {name.strip().lower() for name in value.split(",") if name.strip()}
    if "all" in names:
        return frozenset(STATUSES)
    unknown = sorted(names - set(STATUSES))
    if unknown:
        raise ValueError(
            f"{option} {','.join(unknown)}: not a segment status (statuses: {', '.join(STATUSES)})"
        )
    return frozenset(names)


def is_credit_slot(source: str, context: str = "") -> bool:
    """A source that is only the name of a credits or notice slot, not text to translate."""
    text = source.strip()
    return bool(text) and (_CREDIT_SLOT.fullmatch(text) is not None or bool(_CREDIT_CONTEXT.search(context)))


def _local_name(name: str) -> str:
    return etree.QName(name).localname.lower()


def _percent(element: etree._Element) -> float | None:
    """A match percentage written on ``element`` (logoport:matchpercent, mq:percent, percent…)."""
    for name, value in element.attrib.items():
        if _local_name(name) in ("matchpercent", "percent", "match-percent"):
            try:
                return float(value)
            except ValueError:
                return None
    return None


def xliff_statuses(unit: etree._Element, target: etree._Element | None) -> frozenset[str]:
    """Statuses of an XLIFF 1.2 trans-unit or an XLIFF 2 unit/segment, from its attributes."""
    found = set()
    if unit.get("translate") == "no" or (target is not None and target.get("translate") == "no"):
        found.add("locked")
    if any(_local_name(name) == "locked" and value.lower() in _YES for name, value in unit.attrib.items()):
        found.add("locked")  # memoQ's mq:locked="locked", and the like
    holders = [e for e in (target, unit) if e is not None]
    state = next((e.get("state") for e in holders if e.get("state")), None)
    qualifier = next((e.get("state-qualifier") for e in holders if e.get("state-qualifier")), None)
    if state in _XLIFF_UNTRANSLATED:
        found.add("untranslated")
    if state in _XLIFF_FINAL:
        found.add("final")
    percent = next((p for e in holders if (p := _percent(e)) is not None), None)
    if qualifier in _XLIFF_EXACT or (percent is not None and percent >= 100):
        found.add("exact")
    return frozenset(found)


def sdl_statuses(definition: etree._Element | None) -> frozenset[str]:
    """Statuses of an SDLXLIFF segment from its <sdl:seg> definition (conf, locked, percent, origin)."""
    if definition is None:
        return frozenset()
    found = set()
    if definition.get("locked") == "true":
        found.add("locked")
    conf = definition.get("conf", "")
    if conf in _SDL_FINAL:
        found.add("final")
    if conf in ("", "Unspecified") and definition.get("origin") in (None, "source"):
        found.add("untranslated")  # a target Trados copied from the source, never confirmed
    percent = _percent(definition)
    origin = definition.get("origin")
    if (percent is not None and percent >= 100 and origin != "interactive") or origin == "document-match":
        found.add("exact")
    return frozenset(found)


def first_status(statuses: Iterable[str], skip: frozenset[str]) -> str | None:
    """The status a unit is skipped under (the first of STATUSES it has among ``skip``), if any."""
    have = set(statuses) & skip
    return next((name for name in STATUSES if name in have), None)


def keep_checked(raw: RawFile, skip: frozenset[str]) -> RawFile:
    """``raw`` (a RawFile) with the skipped units left out and counted by status."""
    kept, skipped = [], Counter()
    for unit in raw.units:
        status = first_status(unit.statuses, skip)
        if status is None:
            kept.append(unit)
        else:
            skipped[status] += 1
    counts = dict(raw.skipped)
    for status, count in skipped.items():
        counts[status] = counts.get(status, 0) + count
    return replace(raw, units=kept, skipped=counts)
