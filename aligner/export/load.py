"""JSON records -> RunResult: a run folder read back, with errors that name the file and line; what was
read is checked against the manifest's counts and digests and against itself."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aligner.errors import AlignerError
from aligner.export.records import (
    ALIGNMENTS,
    COUNTED,
    DIGESTS,
    DOCUMENTS,
    MANIFEST,
    NUMBERS,
    STORIES,
    _counts,
    _Where,
    alignment_files,
    record_digests,
)
from aligner.rundir.user_paths import regular_input
from aligner.types import Document, NumberFinding, RunResult, Segment, Skipped, Story, Unit


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


MAX_INDEX = 2**31 - 1  # sentence, line and unit numbers: a run never comes near, Parquet's int64 holds them


def _ints(values: Any, key: str, where: _Where) -> tuple[int, ...]:
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise where.fail(f"key {key!r} must hold integers")
    if not all(0 <= v <= MAX_INDEX for v in values):
        raise where.fail(f"key {key!r} holds a number out of range")
    return tuple(values)


def _index(record: Any, key: str, where: _Where) -> int:
    (value,) = _ints([_field(record, key, int, where)], key, where)
    return value


def _number(record: Any, key: str, where: _Where) -> float:
    """A score: finite (a run never writes NaN or infinity; JSON has neither, Python's json reads both)."""
    value = float(_field(record, key, (int, float), where))
    if not math.isfinite(value):
        raise where.fail(f"key {key!r} is not a finite number ({value})")
    return value


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
        items.append(parse(_json(line, where), where))
    return items


def _json(text: str, where: _Where) -> Any:
    """Parsed JSON, with no lone surrogate in any string: a run writes UTF-8, which cannot hold one,
    so a ``\\ud800`` escape is an edit (and would stop the Parquet and terminal writers)."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise where.fail(f"not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise where.fail("nested too deeply") from None
    if "\\u" in text:
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise where.fail("a text holds a lone surrogate (\\ud800-\\udfff), which UTF-8 cannot") from None
    return value


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
        score=_number(record, "score", where),
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
    return Unit(
        story_id=_field(record, "story", str, where),
        index=_index(record, "unit", where),
        segments=segments,
        score=_number(record, "score", where),
        pair_scores={pair: _number(pair_scores, pair, where) for pair in pair_scores},
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
        unit=_index(record, "unit", where),
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
    """Units and findings must point at documents, sentences and units that exist; a unit's text must be
    its sentences, in its document's language."""
    documents = {doc.doc_id: doc for doc in result.documents}
    where = _Where(outdir / ALIGNMENTS)
    for unit in result.units:
        for doc_id, seg in unit.segments.items():
            if doc_id not in documents:
                raise where.fail(f"unit {unit.story_id}/{unit.index} names unknown document {doc_id!r}")
            document = documents[doc_id]
            if any(not 0 <= i < len(document.sentences) for i in seg.sentences):
                raise where.fail(
                    f"unit {unit.story_id}/{unit.index}: sentence id out of range for {doc_id!r}"
                )
            if seg.lang != document.lang or seg.text != " ".join(
                document.sentences[i] for i in seg.sentences
            ):
                raise where.fail(
                    f"unit {unit.story_id}/{unit.index}: the text of {doc_id!r} is not its sentences"
                )
    for story in result.stories:
        unknown = [d for d in story.docs if d not in documents]
        if unknown:
            raise _Where(outdir / STORIES).fail(
                f"story {story.story_id} names unknown document {unknown[0]!r}"
            )
    units = {(unit.story_id, unit.index) for unit in result.units}
    if len(units) != len(result.units):
        raise where.fail("two units have the same story and number")
    for finding in result.findings:
        if (finding.story_id, finding.unit) not in units:
            raise _Where(outdir / NUMBERS).fail(
                f"a finding names unit {finding.story_id}/{finding.unit}, not in the run"
            )


def _check_manifest(result: RunResult, outdir: Path) -> None:
    """What was read must be what the run wrote: as many records as its manifest counts (a file cut at a
    line or emptied reads as sound JSON otherwise), and the same bytes where the manifest keeps a digest."""
    where = _Where(outdir / MANIFEST)
    counts = result.manifest.get("counts", {})
    if not isinstance(counts, dict):
        raise where.fail("key 'counts' must be an object")
    for key, found in _counts(result).items():
        expected = counts.get(key)
        if expected is not None and expected != found:
            name = COUNTED[key] if key != "units" or len(alignment_files(outdir)) == 1 else "alignment shards"
            raise _Where(outdir / name).fail(f"{found} {key} where the manifest counts {expected!r}")
    digests = result.manifest.get(DIGESTS)
    if digests is None:
        return  # a run folder written before the manifest kept digests
    if not isinstance(digests, dict):
        raise where.fail(f"key {DIGESTS!r} must be an object")
    present = record_digests(outdir)
    for name in sorted(set(digests) | set(present)):
        if digests.get(name) != present.get(name):
            raise _Where(outdir / name).fail(
                "not the file the run wrote (its sha256 differs from the manifest's)"
            )


def load_run(outdir: Path) -> RunResult:
    """Read a run folder back into a RunResult; AlignerError naming the file (and line) on damage."""
    outdir = Path(outdir)
    if not outdir.is_dir():
        raise AlignerError(f"{outdir}: not a folder; give the --out folder of `aligner run`")
    manifest_where = _Where(outdir / MANIFEST)
    manifest = _json(_read(outdir / MANIFEST), manifest_where)
    if not isinstance(manifest, dict):
        raise manifest_where.fail("expected a JSON object")
    stories_where = _Where(outdir / STORIES)
    story_list = _json(_read(outdir / STORIES), stories_where)
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
    _check_manifest(result, outdir)
    _check_references(result, outdir)
    return result
