"""The terminal report and the per-story figures behind it."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from rich.console import Console
from test_export import IMG, SCRIPT, hostile_run

from aligner.report import terminal
from aligner.report.figures import number_spans, parse_marked, summarise
from aligner.report.terminal import FINDINGS_SHOWN, STORIES_DETAILED, print_report
from aligner.safe import safe_text
from aligner.types import NumberFinding


def _plain(result) -> str:
    result.manifest["timings"] = {"read": 0.21, "embed": 12.345}
    out = io.StringIO()
    print_report(result, Console(file=out, width=120, force_terminal=False, color_system=None))
    return out.getvalue()


def _coloured(result) -> str:
    out = io.StringIO()
    print_report(result, Console(file=out, width=120, force_terminal=True, color_system="truecolor"))
    return out.getvalue()


def test_summary_figures_per_story() -> None:
    s1, s2, s3 = summarise(hostile_run())
    assert [d.doc_id for d in s1.documents] == ["ru1", "ur1", "ar1", "en1", "uk1"]
    coverage = {(c.lang1, c.lang2): (c.aligned, c.total) for c in s1.coverage}
    assert coverage[("ar", "ru")] == (6, 7)  # ru1 has one sentence no unit covers
    assert coverage[("ar", "ur")] == (6, 6)
    assert len(coverage) == 10
    assert s1.mean_score == pytest.approx((0.91 + 0.55 + 0.725) / 3)
    assert [u.index for u in s1.lowest] == [1, 2, 0]
    assert [(f.severity, f.kind) for f in s1.findings] == [("error", "changed"), ("warning", "changed")]
    # two English documents: each pairs with the Russian one; the lone Russian unit aligns nothing
    assert [(c.lang1, c.lang2, c.aligned, c.total) for c in s2.coverage] == [("en", "ru", 6, 10)]
    assert s2.mean_score == pytest.approx((0.8 + 0.45) / 2)
    assert s3.coverage == [] and s3.mean_score is None and s3.lowest == []


def test_parse_marked_returns_text_and_number_spans() -> None:
    assert parse_marked("Рост [[2,8%]] в [[2023]] г.") == ("Рост 2,8% в 2023 г.", [(5, 9), (12, 16)])
    assert parse_marked("no marks ]]> here") == ("no marks ]]> here", [])


def test_safe_text_replaces_control_characters_one_for_one() -> None:
    assert safe_text("a\tb\nc\x1b[31md\x00") == "a b c\ufffd[31md\ufffd"
    assert safe_text("اردو\u200c\u200f") == "اردو\u200c\u200f"  # joiners and direction marks are text


def test_plain_report_lists_documents_pairs_scores_and_findings() -> None:
    text = _plain(hostile_run())
    assert "\x1b" not in text  # no colours, and the document's own escape sequence was defused
    assert "9 documents, 3 stories, 5 aligned units, 2 number findings" in text
    assert "skipped in/empty.txt: empty file" in text
    assert "stages: read 0.2s · embed 12.3s" in text
    assert "Story s1  5 documents · ru, ur, ar, en, uk · 3 aligned units · mean score 0.728" in text
    assert re.search(r"ru1\s+ru\s+4\s+in/ru1\.txt", text)
    assert re.search(r"ar-ru\s+86%\s+6/7", text)
    assert re.search(r"en-ru\s+60%\s+6/10", text)
    assert "Lowest-scoring units" in text
    assert re.search(r"1\s+0\.550\s+ru Компания", text)
    # findings show both texts with the numbers kept in [[…]] where there is no colour to mark them
    # grouped by unit: the messages, then each text once
    findings = text.split("Number findings (2)")[1].split("Story s2")[0].splitlines()
    assert [" ".join(line.split()) for line in findings if line.strip()] == [
        "unit 2 · score 0.725",
        "error changed: 7 in ru1 but 8 in ur1 (odd one out: ur1)",
        f"warning changed: 7 vs 8 {SCRIPT} (odd one out: ur1)",
        "ru1 (ru) Итог: [[7]] проектов & &amp; ]]>.",
        "ur1 (ur) نتیجہ: [[8]] منصوبے </tu>۔",
        "ar1 (ar) النتيجة: [[7]] مشاريع.",
    ]
    # document text is printed as written, never read as rich markup
    assert SCRIPT in text and IMG in text and "[bold]x[/bold]" in text
    assert "Story s3  1 document · en" in text


def test_coloured_report_styles_the_numbers_instead_of_marking_them() -> None:
    text = _coloured(hostile_run())
    assert "[[" not in text
    assert re.search(r"\x1b\[[0-9;]*m8\x1b\[0m", text)  # the changed number is highlighted
    assert "\x1b[31m." not in text  # the document's escape sequence did not reach the terminal
    assert not re.findall(r"\x1b(?!\[[0-9;]*m)", text)  # only colour codes, nothing that moves the cursor


def test_long_finding_lists_are_cut_with_a_pointer_to_the_files() -> None:
    result = hostile_run()
    finding = result.findings[0]
    result.findings = [
        dataclasses.replace(finding, unit=2, message=f"finding {i}") for i in range(FINDINGS_SHOWN + 5)
    ]
    text = _plain(result)
    assert re.search(rf"finding {FINDINGS_SHOWN - 1}\b", text)
    assert not re.search(rf"finding {FINDINGS_SHOWN}\b", text)
    assert "… and 5 more in numbers.jsonl and report.html" in text


def test_report_of_an_empty_run_prints_the_heading_only() -> None:
    result = hostile_run()
    result.stories, result.units, result.findings, result.skipped = [], [], [], []
    text = _plain(result)
    assert "0 stories, 0 aligned units, 0 number findings" in text and "Story" not in text


def test_number_spans_pick_the_findings_own_numbers_from_a_fully_marked_text() -> None:
    text = "В 2023 году 3 коммуны и 6 коммун, всего 3."
    marked = "В [[2023]] году [[3]] коммуны и [[6]] коммун, всего [[3]]."
    missing = NumberFinding(
        "s", 0, ("a", "b"), "missing", {"a": ["3"], "b": []}, "3 has no counterpart", "warning"
    )
    missing = dataclasses.replace(missing, marked={"a": marked, "b": "nothing"})
    assert [(s, e) for s, e, _ in number_spans(text, "a", [missing])] == [(12, 13), (40, 41)]
    assert number_spans("nothing", "b", [missing]) == []  # the side without the number has nothing to mark
    # the marked text is another excerpt: the values are looked up in this text
    assert [(s, e) for s, e, _ in number_spans("всего 3.", "a", [missing])] == [(6, 7)]


def _many_stories(count: int):
    base = hostile_run()
    s1, s2 = base.stories[0], base.stories[1]
    stories, units = [], []
    for i in range(count):
        template = s1 if i == 7 else s2  # story c7 carries the findings
        stories.append(dataclasses.replace(template, story_id=f"c{i}"))
        units += [
            dataclasses.replace(u, story_id=f"c{i}") for u in base.units if u.story_id == template.story_id
        ]
    findings = [dataclasses.replace(f, story_id="c7") for f in base.findings]
    return dataclasses.replace(base, stories=stories, units=units, findings=findings)


class _CountingUnits(list):
    """A run's units that count the passes read over them (a spool is read, not held)."""

    passes = 0

    def __iter__(self):
        type(self).passes += 1
        return super().__iter__()


