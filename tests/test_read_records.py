"""Record files: Parquet (a file, a folder of shards), JSONL plain, .gz and .zst, read streaming; bad rows
and bad files skipped with one line; `aligner run` on Parquet and .jsonl.gz copies of the seeds writes the
same stories and units as on the .txt seeds (the test encoder stands in for the model)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from click.testing import CliRunner

from aligner.cli import cli
from aligner.documents import read_records
from aligner.documents.read import read_documents
from aligner.documents.read_records import Columns, read_batches
from aligner.testing import HashingEncoder

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ROWS = [
    {"id": "a1", "text": "The council met on Monday.", "lang": "en"},
    {"id": "a2", "text": "Совет собрался в понедельник.", "lang": "ru"},
    {"id": "a3", "text": "No language given here.", "lang": None},
]


def write_parquet(path: Path, rows: list[dict], row_group_size: int | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=row_group_size)
    return path


def jsonl_bytes(rows: list[dict]) -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")


def summary(result) -> list[tuple[str, str, str | None]]:
    return [(d.doc_id, d.text, d.lang_hint) for d in result.documents]


def test_parquet_jsonl_gz_and_zst_give_the_same_documents(tmp_path):
    plain = tmp_path / "d.jsonl"
    plain.write_bytes(jsonl_bytes(ROWS))
    (tmp_path / "d.jsonl.gz").write_bytes(gzip.compress(jsonl_bytes(ROWS)))
    (tmp_path / "d.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(jsonl_bytes(ROWS)))
    write_parquet(tmp_path / "d.parquet", ROWS)
    expected = [(r["id"], r["text"], r["lang"]) for r in ROWS]
    for name in ("d.jsonl", "d.jsonl.gz", "d.jsonl.zst", "d.parquet"):
        result = read_documents([tmp_path / name])
        assert summary(result) == expected, name
        assert result.skipped == []
        assert [d.source for d in result.documents] == [f"{tmp_path / name}:{n}" for n in (1, 2, 3)]


def test_a_folder_of_parquet_shards_is_read_shard_by_shard_in_name_order(tmp_path):
    write_parquet(tmp_path / "data" / "train-00001-of-00002.parquet", ROWS[2:])
    write_parquet(tmp_path / "data" / "train-00000-of-00002.parquet", ROWS[:2])
    result = read_documents([tmp_path / "data"])
    assert [d.doc_id for d in result.documents] == ["a1", "a2", "a3"]


def test_column_names_come_from_the_options_and_language_is_the_default_second_name(tmp_path):
    rows = [{"url": "u1", "content": "Some text here.", "language": "en"}]
    path = write_parquet(tmp_path / "c.parquet", rows)
    (document,) = read_documents([path], Columns(text="content", id="url")).documents
    assert (document.doc_id, document.text, document.lang_hint) == ("u1", "Some text here.", "en")
    # the same names in JSONL
    (tmp_path / "c.jsonl").write_bytes(jsonl_bytes(rows))
    (document,) = read_documents([tmp_path / "c.jsonl"], Columns(text="content", id="url")).documents
    assert (document.doc_id, document.lang_hint) == ("u1", "en")
    # --lang-column picks another column; a missing one is a file-level problem naming it
    (skip,) = read_documents([path], Columns("content", "url", lang="lang_code")).skipped
    assert skip.source == str(path)
    assert "no column 'lang_code'" in skip.reason and "--lang-column" in skip.reason


def test_a_missing_column_or_a_text_column_of_numbers_skips_the_file_with_one_line(tmp_path):
    no_id = write_parquet(tmp_path / "no_id.parquet", [{"text": "A text."}])
    numbers = write_parquet(tmp_path / "numbers.parquet", [{"id": "x", "text": 5}])
    ok = write_parquet(tmp_path / "ok.parquet", ROWS[:1])
    result = read_documents([no_id, numbers, ok])
    assert [d.doc_id for d in result.documents] == ["a1"]  # the run goes on
    reasons = {Path(s.source).name: s.reason for s in result.skipped}
    assert reasons["no_id.parquet"].startswith("no column 'id' (columns: text); name it with --id-column")
    assert reasons["numbers.parquet"] == "column 'text' holds int64, not text"


def test_bad_rows_get_one_line_naming_the_file_and_the_row(tmp_path):
    rows = [
        {"id": "ok", "text": "A good text.", "lang": "en"},
        {"id": "none", "text": None, "lang": "en"},
        {"id": None, "text": "No id.", "lang": "en"},
        {"id": "badlang", "text": "Text.", "lang": "../x"},
        {"id": "blank", "text": " \n ", "lang": None},
    ]
    path = write_parquet(tmp_path / "rows.parquet", rows)
    result = read_documents([path])
    assert [d.doc_id for d in result.documents] == ["ok"]
    assert [(s.source, s.reason) for s in result.skipped] == [
        (f"{path}:2", 'missing "text" (a string)'),
        (f"{path}:3", 'missing "id"'),
        (f"{path}:4", "\"lang\" '../x' is not a language code"),
        (f"{path}:5", "empty text"),
    ]


def test_a_jsonl_row_of_the_wrong_type_or_encoding_is_one_line(tmp_path):
    lines = (
        jsonl_bytes(ROWS[:1])
        + b'{"id": "n", "text": 12}\n[1, 2]\n'
        + '{"id": "c", "text": "é"}\n'.encode("latin-1")
    )
    path = tmp_path / "w.jsonl.gz"
    path.write_bytes(gzip.compress(lines))
    result = read_documents([path])
    assert [d.doc_id for d in result.documents] == ["a1"]
    assert [s.source for s in result.skipped] == [f"{path}:{n}" for n in (2, 3, 4)]
    assert result.skipped[0].reason == 'missing "text" (a string)'
    assert "must be an object" in result.skipped[1].reason and "not UTF-8" in result.skipped[2].reason


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst"])
def test_a_truncated_compressed_file_keeps_the_rows_before_the_damage_and_says_so(tmp_path, suffix):
    rows = [{"id": f"d{i}", "text": f"Document number {i} has some words in it."} for i in range(20_000)]
    data = jsonl_bytes(rows)
    packed = gzip.compress(data) if suffix == ".jsonl.gz" else zstandard.ZstdCompressor().compress(data)
    path = tmp_path / f"cut{suffix}"
    path.write_bytes(packed[: len(packed) // 2])
    result = read_documents([path])
    assert 0 < len(result.documents) < len(rows)
    assert [d.doc_id for d in result.documents] == [f"d{i}" for i in range(len(result.documents))]
    (skip,) = result.skipped
    assert skip.source == str(path)
    assert "truncated" in skip.reason


def test_files_that_are_not_what_their_name_says_are_skipped_with_one_line(tmp_path):
    fake_parquet = tmp_path / "fake.parquet"
    fake_parquet.write_bytes(b"id,text\n1,hello\n")
    fake_gz = tmp_path / "fake.jsonl.gz"
    fake_gz.write_bytes(jsonl_bytes(ROWS))
    fake_zst = tmp_path / "fake.jsonl.zst"
    fake_zst.write_bytes(jsonl_bytes(ROWS))
    png = tmp_path / "image.jsonl.gz"
    png.write_bytes(gzip.compress(b"\x89PNG\r\n\x1a\n" + bytes(range(256))))
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(write_parquet(tmp_path / "whole.parquet", ROWS).read_bytes()[:-30])
    result = read_documents([fake_parquet, fake_gz, fake_zst, png, cut])
    assert result.documents == []
    reasons = {Path(s.source).name: s.reason for s in result.skipped}
    assert len(result.skipped) == 5
    assert reasons["fake.parquet"].startswith("not a Parquet file")
    assert reasons["cut.parquet"].startswith("not a Parquet file")
    assert reasons["fake.jsonl.gz"].startswith("cannot read (Not a gzipped file")
    assert reasons["fake.jsonl.zst"].startswith("not zstd, or damaged after line 0")
    assert reasons["image.jsonl.gz"] == "binary file, not text"


def test_parquet_is_read_a_batch_at_a_time(tmp_path, monkeypatch):
    rows = [{"id": f"d{i}", "text": f"Text {i}."} for i in range(1000)]
    path = write_parquet(tmp_path / "big.parquet", rows, row_group_size=100)
    pulled: list[int] = []
    original = pq.ParquetFile.iter_batches

    def counting(self, *args, **kwargs):
        for batch in original(self, *args, **kwargs):
            pulled.append(batch.num_rows)
            yield batch

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", counting)
    batches = read_batches(path, Columns(), batch_rows=100)
    documents, skipped = next(batches)
    assert [d.doc_id for d in documents] == [f"d{i}" for i in range(100)] and skipped == []
    assert pulled == [100]  # one batch read from the file, not the whole file
    assert sum(len(found) for found, _ in batches) == 900


def test_jsonl_is_read_a_batch_at_a_time(tmp_path, monkeypatch):
    rows = [{"id": f"d{i}", "text": f"Text number {i} of the file."} for i in range(200_000)]
    path = tmp_path / "big.jsonl.zst"
    path.write_bytes(zstandard.ZstdCompressor().compress(jsonl_bytes(rows)))
    decompressed: list[int] = []
    original = read_records._ZstdRaw.readinto

    def counting(self, buffer):
        size = original(self, buffer)
        decompressed.append(size)
        return size

    monkeypatch.setattr(read_records._ZstdRaw, "readinto", counting)
    batches = read_batches(path, Columns(), batch_rows=10)
    documents, _ = next(batches)
    assert [d.doc_id for d in documents] == [f"d{i}" for i in range(10)]
    assert sum(decompressed) < len(jsonl_bytes(rows)) // 10  # a buffer's worth, not the file
    assert sum(len(found) for found, _ in batches) == len(rows) - 10


# ---------------------------------------------------------------------------------------------------
# `aligner run` on copies of the seeds: the id column holds each seed file's stem, the text its contents


def _seed_rows() -> list[dict]:
    return [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted(SEEDS.glob("*.txt"))]


@pytest.fixture
def hashing_cli(monkeypatch):
    import aligner.embedding.encoder as embed

    monkeypatch.setattr(embed, "load_encoder", lambda model_dir=None, **options: HashingEncoder())

    def call(*args: str):
        result = CliRunner().invoke(cli, list(args))
        assert result.exit_code == 0, result.output
        return result

    return call


def test_run_on_parquet_and_jsonl_gz_copies_of_the_seeds_writes_the_same_stories_and_units(
    tmp_path, hashing_cli
):
    rows = _seed_rows()
    assert len(rows) == 5
    # Parquet: two shards in a folder, with Hugging Face-like names and the columns named by options
    renamed = [{"doc": r["id"], "body": r["text"]} for r in rows]
    write_parquet(tmp_path / "parquet" / "train-00000-of-00002.parquet", renamed[:3])
    write_parquet(tmp_path / "parquet" / "train-00001-of-00002.parquet", renamed[3:])
    (tmp_path / "seeds.jsonl.gz").write_bytes(gzip.compress(jsonl_bytes(rows)))
    common = ("--quiet", "--no-resume")
    hashing_cli("run", str(SEEDS), "--out", str(tmp_path / "txt"), *common)
    hashing_cli(
        "run", str(tmp_path / "parquet"), "--out", str(tmp_path / "pq"), "--text-column", "body",
        "--id-column", "doc", *common,
    )  # fmt: skip
    hashing_cli("run", str(tmp_path / "seeds.jsonl.gz"), "--out", str(tmp_path / "gz"), *common)
    stories = json.loads((tmp_path / "txt" / "stories.json").read_text(encoding="utf-8"))
    assert stories  # the seeds make stories, so the comparison below compares something
    for copy in ("pq", "gz"):
        for name in ("stories.json", "alignments.jsonl", "numbers.jsonl"):
            written = (tmp_path / copy / name).read_bytes()
            assert written == (tmp_path / "txt" / name).read_bytes(), (copy, name)
    manifest = json.loads((tmp_path / "pq" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["columns"] == {"text": "body", "id": "doc", "lang": None}


def test_run_reports_a_bad_file_and_a_bad_row_in_one_line_each_and_goes_on(tmp_path, hashing_cli):
    rows = _seed_rows()
    write_parquet(tmp_path / "in" / "good.parquet", [*rows, {"id": "bad", "text": None}])
    (tmp_path / "in" / "broken.parquet").write_bytes(b"PAR1 not really")
    result = hashing_cli(
        "run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet", "--no-resume"
    )
    lines = [line for line in result.output.splitlines() if "skipped " in line]
    assert len(lines) == 2
    assert f"skipped {tmp_path / 'in' / 'broken.parquet'}: not a Parquet file (" in lines[0]
    assert lines[1].endswith(f'skipped {tmp_path / "in" / "good.parquet"}:6: missing "text" (a string)')
    documents = (tmp_path / "out" / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(documents) == len(rows)


def test_an_empty_column_name_is_a_usage_error(hashing_cli, tmp_path):
    result = CliRunner().invoke(cli, ["run", str(SEEDS), "--out", str(tmp_path / "o"), "--text-column", " "])
    assert result.exit_code == 2 and "--text-column needs a column name" in result.output


def test_a_replay_reads_the_recorded_columns(tmp_path, hashing_cli):
    renamed = [{"doc": r["id"], "body": r["text"]} for r in _seed_rows()]
    shard = write_parquet(tmp_path / "in" / "seeds.parquet", renamed)
    first, again = tmp_path / "first", tmp_path / "again"
    hashing_cli(
        "run", str(shard), "--out", str(first), "--text-column", "body", "--id-column", "doc", "--quiet"
    )
    hashing_cli("run", "--replay", str(first / "manifest.json"), "--out", str(again), "--quiet")
    assert (again / "stories.json").read_bytes() == (first / "stories.json").read_bytes()
    assert (again / "alignments.jsonl").read_bytes() == (first / "alignments.jsonl").read_bytes()
