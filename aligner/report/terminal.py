"""The terminal report printed at the end of `aligner run`, and the per-story figures report.html shares.

Document text is always put into rich ``Text`` objects (never markup strings), so a document containing
"[bold]" prints as written; control characters are replaced so a document cannot drive the terminal.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from itertools import combinations, pairwise

from rich.console import Console
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from aligner.safe import safe_text
from aligner.types import Document, NumberFinding, RunResult, Story, Unit

LOWEST_SHOWN = 3  # lowest-scoring units listed per story
STORIES_DETAILED = 20  # above this many stories: one overview line each, details for the most urgent
FINDINGS_SHOWN = 20  # number findings listed per story; the rest are in numbers.jsonl and report.html
SNIPPET_CHARS = 160  # of a lowest-scoring unit's text
WINDOW_CHARS = 320  # of a text shown with a finding: the stretch around its numbers
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2, "ok": 3}
SEVERITY_STYLE = {
    "error": "bold white on red",
    "warning": "bold black on yellow",
    "info": "bold black on cyan",
}
_MARK = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)


# --- figures shared with the HTML page ---


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
    units: list[Unit]
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
        entry[1] += len(doc1.sentences) + len(doc2.sentences)
    return [PairCoverage(l1, l2, aligned, total) for (l1, l2), (aligned, total) in sorted(counts.items())]


def summarise(result: RunResult) -> list[StorySummary]:
    """Per story: documents, units, aligned share per language pair, mean score, weakest units, findings."""
    docs = {doc.doc_id: doc for doc in result.documents}
    units_of: dict[str, list[Unit]] = {}
    for unit in result.units:
        units_of.setdefault(unit.story_id, []).append(unit)
    findings_of: dict[str, list[NumberFinding]] = {}
    for finding in result.findings:
        if finding.kind != "matched":
            findings_of.setdefault(finding.story_id, []).append(finding)
    summaries = []
    for story in result.stories:
        documents = [docs[d] for d in story.docs if d in docs]
        units = sorted(units_of.get(story.story_id, []), key=lambda u: u.index)
        aligned = [u for u in units if is_aligned(u)]
        findings = sorted(
            findings_of.get(story.story_id, []),
            key=lambda f: (SEVERITY_ORDER.get(f.severity, len(SEVERITY_ORDER)), f.unit, f.docs),
        )
        summaries.append(
            StorySummary(
                story=story,
                documents=documents,
                units=units,
                coverage=_coverage(documents, units),
                mean_score=statistics.fmean(u.score for u in aligned) if aligned else None,
                lowest=sorted(aligned, key=lambda u: (u.score, u.index))[:LOWEST_SHOWN],
                findings=findings,
            )
        )
    return summaries


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


# --- rendering ---


def _window(text: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """A long text cut to the stretch around its highlighted numbers."""
    if len(text) <= WINDOW_CHARS or not spans:
        return text, spans
    start = max(0, min(s for s, _, _ in spans) - WINDOW_CHARS // 3)
    end = min(len(text), max(max(e for _, e, _ in spans) + WINDOW_CHARS // 3, start + WINDOW_CHARS))
    prefix, suffix = ("…" if start else ""), ("…" if end < len(text) else "")
    shift = len(prefix) - start
    kept = [(max(s, start) + shift, min(e, end) + shift, f) for s, e, f in spans if e > start and s < end]
    return prefix + text[start:end] + suffix, kept


def _highlighted(text: str, spans: list[Span], keep_marks: bool) -> Text:
    """The finding's numbers styled; without colours (a pipe, CI) they stay in [[…]] instead."""
    text, spans = _window(text, spans)
    out = Text()
    for start, end, covering in pieces(text, spans):
        piece = safe_text(text[start:end])
        if not covering:
            out.append(piece)
        elif keep_marks:
            out.append(f"[[{piece}]]")
        else:
            out.append(piece, style=SEVERITY_STYLE.get(worst_severity(covering), "bold"))
    return out


