#!/usr/bin/env python3
"""Does a token-level cross-check of the uncertain beads help sentence alignment? (issue 21, part 3)

    PYTHONPATH=. .venv/bin/python scripts/bench_token_check.py --pairs en-ru,en-ar --max-docs 30
    PYTHONPATH=. .venv/bin/python scripts/bench_token_check.py --from-dump /tmp/token_check.pkl

Every document pair is aligned with the default settings (objective "auto") and the project's
embedding cache. A bead is uncertain when its calibrated score (``Bead.score``) is below 0.8 / 0.9.
For each uncertain bead, both sides are encoded by the model's own transformer (the last hidden state
of embeddinggemma's Gemma3 encoder, ``BitextMining`` prompt, prompt tokens, special tokens and padding
dropped) and compared BERTScore-style: each token's best cosine on the other side, averaged, F1 of
the two directions (no IDF).

a. Referee: among uncertain beads, AUC for "the bead is in the gold (strict)" of the bead's own
   score, of the token score and of a logistic combination of both (fitted on the tuning documents).
b. Rescoring: each uncertain bead's local alternatives (``alternatives``: drop it, detach a sentence
   at an end of a side, split it in two, merge it with a neighbour, shift a boundary with a
   neighbour by one sentence) are valued as the sum over their beads of (p - tau), p being a mix of
   the sentence-level probability (the calibrated score of that bead) and the token score's
   probability (Platt-fitted), a skip valued kappa; the best alternative per uncertain bead replaces
   the original when it is worth more, non-overlapping windows first by gain. lambda = 0 is the same
   rescoring by the sentence score alone, the control that isolates what the token score adds.
Weights are tuned on Text+Berg 001-005 and NTREX seed 13; Text+Berg 006-007 and NTREX seed 7 are
held out and reported apart.

Measured (Text+Berg 7 documents, NTREX en-ru,en-ar 30 documents a pair, seeds 13 and 7): the token
score does not separate right from wrong uncertain beads (AUC 0.50-0.59 against 0.57-0.82 for the
bead's own score), the tuned rescoring leaves held-out Text+Berg below where it was, and NTREX has no
wrong link bead below 0.9 at all (its 5 wrong links a seed are all confident), so nothing to gain
there: not adopted.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import pickle
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from bench_align import CountingEmbedder, ntrex_pairs
from harness import NTREX_DIR, ROOT, TEXTBERG_DIR, default_model, load_model, ntrex_documents, textberg_pairs

from aligner.align import AlignConfig, align_pair_detailed
from aligner.align.calibration import probability
from aligner.evaluate import score_many

BeadIds = tuple[tuple[int, ...], tuple[int, ...]]

THRESHOLDS = (0.8, 0.9)
TUNE_SETS = ("textberg tune", "ntrex seed 13")
HELD_SETS = ("textberg held-out", "ntrex seed 7")


# -- pure logic ------------------------------------------------------------------------------------


def greedy_match(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """(precision, recall, F1) of BERTScore's greedy matching between token vectors ``x`` and ``y``
    (rows; normalised here): recall = mean over x's tokens of the best cosine in y, precision the
    other way round. No IDF weights: per-language IDF would need corpus counts we do not have."""
    if len(x) == 0 or len(y) == 0:
        return 0.0, 0.0, 0.0
    x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    y = y / np.maximum(np.linalg.norm(y, axis=1, keepdims=True), 1e-12)
    sims = x @ y.T
    recall = float(sims.max(axis=1).mean())
    precision = float(sims.max(axis=0).mean())
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return precision, recall, f1


@dataclass(frozen=True)
class Alternative:
    """Beads ``lo:hi`` of the bead list replaced by ``beads`` (the same sentences, cut otherwise)."""

    kind: str
    lo: int
    hi: int
    beads: tuple[BeadIds, ...]


def _contiguous(ids: Sequence[int]) -> bool:
    return all(b == a + 1 for a, b in zip(ids, ids[1:], strict=False))


def _follows(first: BeadIds, second: BeadIds) -> bool:
    """``second`` starts right after ``first`` on every side both have, and they share a side
    (a moved bead or two skips on different sides are not neighbours in the text)."""
    shared = [(a, b) for a, b in zip(first, second, strict=True) if a and b]
    return bool(shared) and all(a[-1] + 1 == b[0] for a, b in shared)


def _fits(bead: BeadIds, max_side: int, max_total: int) -> bool:
    return max(len(bead[0]), len(bead[1])) <= max_side and len(bead[0]) + len(bead[1]) <= max_total


def _skips(bead: BeadIds) -> tuple[BeadIds, ...]:
    return tuple(((i,), ()) for i in bead[0]) + tuple(((), (j,)) for j in bead[1])


def _with_side(bead: BeadIds, side: int, ids: tuple[int, ...]) -> BeadIds:
    return (ids, bead[1]) if side == 0 else (bead[0], ids)


def _pair_moves(first: BeadIds, second: BeadIds, lo: int, max_side: int, max_total: int) -> list[Alternative]:
    """Merge two neighbouring beads, or move one sentence across their boundary on one side."""
    if not _follows(first, second):
        return []
    out: list[Alternative] = []
    merged = (first[0] + second[0], first[1] + second[1])
    if _fits(merged, max_side, max_total) and _contiguous(merged[0]) and _contiguous(merged[1]):
        out.append(Alternative("merge", lo, lo + 2, (merged,)))
    if not (all(first) and all(second)):
        return out  # a boundary shift keeps two links: only between two links
    for side in (0, 1):
        a, b = first[side], second[side]
        if len(a) >= 2:  # first's last sentence joins second
            new = (_with_side(first, side, a[:-1]), _with_side(second, side, a[-1:] + b))
            if _fits(new[1], max_side, max_total):
                out.append(Alternative("shift", lo, lo + 2, new))
        if len(b) >= 2:  # second's first sentence joins first
            new = (_with_side(first, side, a + b[:1]), _with_side(second, side, b[1:]))
            if _fits(new[0], max_side, max_total):
                out.append(Alternative("shift", lo, lo + 2, new))
    return out


def alternatives(
    beads: Sequence[BeadIds], q: int, max_side: int = 4, max_total: int = 5
) -> list[Alternative]:
    """The local alternatives to link bead ``q`` that the DP could have chosen in the same span:
    keep it; drop it (all its sentences unaligned); detach the first or last sentence of a side of
    2+ as a skip; split an m-n bead (m, n >= 2) into two links; merge it with the bead before or
    after; shift its boundary with a neighbouring link by one sentence on one side."""
    bead = beads[q]
    src, tgt = bead
    out = [Alternative("keep", q, q + 1, (bead,)), Alternative("drop", q, q + 1, _skips(bead))]
    for side in (0, 1):
        ids = bead[side]
        if len(ids) >= 2:
            first_off = _with_side(bead, side, ids[1:])
            last_off = _with_side(bead, side, ids[:-1])
            lone = ((ids[0],), ()) if side == 0 else ((), (ids[0],))
            end = ((ids[-1],), ()) if side == 0 else ((), (ids[-1],))
            out.append(Alternative("detach", q, q + 1, (lone, first_off)))
            out.append(Alternative("detach", q, q + 1, (last_off, end)))
    for k in range(1, len(src)):
        for m in range(1, len(tgt)):
            out.append(Alternative("split", q, q + 1, ((src[:k], tgt[:m]), (src[k:], tgt[m:]))))
    if q > 0:
        out += _pair_moves(beads[q - 1], bead, q - 1, max_side, max_total)
    if q + 1 < len(beads):
        out += _pair_moves(bead, beads[q + 1], q, max_side, max_total)
    return out


def rescore(
    beads: Sequence[BeadIds],
    choices: dict[int, list[Alternative]],
    value: dict[BeadIds, float],
    skip_value: float,
) -> list[BeadIds]:
    """The bead list with each uncertain bead's best alternative applied where it gains, windows that
    overlap a window already changed left as they are (largest gain first)."""

    def worth(items: Iterable[BeadIds]) -> float:
        # a skip is worth ``skip_value`` unless ``value`` prices it (the oracle does)
        return sum(value[b] if b[0] and b[1] else value.get(b, skip_value) for b in items)

    best: list[tuple[float, Alternative]] = []
    for alts in choices.values():
        scored = [(worth(a.beads) - worth(beads[a.lo : a.hi]), a) for a in alts]
        gain, alt = max(scored, key=lambda s: s[0])
        if gain > 1e-9:
            best.append((gain, alt))
    taken: set[int] = set()
    replaced: dict[int, Alternative] = {}
    for _, alt in sorted(best, key=lambda s: -s[0]):
        window = set(range(alt.lo, alt.hi))
        if window & taken:
            continue
        taken |= window
        replaced[alt.lo] = alt
    out: list[BeadIds] = []
    q = 0
    while q < len(beads):
        if q in replaced:
            out.extend(replaced[q].beads)
            q = replaced[q].hi
        else:
            out.append(beads[q])
            q += 1
    return out


# -- the model's token vectors ---------------------------------------------------------------------


class TokenVectors:
    """Contextual token vectors: the last hidden state of the sentence model's transformer for the
    prompted text, only the text's own tokens kept; each distinct text encoded once."""

    def __init__(self, model_dir: Path, prompt_name: str = "BitextMining", batch: int = 8) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        self.torch = torch
        model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
        self.prompt = (getattr(model, "prompts", {}) or {}).get(prompt_name, "")
        self.tokenizer = model.tokenizer
        self.transformer = model[0].auto_model.eval()
        self.max_length = int(getattr(model, "max_seq_length", 512) or 512)
        self.batch = batch
        self.vectors: dict[str, np.ndarray] = {}
        self.encoded = 0
        self.seconds = 0.0

    def prepare(self, texts: Iterable[str]) -> None:
        todo = sorted({t for t in texts if t not in self.vectors}, key=len)  # less padding per batch
        started = time.perf_counter()
        for k in range(0, len(todo), self.batch):
            chunk = todo[k : k + self.batch]
            enc = self.tokenizer(
                [self.prompt + t for t in chunk],
                padding=True,
                truncation=True,
                max_length=self.max_length,
                return_tensors="pt",
                return_offsets_mapping=True,
                return_special_tokens_mask=True,
            )
            offsets = enc.pop("offset_mapping").numpy()
            special = enc.pop("special_tokens_mask").numpy().astype(bool)
            with self.torch.inference_mode():
                hidden = (
                    self.transformer(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"])
                    .last_hidden_state.float()
                    .numpy()
                )
            mask = enc["attention_mask"].numpy().astype(bool)
            # a token is the text's when it covers a character past the prompt (the prompt's final
            # space is merged into the text's first token, "▁Der")
            own = mask & ~special & (offsets[:, :, 1] > len(self.prompt))
            for row, text in enumerate(chunk):
                vectors = hidden[row][own[row]]
                norms = np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
                self.vectors[text] = (vectors / norms).astype(np.float32)
        self.encoded += len(todo)
        self.seconds += time.perf_counter() - started

    def score(self, first: str, second: str) -> float:
        return greedy_match(self.vectors[first], self.vectors[second])[2]


# -- measurement -----------------------------------------------------------------------------------


@dataclass
class DocData:
    set_name: str
    name: str
    objective: str
    gold: list[BeadIds]
    beads: list[BeadIds]
    scores: list[float]
    choices: dict[int, list[Alternative]]  # uncertain (below the highest threshold) link beads
    sentence_p: dict[BeadIds, float] = field(default_factory=dict)
    token_f1: dict[BeadIds, float] = field(default_factory=dict)


def collect(
    set_name: str,
    pairs: list,
    encoder,
    cache,
    tokens: TokenVectors,
    config: AlignConfig,
    work: dict[str, float],
) -> list[DocData]:
    """Align each pair, find its uncertain beads and their alternatives, and score every link bead
    of every alternative by sentence probability and token F1."""
    out = []
    for name, src, tgt, gold, src_lang, tgt_lang in pairs:
        embedder = CountingEmbedder(encoder, cache, progress=False)
        started = time.perf_counter()
        result = align_pair_detailed(src, tgt, embedder, config, src_lang, tgt_lang)
        work["align_seconds"] += time.perf_counter() - started
        scorer = result.scorer
        beads = [(b.src, b.tgt) for b in result.beads]
        scores = [b.score for b in result.beads]
        objective = str(result.stats["objective"])
        doc = DocData(set_name, name, objective, [(tuple(s), tuple(t)) for s, t in gold], beads, scores, {})
        if scorer is not None:
            max_side, max_total = scorer.config.max_bead, scorer.config.bead_total
            for q, (bead, s) in enumerate(zip(beads, scores, strict=True)):
                if bead[0] and bead[1] and s < max(THRESHOLDS):
                    doc.choices[q] = alternatives(beads, q, max_side, max_total)
            links = {
                b
                for alts in doc.choices.values()
                for a in alts
                for b in (*a.beads, *beads[a.lo : a.hi])  # the window as it is, too
                if b[0] and b[1]
            }
            before = embedder.encoded_texts
            # real sentence vectors for the alternatives' spans, as the DP would have had them
            scorer.src.encode({(b[0][0], len(b[0])) for b in links if len(b[0]) > 1})
            scorer.tgt.encode({(b[1][0], len(b[1])) for b in links if len(b[1]) > 1})
            work["sentence_texts_encoded"] += embedder.encoded_texts - before
            for b in links:
                confidence = scorer.confidence(scorer.segment_score(b[0], b[1]))
                doc.sentence_p[b] = probability(objective, confidence)
            texts = {b: (" ".join(src[i] for i in b[0]), " ".join(tgt[j] for j in b[1])) for b in links}
            tokens.prepare(t for pair in texts.values() for t in pair)
            for b, (x, y) in texts.items():
                doc.token_f1[b] = tokens.score(x, y)
        out.append(doc)
        print(
            f"  {set_name} {name}: {len(beads)} beads, {len(doc.choices)} uncertain (<{max(THRESHOLDS)}), "
            f"{tokens.encoded} token texts so far ({tokens.seconds:.0f}s)",
            file=sys.stderr,
            flush=True,
        )
    return out


def _auc(labels: np.ndarray, values: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(labels, values)) if 0 < labels.sum() < len(labels) else float("nan")


def referee_rows(docs: list[DocData], threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(bead score, token F1, right) of the uncertain link beads below ``threshold``."""
    rows = []
    for doc in docs:
        gold = set(doc.gold)
        for q in doc.choices:
            if doc.scores[q] < threshold:
                bead = doc.beads[q]
                rows.append((doc.scores[q], doc.token_f1[bead], bead in gold))
    array = np.array(rows, dtype=float).reshape(-1, 3)
    return array[:, 0], array[:, 1], array[:, 2].astype(bool)


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def referee(sets: dict[str, list[DocData]], threshold: float) -> dict:
    """AUC of the bead score, the token score and their logistic combination (fitted on tuning sets)."""
    from sklearn.linear_model import LogisticRegression

    tune = [d for s in TUNE_SETS for d in sets.get(s, [])]
    score, token, right = referee_rows(tune, threshold)
    combo = LogisticRegression().fit(np.c_[_logit(score), token], right)
    table = {}
    for name, docs in sets.items():
        s, t, y = referee_rows(docs, threshold)
        if not len(y):
            continue
        c = combo.predict_proba(np.c_[_logit(s), t])[:, 1]
        table[name] = {
            "uncertain": len(y),
            "right": int(y.sum()),
            "auc_score": round(_auc(y, s), 4),
            "auc_token": round(_auc(y, t), 4),
            "auc_combined": round(_auc(y, c), 4),
        }
    table["combination"] = {
        "coef_logit_score": round(float(combo.coef_[0][0]), 4),
        "coef_token_f1": round(float(combo.coef_[0][1]), 4),
        "intercept": round(float(combo.intercept_[0]), 4),
    }
    return table


def token_platt(docs: list[DocData], threshold: float):
    """P(right | token F1), fitted on the tuning sets' uncertain beads."""
    from sklearn.linear_model import LogisticRegression

    _, token, right = referee_rows(docs, threshold)
    model = LogisticRegression().fit(token[:, None], right)
    return lambda f1: float(model.predict_proba([[f1]])[0, 1])


def rescored(
    doc: DocData, threshold: float, weight: float, tau: float, kappa: float, token_p
) -> list[BeadIds]:
    choices = {q: a for q, a in doc.choices.items() if doc.scores[q] < threshold}
    value = {b: (1 - weight) * p + weight * token_p[b] - tau for b, p in doc.sentence_p.items()}
    return rescore(doc.beads, choices, value, kappa - tau)


def oracle(doc: DocData, threshold: float) -> list[BeadIds]:
    """The ceiling of the alternative set: each bead valued by the gold (a hit 1, a tiny cost per bead)."""
    choices = {q: a for q, a in doc.choices.items() if doc.scores[q] < threshold}
    gold = set(doc.gold)
    every = {b for alts in choices.values() for a in alts for b in (*a.beads, *doc.beads[a.lo : a.hi])}
    return rescore(doc.beads, choices, {b: (b in gold) - 1e-3 for b in every}, 0.0)


def strict_f1(pairs: list[tuple[list[BeadIds], list[BeadIds]]]) -> float:
    return round(score_many(pairs)["strict_f1"], 4)


GRID = {
    "weight": (0.0, 0.2, 0.4, 0.6, 0.8, 1.0),
    "tau": (0.2, 0.3, 0.4, 0.5, 0.6, 0.7),
    "kappa": (0.1, 0.3, 0.5, 0.7),
}


def rescoring(sets: dict[str, list[DocData]], threshold: float) -> dict:
    """Tune (tau, kappa) with the sentence score alone (weight 0) and (weight, tau, kappa) with the
    token score too, on the tuning sets (mean of their strict F1); report every set before/after."""
    tune_docs = [d for s in TUNE_SETS for d in sets.get(s, [])]
    platt = token_platt(tune_docs, threshold)
    token_p = {id(d): {b: platt(f) for b, f in d.token_f1.items()} for ds in sets.values() for d in ds}

    def run(docs: list[DocData], params: tuple[float, float, float]) -> list:
        return [(rescored(d, threshold, *params, token_p[id(d)]), d.gold) for d in docs]

    def objective(params: tuple[float, float, float]) -> float:
        return float(np.mean([strict_f1(run(sets[s], params)) for s in TUNE_SETS if sets.get(s)]))

    grid = list(itertools.product(GRID["weight"], GRID["tau"], GRID["kappa"]))
    results = {p: objective(p) for p in grid}
    sentence_only = max((p for p in grid if p[0] == 0.0), key=lambda p: results[p])
    with_token = max(grid, key=lambda p: results[p])
    report: dict = {
        "tuned_sentence_only": dict(zip(("weight", "tau", "kappa"), sentence_only, strict=True)),
        "tuned_with_token": dict(zip(("weight", "tau", "kappa"), with_token, strict=True)),
        "tuning_objective": {
            "before": float(
                np.mean([strict_f1([(d.beads, d.gold) for d in sets[s]]) for s in TUNE_SETS if sets.get(s)])
            ),
            "sentence_only": results[sentence_only],
            "with_token": results[with_token],
        },
        "sets": {},
        "textberg_documents": {},
    }
    for name, docs in sets.items():
        before = [(d.beads, d.gold) for d in docs]
        report["sets"][name] = {
            "before": strict_f1(before),
            "sentence_only": strict_f1(run(docs, sentence_only)),
            "with_token": strict_f1(run(docs, with_token)),
            "oracle": strict_f1([(oracle(d, threshold), d.gold) for d in docs]),
            "wrong_links": sum(1 for d in docs for b in d.beads if b[0] and b[1] and b not in set(d.gold)),
            "wrong_links_uncertain": sum(
                1
                for d in docs
                for q in d.choices
                if d.scores[q] < threshold and d.beads[q] not in set(d.gold)
            ),
            "changed_beads_with_token": sum(
                len(set(r) ^ set(d.beads)) for (r, _), d in zip(run(docs, with_token), docs, strict=True)
            ),
        }
        if name.startswith("textberg"):
            for d in docs:
                report["textberg_documents"][d.name] = {
                    "before": strict_f1([(d.beads, d.gold)]),
                    "sentence_only": strict_f1(run([d], sentence_only)),
                    "with_token": strict_f1(run([d], with_token)),
                    "oracle": strict_f1([(oracle(d, threshold), d.gold)]),
                }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--textberg-dir", type=Path, default=TEXTBERG_DIR)
    parser.add_argument("--ntrex-dir", type=Path, default=NTREX_DIR)
    parser.add_argument(
        "--model",
        type=Path,
        default=Path(os.environ.get("ALIGNER_MODEL_DIR", default_model())),
    )
    parser.add_argument("--pairs", default="en-ru,en-ar", help="NTREX language pairs (empty: no NTREX)")
    parser.add_argument("--max-docs", type=int, default=30, help="the first N NTREX documents a pair")
    parser.add_argument("--no-ntrex", action="store_true", help="Text+Berg only")
    parser.add_argument("--dump", type=Path, default=Path("/tmp/token_check.pkl"), help="collected data")
    parser.add_argument("--from-dump", type=Path, help="skip the model: analyse a dump of an earlier run")
    parser.add_argument(
        "--reuse-textberg", type=Path, help="take the Text+Berg sets from this dump, measure NTREX anew"
    )
    parser.add_argument("--json", type=Path, default=ROOT / "bench_token_check.json")
    args = parser.parse_args()

    if args.from_dump:
        sets, work = pickle.loads(args.from_dump.read_bytes())
    else:
        encoder, cache = load_model(args.model)
        tokens = TokenVectors(args.model)
        config = AlignConfig()  # the default: objective "auto"
        work = {"align_seconds": 0.0, "sentence_texts_encoded": 0}
        gold = textberg_pairs(args.textberg_dir, False)
        todo: list[tuple[str, list]] = [
            ("textberg tune", [p for p in gold if p[0] <= "005"]),
            ("textberg held-out", [p for p in gold if p[0] > "005"]),
        ]
        if not args.no_ntrex and args.pairs:
            docs = ntrex_documents(args.ntrex_dir)
            wanted = [p.split("-") for p in args.pairs.split(",") if p]
            for label, seed in (("ntrex seed 13", 13), ("ntrex seed 7", 7)):
                pairs = []
                for a, b in wanted:
                    pairs += [
                        (f"{a}-{b}/{p[0]}", *p[1:]) for p in ntrex_pairs(docs, a, b, seed, args.max_docs)
                    ]
                todo.append((label, pairs))
        sets = {}
        if args.reuse_textberg:  # the token texts of Text+Berg take most of the encoding time
            kept, old_work = pickle.loads(args.reuse_textberg.read_bytes())
            sets = {k: v for k, v in kept.items() if k.startswith("textberg")}
            todo = [t for t in todo if t[0] not in sets]
            work["textberg_from"] = f"{args.reuse_textberg}: {old_work}"
        for label, pairs in todo:
            sets[label] = collect(label, pairs, encoder, cache, tokens, config, work)
            work["token_texts_encoded"] = tokens.encoded
            work["token_seconds"] = round(tokens.seconds, 1)
            args.dump.write_bytes(pickle.dumps((sets, work)))  # each set kept as soon as it is measured
    results = {"command": " ".join(sys.argv), "work": work}
    for threshold in THRESHOLDS:
        results[f"below {threshold}"] = {
            "referee": referee(sets, threshold),
            "rescoring": rescoring(sets, threshold),
        }
    args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
