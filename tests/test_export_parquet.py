"""Parquet export and sharded runs: rows per unit and language pair, a dataset card, load_dataset."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aligner.embedding.cache import EmbeddingCache
from aligner.embedding.embedder import Embedder
from aligner.export import load_run, write_format
from aligner.export.pairs import unit_pairs
from aligner.pipeline import RunOptions, run
from aligner.stories.config import StoryConfig
from aligner.testing import HashingEncoder

EN = "The council met on Monday. It approved 12 projects worth 2.8 billion dong. Work starts in 2024."
EN_2 = "The council met on Monday. It approved 12 projects worth 2.8 billion dong. Work starts in 2025."


def pile(tmp_path: Path) -> Path:
    path = tmp_path / "pile.jsonl"
    records = [
        {"id": "a_en", "text": EN, "lang": "en", "license": "CC BY 4.0"},
        {"id": "b_en", "text": EN, "lang": "en", "license": "CC BY 4.0"},
        {"id": "c_fr", "text": EN_2, "lang": "fr"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def options(**changes) -> RunOptions:
    return RunOptions(languages=("en", "fr"), stories=StoryConfig(one_per_language=False), **changes)


def embedder(tmp_path: Path) -> Embedder:
    return Embedder(HashingEncoder(), EmbeddingCache(tmp_path / "cache.sqlite"), progress=False)


def test_parquet_rows_load_with_datasets(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    result = run([pile(tmp_path)], tmp_path / "out", embedder(tmp_path), options())
    written = write_format(load_run(tmp_path / "out"), tmp_path / "export", "parquet")
    assert [p.name for p in written] == ["units-00000-of-00001.parquet", "README.md"]
    datasets = pytest.importorskip("datasets")
    rows = datasets.load_dataset(
        "parquet", data_files=str(tmp_path / "export" / "parquet" / "units-*.parquet"), split="train"
    )
    expected = [pair for unit in result.units for pair in unit_pairs(unit)]
    assert len(rows) == len(expected) > 0
    assert rows[0]["lang1"] == "en" and rows[0]["lang2"] == "fr" and rows[0]["text1"] == expected[0].text1
    assert {row["license1"] for row in rows} == {"CC BY 4.0"} and {row["license2"] for row in rows} == {None}
    assert any("changed" in row["findings"] for row in rows)  # 2024 against 2025
    card = (tmp_path / "export" / "parquet" / "README.md").read_text(encoding="utf-8")
    assert "license: CC BY 4.0" in card and 'load_dataset("parquet"' in card and "| en-fr |" in card


def test_parquet_is_the_same_bytes_twice(tmp_path):
    run([pile(tmp_path)], tmp_path / "out", embedder(tmp_path), options())
    result = load_run(tmp_path / "out")
    first = write_format(result, tmp_path / "one", "parquet")[0].read_bytes()
    assert write_format(result, tmp_path / "two", "parquet")[0].read_bytes() == first


def test_a_large_run_is_written_in_shards(tmp_path):
    whole = run([pile(tmp_path)], tmp_path / "whole", embedder(tmp_path), options())
    sharded = run([pile(tmp_path)], tmp_path / "sharded", embedder(tmp_path), options(shard_units=1))
    out = tmp_path / "sharded"
    shards = sorted(p.name for p in out.glob("alignments-*.jsonl"))
    assert len(whole.units) > 1 and len(shards) == len(whole.units)
    assert shards[0] == f"alignments-00000-of-{len(shards):05d}.jsonl"
    assert not (out / "alignments.jsonl").exists() and not (out / "report.html").exists()
    assert list((out / "parquet").glob("units-*.parquet")) and (out / "corpus.tmx").is_file()
    assert load_run(out).units == load_run(tmp_path / "whole").units
    assert [u.segments for u in sharded.units] == [u.segments for u in whole.units]
