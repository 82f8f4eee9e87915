#!/usr/bin/env python3
"""Benchmark of the sentence aligner: Text+Berg de-fr gold, hardened NTREX news in five languages.

    .venv/bin/python scripts/bench_align.py                 # both parts, default model
    .venv/bin/python scripts/bench_align.py --textberg --compare-upfront
    .venv/bin/python scripts/bench_align.py --ntrex --pairs en-ru,ur-ar --quick
    .venv/bin/python scripts/bench_align.py --compare bertalign,calibrated,auto --variants   # all in one run
    .venv/bin/python scripts/bench_align.py --choices-only   # what the default (auto) picks, no model

Text+Berg: every document pair against its gold, strict/lax P/R/F1 per document and pooled.
NTREX: for each language pair, each of its 123 documents is made harder with a fixed seed on one
side (alternating by document): about 10% of neighbouring sentence pairs merged into one line, about
5% of sentences deleted, one to three lines of page chrome inserted (sometimes the headline repeated
as a caption: chrome, unless the headline itself was deleted, when the copy is its translation
since 12-06); the gold follows from the construction. `--move-rate R` also moves a passage of
1-3 lines in that share of the hardened documents (a reordered paragraph, a caption placed elsewhere).
Work: encoded texts per input sentence (distinct texts the aligner asked the embedder for, i.e.
what an empty cache would encode) and seconds per document pair; ``--compare-upfront`` reruns the
same documents with every concatenation of up to 4 sentences encoded up front.
``--compare A,B,...`` runs several settings side by side (``bertalign``: Bertalign's algorithm and
parameters in our engine; ``calibrated``, ``sum``; ``auto`` = ``default``: the per-pair choice) and prints
a table of strict F1; ``--variants`` runs NTREX hardened with --seed, with seed 7 and with moved passages.
``--loo FIELD=V1,V2 ...`` (Text+Berg, leave one document out): every combination of those settings
(on top of ``auto`` and --set) aligns every document; for each document the combination with the best
pooled strict F1 on the *other* documents is chosen (ties: the first listed, i.e. list the default
first) and only that one is scored on it; the seven held-out scores are pooled. Printed beside it:
the fixed default on all documents and the ``bertalign`` objective, per document.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import random
import sys
import time
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

import numpy as np
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

from aligner.align import AlignConfig, align_pair, align_pair_detailed, align_story
from aligner.align.choice import fragment_lines, literary_config, looks_fragmented, resolve
from aligner.align.config import bertalign_config
from aligner.documents.segment import segment_text
from aligner.embedding.cache import EmbeddingCache
from aligner.embedding.embedder import Embedder
from aligner.embedding.encoder import SentenceTransformerEncoder
from aligner.embedding.runtimes import BACKENDS
from aligner.evaluate import Alignment, score, score_many
from aligner.types import Document, Story

# Page chrome a news site wraps around an article, per language (inserted on the hardened side only).
CHROME = {
    "en": ["Comments (0)", "Share this article", "Read more:", "Photo: Reuters", "Advertisement",
           "By our correspondent", "Home | World | Business | Sport", "Related stories",
           "Subscribe to our newsletter", "12.03.2019 10:45"],
    "ru": ["Комментарии (0)", "Поделиться", "Читайте также:", "Фото: Reuters", "Реклама",
           "Автор: собственный корреспондент", "Главная | В мире | Экономика | Спорт", "Похожие новости",
           "Подпишитесь на нашу рассылку", "12.03.2019 10:45"],
    "uk": ["Коментарі (0)", "Поділитися", "Читайте також:", "Фото: Reuters", "Реклама",
           "Автор: власний кореспондент", "Головна | Світ | Економіка | Спорт", "Схожі новини",
           "Підпишіться на нашу розсилку", "12.03.2019 10:45"],
    "ar": ["التعليقات (0)", "شارك هذا المقال", "اقرأ أيضا:", "صورة: رويترز", "إعلان",
           "بقلم: مراسلنا", "الرئيسية | العالم | اقتصاد | رياضة", "أخبار ذات صلة",
           "اشترك في نشرتنا الإخبارية", "12.03.2019 10:45"],
    "ur": ["تبصرے (0)", "یہ مضمون شیئر کریں", "مزید پڑھیں:", "تصویر: رائٹرز", "اشتہار",
           "تحریر: نامہ نگار", "ہوم | دنیا | کاروبار | کھیل", "متعلقہ خبریں",
           "ہمارا نیوز لیٹر سبسکرائب کریں", "12.03.2019 10:45"],
}  # fmt: skip


class CountingEmbedder(Embedder):
    """An embedder that remembers every distinct text asked for (the cold-cache encoding work)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.asked: set[str] = set()

    def embed(self, texts: Sequence[str], batch: int = 64, label: str = "encoding") -> np.ndarray:
        self.asked.update(texts)
        return super().embed(texts, batch, label)


