"""The review page of ``aligner check --html``: the run's review page (its style, RTL cells, highlighted
numbers, strict Content-Security-Policy) with one table per file, only the units with findings shown by
default, and buttons to mark each finding "accepted" or "error" and download the decisions as JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from aligner import languages
from aligner.bilingual.check import FileFinding
from aligner.bilingual.decisions import FORMAT, Decision, decision_record
from aligner.report.figures import parse_marked
from aligner.report.html import _CSS, _csp_hash, escape, highlight


@dataclass(frozen=True)
class PageRow:
    segment: str
    line: int | None
    texts: dict[str, str]  # side -> text as shown
    findings: list[FileFinding]


@dataclass(frozen=True)
class PageSection:
    label: str
    format: str
    columns: list[tuple[str, str]]  # (side, language code)
    how: dict[str, str]  # side -> where its language came from
    rows: list[PageRow]


_EXTRA_CSS = """
ul.findings { margin: 0; padding-left: 1rem; font-size: .85rem; }
li.finding { margin: .2rem 0; }
li.finding .kind { font-weight: 600; }
li.finding button { font-size: .75rem; margin-inline-start: .3rem; }
li.finding button[aria-pressed=true][data-choice=accepted] { background: #cdeccd; }
li.finding button[aria-pressed=true][data-choice=error] { background: #ffb3b3; }
li.finding[data-decision=accepted] .message { text-decoration: line-through; color: var(--muted); }
th.segment, td.segment { width: 8rem; }
td.segment small { display: block; color: var(--muted); }
""".strip()
_STYLE = _CSS + "\n" + _EXTRA_CSS

_JS = """
(function () {
  "use strict";
  var decisions = {};
  JSON.parse(document.getElementById("decisions-data").textContent).forEach(function (d) {
    decisions[d.fingerprint] = d;
  });
  var only = document.getElementById("only-findings");
  var count = document.getElementById("shown-count");
  var decided = document.getElementById("decided-count");
  function filter() {
    var shown = 0, total = 0;
    document.querySelectorAll("tr.unit").forEach(function (row) {
      var show = !only.checked || Number(row.dataset.findings) > 0;
      row.hidden = !show;
      total += 1;
      if (show) { shown += 1; }
    });
    document.querySelectorAll("section.file").forEach(function (section) {
      section.hidden = only.checked && !section.querySelector("tr.unit:not([hidden])");
    });
    count.textContent = shown + " of " + total + " units shown";
  }
  function refresh() {
    var items = document.querySelectorAll("li.finding"), done = 0;
    items.forEach(function (item) {
      var d = decisions[item.dataset.fingerprint];
      item.dataset.decision = d ? d.decision : "";
      item.querySelectorAll("button[data-choice]").forEach(function (button) {
        button.setAttribute("aria-pressed", String(!!d && d.decision === button.dataset.choice));
      });
      if (d) { done += 1; }
    });
    decided.textContent = done + " of " + items.length + " findings decided";
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-choice]");
    if (!button) { return; }
    var item = button.closest("li.finding"), key = item.dataset.fingerprint;
    if (decisions[key] && decisions[key].decision === button.dataset.choice) {
      delete decisions[key];
    } else {
      decisions[key] = {fingerprint: key, decision: button.dataset.choice, file: item.dataset.file,
        segment: item.dataset.segment, kind: item.dataset.kind, values: JSON.parse(item.dataset.values),
        note: ""};
    }
    refresh();
  });
  document.getElementById("download").addEventListener("click", function () {
    var list = Object.keys(decisions).sort().map(function (key) { return decisions[key]; });
    var text = JSON.stringify({format: "%FORMAT%", decisions: list}, null, 1) + "\\n";
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], {type: "application/json"}));
    link.download = "decisions.json";
    document.body.appendChild(link);
    link.click();
    link.remove();
  });
  only.addEventListener("change", filter);
  filter();
  refresh();
})();
""".strip().replace("%FORMAT%", FORMAT)

_CSP = (
    f"default-src 'none'; style-src {_csp_hash(_STYLE)}; script-src {_csp_hash(_JS)}; "
    "img-src 'none'; base-uri 'none'; form-action 'none'"
)


def _lang_attrs(lang: str) -> str:
    direction = "rtl" if languages.get(lang).rtl else "ltr"
    return f'lang="{escape(lang)}" dir="{direction}"'


def _finding_item(finding: FileFinding) -> str:
    values = json.dumps(finding.values, ensure_ascii=False, sort_keys=True)
    buttons = "".join(
        f'<button type="button" data-choice="{choice}" aria-pressed="false">{choice}</button>'
        for choice in ("accepted", "error")
    )
    return (
        f'<li class="finding" data-fingerprint="{escape(finding.fingerprint)}" '
        f'data-file="{escape(finding.file)}" data-segment="{escape(finding.segment)}" '
        f'data-kind="{escape(finding.kind)}" data-values="{escape(values)}">'
        f'<span class="kind">{escape(finding.severity)} {escape(finding.kind)} '
        f"({escape(finding.confidence)} confidence)</span> "
        f'<span class="message">{escape(finding.message)}</span>{buttons}</li>'
    )


def _row(row: PageRow, columns: list[tuple[str, str]]) -> str:
    where = f"<small>line {row.line}</small>" if row.line and row.segment != f"line {row.line}" else ""
    cells = [f'<td class="segment"><bdi>{escape(row.segment)}</bdi>{where}</td>']
    for side, lang in columns:
        text = row.texts.get(side)
        if text is None:
            cells.append('<td class="absent"></td>')
            continue
        spans = []
        for finding in row.findings:
            if side in finding.marked:
                spans += [(s, e, finding) for s, e in parse_marked(finding.marked[side])[1]]
        cells.append(f'<td {_lang_attrs(lang)} data-doc="{escape(side)}">{highlight(text, spans)}</td>')
    items = "".join(_finding_item(f) for f in row.findings)
    cells.append(f'<td class="findings"><ul class="findings">{items}</ul></td>')
    return (
        f'<tr class="unit" data-segment="{escape(row.segment)}" data-findings="{len(row.findings)}">'
        f"{''.join(cells)}</tr>"
    )


def _section(section: PageSection) -> str:
    heads = ['<th class="segment">segment</th>']
    for side, lang in section.columns:
        detail = f"{languages.get(lang).name} · {section.how.get(side, '')}"
        small = f'<small lang="en" dir="ltr">{escape(detail)}</small>'
        heads.append(f"<th {_lang_attrs(lang)}><bdi>{escape(side)}</bdi>{small}</th>")
    heads.append("<th>findings</th>")
    found = sum(len(row.findings) for row in section.rows)
    rows = "\n".join(_row(row, section.columns) for row in section.rows)
    return (
        f'<section class="file story" data-file="{escape(section.label)}">\n'
        f"<h2><bdi>{escape(section.label)}</bdi></h2>\n"
        f'<p class="summary">{escape(section.format)} · {len(section.rows)} units · {found} findings</p>\n'
        f'<table class="units">\n<thead><tr>{"".join(heads)}</tr></thead>\n'
        f"<tbody>\n{rows}\n</tbody>\n</table>\n</section>"
    )


def render_check_page(sections: list[PageSection], decisions: list[Decision], notes: list[str]) -> str:
    """The page; ``decisions`` already made are kept in every download, ``notes`` list those that no
    longer apply."""
    data = json.dumps([decision_record(d) for d in decisions], ensure_ascii=False, sort_keys=True)
    data = data.replace("<", "\\u003c")  # "</script>" in a segment cannot close the data block
    found = sum(len(row.findings) for s in sections for row in s.rows)
    stale = "".join(f"<li>{escape(note)}</li>" for note in notes)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>aligner: number check</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f'<header>\n<h1>Number check</h1>\n<p class="meta">{len(sections)} input(s) · {found} findings</p>\n'
        + (
            f'<details class="skipped" open><summary>{len(notes)} decision(s) no longer apply</summary>'
            f"<ul>{stale}</ul></details>\n"
            if notes
            else ""
        )
        + "</header>\n"
        '<div class="controls">\n'
        '<label><input type="checkbox" id="only-findings" checked> only units with number findings</label>\n'
        '<span id="shown-count"></span>\n<span id="decided-count"></span>\n'
        '<button type="button" id="download">Download decisions</button>\n'
        "<noscript>Marking findings needs JavaScript.</noscript>\n</div>\n"
        + "\n".join(_section(s) for s in sections)
        + f'\n<script type="application/json" id="decisions-data">{data}</script>\n'
        f"<script>{_JS}</script>\n</body>\n</html>\n"
    )
