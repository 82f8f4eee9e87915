"""The terminal report printed at the end of `aligner run` (its figures: aligner.report.figures).

Document text is always put into rich ``Text`` objects (never markup strings), so a document containing
"[bold]" prints as written; control characters are replaced so a document cannot drive the terminal.
"""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Iterator

from rich.console import Console
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from aligner.report.figures import (
    Span,
    StorySummary,
    is_aligned,
    number_spans,
    parse_marked,
    pieces,
    story_records,
    summarise_story,
    worst_severity,
)
from aligner.safe import safe_text
from aligner.types import NumberFinding, RunResult, Unit

STORIES_DETAILED = 20  # above this many stories: one overview line each, details for the most urgent
OVERVIEW_ROWS = 100  # above this many stories the overview lists the most urgent (report.html has every one)
FINDINGS_SHOWN = 20  # number findings listed per story; the rest are in numbers.jsonl and report.html
SNIPPET_CHARS = 160  # of a lowest-scoring unit's text
WINDOW_CHARS = 320  # of a text shown with a finding: the stretch around its numbers
SEVERITY_STYLE = {
    "error": "bold white on red",
    "warning": "bold black on yellow",
    "info": "bold black on cyan",
}


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
    heading.append(f" · {summary.aligned_units} aligned units")
    if summary.mean_score is not None:
        heading.append(f" · mean score {summary.mean_score:.3f}")
    return heading


def _plain_table(title: str | None = None) -> Table:
    """The report's table style: no box or edges, bold headers, a bold title on the left."""
    return Table(
        box=None,
        pad_edge=False,
        show_edge=False,
        header_style="bold",
        title=title,
        title_justify="left",
        title_style="bold",
    )


def _documents_table(summary: StorySummary) -> Table:
    table = _plain_table()
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
            Text(str(doc.sentence_count)),
            Text(safe_text(doc.source)),
        )
    return table


def _coverage_table(summary: StorySummary) -> Table:
    table = _plain_table()
    table.add_column("pair")
    table.add_column("aligned", justify="right")
    table.add_column("sentences", justify="right")
    for cov in summary.coverage:
        table.add_row(
            Text(f"{cov.lang1}-{cov.lang2}"), Text(f"{cov.share:.0%}"), Text(f"{cov.aligned}/{cov.total}")
        )
    return table


def _lowest_table(summary: StorySummary) -> Table:
    table = _plain_table("Lowest-scoring units")
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


def _overview_table(summaries: list[StorySummary], stories: int) -> Table:
    """One line per story, for runs with too many stories to detail them all (of ``stories`` in all)."""
    title = "Stories"
    if len(summaries) < stories:
        title += f": the {len(summaries)} most urgent of {stories}"
    table = _plain_table(title)
    for column in ("story", "languages", "sentences", "aligned units", "aligned", "mean score", "findings"):
        table.add_column(column, justify="left" if column in ("story", "languages") else "right")
    for summary in summaries:
        aligned, total = sum(c.aligned for c in summary.coverage), sum(c.total for c in summary.coverage)
        table.add_row(
            Text(safe_text(summary.story.story_id)),
            Text(", ".join(summary.story.languages)),
            Text(str(sum(d.sentence_count for d in summary.documents))),
            Text(str(summary.aligned_units)),
            Text(f"{aligned / total:.0%}" if total else "–"),
            Text(f"{summary.mean_score:.3f}" if summary.mean_score is not None else "–"),
            Text(str(len(summary.findings))),
        )
    return table


def _urgency(item: tuple[int, StorySummary]) -> tuple:
    """Most error, then warning findings, then lowest mean score first; then story order."""
    summary = item[1]
    errors = sum(f.severity == "error" for f in summary.findings)
    warnings = sum(f.severity == "warning" for f in summary.findings)
    mean = summary.mean_score if summary.mean_score is not None else 2.0  # nothing aligned: least urgent
    return (-errors, -warnings, mean, item[0])


def _most_urgent(summaries: Iterator[tuple[int, StorySummary]], count: int) -> list[StorySummary]:
    """The ``count`` most urgent of (position, summary) pairs, in story order, holding no more at a time."""
    chosen = heapq.nsmallest(count, summaries, key=_urgency)
    return [summary for _, summary in sorted(chosen, key=lambda item: item[0])]


def _summaries(result: RunResult) -> Iterator[StorySummary]:
    """Each story's summary in turn, its units let go once its figures are taken (the lowest-scoring
    units and the findings stay): a crawl's units are read a story at a time, never all held."""
    docs = {doc.doc_id: doc for doc in result.documents}
    for story, units, findings in story_records(result):
        yield dataclasses.replace(summarise_story(story, docs, units, findings), units=[])


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
    stories = len(result.stories)
    if stories <= STORIES_DETAILED:
        detailed = list(_summaries(result))
    else:
        overview = _most_urgent(enumerate(_summaries(result)), max(OVERVIEW_ROWS, STORIES_DETAILED))
        console.print()
        console.print(_overview_table(overview, stories))
        detailed = _most_urgent(enumerate(overview), STORIES_DETAILED)
        console.print(
            Text(
                f"Details of the {len(detailed)} stories with the most serious number findings and the lowest"
                f" scores; every story is in report.html.",
                style="dim",
            )
        )
    wanted = {summary.story.story_id for summary in detailed if summary.findings}
    units = {(u.story_id, u.index): u for u in result.units if u.story_id in wanted} if wanted else {}
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
