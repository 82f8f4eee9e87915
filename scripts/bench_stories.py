"""Benchmark of the stories stage (aligner.stories.cluster): accuracy on NTREX, hard negatives, and scale.

    .venv/bin/python scripts/bench_stories.py            # every part, JSON figures on stdout

1. NTREX: the 123 documents of NTREX-128 in each of five languages (615 documents) plus the five
   seed articles, shuffled with a fixed seed and given opaque ids; pairwise and B-cubed scores.
2. Hard negatives: every NTREX story loses one language (rotating), and in its place a same-topic
   decoy in that language is added: a contiguous third of each of three other articles of the same
   source, neighbours in topic (see ``decoy_plan``), so the decoy reads like another article from
   the same outlet and shares at most a third of any one article. Every decoy must stay a singleton,
   although every story has an open slot in the decoy's language. A harder variant splices halves
   of two articles (a decoy that repeats half of another article); reported, not a goal.
   Ablations: the NTREX pile again with one setting changed at a time.
   Short articles (``short``): in every NTREX story one language (rotating) keeps only the article's
   first 3-5 sentences; the other four keep the full article (even stories) or become a version with
   added lines (odd stories: the same first sentences with 2-3 later lines of the article put between
   them, a rewrite that adds lines around the same facts). Each story must stay one story.
3. Scale: synthetic sentence vectors (stated as such): stories of translations into five languages,
   grouped into topics, through the whole stage at 1k, 10k and 100k documents, each size in a fresh
   process so its peak memory (max RSS) is its own.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
from harness import LANGUAGES as LANGS
from harness import NTREX_DIR, SEEDS_DIR, default_model, load_embedder, ntrex_stories

from aligner.embedding.runtimes import BACKENDS
from aligner.stories.cluster import cluster_stories_detailed
from aligner.stories.config import StoryConfig
from aligner.stories.first_look import FirstLookConfig, first_look, stories_after_first_look
from aligner.stories.search import candidate_pairs
from aligner.types import Document

# Settings changed one at a time on the NTREX pile, to show what each part of the method buys.
ABLATIONS = {
    "several_per_language": {"one_per_language": False},
    "no_language_centering": {"center_languages": False},
    "k=1": {"k": 1},
    "stricter_sentence_bar_q0.99": {"bar_quantile": 0.99},
}


# ---------------------------------------------------------------------------------------------------
# Scores


def pairwise(pred: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, float]:
    """Precision, recall, F1 over same-cluster document pairs."""

    def pairs(labels: Mapping[str, str]) -> set[tuple[str, str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for doc, label in labels.items():
            groups[label].append(doc)
        return {(a, b) for g in groups.values() for a in g for b in g if a < b}

    p, g = pairs(pred), pairs(gold)
    hit = len(p & g)
    precision = hit / len(p) if p else 1.0
    recall = hit / len(g) if g else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "predicted_pairs": len(p),
        "gold_pairs": len(g),
    }


def bcubed(pred: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, float]:
    """B-cubed precision, recall and F1 (Bagga & Baldwin 1998), averaged over documents."""
    members_pred: dict[str, set[str]] = defaultdict(set)
    members_gold: dict[str, set[str]] = defaultdict(set)
    for doc in gold:
        members_pred[pred[doc]].add(doc)
        members_gold[gold[doc]].add(doc)
    precision = recall = 0.0
    for doc in gold:
        cp, cg = members_pred[pred[doc]], members_gold[gold[doc]]
        both = len(cp & cg)
        precision += both / len(cp)
        recall += both / len(cg)
    precision /= len(gold)
    recall /= len(gold)
    f1 = 2 * precision * recall / (precision + recall)
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


# ---------------------------------------------------------------------------------------------------
# Data


def seed_documents(seeds: Path) -> list[tuple[str, str, list[str]]]:
    """(name, language, sentences) of each seed article (language detected, sentences by
    aligner.documents.segment)."""
    from aligner.documents.detect import detect_language
    from aligner.documents.segment import segment_text

    out = []
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        lang, _ = detect_language(text)
        sentences, _ = segment_text(text, lang)
        out.append((path.stem, lang, sentences))
    return out


class Pile:
    """Documents with opaque ids, their gold story and their sentence vectors."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.items: list[tuple[str, str, list[str], str]] = []  # (name, lang, sentences, gold)

    def add(self, name: str, lang: str, sentences: list[str], gold: str) -> None:
        self.items.append((name, lang, sentences, gold))

    def build(self, embed) -> tuple[list[Document], dict[str, np.ndarray], dict[str, str], dict[str, str]]:
        items = list(self.items)
        self.rng.shuffle(items)
        numbers = list(range(len(items)))
        self.rng.shuffle(numbers)  # ids carry no hint of the story or of the input position
        docs, gold, names = [], {}, {}
        for number, (name, lang, sentences, label) in zip(numbers, items, strict=True):
            doc_id = f"d{number:05d}"
            docs.append(Document(doc_id, lang, name, tuple(sentences), tuple(range(len(sentences)))))
            gold[doc_id], names[doc_id] = label, name
        vectors = embed([s for d in docs for s in d.sentences])
        embeddings, at = {}, 0
        for doc in docs:
            embeddings[doc.doc_id] = vectors[at : at + len(doc.sentences)]
            at += len(doc.sentences)
        return docs, embeddings, gold, names