def harden(
    original: list[str],
    lang: str,
    rng: random.Random,
    merge_rate: float = 0.10,
    delete_rate: float = 0.05,
    move_rate: float = 0.0,
) -> tuple[list[str], Alignment]:
    """The hardened copy of one side and the gold (original ids -> hardened ids).

    With ``move_rate`` > 0, that share of documents also gets a passage of one to three lines moved
    at least three lines away (a translation that reorders a paragraph or places a caption elsewhere).
    """
    lines: list[tuple[tuple[int, ...], str]] = []  # (original ids, text); () = chrome
    k = 0
    while k < len(original):
        if rng.random() < delete_rate:
            lines.append(((k,), ""))  # marks a deletion
            k += 1
        elif k + 1 < len(original) and rng.random() < merge_rate:
            lines.append(((k, k + 1), original[k] + " " + original[k + 1]))
            k += 2
        else:
            lines.append(((k,), original[k]))
            k += 1
    chrome_lines = rng.sample(CHROME[lang], rng.randint(1, 3))
    headline_caption = len(original) > 4 and rng.random() < 0.3
    if headline_caption:
        chrome_lines.append(original[0])  # the headline reused as a caption
    entries = [((), text) for text in chrome_lines]
    for entry in entries:
        lines.insert(rng.randint(1, len(lines)), entry)
    caption = entries[-1] if headline_caption else None
    if move_rate > 0 and rng.random() < move_rate:
        _move_passage(lines, rng)
    deleted_headline = ((0,), "")
    if caption is not None and deleted_headline in lines:
        # The headline itself was deleted: its copy as a caption is now the only translation of it on
        # this side, so the gold aligns the two (a caption that repeats a headline still there is chrome).
        lines[next(n for n, entry in enumerate(lines) if entry is caption)] = ((0,), caption[1])
        lines.remove(deleted_headline)
    hardened: list[str] = []
    gold: Alignment = []
    for ids, text in lines:
        if ids and not text:
            gold.append((ids, ()))
        else:
            gold.append((ids, (len(hardened),)))
            hardened.append(text)
    return hardened, gold


def _move_passage(lines: list[tuple[tuple[int, ...], str]], rng: random.Random) -> None:
    """Move a run of one to three real lines (no chrome, no deletion) at least three lines away."""
    length = rng.randint(1, 3)
    starts = [
        s for s in range(len(lines) - length + 1) if all(ids and text for ids, text in lines[s : s + length])
    ]
    if not starts:
        return
    start = rng.choice(starts)
    block = lines[start : start + length]
    del lines[start : start + length]
    places = [p for p in range(len(lines) + 1) if abs(p - start) >= 3]
    if not places:
        lines[start:start] = block
        return
    at = rng.choice(places)
    lines[at:at] = block


