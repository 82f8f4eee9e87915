"""Bertalign's algorithm in our engine: its two-pass search, its scoring, its settings (hashing double)."""

from __future__ import annotations

import numpy as np
from align_helpers import assert_covers, links, make_sentences

from aligner.align import AlignConfig, align_pair, align_pair_detailed
from aligner.align.config import bertalign_config
from aligner.align.scoring import PairScorer
from aligner.align.spans import SideSpans
from aligner.align.two_pass import diagonal_band, first_pass, window_band
from aligner.embedding.embedder import Embedder


def test_window_band_follows_the_first_path() -> None:
    lo, hi = window_band([(1, 1), (2, 3), (4, 4)], 5, 6, 1)
    # rows 1 | 2 | 3-4 between the points, then row 5 up to (5, 6); row 0 as row 1
    assert lo.tolist() == [0, 0, 0, 2, 2, 3]
    assert hi.tolist() == [2, 2, 4, 5, 5, 6]


def test_window_band_ends_at_the_corner() -> None:
    # a last point on the last row but short of the last column is replaced by the corner
    lo, hi = window_band([(2, 2), (4, 3)], 4, 6, 0)
    assert lo.tolist() == [0, 0, 0, 2, 2] and hi.tolist() == [2, 2, 2, 6, 6]
    # no point at all: every row may use every column
    lo, hi = window_band([], 3, 4, 5)
    assert lo.tolist() == [0] * 4 and hi.tolist() == [4] * 4


def test_diagonal_band_is_wide_for_short_documents() -> None:
    lo, hi = diagonal_band(40, 50)
    assert lo.tolist() == [0] * 41 and hi.tolist() == [50] * 41
    lo, hi = diagonal_band(10_000, 10_000)
    assert hi[0] == 600 and lo[10_000] == 9_400


def test_first_pass_finds_the_diagonal_of_identical_documents(hashing_embedder: Embedder) -> None:
    src = make_sentences(30, seed=2)
    config = bertalign_config()
    scorer = PairScorer(SideSpans(src, hashing_embedder, 4), SideSpans(src, hashing_embedder, 4), config)
    assert first_pass(scorer) == [(i, i) for i in range(1, 31)]


def test_bertalign_merges_a_sentence_cut_in_four(hashing_embedder: Embedder) -> None:
    """Beads of up to five sentences: a 1-4 bead, out of reach of the default shapes (up to 1-3)."""
    base = make_sentences(24, seed=7)
    words = base[10].split()
    quarter = max(1, len(words) // 4)
    pieces = [" ".join(words[k * quarter : (k + 1) * quarter if k < 3 else None]) for k in range(4)]
    tgt = base[:10] + pieces + base[11:]
    result = align_pair_detailed(base, tgt, hashing_embedder, bertalign_config())
    assert_covers(result.beads, len(base), len(tgt))
    assert ((10,), (10, 11, 12, 13)) in links(result.beads)
    assert result.stats["objective"] == "bertalign"
    assert result.stats["spans_encoded"] > 0  # every overlap of up to 4 sentences, up front


def test_bertalign_prices_every_skip_alike(hashing_embedder: Embedder) -> None:
    """No page-chrome exemption: Bertalign skips everything at the same price."""
    base = make_sentences(12, seed=8)
    tgt = [*base[:5], "Home | World | Business | Sport", *base[5:]]
    src_spans, tgt_spans = SideSpans(base, hashing_embedder, 4), SideSpans(tgt, hashing_embedder, 4)
    bert = PairScorer(src_spans, tgt_spans, bertalign_config())
    ours = PairScorer(src_spans, tgt_spans, AlignConfig(objective="sum"))
    assert np.all(bert.skip_gains()[1] == -0.1)
    assert ours.skip_gains()[1][5] == 0.0 and ours.skip_gains()[1][0] == -0.1
    beads = align_pair(base, tgt, hashing_embedder, bertalign_config())
    assert_covers(beads, len(base), len(tgt))
    assert sum(1 for b in beads if len(b.src) == 1 and len(b.tgt) == 1) >= 11


def test_bertalign_lengths_are_utf8_bytes(hashing_embedder: Embedder) -> None:
    src = ["Grüße aus Zürich.", "Noch ein Satz."]
    tgt = ["Salutations de Zurich.", "Encore une phrase."]
    scorer = PairScorer(
        SideSpans(src, hashing_embedder, 4), SideSpans(tgt, hashing_embedder, 4), bertalign_config()
    )
    assert scorer.src_facts.span_bytes(np.array([0]), 2)[0] == len(" ".join(src).encode("utf-8"))
    assert scorer.byte_ratio == len("".join(src).encode("utf-8")) / len("".join(tgt).encode("utf-8"))


def test_the_command_line_objective_bertalign_is_the_whole_algorithm() -> None:
    from aligner.cli.options import _align_config

    config = _align_config(AlignConfig(), "bertalign", None, None)
    assert (config.objective, config.search, config.max_bead, config.bead_total, config.top_k) == (
        "bertalign",
        "two_pass",
        4,
        5,
        3,
    )
    assert config.overlaps_upfront and not config.find_moves
    assert _align_config(AlignConfig(), "bertalign", True, None).find_moves
    assert _align_config(AlignConfig(), "calibrated", None, None).find_moves  # the default stays on
