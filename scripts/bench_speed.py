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
Absolute seconds vary between machines; ratios are measured within one run.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("en", "ru", "uk", "ur", "ar")


def build_pile(ntrex: Path, docs: int, copies: int, folder: Path) -> int:
    """Write ``docs`` NTREX documents in each language (``copies`` times) as files; return sentences."""
    ids = (ntrex / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    order = list(dict.fromkeys(ids))[:docs]
    lines = {lang: (ntrex / f"{lang}.txt").read_text(encoding="utf-8").splitlines() for lang in LANGS}
    count = 0
    folder.mkdir(parents=True, exist_ok=True)
    for copy in range(copies):
        for lang in LANGS:
            by_doc: dict[str, list[str]] = defaultdict(list)
            for index, (doc_id, line) in enumerate(zip(ids, lines[lang], strict=True)):
                # A light change per copy: a reference number in front of each line, the same in every
                # language of one copy and different between copies, so each copy is a story of its own
                # (its numbers agree only within the copy) and no text is in the cache twice.
                by_doc[doc_id].append(f"({copy * 10000 + index}) {line}" if copy else line)
            for doc_id in order:
                (folder / f"{lang}.{doc_id}.c{copy}.txt").write_text(
                    "\n".join(by_doc[doc_id]) + "\n", encoding="utf-8"
                )
                count += len(by_doc[doc_id])
    return count


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def worker(args: argparse.Namespace) -> dict:
    """One measurement in this process; prints a JSON line."""
    sys.path.insert(0, str(ROOT))
    from aligner.align import AlignConfig
    from aligner.embed import Embedder, EmbeddingCache, load_encoder
    from aligner.pipeline import RunOptions, prepare_documents, run

    pile = Path(args.pile)
    if args.worker == "quantize":
        return quantize_worker(pile, args.threads)
    encoder = load_encoder(threads=args.threads)
    out: dict = {"scenario": args.worker}
    if args.worker in ("cold", "upfront"):
        documents, _ = prepare_documents([pile])
        distinct = list(dict.fromkeys(s for d in documents for s in d.sentences))
        floor = Embedder(encoder, None, progress=False)
        floor.embed(distinct[-64:])  # load the model and warm up (one full batch) outside the timed part
        floor = Embedder(encoder, None, progress=False)
        start = time.perf_counter()
        floor.embed(distinct)
        out["floor_seconds"] = round(time.perf_counter() - start, 2)
        out["distinct_sentences"] = len(distinct)
    options = RunOptions(align=AlignConfig(overlaps_upfront=args.worker == "upfront"))
    embedder = Embedder(encoder, EmbeddingCache(Path(args.cache) / "embeddings.sqlite"), progress=False)
    start = time.perf_counter()
    result = run([pile], Path(args.out), embedder, options, force=True, jobs=args.jobs)
    out["run_seconds"] = round(time.perf_counter() - start, 2)
    out["stages"] = result.manifest["timings"]
    out["counts"] = result.manifest["counts"]
    out["model_loaded"] = getattr(encoder, "loaded", True)
    if "floor_seconds" in out:
        out["run_over_floor"] = round(out["run_seconds"] / out["floor_seconds"], 3)
    out["peak_rss_mb"] = peak_rss_mb()
    out["peak_rss_align_workers_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    return out


def quantize_worker(pile: Path, threads: int | None) -> dict:
    import numpy as np

    from aligner.embed import Embedder, load_encoder
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
        "--cache",
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
    parser.add_argument("--ntrex", type=Path, default=ROOT.parent / "shared" / "data" / "ntrex")
    parser.add_argument("--docs", type=int, default=20, help="NTREX documents per language (123 = all)")
    parser.add_argument("--scales", default="1,2,4", help="growth: copies of the pile")
    parser.add_argument("--parts", default="cold,upfront,warm,quantize,growth")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument(
        "--jobs", type=int, default=0, help="worker processes for aligning stories (0 = auto, as aligner run)"
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--backends", action="store_true", help="measure every encoder runtime (only that)")
    parser.add_argument("--per-language", type=int, default=40, help="--backends: NTREX sentences a language")
    parser.add_argument("--rounds", type=int, default=2, help="--backends: passes over the texts")
    parser.add_argument("--variants", default=None, help="--backends: comma-separated (default: all)")
    parser.add_argument("--together", type=int, default=3, help="--backends: variants loaded at once")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--pile", help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args)))
        return
    if args.backends:
        sys.path.insert(0, str(ROOT))
        from speed_backends import VARIANTS, measure_backends

        variants = args.variants.split(",") if args.variants else list(VARIANTS)
        report = measure_backends(
            args.ntrex, ROOT / "seeds", args.per_language, variants, args.threads, args.rounds, args.together
        )
        report["machine"] = f"{platform.machine()}, {platform.python_version()}"
        text = json.dumps(report, indent=1)
        print(text)
        if args.json:
            args.json.write_text(text + "\n")
        return

    parts = args.parts.split(",")
    report: dict = {
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "docs_per_language": args.docs,
    }
    with tempfile.TemporaryDirectory(prefix="bench-speed-") as tmp:
        work = Path(tmp)

        def run_part(scenario: str, pile: Path, cache: Path) -> dict:
            return measure(scenario, pile, cache, work, args.threads, args.jobs)

        pile = work / "pile"
        report["sentences"] = build_pile(args.ntrex, args.docs, 1, pile)
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
    text = json.dumps(report, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
