"""Hostile and broken input through the whole pipeline (test double encoder): skipped with a reason,
never a crash, nothing lost, nothing half-written."""

import errno
import json
import os
from pathlib import Path

import pytest

from aligner.errors import AlignerError
from aligner.pipeline import RunOptions, process, run, write_run
from aligner.stories.config import StoryConfig

ARTICLE = "The council approved 12 projects in 2024. Work will start in May. Residents welcomed it."


def files(folder: Path, contents: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in contents.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def test_a_pile_of_broken_files_is_skipped_one_by_one_and_the_rest_runs(tmp_path, hashing_embedder):
    folder = files(
        tmp_path / "in",
        {
            "good.txt": ARTICLE.encode(),
            "empty.txt": b"",
            "blank.txt": b" \n\t \n",
            "picture.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "utf16.txt": ARTICLE.encode("utf-16"),
            "latin1.txt": "Café crème brûlée à la française, très bon.".encode("latin-1"),
            "cp1256.txt": "مرحبا بكم في هذا الخبر".encode("cp1256"),
            "giant.txt": b"a" * (10 * 1024 * 1024),
            "docs.jsonl": b'{"id": "j1", "text": "' + ARTICLE.encode() + b'"}\n{"id": "j2"}\n{oops\n',
        },
    )
    result = process([folder], hashing_embedder)
    assert sorted(d.doc_id for d in result.documents) == ["good", "j1"]
    reasons = {Path(s.source.split(":")[0]).name: s.reason for s in result.skipped}
    assert set(reasons) == {
        "empty.txt",
        "blank.txt",
        "picture.txt",
        "utf16.txt",
        "latin1.txt",
        "cp1256.txt",
        "giant.txt",
        "docs.jsonl",
    }
    assert "UTF-16" in reasons["utf16.txt"] and "cp1256" in reasons["cp1256.txt"]
    assert all(reason and "\n" not in reason for reason in reasons.values())
    assert len(result.manifest["skipped"]) == len(result.skipped) == 9


def test_a_file_that_disappears_or_cannot_be_read_during_the_run(tmp_path, hashing_embedder, monkeypatch):
    folder = files(tmp_path / "in", {"a.txt": ARTICLE.encode(), "gone.txt": ARTICLE.encode()})
    original = Path.read_bytes

    def vanishing(self):
        if self.name == "gone.txt":
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(self))
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", vanishing)
    result = process([folder], hashing_embedder)
    assert [d.doc_id for d in result.documents] == ["a"]
    assert result.skipped[0].reason == "cannot read (No such file or directory)"


@pytest.mark.parametrize(
    "text",
    [
        # RTL mark and joiners inside numbers:
        "Цена выросла на 2\u200f,\u200d5% в 202\u200b4 году. Затем упала.",
        "<p>Council &amp; mayor approved <b>12</b> projects.</p> <script>alert(1)</script>",
        "# Heading\n\n* item **one**\n* item two\n\n[link](http://example.com)",
        "Emoji 🎉🇺🇦 in news 👍. Control\x07chars\x1b[31m here.",
        "2024 12 31 45 000 3,5",
        "Only a headline",
        "Первая половина по-русски. Second half in English with more words than the first half.",
    ],
)
def test_odd_text_runs_and_survives_intact(tmp_path, hashing_embedder, text):
    folder = files(tmp_path / "in", {"doc.txt": text.encode()})
    result = run([folder], tmp_path / "out", hashing_embedder, RunOptions(lang_overrides={"doc": "ru"}))
    (document,) = json.loads("[" + (tmp_path / "out" / "documents.jsonl").read_text().strip() + "]")
    joined = "".join(document["sentences"]).replace(" ", "")
    assert joined == "".join(result.documents[0].sentences).replace(" ", "")
    assert "\u200f" not in joined and "\u200b" not in joined and "\x07" not in joined


