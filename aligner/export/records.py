"""The JSON record files of a run, written (``aligner.export.load`` reads them back).

documents.jsonl, stories.json, alignments.jsonl and numbers.jsonl hold the whole RunResult (with
manifest.json, which the pipeline writes), so ``aligner export`` can re-export a run without re-encoding.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aligner.errors import AlignerError
from aligner.export.files import json_line, score, write_text
from aligner.types import Document, NumberFinding, RunResult, Story, Unit

DOCUMENTS = "documents.jsonl"
STORIES = "stories.json"
ALIGNMENTS = "alignments.jsonl"
NUMBERS = "numbers.jsonl"
MANIFEST = "manifest.json"


class _Where:
    """Where a record came from, for error messages: "DIR/alignments.jsonl:12"."""

    def __init__(self, path: Path, line: int | None = None) -> None:
        self.label = f"{path}:{line}" if line is not None else str(path)

    def fail(self, what: str) -> AlignerError:
        return AlignerError(f"{self.label}: {what}; the run folder is damaged (re-run `aligner run`)")


# --- RunResult -> JSON records (fixed key order, as in the output contract) ---


def document_record(doc: Document) -> dict[str, Any]:
    record = {
        "doc": doc.doc_id,
        "lang": doc.lang,
        "source": doc.source,
        "sha256": doc.sha256,
        "sentences": list(doc.sentences),
        "paragraph_of": list(doc.paragraph_of),
    }
    if doc.license:  # only where the input gave one
        record["license"] = doc.license
    return record


def story_record(story: Story) -> dict[str, Any]:
    return {
        "story": story.story_id,
        "docs": list(story.docs),
        "languages": list(story.languages),
        "score": score(story.score),
        "reasons": list(story.reasons),
    }


def unit_record(unit: Unit) -> dict[str, Any]:
    return {
        "story": unit.story_id,
        "unit": unit.index,
        "segments": {
            doc_id: {"lang": seg.lang, "sentences": list(seg.sentences), "text": seg.text}
            for doc_id, seg in unit.segments.items()
        },
        "score": score(unit.score),
        "pair_scores": {pair: score(value) for pair, value in sorted(unit.pair_scores.items())},
    }


def finding_record(finding: NumberFinding) -> dict[str, Any]:
    return {
        "story": finding.story_id,
        "unit": finding.unit,
        "docs": list(finding.docs),
        "kind": finding.kind,
        "values": {doc: list(values) for doc, values in finding.values.items()},
        "message": finding.message,
        "severity": finding.severity,
        "odd_one_out": finding.odd_one_out,
        "marked": dict(finding.marked),
    }


def _jsonl(records: Iterator[dict[str, Any]] | list[dict[str, Any]]) -> Iterator[str]:
    """The lines of a JSONL file, one at a time (written as they come)."""
    return (json_line(record) + "\n" for record in records)


def alignment_shard(number: int, shards: int) -> str:
    return f"alignments-{number:05d}-of-{shards:05d}.jsonl"


def refuse_non_finite(result: RunResult) -> None:
    """No output holds a NaN or infinite score: JSON has neither, and a TMX or TSV "nan" or "inf" is no
    score at all. A run never makes one; a result that holds one is refused before anything is written."""
    scores = [(f"story {s.story_id}", s.score) for s in result.stories]
    for unit in result.units:
        scores += [
            (f"unit {unit.story_id}/{unit.index}", value)
            for value in (unit.score, *unit.pair_scores.values())
        ]
    for label, value in scores:
        if not math.isfinite(value):
            raise AlignerError(f"{label}: a score of {value}; nothing written")


def write_records(result: RunResult, outdir: Path, shard_units: int | None = None) -> list[Path]:
    """documents.jsonl, stories.json, alignments.jsonl, numbers.jsonl: never filtered, the full record.

    A run of more than ``shard_units`` units writes its units as alignments-NNNNN-of-NNNNN.jsonl instead.
    """
    stories = json.dumps([story_record(s) for s in result.stories], ensure_ascii=False, indent=2)
    written = [
        write_text(outdir / DOCUMENTS, _jsonl(document_record(d) for d in result.documents)),
        write_text(outdir / STORIES, stories + "\n"),
    ]
    units = result.units
    if shard_units and len(units) > shard_units:
        shards = -(-len(units) // shard_units)
        for number in range(shards):
            rows = range(number * shard_units, min((number + 1) * shard_units, len(units)))
            chunk = (units[row] for row in rows)  # one at a time: a shard's units are never all in memory
            written.append(
                write_text(outdir / alignment_shard(number, shards), _jsonl(unit_record(u) for u in chunk))
            )
    else:
        written.append(write_text(outdir / ALIGNMENTS, _jsonl(unit_record(u) for u in units)))
    written.append(write_text(outdir / NUMBERS, _jsonl(finding_record(f) for f in result.findings)))
    return written


_SHARD_NAME = re.compile(r"alignments-(\d{5})-of-(\d{5})\.jsonl")


def alignment_files(outdir: Path) -> list[Path]:
    """alignments.jsonl, or its shards in order: all N of them (``-of-N`` in every name), or an error."""
    shards = sorted(outdir.glob("alignments-*-of-*.jsonl"))
    if not shards:
        return [outdir / ALIGNMENTS]
    if (outdir / ALIGNMENTS).exists():
        raise _Where(outdir / ALIGNMENTS).fail("found beside alignment shards; a run writes one or the other")
    names = [_SHARD_NAME.fullmatch(path.name) for path in shards]
    totals = {int(name.group(2)) for name in names if name}
    if None in names or len(totals) != 1:
        odd = next((path.name for path, name in zip(shards, names, strict=True) if not name), shards[-1].name)
        raise _Where(outdir / odd).fail("alignment shard names disagree on how many shards there are")
    (total,) = totals
    present = {int(name.group(1)) for name in names if name}
    missing = sorted(set(range(total)) - present)
    if missing or len(present) != total:
        lost = alignment_shard(missing[0], total) if missing else f"a shard numbered past {total}"
        raise _Where(outdir / lost).fail(f"missing: {len(present)} of {total} alignment shards present")
    return shards


COUNTED = {"documents": DOCUMENTS, "stories": STORIES, "units": ALIGNMENTS, "findings": NUMBERS}
DIGESTS = "records_sha256"  # the manifest's sha256 of each record file, by name


def _counts(result: RunResult) -> dict[str, int]:
    return {
        "documents": len(result.documents),
        "stories": len(result.stories),
        "units": len(result.units),
        "findings": sum(f.kind != "matched" for f in result.findings),
    }


def record_digests(outdir: Path) -> dict[str, str]:
    """sha256 of each record file of a run folder (written into its manifest)."""
    names = [DOCUMENTS, STORIES, *(path.name for path in alignment_files(outdir)), NUMBERS]
    return {name: _file_sha256(outdir / name) for name in names}


def _file_sha256(path: Path) -> str:
    with open(path, "rb") as handle:  # in blocks: a crawl's alignments are never read whole
        return hashlib.file_digest(handle, "sha256").hexdigest()
