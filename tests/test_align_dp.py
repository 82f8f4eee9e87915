"""The alignment DP (align/dp.py): ties between equal paths go the same way on both sides."""

from __future__ import annotations

import numpy as np

from aligner.align.dp import best_path


def _gains_from(table: dict[tuple[int, int], float]):
    """A 1-1-only gain function: ``table[(i, j)]`` for the bead of source i and target j, else -1."""

    def gains(a: int, b: int, i: int, js: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        values = np.array([table.get((i - 1, int(j) - 1), -1.0) for j in js])
        return values, values

    return gains


def _links(path) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(bead.src, bead.tgt) for bead in path if bead.src and bead.tgt]


def test_of_two_equal_target_lines_the_earlier_aligns() -> None:
    # target 0 and 1 are the same line (a headline and its copy as a caption), free to skip
    gains = _gains_from({(0, 0): 0.5, (0, 1): 0.5, (1, 2): 0.5})
    path = best_path(
        2, 3, np.zeros(3, np.int64), np.full(3, 3, np.int64), [(1, 1)], gains, np.zeros(2), np.zeros(3)
    )
    assert _links(path) == [((0,), (0,)), ((1,), (2,))]


def test_of_two_equal_source_lines_the_earlier_aligns() -> None:
    gains = _gains_from({(0, 0): 0.5, (1, 0): 0.5, (2, 1): 0.5})
    path = best_path(
        3, 2, np.zeros(4, np.int64), np.full(4, 2, np.int64), [(1, 1)], gains, np.zeros(3), np.zeros(2)
    )
    assert _links(path) == [((0,), (0,)), ((2,), (1,))]


def test_a_better_later_line_still_wins() -> None:
    gains = _gains_from({(0, 0): 0.5, (0, 1): 0.6})
    path = best_path(
        1, 2, np.zeros(2, np.int64), np.full(2, 2, np.int64), [(1, 1)], gains, np.zeros(1), np.zeros(2)
    )
    assert _links(path) == [((0,), (1,))]