def test_identical_documents_and_a_one_language_pile(tmp_path, hashing_embedder):
    folder = files(tmp_path / "in", {f"copy{i}.txt": ARTICLE.encode() for i in range(5)})
    result = process(
        [folder], hashing_embedder, RunOptions(lang_overrides={f"copy{i}": "en" for i in range(5)})
    )
    assert sorted(d for s in result.stories for d in s.docs) == [f"copy{i}" for i in range(5)]
    assert all(
        len(s.languages) == len(set(s.languages)) for s in result.stories
    )  # one per language by default


def test_several_per_language_joins_identical_copies(tmp_path, hashing_embedder):
    folder = files(tmp_path / "in", {"a.txt": ARTICLE.encode(), "b.txt": ARTICLE.encode()})
    options = RunOptions(lang_overrides={"a": "en", "b": "en"}, stories=StoryConfig(one_per_language=False))
    result = process([folder], hashing_embedder, options)
    assert [s.docs for s in result.stories] == [("a", "b")]
    assert all(set(u.segments) == {"a", "b"} for u in result.units)


def test_disk_full_while_writing_is_one_line_and_keeps_the_previous_output(
    tmp_path, hashing_embedder, monkeypatch
):
    folder = files(tmp_path / "in", {"a.txt": ARTICLE.encode()})
    out = tmp_path / "out"
    result = run([folder], out, hashing_embedder)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("aligner.pipeline.write_outputs", full)
    with pytest.raises(AlignerError, match="No space left on device"):
        write_run(result, out, force=True)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp folder left


def test_out_that_is_a_file_is_refused(tmp_path, hashing_embedder):
    folder = files(tmp_path / "in", {"a.txt": ARTICLE.encode()})
    (tmp_path / "out").write_text("not a folder")
    with pytest.raises(AlignerError, match="not a folder"):
        run([folder], tmp_path / "out", hashing_embedder, force=True)
    assert (tmp_path / "out").read_text() == "not a folder"


@pytest.mark.slow
def test_fifty_thousand_short_lines_run_through(tmp_path, hashing_embedder):
    lines = "\n".join(f"Line number {i} of a long list." for i in range(50_000))
    folder = files(tmp_path / "in", {"list.txt": lines.encode()})
    result = process([folder], hashing_embedder, RunOptions(lang_overrides={"list": "en"}))
    (document,) = result.documents
    assert len(document.sentences) == 50_000
    assert document.paragraph_of[-1] == 49_999


def test_an_interrupted_cache_write_leaves_a_usable_cache(tmp_path):
    from aligner.embedding.cache import EmbeddingCache
    from aligner.embedding.embedder import Embedder
    from aligner.testing import HashingEncoder

    class Interrupting(HashingEncoder):
        calls = 0

        def encode(self, texts):
            Interrupting.calls += 1
            if Interrupting.calls == 2:
                raise KeyboardInterrupt
            return super().encode(texts)

    texts = [f"sentence {i}" for i in range(10)]
    with pytest.raises(KeyboardInterrupt):
        Embedder(Interrupting(), EmbeddingCache(tmp_path / "c.sqlite"), progress=False).embed(texts, batch=4)
    resumed = Embedder(HashingEncoder(), EmbeddingCache(tmp_path / "c.sqlite"), progress=False)
    vectors = resumed.embed(texts, batch=4)
    assert resumed.encoded_texts == 6  # the first batch of 4 was stored whole; the rest is encoded now
    assert (vectors == HashingEncoder().encode(texts)).all()


def test_a_file_name_that_is_not_utf8_or_holds_escapes_is_read_and_named_safely(tmp_path, hashing_embedder):
    folder = tmp_path / "in"
    folder.mkdir()
    name = b"caf\xe9-\x1b]0;x\x07.txt"  # Latin-1 bytes and a terminal title sequence
    with open(os.path.join(os.fsencode(folder), name), "wb") as handle:
        handle.write(ARTICLE.encode())
    result = run([folder], tmp_path / "out", hashing_embedder, RunOptions(lang_overrides={}))
    (document,) = result.documents
    assert document.doc_id == "caf\ufffd-\ufffd]0;x\ufffd"  # an id holds no control or lone surrogate
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"][0]["source"].endswith("caf\ufffd-\x1b]0;x\x07.txt")  # JSON escapes the rest