def run_pairs(
    pairs: list[tuple[str, list[str], list[str], Alignment, str, str]],
    encoder: SentenceTransformerEncoder,
    cache: EmbeddingCache | None,
    config: AlignConfig,
    keep: bool = False,
) -> dict:
    """Align (name, src, tgt, gold, src_lang, tgt_lang) pairs; per-document and pooled scores and work
    (with ``keep``, also each document's predicted beads under ``_pred``)."""
    documents = []
    predictions = []
    for name, src, tgt, gold, src_lang, tgt_lang in pairs:
        embedder = CountingEmbedder(encoder, cache, progress=False)
        started = time.perf_counter()
        result = align_pair_detailed(src, tgt, embedder, config, src_lang, tgt_lang)
        seconds = time.perf_counter() - started
        pred = [(b.src, b.tgt) for b in result.beads]
        predictions.append((pred, gold))
        documents.append(
            {
                "document": name,
                "sentences": len(src) + len(tgt),
                "texts_asked": len(embedder.asked),
                "texts_encoded_now": embedder.encoded_texts,
                "seconds": round(seconds, 3),
                **{k: round(v, 4) for k, v in score(pred, gold).items()},
                **{k: v if isinstance(v, str) else round(float(v), 4) for k, v in result.stats.items()},
            }
        )
        print(
            f"  {name}: strict F1 {documents[-1]['strict_f1']:.3f} lax F1 {documents[-1]['lax_f1']:.3f} "
            f"texts/sentence {len(embedder.asked) / max(1, len(src) + len(tgt)):.2f} {seconds:.1f}s",
            file=sys.stderr,
            flush=True,
        )
    sentences = sum(d["sentences"] for d in documents)
    total = {
        **{k: round(v, 4) for k, v in score_many(predictions).items()},
        "documents": len(documents),
        "sentences": sentences,
        "texts_per_sentence": round(sum(d["texts_asked"] for d in documents) / max(1, sentences), 3),
        "seconds_per_pair": round(sum(d["seconds"] for d in documents) / max(1, len(documents)), 3),
        "texts_encoded_now": sum(d["texts_encoded_now"] for d in documents),
    }
    out = {"overall": total, "documents": documents}
    if keep:
        out["_pred"] = {p[0]: pred for p, (pred, _) in zip(pairs, predictions, strict=True)}
    return out


def ntrex_pairs(
    docs: dict[str, list[list[str]]], first: str, second: str, seed: int, limit: int, move_rate: float = 0.0
) -> list:
    rng = random.Random(f"{seed}-{first}-{second}")
    count = len(docs[first])
    pairs = []
    for d in range(min(limit, count) if limit else count):
        a, b = docs[first][d], docs[second][d]
        if d % 2 == 0:  # harden the second language's side
            hardened, gold = harden(b, second, rng, move_rate=move_rate)
            pairs.append((f"{d:03d}", a, hardened, gold, first, second))
        else:  # harden the first language's side
            hardened, gold = harden(a, first, rng, move_rate=move_rate)
            pairs.append((f"{d:03d}", hardened, b, [(h, ids) for ids, h in gold], first, second))
    return pairs


def line_beads(groups, first: Document, second: Document) -> list:
    """(lines of ``first``, lines of ``second``) of each group of sentence ids, as beads of input lines."""
    beads = set()
    for first_ids, second_ids in groups:
        lines = tuple(sorted({first.paragraph_of[i] for i in first_ids}))
        other = tuple(sorted({second.paragraph_of[j] for j in second_ids}))
        if lines or other:
            beads.add((lines, other))
    return sorted(beads)


