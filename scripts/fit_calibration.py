#!/usr/bin/env python3
"""Fit and measure the calibration of bead scores (aligner/align/calibration.py).

    .venv/bin/python scripts/fit_calibration.py --textberg                    # cross-fitted report
    .venv/bin/python scripts/fit_calibration.py --textberg --ntrex-fit-seed 3 --ntrex-pairs en-ru --write

Every bead with both sides is a sample: its objective (as ``objective="auto"`` chose it for the
pair), its confidence, and whether it is in the gold (strict). Text+Berg is cross-fitted: an
isotonic map fitted on one half of the documents is measured on the other half, then the halves
swap. NTREX is fitted on a hardening with its own seed (``--ntrex-fit-seed``) and measured on the
benchmark's hardening (``--seed``, 13). Reported: reliability table (10 bins of probability),
expected calibration error (ECE), and the precision kept and share of beads dropped at a minimum
score of 0.9. ``--write`` stores maps fitted on all the fitting data in calibration.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from itertools import combinations
from pathlib import Path

import numpy as np
from bench_align import CountingEmbedder, ntrex_pairs, with_overrides
from harness import (
    LANGUAGES,
    NTREX_DIR,
    ROOT,
    TEXTBERG_DIR,
    default_model,
    load_model,
    machine,
    ntrex_documents,
    textberg_pairs,
)
from sklearn.isotonic import IsotonicRegression

from aligner.align import AlignConfig, align_pair_detailed
from aligner.align.calibration import CALIBRATION_FILE, probability

BINS = 10
MIN_SCORE = 0.9


def samples(pairs: list, encoder, cache, config: AlignConfig) -> list[tuple[str, str, float, bool]]:
    """(document, objective, confidence, right) of every bead with both sides."""
    rows = []
    for name, src, tgt, gold, src_lang, tgt_lang in pairs:
        embedder = CountingEmbedder(encoder, cache, progress=False)
        result = align_pair_detailed(src, tgt, embedder, config, src_lang, tgt_lang)
        truth = {(tuple(s), tuple(t)) for s, t in gold}
        for bead, confidence in zip(result.beads, result.confidences, strict=True):
            if bead.src and bead.tgt:
                rows.append((name, result.stats["objective"], confidence, (bead.src, bead.tgt) in truth))
        print(f"  {name}: {len(rows)} beads so far", file=sys.stderr, flush=True)
    return rows


def fit(rows: list) -> dict[str, IsotonicRegression]:
    maps = {}
    for objective in sorted({r[1] for r in rows}):
        x = np.array([r[2] for r in rows if r[1] == objective])
        y = np.array([float(r[3]) for r in rows if r[1] == objective])
        maps[objective] = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(x, y)
    return maps


def apply(maps: dict[str, IsotonicRegression], rows: list) -> list[tuple[float, bool]]:
    """(probability, right) of each row, as aligner/align/calibration.py computes it at run time (never
    raised below the first knot); an objective without a map keeps its confidence."""

    def one(objective: str, confidence: float) -> float:
        fitted = maps.get(objective)
        if fitted is None:
            return confidence
        if confidence < fitted.X_thresholds_[0]:
            return min(confidence, float(fitted.y_thresholds_[0]))
        return float(fitted.predict([confidence])[0])

    return [(one(r[1], r[2]), r[3]) for r in rows]


def shipped(rows: list) -> list[tuple[float, bool]]:
    """(probability, right) of each row under the maps in calibration.json as shipped (before --write)."""
    return [(probability(r[1], r[2]), r[3]) for r in rows]


def report(scored: list[tuple[float, bool]]) -> dict:
    p = np.array([s for s, _ in scored])
    y = np.array([float(r) for _, r in scored])
    bins = np.minimum((p * BINS).astype(int), BINS - 1)
    table = []
    ece = 0.0
    for b in range(BINS):
        inside = bins == b
        if inside.any():
            gap = abs(p[inside].mean() - y[inside].mean())
            ece += inside.mean() * gap
            table.append(
                {
                    "bin": f"{b / BINS:.1f}-{(b + 1) / BINS:.1f}",
                    "beads": int(inside.sum()),
                    "mean_score": round(float(p[inside].mean()), 3),
                    "share_right": round(float(y[inside].mean()), 3),
                }
            )
    kept = p >= MIN_SCORE
    return {
        "beads": len(p),
        "precision_all": round(float(y.mean()), 4) if len(y) else 0.0,
        "ece": round(float(ece), 4),
        f"precision_at_{MIN_SCORE}": round(float(y[kept].mean()), 4) if kept.any() else None,
        f"dropped_at_{MIN_SCORE}": round(float(1 - kept.mean()), 4) if len(p) else 0.0,
        "reliability": table,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--textberg", action="store_true")
    parser.add_argument("--textberg-dir", type=Path, default=TEXTBERG_DIR)
    parser.add_argument(
        "--halves", default="001,003,005,007/002,004,006", help="Text+Berg cross-fitting halves"
    )
    parser.add_argument(
        "--ntrex-pairs", default="", help="NTREX pairs to fit and measure on, e.g. en-ru,uk-ur"
    )
    parser.add_argument("--ntrex-fit-seed", type=int, default=3)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--max-docs", type=int, default=0, help="only the first N NTREX documents a pair")
    parser.add_argument("--ntrex-dir", type=Path, default=NTREX_DIR)
    parser.add_argument("--model", type=Path, default=default_model())
    parser.add_argument("--write", action="store_true", help=f"store the maps in {CALIBRATION_FILE.name}")
    parser.add_argument("--documents", default="", help="only these Text+Berg documents, e.g. 003,005")
    parser.add_argument(
        "--set", action="append", default=[], metavar="FIELD=VALUE", help="override AlignConfig"
    )
    parser.add_argument("--json", type=Path, default=ROOT / "fit_calibration.json")
    args = parser.parse_args()
    config = with_overrides(AlignConfig(objective="auto"), args.set)
    encoder, cache = load_model(args.model)
    results: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "command": " ".join(sys.argv),
    }
    fitting: list = []
    if args.textberg:
        first, second = (set(h.split(",")) for h in args.halves.split("/"))
        pairs = textberg_pairs(args.textberg_dir, False)
        if args.documents:
            pairs = [p for p in pairs if p[0] in args.documents.split(",")]
        rows = samples(pairs, encoder, cache, config)
        held_out = []
        for fit_on, measure_on in ((first, second), (second, first)):
            maps = fit([r for r in rows if r[0] in fit_on])
            held_out += apply(maps, [r for r in rows if r[0] in measure_on])
        results["textberg raw"] = report([(r[2], r[3]) for r in rows])
        results["textberg shipped maps"] = report(shipped(rows))
        results["textberg cross-fitted"] = report(held_out)
        fitting += rows
    if args.ntrex_pairs:
        docs = ntrex_documents(args.ntrex_dir)
        wanted = [p.split("-") for p in args.ntrex_pairs.split(",")]
        fit_rows, test_rows, by_pair = [], [], {}
        for a, b in wanted if wanted != [["all"]] else combinations(LANGUAGES, 2):
            fit_rows += samples(
                ntrex_pairs(docs, a, b, args.ntrex_fit_seed, args.max_docs), encoder, cache, config
            )
            by_pair[f"{a}-{b}"] = samples(
                ntrex_pairs(docs, a, b, args.seed, args.max_docs), encoder, cache, config
            )
            test_rows += by_pair[f"{a}-{b}"]
        results["ntrex raw"] = report([(r[2], r[3]) for r in test_rows])
        results["ntrex shipped maps"] = report(shipped(test_rows))
        maps = fit(fit_rows)
        results["ntrex held out"] = report(apply(maps, test_rows))
        for pair, rows in by_pair.items():
            results[f"ntrex held out {pair}"] = report(apply(maps, rows))
        fitting += fit_rows
    if args.write:
        maps = fit(fitting)
        CALIBRATION_FILE.write_text(
            json.dumps(
                {
                    "fitted": results["date"],
                    "command": results["command"],
                    "maps": {
                        objective: {
                            "confidence": [round(float(v), 5) for v in m.X_thresholds_],
                            "probability": [round(float(v), 5) for v in m.y_thresholds_],
                        }
                        for objective, m in maps.items()
                    },
                },
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
    args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(
        json.dumps(
            {
                k: {x: y for x, y in v.items() if x != "reliability"}
                for k, v in results.items()
                if isinstance(v, dict)
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