def test_a_crawls_overview_lists_the_most_urgent_and_no_story_keeps_its_units(monkeypatch) -> None:
    monkeypatch.setattr(terminal, "OVERVIEW_ROWS", STORIES_DETAILED + 2)
    result = _many_stories(STORIES_DETAILED + 10)
    assert all(s.units == [] and s.aligned_units > 0 for s in terminal._summaries(result))
    result = dataclasses.replace(result, units=_CountingUnits(result.units))
    text = _plain(result)
    assert f"Stories: the {STORIES_DETAILED + 2} most urgent of {STORIES_DETAILED + 10}" in text
    overview = re.findall(r"^(c\d+)\s+(?:ru|en)", text, flags=re.MULTILINE)
    assert len(overview) == STORIES_DETAILED + 2 and "c7" in overview
    assert overview == sorted(overview, key=lambda story: int(story[1:]))  # in story order
    assert re.search(r"c7\s+ru, ur, ar, en, uk\s+16\s+3\s+94%\s+0\.728\s+2", text)
    detailed = re.findall(r"^Story (c\d+) ", text, flags=re.MULTILINE)
    assert len(detailed) == STORIES_DETAILED and "c7" in detailed and "Number findings (2)" in text
    # each a pass that holds one unit (or one story's) at a time: the heading's count, the check that they
    # come in story order, the summaries, and the units of the stories whose findings are shown
    assert _CountingUnits.passes == 4


def test_many_stories_get_an_overview_and_details_for_the_urgent_ones() -> None:
    text = _plain(_many_stories(STORIES_DETAILED + 5))
    assert re.search(r"c7\s+ru, ur, ar, en, uk\s+16\s+3\s+94%\s+0\.728\s+2", text)  # the overview line
    assert re.search(r"c24\s+en, ru\s+7\s+2\s+60%\s+0\.625\s+0", text)
    detailed = re.findall(r"^Story (c\d+) ", text, flags=re.MULTILINE)
    assert len(detailed) == STORIES_DETAILED and detailed[0] == "c0" and "c7" in detailed
    assert "Number findings (2)" in text
