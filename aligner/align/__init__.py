"""Sentence alignment: bilingual beads (``align_pair``) and multi-way units of a story (``align_story``)."""

from aligner.align.config import AlignConfig
from aligner.align.multiway import align_story
from aligner.align.pair import PairResult, align_pair, align_pair_detailed

__all__ = ["AlignConfig", "PairResult", "align_pair", "align_pair_detailed", "align_story"]