def run_multiway(docs: dict[str, list[list[str]]], encoder, cache, config: AlignConfig, limit: int) -> dict:
    """Each NTREX document in all five languages as one story of articles, split into sentences as
    ``aligner run`` does; units through the pivot and each pair aligned on its own, both scored against
    the line alignment of NTREX (line k of one translation is line k of every other)."""
    embedder = CountingEmbedder(encoder, cache, progress=False)
    pivot: dict[str, list] = {}
    direct: dict[str, list] = {}
    exact = total = 0
    for number in range(min(limit, len(docs["en"])) if limit else len(docs["en"])):
        documents = {}
        for lang in LANGUAGES:
            sentences, paragraph_of = segment_text("\n".join(docs[lang][number]), lang)
            doc_id = f"{number:03d}_{lang}"
            documents[doc_id] = Document(doc_id, lang, doc_id, tuple(sentences), tuple(paragraph_of))
        story = Story(f"s{number}", tuple(documents), LANGUAGES, 1.0)
        units = align_story(story, documents, embedder, config)
        for unit in units:
            lines = {
                d: frozenset(documents[d].paragraph_of[i] for i in seg.sentences)
                for d, seg in unit.segments.items()
            }
            total += 1
            exact += len(lines) == len(documents) and len(set(lines.values())) == 1
        gold_lines = len(docs["en"][number])
        for (a, first), (b, second) in combinations(documents.items(), 2):
            key = f"{first.lang}-{second.lang}"
            gold = [((k,), (k,)) for k in range(gold_lines)]
            groups = [
                (
                    u.segments[a].sentences if a in u.segments else (),
                    u.segments[b].sentences if b in u.segments else (),
                )
                for u in units
            ]
            pivot.setdefault(key, []).append((line_beads(groups, first, second), gold))
            beads = align_pair(first.sentences, second.sentences, embedder, config, first.lang, second.lang)
            direct.setdefault(key, []).append(
                (line_beads([(x.src, x.tgt) for x in beads], first, second), gold)
            )
    return {
        "units": total,
        "units_on_one_line_in_all_five": round(exact / max(total, 1), 4),
        "through_the_pivot": {k: round(score_many(v)["strict_f1"], 4) for k, v in pivot.items()},
        "each_pair_on_its_own": {k: round(score_many(v)["strict_f1"], 4) for k, v in direct.items()},
    }


# Settings by name for --compare: Bertalign's algorithm, our objectives, and the per-pair choice.
NAMED_CONFIGS = {
    "default": AlignConfig,
    "bertalign": bertalign_config,
    "calibrated": lambda: AlignConfig(objective="calibrated"),
    "sum": lambda: AlignConfig(objective="sum"),
    "auto": lambda: AlignConfig(objective="auto"),
}


def with_overrides(config: AlignConfig, items: Sequence[str]) -> AlignConfig:
    """``config`` with FIELD=VALUE overrides (``--set``)."""
    for item in items:
        field, value = item.split("=", 1)
        kind = type(getattr(config, field))
        config = dataclasses.replace(config, **{field: value == "True" if kind is bool else kind(value)})
    return config


def auto_choices(args: argparse.Namespace) -> dict:
    """For every Text+Berg document and NTREX pair of each variant: what ``objective="auto"`` picks."""
    auto = AlignConfig(objective="auto")

    def summary(pairs: list) -> dict:
        picks = [resolve(auto, p[1], p[2], p[4], p[5]).objective for p in pairs]
        counts = [fragment_lines(p[1], p[2], p[4], p[5]) for p in pairs]
        return {
            "pairs": len(pairs),
            **{objective: picks.count(objective) for objective in sorted(set(picks))},
            "most_fragment_lines": max(counts, default=0),
        }

    gold = textberg_pairs(args.textberg_dir, False, tuple(args.gold_langs.split(",", 1)))
    choices = {
        "textberg": {
            p[0]: (resolve(auto, p[1], p[2], p[4], p[5]).objective, fragment_lines(*p[1:3], *p[4:6]))
            for p in gold
        }
    }
    docs = ntrex_documents(args.ntrex_dir)
    for label, seed, move_rate in (("", args.seed, 0.0), (" seed 7", 7, 0.0), (" moved", args.seed, 0.5)):
        pairs = [
            p for a, b in combinations(LANGUAGES, 2) for p in ntrex_pairs(docs, a, b, seed, 0, move_rate)
        ]
        choices[f"ntrex{label}"] = summary(pairs)
    return choices


