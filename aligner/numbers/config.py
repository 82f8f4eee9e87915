"""Options of the number check."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NumberConfig:
    """Options of the number check (recorded in the run manifest)."""

    # spelled-out numbers up to this ("one", "first") may be dropped in translation
    soft_word_max: float = 10.0
    # a one-word number ("twenty", "тысячи") may be paraphrase: never reported missing or added
    soft_single_words: bool = True
    relative_tolerance: float = 1e-9
    ignore_sign: bool = True  # "fell 5%" and "-5%" say the same thing
    report_matched: bool = True  # emit `matched` findings (severity info) so reports can count them
    conversion_tolerance: float = 0.1  # 10 inches = 25 cm: converted units match within this share
