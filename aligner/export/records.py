"""The JSON record files of a run and reading them back.

documents.jsonl, stories.json, alignments.jsonl and numbers.jsonl hold the whole RunResult (with
manifest.json, which the pipeline writes), so ``aligner export`` can re-export a run without re-encoding.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from aligner.errors import AlignerError
from aligner.export.files import json_line, score, write_text
from aligner.types import Document, NumberFinding, RunResult, Segment, Skipped, Story, Unit
from aligner.user_paths import regular_input

DOCUMENTS = "documents.jsonl"
STORIES = "stories.json"
ALIGNMENTS = "alignments.jsonl"
NUMBERS = "numbers.jsonl"
MANIFEST = "manifest.json"


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


def _jsonl(records: Iterator[dict[str, Any]] | list[dict[str, Any]]) -> str:
    return "".join(json_line(record) + "\n" for record in records)


def alignment_shard(number: int, shards: int) -> str:
    return f"alignments-{number:05d}-of-{shards:05d}.jsonl"


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
            chunk = units[number * shard_units : (number + 1) * shard_units]
            written.append(
                write_text(outdir / alignment_shard(number, shards), _jsonl(unit_record(u) for u in chunk))
            )
    else:
        written.append(write_text(outdir / ALIGNMENTS, _jsonl(unit_record(u) for u in units)))
    written.append(write_text(outdir / NUMBERS, _jsonl(finding_record(f) for f in result.findings)))
    return written


def alignment_files(outdir: Path) -> list[Path]:
    """alignments.jsonl, or its shards in order."""
    shards = sorted(outdir.glob("alignments-*-of-*.jsonl"))
    return shards if shards and not (outdir / ALIGNMENTS).exists() else [outdir / ALIGNMENTS]


# --- JSON records -> RunResult, with errors that name the file and line ---


class _Where:
    """Where a record came from, for error messages: "DIR/alignments.jsonl:12"."""

    def __init__(self, path: Path, line: int | None = None) -> None:
        self.label = f"{path}:{line}" if line is not None else str(path)

    def fail(self, what: str) -> AlignerError:
        return AlignerError(f"{self.label}: {what}; the run folder is damaged (re-run `aligner run`)")


def _field(record: Any, key: str, kind: type | tuple[type, ...], where: _Where) -> Any:
    if not isinstance(record, dict):
        raise where.fail("expected a JSON object")
    if key not in record:
        raise where.fail(f"missing key {key!r}")
    value = record[key]
    # bool is an int subclass; a true/false where a number belongs is damage, not a value
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
        raise where.fail(f"key {key!r} has the wrong type ({type(value).__name__})")
    return value


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _strings(values: Any, key: str, where: _Where) -> tuple[str, ...]:
    if not all(isinstance(v, str) for v in values):
        raise where.fail(f"key {key!r} must hold strings")
    return tuple(values)


def _ints(values: Any, key: str, where: _Where) -> tuple[int, ...]:
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise where.fail(f"key {key!r} must hold integers")
    return tuple(values)


def _read(path: Path) -> str:
    if path.exists() and not path.is_file():  # a FIFO would block, /dev/zero never end
        regular_input(path, "run folder's file")  # refused, saying what it is
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AlignerError(f"{path}: missing; is {path.parent} the --out folder of `aligner run`?") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AlignerError(f"{path}: cannot be read ({exc})") from None


def _read_jsonl(path: Path, parse: Callable[[Any, _Where], Any]) -> list[Any]:
    items = []
    for number, line in enumerate(_read(path).split("\n"), start=1):
        if not line.strip():
            continue
        where = _Where(path, number)
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise where.fail(f"not valid JSON ({exc.msg})") from None
        items.append(parse(record, where))
    return items


def _document(record: Any, where: _Where) -> Document:
    sentences = _strings(_field(record, "sentences", list, where), "sentences", where)
    paragraph_of = _ints(_field(record, "paragraph_of", list, where), "paragraph_of", where)
    if len(paragraph_of) != len(sentences):
        raise where.fail("'paragraph_of' and 'sentences' differ in length")
    return Document(
        doc_id=_field(record, "doc", str, where),
        lang=_field(record, "lang", str, where),
        source=_field(record, "source", str, where),
        sentences=sentences,
        paragraph_of=paragraph_of,
        sha256=_field(record, "sha256", str, where) if "sha256" in record else "",  # absent in older runs
        license=_field(record, "license", str, where) if "license" in record else None,
    )


def _story(record: Any, where: _Where) -> Story:
    return Story(
        story_id=_field(record, "story", str, where),
        docs=_strings(_field(record, "docs", list, where), "docs", where),
        languages=_strings(_field(record, "languages", list, where), "languages", where),
        score=float(_field(record, "score", (int, float), where)),
        reasons=_strings(_field(record, "reasons", list, where), "reasons", where),
    )


def _unit(record: Any, where: _Where) -> Unit:
    segments = {}
    for doc_id, seg in _field(record, "segments", dict, where).items():
        segments[doc_id] = Segment(
            doc_id=doc_id,
            lang=_field(seg, "lang", str, where),
            sentences=_ints(_field(seg, "sentences", list, where), "sentences", where),
            text=_field(seg, "text", str, where),
        )
    pair_scores = _field(record, "pair_scores", dict, where)
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in pair_scores.values()):
        raise where.fail("key 'pair_scores' must hold numbers")
    return Unit(
        story_id=_field(record, "story", str, where),
        index=_field(record, "unit", int, where),
        segments=segments,
        score=float(_field(record, "score", (int, float), where)),
        pair_scores={pair: float(value) for pair, value in pair_scores.items()},
    )


def _finding(record: Any, where: _Where) -> NumberFinding:
    docs = _strings(_field(record, "docs", list, where), "docs", where)
    if len(docs) != 2:
        raise where.fail("key 'docs' must hold two document ids")
    values = _field(record, "values", dict, where)
    marked = _field(record, "marked", dict, where)
    if not all(isinstance(v, list) for v in values.values()):
        raise where.fail("key 'values' must map document ids to lists")
    if not all(isinstance(v, str) for v in marked.values()):
        raise where.fail("key 'marked' must map document ids to text")
    odd = _field(record, "odd_one_out", (str, type(None)), where)
    return NumberFinding(
        story_id=_field(record, "story", str, where),
        unit=_field(record, "unit", int, where),
        docs=(docs[0], docs[1]),
        kind=_field(record, "kind", str, where),
        values={doc: list(_strings(v, "values", where)) for doc, v in values.items()},
        message=_field(record, "message", str, where),
        severity=_field(record, "severity", str, where),
        odd_one_out=odd,
        marked=dict(marked),
    )


def _skipped(manifest: dict, where: _Where) -> list[Skipped]:
    """Skipped inputs, if the manifest lists them as {"source", "reason", "doc_id"?} objects."""
    entries = manifest.get("skipped", [])
    if not isinstance(entries, list):
        raise where.fail("key 'skipped' must be a list")
    return [
        Skipped(
            source=_field(e, "source", str, where),
            reason=_field(e, "reason", str, where),
            doc_id=e.get("doc_id") if isinstance(e.get("doc_id"), str) else None,
        )
        for e in entries
    ]


def _check_references(result: RunResult, outdir: Path) -> None:
    """Units and findings must point at documents and sentences that exist."""
    sizes = {doc.doc_id: len(doc.sentences) for doc in result.documents}
    for unit in result.units:
        where = _Where(outdir / ALIGNMENTS)
        for doc_id, seg in unit.segments.items():
            if doc_id not in sizes:
                raise where.fail(f"unit {unit.story_id}/{unit.index} names unknown document {doc_id!r}")
            if any(not 0 <= i < sizes[doc_id] for i in seg.sentences):
                raise where.fail(
                    f"unit {unit.story_id}/{unit.index}: sentence id out of range for {doc_id!r}"
                )
    for story in result.stories:
        unknown = [d for d in story.docs if d not in sizes]
        if unknown:
            raise _Where(outdir / STORIES).fail(
                f"story {story.story_id} names unknown document {unknown[0]!r}"
            )


def load_run(outdir: Path) -> RunResult:
    """Read a run folder back into a RunResult; AlignerError naming the file (and line) on damage."""
    outdir = Path(outdir)
    if not outdir.is_dir():
        raise AlignerError(f"{outdir}: not a folder; give the --out folder of `aligner run`")
    manifest_where = _Where(outdir / MANIFEST)
    try:
        manifest = json.loads(_read(outdir / MANIFEST))
    except json.JSONDecodeError as exc:
        raise manifest_where.fail(f"not valid JSON ({exc.msg})") from None
    if not isinstance(manifest, dict):
        raise manifest_where.fail("expected a JSON object")
    stories_where = _Where(outdir / STORIES)
    try:
        story_list = json.loads(_read(outdir / STORIES))
    except json.JSONDecodeError as exc:
        raise stories_where.fail(f"not valid JSON ({exc.msg})") from None
    if not isinstance(story_list, list):
        raise stories_where.fail("expected a JSON list of stories")
    result = RunResult(
        documents=_read_jsonl(outdir / DOCUMENTS, _document),
        skipped=_skipped(manifest, manifest_where),
        stories=[_story(record, stories_where) for record in story_list],
        units=[unit for path in alignment_files(outdir) for unit in _read_jsonl(path, _unit)],
        findings=_read_jsonl(outdir / NUMBERS, _finding),
        manifest=manifest,
    )
    _check_references(result, outdir)
    return result
