"""Parquet for dataset builders: one row per aligned unit and language pair, with a dataset card.

``parquet/units-00000-of-000NN.parquet`` (pyarrow), ``shard_rows`` rows a file at most, and
``parquet/README.md``: a Hugging Face dataset card (languages, sizes, the model, the licence found in
the input) that says how to load the files with ``datasets.load_dataset("parquet", ...)``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from aligner.export.files import write_text
from aligner.export.pairs import unit_pairs
from aligner.types import RunResult

PARQUET_DIR = "parquet"
SHARD_ROWS = 500_000  # rows per Parquet file: a few hundred MB of text at most

COLUMNS = (
    ("story", "string"),
    ("unit", "int32"),
    ("lang1", "string"),
    ("lang2", "string"),
    ("doc1", "string"),
    ("doc2", "string"),
    ("text1", "string"),
    ("text2", "string"),
    ("sentences1", "list<int32>"),
    ("sentences2", "list<int32>"),
    ("score", "float64"),  # the pair's score in this unit
    ("unit_score", "float64"),
    ("findings", "list<string>"),  # kinds of the number findings between these two documents
    ("source1", "string"),
    ("source2", "string"),
    ("license1", "string"),
    ("license2", "string"),
)


def _schema():
    import pyarrow as pa

    kinds = {
        "string": pa.string(),
        "int32": pa.int32(),
        "float64": pa.float64(),
        "list<int32>": pa.list_(pa.int32()),
        "list<string>": pa.list_(pa.string()),
    }
    return pa.schema([(name, kinds[kind]) for name, kind in COLUMNS])


def parquet_rows(result: RunResult, min_score: float = 0.0) -> Iterator[dict]:
    """Rows in output order: units by story and index, pairs by language pair then document ids."""
    docs = {doc.doc_id: doc for doc in result.documents}
    kinds: dict[tuple[str, int, str, str], list[str]] = {}
    for finding in result.findings:
        if finding.kind != "matched":
            key = (finding.story_id, finding.unit, *sorted(finding.docs))
            kinds.setdefault(key, []).append(finding.kind)
    for unit in result.units:
        for pair in unit_pairs(unit):
            if pair.score < min_score:
                continue
            first, second = docs.get(pair.doc1), docs.get(pair.doc2)
            pair_key = (unit.story_id, unit.index, *sorted((pair.doc1, pair.doc2)))
            yield {
                "story": pair.story_id,
                "unit": pair.unit,
                "lang1": pair.lang1,
                "lang2": pair.lang2,
                "doc1": pair.doc1,
                "doc2": pair.doc2,
                "text1": pair.text1,
                "text2": pair.text2,
                "sentences1": list(unit.segments[pair.doc1].sentences),
                "sentences2": list(unit.segments[pair.doc2].sentences),
                "score": pair.score,
                "unit_score": unit.score,
                "findings": sorted(kinds.get(pair_key, [])),
                "source1": first.source if first else "",
                "source2": second.source if second else "",
                "license1": first.license if first else None,
                "license2": second.license if second else None,
            }


def write_parquet(
    result: RunResult, outdir: Path, min_score: float = 0.0, shard_rows: int = SHARD_ROWS
) -> list[Path]:
    """The Parquet shards and their dataset card under ``outdir/parquet``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Path(outdir) / PARQUET_DIR
    folder.mkdir(parents=True, exist_ok=True)
    rows = list(parquet_rows(result, min_score))
    shards = max(1, -(-len(rows) // shard_rows))
    schema = _schema()
    written = []
    for number in range(shards):
        chunk = rows[number * shard_rows : (number + 1) * shard_rows]
        table = pa.Table.from_pylist(chunk, schema=schema)
        path = folder / f"units-{number:05d}-of-{shards:05d}.parquet"
        # No timestamps or writer-dependent statistics in the file: same run, same bytes.
        pq.write_table(table, path, compression="zstd", write_statistics=False, store_schema=True)
        written.append(path)
    written.append(write_text(folder / "README.md", dataset_card(result, rows, written)))
    return written


def dataset_card(result: RunResult, rows: list[dict], files: list[Path]) -> str:
    """A dataset card: what the files hold, where they came from, and how to load them."""
    pairs = Counter(f"{row['lang1']}-{row['lang2']}" for row in rows)
    languages = sorted({doc.lang for doc in result.documents})
    licenses = sorted({doc.license for doc in result.documents if doc.license})
    license_line = licenses[0] if len(licenses) == 1 else ("other" if licenses else "unknown")
    model = (result.manifest or {}).get("model", {})
    version = (result.manifest or {}).get("version", "")
    size = _size_category(len(rows))
    front = ["---", "language:", *[f"- {lang}" for lang in languages], f"license: {license_line}"]
    front += ["task_categories:", "- translation", "size_categories:", f"- {size}", "configs:"]
    front += [
        "- config_name: default",
        "  data_files:",
        "  - split: train",
        "    path: units-*.parquet",
        "---",
    ]
    names = ", ".join(f"`{path.name}`" for path in files)
    table = "\n".join(f"| {pair} | {count} |" for pair, count in sorted(pairs.items()))
    license_text = (
        "Licences given in the input: " + ", ".join(licenses) + " (per row: `license1`, `license2`)."
        if licenses
        else "The input gave no licence; the texts keep the terms of their sources (`source1`, `source2`)."
    )
    body = f"""
# Parallel corpus aligned by aligner {version}

{len(rows)} aligned sentence pairs from {len(result.documents)} documents in {len(result.stories)} stories,
in {len(languages)} languages ({", ".join(languages)}). One row per aligned unit and language pair.

| language pair | rows |
|---|---|
{table}

- Files: {names}
- Model: {model.get("name", "?")} (weights sha256 `{model.get("weights_sha256", "?")}`), sentence vectors
  for story clustering and alignment.
- Columns: {", ".join(name for name, _ in COLUMNS)}. `score` is the pair's alignment score in the unit;
  `findings` lists the kinds of number disagreements found between the two texts (empty: none).
- {license_text}

## Loading

```python
from datasets import load_dataset

corpus = load_dataset("parquet", data_files="parquet/units-*.parquet", split="train")
```
"""
    return "\n".join(front) + "\n" + body


def _size_category(rows: int) -> str:
    for limit, name in (
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
    ):
        if rows < limit:
            return name
    return "1M<n<10M" if rows < 10_000_000 else "n>10M"
