"""The settings of the stories stage."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StoryConfig:
    """Settings of the stories stage; every field has a default (the manifest records them all)."""

    one_per_language: bool = True  # at most one document per language in a story
    k: int = 3  # nearest documents per other language that are scored against each document
    exact_search_max: int = 10000  # documents of one language past which IVF replaces exact search
    ivf_nprobe: int = 8  # IVF cells visited per query (more: better recall, slower)
    center_languages: bool = True  # remove each language's mean document vector before the search
    sentence_bar: float | None = None  # similarity a sentence pair needs to count; None: calibrated
    join_threshold: float | None = None  # pair score needed to join; None: calibrated
    bar_quantile: float = 0.9  # the sentence bar sits this far into the runner-up similarities
    null_quantile: float = 0.99  # the join threshold never falls below this quantile of the null's scores
    min_sentence_bar: float = 0.3  # the calibrated sentence bar never falls below this
    # A short article translated into a longer version (its lead alone, or with lines added around the
    # same facts) matches most of its own sentences but few of the longer one's: score such a pair by
    # the share of the shorter document matched too (see ``contained_score``).
    short_articles: bool = True