def decoy_plan(
    stories: Mapping[str, Mapping[str, list[str]]], embed, parts: int = 3
) -> dict[str, list[tuple[str, int]]]:
    """For each NTREX story, the (donor story, part) slices its decoy is made of.

    The stories of one source are put in a topic chain (from the smallest id, always on to the
    closest unvisited story by English mean vector); with ``parts`` = 3 the decoy of the i-th story
    takes the first third of story i+1, the middle third of story i+2 and the last third of story i+3
    (cyclically). So every slice goes into exactly one decoy: two decoys are never translations of each
    other, and no decoy holds more than 1/parts of any article. Sources with no more stories than
    ``parts`` get no decoys.
    """
    by_source: dict[str, list[str]] = defaultdict(list)
    for name in sorted(stories):
        by_source[name.split(".")[0]].append(name)
    plan = {}
    for names in by_source.values():
        if len(names) <= parts:
            continue
        vectors = np.stack([embed(stories[n]["en"]).mean(axis=0) for n in names])
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        chain, left = [0], set(range(1, len(names)))
        while left:
            here = vectors[chain[-1]]
            chain.append(max(sorted(left), key=lambda j: float(vectors[j] @ here)))
            left.remove(chain[-1])
        ordered = [names[i] for i in chain]
        for i, name in enumerate(ordered):
            plan[name] = [(ordered[(i + t + 1) % len(ordered)], t) for t in range(parts)]
    return plan


def decoy(
    stories: Mapping[str, Mapping[str, list[str]]], slices: Sequence[tuple[str, int]], lang: str
) -> list[str]:
    """The decoy text in ``lang``: the planned parts of its donor articles, in order."""
    sentences = []
    for donor, part in slices:
        lines = stories[donor][lang]
        cut = [round(len(lines) * k / len(slices)) for k in range(len(slices) + 1)]
        sentences += lines[cut[part] : cut[part + 1]]
    return sentences


# ---------------------------------------------------------------------------------------------------
# Parts


# How ``run_pile`` forms stories: "search" is the stories stage alone on the whole pile (every document's
# vectors, candidates by document vector: ``aligner stories``); "first-look" is what ``aligner run`` does by
# default (the first look's pairs, documents without a candidate alone), compared story for story with
# the same pile under ``--encode-all`` (the first look's calibration, plus the search's pairs).
MODES = ("search", "first-look")


