"""Does the first look change what a run writes? `aligner run` with the first look (the default) against
`--encode-all`, file for file, on real piles.

    .venv/bin/python scripts/bench_first_look.py                      # seeds, NTREX + seeds, decoys
    .venv/bin/python scripts/bench_first_look.py --piles seeds,crawl --crawl-seeds 0,1,2

Piles: ``seeds`` (the five seed articles), ``ntrex`` (the 615 NTREX documents and the seeds), ``decoys``
(NTREX with one language of each story replaced by a same-topic decoy: thirds of three other articles of
the same source, as part ``decoys`` of scripts/bench_stories.py), ``crawl`` (the crawl-like pile of
scripts/bench_speed.py: ``--crawl-stories`` stories in five languages, 80% singletons, one pile per
``--crawl-seeds`` draw). Each pile is run twice by ``aligner.pipeline.run`` with the embedding cache
given (``--cache``, default the user's: warm for NTREX once encoded; the cost figure is the texts each
mode needed, which does not depend on the cache), and the three record files that hold the run's
results (stories.json, alignments.jsonl, numbers.jsonl) are compared byte for byte. JSON on stdout.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

from bench_speed import build_crawl_pile
from bench_stories import decoy, decoy_plan
from harness import LANGUAGES, NTREX_DIR, SEEDS_DIR, default_model, load_model, machine, ntrex_stories

from aligner.embedding.cache import EmbeddingCache
from aligner.embedding.embedder import Embedder
from aligner.pipeline import RunOptions, run

RECORDS = ("stories.json", "alignments.jsonl", "numbers.jsonl")


def write_documents(folder: Path, documents: dict[str, list[str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in documents.items():
        (folder / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def seeds_pile(folder: Path) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        (folder / path.name).write_bytes(path.read_bytes())
    return {}


def ntrex_pile(folder: Path, ntrex: Path) -> dict[str, str]:
    stories = ntrex_stories(ntrex)
    write_documents(
        folder, {f"{lang}.{name}": by[lang] for name, by in stories.items() for lang in LANGUAGES}
    )
    seeds_pile(folder)
    return {f"{lang}.{name}": name for name in stories for lang in LANGUAGES}


def decoys_pile(folder: Path, ntrex: Path, embed) -> dict[str, str]:
    stories = ntrex_stories(ntrex)
    plan = decoy_plan(stories, embed)
    documents, gold = {}, {}
    for number, name in enumerate(sorted(stories)):
        removed = LANGUAGES[number % len(LANGUAGES)] if name in plan else None
        for lang in LANGUAGES:
            if lang != removed:
                documents[f"{lang}.{name}"], gold[f"{lang}.{name}"] = stories[name][lang], name
        if removed:
            key = f"{removed}.decoy-{name}"
            documents[key], gold[key] = decoy(stories, plan[name], removed), key
    write_documents(folder, documents)
    return gold


def run_both(folder: Path, embedder: Embedder, work: Path) -> dict:
    out: dict = {}
    for mode, story_first in (("first_look", True), ("encode_all", False)):
        before = len(embedder.store)
        started = time.perf_counter()
        result = run([folder], work / mode, embedder, RunOptions(story_first=story_first), force=True)
        seconds = round(time.perf_counter() - started, 2)
        sentences = result.manifest["counts"]["sentences"]
        needed = result.manifest["counts"]["first_look"]["sentences_encoded"]
        out[mode] = {
            "seconds": seconds,
            "documents": result.manifest["counts"]["documents"],
            "stories_of_two_or_more": sum(len(s.docs) > 1 for s in result.stories),
            "units": len(result.units),
            "sentences": sentences,
            "sentences_encoded_for_stories": needed,
            "sentences_encoded_per_sentence": round(needed / sentences, 4) if sentences else 0.0,
            "texts_new_to_the_store": len(embedder.store) - before,
            "sha256": {
                name: hashlib.sha256((work / mode / name).read_bytes()).hexdigest() for name in RECORDS
            },
            "stories": [list(s.docs) for s in result.stories if len(s.docs) > 1],
        }
    first, every = out["first_look"], out["encode_all"]
    out["same_files"] = {name: first["sha256"][name] == every["sha256"][name] for name in RECORDS}
    out["stories_only_in_first_look"] = [s for s in first["stories"] if s not in every["stories"]]
    out["stories_only_in_encode_all"] = [s for s in every["stories"] if s not in first["stories"]]
    for mode in ("first_look", "encode_all"):
        del out[mode]["stories"], out[mode]["sha256"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--piles", default="seeds,ntrex,decoys")
    parser.add_argument("--ntrex", type=Path, default=NTREX_DIR)
    parser.add_argument("--model", type=Path, default=default_model())
    parser.add_argument("--cache", type=Path, help="embedding cache file (default: the user's)")
    parser.add_argument("--crawl-stories", type=int, default=6)
    parser.add_argument("--crawl-seeds", default="0")
    args = parser.parse_args()
    encoder, cache = load_model(args.model)
    if args.cache:
        cache = EmbeddingCache(args.cache)
    embedder = Embedder(encoder, cache, progress=False)
    report: dict = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        for pile in args.piles.split(","):
            seeds = args.crawl_seeds.split(",") if pile == "crawl" else [""]
            for seed in seeds:
                label = f"{pile}{seed}"
                folder = work / label / "in"
                if pile == "seeds":
                    seeds_pile(folder)
                elif pile == "ntrex":
                    ntrex_pile(folder, args.ntrex)
                elif pile == "decoys":
                    decoys_pile(folder, args.ntrex, embedder.embed)
                elif pile == "crawl":
                    build_crawl_pile(args.ntrex, args.crawl_stories, int(seed), folder)
                else:
                    sys.exit(f"unknown pile {pile}")
                report[label] = run_both(folder, embedder, work / label)
                print(label, json.dumps(report[label]), file=sys.stderr, flush=True)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
