"""The per-story figures the terminal report and report.html share: coverage per language pair, the
lowest-scoring units, number findings located in the text with their severity."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise
from typing import TypeVar

from aligner.types import Document, NumberFinding, RunResult, Story, Unit

LOWEST_SHOWN = 3  # lowest-scoring units listed per story
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2, "ok": 3}
_MARK = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
T = TypeVar("T")


@dataclass(frozen=True)
class PairCoverage:
    """Of the sentences of two languages' documents in a story, how many sit in a unit with the other side."""

    lang1: str
    lang2: str
    aligned: int
    total: int

    @property
    def share(self) -> float:
        return self.aligned / self.total if self.total else 0.0


@dataclass(frozen=True)
class StorySummary:
    story: Story
    documents: list[Document]
    units: list[Unit]  # empty in the terminal report's summaries, which let a story's units go once read
    aligned_units: int  # units joining two documents or more
    coverage: list[PairCoverage]
    mean_score: float | None  # over units that join two documents or more
    lowest: list[Unit]
    findings: list[NumberFinding]  # every finding but "matched", most severe first


def is_aligned(unit: Unit) -> bool:
    """A unit joining at least two documents (a single document's unit is an unaligned sentence)."""
    return sum(1 for seg in unit.segments.values() if seg.sentences) >= 2


def _coverage(documents: list[Document], units: list[Unit]) -> list[PairCoverage]:
    counts: dict[tuple[str, str], list[int]] = {}
    for doc1, doc2 in combinations(sorted(documents, key=lambda d: (d.lang, d.doc_id)), 2):
        if doc1.lang == doc2.lang:
            continue
        together = [u for u in units if doc1.doc_id in u.segments and doc2.doc_id in u.segments]
        aligned = sum(
            len(u.segments[doc1.doc_id].sentences) + len(u.segments[doc2.doc_id].sentences) for u in together
        )
        entry = counts.setdefault((doc1.lang, doc2.lang), [0, 0])
        entry[0] += aligned
        entry[1] += doc1.sentence_count + doc2.sentence_count
    return [PairCoverage(l1, l2, aligned, total) for (l1, l2), (aligned, total) in sorted(counts.items())]


def summarise(result: RunResult) -> list[StorySummary]:
    """Per story: documents, units, aligned share per language pair, mean score, weakest units, findings."""
    docs = {doc.doc_id: doc for doc in result.documents}
    return [summarise_story(story, docs, units, findings) for story, units, findings in story_records(result)]


def story_records(result: RunResult) -> Iterator[tuple[Story, list[Unit], list[NumberFinding]]]:
    """Each story of a run with its units and its findings (the agreeing ones too), in story order: read a
    story at a time when the run wrote them in story order (``by_story``)."""
    stories = result.stories
    units = by_story(stories, result.units, in_story_order(stories, result.units))
    findings = by_story(stories, result.findings, in_story_order(stories, result.findings))
    return zip(stories, units, findings, strict=True)


def summarise_story(
    story: Story, docs: Mapping[str, Document], units: Sequence[Unit], findings: Sequence[NumberFinding]
) -> StorySummary:
    """One story's ``StorySummary`` from its units and its findings (the agreeing ones are left out)."""
    documents = [docs[d] for d in story.docs if d in docs]
    units = sorted(units, key=lambda u: u.index)
    aligned = [u for u in units if is_aligned(u)]
    problems = sorted(
        (f for f in findings if f.kind != "matched"),
        key=lambda f: (SEVERITY_ORDER.get(f.severity, len(SEVERITY_ORDER)), f.unit, f.docs),
    )
    return StorySummary(
        story=story,
        documents=documents,
        units=units,
        aligned_units=len(aligned),
        coverage=_coverage(documents, units),
        mean_score=statistics.fmean(u.score for u in aligned) if aligned else None,
        lowest=sorted(aligned, key=lambda u: (u.score, u.index))[:LOWEST_SHOWN],
        findings=problems,
    )


def in_story_order(stories: Sequence[Story], records: Iterable) -> bool:
    """Whether every record (a unit, a finding) belongs to one of ``stories`` and comes in their order."""
    position = {story.story_id: n for n, story in enumerate(stories)}
    last = 0
    for record in records:
        at = position.get(record.story_id, -1)
        if at < last:
            return False
        last = at
    return True


def by_story(stories: Sequence[Story], records: Iterable[T], ordered: bool) -> Iterator[list[T]]:
    """The records of each story in turn. ``ordered`` (``in_story_order``, as a run writes them): in one
    pass, so a large run's are never all held; else grouped in memory first."""
    if not ordered:
        grouped: dict[str, list[T]] = {}
        for record in records:
            grouped.setdefault(record.story_id, []).append(record)  # type: ignore[attr-defined]
        for story in stories:
            yield grouped.pop(story.story_id, [])
        return
    remaining = iter(records)
    pending: list[T] = []  # the first record of a later story, read ahead
    for story in stories:
        group = [r for r in pending if r.story_id == story.story_id]  # type: ignore[attr-defined]
        if len(group) == len(pending):
            pending = []
            for record in remaining:
                if record.story_id != story.story_id:  # type: ignore[attr-defined]
                    pending = [record]
                    break
                group.append(record)
        yield group


def parse_marked(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Text with numbers in [[…]] -> the text without the marks and the (start, end) of each marked number."""
    plain, spans, last = [], [], 0
    length = 0
    for match in _MARK.finditer(marked):
        before = marked[last : match.start()]
        plain.append(before)
        length += len(before)
        spans.append((length, length + len(match.group(1))))
        plain.append(match.group(1))
        length += len(match.group(1))
        last = match.end()
    plain.append(marked[last:])
    return "".join(plain), spans


Span = tuple[int, int, NumberFinding]


def number_spans(text: str, doc_id: str, findings: list[NumberFinding]) -> list[Span]:
    """Where each finding's own numbers stand in this document's text.

    A finding's [[…]]-marked text marks every number of the segment; its ``values`` say which of them the
    finding is about. When the marked text is not this text (another excerpt), the values are looked up.
    """
    spans: list[Span] = []
    for finding in findings:
        if doc_id not in finding.docs:
            continue
        wanted = finding.values.get(doc_id, [])
        plain, marked = parse_marked(finding.marked.get(doc_id, ""))
        chosen = [(s, e) for s, e in marked if text[s:e] in wanted] if plain == text else []
        if not chosen:
            for written in wanted:
                start = text.find(written) if written else -1
                while start >= 0:
                    chosen.append((start, start + len(written)))
                    start = text.find(written, start + len(written))
        spans += [(s, e, finding) for s, e in chosen]
    return spans


def severity_of(finding: NumberFinding) -> str:
    """ "ok" for numbers that agree, else the finding's severity."""
    return "ok" if finding.kind == "matched" else finding.severity


def worst_severity(findings: list[NumberFinding]) -> str:
    return min((severity_of(f) for f in findings), key=lambda s: SEVERITY_ORDER.get(s, len(SEVERITY_ORDER)))


def pieces(text: str, spans: list[Span]) -> list[tuple[int, int, list[NumberFinding]]]:
    """The text cut at every span edge: (start, end, findings covering that piece), covering all of it."""
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    return [
        (start, end, [f for s, e, f in spans if s <= start and end <= e]) for start, end in pairwise(cuts)
    ]
