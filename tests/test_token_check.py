"""Pure logic of scripts/bench_token_check.py: greedy token matching, local alternatives, rescoring."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from bench_token_check import Alternative, alternatives, greedy_match, rescore  # noqa: E402


def test_greedy_match_on_hand_made_vectors() -> None:
    x = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert greedy_match(x, x) == pytest.approx((1.0, 1.0, 1.0))
    # y has one token equal to x's first and one at 45 degrees between both
    y = np.array([[2.0, 0.0], [1.0, 1.0]])  # unnormalised on purpose
    half = np.sqrt(0.5)
    precision, recall, f1 = greedy_match(x, y)
    assert recall == pytest.approx((1.0 + half) / 2)  # x's tokens: best 1.0, best cos 45 degrees
    assert precision == pytest.approx((1.0 + half) / 2)  # y's tokens: 1.0 and cos 45 degrees
    assert f1 == pytest.approx((1.0 + half) / 2)
    one = np.array([[1.0, 0.0]])  # a short side matches fully one way, half the other
    precision, recall, f1 = greedy_match(one, x)
    assert (recall, precision) == pytest.approx((1.0, 0.5))
    assert f1 == pytest.approx(2 / 3)
    assert greedy_match(np.zeros((0, 2)), x) == (0.0, 0.0, 0.0)


def _kinds(alts: list[Alternative]) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for a in alts:
        out.setdefault(a.kind, []).append((a.lo, a.hi, a.beads))
    return out


def test_alternatives_of_a_two_to_one_bead() -> None:
    beads = [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]
    kinds = _kinds(alternatives(beads, 1, max_side=3, max_total=5))
    assert kinds["keep"] == [(1, 2, (((1, 2), (1,)),))]
    assert kinds["drop"] == [(1, 2, (((1,), ()), ((2,), ()), ((), (1,))))]
    assert (1, 2, (((1,), ()), ((2,), (1,)))) in kinds["detach"]
    assert (1, 2, (((1,), (1,)), ((2,), ()))) in kinds["detach"]
    assert "split" not in kinds  # one target sentence cannot be cut
    assert (0, 2, (((0, 1, 2), (0, 1)),)) in kinds["merge"]
    assert (1, 3, (((1, 2, 3), (1, 2)),)) in kinds["merge"]
    assert "merge" not in _kinds(alternatives(beads, 1, max_side=3, max_total=4))  # 3-2 is too big
    # the boundary with the next bead moves by one sentence on the source side
    assert (1, 3, (((1,), (1,)), ((2, 3), (2,)))) in kinds["shift"]
    # every alternative covers the same sentences as the window it replaces
    for alt in alternatives(beads, 1, max_side=3, max_total=4):
        old = beads[alt.lo : alt.hi]
        for side in (0, 1):
            assert sorted(i for b in alt.beads for i in b[side]) == sorted(i for b in old for i in b[side])


def test_alternatives_respect_sizes_and_neighbourhood() -> None:
    beads = [((0, 1), (0, 1)), ((2,), (2,)), ((9,), (9,))]  # the last bead was moved: no neighbour
    alts = alternatives(beads, 1, max_side=2, max_total=3)
    kinds = _kinds(alts)
    assert all(a.hi <= 2 for a in alts)  # nothing joins the moved bead
    assert "merge" not in kinds  # a 3-3 bead is too big
    assert (0, 2, (((0,), (0, 1)), ((1, 2), (2,)))) in kinds["shift"]
    split = _kinds(alternatives(beads, 0, max_side=2, max_total=3))["split"]
    assert split == [(0, 1, (((0,), (0,)), ((1,), (1,))))]
    # a neighbouring skip on the target side can be merged in
    with_skip = [((0,), ()), ((), (0,)), ((1,), (1,))]
    assert (1, 3, (((1,), (0, 1)),)) in _kinds(alternatives(with_skip, 2))["merge"]


def test_rescore_applies_the_best_gain_and_never_overlapping_windows() -> None:
    beads = [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]
    choices = {1: alternatives(beads, 1, 3, 4)}
    value = {b: -1.0 for alt in choices[1] for b in alt.beads if b[0] and b[1]}
    value.update({((0,), (0,)): 0.5, ((3,), (2,)): 0.5, ((1, 2), (1,)): 0.1, ((1,), (1,)): 0.4})
    # 1-1 + 1-0 (0.4 + skip 0.0) beats the 2-1 (0.1)
    assert rescore(beads, choices, value, 0.0) == [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2,))]
    # skips too costly: kept as it is
    assert rescore(beads, choices, value, -0.5) == beads
