"""Speed and memory of `aligner run` against the floor of encoding each distinct sentence once.

    .venv/bin/python scripts/bench_speed.py                 # default pile: 20 NTREX documents x 5 languages
    .venv/bin/python scripts/bench_speed.py --docs 123      # the whole of NTREX (615 documents)

Every measurement runs in a fresh process (its own peak RSS), with its own empty embedding cache
unless it is the warm run:
1. cold: in one process, the floor (every distinct sentence of the pile encoded once, no cache)
   and then the whole run (`aligner.pipeline.run` with an empty cache); stage timings, encoded
   texts per input sentence, peak RSS, and the ratio run / floor.
2. upfront: the same with every concatenation of up to 4 sentences encoded up front
   (Bertalign/Vecalign style, `AlignConfig(overlaps_upfront=True)`), same code, same machine.
3. warm: the cold run again on its now-filled cache; speed-up = cold run time / warm run time
   (the model is loaded lazily, so a fully cached run never loads it).
4. quantize: the same sentences (at most 600) encoded by the float32 model and by its dynamic
   int8 quantization (`--quantize`), each after a warm-up batch: sentences per second and the
   cosine between the two vectors of each sentence (alignment quality: `bench_align.py --quantize`).
5. backends (`--backends`, alone): every encoder runtime (ONNX Runtime at each graph optimization
   level, OpenVINO pinned and not, int8 dynamic and static, tokens-per-batch against fixed batches)
   interleaved batch by batch with float32 torch in one process; see scripts/speed_backends.py.
6. growth: 1x, 2x, 4x the pile, each copy with a light change in every sentence so the cache
   cannot hide the work; time and peak RSS per scale.
6. crawl (``--parts crawl``): a crawl-like pile, ``--crawl-stories`` NTREX stories in five
   languages and every other NTREX story as a singleton in one language (about 80% singletons at 6),
   run with everything encoded first (``story_first=False``) and with the first look, each in a
   fresh process with its own empty cache (``--cache DIR``: a filled cache instead; then the cost is
   the texts the run needed, which an empty cache would have encoded): texts encoded, seconds,
   stories and units compared document by document.
7. firstlook (``--parts firstlook``): the first look alone on the whole NTREX pile (every document has
   its translations): documents left out, translations found as candidates, lead sentences encoded.
Absolute seconds vary between machines; ratios are measured within one run.

    .venv/bin/python scripts/bench_speed.py --parts crawl --crawl-stories 6
    .venv/bin/python scripts/bench_speed.py --parts cold,warm --pile-kind crawl --crawl-stories 3 --jobs 1
    .venv/bin/python scripts/bench_speed.py --parts firstlook --docs 123
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from harness import LANGUAGES as LANGS
from harness import NTREX_DIR, ROOT, SEEDS_DIR, build_pile, load_average, machine, ntrex_lines


def build_crawl_pile(ntrex: Path, translated: int, seed: int, folder: Path) -> dict:
    """A crawl-like pile: ``translated`` NTREX stories in all five languages, and other NTREX stories
    as one document in one language each (its translations left out), so they have no partner.

    Four singletons per translated document (80%), up to the 123 - ``translated`` other stories
    (``translated=6``: 117 of 147 documents). The stories are drawn with ``seed``; the singletons
    are the first other stories in file order, their languages rotating en, ru, uk, ur, ar.
    Returns the gold: file stem -> NTREX story id (every singleton its own story).
    """
    ids, lines = ntrex_lines(ntrex)
    order = list(dict.fromkeys(ids))
    chosen = set(random.Random(seed).sample(order, translated))
    by_doc: dict[tuple[str, str], list[str]] = defaultdict(list)
    for lang in LANGS:
        for doc_id, line in zip(ids, lines[lang], strict=True):
            by_doc[(lang, doc_id)].append(line)
    folder.mkdir(parents=True, exist_ok=True)
    gold = {}
    # Four singletons per translated document (80%), as many as the other stories allow.
    singles = [doc_id for doc_id in order if doc_id not in chosen][: 4 * len(LANGS) * translated]
    wanted = [(lang, doc_id) for doc_id in order if doc_id in chosen for lang in LANGS]
    wanted += [(LANGS[n % len(LANGS)], doc_id) for n, doc_id in enumerate(singles)]
    for lang, doc_id in wanted:
        stem = f"{lang}.{doc_id}"
        (folder / f"{stem}.txt").write_text("\n".join(by_doc[(lang, doc_id)]) + "\n", encoding="utf-8")
        gold[stem] = doc_id
    return gold


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def worker(args: argparse.Namespace) -> dict:
    """One measurement in this process; prints a JSON line."""
    from aligner.align import AlignConfig
    from aligner.embedding.cache import EmbeddingCache
    from aligner.embedding.embedder import Embedder
    from aligner.embedding.encoder import load_encoder
    from aligner.pipeline import RunOptions, prepare_documents, run

    pile = Path(args.pile)
    if args.worker == "quantize":
        return quantize_worker(pile, args.threads)
    if args.worker in ("crawl-off", "crawl-on"):
        return crawl_worker(args)
    if args.worker == "firstlook":
        return first_look_worker(args)
    if args.worker == "crawl-count":
        return crawl_count_worker(args)
    encoder = load_encoder(threads=args.threads)
    out: dict = {"scenario": args.worker}
    if args.worker in ("cold", "upfront"):
        documents, _ = prepare_documents([pile])
        distinct = list(dict.fromkeys(s for d in documents for s in d.sentences))
        floor = Embedder(encoder, None, progress=False)
        floor.embed(distinct[-64:])  # load the model and warm up (one full batch) outside the timed part
        floor = Embedder(encoder, None, progress=False)
        out["load_before_floor"] = load_average()
        start = time.perf_counter()
        floor.embed(distinct)
        out["floor_seconds"] = round(time.perf_counter() - start, 2)
        out["distinct_sentences"] = len(distinct)
    options = RunOptions(align=AlignConfig(overlaps_upfront=args.worker == "upfront"))
    embedder = Embedder(encoder, EmbeddingCache(Path(args.cache) / "embeddings.sqlite"), progress=False)
    out["load_before_run"] = load_average()
    start = time.perf_counter()
    result = run([pile], Path(args.out), embedder, options, force=True, jobs=args.jobs)
    out["run_seconds"] = round(time.perf_counter() - start, 2)
    out["load_after_run"] = load_average()
    out["encoded_texts"] = result.manifest["execution"]["encoded_texts"]
    out["stages"] = result.manifest["timings"]
    out["counts"] = result.manifest["counts"]
    out["model_loaded"] = getattr(encoder, "loaded", True)
    if "floor_seconds" in out:
        out["run_over_floor"] = round(out["run_seconds"] / out["floor_seconds"], 3)
    out["peak_rss_mb"] = peak_rss_mb()
    out["peak_rss_align_workers_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    return out


def crawl_worker(args: argparse.Namespace) -> dict:
    """One run of the crawl pile, first look on or off: cost, and what it found, story by story."""
    import hashlib

    from aligner.embedding.cache import EmbeddingCache
    from aligner.embedding.embedder import Embedder
    from aligner.embedding.encoder import load_encoder
    from aligner.pipeline import RunOptions, process, write_run

    story_first = args.worker == "crawl-on"
    encoder = load_encoder(threads=args.threads)
    embedder = Embedder(encoder, EmbeddingCache(Path(args.cache) / "embeddings.sqlite"), progress=False)
    load_before = load_average()
    start = time.perf_counter()
    result = process([Path(args.pile)], embedder, RunOptions(story_first=story_first), jobs=args.jobs)
    seconds = round(time.perf_counter() - start, 2)
    with tempfile.TemporaryDirectory() as folder:  # the files the two modes must write alike
        written = write_run(result, Path(folder) / "out")
        files = {
            name: hashlib.sha256((written / name).read_bytes()).hexdigest()
            for name in ("stories.json", "alignments.jsonl", "numbers.jsonl")
        }
    units: dict[str, list] = defaultdict(list)
    for unit in result.units:
        plain = {doc: list(segment.sentences) for doc, segment in sorted(unit.segments.items())}
        units[unit.story_id].append({"segments": plain, "score": unit.score, "pairs": unit.pair_scores})
    stories = {}
    for story in result.stories:
        beads = units[story.story_id]
        stories[story.story_id] = {
            "docs": list(story.docs),
            "segments": hashlib.sha256(json.dumps([u["segments"] for u in beads]).encode()).hexdigest()[:16],
            "score": story.score,
            "units": beads,
        }
    return {
        "scenario": args.worker,
        "run_seconds": seconds,
        "load_before": load_before,
        "load_after": load_average(),
        # Every distinct text the run needed a vector for: what an empty cache encodes (load-independent).
        "texts_needed": len(embedder.store),
        "encoded_texts": result.manifest["execution"]["encoded_texts"],
        "encoded_per_sentence": result.manifest["execution"]["encoded_per_sentence"],
        "files_sha256": files,
        "counts": result.manifest["counts"],
        "stages": result.manifest["timings"],
        "calibration": result.manifest["stories_calibration"],
        "stories": stories,
        "peak_rss_mb": peak_rss_mb(),
    }


def first_look_worker(args: argparse.Namespace) -> dict:
    """The first look on a pile where every document has translations: who is left out, who is found."""
    from aligner.embedding.cache import EmbeddingCache
    from aligner.embedding.embedder import Embedder
    from aligner.embedding.encoder import load_encoder
    from aligner.pipeline import prepare_documents
    from aligner.stories.first_look import FirstLookConfig, first_look, lead

    documents, _ = prepare_documents([Path(args.pile)])
    config = FirstLookConfig()
    cache = EmbeddingCache(Path(args.cache) / "embeddings.sqlite")
    embedder = Embedder(load_encoder(threads=args.threads), cache, progress=False)
    look = first_look(documents, embedder, config)
    story_of = {d.doc_id: d.doc_id.split(".", 1)[1] for d in documents}  # lang.STORY.c0
    gold = {
        (a.doc_id, b.doc_id)
        for a in documents
        for b in documents
        if a.doc_id < b.doc_id and story_of[a.doc_id] == story_of[b.doc_id]
    }
    found = {(c.a, c.b) for c in look.candidates}
    lead_sims = sorted(c.lead_similarity for c in look.candidates if (c.a, c.b) in gold)
    wrong = sorted(c.lead_similarity for c in look.candidates if (c.a, c.b) not in gold)
    return {
        "scenario": "firstlook",
        "documents": len(documents),
        "documents_in_play": len(look.full),
        "documents_left_out": sorted(d.doc_id for d in documents if d.doc_id not in look.full),
        "gold_pairs": len(gold),
        "gold_pairs_found": len(gold & found),
        "candidates": len(found),
        "candidates_not_gold": len(found - gold),
        "gold_found_by_keys_only": sum(
            1 for c in look.candidates if (c.a, c.b) in gold and not c.lead_similarity
        ),
        "weakest_gold_lead_similarity": lead_sims[:5],
        "strongest_wrong_lead_similarity": wrong[-5:],
        "lead_sentences": look.lead_sentences,
        "sentences": sum(len(d.sentences) for d in documents),
        "lead_per_document": round(sum(len(lead(d, config)) for d in documents) / len(documents), 3),
    }


def crawl_count_worker(args: argparse.Namespace) -> dict:
    """The first look alone on the crawl pile: the exact sentences each mode needs encoded for its stories.

    Only the leads are encoded, so this counts a pile too big to encode twice; the align stage's
    concatenations (about 5% more on NTREX) come on top in both modes.
    """
    from aligner.embedding.cache import EmbeddingCache
    from aligner.embedding.embedder import Embedder
    from aligner.embedding.encoder import load_encoder
    from aligner.languages.scripts import content_length
    from aligner.pipeline import prepare_documents
    from aligner.stories.first_look import FirstLook, FirstLookConfig, first_look, lead, sentences_needed

    gold = json.loads(Path(args.out).read_text())
    documents, _ = prepare_documents([Path(args.pile)])
    config = FirstLookConfig()
    cache = EmbeddingCache(Path(args.cache) / "embeddings.sqlite")
    embedder = Embedder(load_encoder(threads=args.threads), cache, progress=False)
    look = first_look(documents, embedder, config)
    partners = defaultdict(int)
    for story in gold.values():
        partners[story] += 1
    translated = {doc for doc, story in gold.items() if partners[story] > 1}
    everything = {s for d in documents for s in d.sentences}
    needed = sentences_needed(documents, look, config)
    floor = sentences_needed(documents, FirstLook(frozenset(translated), (), 0), config)
    characters = sum(content_length(s) for s in everything)
    lead_or_all = {s for d in documents for s in (d.sentences if d.doc_id in look.full else lead(d, config))}
    return {
        "scenario": "crawl-count",
        "documents": len(documents),
        "translated_documents": len(translated),
        "translated_in_play": len(translated & look.full),
        "singletons_in_play": sorted(look.full - translated),
        "sentences": len(everything),
        "sentences_needed_on": needed,
        "sentences_ratio_on_over_off": round(needed / len(everything), 3),
        "characters_ratio_on_over_off": round(sum(content_length(s) for s in lead_or_all) / characters, 3),
        # With no singleton in play: the documents with translations in full, the others' leads.
        "floor_ratio": round(floor / len(everything), 3),
        "translated_sentence_share": round(
            len({s for d in documents if d.doc_id in translated for s in d.sentences}) / len(everything), 3
        ),
        "lead_sentences": look.lead_sentences,
        "encoded_texts": embedder.encoded_texts,
    }


def compare_crawl(off: dict, on: dict, gold: dict[str, str]) -> dict:
    """The two runs story by story: every document's story and the units of the stories it is in."""
    story_of = {
        mode: {doc: sid for sid, s in run["stories"].items() for doc in s["docs"]}
        for mode, run in (("off", off), ("on", on))
    }
    partners = defaultdict(int)
    for story in gold.values():
        partners[story] += 1
    translated = sorted(doc for doc, story in gold.items() if partners[story] > 1)
    changed, score_shift = [], 0.0
    for doc in sorted(gold):
        a, b = off["stories"][story_of["off"][doc]], on["stories"][story_of["on"][doc]]
        if a["docs"] != b["docs"] or a["segments"] != b["segments"]:
            changed.append({"doc": doc, "translated": doc in translated, "off": a["docs"], "on": b["docs"]})
            continue
        # Same documents, same sentences in every unit: the scores can still move in the last digits
        # when the vectors came from different encoder batches (cold runs of two different piles).
        for unit_a, unit_b in zip(a["units"], b["units"], strict=True):
            score_shift = max(score_shift, abs(unit_a["score"] - unit_b["score"]))
    return {
        "documents": len(gold),
        "translated_documents": len(translated),
        "singletons": len(gold) - len(translated),
        "same_stories_and_units": not changed,  # documents of each story, sentences of each unit
        "same_files": {
            name: on["files_sha256"][name] == digest for name, digest in off["files_sha256"].items()
        },
        "encoded_per_sentence": {"off": off["encoded_per_sentence"], "on": on["encoded_per_sentence"]},
        "changed": changed,
        "largest_unit_score_difference": score_shift,
        # A story's score is its weakest join, counted at the calibrated sentence bar: the bar is
        # calibrated on the documents in play, so it can differ when the members do not.
        "story_scores": [
            {"docs": s["docs"], "off": s["score"], "on": on["stories"][story_of["on"][s["docs"][0]]]["score"]}
            for s in off["stories"].values()
            if len(s["docs"]) > 1
        ],
        "texts_ratio_on_over_off": round(on["texts_needed"] / off["texts_needed"], 3),
        "encoded_ratio_on_over_off": round(on["encoded_texts"] / off["encoded_texts"], 3)
        if off["encoded_texts"]
        else None,
        "seconds_ratio_on_over_off": round(on["run_seconds"] / off["run_seconds"], 3),
    }


