"""Punctuation clues of the aligner: kept marks and lines that continue the line before."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from align_helpers import make_sentences

from aligner.align import AlignConfig
from aligner.align.punctuation import MARK_KINDS, continues_previous, mark_counts, mark_mismatch
from aligner.align.scoring import PairScorer
from aligner.align.spans import SideSpans
from aligner.embedding.embedder import Embedder
from aligner.languages import LanguageProfile


def test_mark_counts_are_prefix_sums_per_kind() -> None:
    counts = mark_counts(["Why? Because: (see below)", "Stop! Now!", "Plain."], "en")
    assert counts.shape == (4, len(MARK_KINDS))
    kind = {name: MARK_KINDS.index(name) for name in MARK_KINDS}
    first = counts[1] - counts[0]
    assert first[kind["question"]] == 1 and first[kind["colon"]] == 1 and first[kind["bracket"]] == 1
    assert (counts[2] - counts[1])[kind["exclamation"]] == 2
    assert not (counts[3] - counts[2]).any()


def test_arabic_script_marks_count_as_their_latin_kind() -> None:
    arabic = mark_counts(["هل وصلت؟ نعم؛ وصلت."], "ar")[1]
    urdu = mark_counts(["کیا آپ آئے؟"], "ur")[1]
    english = mark_counts(["Did you arrive? Yes; I did."], "en")[1]
    assert mark_mismatch(english, arabic[None, :])[0] == 0
    assert urdu[MARK_KINDS.index("question")] == 1


def test_full_width_marks_count_as_their_kind_in_any_language() -> None:
    chinese = mark_counts(["你来了吗？来了：（真的）！"], "zh-cn")[1]
    english = mark_counts(["Did you come? Yes: (really)!"], "en")[1]
    assert mark_mismatch(english, chinese[None, :])[0] == 0
    assert chinese[MARK_KINDS.index("question")] == 1 and chinese[MARK_KINDS.index("bracket")] == 1


def test_mark_mismatch_counts_marks_on_one_side_only() -> None:
    src = mark_counts(["Really? Yes!"], "en")[1]
    tgt = mark_counts(["Vraiment ? Oui !", "Vraiment.", "Vraiment ? (oui) : non ; si !"], "fr")
    assert mark_mismatch(src, np.diff(tgt, axis=0)).tolist() == [0, 2, 3]


@pytest.mark.parametrize(
    ("line", "continues"),
    [
        ("l' avène de la semelle caoutchouc .", True),
        ("« les crampons rentrent dans la danse ! »", True),
        ("- und dann ging es weiter.", True),
        ("The council voted.", False),
        ("5 people were hurt.", False),  # a digit says nothing
        ("iPhone sales fell.", True),  # the rare false alarm: costs a credit, not a forced merge
        ("اور پھر بارش ہوئی۔", False),  # caseless script: never a continuation
    ],
)
def test_continues_previous(line: str, continues: bool) -> None:
    assert continues_previous(["First line.", line])[1] == continues


def test_first_line_never_continues() -> None:
    assert not continues_previous(["lower-case first line."])[0]


def _scorers(
    src: list[str], tgt: list[str], embedder: Embedder, **setting: float
) -> tuple[PairScorer, PairScorer]:
    """Scorers of one pair with ``setting`` on and with it at 0 (everything else the defaults)."""
    on = AlignConfig(**setting)
    off = replace(on, **dict.fromkeys(setting, 0.0))

    def scorer(config: AlignConfig) -> PairScorer:
        return PairScorer(SideSpans(src, embedder, 3), SideSpans(tgt, embedder, 3), config, "en", "en")

    return scorer(on), scorer(off)


def test_punctuation_prior_lowers_the_score_per_mark_up_to_two(hashing_embedder: Embedder) -> None:
    src = ["Is the road open again?", *make_sentences(5, seed=21)]
    tgt = ["Is the road open again?", "Is the road open again.", "Is the road (open) again: yes; no!"]
    tgt += make_sentences(5, seed=22)
    weighted, plain = _scorers(src, tgt, hashing_embedder, punctuation_weight=0.05)

    def change(j: int) -> float:
        js = np.array([j + 1])
        return float(weighted.scores(1, 1, 1, js)[0] - plain.scores(1, 1, 1, js)[0])

    assert change(0) == pytest.approx(0.0)  # the same marks
    assert change(1) == pytest.approx(-0.05)  # the question mark is lost
    assert change(2) == pytest.approx(-0.10)  # five marks differ: the malus stops at two


def test_continuation_credit_goes_to_beads_joining_a_lower_case_line(hashing_embedder: Embedder) -> None:
    src = ["We reached the summit at noon, and the view was worth every step.", *make_sentences(6, seed=23)]
    tgt = ["We reached the summit at noon,", "and the view was worth every step.", "And then we left."]
    tgt += make_sentences(6, seed=24)
    with_credit, without = _scorers(src, tgt, hashing_embedder, continuation_credit=0.3)
    js = np.array([2, 3])  # tgt [0, 2): the lower-case line joins; tgt [1, 3): "And then" does not continue
    gain_with, _ = with_credit.gains(1, 2, 1, js)
    gain_without, _ = without.gains(1, 2, 1, js)
    assert gain_with - gain_without == pytest.approx([0.3 * with_credit.spread, 0.0])
    one_to_one = with_credit.gains(1, 1, 1, np.array([1]))[0] - without.gains(1, 1, 1, np.array([1]))[0]
    assert one_to_one == pytest.approx([0.0])  # a single line continues nothing inside its bead


def test_a_language_file_cannot_name_an_unknown_mark_kind() -> None:
    with pytest.raises(ValueError, match="colons"):
        LanguageProfile(code="xx", name="Test", kept_marks={"colons": ":"})
