"""Time to read the same text as ``.txt`` files, Parquet shards, ``.jsonl.zst`` and ``.jsonl.gz`` (issue 27).

    python scripts/bench_inputs.py [--mb 1024] [--keep DIR]

Generates ``--mb`` MB of article-like text (``documents``) in a temporary folder, once in each format,
then reads each format in a fresh process with the reader ``aligner run`` uses (``read.read_file``;
streaming ``read_batches`` for record files): wall time, MB/s of UTF-8 text, documents read, and the
process's peak RSS. The documents are counted and dropped as they come, so peak RSS shows what
reading holds, not the corpus.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NTREX = Path("/work/shared/data/ntrex")  # read in place (README: shared data)
SHARD_DOCS = 20_000  # documents per Parquet shard and per .jsonl.zst / .jsonl.gz file
FORMATS = ("txt", "parquet", "jsonl.zst", "jsonl.gz")


def documents(megabytes: int):
    """(id, text) of about ``megabytes`` MB of UTF-8 text, deterministic: each document in one language,
    of words drawn from that language's NTREX vocabulary (so the text compresses about as news does, and
    no two documents share lines), in lines of 8-30 words."""
    vocabularies = [
        sorted(set(path.read_text("utf-8").split()))
        for path in sorted(NTREX.glob("*.txt"))
        if path.stem != "LICENSE"
    ]
    rng = random.Random(0)
    total, number = 0, 0
    while total < megabytes * 1_000_000:
        words = vocabularies[number % len(vocabularies)]
        lines = [" ".join(rng.choices(words, k=rng.randint(8, 30))) + "." for _ in range(rng.randint(6, 20))]
        text = "\n".join(lines) + "\n"
        total += len(text.encode("utf-8"))
        yield f"doc{number:08d}", text
        number += 1


def generate(folder: Path, megabytes: int) -> dict[str, int]:
    import pyarrow as pa
    import pyarrow.parquet as pq
    import zstandard

    for name in FORMATS:
        (folder / name).mkdir(parents=True, exist_ok=True)
    sizes = {"documents": 0, "text_bytes": 0}
    batch: list[tuple[str, str]] = []

    def flush(shard: int) -> None:
        table = pa.table({"id": [d for d, _ in batch], "text": [t for _, t in batch]})
        pq.write_table(table, folder / "parquet" / f"train-{shard:05d}.parquet")
        data = "".join(json.dumps({"id": d, "text": t}, ensure_ascii=False) + "\n" for d, t in batch)
        raw = data.encode("utf-8")
        (folder / "jsonl.zst" / f"train-{shard:05d}.jsonl.zst").write_bytes(
            zstandard.ZstdCompressor(level=3).compress(raw)
        )
        (folder / "jsonl.gz" / f"train-{shard:05d}.jsonl.gz").write_bytes(gzip.compress(raw, 6))
        batch.clear()

    shard = 0
    for doc_id, text in documents(megabytes):
        (folder / "txt" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        sizes["documents"] += 1
        sizes["text_bytes"] += len(text.encode("utf-8"))
        batch.append((doc_id, text))
        if len(batch) == SHARD_DOCS:
            flush(shard)
            shard += 1
    if batch:
        flush(shard)
    return sizes


def read_one(folder: Path) -> None:
    """Child process: read every input file of ``folder`` as ``aligner run`` does; print a JSON line."""
    from aligner.documents.read import expand_inputs, read_file, record_suffix
    from aligner.documents.read_records import Columns, read_batches

    baseline = peak_rss_mb()  # the interpreter and its imports
    start = time.perf_counter()
    files, skipped = expand_inputs([folder])
    count, chars = 0, 0
    for path in files:
        batches = read_batches(path, Columns()) if record_suffix(path) else [read_file(path)]
        for found, lost in batches:
            count += len(found)
            chars += sum(len(d.text) for d in found)
            skipped += lost
    seconds = time.perf_counter() - start
    peak = peak_rss_mb()
    print(json.dumps({"seconds": seconds, "documents": count, "chars": chars, "skipped": len(skipped),
                      "peak_rss_mb": peak, "baseline_rss_mb": baseline}))  # fmt: skip


def peak_rss_mb() -> int:
    """This process's peak RSS (VmHWM: unlike ru_maxrss, not inherited from the parent across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return -1


def disk_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=1024, help="MB of UTF-8 text to generate")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--read-one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.read_one:
        read_one(args.read_one)
        return
    with tempfile.TemporaryDirectory(prefix="bench_inputs_") as tmp:
        folder = args.keep or Path(tmp)
        clock = time.perf_counter()
        sizes = generate(folder, args.mb)
        made = f"{sizes['documents']:,} documents, {sizes['text_bytes'] / 1e6:,.0f} MB of UTF-8 text"
        print(f"generated {made} in {time.perf_counter() - clock:.0f} s")
        heads = ("disk MB", "seconds", "MB/s", "docs", "peak RSS MB", "RSS after imports")
        print(f"{'format':<10} " + " ".join(heads))
        for name in FORMATS:
            done = subprocess.run(
                [sys.executable, __file__, "--read-one", str(folder / name)],
                check=True,
                capture_output=True,
                text=True,
            )
            found = json.loads(done.stdout.strip().splitlines()[-1])
            assert found["documents"] == sizes["documents"] and found["skipped"] == 0, found
            rate = sizes["text_bytes"] / 1e6 / found["seconds"]
            cells = (
                f"{disk_mb(folder / name):.0f}",
                f"{found['seconds']:.1f}",
                f"{rate:.1f}",
                f"{found['documents']:,}",
                f"{found['peak_rss_mb']:,}",
                f"{found['baseline_rss_mb']:,}",
            )
            print(
                f"{name:<10} "
                + " ".join(f"{cell:>{len(head)}}" for cell, head in zip(cells, heads, strict=True))
            )


if __name__ == "__main__":
    main()
