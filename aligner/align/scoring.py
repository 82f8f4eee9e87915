"""Scores of candidate beads: margin similarity, length-ratio prior, numbers prior, calibrated skip.

score(bead) = cos(x, y) - m * (r(x) + r(y)) / 2        margin: r = mean similarity of the k nearest
            - length_weight * (log(len ratio) - log(typical len ratio of the pair))^2
            + numbers prior (shared numbers: up to +w, disjoint numbers: -w, one side only: -w/2; an
              amount a translation converted to other units counts as shared)
            - punctuation_weight * min(2, marks on one side only: colons, ?, !, brackets, semicolons)
gain(bead)  = (2 + merge_weight * e) * (score - threshold - c) - merge_penalty * spread * e
              + continuation_credit * spread * (lines of the bead that continue the line before it)
              where e = a + b - 2 is the number of sentences beyond a 1-1 bead
gain(1-0 or 0-1 of sentence x) = -c, or 0 when x looks like page chrome; c = skip_cost * spread

With ``objective="sum"`` (Bertalign's) the DP instead adds up, over the beads,
gain(bead)  = (cos(x, y) - (n(x) + n(y)) / 2) * log2(1 + min(|x|, r|y|) / max(|x|, r|y|))
              where n(x) = mean similarity of x with the other side's sentences just outside the bead
              and r the typical length ratio of the pair; a skip costs ``sum_skip_cost`` (chrome free).
The reported confidence still comes from the calibrated score.

So a 1-1 bead beats two skips when its score clears ``threshold``; a 1-2 bead beats 1-1 + 0-1 when
it scores more than the 1-1 minus (c - merge penalty) / 2, i.e. a real fragment may join its
neighbour, while a chrome line (free to skip) joins only if it raises the score, and forms a 1-1
bead only above threshold + c / 2. The threshold is calibrated per document pair: a point between
the median margin of the runners-up ("no match") and of the best candidates ("match") of its own
1-1 candidates; ``spread`` is the distance from the threshold to that best median.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from aligner.align.candidates import Candidates, build_index, mutual_best, neighbour_mean, search
from aligner.align.chrome import chrome_like
from aligner.align.config import AlignConfig
from aligner.align.punctuation import continues_previous, mark_counts, mark_mismatch
from aligner.align.spans import SideSpans
from aligner.numbers import amounts, signature

_LENGTH_SMOOTHING = 15.0  # characters added to both lengths so that very short lines do not dominate
_MAX_MARK_MISMATCH = 2  # marks beyond this many add no further malus: one odd bracket is not a verdict


def _mean_present(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Element-wise mean of the values that exist (not nan); 0 where neither does (as Bertalign)."""
    count = (~np.isnan(first)).astype(np.float64) + (~np.isnan(second))
    total = np.nan_to_num(first) + np.nan_to_num(second)
    return total / np.maximum(count, 1.0)


def _numbers_agreement(
    src: frozenset[float],
    tgt: frozenset[float],
    weight: float,
    src_amounts: frozenset[float] = frozenset(),
    tgt_amounts: frozenset[float] = frozenset(),
) -> float:
    """Shared numbers: up to +weight; disjoint: -weight; numbers on one side only: -weight / 2.

    ``*_amounts``: the amounts with a unit in SI base units (``aligner.numbers.amounts``); "25,4 см" and
    "10 inches" share their amount although not their figures."""
    if not src and not tgt:
        return 0.0
    if not src or not tgt:
        return -weight / 2
    shared = max(len(src & tgt), min(len(src_amounts & tgt_amounts), len(src), len(tgt)))
    return float(np.clip(weight * (4 * shared / (len(src) + len(tgt)) - 1), -weight, weight))