def quantize_worker(pile: Path, threads: int | None) -> dict:
    import numpy as np

    from aligner.embedding.embedder import Embedder
    from aligner.embedding.encoder import load_encoder
    from aligner.pipeline import prepare_documents

    documents, _ = prepare_documents([pile])
    distinct = list(dict.fromkeys(s for d in documents for s in d.sentences))[:600]
    out: dict = {"scenario": "quantize", "sentences": len(distinct)}
    vectors = {}
    for label, quantize in (("float32", False), ("int8", True)):
        encoder = load_encoder(threads=threads, quantize=quantize)
        Embedder(encoder, None, progress=False).embed(distinct[-64:])  # load and warm up, untimed
        start = time.perf_counter()
        vectors[label] = Embedder(encoder, None, progress=False).embed(distinct)
        seconds = time.perf_counter() - start
        out[f"{label}_sentences_per_second"] = round(len(distinct) / seconds, 2)
    cosines = np.sum(vectors["float32"] * vectors["int8"], axis=1)
    out["int8_speedup"] = round(out["int8_sentences_per_second"] / out["float32_sentences_per_second"], 3)
    out["cosine_float32_int8"] = {
        "mean": round(float(cosines.mean()), 4),
        "min": round(float(cosines.min()), 4),
        "p05": round(float(np.percentile(cosines, 5)), 4),
    }
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def measure(scenario: str, pile: Path, cache: Path, work: Path, threads: int | None, jobs: int = 0) -> dict:
    command = [
        sys.executable,
        __file__,
        "--worker",
        scenario,
        "--pile",
        str(pile),
        "--worker-cache",
        str(cache),
        "--out",
        str(work / f"out-{scenario}"),
    ]
    if threads:
        command += ["--threads", str(threads)]
    command += ["--jobs", str(jobs)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"{scenario} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ntrex", type=Path, default=NTREX_DIR)
    parser.add_argument("--docs", type=int, default=20, help="NTREX documents per language (123 = all)")
    parser.add_argument("--scales", default="1,2,4", help="growth: copies of the pile")
    parser.add_argument("--parts", default="cold,upfront,warm,quantize,growth")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument(
        "--jobs", type=int, default=0, help="worker processes for aligning stories (0 = auto, as aligner run)"
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument(
        "--crawl-stories", type=int, default=6, help="crawl: NTREX stories kept in 5 languages"
    )
    parser.add_argument("--crawl-seed", type=int, default=0, help="crawl: which stories (random.Random seed)")
    parser.add_argument(
        "--pile-kind",
        choices=("ntrex", "crawl"),
        default="ntrex",
        help="the pile of cold, upfront and warm: NTREX (--docs) or crawl-like (--crawl-stories)",
    )
    parser.add_argument(
        "--cache",
        dest="crawl_cache",
        type=Path,
        default=None,
        help="crawl, firstlook: this cache folder for every run (default: a new empty one per run: cold)",
    )
    parser.add_argument("--backends", action="store_true", help="measure every encoder runtime (only that)")
    parser.add_argument("--per-language", type=int, default=40, help="--backends: NTREX sentences a language")
    parser.add_argument("--rounds", type=int, default=2, help="--backends: passes over the texts")
    parser.add_argument("--variants", default=None, help="--backends: comma-separated (default: all)")
    parser.add_argument("--together", type=int, default=3, help="--backends: variants loaded at once")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--pile", help=argparse.SUPPRESS)
    parser.add_argument("--worker-cache", dest="cache", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args)))
        return
    if args.backends:
        from speed_backends import VARIANTS, measure_backends

        variants = args.variants.split(",") if args.variants else list(VARIANTS)
        report = measure_backends(
            args.ntrex, SEEDS_DIR, args.per_language, variants, args.threads, args.rounds, args.together
        )
        report["machine"] = machine()
        text = json.dumps(report, indent=1)
        print(text)
        if args.json:
            args.json.write_text(text + "\n")
        return

    parts = args.parts.split(",")
    report: dict = {
        "machine": machine(),
        "docs_per_language": args.docs,
    }
    with tempfile.TemporaryDirectory(prefix="bench-speed-") as tmp:
        work = Path(tmp)

        def run_part(scenario: str, pile: Path, cache: Path) -> dict:
            return measure(scenario, pile, cache, work, args.threads, args.jobs)

        pile = work / "pile"
        if args.pile_kind == "crawl":  # cold and warm on the crawl-like pile instead of the NTREX one
            gold = build_crawl_pile(args.ntrex, args.crawl_stories, args.crawl_seed, pile)
            report["pile"] = {"kind": "crawl", "documents": len(gold), "stories": args.crawl_stories}
            report["sentences"] = sum(len(p.read_text().splitlines()) for p in pile.glob("*.txt"))
        else:
            report["sentences"] = build_pile(args.ntrex, args.docs, 1, pile)
        report["jobs"] = args.jobs
        cold_cache = work / "cache-cold"
        if "cold" in parts or "warm" in parts:
            report["cold"] = run_part("cold", pile, cold_cache)
            print(json.dumps(report["cold"]), file=sys.stderr)
        if "upfront" in parts:
            report["upfront"] = run_part("upfront", pile, work / "cache-upfront")
            if "cold" in report:
                report["upfront_over_cold"] = round(
                    report["upfront"]["run_seconds"] / report["cold"]["run_seconds"], 3
                )
            print(json.dumps(report["upfront"]), file=sys.stderr)
        if "warm" in parts:
            report["warm"] = run_part("warm", pile, cold_cache)
            report["warm_speedup"] = round(report["cold"]["run_seconds"] / report["warm"]["run_seconds"], 2)
            print(json.dumps(report["warm"]), file=sys.stderr)
        if "quantize" in parts:
            report["quantize"] = run_part("quantize", pile, work / "cache-unused")
            print(json.dumps(report["quantize"]), file=sys.stderr)
        if "growth" in parts:
            report["growth"] = []
            for scale in (int(s) for s in args.scales.split(",")):
                grown = work / f"pile-x{scale}"
                sentences = build_pile(args.ntrex, args.docs, scale, grown)
                figures = run_part("growth", grown, work / f"cache-x{scale}")
                figures.update(scale=scale, sentences=sentences)
                report["growth"].append(figures)
                print(json.dumps(figures), file=sys.stderr)
        if "crawl" in parts:
            crawl = work / "crawl"
            gold = build_crawl_pile(args.ntrex, args.crawl_stories, args.crawl_seed, crawl)
            report["crawl_pile"] = {
                "documents": len(gold),
                "stories": args.crawl_stories,
                "seed": args.crawl_seed,
            }
            report["load_start"] = load_average()
            runs = {}
            for mode in ("off", "on"):
                cache = args.crawl_cache or work / f"cache-crawl-{mode}"
                runs[mode] = run_part(f"crawl-{mode}", crawl, cache)
                print(json.dumps({k: v for k, v in runs[mode].items() if k != "stories"}), file=sys.stderr)
            report["crawl"] = {
                "off": runs["off"],
                "on": runs["on"],
                **compare_crawl(runs["off"], runs["on"], gold),
            }
        if "crawl-count" in parts:
            crawl = work / "crawl-count"
            gold = build_crawl_pile(args.ntrex, args.crawl_stories, args.crawl_seed, crawl)
            gold_file = work / "crawl-count-gold.json"
            gold_file.write_text(json.dumps(gold))
            cache = args.crawl_cache or work / "cache-crawl-count"
            command = [sys.executable, __file__, "--worker", "crawl-count", "--pile", str(crawl)]
            command += ["--worker-cache", str(cache), "--out", str(gold_file)]
            done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
            if done.returncode != 0:
                raise SystemExit(f"crawl-count failed:\n{done.stderr[-3000:]}")
            report["crawl_count"] = json.loads(done.stdout.strip().splitlines()[-1])
            report["crawl_count"].update(stories=args.crawl_stories, seed=args.crawl_seed)
            print(json.dumps(report["crawl_count"]), file=sys.stderr)
        if "firstlook" in parts:
            cache = args.crawl_cache or work / "cache-firstlook"
            report["firstlook"] = run_part("firstlook", pile, cache)
            print(json.dumps(report["firstlook"]), file=sys.stderr)
    text = json.dumps(report, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
