"""A bead's score as the probability that the bead is right.

The aligner's confidence (a logistic function of the calibrated score, align/scoring.py) orders
beads well but is not a probability: on text cut into fragments it is too sure of itself. An
isotonic map per objective, fitted offline on gold alignments (scripts/fit_calibration.py, with
cross-fitting: never measured on the documents it was fitted on), turns it into one. The maps ship
as data (calibration.json: for each objective, confidence knots and the share of beads right there);
an objective without a map keeps the confidence as it is.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")


@cache
def _maps(path: Path = CALIBRATION_FILE) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        objective: (np.asarray(entry["confidence"], float), np.asarray(entry["probability"], float))
        for objective, entry in data.get("maps", {}).items()
    }


def probability(objective: str, confidence: float, path: Path = CALIBRATION_FILE) -> float:
    """The probability that a bead of this confidence is right, under ``objective``: piecewise linear
    between the fitted knots, flat above the last. Below the first knot the fit saw no bead, so the
    score is never raised there: the confidence itself, at most the first knot's value."""
    found = _maps(path).get(objective)
    if found is None:
        return confidence
    knots, values = found
    if confidence < knots[0]:
        return float(min(confidence, values[0]))
    return float(np.interp(confidence, knots, values))
