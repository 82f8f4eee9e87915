"""report.html: structure and escaping checked on the markup, then the page driven in headless Chromium."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_export import IMG, SCRIPT, hostile_run

from aligner.report.figures import by_story, in_story_order, number_spans
from aligner.report.html import render_html
from aligner.types import NumberFinding, Story

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text of <script> and <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline: dict[str, list[str]] = {"script": [], "style": []}
        self._open: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))
        self._open = tag if tag in self.inline else None

    def handle_data(self, data) -> None:
        if self._open:
            self.inline[self._open].append(data)

    def handle_endtag(self, tag) -> None:
        self._open = None


def _parse(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    return parser


def _rows(page: str, story: str) -> list[dict[str, str | None]]:
    section = page.split(f'data-story="{story}"')[1].split("</section>")[0]
    return [
        attrs for tag, attrs in _parse(section).tags if tag == "tr" and attrs.get("class") in ("unit", "gap")
    ]


def test_page_is_deterministic_and_self_contained() -> None:
    page = render_html(hostile_run())
    assert page == render_html(hostile_run())
    elements = _parse(page)
    assert not [attrs for _, attrs in elements.tags if "src" in attrs]
    assert all(attrs["href"].startswith("#") for tag, attrs in elements.tags if tag == "a")
    assert not re.search(r"https?://", page)
    # the Content-Security-Policy allows exactly this page's script and style, by hash
    csp = next(
        attrs["content"]
        for tag, attrs in elements.tags
        if attrs.get("http-equiv") == "Content-Security-Policy"
    )
    for kind in ("script", "style"):
        (source,) = elements.inline[kind]
        digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
        assert f"{kind}-src 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp


def test_units_and_findings_out_of_story_order_give_the_page_of_a_run_in_order() -> None:
    # A run writes them story by story and the page reads them so, a story at a time; records in any
    # other order (a hand-made result) are grouped in memory first and give the same page.
    result = hostile_run()
    assert len({unit.story_id for unit in result.units}) > 1
    in_order = render_html(result)
    later_first = {
        story.story_id: -n for n, story in enumerate(result.stories)
    }  # each story's own order kept
    shuffled = dataclasses.replace(
        result,
        units=sorted(result.units, key=lambda unit: later_first[unit.story_id]),
        findings=sorted(result.findings, key=lambda finding: later_first[finding.story_id]),
    )
    assert not in_story_order(result.stories, shuffled.units)
    assert render_html(shuffled) == in_order


def test_by_story_reads_records_in_one_pass_when_they_come_in_story_order() -> None:
    stories = [Story(f"s{n}", (f"d{n}",), ("en",), 1.0) for n in range(4)]
    records = [
        NumberFinding(f"s{n}", unit, ("a", "b"), "matched", {}, "") for n in (0, 0, 2, 3) for unit in (1, 2)
    ]
    assert in_story_order(stories, records) and not in_story_order(stories, records[::-1])
    grouped = [[(f.story_id, f.unit) for f in group] for group in by_story(stories, iter(records), True)]
    assert grouped == [
        [("s0", 1), ("s0", 2), ("s0", 1), ("s0", 2)],
        [],
        [("s2", 1), ("s2", 2)],
        [("s3", 1), ("s3", 2)],
    ]
    assert [len(g) for g in by_story(stories, records[::-1], False)] == [4, 0, 2, 2]


def test_document_text_is_escaped_everywhere() -> None:
    page = render_html(hostile_run())
    tags = _parse(page).tags
    assert [tag for tag, _ in tags].count("script") == 1 and "img" not in [tag for tag, _ in tags]
    assert not [name for _, attrs in tags for name in attrs if name.startswith("on")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;/tu&gt;" in page and "&amp;amp;" in page and "\x1b" not in page and "\r" not in page


def test_one_row_per_unit_with_unaligned_sentences_in_their_place() -> None:
    page = render_html(hostile_run())
    s1 = _rows(page, "s1")
    assert [(r["class"], r.get("data-unit")) for r in s1] == [
        ("unit", "0"),
        ("unit", "1"),
        ("gap", None),
        ("unit", "2"),
    ]
    assert [r["data-findings"] for r in s1] == ["0", "0", "0", "2"]
    assert s1[1]["data-score"] == "0.5500"
    s2 = _rows(page, "s2")  # the last row holds both the English and the Russian leftovers
    assert [(r["class"], r.get("data-unit")) for r in s2] == [("unit", "0"), ("unit", "1"), ("gap", None)]
    assert (
        "Nothing more." in page and "Лишняя строка." in page and "Это предложение никто не перевёл." in page
    )


def test_cells_carry_language_and_direction() -> None:
    cells = {
        attrs["data-doc"]: attrs
        for tag, attrs in _parse(render_html(hostile_run())).tags
        if tag == "td" and "data-doc" in attrs
    }
    assert (cells["ar1"]["dir"], cells["ur1"]["dir"], cells["ru1"]["dir"], cells["en1"]["dir"]) == (
        "rtl",
        "rtl",
        "ltr",
        "ltr",
    )
    assert cells["ur1"]["lang"] == "ur"


def test_findings_highlight_the_numbers_in_both_texts() -> None:
    page = render_html(hostile_run())
    assert (
        '<mark class="num sev-error" title="7 in ru1 but 8 in ur1">7</mark> проектов &amp; &amp;amp; ]]&gt;.'
        in page
    )
    # the Urdu 8 is in both findings: the worse severity, both messages
    escaped = SCRIPT.replace("<", "&lt;").replace(">", "&gt;")
    assert f'<mark class="num sev-error" title="7 in ru1 but 8 in ur1&#10;7 vs 8 {escaped}">8</mark>' in page
    assert '<mark class="num sev-warning" title="7 vs 8' in page  # the Arabic 7, only in the warning
    # numbers that agree are underlined, not counted as findings
    assert 'In <mark class="num sev-ok" title="numbers agree">2023</mark> revenue grew by' in page
    assert '<mark class="num sev-ok" title="numbers agree">12,5%</mark>.' in page


def test_numbers_are_found_by_value_when_the_marked_text_is_another_excerpt() -> None:
    finding = NumberFinding(
        "s", 0, ("a", "b"), "changed", {"a": ["12", "7"], "b": []}, "m", "warning", None, {"a": "[[12]] x"}
    )
    spans = number_spans("7 of 12, then 12", "a", [finding])
    assert sorted((start, end) for start, end, _ in spans) == [(0, 1), (5, 7), (14, 16)]
    assert number_spans("7 of 12", "b", [finding]) == []
    assert number_spans("7 of 12", "zzz", [finding]) == []


# --- in a real browser ---


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} missing: install Debian's chromium (make browser) to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open(browser, path: Path):
    """The page, with every dialog and network request it attempts recorded."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    attempts: dict[str, list[str]] = {"dialogs": [], "requests": [], "errors": []}
    page.on("dialog", lambda dialog: (attempts["dialogs"].append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: attempts["requests"].append(request.url))
    page.on("pageerror", lambda error: attempts["errors"].append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, attempts


def _visible_units(page) -> list[tuple[str, float, int]]:
    rows = page.eval_on_selector_all(
        "tr.unit",
        "rows => rows.filter(r => r.offsetParent !== null).map(r => "
        "[r.closest('section').dataset.story, Number(r.dataset.score), Number(r.dataset.findings)])",
    )
    return [tuple(row) for row in rows]


def _check_filters(page, units: list[tuple[str, float, int]]) -> None:
    """'Only units with findings' and 'score below' hide exactly the rows they should."""
    assert sorted(_visible_units(page)) == sorted(units)
    page.check("#only-findings")
    with_findings = [u for u in units if u[2] > 0]
    assert sorted(_visible_units(page)) == sorted(with_findings)
    assert (
        page.eval_on_selector_all("tr.gap", "rows => rows.filter(r => r.offsetParent !== null).length") == 0
    )
    assert page.text_content("#shown-count") == f"{len(with_findings)} of {len(units)} aligned units shown"
    page.uncheck("#only-findings")
    limit = sorted(score for _, score, _ in units)[len(units) // 2]
    page.fill("#score-below", str(limit))
    assert sorted(_visible_units(page)) == sorted(u for u in units if u[1] < limit)
    page.fill("#score-below", "")
    assert len(_visible_units(page)) == len(units)


@pytest.mark.browser
def test_hostile_page_in_chromium_shows_text_and_runs_nothing(browser, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(render_html(hostile_run()), encoding="utf-8")
    page, attempts = _open(browser, path)
    assert attempts["dialogs"] == [] and attempts["errors"] == []
    assert attempts["requests"] == [path.as_uri()]  # nothing but the page itself
    assert page.eval_on_selector_all("img", "found => found.length") == 0
    assert page.eval_on_selector_all("script", "found => found.length") == 1
    cell = page.locator('tr.unit[data-unit="1"] td[data-doc="ru1"]').first
    assert SCRIPT in cell.inner_text()
    assert IMG in page.locator('tr.unit[data-unit="1"] td[data-doc="ur1"]').first.inner_text()
    direction = "el => getComputedStyle(el).direction"
    assert page.locator('td[data-doc="ar1"]').first.evaluate(direction) == "rtl"
    assert page.locator('td[data-doc="en1"]').first.evaluate(direction) == "ltr"
    assert "Nastaliq" in page.locator('td[data-doc="ur1"]').first.evaluate(
        "el => getComputedStyle(el).fontFamily"
    )
    mark = page.locator('td[data-doc="ru1"] mark').first
    assert (mark.inner_text(), mark.get_attribute("title")) == ("7", "7 in ru1 but 8 in ur1")
    units = [
        (u.story_id, round(u.score, 4), 2 if (u.story_id, u.index) == ("s1", 2) else 0)
        for u in hostile_run().units
        if len(u.segments) >= 2
    ]
    _check_filters(page, units)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-hostile.png"), full_page=True)
    page.close()


# --- the seeds' run, with the real model ---


@pytest.fixture(scope="module")
def seeds_run(real_embedder, tmp_path_factory) -> Path:
    from aligner.pipeline import run

    out = tmp_path_factory.mktemp("seeds") / "out"
    run(sorted((ROOT / "seeds").glob("*.txt")), out, real_embedder)
    return out


@pytest.mark.model
@pytest.mark.browser
def test_seeds_report_in_chromium(browser, seeds_run: Path) -> None:
    units = [
        json.loads(line) for line in (seeds_run / "alignments.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    findings = [
        json.loads(line) for line in (seeds_run / "numbers.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    documents = [
        json.loads(line) for line in (seeds_run / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    aligned = [u for u in units if sum(1 for seg in u["segments"].values() if seg["sentences"]) >= 2]
    assert aligned, "the seeds should give aligned units"
    count = {}
    for finding in findings:
        if finding["kind"] != "matched":
            key = (finding["story"], finding["unit"])
            count[key] = count.get(key, 0) + 1
    expected = [(u["story"], round(u["score"], 4), count.get((u["story"], u["unit"]), 0)) for u in aligned]

    page, attempts = _open(browser, seeds_run / "report.html")
    assert attempts["dialogs"] == [] and attempts["errors"] == [] and len(attempts["requests"]) == 1
    rendered = page.eval_on_selector_all(
        "tr.unit", "rows => rows.map(r => [r.closest('section').dataset.story, Number(r.dataset.score)])"
    )
    assert rendered == [[story, score] for story, score, _ in expected]
    # every sentence of every document is on the page exactly where the run put it: in a unit or a gap row
    shown = page.eval_on_selector_all(
        "td[data-doc]", "cells => cells.map(c => [c.dataset.doc, c.dataset.sentences, c.getAttribute('dir')])"
    )
    lang_of = {d["doc"]: d["lang"] for d in documents}
    for doc in documents:
        ids = sorted(
            int(i) for doc_id, sentences, _ in shown if doc_id == doc["doc"] for i in sentences.split()
        )
        assert ids == list(range(len(doc["sentences"]))), doc["doc"]
    rtl = {doc_id for doc_id, _, direction in shown if direction == "rtl"}
    assert rtl == {doc_id for doc_id, _, _ in shown if lang_of[doc_id] in ("ar", "ur")}
    assert rtl, "the seeds hold Arabic and Urdu documents"
    _check_filters(page, expected)
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("document.activeElement.blur()")
    flagged = page.locator('tr.unit:not([data-findings="0"])')
    if flagged.count():  # show a highlighted number under the sticky filter bar
        flagged.first.evaluate(
            "row => window.scrollTo(0, row.getBoundingClientRect().top + window.scrollY - 330)"
        )
    page.screenshot(path=str(ARTIFACTS / "report.png"))
    page.close()
