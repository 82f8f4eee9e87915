"""Stories aligned before are reused by content: reruns resume, new documents re-align their story only."""

from __future__ import annotations

import dataclasses

from engine_helpers import LoggingEncoder, encoded, pile_options, same_files, write_pile

from aligner.align import AlignConfig
from aligner.embed import Embedder, EmbeddingCache
from aligner.pipeline import run, work_folder
from aligner.resume import StoryUnits
from aligner.types import Document, Segment, Story, Unit


def test_units_round_trip_bit_for_bit_under_a_new_story_id(tmp_path):
    keep = StoryUnits(tmp_path, {"model": "m"})
    doc = Document("d1", "en", "x.txt", ("One.", "Two \ud800."), (0, 0))
    story = Story("s1", ("d1",), ("en",), 1.0)
    units = [
        Unit("s1", 0, {"d1": Segment("d1", "en", (0, 1), "One. Two \ud800.")}, 0.1 + 0.2, {"a|b": 1 / 3})
    ]
    key = keep.key(story, {"d1": doc})
    assert keep.get(key, "s9") is None
    keep.put(key, units)
    assert keep.get(key, "s9") == [dataclasses.replace(units[0], story_id="s9")]
    other = StoryUnits(tmp_path, {"model": "another model"})
    assert other.key(story, {"d1": doc}) != key  # another model or setting: aligned again
    edited = dataclasses.replace(doc, sentences=("One.", "Three."))
    assert keep.key(story, {"d1": edited}) != key


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
    assert reuse.get("ab" * 32, "s1") is None