def _runs(ids: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted sentence ids as runs of neighbours: (start, length)."""
    runs: list[tuple[int, int]] = []
    for i in sorted(ids):
        if runs and runs[-1][0] + runs[-1][1] == i:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((i, 1))
    return runs


def _joined_vector(spans: SideSpans, runs: list[tuple[int, int]]) -> np.ndarray:
    if len(runs) == 1:
        return spans.vector(*runs[0])
    total = np.sum([spans.vector(start, length) for start, length in runs], axis=0)
    return (total / max(float(np.linalg.norm(total)), 1e-12)).astype(np.float32)


class _SideFacts:
    """Per-side facts that do not depend on the vectors: lengths, numbers, chrome, punctuation."""

    def __init__(self, sentences: Sequence[str], lang: str) -> None:
        lengths = np.array([len(s) for s in sentences], dtype=np.float64)
        self.length_prefix = np.concatenate([[0.0], np.cumsum(lengths)])
        byte_lengths = np.array([len(s.encode("utf-8")) for s in sentences], dtype=np.float64)
        self.byte_prefix = np.concatenate([[0.0], np.cumsum(byte_lengths)])
        self.chrome = chrome_like(sentences, lang)
        self.chrome_prefix = np.concatenate([[0], np.cumsum(self.chrome.astype(np.int64))])
        self.numbers = [signature(s, lang) for s in sentences]
        self.amounts = [
            amounts(s, lang) if numbers else frozenset()
            for s, numbers in zip(sentences, self.numbers, strict=True)
        ]
        self.numbers_prefix = np.concatenate([[0], np.cumsum([bool(v) for v in self.numbers])])
        self.marks_prefix = mark_counts(sentences, lang)
        self.continues_prefix = np.concatenate(
            [[0], np.cumsum(continues_previous(sentences).astype(np.int64))]
        )

    def span_length(self, starts: np.ndarray, length: int) -> np.ndarray:
        return self.length_prefix[starts + length] - self.length_prefix[starts] + (length - 1)

    def span_bytes(self, starts: np.ndarray, length: int) -> np.ndarray:
        """UTF-8 length of each span's text (sentences joined by a space), Bertalign's length unit."""
        return self.byte_prefix[starts + length] - self.byte_prefix[starts] + (length - 1)

    def span_chrome(self, starts: np.ndarray, length: int) -> np.ndarray:
        return self.chrome_prefix[starts + length] - self.chrome_prefix[starts]

    def span_has_numbers(self, starts: np.ndarray, length: int) -> np.ndarray:
        return (self.numbers_prefix[starts + length] - self.numbers_prefix[starts]) > 0

    def span_numbers(self, start: int, length: int) -> frozenset[float]:
        return frozenset().union(*self.numbers[start : start + length])

    def span_amounts(self, start: int, length: int) -> frozenset[float]:
        return frozenset().union(*self.amounts[start : start + length])

    def span_marks(self, starts: np.ndarray, length: int) -> np.ndarray:
        return self.marks_prefix[starts + length] - self.marks_prefix[starts]

    def runs_facts(
        self, runs: list[tuple[int, int]]
    ) -> tuple[float, np.ndarray, frozenset[float], frozenset[float]]:
        """(length, punctuation marks, numbers, amounts) of the sentences of several runs taken together."""
        starts = [np.array([start]) for start, _ in runs]
        length = sum(self.span_length(s, n)[0] for s, (_, n) in zip(starts, runs, strict=True))
        marks = sum(self.span_marks(s, n)[0] for s, (_, n) in zip(starts, runs, strict=True))
        numbers = frozenset().union(*(self.span_numbers(start, n) for start, n in runs))
        amounts_ = frozenset().union(*(self.span_amounts(start, n) for start, n in runs))
        return float(length + len(runs) - 1), marks, numbers, amounts_

    def span_continuations(self, starts: np.ndarray, length: int) -> np.ndarray:
        """Lines of each span, after its first, that continue the line before them."""
        return self.continues_prefix[starts + length] - self.continues_prefix[starts + 1]


class PairScorer:
    """Everything needed to score any bead of one document pair, recomputed as spans get encoded."""

    def __init__(
        self, src: SideSpans, tgt: SideSpans, config: AlignConfig, src_lang: str = "", tgt_lang: str = ""
    ) -> None:
        self.src, self.tgt, self.config = src, tgt, config
        self.src_facts = _SideFacts(src.sentences, src_lang)
        self.tgt_facts = _SideFacts(tgt.sentences, tgt_lang)
        self.src_index = build_index(src.matrix(1), config.approximate_index_above)
        self.tgt_index = build_index(tgt.matrix(1), config.approximate_index_above)
        self._neighbour_means: dict[tuple[str, int], tuple[int, np.ndarray]] = {}
        self.candidates = self._candidates()
        self.skip_threshold, self.spread = self._calibrate()
        self.log_length_ratio = self._length_ratio()
        self.byte_ratio = float(self.src_facts.byte_prefix[-1] / max(self.tgt_facts.byte_prefix[-1], 1.0))

    # -- neighbourhood means of the margin ---------------------------------------------------------

    def neighbour_means(self, side: str, length: int) -> np.ndarray:
        """r of every span of ``length`` on ``side``: mean similarity of its k nearest other-side lines."""
        spans, other_index = (self.src, self.tgt_index) if side == "src" else (self.tgt, self.src_index)
        cached = self._neighbour_means.get((side, length))
        if cached is not None and cached[0] == spans.version:
            return cached[1]
        sims, _ = search(other_index, spans.matrix(length), self.config.top_k)
        means = neighbour_mean(sims, self.config.top_k, self.config.background_similarity)
        self._neighbour_means[(side, length)] = (spans.version, means)
        return means

    # -- candidates and calibration ----------------------------------------------------------------

    def _candidates(self) -> Candidates:
        k = self.config.top_k
        src_sims, src_ids = search(self.tgt_index, self.src.matrix(1), k)
        tgt_sims, tgt_ids = search(self.src_index, self.tgt.matrix(1), k)
        r_src, r_tgt = self.neighbour_means("src", 1), self.neighbour_means("tgt", 1)
        weight = self.config.margin_weight
        src_margin = src_sims - weight * (r_src[:, None] + r_tgt[np.maximum(src_ids, 0)]) / 2
        tgt_margin = tgt_sims - weight * (r_tgt[:, None] + r_src[np.maximum(tgt_ids, 0)]) / 2
        src_margin = np.where(src_ids >= 0, src_margin, -np.inf)
        tgt_margin = np.where(tgt_ids >= 0, tgt_margin, -np.inf)
        return Candidates(src_ids, src_margin, tgt_ids, tgt_margin)

    def _calibrate(self) -> tuple[float, float]:
        """(skip threshold, spread) from this pair's own 1-1 candidate margins."""
        if min(len(self.src), len(self.tgt)) < 3 or min(self.candidates.src_margin.shape[1], 2) < 2:
            return self.config.fallback_skip_threshold, self.config.fallback_spread
        ordered = [-np.sort(-m, axis=1) for m in (self.candidates.src_margin, self.candidates.tgt_margin)]
        best = float(np.median(np.concatenate([o[:, 0] for o in ordered])))
        runners_up = np.concatenate([o[:, 1:].ravel() for o in ordered])
        null = float(np.median(runners_up[np.isfinite(runners_up)]))
        if not best > null:
            return self.config.fallback_skip_threshold, self.config.fallback_spread
        threshold = null + self.config.skip_quantile * (best - null)
        return threshold, best - threshold

    def _length_ratio(self) -> float:
        """Typical log length ratio of this pair (scripts differ), from its confident 1-1 candidates.

        Not the ratio of the document totals: a side with extra content would skew it.
        """
        pairs = [(i, j) for i, j, w in mutual_best(self.candidates) if w >= self.skip_threshold]
        if len(pairs) < 3:
            return 0.0
        src_len = self.src_facts.span_length(np.array([i for i, _ in pairs]), 1)
        tgt_len = self.tgt_facts.span_length(np.array([j for _, j in pairs]), 1)
        return float(np.median(np.log((src_len + _LENGTH_SMOOTHING) / (tgt_len + _LENGTH_SMOOTHING))))

    # -- bead scores -------------------------------------------------------------------------------

    def scores(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        """Scores of the beads taking src [i-a, i) and tgt [j-b, j) for every j in ``js`` (a, b >= 1)."""
        start = i - a
        tgt_starts = js - b
        x = self.src.matrix(a)[start]
        ys = self.tgt.matrix(b)[tgt_starts]
        means = (self.neighbour_means("src", a)[start] + self.neighbour_means("tgt", b)[tgt_starts]) / 2
        margin = ys @ x - self.config.margin_weight * means
        return margin + self._priors(start, a, tgt_starts, b)

    def segment_score(self, src_ids: Sequence[int], tgt_ids: Sequence[int]) -> float:
        """Score of one pair of segments of any length (multi-way units built from several beads).

        A segment need not be contiguous (a unit that joins a moved passage): its vector is then the
        normalised sum of its runs' vectors, and its length, marks and numbers those of all its runs.
        """
        src_runs, tgt_runs = _runs(src_ids), _runs(tgt_ids)
        x = _joined_vector(self.src, src_runs)[None, :]
        y = _joined_vector(self.tgt, tgt_runs)[None, :]
        k, background = self.config.top_k, self.config.background_similarity
        r_x = neighbour_mean(search(self.tgt_index, x, k)[0], k, background)[0]
        r_y = neighbour_mean(search(self.src_index, y, k)[0], k, background)[0]
        margin = float(x[0] @ y[0]) - self.config.margin_weight * (r_x + r_y) / 2
        src_len, src_marks, src_numbers, src_amounts = self.src_facts.runs_facts(src_runs)
        tgt_len, tgt_marks, tgt_numbers, tgt_amounts = self.tgt_facts.runs_facts(tgt_runs)
        weight = self.config.numbers_weight
        numbers = _numbers_agreement(src_numbers, tgt_numbers, weight, src_amounts, tgt_amounts)
        prior = self._prior_values(
            src_len, src_marks, np.array([tgt_len]), np.array([tgt_marks]), np.array([numbers])
        )
        return margin + float(prior[0])

    def _priors(self, start: int, a: int, tgt_starts: np.ndarray, b: int) -> np.ndarray:
        src, tgt = self.src_facts, self.tgt_facts
        return self._prior_values(
            src.span_length(np.array([start]), a)[0],
            src.span_marks(np.array([start]), a)[0],
            tgt.span_length(tgt_starts, b),
            tgt.span_marks(tgt_starts, b),
            self._numbers_prior(start, a, tgt_starts, b),
        )

    def _numbers_prior(self, start: int, a: int, tgt_starts: np.ndarray, b: int) -> np.ndarray:
        weight = self.config.numbers_weight
        tgt_has = self.tgt_facts.span_has_numbers(tgt_starts, b)
        src_numbers = self.src_facts.span_numbers(start, a)
        if not src_numbers:
            return np.where(tgt_has, -weight / 2, 0.0)
        src_amounts = self.src_facts.span_amounts(start, a)
        prior = np.full(len(tgt_starts), -weight / 2)
        for pos in np.nonzero(tgt_has)[0]:  # the DP asks for many spans: only those with numbers
            tgt_start = int(tgt_starts[pos])
            tgt_numbers = self.tgt_facts.span_numbers(tgt_start, b)
            tgt_amounts = self.tgt_facts.span_amounts(tgt_start, b)
            prior[pos] = _numbers_agreement(src_numbers, tgt_numbers, weight, src_amounts, tgt_amounts)
        return prior

    def _prior_values(
        self,
        src_len: float,
        src_marks: np.ndarray,
        tgt_len: np.ndarray,
        tgt_marks: np.ndarray,
        numbers_prior: np.ndarray,
    ) -> np.ndarray:
        deviation = (
            np.log((src_len + _LENGTH_SMOOTHING) / (tgt_len + _LENGTH_SMOOTHING)) - self.log_length_ratio
        )
        mismatch = mark_mismatch(src_marks, tgt_marks)
        return (
            numbers_prior
            - self.config.length_weight * deviation**2
            - self.config.punctuation_weight * np.minimum(mismatch, _MAX_MARK_MISMATCH)
        )

    @property
    def skip_cost(self) -> float:
        """Cost of leaving a sentence unaligned, in this pair's own units (its spread of scores)."""
        return self.config.skip_cost * self.spread

    def skip_gains(self) -> tuple[np.ndarray, np.ndarray]:
        """Gain of a 1-0 / 0-1 bead for each source / target sentence: page chrome goes free."""
        if self.config.objective == "bertalign":  # every sentence alike, page chrome or not
            return (
                np.full(len(self.src), -self.config.sum_skip_cost),
                np.full(len(self.tgt), -self.config.sum_skip_cost),
            )
        if self.config.objective == "sum":
            return self.local_skip_gains()
        return self._skips_costing(self.skip_cost)

    def local_skip_gains(self) -> tuple[np.ndarray, np.ndarray]:
        """Skip gains of the local (Bertalign) objective: a fixed cost, page chrome free."""
        return self._skips_costing(self.config.sum_skip_cost)

    def _skips_costing(self, cost: float) -> tuple[np.ndarray, np.ndarray]:
        return (
            np.where(self.src_facts.chrome, 0.0, -cost),
            np.where(self.tgt_facts.chrome, 0.0, -cost),
        )

    def gap_gains(self, a: int, b: int, i: int, js: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(gain, score) of beads inside a gap: the local objective, but a page-chrome line forms only a
        1-1 bead, and one that scores above the document pair's calibrated skip threshold. The local
        objective would draw a caption or a dateline next to a sentence into its bead, since skipping
        the line is free and the bead's neighbourhood changes."""
        score = self.scores(a, b, i, js)
        gain = self._sum_gains(a, b, i, js)
        chrome = (self.src_facts.span_chrome(np.array([i - a]), a)[0] > 0) | (
            self.tgt_facts.span_chrome(js - b, b) > 0
        )
        refused = chrome & ((score < self.skip_threshold) | (a + b > 2))
        return np.where(refused, -np.inf, gain), score

    def _sum_gains(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        """Bertalign's bead score: similarity minus the bead's local neighbourhood, times a length penalty."""
        start, tgt_starts = i - a, js - b
        x = self.src.matrix(a)[start]
        ys = self.tgt.matrix(b)[tgt_starts]
        src_singles, tgt_singles = self.src.matrix(1), self.tgt.matrix(1)
        n, m = len(src_singles), len(tgt_singles)
        # x against the target sentences just before and after each target span, and the other way round
        before, after = tgt_starts - 1, tgt_starts + b
        x_before = np.where(before >= 0, tgt_singles[np.clip(before, 0, m - 1)] @ x, np.nan)
        x_after = np.where(after < m, tgt_singles[np.clip(after, 0, m - 1)] @ x, np.nan)
        y_before = ys @ src_singles[start - 1] if start > 0 else np.full(len(js), np.nan)
        y_after = ys @ src_singles[start + a] if start + a < n else np.full(len(js), np.nan)
        x_side, y_side = _mean_present(x_before, x_after), _mean_present(y_before, y_after)
        similarity = ys @ x - self.config.margin_weight * (x_side + y_side) / 2
        if self.config.objective == "bertalign":  # bytes, scaled by the ratio of the documents' totals
            src_len = self.src_facts.span_bytes(np.array([start]), a)[0]
            tgt_len = self.tgt_facts.span_bytes(tgt_starts, b) * self.byte_ratio
        else:
            src_len = self.src_facts.span_length(np.array([start]), a)[0]
            tgt_len = self.tgt_facts.span_length(tgt_starts, b) * math.exp(self.log_length_ratio)
        penalty = np.log2(1 + np.minimum(src_len, tgt_len) / np.maximum(np.maximum(src_len, tgt_len), 1.0))
        return similarity * penalty

    def gains(self, a: int, b: int, i: int, js: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(gain, score) of those beads for the DP."""
        score = self.scores(a, b, i, js)
        if self.config.objective in ("sum", "bertalign"):
            return self._sum_gains(a, b, i, js), score
        extra = a + b - 2
        weight = 2 + (self.config.many_to_many_weight if min(a, b) > 1 else self.config.merge_weight) * extra
        bar = self.skip_threshold + self.skip_cost
        gain = weight * (score - bar) - self.config.merge_penalty * self.spread * extra
        if extra:
            continued = self.src_facts.span_continuations(np.array([i - a]), a)[0]
            continued = continued + self.tgt_facts.span_continuations(js - b, b)
            gain = gain + self.config.continuation_credit * self.spread * continued
        return gain, score

    def confidence(self, score: float) -> float:
        """Logistic confidence: 0.5 at the skip threshold, about 0.88 at the pair's median best match."""
        z = (score - self.skip_threshold) / max(self.spread / 2, 1e-3)
        return float(1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0))))
