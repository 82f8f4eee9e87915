"""Bead scores through a fitted calibration map (aligner/align/calibration.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aligner.align.calibration import CALIBRATION_FILE, probability


def test_a_map_turns_confidence_into_probability(tmp_path: Path) -> None:
    path = tmp_path / "calibration.json"
    maps = {"bertalign": {"confidence": [0.2, 0.6, 0.9], "probability": [0.1, 0.5, 0.95]}}
    path.write_text(json.dumps({"maps": maps}), encoding="utf-8")
    assert probability("bertalign", 0.6, path) == pytest.approx(0.5)
    assert probability("bertalign", 0.75, path) == pytest.approx(0.725)  # linear between knots
    assert probability("bertalign", 0.15, path) == pytest.approx(0.1)  # never raised below the first knot
    assert probability("bertalign", 0.05, path) == pytest.approx(0.05)
    assert probability("bertalign", 0.99, path) == pytest.approx(0.95)  # flat above the last
    assert probability("calibrated", 0.42, path) == 0.42  # no map: the confidence as it is


def test_the_shipped_maps_are_monotone_probabilities() -> None:
    if not CALIBRATION_FILE.is_file():
        pytest.skip("no calibration shipped")
    data = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))
    for entry in data["maps"].values():
        knots, values = entry["confidence"], entry["probability"]
        assert knots == sorted(knots) and values == sorted(values)
        assert all(0.0 <= v <= 1.0 for v in values)