def loo_grid(items: Sequence[str]) -> list[tuple[str, ...]]:
    """Every combination of ``FIELD=V1,V2,...`` items, each as a tuple of FIELD=VALUE overrides."""
    axes = []
    for item in items:
        field, values = item.split("=", 1)
        axes.append([f"{field}={value}" for value in values.split(",")])
    return list(itertools.product(*axes))


def loo_config(base: AlignConfig, setting: Sequence[str], pairs: list) -> AlignConfig:
    """``base`` with the ``auto_*`` overrides of ``setting``; the other overrides apply to the settings
    ``auto`` resolves to for text cut into fragments (what every Text+Berg pair gets: checked), since
    ``literary_config`` would replace Bertalign's fields set before it."""
    config = with_overrides(base, [s for s in setting if s.startswith("auto_")])
    rest = [s for s in setting if not s.startswith("auto_")]
    if not rest:
        return config
    if base.objective != "auto" or not all(looks_fragmented(config, *p[1:3], *p[4:6]) for p in pairs):
        raise SystemExit("--loo: settings other than auto_* need objective auto and fragment-type pairs")
    return with_overrides(literary_config(config), rest)


def leave_one_out(runs: dict[tuple[str, ...], dict], gold: dict[str, Alignment]) -> dict:
    """For each document: the setting with the best pooled strict F1 on the other documents, scored
    on that document only; the held-out predictions pooled. ``runs`` maps a setting to the
    predictions of ``run_pairs`` (``_pred`` per document); the first setting wins ties."""
    names = list(gold)
    chosen: dict[str, dict] = {}
    pooled = []
    for held in names:
        best, best_f1 = None, -1.0
        for setting, run in runs.items():
            others = [(run["_pred"][d], gold[d]) for d in names if d != held]
            f1 = score_many(others)["strict_f1"]
            if f1 > best_f1 + 1e-12:
                best, best_f1 = setting, f1
        pred = runs[best]["_pred"][held]
        pooled.append((pred, gold[held]))
        chosen[held] = {
            "setting": " ".join(best) or "(default)",
            "tuning_f1": round(best_f1, 4),
            "held_out_f1": round(score(pred, gold[held])["strict_f1"], 4),
        }
    return {"overall": {k: round(v, 4) for k, v in score_many(pooled).items()}, "documents": chosen}


