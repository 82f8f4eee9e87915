"""The strict/lax scorer on hand-made cases whose counts are worked out in the comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.errors import AlignerError
from aligner.evaluate import format_alignment, parse_alignment, read_alignment, score, score_many
from aligner.types import Bead

GOLD = [((0,), (0,)), ((1,), (1, 2)), ((2,), ()), ((3,), (3,))]


def test_perfect_prediction_scores_one() -> None:
    result = score(GOLD, GOLD)
    assert result == {key: 1.0 for key in result}
    assert list(result) == [
        "strict_precision", "strict_recall", "strict_f1", "lax_precision", "lax_recall", "lax_f1",
    ]  # fmt: skip


def test_hand_counted_case() -> None:
    pred = [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), ()), ((3,), (3,))]
    # precision over 5 predicted beads: 0-0, 2-[] and 3-3 are exact (3 strict); 1-1 overlaps the gold
    # bead 1-[1,2] (lax); []-2 has no source so it is never a lax hit: strict 3/5, lax 4/5.
    # recall over gold links without deletions (0-0, 1-[1,2], 3-3): exact 2/3, lax 3/3.
    result = score(pred, GOLD)
    assert result["strict_precision"] == pytest.approx(3 / 5)
    assert result["lax_precision"] == pytest.approx(4 / 5)
    assert result["strict_recall"] == pytest.approx(2 / 3)
    assert result["lax_recall"] == pytest.approx(1.0)
    assert result["strict_f1"] == pytest.approx(2 * 0.6 * (2 / 3) / (0.6 + 2 / 3))
    assert result["lax_f1"] == pytest.approx(2 * 0.8 / 1.8)


def test_deletions_are_left_out_of_recall_only() -> None:
    # Predicting a gold deletion as a link: the wrong link costs precision; recall is untouched
    # because gold deletions are not recalled and the bad link overlaps no gold link.
    pred = [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,))]
    gold = [((0,), (0,)), ((1,), (1, 2)), ((2,), ()), ((), (3,))]
    result = score(pred, gold)
    assert result["strict_precision"] == pytest.approx(2 / 3)
    assert result["lax_precision"] == pytest.approx(2 / 3)
    assert result["strict_recall"] == pytest.approx(1.0)
    # Predicting deletions for everything recalls nothing.
    skipped = score([((0,), ()), ((), (0,))], [((0,), (0,))])
    assert (skipped["strict_recall"], skipped["strict_precision"], skipped["strict_f1"]) == (0.0, 0.0, 0.0)


def test_counts_are_pooled_over_documents_not_averaged() -> None:
    right = ([((0,), (0,))], [((0,), (0,))])  # 1 of 1 correct
    wrong = ([((0,), (1,)), ((1,), (2,)), ((2,), (0,))], [((0,), (0,)), ((1,), (1,)), ((2,), (2,))])  # 0 of 3
    pooled = score_many([right, wrong])
    assert pooled["strict_precision"] == pytest.approx(1 / 4)  # an average of documents would give 1/2
    assert pooled["strict_recall"] == pytest.approx(1 / 4)


def test_empty_alignments_score_zero_without_error() -> None:
    assert score([], []) == {key: 0.0 for key in score([], [])}
    assert score_many([])["lax_f1"] == 0.0


def test_parse_and_format_round_trip() -> None:
    text = "[0]:[0, 1]\n[1, 2]:[2]:0.9312\n[]:[3]\n\n[3]:[]\n"
    beads = parse_alignment(text)
    assert beads == [((0,), (0, 1)), ((1, 2), (2,)), ((), (3,)), ((3,), ())]
    as_beads = [Bead(s, t, 0.5) for s, t in beads]
    assert format_alignment(as_beads) == "[0]:[0, 1]\n[1, 2]:[2]\n[]:[3]\n[3]:[]\n"
    assert format_alignment(as_beads[:1], with_scores=True) == "[0]:[0, 1]:0.5000\n"
    assert parse_alignment(format_alignment(as_beads, with_scores=True)) == beads


def test_bad_line_is_named(tmp_path: Path) -> None:
    with pytest.raises(AlignerError, match="line 2"):
        parse_alignment("[0]:[0]\n0 -> 1\n")
    path = tmp_path / "pred.txt"
    path.write_text("[0]:[0]\n[1]:[x]\n", encoding="utf-8")
    with pytest.raises(AlignerError, match="pred.txt.*line 2"):
        read_alignment(path)
    with pytest.raises(AlignerError, match="missing.txt"):
        read_alignment(tmp_path / "missing.txt")
    good = tmp_path / "good.txt"
    good.write_text("[0]:[1]:0.7\n", encoding="utf-8")
    assert read_alignment(good) == [((0,), (1,))]


def test_byte_order_mark_and_windows_line_ends_are_read(tmp_path: Path) -> None:
    path = tmp_path / "gold.txt"
    path.write_bytes(b"\xef\xbb\xbf[0]:[0,1]\r\n[1, 2]:[2]\r\n")
    assert read_alignment(path) == [((0,), (0, 1)), ((1, 2), (2,))]
