"""The number check on bilingual files: each translation unit becomes an aligned Unit, checked as in a run.

Every finding carries its file, segment id and line, the texts as the reviewer sees them, and a fingerprint
(the two texts' hash and the finding) that reviewer decisions are keyed on.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from aligner.bilingual.languages import BilingualFile, base_language
from aligner.bilingual.markup import Masked
from aligner.numbers import NumberConfig, check_units
from aligner.report.figures import number_spans
from aligner.types import NumberFinding, RunResult, Segment, Unit


@dataclass(frozen=True)
class FileFinding:
    """A number finding located in a file: what a reviewer reads, filters and decides on."""

    file: str
    segment: str
    line: int | None
    kind: str
    severity: str
    docs: tuple[str, str]  # the two sides compared: language tags (files) or document ids (runs)
    values: dict[str, list[str]]  # side -> numbers as written
    texts: dict[str, str]  # side -> the segment as shown (markup as written)
    marked: dict[str, str]  # side -> the segment with the finding's numbers in [[…]]
    message: str
    odd_one_out: str | None = None
    decision: str | None = None  # "accepted" or "error" once a reviewer has said so
    langs: dict[str, str] = field(default_factory=dict)  # side -> language code
    origin: NumberFinding | None = field(default=None, repr=False, compare=False)  # as the check gave it
    in_run: bool = False  # from a run folder: story#unit, no line
    confidence: str = "high"  # high | medium | low (confidence.py); not part of the fingerprint
    confidence_why: str = ""

    @property
    def texts_hash(self) -> str:
        pairs = sorted((side, self.texts.get(side, "")) for side in self.docs)
        return hashlib.sha256(json.dumps(pairs, ensure_ascii=False).encode()).hexdigest()[:16]

    @property
    def finding_key(self) -> str:
        what = [self.kind, list(self.docs), [self.values.get(side, []) for side in self.docs]]
        return hashlib.sha256(json.dumps(what, ensure_ascii=False).encode()).hexdigest()[:16]

    @property
    def fingerprint(self) -> str:
        """Both texts' hash and the finding: a decision holds while neither text changes."""
        return f"{self.texts_hash}-{self.finding_key}"


def _mark(text: str, spans: list[tuple[int, int]]) -> str:
    pieces, cursor = [], 0
    for start, end in sorted(set(spans)):
        if start < cursor:
            continue
        pieces.append(text[cursor:start] + "[[" + text[start:end] + "]]")
        cursor = end
    return "".join(pieces) + text[cursor:]


def _located(
    finding: NumberFinding,
    file: str,
    segment: str,
    line: int | None,
    texts: dict[str, Masked],
    langs: dict[str, str],
) -> FileFinding:
    """The finding with its numbers found in the texts as shown (markup and all)."""
    values: dict[str, list[str]] = {}
    marked: dict[str, str] = {}
    for side in finding.docs:
        masked = texts[side]
        spans = [masked.shown_span(s, e) for s, e, _ in number_spans(masked.read, side, [finding])]
        values[side] = [masked.shown[s:e] for s, e in spans] or list(finding.values.get(side, []))
        marked[side] = _mark(masked.shown, spans)
    return FileFinding(
        file=file,
        segment=segment,
        line=line,
        kind=finding.kind,
        severity=finding.severity,
        docs=finding.docs,
        values=values,
        texts={side: texts[side].shown for side in finding.docs},
        marked=marked,
        message=finding.message,
        odd_one_out=finding.odd_one_out,
        langs={side: langs[side] for side in finding.docs},
        origin=finding,
    )


def file_units(bilingual: BilingualFile) -> list[Unit]:
    """One Unit per translation unit, every language a segment, read with markup masked."""
    label = str(bilingual.path)
    return [
        Unit(
            story_id=label,
            index=index,
            segments={
                tag: Segment(tag, base_language(tag), (index,), text.read) for tag, text in unit.texts.items()
            },
            score=1.0,
        )
        for index, unit in enumerate(bilingual.units)
    ]


# "missing" is a number of the first side the second lacks, "added" the reverse; their messages name the
# side that has the number, so they read the same whichever side is first.
_FROM_THE_OTHER_SIDE = {"missing": "added", "added": "missing"}
_BECAME = re.compile(r"(.+?) in (\S+) became (.+?) in (\S+?)((?: \(.*\))?\.(?: .*)?)", re.DOTALL)


def source_first(finding: FileFinding, order: Sequence[str]) -> FileFinding:
    """The finding seen from the file's source side: the check pairs sides in alphabetical order (ar before
    en), so a number an Arabic translation drops would otherwise be "added"."""
    first, second = finding.docs
    if order.index(first) <= order.index(second):
        return finding
    message = finding.message
    if finding.kind == "changed" and (said := _BECAME.fullmatch(message)):  # told from the source side
        a, doc_a, b, doc_b, rest = said.groups()
        if (doc_a, doc_b) == (first, second):
            message = f"{b} in {doc_b} became {a} in {doc_a}{rest}"
    kind = _FROM_THE_OTHER_SIDE.get(finding.kind, finding.kind)
    return replace(finding, docs=(second, first), kind=kind, message=message)


def check_file(bilingual: BilingualFile, config: NumberConfig | None = None) -> list[FileFinding]:
    """Every finding of every translation unit of the file (``matched`` ones only if the config asks),
    its sides in the file's order (the source first), each with its confidence."""
    from aligner.bilingual.confidence import rated
    from aligner.bilingual.groups import per_number, segmentation

    label = str(bilingual.path)
    langs = {tag: base_language(tag) for tag in bilingual.languages}
    out = []
    for finding in check_units(file_units(bilingual), config):
        unit = bilingual.units[finding.unit]
        located = _located(finding, label, unit.segment, unit.line, unit.texts, langs)
        out.append(source_first(located, bilingual.languages))
    return rated(segmentation(per_number(out, bilingual.languages), bilingual))


def check_run(result: RunResult, label: str, config: NumberConfig | None = None) -> list[FileFinding]:
    """The findings of a run folder's aligned units, located as ``story#unit`` of the folder."""
    units = {(unit.story_id, unit.index): unit for unit in result.units}
    out = []
    for finding in check_units(result.units, config):
        unit = units[(finding.story_id, finding.unit)]
        texts = {doc: Masked.text(segment.text) for doc, segment in unit.segments.items()}
        langs = {doc: segment.lang for doc, segment in unit.segments.items()}
        located = _located(finding, label, f"{finding.story_id}#{finding.unit}", None, texts, langs)
        out.append(replace(located, in_run=True))
    return out


def problems(findings: Sequence[FileFinding]) -> list[FileFinding]:
    """The findings a reviewer has to look at: not the agreeing numbers, not what was accepted."""
    return [f for f in findings if f.kind != "matched" and f.decision != "accepted"]
