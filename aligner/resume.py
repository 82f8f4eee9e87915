"""Units of stories aligned before, kept by content, so reruns resume and grow incrementally.

A story's units depend only on its documents (ids, languages, sentences, in story order), the model and
the aligner's settings; the key is the hash of all of them. Each story is kept in a file of its own the
moment it is aligned (written beside, then renamed), so a run killed midway loses at most the stories in
flight, and a run with new documents re-aligns only the stories whose membership changed. Floats are
kept as JSON writes them (shortest round trip), so reused units are the units aligned, bit for bit.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import uuid
from collections.abc import Mapping
from pathlib import Path

from aligner.types import Document, Segment, Story, Unit


class StoryUnits:
    def __init__(self, folder: Path, context: Mapping) -> None:
        self.folder = Path(folder)
        self.context = json.dumps(context, sort_keys=True, ensure_ascii=False)
        self.reused = 0  # stories whose units were taken from the folder in this run

    def key(self, story: Story, documents: Mapping[str, Document]) -> str:
        digest = hashlib.sha256(self.context.encode("utf-8"))
        for doc_id in story.docs:
            doc = documents[doc_id]
            part = json.dumps([doc.doc_id, doc.lang, list(doc.sentences)], ensure_ascii=False)
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str, story_id: str) -> list[Unit] | None:
        """The units kept under ``key``, given ``story_id`` (story numbers change as a pile grows)."""
        try:
            records = json.loads(self._path(key).read_text(encoding="utf-8"))
            return [_unit(record, story_id) for record in records]
        except (OSError, ValueError, KeyError, TypeError):  # none, or damaged: the story is aligned again
            return None

    def put(self, key: str, units: list[Unit]) -> None:
        path = self._path(key)
        records = [
            {
                "index": unit.index,
                "score": unit.score,
                "pair_scores": unit.pair_scores,
                "segments": {
                    doc: [seg.lang, list(seg.sentences), seg.text] for doc, seg in unit.segments.items()
                },
            }
            for unit in units
        ]
        # A folder that cannot be written costs a re-alignment next time, never this run.
        partial = path.with_name(f".{uuid.uuid4().hex}.part")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial.write_text(json.dumps(records), encoding="utf-8")  # ASCII: lone surrogates survive
            os.replace(partial, path)
        except BaseException as error:
            with contextlib.suppress(OSError):  # a full disk or a Ctrl-C leaves no empty .part behind
                partial.unlink(missing_ok=True)
            if not isinstance(error, OSError):
                raise


def _unit(record: dict, story_id: str) -> Unit:
    segments = {
        doc: Segment(doc, lang, tuple(int(i) for i in sentences), text)
        for doc, (lang, sentences, text) in record["segments"].items()
    }
    scores = {pair: float(value) for pair, value in record["pair_scores"].items()}
    return Unit(story_id, int(record["index"]), segments, float(record["score"]), scores)