def run_pile(pile: Pile, embed, config: StoryConfig, mode: str = "search") -> dict:
    docs, embeddings, gold, names = pile.build(embed)
    started = time.perf_counter()
    look = None
    if mode == "first-look":
        look = first_look(docs, embed, FirstLookConfig(), not config.one_per_language)
        result = stories_after_first_look(docs, embeddings, config, look)
    else:
        result = cluster_stories_detailed(docs, embeddings, config)
    seconds = time.perf_counter() - started
    pred = {d: s.story_id for s in result.stories for d in s.docs}
    candidates = {(p.a, p.b) for p in result.pairs}
    gold_pairs = {(a, b) for a in gold for b in gold if a < b and gold[a] == gold[b]}
    # The same pile in reverse order must give the same stories.
    if look is None:
        again = cluster_stories_detailed(list(reversed(docs)), embeddings, config).stories
        look_figures = {}
    else:
        reverse = first_look(list(reversed(docs)), embed, FirstLookConfig(), not config.one_per_language)
        again = stories_after_first_look(list(reversed(docs)), embeddings, config, reverse).stories
        encode_all = stories_after_first_look(docs, embeddings, config, look, encode_all=True)
        differing = sorted(set(encode_all.stories) ^ set(result.stories), key=lambda story: story.docs)
        look_figures = {
            "documents_in_play": len(look.full),
            "first_look_candidates": len(look.candidates),
            "same_stories_as_encode_all": encode_all.stories == result.stories,
            "stories_differing_from_encode_all": [[names[d] for d in s.docs] for s in differing[:6]],
            "encode_all_bcubed": bcubed({d: s.story_id for s in encode_all.stories for d in s.docs}, gold),
        }
    return {
        "mode": mode,
        **look_figures,
        "documents": len(docs),
        "stories": len(result.stories),
        "candidate_pairs": result.calibration.candidate_pairs,
        "candidate_recall": round(len(gold_pairs & candidates) / len(gold_pairs), 4) if gold_pairs else 1.0,
        "calibration": asdict(result.calibration),
        "pairwise": pairwise(pred, gold),
        "bcubed": bcubed(pred, gold),
        "seconds": round(seconds, 2),
        "order_independent": again == result.stories,
        # The gap the decision has to fall in: the weakest scored translation pair and the strongest
        # scored pair of documents from different stories.
        "weakest_gold_pair": min((p.score for p in result.pairs if gold[p.a] == gold[p.b]), default=None),
        "strongest_wrong_pair": max((p.score for p in result.pairs if gold[p.a] != gold[p.b]), default=None),
        "_pred": pred,
        "_gold": gold,
        "_names": names,
        "_result": result,
    }


def part_ntrex(stories, seeds, embed, config: StoryConfig, seed: int, mode: str = "search") -> dict:
    pile = Pile(seed)
    for name, by_lang in stories.items():
        for lang in LANGS:
            pile.add(f"{lang}:{name}", lang, by_lang[lang], name)
    # Read and checked by hand: 000 (ru) and 001 (ur) report one Cam Xuyen conference, 002 (ar) and 003 (en)
    # one Ha Tinh conference of 21 February; 004 (uk) is about Hai Duong.
    seed_gold = {
        "000": "cam-xuyen",
        "001": "cam-xuyen",
        "002": "ha-tinh",
        "003": "ha-tinh",
        "004": "hai-duong",
    }
    for name, lang, sentences in seeds:
        pile.add(f"seed:{name}", lang, sentences, "seed-" + seed_gold[name[:3]])
    out = run_pile(pile, embed, config, mode)
    seed_pred = {out["_names"][d]: s for d, s in out["_pred"].items() if out["_names"][d].startswith("seed:")}
    groups: dict[str, list[str]] = defaultdict(list)
    for name, story in sorted(seed_pred.items()):
        groups[story].append(name.split(":")[1][:3])
    out["seed_stories"] = sorted(groups.values())
    return out


def short_versions(lines: Sequence[str], rng: random.Random, added: bool) -> tuple[int, list[int]] | None:
    """(sentences kept by the short article, line numbers of the longer version) for one story, or None
    for an article too short to cut. With ``added``, the longer version is the kept sentences with
    two or three later lines of the article inserted among them (in their order of the article)."""
    keep = rng.randint(3, 5)
    if len(lines) < keep + 3:
        return None
    if not added:
        return keep, list(range(len(lines)))
    extra = sorted(rng.sample(range(keep, len(lines)), rng.randint(2, 3)))
    order = list(range(keep))
    for line in extra:
        order.insert(rng.randint(1, len(order)), line)
    return keep, order


def part_short(stories, embed, config: StoryConfig, seed: int, mode: str = "search") -> dict:
    rng = random.Random(f"short-{seed}")
    pile = Pile(seed + 2)
    cut = 0
    for number, name in enumerate(sorted(stories)):
        plan = short_versions(stories[name]["en"], rng, added=number % 2 == 1)
        short_lang = LANGS[number % len(LANGS)]
        for lang in LANGS:
            lines = stories[name][lang]
            if plan is None:
                sentences = lines
            elif lang == short_lang:
                sentences = lines[: plan[0]]
            else:
                sentences = [lines[k] for k in plan[1]]
            pile.add(
                f"{lang}:{name}" + (":short" if plan and lang == short_lang else ""), lang, sentences, name
            )
        cut += plan is not None
    out = run_pile(pile, embed, config, mode)
    names, pred, gold = out["_names"], out["_pred"], out["_gold"]
    by_gold: dict[str, set[str]] = defaultdict(set)
    for doc, label in gold.items():
        by_gold[label].add(pred[doc])
    split = sorted(label for label, got in by_gold.items() if len(got) > 1)
    lonely = sorted(
        names[d]
        for d in pred
        if names[d].endswith(":short") and sum(v == pred[d] for v in pred.values()) == 1
    )
    out["short_articles"] = cut
    out["stories_split"] = len(split)
    out["short_articles_alone"] = len(lonely)
    out["short_alone_examples"] = lonely[:5]
    return out


