"""The per-pair choice of ``objective="auto"``: whole sentences get the calibrated objective, text cut
into fragments Bertalign's settings."""

from __future__ import annotations

from dataclasses import replace

from align_helpers import assert_covers, make_sentences

from aligner.align import AlignConfig, align_pair_detailed
from aligner.align.choice import fragment_flags, fragment_share, looks_fragmented, resolve
from aligner.embedding.embedder import Embedder


def _fragmented(count: int, seed: int) -> list[str]:
    """Sentences cut at a colon every third line: the cut-off rest starts in lower case."""
    lines = []
    for k, sentence in enumerate(make_sentences(count, seed)):
        words = sentence.split()
        if k % 3 == 0 and len(words) > 4:
            lines += [" ".join(words[:3]) + " :", " ".join(words[3:]).lower()]
        else:
            lines.append(sentence)
    return lines


def test_fragment_flags() -> None:
    lines = [
        "The minister of finance told the reporters:",
        "the talks would go on.",
        "Read more:",
        "Prices rose; wages fell.",
        "It rained.",
    ]
    assert fragment_flags(lines, "en").tolist() == [
        True,
        True,
        False,
        False,
        False,
    ]  # chrome is not a fragment


def test_auto_chooses_by_the_share_of_fragments() -> None:
    news = make_sentences(30, seed=1)
    literary = _fragmented(30, seed=1)
    config = AlignConfig(objective="auto")
    assert fragment_share(news, news) == 0.0
    assert fragment_share(literary, literary) > config.auto_fragment_share
    assert looks_fragmented(config, literary, literary)
    assert not looks_fragmented(config, literary[:12], news[:12])  # too few lines to tell
    assert resolve(config, news, news).objective == "calibrated"
    chosen = resolve(config, literary, news)
    assert (chosen.objective, chosen.search, chosen.max_bead) == ("bertalign", "two_pass", 4)
    assert chosen.overlaps_upfront and chosen.find_moves  # what measured best on Text+Berg 001-005
    assert not resolve(config, news, news).overlaps_upfront  # news stays lazy
    assert (
        resolve(replace(config, auto_literary_objective="bertalign"), literary, news).objective == "bertalign"
    )
    assert resolve(AlignConfig(objective="calibrated"), literary, literary).objective == "calibrated"


def test_auto_aligns_each_kind_of_pair(hashing_embedder: Embedder) -> None:
    literary = _fragmented(24, seed=3)
    whole = make_sentences(24, seed=3)
    result = align_pair_detailed(whole, literary, hashing_embedder, AlignConfig(objective="auto"))
    assert result.stats["objective"] == "bertalign"
    assert_covers(result.beads, len(whole), len(literary))
    assert sum(1 for b in result.beads if len(b.tgt) == 2) >= 6  # the cut sentences merged back
    result = align_pair_detailed(whole, list(whole), hashing_embedder, AlignConfig(objective="auto"))
    assert result.stats["objective"] == "calibrated"


def test_auto_gives_news_the_beads_of_calibrated(hashing_embedder: Embedder) -> None:
    base = make_sentences(30, seed=11)
    tgt = [
        *base[:6],
        base[6] + " " + base[7],
        *base[8:20],
        "Read more:",
        *base[21:],
    ]  # a merge, chrome, a deletion
    auto = align_pair_detailed(base, tgt, hashing_embedder, AlignConfig(objective="auto"))
    calibrated = align_pair_detailed(base, tgt, hashing_embedder, AlignConfig(objective="calibrated"))
    assert auto.stats["objective"] == "calibrated"
    assert auto.beads == calibrated.beads
    assert auto.stats["spans_encoded"] == calibrated.stats["spans_encoded"]
