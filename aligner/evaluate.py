"""Scoring sentence alignments against a gold standard: strict and lax precision, recall and F1.

The definition is the one of the Bleualign evaluation (Sennrich & Volk 2011, "Iterative, MT-based
sentence alignment of parallel texts", NODALIDA, https://aclanthology.org/W11-4624/) as implemented
in Vecalign's ``score.py`` (Thompson & Koehn 2019, https://github.com/thompsonb/vecalign):

- precision: every predicted bead (1-0 and 0-1 included) is compared with the gold beads (1-0 and
  0-1 included). Strict: the bead occurs exactly in gold. Lax: some of its source sentences are
  aligned in gold to some of its target sentences. A predicted 1-0/0-1 bead is therefore a strict
  and lax hit only when gold has exactly that deletion.
- recall: the same count with the roles swapped and every 1-0/0-1 bead removed from both sides, so
  deletions in gold are never "missed" and predicted deletions never "recall" anything.
- over several documents the hit counts are pooled before dividing (not averaged per document);
  F1 is the harmonic mean of the pooled precision and recall; a division by zero gives 0.

Written from that definition (it is a few lines of set logic; no maintained library ships it).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from aligner.errors import AlignerError
from aligner.types import Bead

Alignment = list[tuple[tuple[int, ...], tuple[int, ...]]]

_LINE = re.compile(r"^\s*\[([0-9,\s]*)\]\s*:\s*\[([0-9,\s]*)\]\s*(?::\s*[-+0-9.eE]+\s*)?$")


def _ids(field: str) -> tuple[int, ...]:
    return tuple(int(part) for part in field.split(",") if part.strip())


def parse_alignment(text: str) -> Alignment:
    """Beads from ``[0]:[0, 1]`` lines (an optional ``:score`` suffix is ignored; blank lines skipped)."""
    beads: Alignment = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if match is None:
            raise AlignerError(
                f"line {number}: not an alignment bead like '[0]:[0, 1]': {line.strip()[:80]!r}"
            )
        beads.append((_ids(match.group(1)), _ids(match.group(2))))
    return beads


def read_alignment(path: Path) -> Alignment:
    """Beads of an alignment file; errors name the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark from a Windows editor is no bead
    except (OSError, UnicodeDecodeError) as error:
        raise AlignerError(f"{path}: cannot read alignment file ({error})") from error
    try:
        return parse_alignment(text)
    except AlignerError as error:
        raise AlignerError(f"{path}: {error}") from error


def format_alignment(beads: Sequence[Bead], with_scores: bool = False) -> str:
    """Vecalign format, one bead per line: ``[0]:[0, 1]`` (``[0]:[0, 1]:0.8123`` with scores)."""
    lines = []
    for bead in beads:
        line = f"[{', '.join(map(str, bead.src))}]:[{', '.join(map(str, bead.tgt))}]"
        if with_scores:
            line += f":{bead.score:.4f}"
        lines.append(line)
    return "".join(line + "\n" for line in lines)


def _hits(gold: Alignment, test: Alignment) -> tuple[int, int, int]:
    """(test beads, strict hits, lax hits) of ``test`` measured against ``gold``."""
    gold_set = {(tuple(s), tuple(t)) for s, t in gold if s or t}
    test_set = {(tuple(s), tuple(t)) for s, t in test if s or t}
    gold_targets_of: dict[int, set[int]] = defaultdict(set)
    for src, tgt in gold_set:
        for i in src:
            gold_targets_of[i].update(tgt)
    strict = lax = 0
    for src, tgt in test_set:
        if (src, tgt) in gold_set:
            strict += 1
            lax += 1
        elif any(j in gold_targets_of[i] for i in src for j in tgt):
            lax += 1
    return len(test_set), strict, lax


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score_many(pairs: Sequence[tuple[Alignment, Alignment]]) -> dict[str, float]:
    """Strict and lax P/R/F1 pooled over (pred, gold) pairs of documents."""
    p_total = p_strict = p_lax = r_total = r_strict = r_lax = 0
    for pred, gold in pairs:
        total, strict, lax = _hits(gold, pred)
        p_total, p_strict, p_lax = p_total + total, p_strict + strict, p_lax + lax
        pred_links = [(s, t) for s, t in pred if s and t]
        gold_links = [(s, t) for s, t in gold if s and t]
        total, strict, lax = _hits(pred_links, gold_links)
        r_total, r_strict, r_lax = r_total + total, r_strict + strict, r_lax + lax
    result = {
        "strict_precision": _ratio(p_strict, p_total),
        "strict_recall": _ratio(r_strict, r_total),
        "lax_precision": _ratio(p_lax, p_total),
        "lax_recall": _ratio(r_lax, r_total),
    }
    result["strict_f1"] = _f1(result["strict_precision"], result["strict_recall"])
    result["lax_f1"] = _f1(result["lax_precision"], result["lax_recall"])
    order = ("strict_precision", "strict_recall", "strict_f1", "lax_precision", "lax_recall", "lax_f1")
    return {key: result[key] for key in order}


def score(pred: Alignment, gold: Alignment) -> dict[str, float]:
    """Strict and lax P/R/F1 of one predicted alignment against its gold alignment."""
    return score_many([(pred, gold)])
