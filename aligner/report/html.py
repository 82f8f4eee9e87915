"""report.html: one self-contained review page (inline CSS and JS, no network).

Each story is a table with one column per translation and one row per aligned unit; sentences no unit
covers get a row of their own where they stand. Every piece of document text goes through html.escape,
and a Content-Security-Policy allows only this page's own script and style (by hash), so even text that
escaped escaping could run nothing and load nothing.
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Iterator, Sequence
from html import escape as _escape

from aligner import languages
from aligner.report.figures import (
    SEVERITY_ORDER,
    PairCoverage,
    Span,
    StorySummary,
    is_aligned,
    number_spans,
    pieces,
    severity_of,
    story_records,
    summarise_story,
    worst_severity,
)
from aligner.safe import safe_text
from aligner.types import Document, NumberFinding, RunResult, Story, Unit

_CSS = """
:root { color-scheme: light; --border: #d0d4da; --muted: #5f6670; }
body { margin: 0 1.5rem 3rem; color: #1d2127; background: #fff;
  font: 15px/1.5 system-ui, "Noto Sans", "DejaVu Sans", "Segoe UI", Roboto, Arial, sans-serif; }
:lang(ar) { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "Geeza Pro", "Traditional Arabic",
  "Segoe UI", "DejaVu Sans", sans-serif; }
td:lang(ar) { font-size: 1.08em; }
:lang(ur) { font-family: "Noto Nastaliq Urdu", "Jameel Noori Nastaleeq", "Urdu Typesetting",
  "Noto Naskh Arabic", "Noto Sans Arabic", "Segoe UI", "DejaVu Sans", sans-serif; line-height: 2.3; }
header { border-bottom: 1px solid var(--border); margin-bottom: 1rem; }
h1 { font-size: 1.4rem; margin: 1rem 0 .25rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .25rem; }
.meta, .summary, .skipped { color: var(--muted); margin: .25rem 0; }
.controls { position: sticky; top: 0; z-index: 2; background: #fff; padding: .5rem 0;
  border-bottom: 1px solid var(--border); display: flex; gap: 1.5rem; align-items: center; flex-wrap: wrap; }
.controls input[type=number] { width: 5rem; }
.legend span { display: inline-block; width: 1.2rem; text-align: center; font-size: .75rem; }
nav.stories ol { margin: .25rem 0; padding-left: 1.5rem; }
table.units { border-collapse: collapse; width: 100%; table-layout: fixed; margin-top: .5rem; }
table.units th, table.units td { border: 1px solid var(--border); padding: .35rem .5rem; vertical-align: top;
  overflow-wrap: anywhere; }
table.units th { background: #f3f5f7; font-weight: 600; text-align: start; }
table.units thead th { position: sticky; top: var(--bar, 3rem); z-index: 1; }
table.units th small { display: block; font-weight: normal; color: var(--muted); line-height: 1.4; }
table.units th:lang(ur) { line-height: 1.6; }
th.score, td.score { width: 4.5rem; text-align: center; font-variant-numeric: tabular-nums; }
td.absent { background: repeating-linear-gradient(45deg, #fafafa, #fafafa 6px, #f1f1f1 6px, #f1f1f1 12px); }
tr.gap td { color: var(--muted); font-style: italic; background: #fbfbfb; }
tr.gap td.score { font-size: .75rem; }
.badge { display: block; font-size: .75rem; color: #8a1c1c; }
mark.num { border-radius: 3px; padding: 0 .1em; cursor: help; }
mark.sev-error { background: #ffb3b3; outline: 1px solid #d33; }
mark.sev-warning { background: #ffe08a; outline: 1px solid #c90; }
mark.sev-info { background: #bfe6ff; }
mark.sev-ok { background: none; text-decoration: underline dotted #2a7d2a; }
.bin-0 { background: hsl(0 75% 80%); } .bin-1 { background: hsl(12 75% 80%); }
.bin-2 { background: hsl(24 75% 80%); } .bin-3 { background: hsl(36 75% 80%); }
.bin-4 { background: hsl(48 75% 80%); } .bin-5 { background: hsl(60 75% 80%); }
.bin-6 { background: hsl(72 75% 80%); } .bin-7 { background: hsl(84 75% 80%); }
.bin-8 { background: hsl(96 75% 80%); } .bin-9 { background: hsl(108 75% 80%); }
.bin-10 { background: hsl(120 75% 80%); }
""".strip()

_JS = """
(function () {
  "use strict";
  var only = document.getElementById("only-findings");
  var below = document.getElementById("score-below");
  var count = document.getElementById("shown-count");
  var bar = document.querySelector(".controls");
  function stick() {  // column headings stay visible just under the filter bar
    document.documentElement.style.setProperty("--bar", bar.offsetHeight + "px");
  }
  function apply() {
    var limit = parseFloat(below.value);
    var useLimit = !isNaN(limit);
    var shown = 0, total = 0;
    document.querySelectorAll("section.story").forEach(function (section) {
      var visible = 0;
      section.querySelectorAll("tbody tr").forEach(function (row) {
        var isUnit = row.classList.contains("unit");
        var show = true;
        if (only.checked && !(Number(row.dataset.findings) > 0)) { show = false; }
        if (useLimit && !(isUnit && Number(row.dataset.score) < limit)) { show = false; }
        row.hidden = !show;
        if (isUnit) { total += 1; if (show) { shown += 1; visible += 1; } }
      });
      section.hidden = (only.checked || useLimit) && visible === 0;
    });
    count.textContent = shown + " of " + total + " aligned units shown";
  }
  window.addEventListener("resize", stick);
  stick();
  only.addEventListener("change", apply);
  below.addEventListener("input", apply);
  apply();
})();
""".strip()


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode() + "'"


_CSP = (
    f"default-src 'none'; style-src {_csp_hash(_CSS)}; script-src {_csp_hash(_JS)}; "
    "img-src 'none'; base-uri 'none'; form-action 'none'"
)


def escape(text: str) -> str:
    """HTML-escaped, control characters (CR, ESC, NUL…) replaced 1:1, so number spans still fit."""
    return _escape(safe_text(text))


def score_bin(score: float) -> int:
    """0 (red) … 10 (green): the colour class of a score."""
    return max(0, min(10, int(score * 10))) if math.isfinite(score) else 0


def _lang_attrs(lang: str) -> str:
    direction = "rtl" if languages.get(lang).rtl else "ltr"
    return f'lang="{escape(lang)}" dir="{direction}"'


def highlight(text: str, spans: list[Span]) -> str:
    """Escaped text, each number in a <mark> coloured by its worst finding, the messages on hover."""
    out = []
    for start, end, covering in pieces(text, spans):
        piece = escape(text[start:end])
        if not covering:
            out.append(piece)
            continue
        ordered = sorted(covering, key=lambda f: SEVERITY_ORDER.get(severity_of(f), len(SEVERITY_ORDER)))
        title = "&#10;".join(escape(message) for message in dict.fromkeys(f.message for f in ordered))
        out.append(f'<mark class="num sev-{escape(worst_severity(covering))}" title="{title}">{piece}</mark>')
    return "".join(out)


def _columns(summary: StorySummary) -> list[str]:
    """The story's documents, then any document a unit names that the story does not (none expected)."""
    columns = [doc.doc_id for doc in summary.documents]
    for unit in summary.units:
        columns += [doc_id for doc_id in unit.segments if doc_id not in columns]
    return columns


def _unit_row(unit: Unit, columns: list[str], lang_of: dict[str, str], findings: list[NumberFinding]) -> str:
    """``findings``: every comparison in this unit; the agreeing ones only underline their numbers."""
    problems = [f for f in findings if f.kind != "matched"]
    badge = ""
    if problems:
        messages = "&#10;".join(escape(f.message) for f in problems)
        badge = f'<span class="badge" title="{messages}">⚠ {len(problems)}</span>'
    cells = [f'<td class="score bin-{score_bin(unit.score)}">{unit.score:.2f}{badge}</td>']
    for doc_id in columns:
        seg = unit.segments.get(doc_id)
        if seg is None:
            cells.append('<td class="absent"></td>')
            continue
        body = highlight(seg.text, number_spans(seg.text, doc_id, findings))
        sentences = " ".join(str(i) for i in seg.sentences)
        cells.append(
            f'<td {_lang_attrs(seg.lang or lang_of.get(doc_id, ""))} data-doc="{escape(doc_id)}" '
            f'data-sentences="{sentences}">{body}</td>'
        )
    return (
        f'<tr class="unit" data-unit="{unit.index}" data-score="{unit.score:.4f}" '
        f'data-findings="{len(problems)}">{"".join(cells)}</tr>'
    )


def _gap_row(pending: dict[str, list[int]], columns: list[str], docs: dict[str, Document]) -> str:
    """Sentences no aligned unit covers, shown where they stand in their documents."""
    cells = ['<td class="score" title="not aligned">unaligned</td>']
    for doc_id in columns:
        ids = pending.get(doc_id)
        doc = docs.get(doc_id)
        if not ids or doc is None:
            cells.append('<td class="absent"></td>')
            continue
        text = " ".join(doc.sentences[i] for i in ids)
        sentences = " ".join(str(i) for i in ids)
        cells.append(
            f'<td class="unaligned" {_lang_attrs(doc.lang)} data-doc="{escape(doc_id)}" '
            f'data-sentences="{sentences}">{escape(text)}</td>'
        )
    return f'<tr class="gap" data-findings="0">{"".join(cells)}</tr>'


def _story_rows(
    summary: StorySummary, docs: dict[str, Document], findings: dict[int, list[NumberFinding]]
) -> str:
    columns = _columns(summary)
    lang_of = {doc_id: docs[doc_id].lang for doc_id in columns if doc_id in docs}
    aligned_units = [u for u in summary.units if is_aligned(u)]
    covered = {doc_id: set() for doc_id in columns}
    for unit in aligned_units:
        for doc_id, seg in unit.segments.items():
            covered[doc_id].update(seg.sentences)
    uncovered = {
        d: [i for i in range(docs[d].sentence_count) if i not in covered[d]] for d in columns if d in docs
    }
    rows = []

    def flush(before: dict[str, int]) -> None:
        pending = {}
        for doc_id, limit in before.items():
            waiting = uncovered.get(doc_id, [])
            cut = next((k for k, i in enumerate(waiting) if i >= limit), len(waiting))
            if cut:
                pending[doc_id], uncovered[doc_id] = waiting[:cut], waiting[cut:]
        if pending:
            rows.append(_gap_row(pending, columns, docs))

    for unit in aligned_units:
        flush({d: min(seg.sentences) for d, seg in unit.segments.items() if seg.sentences})
        rows.append(_unit_row(unit, columns, lang_of, findings.get(unit.index, [])))
    flush({doc_id: docs[doc_id].sentence_count for doc_id in columns if doc_id in docs})
    return "\n".join(rows)


def _coverage_text(coverage: list[PairCoverage]) -> str:
    return " · ".join(f"{c.lang1}–{c.lang2} {c.share:.0%} ({c.aligned}/{c.total})" for c in coverage)


def _story_section(summary: StorySummary, docs: dict[str, Document], comparisons: list[NumberFinding]) -> str:
    """``comparisons``: every number finding of the story, the agreeing ones too."""
    story = summary.story
    findings: dict[int, list[NumberFinding]] = {}
    for finding in comparisons:
        findings.setdefault(finding.unit, []).append(finding)
    heads = ['<th class="score">score</th>']
    for doc_id in _columns(summary):
        doc = docs.get(doc_id)
        lang = doc.lang if doc else ""
        detail = f"{languages.get(lang).name} · {doc.sentence_count} sentences" if doc else "unknown document"
        heads.append(
            f"<th {_lang_attrs(lang)}><bdi>{escape(doc_id)}</bdi>"
            f'<small lang="en" dir="ltr">{escape(detail)}</small></th>'
        )
    coverage = f" · aligned: {escape(_coverage_text(summary.coverage))}" if summary.coverage else ""
    mean = f"mean score {summary.mean_score:.3f}" if summary.mean_score is not None else "no aligned units"
    reasons = "".join(f"<li>{escape(reason)}</li>" for reason in story.reasons)
    return (
        f'<section class="story" id="story-{escape(story.story_id)}" data-story="{escape(story.story_id)}">\n'
        f"<h2>Story {escape(story.story_id)}</h2>\n"
        f'<p class="summary">{escape(", ".join(story.languages))} · {escape(mean)} · '
        f"{len(summary.findings)} number findings{coverage}</p>\n"
        + (
            f'<details class="summary"><summary>why these documents are one story</summary><ul>{reasons}</ul>'
            "</details>\n"
            if reasons
            else ""
        )
        + f'<table class="units">\n<thead><tr>{"".join(heads)}</tr></thead>\n<tbody>\n'
        f"{_story_rows(summary, docs, findings)}\n</tbody>\n</table>\n</section>"
    )


def _header(result: RunResult) -> str:
    manifest = result.manifest or {}
    model = manifest.get("model") if isinstance(manifest.get("model"), dict) else {}
    tool = f"{manifest.get('tool', 'aligner')} {manifest.get('version', '')}".strip()
    runtime = f" ({model['runtime']})" if model.get("runtime") else ""
    meta = [tool] + ([f"model {model['name']}{runtime}"] if model.get("name") else [])
    meta.append(
        f"{len(result.documents)} documents, {len(result.stories)} stories, "
        f"{sum(is_aligned(u) for u in result.units)} aligned units, "
        f"{sum(f.kind != 'matched' for f in result.findings)} number findings"
    )
    skipped = "".join(
        f"<li>{escape(s.source)}{' (' + escape(s.doc_id) + ')' if s.doc_id else ''}: {escape(s.reason)}</li>"
        for s in result.skipped
    )
    return (
        f'<header>\n<h1>Alignment review</h1>\n<p class="meta">{escape(" · ".join(meta))}</p>\n'
        + (
            f'<details class="skipped"><summary>{len(result.skipped)} input(s) skipped</summary>'
            f"<ul>{skipped}</ul></details>\n"
            if skipped
            else ""
        )
        + "</header>"
    )


def _controls() -> str:
    legend = "".join(f'<span class="bin-{b}">{b / 10:.1f}</span>' for b in range(0, 11, 2))
    return (
        '<div class="controls">\n'
        '<label><input type="checkbox" id="only-findings"> only units with number findings</label>\n'
        '<label>score below <input type="number" id="score-below" min="0" max="1" step="0.05" '
        'placeholder="any"></label>\n'
        f'<span class="legend" title="unit score colours">{legend}</span>\n'
        '<span id="shown-count"></span>\n'
        "<noscript>The filters need JavaScript; every unit is shown.</noscript>\n</div>"
    )


def _story_list(entries: Sequence[tuple[Story, int, int]]) -> str:
    """The table of contents: each story with its aligned units and its number findings."""
    items = "".join(
        f'<li><a href="#story-{escape(story.story_id)}">{escape(story.story_id)}</a> — '
        f"{escape(', '.join(story.languages))} · {aligned} units · "
        f"{findings} findings</li>"
        for story, aligned, findings in entries
    )
    return f'<nav class="stories"><h2>Stories</h2><ol>{items}</ol></nav>'


def render_html(result: RunResult) -> str:
    """The review page as one self-contained HTML document (deterministic: no dates)."""
    return "".join(html_pieces(result))


def html_pieces(result: RunResult) -> Iterator[str]:
    """The review page in pieces, a story's section at a time (written as they come: a large run's page
    is never held whole, nor its units: a first pass counts, a second reads them a story at a time)."""
    docs = {doc.doc_id: doc for doc in result.documents}
    aligned: dict[str, int] = {}
    for unit in result.units:
        aligned[unit.story_id] = aligned.get(unit.story_id, 0) + is_aligned(unit)
    problems: dict[str, int] = {}
    for finding in result.findings:
        problems[finding.story_id] = problems.get(finding.story_id, 0) + (finding.kind != "matched")
    entries = [(s, aligned.get(s.story_id, 0), problems.get(s.story_id, 0)) for s in result.stories]
    yield (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>aligner: alignment review</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n"
        f"{_header(result)}\n{_controls()}\n{_story_list(entries)}\n"
    )
    for number, (story, story_units, comparisons) in enumerate(story_records(result)):
        summary = summarise_story(story, docs, story_units, comparisons)
        yield ("\n" if number else "") + _story_section(summary, docs, comparisons)
    yield f"\n<script>{_JS}</script>\n</body>\n</html>\n"
