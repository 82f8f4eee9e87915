"""Stories aligned before are reused by content: reruns resume, new documents re-align their story only."""

from __future__ import annotations

import dataclasses
import json

import pytest
from engine_helpers import LoggingEncoder, encoded, pile_options, same_files, write_pile

from aligner.align import AlignConfig
from aligner.embedding.cache import EmbeddingCache
from aligner.embedding.embedder import Embedder
from aligner.pipeline import run, work_folder
from aligner.rundir.resume import StoryUnits
from aligner.types import Document, Segment, Story, Unit


def test_units_round_trip_bit_for_bit_under_a_new_story_id(tmp_path):
    keep = StoryUnits(tmp_path, {"model": "m"})
    doc = Document("d1", "en", "x.txt", ("One.", "Two \ud800."), (0, 0))
    second = Document("d2", "ru", "y.txt", ("Один.",), (0,))
    documents = {"d1": doc, "d2": second}
    story = Story("s1", ("d1", "d2"), ("en", "ru"), 1.0)
    segments = {
        "d1": Segment("d1", "en", (0, 1), "One. Two \ud800."),
        "d2": Segment("d2", "ru", (0,), "Один."),
    }
    units = [Unit("s1", 0, segments, 0.1 + 0.2, {"d1|d2": 1 / 3})]
    key = keep.key(story, documents)
    renumbered = dataclasses.replace(story, story_id="s9")
    assert keep.get(key, renumbered, documents) is None
    keep.put(key, units)
    assert keep.get(key, renumbered, documents) == [dataclasses.replace(units[0], story_id="s9")]
    other = StoryUnits(tmp_path, {"model": "another model"})
    assert other.key(story, documents) != key  # another model or setting: aligned again
    edited = dataclasses.replace(doc, sentences=("One.", "Three."))
    assert keep.key(story, {**documents, "d1": edited}) != key


def test_a_grown_pile_reuses_every_unchanged_story(tmp_path):
    ids = write_pile(tmp_path / "in", stories=4)
    log = tmp_path / "encoded.log"

    def embedder():
        return Embedder(LoggingEncoder(log), EmbeddingCache(tmp_path / "cache.sqlite"), progress=False)

    first = run([tmp_path / "in"], tmp_path / "out", embedder(), pile_options(ids))
    assert first.manifest["execution"]["stories_reused"] == 0
    assert work_folder(tmp_path / "out").is_dir()
    before = len(encoded(log))
    ids += write_pile(tmp_path / "in", stories=1, first=4)
    grown = run([tmp_path / "in"], tmp_path / "out", embedder(), pile_options(ids), force=True)
    assert grown.manifest["execution"]["stories_reused"] == 4
    assert grown.manifest["execution"]["stories_aligned"] == 1
    assert not {d for _, d in encoded(log)[before:]} & {d for _, d in encoded(log)[:before]}
    fresh = run([tmp_path / "in"], tmp_path / "fresh", embedder(), pile_options(ids), resume=False)
    assert fresh.manifest["execution"]["stories_reused"] == 0
    same_files(tmp_path / "fresh", tmp_path / "out")
    changed = dataclasses.replace(pile_options(ids), align=AlignConfig(max_bead=2))
    other = run([tmp_path / "in"], tmp_path / "out", embedder(), changed, force=True)
    assert other.manifest["execution"]["stories_reused"] == 0  # other settings: nothing reused


def test_a_full_disk_leaves_no_partial_story_file(tmp_path, monkeypatch):
    import errno
    from pathlib import Path

    def full(self, *args, **kwargs):
        Path(self).touch()  # the file is made, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    reuse = StoryUnits(tmp_path / "stories", {"v": 1})
    unit = Unit("s1", 0, {"a": Segment("a", "en", (0,), "One.")}, 0.5, {})
    monkeypatch.setattr(Path, "write_text", full)
    reuse.put("ab" * 32, [unit])  # the run goes on: costs a re-alignment next time
    monkeypatch.undo()
    assert [p.name for p in (tmp_path / "stories").rglob("*") if p.is_file()] == []
    assert reuse.get("ab" * 32, Story("s1", ("a",), ("en",), 1.0), {}) is None


