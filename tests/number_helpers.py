"""One aligned unit from texts keyed by language, and its findings other than matched numbers."""

from __future__ import annotations

from aligner.numbers import check_units
from aligner.types import NumberFinding, Segment, Unit


def unit(**texts: str) -> Unit:
    """A unit whose doc ids are the language codes."""
    return Unit(
        story_id="s1",
        index=0,
        segments={lang: Segment(lang, lang, (0,), text) for lang, text in texts.items()},
        score=1.0,
    )


def problems(**texts: str) -> list[NumberFinding]:
    return [f for f in check_units([unit(**texts)]) if f.kind != "matched"]
