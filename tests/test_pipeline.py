"""The whole pipeline: output contract, atomic writes, reproducibility, bad input (test double encoder)."""

import json
import os
from pathlib import Path

import pytest

from aligner.errors import AlignerError
from aligner.pipeline import RunOptions, process, run, write_run
from aligner.stories.config import StoryConfig

EN = "The committee met on Monday. It approved 12 projects worth 2.8 billion dong. Work starts in 2024."
EN_COPY = "The committee met on Monday. It approved 12 projects worth 2.8 billion dong. Work starts in 2024."
RU = "Комитет собрался в понедельник. Он одобрил 12 проектов на 2,8 млрд донгов. Работы начнутся в 2024 году."


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "en1.txt").write_text(EN, encoding="utf-8")
    (folder / "en2.txt").write_text(EN_COPY + "\nExtra line here.", encoding="utf-8")
    (folder / "ru1.txt").write_text(RU, encoding="utf-8")
    (folder / "bad.txt").write_bytes("Привет мир".encode("cp1251"))
    (folder / "de.txt").write_text(
        "Dies ist ein deutscher Satz über das Wetter und die Politik.", encoding="utf-8"
    )
    return folder


def options() -> RunOptions:
    # The test double is meaning-blind: only the two English copies can be recognised as one story,
    # so a story may hold two documents of one language here.
    return RunOptions(
        lang_overrides={"en1": "en", "en2": "en", "ru1": "ru"}, stories=StoryConfig(one_per_language=False)
    )


def test_run_writes_the_output_contract(tmp_path, hashing_embedder):
    out = tmp_path / "out"
    result = run([corpus(tmp_path)], out, hashing_embedder, options())
    names = sorted(p.name for p in out.iterdir())
    for expected in [
        "alignments.jsonl",
        "corpus.tmx",
        "documents.jsonl",
        "manifest.json",
        "numbers.jsonl",
        "report.html",
        "stories.json",
    ]:
        assert expected in names
    documents = [json.loads(line) for line in (out / "documents.jsonl").read_text().splitlines()]
    assert {d["doc"] for d in documents} == {"en1", "en2", "ru1"}
    assert all(len(d["sentences"]) == len(d["paragraph_of"]) for d in documents)
    stories = json.loads((out / "stories.json").read_text())
    assert sorted(doc for story in stories for doc in story["docs"]) == ["en1", "en2", "ru1"]
    assert ["en1", "en2"] in [story["docs"] for story in stories]
    units = [json.loads(line) for line in (out / "alignments.jsonl").read_text().splitlines()]
    assert len(units) == 4 and all(set(u["segments"]) == {"en1", "en2"} for u in units[:3])
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["model"]["name"] == "hashing-trigrams"
    assert manifest["parameters"]["align"] and manifest["parameters"]["stories"]
    assert {i["doc"] for i in manifest["inputs"]} == {"en1", "en2", "ru1"}
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    reasons = {Path(s["source"]).name: s["reason"] for s in manifest["skipped"]}
    assert "not UTF-8" in reasons["bad.txt"] and "not one of" in reasons["de.txt"]
    assert result.manifest["counts"]["documents"] == 3
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.tmp")]


def test_same_input_gives_the_same_bytes(tmp_path, hashing_embedder):
    folder = corpus(tmp_path)
    run([folder], tmp_path / "a", hashing_embedder, options())
    run([folder], tmp_path / "b", hashing_embedder, options())
    for path in sorted((tmp_path / "a").rglob("*")):
        if path.is_file() and path.name != "manifest.json":
            assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes(), path
    first, second = (json.loads((tmp_path / n / "manifest.json").read_text()) for n in "ab")
    first.pop("timings"), second.pop("timings")
    # How the runs went: the 2nd hits the cache and its own work folder (b has none yet: nothing reused)
    first.pop("execution"), second.pop("execution")
    assert first == second


def test_existing_output_needs_force_and_is_replaced_whole(tmp_path, hashing_embedder):
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("previous run")
    with pytest.raises(AlignerError, match="exists; use --force"):
        run([corpus(tmp_path)], out, hashing_embedder, options())
    assert (out / "old.txt").read_text() == "previous run"
    run([tmp_path / "in"], out, hashing_embedder, options(), force=True)
    assert not (out / "old.txt").exists() and (out / "manifest.json").is_file()


def test_a_failure_while_writing_leaves_the_previous_output_and_no_temp_folder(
    tmp_path, hashing_embedder, monkeypatch
):
    out = tmp_path / "out"
    result = process([corpus(tmp_path)], hashing_embedder, options())
    write_run(result, out)
    before = sorted(p.name for p in out.iterdir())

    def explode(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("aligner.pipeline.write_outputs", explode)
    with pytest.raises(KeyboardInterrupt):
        write_run(result, out, force=True)
    assert sorted(p.name for p in out.iterdir()) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_unwritable_output_parent_is_a_clear_error(tmp_path, hashing_embedder, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    if os.geteuid() == 0:  # root writes anywhere: make the permission check see what a user would
        monkeypatch.setattr("aligner.pipeline.os.access", lambda path, mode: False)
    with pytest.raises(AlignerError, match="not writable"):
        run([corpus(tmp_path)], locked / "out", hashing_embedder, options())
    assert list(locked.iterdir()) == []


def test_nothing_usable_is_an_error_naming_the_problem(tmp_path, hashing_embedder):
    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(AlignerError, match="empty.txt: empty file"):
        run([tmp_path / "empty.txt"], tmp_path / "out", hashing_embedder)
    assert not (tmp_path / "out").exists()


def test_one_language_pile_and_one_document(tmp_path, hashing_embedder):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "only.txt").write_text(EN)
    result = run([folder], tmp_path / "out", hashing_embedder)
    assert [s.docs for s in result.stories] == [("only",)]
    assert result.units == []
    assert any("a story of one document" in n for n in result.manifest["notices"])


def test_numbers_checked_a_few_units_at_a_time_give_the_findings_of_one_batch(
    tmp_path, hashing_embedder, monkeypatch
):
    from engine_helpers import pile_options, write_pile

    from aligner import pipeline

    ids = write_pile(tmp_path / "in")
    whole = process([tmp_path / "in"], hashing_embedder, pile_options(ids))
    monkeypatch.setattr(pipeline, "CHECKED_AT_ONCE", 1)  # a map for every story
    batched = process([tmp_path / "in"], hashing_embedder, pile_options(ids))
    assert len(whole.findings) > 6 and list(batched.findings) == list(whole.findings)
    assert len({finding.story_id for finding in whole.findings}) == 6
    assert list(batched.units) == list(whole.units)
