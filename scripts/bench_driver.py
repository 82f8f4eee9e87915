"""What the driver of a Ray run holds per document, on synthetic crawl-like piles of 3k to 100k documents.

    .venv/bin/python scripts/bench_driver.py --sizes 3000,10000,30000 [--json bench_driver.json]
    .venv/bin/python scripts/bench_driver.py --sizes 100000 --previous bench_driver.json --json all.json

Each size is one ``aligner.pipeline.run`` with ``engine="ray"`` (a local cluster started by the run) in a
fresh process, one sentence a line (``presplit``). The pile is one ``.jsonl.gz`` record file (id and text,
languages detected), written from NTREX: a fifth of the documents are a story in two languages (an NTREX
document and its translation), the rest an NTREX document in one language with no translation; every
document carries its own reference number in front of each line, so no two documents share a text and
none is in any cache.

The encoder is a test double, not a model (``LineOracle``): it knows which NTREX line a sentence is and
gives the same random unit vector (768 dimensions) to a line and its translations under one reference
number, so stories are found and aligned as a model would find them, at a hundred times a model's speed.
It measures costs only, never quality.

Measured per size: wall time per stage (the manifest's timings), the driver's peak RSS, the size of the
driver's own vector store (its rows times 768 floats: its memory-mapped file is unlinked as soon as it is
made, so no folder shows it; empty since the actors write to the shard store and the tasks read there),
the units and findings spooled on the driver's disk until written (an unlinked file each), the text
shards the read tasks write into the store (measured before the run's engine removes them), the shard
store the actors write and the tasks read (``--store``), and the output folder. Per
document: the difference between two sizes divided by the difference in documents, so the fixed costs
(Python, Ray's client) drop out. Growth: the exponent of a least-squares fit of log(seconds) on
log(documents), per stage.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from harness import LANGUAGES, NTREX_DIR, ntrex_lines


def write_pile(ntrex: Path, documents: int, path: Path, translated_share: float = 0.2, seed: int = 7) -> dict:
    """A crawl-like record file of ``documents`` documents; returns its counts."""
    ids, lines = ntrex_lines(ntrex)
    by_doc: dict[str, list[int]] = defaultdict(list)
    for index, doc_id in enumerate(ids):
        by_doc[doc_id].append(index)
    templates = list(by_doc.values())
    rng = random.Random(seed)
    written = lines_written = pairs = 0
    with gzip.open(path, "wt", encoding="utf-8") as out:
        while written < documents:
            rows = templates[rng.randrange(len(templates))]
            number = written + 1  # the reference number: one per story, the same in its translations
            story = rng.random() < translated_share / (2 - translated_share) and documents - written >= 2
            langs = rng.sample(LANGUAGES, 2 if story else 1)
            pairs += story
            for lang in langs:
                text = "\n".join(f"{number}. {lines[lang][i]}" for i in rows)
                out.write(json.dumps({"id": f"d{written:07d}", "text": text}, ensure_ascii=False) + "\n")
                written += 1
                lines_written += len(rows)
    return {"documents": written, "lines": lines_written, "translated_pairs": pairs}


class LineOracle:
    """A test encoder for costs at scale: "N. <NTREX line in any language>" -> a unit vector drawn from the
    pair (N, line number), so translations under one reference number get one vector."""

    name = "ntrex-line-oracle"
    fingerprint = "ntrex-line-oracle-768"
    dim = 768
    batch_invariant = True

    def __init__(self, ntrex: Path) -> None:
        _, lines = ntrex_lines(ntrex)
        self.line_of = {text: index for lang in LANGUAGES for index, text in enumerate(lines[lang])}

    def encode(self, texts: list[str]):
        import numpy as np

        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            number, _, line = text.partition(". ")
            known = line in self.line_of  # a line of NTREX: one vector per (number, line) in every language
            seed = (int(number) if number.isdigit() else 0, self.line_of.get(line, -1) + 1, len(text))
            vector = np.random.default_rng(seed[:2] if known else seed).standard_normal(self.dim)
            out[row] = vector / np.linalg.norm(vector)
        return out


def folder_bytes(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):  # removed while we looked
                total += os.path.getsize(os.path.join(root, name))
    return total


def one_size(pile: Path, work: Path, ntrex: Path) -> dict:
    """One Ray run on ``pile`` in this process (the driver): stages, peak RSS, stores and output."""
    from aligner.embedding.embedder import Embedder
    from aligner.engines import make_engine
    from aligner.pipeline import RunOptions, run

    os.environ["ALIGNER_TMP"] = str(work)  # the driver's memory-mapped vector store: unlinked at once
    embedder = Embedder(LineOracle(ntrex), None, progress=False)
    started = time.perf_counter()
    options = RunOptions(presplit=True)
    engine = make_engine("ray", store=work / "store")
    try:
        result = run([pile], work / "out", embedder, options, force=True, engine=engine)
        texts = folder_bytes(engine.texts) if engine.texts is not None else 0  # removed when it closes
    finally:
        engine.close()
    seconds = time.perf_counter() - started
    spooled = (result.units, result.findings)
    return {
        "seconds": round(seconds, 1),
        "stages": result.manifest["timings"],
        "counts": {k: v for k, v in result.manifest["counts"].items() if k != "first_look"},
        "encoded_texts": result.manifest["execution"]["encoded_texts"],  # what the model would encode
        "driver_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "driver_store_mb": round(len(embedder.store) * embedder.store.dim * 4 / 2**20, 1),
        "driver_store_texts": len(embedder.store),
        # the units and findings kept on the driver's disk (an unlinked file each) until written
        "driver_spool_mb": round(sum(getattr(kept, "nbytes", 0) for kept in spooled) / 2**20, 1),
        "text_shards_mb": round(texts / 2**20, 1),  # the documents' sentences, in the store while it runs
        "shard_store_mb": round(folder_bytes(work / "store") / 2**20, 1),
        "output_mb": round(folder_bytes(work / "out") / 2**20, 1),
    }


def exponent(sizes: list[int], values: list[float]) -> float | None:
    """The slope of log(value) on log(size), least squares."""
    points = [(math.log(n), math.log(v)) for n, v in zip(sizes, values, strict=True) if v > 0]
    if len(points) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return round(sum((x - mean_x) * (y - mean_y) for x, y in points) / spread, 3) if spread else None


def summarise(runs: dict[int, dict]) -> dict:
    sizes = sorted(runs)
    first, last = runs[sizes[0]], runs[sizes[-1]]
    extra = last["counts"]["documents"] - first["counts"]["documents"]
    per_doc = {
        key: round((last[key] - first[key]) * 2**20 / extra / 1024, 2) if extra else None
        for key in ("driver_peak_rss_mb", "driver_store_mb", "driver_spool_mb", "shard_store_mb", "output_mb")
        if key in first and key in last
    }
    stages = sorted({stage for run in runs.values() for stage in run["stages"]})
    growth = {stage: exponent(sizes, [runs[n]["stages"].get(stage, 0.0) for n in sizes]) for stage in stages}
    growth["whole run"] = exponent(sizes, [runs[n]["seconds"] for n in sizes])
    return {"kb_per_document": per_doc, "exponent": growth}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ntrex", type=Path, default=NTREX_DIR)
    parser.add_argument("--sizes", default="3000,10000,30000")
    parser.add_argument("--json", type=Path, default=Path("bench_driver.json"))
    parser.add_argument("--previous", type=Path, help="a report of earlier sizes, summarised with these")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # a work folder: run one size here
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_size(args.one / "pile.jsonl.gz", args.one, args.ntrex)))
        return
    os.environ["RAY_AUTH_MODE"] = "disabled"
    report: dict = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    report["encoder"] = "LineOracle (768 dimensions), a test double: costs only"
    runs: dict[int, dict] = {}
    if args.previous:
        runs = {int(size): run for size, run in json.loads(args.previous.read_text())["runs"].items()}
    for size in (int(n) for n in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix=f"bench-driver-{size}-") as folder:
            work = Path(folder)
            pile = write_pile(args.ntrex, size, work / "pile.jsonl.gz")
            load = os.getloadavg()[0]
            done = subprocess.run(
                [sys.executable, __file__, "--one", str(work), "--ntrex", str(args.ntrex)],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode:
                last = done.stderr.strip().splitlines()[-1:] or ["failed"]
                sys.exit(f"size {size}: {last[0]}")
            measured = json.loads(done.stdout.splitlines()[-1])
            runs[size] = {"pile": pile, "load_before": round(load, 2), **measured}
        print(json.dumps({size: runs[size]}), flush=True)
    report["runs"] = runs
    if len(runs) > 1:
        report["summary"] = summarise(runs)
        print(json.dumps(report["summary"], indent=1))
    args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
