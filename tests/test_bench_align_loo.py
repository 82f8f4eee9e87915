"""Pure logic of the leave-one-document-out mode of scripts/bench_align.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from bench_align import leave_one_out, loo_grid  # noqa: E402

GOLD = {name: [((0,), (0,)), ((1,), (1,))] for name in ("a", "b", "c")}
RIGHT = [((0,), (0,)), ((1,), (1,))]
WRONG = [((0, 1), (0,)), ((), (1,))]


def test_grid_is_every_combination_default_first():
    assert loo_grid(["x=1,2", "y=a,b"]) == [("x=1", "y=a"), ("x=1", "y=b"), ("x=2", "y=a"), ("x=2", "y=b")]
    assert loo_grid([]) == [()]


def test_each_document_is_scored_with_the_setting_chosen_on_the_others():
    # Setting "good" is right on a and b but wrong on c; "odd" is right only on c. Held out c, the others
    # pick "good" (2 of 2 right), so c is scored wrong although "odd" would have got it right.
    runs = {
        ("good",): {"_pred": {"a": RIGHT, "b": RIGHT, "c": WRONG}},
        ("odd",): {"_pred": {"a": WRONG, "b": WRONG, "c": RIGHT}},
    }
    out = leave_one_out(runs, GOLD)
    assert {d: row["setting"] for d, row in out["documents"].items()} == {
        "a": "good",
        "b": "good",
        "c": "good",
    }
    assert out["documents"]["c"]["held_out_f1"] == 0.0
    assert out["documents"]["a"]["held_out_f1"] == pytest.approx(1.0)
    assert 0.0 < out["overall"]["strict_f1"] < 1.0


def test_ties_go_to_the_first_setting():
    runs = {
        ("first",): {"_pred": dict.fromkeys(GOLD, RIGHT)},
        ("second",): {"_pred": dict.fromkeys(GOLD, RIGHT)},
    }
    assert {row["setting"] for row in leave_one_out(runs, GOLD)["documents"].values()} == {"first"}