def part_decoys(stories, embed, config: StoryConfig, seed: int, parts: int = 3, mode: str = "search") -> dict:
    plan = decoy_plan(stories, embed, parts)
    pile = Pile(seed + 1)
    for number, name in enumerate(sorted(stories)):
        removed = LANGS[number % len(LANGS)] if name in plan else None
        for lang in LANGS:
            if lang != removed:
                pile.add(f"{lang}:{name}", lang, stories[name][lang], name)
        if removed:
            pile.add(f"decoy-{removed}:{name}", removed, decoy(stories, plan[name], removed), f"decoy:{name}")
    out = run_pile(pile, embed, config, mode)
    names, pred = out["_names"], out["_pred"]
    size: dict[str, int] = defaultdict(int)
    for story in pred.values():
        size[story] += 1
    joined = sorted(names[d] for d in pred if names[d].startswith("decoy") and size[pred[d]] > 1)
    out["decoys"] = sum(1 for n in names.values() if n.startswith("decoy"))
    out["decoys_joined"] = len(joined)
    out["decoys_joined_examples"] = joined[:5]
    return out


def synthetic_pile(
    n_docs: int, dim: int, seed: int
) -> tuple[list[Document], dict[str, np.ndarray], dict[str, str]]:
    """Synthetic stories: a story is a sequence of sentence vectors around a topic vector; each of its
    translations (up to five languages) is that sequence with noise plus a language offset."""
    rng = np.random.default_rng(seed)
    lang_offset = {lang: rng.normal(0, 0.3 / np.sqrt(dim), dim) for lang in LANGS}
    n_topics = max(1, n_docs // 50)
    topics = rng.normal(0, 1 / np.sqrt(dim), (n_topics, dim))
    docs: list[Document] = []
    embeddings: dict[str, np.ndarray] = {}
    gold: dict[str, str] = {}
    story = 0
    while len(docs) < n_docs:
        length = int(rng.integers(4, 16))
        base = rng.normal(0, 1 / np.sqrt(dim), (length, dim)) + 0.7 * topics[rng.integers(n_topics)]
        for lang in rng.permutation(LANGS)[: int(rng.integers(2, 6))]:
            if len(docs) == n_docs:
                break
            vectors = base + rng.normal(0, 0.5 / np.sqrt(dim), base.shape) + lang_offset[str(lang)]
            vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
            doc_id = f"syn{len(docs):06d}"
            docs.append(Document(doc_id, str(lang), "synthetic", ("",) * length, tuple(range(length))))
            embeddings[doc_id] = vectors
            gold[doc_id] = f"story{story}"
        story += 1
    return docs, embeddings, gold


def part_scale_one(n_docs: int, dim: int, seed: int, config: StoryConfig) -> dict:
    baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # interpreter and libraries
    # The candidate stage alone on full-size (768-d) synthetic document vectors: the FAISS part.
    rng = np.random.default_rng(seed)
    doc_vectors = rng.normal(size=(n_docs, 768)).astype(np.float32)
    doc_vectors /= np.linalg.norm(doc_vectors, axis=1, keepdims=True)
    started = time.perf_counter()
    candidate_pairs([LANGS[i % len(LANGS)] for i in range(n_docs)], doc_vectors, config)
    candidates_768 = time.perf_counter() - started
    del doc_vectors
    docs, embeddings, gold = synthetic_pile(n_docs, dim, seed)
    started = time.perf_counter()
    result = cluster_stories_detailed(docs, embeddings, config)
    seconds = time.perf_counter() - started
    pred = {d: s.story_id for s in result.stories for d in s.docs}
    return {
        "documents": n_docs,
        "dim": dim,
        "seconds": round(seconds, 2),
        "seconds_by_step": result.seconds,
        "candidate_search_768d_seconds": round(candidates_768, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_before_mb": round(baseline_mb, 1),
        "candidate_pairs": result.calibration.candidate_pairs,
        "pairs_per_document": round(result.calibration.candidate_pairs / n_docs, 2),
        "index": "exact" if n_docs / len(LANGS) <= config.exact_search_max else "IVF",
        "bcubed": bcubed(pred, gold),
    }


def part_scale(sizes: Sequence[int], dim: int, seed: int) -> list[dict]:
    out = []
    for n in sizes:
        cmd = [sys.executable, __file__, "--scale-one", str(n), "--dim", str(dim), "--seed", str(seed)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        out.append(json.loads(done.stdout))
        print(json.dumps(out[-1]), file=sys.stderr, flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=NTREX_DIR)
    parser.add_argument("--seeds", type=Path, default=SEEDS_DIR)
    parser.add_argument("--model", type=Path, default=default_model())
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--backend", choices=BACKENDS, default="auto")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--dim", type=int, default=64, help="dimension of the synthetic sentence vectors")
    parser.add_argument("--parts", default="ntrex,decoys,short,ablations,scale")
    parser.add_argument(
        "--max-stories",
        type=int,
        default=0,
        help="only the first N NTREX stories (file order, as --max-docs of bench_align.py)",
    )
    parser.add_argument(
        "--without-short-articles",
        action="store_true",
        help="score pairs by coverage alone (StoryConfig.short_articles off: the stories stage until 12-05)",
    )
    parser.add_argument(
        "--mode",
        choices=MODES,
        default="search",
        help="search: the stories stage on every document; first-look: as `aligner run` forms stories, "
        "compared with --encode-all",
    )
    parser.add_argument("--scale-one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--show-errors", action="store_true", help="print wrongly joined or split documents")
    args = parser.parse_args()
    config = StoryConfig(short_articles=not args.without_short_articles)
    if args.scale_one:
        print(json.dumps(part_scale_one(args.scale_one, args.dim, args.seed, config)))
        return
    parts = set(args.parts.split(","))
    report: dict = {"config": asdict(config)}
    if parts & {"ntrex", "decoys", "short", "ablations"}:
        embedder = load_embedder(args.model, args.backend)
        stories = ntrex_stories(args.data)
        if args.max_stories:
            stories = {name: stories[name] for name in list(stories)[: args.max_stories]}
        mode = args.mode
        if "ntrex" in parts:
            seeds = seed_documents(args.seeds)
            report["ntrex"] = part_ntrex(stories, seeds, embedder.embed, config, args.seed, mode)
        if "decoys" in parts:
            report["decoys"] = part_decoys(stories, embedder.embed, config, args.seed, mode=mode)
            report["decoys_halves"] = part_decoys(stories, embedder.embed, config, args.seed, 2, mode)
        if "short" in parts:
            report["short"] = part_short(stories, embedder.embed, config, args.seed, mode)
        if "ablations" in parts:
            seeds = seed_documents(args.seeds)
            for label, changed in ABLATIONS.items():
                out = part_ntrex(stories, seeds, embedder.embed, replace(config, **changed), args.seed)
                keep = ("candidate_recall", "bcubed", "pairwise", "weakest_gold_pair", "strongest_wrong_pair")
                report.setdefault("ablations", {})[label] = {k: out[k] for k in keep}
        for name in ("ntrex", "decoys", "decoys_halves", "short"):
            if name in report:
                if args.show_errors:
                    show_errors(name, report[name])
                report[name] = {k: v for k, v in report[name].items() if not k.startswith("_")}
    if "scale" in parts:
        report["scale"] = part_scale([int(s) for s in args.sizes.split(",")], args.dim, args.seed)
    print(json.dumps(report, indent=2, ensure_ascii=False))


def show_errors(part: str, out: dict) -> None:
    pred, gold, names, result = out["_pred"], out["_gold"], out["_names"], out["_result"]
    for story in result.stories:
        labels = {gold[d] for d in story.docs}
        if len(labels) > 1:
            print(f"[{part}] mixed {story.story_id}: {[names[d] for d in story.docs]}", file=sys.stderr)
            for reason in story.reasons:
                print("    " + reason, file=sys.stderr)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for doc, label in gold.items():
        by_gold[label].add(pred[doc])
    for label, got in sorted(by_gold.items()):
        if len(got) > 1:
            print(f"[{part}] split {label}: {len(got)} stories", file=sys.stderr)


if __name__ == "__main__":
    main()