def run_loo(pairs: list, encoder, cache, base: AlignConfig, grid: list[tuple[str, ...]]) -> dict:
    """Leave-one-document-out over ``grid`` (see the module's docstring), with the fixed ``base`` and
    the ``bertalign`` objective per document beside it."""
    gold = {p[0]: p[3] for p in pairs}
    runs: dict[tuple[str, ...], dict] = {}
    for setting in grid:
        print(f"loo setting: {' '.join(setting) or '(default)'}", file=sys.stderr, flush=True)
        runs[setting] = run_pairs(pairs, encoder, cache, loo_config(base, setting, pairs), keep=True)
    fixed = run_pairs(pairs, encoder, cache, base, keep=True)
    print("loo: bertalign objective", file=sys.stderr, flush=True)
    reference = run_pairs(pairs, encoder, cache, bertalign_config(), keep=True)
    loo = leave_one_out(runs, gold)
    table = {}
    for d in gold:
        table[d] = {
            "fixed": next(x["strict_f1"] for x in fixed["documents"] if x["document"] == d),
            "bertalign": next(x["strict_f1"] for x in reference["documents"] if x["document"] == d),
            **loo["documents"][d],
        }
        table[d]["below_bertalign"] = round(table[d]["bertalign"] - table[d]["held_out_f1"], 4)
    return {
        "loo_pooled": loo["overall"],
        "fixed_pooled": fixed["overall"],
        "bertalign_pooled": reference["overall"],
        "documents": table,
        "grid": {" ".join(s) or "(default)": r["overall"]["strict_f1"] for s, r in runs.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--textberg", action="store_true", help="run the Text+Berg part")
    parser.add_argument("--ntrex", action="store_true", help="run the hardened NTREX part")
    parser.add_argument(
        "--multiway",
        action="store_true",
        help="NTREX documents as 5-language stories: units vs the line alignment",
    )
    parser.add_argument(
        "--pairs", default="", help="NTREX language pairs, e.g. en-ru,ur-ar (default: all 10)"
    )
    parser.add_argument(
        "--textberg-dir",
        type=Path,
        default=TEXTBERG_DIR,
        help="a gold standard laid out like Text+Berg: SRC/, TGT/ and gold/ hold files of the same names",
    )
    parser.add_argument(
        "--gold-langs", default="de,fr", help="SRC,TGT: the language folders of --textberg-dir"
    )
    parser.add_argument("--ntrex-dir", type=Path, default=NTREX_DIR)
    parser.add_argument("--model", type=Path, default=default_model())
    parser.add_argument(
        "--quick", action="store_true", help="2 Text+Berg documents, 10 NTREX documents a pair"
    )
    parser.add_argument(
        "--compare-upfront", action="store_true", help="rerun with all overlaps encoded up front"
    )
    parser.add_argument("--documents", default="", help="only these Text+Berg documents, e.g. 001,005")
    parser.add_argument("--max-docs", type=int, default=0, help="only the first N NTREX documents a pair")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--move-rate",
        type=float,
        default=0.0,
        help="NTREX: share of hardened documents that also get a passage of 1-3 lines moved (default 0)",
    )
    parser.add_argument(
        "--quantize", action="store_true", help="dynamic int8 quantization of the model (its own cache rows)"
    )
    parser.add_argument("--backend", choices=BACKENDS, default="auto", help="encoder runtime")
    parser.add_argument(
        "--set", action="append", default=[], metavar="FIELD=VALUE", help="override AlignConfig"
    )
    parser.add_argument(
        "--compare",
        default="",
        help="run these settings side by side, e.g. bertalign,calibrated,auto (names: "
        + ", ".join(NAMED_CONFIGS)
        + "; --set applies on top of each)",
    )
    parser.add_argument(
        "--variants",
        action="store_true",
        help="NTREX three times: hardened with --seed, with seed 7, and with moved passages (rate 0.5)",
    )
    parser.add_argument(
        "--choices-only",
        action="store_true",
        help="no alignment: what objective=auto picks for each document pair (text statistics only)",
    )
    parser.add_argument(
        "--loo",
        action="append",
        default=[],
        metavar="FIELD=V1,V2",
        help="Text+Berg leave one document out over every combination of these settings (repeatable)",
    )
    parser.add_argument("--json", type=Path, default=ROOT / "bench_align.json", help="where to write results")
    args = parser.parse_args()
    if not (args.textberg or args.ntrex or args.multiway):
        args.textberg = args.ntrex = True
    names = [n for n in args.compare.split(",") if n] or ["default"]
    unknown = [n for n in names if n not in NAMED_CONFIGS]
    if unknown:
        raise SystemExit(
            f"--compare: unknown setting(s) {', '.join(unknown)}; known: {', '.join(NAMED_CONFIGS)}"
        )
    configs = {n: with_overrides(NAMED_CONFIGS[n](), args.set) for n in names}
    config = configs[names[0]]
    if args.choices_only:
        print(json.dumps(auto_choices(args), indent=1))
        return
    encoder, cache = load_model(args.model, args.quantize, args.backend)
    results: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "model": f"{encoder.name} ({args.model}) {args.backend}{' int8' if args.quantize else ''}",
        "config": dataclasses.asdict(config),
        "configs": {n: dataclasses.asdict(c) for n, c in configs.items()},
        "command": " ".join(sys.argv),
    }
    if args.loo:
        pairs = textberg_pairs(args.textberg_dir, args.quick, tuple(args.gold_langs.split(",", 1)))
        if args.documents:
            pairs = [p for p in pairs if p[0] in args.documents.split(",")]
        results["loo"] = run_loo(pairs, encoder, cache, config, loo_grid(args.loo))
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print_loo(results["loo"])
        return
    runs: list[tuple[str, list]] = []
    if args.textberg:
        pairs = textberg_pairs(args.textberg_dir, args.quick, tuple(args.gold_langs.split(",", 1)))
        if args.documents:
            pairs = [p for p in pairs if p[0] in args.documents.split(",")]
        runs.append(("textberg", pairs))
    if args.ntrex:
        docs = ntrex_documents(args.ntrex_dir)
        wanted = [p.split("-") for p in args.pairs.split(",") if p] or list(combinations(LANGUAGES, 2))
        variants = [("", args.seed, args.move_rate)]
        if args.variants:
            variants = [("", args.seed, 0.0), (" seed 7", 7, 0.0), (" moved", args.seed, 0.5)]
        for label, seed, move_rate in variants:
            for first, second in wanted:
                limit = args.max_docs or (10 if args.quick else 0)
                runs.append(
                    (
                        f"ntrex{label} {first}-{second}",
                        ntrex_pairs(docs, first, second, seed, limit, move_rate),
                    )
                )
    table: dict[str, dict[str, float]] = {}
    for name, pairs in runs:
        for setting, run_config in configs.items():
            key = name if len(configs) == 1 else f"{name} [{setting}]"
            print(f"{key}:", file=sys.stderr, flush=True)
            results[key] = run_pairs(pairs, encoder, cache, run_config)
            table.setdefault(name, {})[setting] = results[key]["overall"]["strict_f1"]
            print(f"{key} overall: {json.dumps(results[key]['overall'])}", file=sys.stderr, flush=True)
        if args.compare_upfront:
            upfront = dataclasses.replace(config, overlaps_upfront=True)
            results[name + " upfront"] = run_pairs(pairs, encoder, cache, upfront)
            print(f"{name} upfront: {json.dumps(results[name + ' upfront']['overall'])}", file=sys.stderr)
    if args.multiway:
        limit = args.max_docs or (10 if args.quick else 0)
        results["multiway"] = run_multiway(ntrex_documents(args.ntrex_dir), encoder, cache, config, limit)
        print(f"multiway: {json.dumps(results['multiway'])}", file=sys.stderr, flush=True)
    results["strict_f1"] = table
    args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if len(configs) > 1:
        print(f"{'strict F1':<24}" + "".join(f"{n:>12}" for n in configs))
        for name, row in table.items():
            print(f"{name:<24}" + "".join(f"{row[n]:>12.4f}" for n in configs))
    print(
        json.dumps(
            {k: v["overall"] for k, v in results.items() if isinstance(v, dict) and "overall" in v}, indent=1
        )
    )


def print_loo(loo: dict) -> None:
    print(f"{'document':<10}{'fixed':>8}{'bertalign':>10}{'LOO':>8}{'tuning':>8}  chosen setting")
    for d, row in loo["documents"].items():
        print(
            f"{d:<10}{row['fixed']:>8.4f}{row['bertalign']:>10.4f}{row['held_out_f1']:>8.4f}"
            f"{row['tuning_f1']:>8.4f}  {row['setting']}"
        )
    print(
        f"{'pooled':<10}{loo['fixed_pooled']['strict_f1']:>8.4f}{loo['bertalign_pooled']['strict_f1']:>10.4f}"
        f"{loo['loo_pooled']['strict_f1']:>8.4f}"
    )
    print("grid, pooled strict F1 on all documents:")
    for setting, f1 in loo["grid"].items():
        print(f"  {f1:.4f}  {setting}")


if __name__ == "__main__":
    main()