def _snippet(text: str) -> Text:
    text = safe_text(text)
    return Text(text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…")


def _story_heading(summary: StorySummary) -> Text:
    story = summary.story
    heading = Text(f"Story {safe_text(story.story_id)}", style="bold")
    count = len(summary.documents)
    heading.append(f"  {count} document{'s' if count != 1 else ''} · {', '.join(story.languages)}")
    heading.append(f" · {sum(is_aligned(u) for u in summary.units)} aligned units")
    if summary.mean_score is not None:
        heading.append(f" · mean score {summary.mean_score:.3f}")
    return heading


def _documents_table(summary: StorySummary) -> Table:
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    for column, justify in (
        ("document", "left"),
        ("lang", "left"),
        ("sentences", "right"),
        ("source", "left"),
    ):
        table.add_column(column, justify=justify, overflow="fold")
    for doc in summary.documents:
        table.add_row(
            Text(safe_text(doc.doc_id)),
            Text(doc.lang),
            Text(str(len(doc.sentences))),
            Text(safe_text(doc.source)),
        )
    return table


def _coverage_table(summary: StorySummary) -> Table:
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("pair")
    table.add_column("aligned", justify="right")
    table.add_column("sentences", justify="right")
    for cov in summary.coverage:
        table.add_row(
            Text(f"{cov.lang1}-{cov.lang2}"), Text(f"{cov.share:.0%}"), Text(f"{cov.aligned}/{cov.total}")
        )
    return table


def _lowest_table(summary: StorySummary) -> Table:
    table = Table(
        box=None,
        pad_edge=False,
        show_edge=False,
        header_style="bold",
        title_justify="left",
        title="Lowest-scoring units",
        title_style="bold",
    )
    table.add_column("unit", justify="right")
    table.add_column("score", justify="right")
    table.add_column("texts", overflow="fold")
    for unit in summary.lowest:
        texts = Text("\n").join(
            Text.assemble((f"{seg.lang} ", "dim"), _snippet(seg.text)) for seg in unit.segments.values()
        )
        table.add_row(Text(str(unit.index)), Text(f"{unit.score:.3f}"), texts)
    return table


def _findings_block(summary: StorySummary, units: dict[tuple[str, int], Unit], keep_marks: bool) -> list:
    """Findings grouped by unit, worst first: the messages, then each text once with its numbers marked."""
    parts: list = [Text(f"Number findings ({len(summary.findings)})", style="bold")]
    by_unit: dict[int, list[NumberFinding]] = {}
    for finding in summary.findings:  # already worst first
        by_unit.setdefault(finding.unit, []).append(finding)
    shown = 0
    for index, group in by_unit.items():
        group = group[: FINDINGS_SHOWN - shown]
        if not group:
            break
        shown += len(group)
        unit = units.get((summary.story.story_id, index))
        parts.append(Text(f"unit {index}" + (f" · score {unit.score:.3f}" if unit else ""), style="bold"))
        for finding in group:
            line = Text.assemble(
                (finding.severity, SEVERITY_STYLE.get(finding.severity, "bold")),
                f" {finding.kind}: ",
                safe_text(finding.message),
            )
            if finding.odd_one_out:
                line.append(f" (odd one out: {safe_text(finding.odd_one_out)})", style="italic")
            parts.append(Padding(line, (0, 0, 0, 2)))
        texts = Table.grid(padding=(0, 1))  # a grid gives wrapped texts a hanging indent
        texts.add_column(style="dim", no_wrap=True)
        texts.add_column(overflow="fold")
        for doc_id in dict.fromkeys(doc for finding in group for doc in finding.docs):
            segment = unit.segments.get(doc_id) if unit else None
            marked = next((f.marked[doc_id] for f in group if doc_id in f.marked), "")
            text = segment.text if segment else parse_marked(marked)[0]
            label = safe_text(doc_id) + (f" ({segment.lang})" if segment else "")
            texts.add_row(Text(label), _highlighted(text, number_spans(text, doc_id, group), keep_marks))
        parts.append(Padding(texts, (0, 0, 0, 4)))
    if shown < len(summary.findings):
        more = len(summary.findings) - shown
        parts.append(Text(f"… and {more} more in numbers.jsonl and report.html", style="dim"))
    return parts


def first_look_line(look: dict, encoded_now: object = None) -> str:
    """How many sentences the stories needed vectors for, and how many the first look spared."""
    needed, saved = int(look.get("sentences_encoded", 0)), int(look.get("sentences_saved", 0))
    total = needed + saved
    line = (
        f"first look: {needed:,} of {total:,} sentences encoded for the stories, {saved:,} saved "
        f"({look.get('documents_encoded_in_full', 0)} documents in full)"
    )
    if isinstance(encoded_now, int):
        line += f"; {encoded_now:,} texts run through the model (the rest from the cache)"
    return line


def _run_heading(result: RunResult) -> Text:
    manifest = result.manifest or {}
    model = manifest.get("model") if isinstance(manifest.get("model"), dict) else {}
    heading = Text(f"{manifest.get('tool', 'aligner')} {manifest.get('version', '')}".strip(), style="bold")
    if model.get("name"):
        runtime = f" ({model['runtime']})" if model.get("runtime") else ""
        heading.append(f" · model {model['name']}{runtime}")
    aligned = sum(is_aligned(u) for u in result.units)
    heading.append(
        f" · {len(result.documents)} documents, {len(result.stories)} stories, {aligned} aligned units,"
        f" {sum(f.kind != 'matched' for f in result.findings)} number findings"
    )
    return heading


def _overview_table(summaries: list[StorySummary]) -> Table:
    """One line per story, for runs with too many stories to detail them all."""
    table = Table(
        box=None,
        pad_edge=False,
        show_edge=False,
        header_style="bold",
        title="Stories",
        title_justify="left",
        title_style="bold",
    )
    for column in ("story", "languages", "sentences", "aligned units", "aligned", "mean score", "findings"):
        table.add_column(column, justify="left" if column in ("story", "languages") else "right")
    for summary in summaries:
        aligned, total = sum(c.aligned for c in summary.coverage), sum(c.total for c in summary.coverage)
        table.add_row(
            Text(safe_text(summary.story.story_id)),
            Text(", ".join(summary.story.languages)),
            Text(str(sum(len(d.sentences) for d in summary.documents))),
            Text(str(sum(is_aligned(u) for u in summary.units))),
            Text(f"{aligned / total:.0%}" if total else "–"),
            Text(f"{summary.mean_score:.3f}" if summary.mean_score is not None else "–"),
            Text(str(len(summary.findings))),
        )
    return table


def _worth_a_look(summaries: list[StorySummary]) -> list[StorySummary]:
    """The stories to detail: most error, then warning findings, then lowest mean score; in story order."""

    def urgency(item: tuple[int, StorySummary]) -> tuple:
        summary = item[1]
        errors = sum(f.severity == "error" for f in summary.findings)
        warnings = sum(f.severity == "warning" for f in summary.findings)
        mean = summary.mean_score if summary.mean_score is not None else 2.0  # nothing aligned: least urgent
        return (-errors, -warnings, mean, item[0])

    chosen = sorted(enumerate(summaries), key=urgency)[:STORIES_DETAILED]
    return [summary for _, summary in sorted(chosen, key=lambda item: item[0])]


def _execution_line(execution: dict) -> str:
    """Engine, texts encoded, and stories aligned now or reused from an earlier run."""
    engine = safe_text(str(execution.get("engine", "?")))
    aligned, reused = execution.get("stories_aligned", 0), execution.get("stories_reused", 0)
    encoded = execution.get("encoded_texts", 0)
    return f"engine {engine} · {encoded} texts encoded · stories {aligned} aligned, {reused} reused"


def print_report(result: RunResult, console: Console | None = None) -> None:
    """Print the run's report; rich styles on a terminal, plain text (numbers kept in [[…]]) in a pipe."""
    console = console or Console(highlight=False)
    keep_marks = console.no_color or console.color_system is None
    units = {(u.story_id, u.index): u for u in result.units}
    console.print(Rule("aligner report", style="dim"))
    console.print(_run_heading(result))
    timings = (result.manifest or {}).get("timings")
    if isinstance(timings, dict) and timings:
        stages = " · ".join(f"{safe_text(str(name))} {seconds:.1f}s" for name, seconds in timings.items())
        console.print(Text(f"stages: {stages}", style="dim"))
    counts = (result.manifest or {}).get("counts")
    look = counts.get("first_look") if isinstance(counts, dict) else None
    if isinstance(look, dict) and look.get("enabled"):
        execution = (result.manifest or {}).get("execution")
        encoded = execution.get("encoded_texts") if isinstance(execution, dict) else None
        console.print(Text(first_look_line(look, encoded), style="dim"))
    execution = (result.manifest or {}).get("execution")
    if isinstance(execution, dict) and execution:
        console.print(Text(_execution_line(execution), style="dim"))
    for skipped in result.skipped:
        where = f"{skipped.source} ({skipped.doc_id})" if skipped.doc_id else skipped.source
        console.print(Text(f"skipped {safe_text(where)}: {safe_text(skipped.reason)}", style="yellow"))
    summaries = summarise(result)
    detailed = summaries
    if len(summaries) > STORIES_DETAILED:
        console.print()
        console.print(_overview_table(summaries))
        detailed = _worth_a_look(summaries)
        console.print(
            Text(
                f"Details of the {len(detailed)} stories with the most serious number findings and the lowest"
                f" scores; every story is in report.html.",
                style="dim",
            )
        )
    for summary in detailed:
        console.print()
        console.print(_story_heading(summary))
        parts: list = [_documents_table(summary)]
        if summary.coverage:
            parts += [Text(), _coverage_table(summary)]
        if summary.lowest:
            parts += [Text(), _lowest_table(summary)]
        if summary.findings:
            parts += [Text(), *_findings_block(summary, units, keep_marks)]
        for part in parts:  # one by one: a Group would pad every line to its widest member
            console.print(Padding(part, (0, 0, 0, 2), expand=False))
