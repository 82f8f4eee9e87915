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
import math
import os
import sys
import uuid
from collections.abc import Callable, Mapping
from itertools import combinations
from pathlib import Path

from aligner.safe import safe_text
from aligner.types import Document, Segment, Story, Unit


def _stderr_note(message: str) -> None:
    print(f"aligner: note: {safe_text(message)}", file=sys.stderr, flush=True)


class StoryUnits:
    def __init__(self, folder: Path, context: Mapping, warn: Callable[[str], None] | None = None) -> None:
        self.folder = Path(folder)
        self.warn = warn or _stderr_note
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

    def get(self, key: str, story: Story, documents: Mapping[str, Document]) -> list[Unit] | None:
        """The units kept under ``key``, for ``story`` (its number changes as a pile grows); None when
        none are kept, or when what is kept fails a check (a note says so): the story is aligned again.

        Nothing read back is trusted: the file must hold the key it is filed under and a checksum of its
        units tied to that key (the story's documents, model and settings), and every unit must fit the
        story's documents (ids, languages, sentence numbers in range, each sentence used once, the text
        those sentences make, finite scores), so an edited, truncated or hand-made file is aligned again,
        never written to the output as it stands.
        """
        path = self._path(key)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as error:
            self._note(path, getattr(error, "strerror", None) or str(error))
            return None
        try:
            return _checked_units(json.loads(text), key, story, documents)
        except (ValueError, RecursionError) as error:  # json's errors are ValueErrors too
            self._note(path, str(error).splitlines()[0][:200] if str(error) else type(error).__name__)
            return None

    def _note(self, path: Path, reason: str) -> None:
        self.warn(f"{path}: stored units of a story not used ({reason}); the story is aligned again")

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
        kept = {"format": FORMAT, "key": key, "checksum": _checksum(key, records), "units": records}
        # A folder that cannot be written costs a re-alignment next time, never this run.
        partial = path.with_name(f".{uuid.uuid4().hex}.part")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # ASCII: lone surrogates survive; no NaN or inf: what json.loads reads back is plain JSON
            partial.write_text(json.dumps(kept, allow_nan=False), encoding="utf-8")
            os.replace(partial, path)
        except BaseException as error:
            with contextlib.suppress(OSError):  # a full disk or a Ctrl-C leaves no empty .part behind
                partial.unlink(missing_ok=True)
            if not isinstance(error, OSError | ValueError):  # ValueError: a NaN score is never kept
                raise


FORMAT = 2  # the layout of a kept story; files of another layout are aligned again


class Damaged(ValueError):
    """Kept units that fail a check."""


def _checksum(key: str, records: list) -> str:
    """sha256 of the units as JSON writes them (floats shortest round trip: the same after a reload),
    tied to the key, so units kept for other documents or settings never pass as these."""
    canonical = json.dumps(records, sort_keys=True, allow_nan=False)
    return hashlib.sha256(f"{key}\n{canonical}".encode("ascii")).hexdigest()


def _require(condition: bool, reason: str) -> None:
    if not condition:
        raise Damaged(reason)


def _checked_units(kept: object, key: str, story: Story, documents: Mapping[str, Document]) -> list[Unit]:
    _require(
        isinstance(kept, dict) and set(kept) == {"format", "key", "checksum", "units"}, "not a kept story"
    )
    assert isinstance(kept, dict)
    _require(kept["format"] == FORMAT and kept["key"] == key, "kept for another layout or story")
    records = kept["units"]
    _require(isinstance(records, list), "units are not a list")
    _require(kept["checksum"] == _checksum(key, records), "checksum mismatch: edited or damaged")
    used: set[tuple[str, int]] = set()
    units = [
        _checked_unit(record, position, story, documents, used) for position, record in enumerate(records)
    ]
    # align_story puts every sentence of the story in exactly one unit
    total = sum(documents[doc_id].sentence_count for doc_id in dict.fromkeys(story.docs))
    _require(len(used) == total, f"{len(used)} of the story's {total} sentences in its units")
    return units


def _score(value: object) -> float:
    _require(type(value) in (int, float) and math.isfinite(value), f"a score of {value!r}")
    return float(value)  # type: ignore[arg-type]


def _checked_unit(
    record: object, position: int, story: Story, documents: Mapping[str, Document], used: set[tuple[str, int]]
) -> Unit:
    _require(
        isinstance(record, dict) and set(record) == {"index", "score", "pair_scores", "segments"}, "a unit"
    )
    assert isinstance(record, dict)
    _require(type(record["index"]) is int and record["index"] == position, f"unit index {record['index']!r}")
    segments_in, scores_in = record["segments"], record["pair_scores"]
    _require(isinstance(segments_in, dict) and bool(segments_in), "a unit without segments")
    _require(isinstance(scores_in, dict), "pair scores are not a mapping")
    segments: dict[str, Segment] = {}
    for doc_id, segment in segments_in.items():
        _require(doc_id in story.docs, f"document {doc_id!r} is not in the story")
        document = documents[doc_id]
        _require(isinstance(segment, list) and len(segment) == 3, f"segment of {doc_id!r}")
        lang, sentences, text = segment
        _require(lang == document.lang, f"language {lang!r} of {doc_id!r}")
        _require(isinstance(sentences, list) and bool(sentences), f"sentences of {doc_id!r}")
        for number in sentences:
            _require(type(number) is int and 0 <= number < len(document.sentences), f"sentence {number!r}")
            _require((doc_id, number) not in used, f"sentence {number} of {doc_id!r} used twice")
            used.add((doc_id, number))
        _require(text == " ".join(document.sentences[i] for i in sentences), f"text of {doc_id!r}")
        segments[doc_id] = Segment(doc_id, lang, tuple(sentences), text)
    pairs = {f"{first}|{second}" for first, second in combinations(sorted(segments), 2)}
    _require(set(scores_in) == pairs, "pair scores of other documents")
    pair_scores = {pair: _score(value) for pair, value in scores_in.items()}
    return Unit(story.story_id, position, segments, _score(record["score"]), pair_scores)
