"""The objective of one document pair under ``objective="auto"``, from what its text looks like.

News comes as whole sentences: a line that starts in lower case, or that stops at a colon or a
semicolon, is rare there, and when it happens it is usually page chrome ("Read more:"). Literary
and OCR'd text, and text a tool cut at colons and semicolons, is full of such fragments; there
Bertalign's settings (beads of up to five sentences, every skip priced alike, overlaps encoded up
front) merge them back, while the calibrated objective would leave them unaligned as if deleted.
The statistic is the share of a pair's lines that are such fragments, page chrome left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from aligner.align.chrome import chrome_like
from aligner.align.config import BERTALIGN_SETTINGS, AlignConfig
from aligner.align.punctuation import continues_previous

_CUT_MARKS = (":", ";")


def fragment_flags(sentences: Sequence[str], lang: str = "") -> np.ndarray:
    """True for each line that continues the line before it or stops at a colon or semicolon,
    page chrome excepted."""
    cut = np.array([s.rstrip().endswith(_CUT_MARKS) for s in sentences], dtype=bool)
    fragments = continues_previous(sentences) | cut
    return fragments & ~chrome_like(sentences, lang)


def fragment_lines(src: Sequence[str], tgt: Sequence[str], src_lang: str = "", tgt_lang: str = "") -> int:
    """How many of the pair's lines are fragments of a sentence (see ``fragment_flags``)."""
    return int(fragment_flags(src, src_lang).sum() + fragment_flags(tgt, tgt_lang).sum())


def fragment_share(src: Sequence[str], tgt: Sequence[str], src_lang: str = "", tgt_lang: str = "") -> float:
    """Share of the pair's lines that are fragments of a sentence."""
    total = len(src) + len(tgt)
    return fragment_lines(src, tgt, src_lang, tgt_lang) / total if total else 0.0


def looks_fragmented(
    config: AlignConfig, src: Sequence[str], tgt: Sequence[str], src_lang: str = "", tgt_lang: str = ""
) -> bool:
    """Enough fragment lines, in number and in share, to call the pair's text cut into fragments
    (a count as well as a share: one list introduced by a colon in a short news article is not)."""
    count = fragment_lines(src, tgt, src_lang, tgt_lang)
    total = len(src) + len(tgt)
    return count >= config.auto_fragment_lines and count >= config.auto_fragment_share * total


def literary_config(config: AlignConfig) -> AlignConfig:
    """The settings ``auto`` uses for text cut into fragments: Bertalign's search, beads and overlaps,
    with the parts of ours measured to help there (see ``AlignConfig.auto_*``)."""
    return replace(
        config,
        **{
            **BERTALIGN_SETTINGS,
            "objective": config.auto_literary_objective,
            "overlaps_upfront": config.auto_literary_upfront,
            "find_moves": config.auto_literary_moves,
            "move_out_of_beads": config.auto_literary_moves,
        },
    )


def resolve(
    config: AlignConfig, src: Sequence[str], tgt: Sequence[str], src_lang: str = "", tgt_lang: str = ""
) -> AlignConfig:
    """``config`` itself, unless its objective is "auto": then the settings chosen for this pair."""
    if config.objective != "auto":
        return config
    if looks_fragmented(config, src, tgt, src_lang, tgt_lang):
        return literary_config(config)
    return replace(config, objective="calibrated")
