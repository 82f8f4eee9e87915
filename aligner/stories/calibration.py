"""Calibration on the pile itself: the sentence bar from the runner-up similarities, the join threshold
from the two-means split of the candidate scores pooled with a null."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from aligner.stories.config import StoryConfig
from aligner.stories.evidence import PairEvidence

RUNNER_UP_PAIRS = 5000  # pairs whose runner-up similarities calibrate the sentence bar
MIN_CANDIDATES = 4  # fewer candidate pairs than this cannot show two groups
MIN_PAIR_RUNNER_UPS = 200  # runner-ups a language pair needs for a bar of its own
MIN_NULL = 20  # fewer null observations than this cannot place a quantile; the defaults below apply
FALLBACK_BAR = 0.5  # sentence bar for a pile too small to calibrate
# Join threshold when the pile cannot calibrate one: about half the sentences of both documents
# matched with numbers and length agreeing ("most sentences" is what a translation shows). It also
# caps the null's floor, and an upper group whose mean is below it is not taken for translations.
FALLBACK_THRESHOLD = 0.5
MIN_THRESHOLD = 0.1


@dataclass(frozen=True)
class Calibration:
    """The bars the decision used and where they came from (shown by ``--explain``)."""

    sentence_bar: float  # for language pairs with too few runner-ups of their own
    join_threshold: float
    null_pairs: int  # near-miss and unrelated pairs the threshold was measured on
    candidate_pairs: int
    how: str
    pair_bars: dict[str, float] = field(default_factory=dict)  # "ar|en" -> that language pair's bar

    def bar_for(self, lang_a: str, lang_b: str) -> float:
        return self.pair_bars.get("|".join(sorted((lang_a, lang_b))), self.sentence_bar)


def _null_pairs(
    langs: Sequence[str], ids: Sequence[str], has_vector: Sequence[bool], candidates: set[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Each document paired with a pseudo-random other-language document that is not a candidate.

    The partner is drawn by hashing the id, so the null does not depend on input order; a document
    whose draws all hit candidates (a tiny pile) simply gets no null partner.
    """
    by_lang: dict[str, list[int]] = {}
    for row in range(len(ids)):
        if has_vector[row]:
            by_lang.setdefault(langs[row], []).append(row)
    pairs: set[tuple[int, int]] = set()
    for lang, rows in by_lang.items():
        others = [row for other in sorted(by_lang) if other != lang for row in by_lang[other]]
        if not others:
            continue
        for i in rows:
            for attempt in range(16):
                j = others[_hash_pick(ids[i], attempt, len(others))]
                pair = (min(i, j), max(i, j))
                if pair not in candidates:
                    pairs.add(pair)
                    break
    return sorted(pairs)


def _hash_pick(key: str, attempt: int, size: int) -> int:
    digest = hashlib.blake2b(f"{key}\0{attempt}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") % size


def _second_best(scored: Sequence[PairEvidence], langs: Mapping[str, str]) -> list[float]:
    """Each document's second-best candidate score in each other language: near misses, not translations.

    (With one document per language a document has at most one translation in a language, so the
    second best is the closest non-translation the pile holds: a same-topic article more often than not.)
    """
    ranked: dict[tuple[str, str], list[float]] = {}
    for ev in scored:
        ranked.setdefault((ev.a, langs[ev.b]), []).append(ev.score)
        ranked.setdefault((ev.b, langs[ev.a]), []).append(ev.score)
    return [sorted(scores)[-2] for scores in ranked.values() if len(scores) > 1]


def _calibrate_bars(
    runner_ups: Mapping[str, list[np.ndarray]], config: StoryConfig
) -> tuple[float, dict[str, float], str]:
    """The similarity a mutual-nearest sentence pair needs: above most runner-up similarities.

    Each language pair gets its own bar when it has enough runner-ups (a model places some pairs,
    Urdu-Russian say, lower on its similarity scale than others); the rest share the pooled bar.
    """
    if config.sentence_bar is not None:
        return config.sentence_bar, {}, "set"
    pooled = np.concatenate([r for key in sorted(runner_ups) for r in runner_ups[key]] or [np.zeros(0)])
    if len(pooled) < MIN_NULL:
        return FALLBACK_BAR, {}, f"too few sentences to calibrate ({len(pooled)} runner-ups): default"

    def bar(values: np.ndarray) -> float:
        return round(max(float(np.quantile(values, config.bar_quantile)), config.min_sentence_bar), 6)

    pair_bars = {}
    for key in sorted(runner_ups):
        values = np.concatenate(runner_ups[key])
        if len(values) >= MIN_PAIR_RUNNER_UPS:
            pair_bars[key] = bar(values)
    how = f"q{config.bar_quantile:g} of the runner-up sentence similarities ({len(pooled)})"
    if pair_bars:
        how += " per language pair: " + ", ".join(f"{k} {v:.2f}" for k, v in pair_bars.items())
    return bar(pooled), pair_bars, how


def _calibrate_threshold(
    candidate_scores: Sequence[float], null_scores: Sequence[float], config: StoryConfig
) -> tuple[float, str]:
    """The score a pair needs to join, placed in the gap between the pile's two populations.

    The candidates' scores, pooled with the null's (near misses and unrelated pairs, so the lower
    group exists even when nearly every candidate is a translation), fall into translations (most
    sentences matched) and the rest; the two-means split (Ridler-Calvard) puts the threshold midway
    between their means, never below the upper tail of the null. With too small a null, or no upper
    group (its mean under FALLBACK_THRESHOLD), the default applies: a join must match most sentences.
    """
    if config.join_threshold is not None:
        return config.join_threshold, "set"
    if len(null_scores) < MIN_NULL:
        return FALLBACK_THRESHOLD, f"too few documents to calibrate ({len(null_scores)} null pairs): default"
    pooled = np.asarray([*candidate_scores, *null_scores], dtype=np.float64)
    split = _two_means(pooled)
    if split is None or split[2] < FALLBACK_THRESHOLD:
        return FALLBACK_THRESHOLD, f"no group of translations in {len(candidate_scores)} candidates: default"
    threshold, low, high = split
    noise = min(float(np.quantile(np.asarray(null_scores), config.null_quantile)), FALLBACK_THRESHOLD)
    how = (
        f"two-means split of {len(candidate_scores)} candidate and {len(null_scores)} null scores "
        f"(means {low:.2f} / {high:.2f}), floor q{config.null_quantile:g} of the null {noise:.3f}"
    )
    return max(threshold, noise, MIN_THRESHOLD), how


def _two_means(values: np.ndarray) -> tuple[float, float, float] | None:
    """Ridler-Calvard (isodata) threshold of a 1-D sample and its two class means (None: no two groups)."""
    if len(values) < MIN_CANDIDATES or float(values.max()) == float(values.min()):
        return None
    threshold = float(values.mean())
    for _ in range(100):
        low, high = values[values <= threshold], values[values > threshold]
        moved = (float(low.mean()) + float(high.mean())) / 2
        if abs(moved - threshold) < 1e-9:
            break
        threshold = moved
    return threshold, float(low.mean()), float(high.mean())
