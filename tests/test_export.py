"""Exports written from a hand-built run with hostile text, then read back with real readers."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.errors import AlignerError, UsageError
from aligner.export import FORMATS, load_run, write_format, write_outputs
from aligner.export.pairs import escape_tsv, one_line, unescape_tsv
from aligner.export.tmx import xml_text
from aligner.safe import safe_text
from aligner.types import Document, NumberFinding, RunResult, Segment, Skipped, Story, Unit

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"

SENTENCES = {
    "ru1": (
        "ru",
        [
            "В 2023 году выручка выросла на 12,5%.",
            f"Компания {SCRIPT} наняла 300 человек.",
            "Это предложение никто не перевёл.",
            "Итог: 7 проектов & &amp; ]]>.",
        ],
    ),
    "ur1": (
        "ur",
        [
            "2023 میں آمدنی میں 12.5 فیصد اضافہ ہوا۔",
            f"کمپنی نے {IMG} 300 افراد کو ملازمت دی۔",
            "نتیجہ: 8 منصوبے </tu>۔",
        ],
    ),
    "ar1": (
        "ar",
        [
            "في عام 2023 ارتفعت الإيرادات بنسبة 12.5%.",
            "وظفت الشركة 300 شخص\tمع\r\nسطر جديد.",
            "النتيجة: 7 مشاريع.",
        ],
    ),
    "en1": (
        "en",
        [
            "In 2023 revenue grew by 12.5%.",
            "The company hired 300 people [bold]x[/bold] \x1b[31m.",
            'Result: 7 projects & "quotes" \\ backslash.',
        ],
    ),
    "uk1": (
        "uk",
        ["У 2023 році виручка зросла на 12,5%.", "Компанія найняла 300 осіб.", "Підсумок: 7 проєктів."],
    ),
    "en2": ("en", ["Prices rose 4% in May.", "Nothing else happened."]),
    "en3": ("en", ["In May prices went up by 4%.", "Nothing more."]),
    "ru2": ("ru", ["В мае цены выросли на 4%.", "Больше ничего.", "Лишняя строка."]),
    "en4": ("en", ["A story alone.", "With two sentences."]),
}


def _unit(
    story: str, index: int, picks: dict[str, list[int]], score: float, pairs: dict | None = None
) -> Unit:
    segments = {
        doc: Segment(doc, SENTENCES[doc][0], tuple(ids), " ".join(SENTENCES[doc][1][i] for i in ids))
        for doc, ids in picks.items()
    }
    return Unit(story, index, segments, score, pairs or {})


def hostile_run() -> RunResult:
    """Five languages, hostile text, two documents of one language, a lone document, findings."""
    documents = [
        Document(doc, lang, f"in/{doc}.txt", tuple(sents), tuple(range(len(sents))), sha256=f"{doc}-sha")
        for doc, (lang, sents) in SENTENCES.items()
    ]
    s1 = ("ru1", "ur1", "ar1", "en1", "uk1")
    stories = [
        Story("s1", s1, ("ru", "ur", "ar", "en", "uk"), 0.875, ("ru1~ur1: cosine 0.91", "tab\there <b>")),
        Story("s2", ("en2", "en3", "ru2"), ("en", "ru"), 0.75),
        Story("s3", ("en4",), ("en",), 0.0),
    ]
    units = [
        _unit("s1", 0, {d: [0] for d in s1}, 0.91, {"ru1|ur1": 0.93, "en1|ru1": 0.5}),
        _unit("s1", 1, {d: [1] for d in s1}, 0.55),
        _unit("s1", 2, {"ru1": [3], "ur1": [2], "ar1": [2], "en1": [2], "uk1": [2]}, 0.725),
        _unit("s2", 0, {"en2": [0], "en3": [0], "ru2": [0]}, 0.8),
        _unit("s2", 1, {"en2": [1], "ru2": [1]}, 0.45),
        _unit("s2", 2, {"ru2": [2]}, 0.0),
    ]
    findings = [
        NumberFinding(
            "s1",
            2,
            ("ru1", "ur1"),
            "changed",
            {"ru1": ["7"], "ur1": ["8"]},
            "7 in ru1 but 8 in ur1",
            "error",
            "ur1",
            {"ru1": "Итог: [[7]] проектов & &amp; ]]>.", "ur1": "نتیجہ: [[8]] منصوبے </tu>۔"},
        ),
        NumberFinding(
            "s1",
            2,
            ("ar1", "ur1"),
            "changed",
            {"ar1": ["7"], "ur1": ["8"]},
            f"7 vs 8 {SCRIPT}",
            "warning",
            "ur1",
            {"ar1": "النتيجة: [[7]] مشاريع.", "ur1": "نتیجہ: [[8]] منصوبے </tu>۔"},
        ),
        NumberFinding(
            "s1",
            0,
            ("en1", "uk1"),
            "matched",
            {"en1": ["2023", "12.5%"], "uk1": ["2023", "12,5%"]},
            "numbers agree",
            "info",
            None,
            {},
        ),
    ]
    manifest = {
        "tool": "aligner",
        "version": "0.1.0",
        "model": {"name": "google/embeddinggemma-300m", "weights_sha256": "ab" * 32},
        "parameters": {},
        "inputs": [],
        "timings": {},
        "counts": {"documents": len(documents)},
        "skipped": [{"source": "in/empty.txt", "reason": "empty file", "doc_id": None}],
    }
    skipped = [Skipped("in/empty.txt", "empty file")]
    return RunResult(documents, skipped, stories, units, findings, manifest)


def _write_run(result: RunResult, outdir: Path, min_score: float = 0.0) -> Path:
    outdir.mkdir(parents=True, exist_ok=True)
    write_outputs(result, outdir, min_score=min_score)
    (outdir / "manifest.json").write_text(json.dumps(result.manifest), encoding="utf-8")
    return outdir


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return _write_run(hostile_run(), tmp_path / "run")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_output_is_written_and_byte_identical_on_rewrite(tmp_path: Path) -> None:
    first = _files(_write_run(hostile_run(), tmp_path / "a"))
    second = _files(_write_run(hostile_run(), tmp_path / "b"))
    expected = {
        "documents.jsonl",
        "stories.json",
        "alignments.jsonl",
        "numbers.jsonl",
        "corpus.tmx",
        "report.html",
        "pairs/en-ru.tsv",
        "pairs/en-ru.en",
        "pairs/en-ru.ru",
        "pairs/ar-ur.tsv",
        "pairs/en-uk.uk",
    }
    assert expected <= set(first)
    assert first == second
    assert not [name for name in first if name.endswith(".tmp")]
    assert all(b"\r\n" not in data for data in first.values())


def test_jsonl_round_trips_to_the_same_run(run_dir: Path) -> None:
    assert load_run(run_dir) == hostile_run()
    lines = (run_dir / "alignments.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    assert list(first) == ["story", "unit", "segments", "score", "pair_scores"]
    assert first["segments"]["ru1"] == {"lang": "ru", "sentences": [0], "text": SENTENCES["ru1"][1][0]}
    assert "\\u" not in lines[0]  # UTF-8 text, not escapes
    finding = json.loads((run_dir / "numbers.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert set(finding) == {
        "story",
        "unit",
        "docs",
        "kind",
        "values",
        "message",
        "severity",
        "odd_one_out",
        "marked",
    }


def test_rewriting_a_loaded_run_gives_the_same_bytes(run_dir: Path, tmp_path: Path) -> None:
    again = _write_run(load_run(run_dir), tmp_path / "again")
    assert _files(again) == _files(run_dir)


def _tsv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            [unescape_tsv(field) for field in row]
            for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        ]


def test_tsv_keeps_tabs_and_newlines_inside_one_record(run_dir: Path) -> None:
    rows = _tsv_rows(run_dir / "pairs" / "ar-en.tsv")
    assert rows[0] == ["story", "unit", "score", "ar_doc", "en_doc", "ar", "en"]
    assert len((run_dir / "pairs" / "ar-en.tsv").read_text(encoding="utf-8").splitlines()) == len(rows) == 4
    by_unit = {(row[0], int(row[1])): row for row in rows[1:]}
    assert by_unit[("s1", 1)][5] == SENTENCES["ar1"][1][1]  # the tab and CR LF survive
    # ESC cannot reach a terminal through `cut` or `less` of the TSV: replaced 1:1 by U+FFFD
    assert by_unit[("s1", 1)][6] == SENTENCES["en1"][1][1].replace("\x1b", "\ufffd")
    assert by_unit[("s1", 2)][6] == SENTENCES["en1"][1][2]  # the backslash survives
    assert all(len(row) == 7 for row in rows)


def test_tsv_pairs_each_document_with_every_counterpart(run_dir: Path) -> None:
    rows = _tsv_rows(run_dir / "pairs" / "en-ru.tsv")[1:]
    pairs = [(row[0], row[1], row[3], row[4]) for row in rows]
    assert pairs == [
        ("s1", "0", "en1", "ru1"),
        ("s1", "1", "en1", "ru1"),
        ("s1", "2", "en1", "ru1"),
        ("s2", "0", "en2", "ru2"),
        ("s2", "0", "en3", "ru2"),
        ("s2", "1", "en2", "ru2"),
    ]
    assert rows[0][2] == "0.5000"  # the pair's own score, not the unit's 0.91
    assert not (run_dir / "pairs" / "en-en.tsv").exists()


def test_moses_files_are_line_aligned_and_filtered(run_dir: Path, tmp_path: Path) -> None:
    en = (run_dir / "pairs" / "en-ru.en").read_text(encoding="utf-8").split("\n")
    ru = (run_dir / "pairs" / "en-ru.ru").read_text(encoding="utf-8").split("\n")
    assert len(en) == len(ru) == 7 and en[-1] == ru[-1] == ""
    assert ru[1] == f"Компания {SCRIPT} наняла 300 человек."
    ar = (run_dir / "pairs" / "ar-uk.ar").read_text(encoding="utf-8").splitlines()
    assert ar[1] == "وظفت الشركة 300 شخص مع سطر جديد."
    filtered = write_format(hostile_run(), tmp_path / "filtered", "moses", min_score=0.7)
    assert tmp_path / "filtered" / "pairs" / "en-ru.en" in filtered
    kept = (tmp_path / "filtered" / "pairs" / "en-ru.ru").read_text(encoding="utf-8").splitlines()
    assert kept == [SENTENCES["ru1"][1][3], SENTENCES["ru2"][1][0], SENTENCES["ru2"][1][0]]
    # a language pair with nothing left still gets its (empty) files, so stale ones are overwritten
    write_format(hostile_run(), tmp_path / "filtered", "moses", min_score=0.99)
    assert (tmp_path / "filtered" / "pairs" / "en-ru.ru").read_text(encoding="utf-8") == ""


def test_write_format_returns_its_files_and_rejects_unknown_formats(tmp_path: Path) -> None:
    result = hostile_run()
    assert [p.name for p in write_format(result, tmp_path, "tmx")] == ["corpus.tmx"]
    assert {p.name for p in write_format(result, tmp_path, "jsonl")} == {
        "documents.jsonl",
        "stories.json",
        "alignments.jsonl",
        "numbers.jsonl",
    }
    assert all(p.suffix == ".tsv" for p in write_format(result, tmp_path, "tsv"))
    assert [p.name for p in write_format(result, tmp_path, "html")] == ["report.html"]
    assert set(FORMATS) == {"tmx", "moses", "tsv", "jsonl", "html", "parquet"}
    with pytest.raises(UsageError, match="xliff"):
        write_format(result, tmp_path, "xliff")
    with pytest.raises(UsageError, match="min-score"):
        write_format(result, tmp_path, "jsonl", min_score=0.5)


def test_text_helpers_keep_lines_and_xml_intact() -> None:
    assert one_line("a\tb\nc\u2028d\x85e  ") == "a b c d e"
    assert xml_text("a\r\nb\rc\x00d\x1b") == "a\nb\nc\ufffdd\ufffd"


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda d: (d / "alignments.jsonl").write_text('{"story": "s1"\n', encoding="utf-8"),
            r"alignments\.jsonl:1: not valid JSON",
        ),
        (lambda d: (d / "numbers.jsonl").unlink(), r"numbers\.jsonl: missing"),
        (
            lambda d: (d / "stories.json").write_text('{"story": 1}', encoding="utf-8"),
            r"stories\.json: expected",
        ),
        (
            lambda d: (d / "documents.jsonl").write_text('{"doc": "x"}\n', encoding="utf-8"),
            r"documents\.jsonl:1: missing key",
        ),
        (lambda d: (d / "manifest.json").write_bytes(b"\xff\xfe"), r"manifest\.json: cannot be read"),
        (
            lambda d: (d / "numbers.jsonl").write_text(
                (d / "numbers.jsonl")
                .read_text(encoding="utf-8")
                .replace('"values": {"ru1": ["7"]', '"values": {"ru1": "7"'),
                encoding="utf-8",
            ),
            r"numbers\.jsonl:1: key 'values' must map",
        ),
    ],
)
def test_load_run_names_the_damaged_file(run_dir: Path, damage, message: str) -> None:
    damage(run_dir)
    with pytest.raises(AlignerError, match=message):
        load_run(run_dir)


def test_load_run_rejects_units_that_point_nowhere(run_dir: Path) -> None:
    path = run_dir / "alignments.jsonl"
    record = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    record["segments"]["ru1"]["sentences"] = [99]
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(AlignerError, match=r"alignments\.jsonl.*out of range"):
        load_run(run_dir)
    record["segments"]["ghost"] = record["segments"].pop("ru1")
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(AlignerError, match="ghost"):
        load_run(run_dir)
    with pytest.raises(AlignerError, match="not a folder"):
        load_run(run_dir / "nothing-here")


def test_unit_scores_are_rounded_for_stable_files(tmp_path: Path) -> None:
    result = hostile_run()
    result.units[0] = dataclasses.replace(result.units[0], score=0.1 + 0.2)  # 0.30000000000000004
    write_format(result, tmp_path, "jsonl")
    assert (
        json.loads((tmp_path / "alignments.jsonl").read_text(encoding="utf-8").splitlines()[0])["score"]
        == 0.3
    )


def test_cli_export_rewrites_a_run_without_loading_a_model(
    run_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    from click.testing import CliRunner

    import aligner.embedding.encoder
    from aligner.cli import cli

    def no_model(*args, **kwargs):
        raise AssertionError("export must not load the model")

    monkeypatch.setattr(aligner.embedding.encoder.SentenceTransformerEncoder, "__init__", no_model)
    (run_dir / "corpus.tmx").unlink()
    runner = CliRunner()
    result = runner.invoke(cli, ["export", str(run_dir), "--format", "tmx"])
    assert result.exit_code == 0, result.output
    assert (run_dir / "corpus.tmx").read_bytes() == (
        _write_run(hostile_run(), tmp_path / "ref") / "corpus.tmx"
    ).read_bytes()
    other = tmp_path / "other"
    result = runner.invoke(
        cli, ["export", str(run_dir), "--format", "moses", "--min-score", "0.7", "--to", str(other)]
    )
    assert result.exit_code == 0, result.output
    assert len((other / "pairs" / "en-ru.en").read_text(encoding="utf-8").splitlines()) == 3


def test_a_language_code_that_cannot_name_a_file_is_refused(tmp_path: Path) -> None:
    result = hostile_run()
    result.units[0] = dataclasses.replace(
        result.units[0], segments={**result.units[0].segments, "x": Segment("x", "../evil", (0,), "text")}
    )
    with pytest.raises(AlignerError, match="'../evil' cannot name a file"):
        write_format(result, tmp_path, "tsv")
    assert not (tmp_path.parent / "evil.tsv").exists()


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_tsv_escaping_round_trips_and_keeps_one_record_per_line(text: str) -> None:
    escaped = escape_tsv(text)
    assert unescape_tsv(escaped) == text
    assert not {"\t", "\n", "\r"} & set(escaped)
    assert len(one_line(text).splitlines()) <= 1 and "\t" not in one_line(text)
    assert len(safe_text(text)) == len(text) and not re.search(r"[\x00-\x1f\x7f-\x9f]", safe_text(text))