def _kept(out) -> list:
    return sorted((work_folder(out) / "stories").rglob("*.json"))


def _edit_text(kept: dict) -> None:
    segment = next(iter(kept["units"][0]["segments"].values()))
    segment[2] = "An edited sentence that no input holds."


def _sentence_999(kept: dict) -> None:
    next(iter(kept["units"][0]["segments"].values()))[1] = [999]


def _wrong_type(kept: dict) -> None:
    kept["units"][0]["score"] = "high"


def _reseal(damage):
    """The damage with a checksum made for it: the checks on the units must catch it on their own."""
    from aligner.rundir.resume import _checksum

    def resealed(kept: dict) -> None:
        damage(kept)
        kept["checksum"] = _checksum(kept["key"], kept["units"])

    resealed.__name__ = f"{damage.__name__}_resealed"
    return resealed


DAMAGE = {
    "edited text": lambda path: _rewrite(path, _edit_text),
    "edited text, checksum made to fit": lambda path: _rewrite(path, _reseal(_edit_text)),
    "an empty list": lambda path: path.write_text("[]"),
    "no units, checksum made to fit": lambda path: _rewrite(path, _reseal(lambda k: k.update(units=[]))),
    "sentence 999": lambda path: _rewrite(path, _sentence_999),
    "sentence 999, checksum made to fit": lambda path: _rewrite(path, _reseal(_sentence_999)),
    "a score of the wrong type": lambda path: _rewrite(path, _reseal(_wrong_type)),
    "index 10**30": lambda path: _rewrite(path, _reseal(lambda k: k["units"][0].update(index=10**30))),
    "cut in half": lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),
    "not UTF-8": lambda path: path.write_bytes(b"\xff\xfe" + path.read_bytes()),
    "deeply nested": lambda path: path.write_text("[" * 100_000 + "]" * 100_000),
    "another story's units": lambda path: path.write_bytes(_kept(path.parents[2])[0].read_bytes()),
}


def _rewrite(path, change) -> None:
    kept = json.loads(path.read_text(encoding="utf-8"))
    change(kept)
    path.write_text(json.dumps(kept), encoding="utf-8")


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_kept_story_is_aligned_again_with_a_note(tmp_path, capsys, damage):
    """Before: an edited text came out verbatim, [] gave 0 units, sentence 999 a damaged run folder and a
    wrong type "internal error". Now every such file is aligned again: the same output as a clean run."""
    ids = write_pile(tmp_path / "in", stories=2)

    def embedder():
        return Embedder(
            LoggingEncoder(tmp_path / "log"), EmbeddingCache(tmp_path / "cache.sqlite"), progress=False
        )

    run([tmp_path / "in"], tmp_path / "clean", embedder(), pile_options(ids), resume=False)
    run([tmp_path / "in"], tmp_path / "out", embedder(), pile_options(ids))
    kept = _kept(tmp_path / "out")
    assert len(kept) == 2
    target = kept[-1]
    if damage == "another story's units":
        target.write_bytes(kept[0].read_bytes())
    else:
        DAMAGE[damage](target)
    capsys.readouterr()
    again = run([tmp_path / "in"], tmp_path / "out", embedder(), pile_options(ids), force=True)
    assert again.manifest["execution"]["stories_reused"] == 1  # the sound one
    same_files(tmp_path / "clean", tmp_path / "out")
    notes = capsys.readouterr().err.strip().splitlines()
    assert len(notes) == 1 and target.name in notes[0] and "aligned again" in notes[0]
    healed = run([tmp_path / "in"], tmp_path / "out", embedder(), pile_options(ids), force=True)
    assert healed.manifest["execution"]["stories_reused"] == 2  # kept again, sound this time
