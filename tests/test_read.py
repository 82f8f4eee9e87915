import json
from pathlib import Path

from aligner.documents.read import clean_text, read_documents


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_reads_files_and_directories_recursively(tmp_path):
    write(tmp_path / "a" / "one.txt", "Первое предложение.".encode())
    write(tmp_path / "a" / "b" / "two.txt", b"Second sentence.")
    write(tmp_path / "a" / "notes.md", b"ignored")
    result = read_documents([tmp_path / "a"])
    assert [d.doc_id for d in result.documents] == ["two", "one"]  # sorted paths: a/b/two.txt < a/one.txt
    assert result.skipped == []


def test_bom_is_fine_and_text_is_nfc_without_invisible_characters(tmp_path):
    text = "\ufeffCafe\u0301 2\u200b024 \u200fسعر\u202c\n"
    result = read_documents([write(tmp_path / "x.txt", text.encode("utf-8"))])
    assert result.documents[0].text == "Café 2024 سعر\n"


def test_non_utf8_is_skipped_with_a_reason_naming_the_encoding(tmp_path):
    path = write(tmp_path / "legacy.txt", "Привет, мир. Это текст в другой кодировке.".encode("cp1251"))
    result = read_documents([path])
    assert result.documents == []
    (skip,) = result.skipped
    assert skip.source == str(path)
    assert "not UTF-8" in skip.reason and "cp1251" in skip.reason


def test_utf16_and_binary_and_empty_files_are_skipped(tmp_path):
    utf16 = write(tmp_path / "u16.txt", "Hello world.".encode("utf-16"))
    png = write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    empty = write(tmp_path / "empty.txt", b"  \n\t\n")
    result = read_documents([utf16, png, empty])
    reasons = {Path(s.source).name: s.reason for s in result.skipped}
    assert "UTF-16" in reasons["u16.txt"]
    assert reasons["image.txt"] == "binary file, not text"
    assert "empty" in reasons["empty.txt"]
    assert result.documents == []


def test_jsonl_records_and_their_problems(tmp_path):
    lines = [
        json.dumps({"id": "d1", "text": "Hello there.", "lang": "en"}),
        "{broken",
        json.dumps({"id": "d2"}),
        json.dumps({"text": "no id"}),
        json.dumps({"id": "d1", "text": "Duplicate id."}),
        json.dumps({"id": 7, "text": "Numeric id."}),
    ]
    path = write(tmp_path / "docs.jsonl", "\n".join(lines).encode())
    result = read_documents([path])
    assert [(d.doc_id, d.lang_hint) for d in result.documents] == [("d1", "en"), ("7", None)]
    reasons = [s.reason for s in result.skipped]
    assert any("not valid JSON" in r for r in reasons)
    assert any('missing "text"' in r for r in reasons)
    assert any('missing "id"' in r for r in reasons)
    assert any("duplicate document id" in r for r in reasons)
    assert all(":" in s.source for s in result.skipped)  # file:line


def test_missing_path_and_empty_directory(tmp_path):
    (tmp_path / "empty").mkdir()
    result = read_documents([tmp_path / "nope.txt", tmp_path / "empty"])
    assert result.documents == []
    assert [s.reason for s in result.skipped] == [
        "no such file or directory",
        "directory has no *.txt, *.jsonl or *.parquet files",
    ]


def test_path_with_spaces_and_non_latin_letters(tmp_path):
    path = write(tmp_path / "папка с пробелами" / "статья 1.txt", "Текст статьи.".encode())
    result = read_documents([path.parent])
    assert result.documents[0].doc_id == "статья 1"


def test_clean_text_keeps_published_text_but_drops_controls():
    assert clean_text("a\r\nb\x00c\x07d") == "a\nb c d"
    assert clean_text("«Кавычки» — тире") == "«Кавычки» — тире"


def test_a_giant_single_line_is_skipped_with_its_size(tmp_path):
    path = write(tmp_path / "dump.txt", ("x" * 10 * 1024 * 1024).encode())
    ok = write(tmp_path / "ok.txt", b"A normal article.")
    result = read_documents([path, ok])
    assert [d.doc_id for d in result.documents] == ["ok"]
    assert "line 1 has 10,485,760 characters" in result.skipped[0].reason


def test_many_short_lines_are_read(tmp_path):
    path = write(tmp_path / "lines.txt", "\n".join(f"Line {i}." for i in range(50_000)).encode())
    (document,) = read_documents([path]).documents
    assert document.text.count("\n") == 49_999


def test_a_jsonl_lang_that_is_not_a_language_code_is_skipped_and_an_empty_one_ignored(tmp_path):
    lines = [
        {"id": "a", "text": "Some text here.", "lang": "../../x"},
        {"id": "b", "text": "Some text here.", "lang": ""},
        {"id": "c", "text": "Some text here.", "lang": ["en"]},
    ]
    (tmp_path / "d.jsonl").write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    result = read_documents([tmp_path / "d.jsonl"])
    assert [(d.doc_id, d.lang_hint) for d in result.documents] == [("b", None)]
    assert [s.doc_id for s in result.skipped] == ["a", "c"]
    assert all("is not a language code" in s.reason for s in result.skipped)
