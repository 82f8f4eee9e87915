"""The review page of `aligner check --html`, and the whole decisions loop in headless Chromium:
mark findings on the page, download the decisions, check again with them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_cli import aligner
from test_html_report import ARTIFACTS, _open, _parse, browser  # noqa: F401  (the fixture)

from aligner.bilingual.decisions import FORMAT

DATA = Path(__file__).parent / "data" / "bilingual"


def _records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    """Copies of the sample files, so that a test can change a segment's text."""
    copies = []
    for path in sorted(DATA.iterdir()):
        shutil.copy(path, tmp_path / path.name)
        copies.append(tmp_path / path.name)
    return copies


def test_page_markup_is_escaped_and_has_a_control_per_finding(files: list[Path], tmp_path: Path) -> None:
    page_path = tmp_path / "check.html"
    assert aligner("check", *map(str, files), "--html", str(page_path)).returncode == 0
    page = page_path.read_text(encoding="utf-8")
    tags = _parse(page).tags
    items = [attrs for tag, attrs in tags if tag == "li" and attrs.get("class") == "finding"]
    # 7 files, one seeded error each; the four-language TMX unit's number is one finding (issue 25)
    assert len(items) == 7 and all(len(attrs["data-fingerprint"]) == 33 for attrs in items)
    assert [tag for tag, _ in tags].count("button") == 2 * 7 + 1
    # inline tags of the files are shown as text, never as markup
    assert "&lt;g id=&quot;1&quot;&gt;" in page and '<b class="k2">' not in page
    assert "checked" in next(attrs for tag, attrs in tags if tag == "input")  # findings only by default


@pytest.mark.browser
def test_decisions_loop_in_chromium(browser, files: list[Path], tmp_path: Path) -> None:  # noqa: F811
    names = [str(path) for path in files]
    page_path = tmp_path / "check.html"
    first = aligner("check", *names, "--html", str(page_path), "--jsonl", "--fail-on", "changed")
    assert first.returncode == 3
    findings = _records(first.stdout)

    page, attempts = _open(browser, page_path)
    assert attempts["errors"] == [] and attempts["dialogs"] == []
    shown = "rows => rows.filter(r => r.offsetParent !== null).length"
    visible = page.eval_on_selector_all("tr.unit", shown)
    assert visible == len({(f["file"], f["segment"]) for f in findings})  # only units with findings
    assert page.eval_on_selector_all("tr.unit", "rows => rows.length") == 25
    page.uncheck("#only-findings")
    assert page.eval_on_selector_all("tr.unit", shown) == 25
    direction = "el => getComputedStyle(el).direction"
    assert page.locator('td[data-doc="ar-SA"]').first.evaluate(direction) == "rtl"
    assert page.locator('td[data-doc="ur"]').first.evaluate(direction) == "rtl"

    glossary = next(f for f in findings if f["file"].endswith("glossary.tsv"))
    po = next(f for f in findings if f["file"].endswith("messages.po"))
    page.click(f'li.finding[data-fingerprint="{glossary["fingerprint"]}"] button[data-choice="accepted"]')
    page.click(f'li.finding[data-fingerprint="{po["fingerprint"]}"] button[data-choice="error"]')
    assert page.text_content("#decided-count") == f"2 of {len(findings)} findings decided"
    with page.expect_download() as download:
        page.click("#download")
    decisions_path = tmp_path / "decisions.json"
    download.value.save_as(decisions_path)
    assert download.value.suggested_filename == "decisions.json"
    page.check("#only-findings")
    page.evaluate("window.scrollTo(0, 0)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "check-review.png"))
    page.close()
    saved = json.loads(decisions_path.read_text(encoding="utf-8"))
    assert saved["format"] == FORMAT
    assert {(d["fingerprint"], d["decision"]) for d in saved["decisions"]} == {
        (glossary["fingerprint"], "accepted"),
        (po["fingerprint"], "error"),
    }

    # the accepted finding is not reported again; the error is, marked
    again = aligner("check", *names, "--decisions", str(decisions_path), "--jsonl")
    assert again.returncode == 0 and "decision" not in again.stderr.replace("decisions", "")
    now = _records(again.stdout)
    assert glossary["fingerprint"] not in {f["fingerprint"] for f in now}
    assert next(f for f in now if f["fingerprint"] == po["fingerprint"])["decision"] == "error"
    assert len(now) == len(findings) - 1
    # gating counts what remains: the TSV's only finding was accepted
    glossary_path = next(p for p in names if p.endswith("glossary.tsv"))
    gated = aligner("check", glossary_path, "--decisions", str(decisions_path), "--fail-on", "changed")
    assert gated.returncode == 0
    # a second page keeps the earlier decisions in its download
    second = tmp_path / "second.html"
    aligner("check", *names, "--decisions", str(decisions_path), "--html", str(second))
    page, _ = _open(browser, second)
    with page.expect_download() as download:
        page.click("#download")
    download.value.save_as(tmp_path / "again.json")
    page.close()
    kept = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))["decisions"]
    assert sorted(d["fingerprint"] for d in kept) == sorted(d["fingerprint"] for d in saved["decisions"])

    # a changed segment text makes the decision stale: the finding is back and the decision is listed
    tsv = Path(glossary_path)
    edited = tsv.read_text(encoding="utf-8").replace("It opened in 1852.", "It opened in 1852!")
    tsv.write_text(edited, encoding="utf-8")
    stale = aligner("check", *names, "--decisions", str(decisions_path), "--jsonl", "--fail-on", "changed")
    assert stale.returncode == 3
    assert "stale decision (accepted)" in stale.stderr and "glossary.tsv segment line 3" in stale.stderr
    assert any(f["file"].endswith("glossary.tsv") for f in _records(stale.stdout))
    # a decision matching nothing at all is listed as unknown
    nowhere = {"fingerprint": "0" * 16 + "-" + "1" * 16, "decision": "accepted", "file": "x.po"}
    saved["decisions"].append(nowhere)
    decisions_path.write_text(json.dumps(saved), encoding="utf-8")
    unknown = aligner("check", *names, "--decisions", str(decisions_path))
    assert "unknown decision (accepted) on x.po" in unknown.stderr


def test_a_bad_decisions_file_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "decisions.json"
    bad.write_text('{"format": "something else"}', encoding="utf-8")
    result = aligner("check", str(DATA / "glossary.tsv"), "--decisions", str(bad))
    assert result.returncode == 1 and "not a decisions file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.browser
def test_hostile_segments_and_decisions_run_nothing(browser, tmp_path: Path) -> None:  # noqa: F811
    po = tmp_path / "hostile.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"X-Source-Language: en\\n"\n\n'
        'msgid "<img src=x onerror=alert(1)> 5 </script><script>alert(2)</script>"\n'
        'msgstr "<img src=x onerror=alert(3)> 6 <svg onload=alert(4)>"\n',
        encoding="utf-8",
    )
    decisions = tmp_path / "decisions.json"
    hostile = {"fingerprint": "</script><script>alert(5)</script>", "decision": "error", "file": "<b>x</b>"}
    decisions.write_text(json.dumps({"format": FORMAT, "decisions": [hostile]}), encoding="utf-8")
    page_path = tmp_path / "check.html"
    result = aligner("check", str(po), "--decisions", str(decisions), "--html", str(page_path))
    assert result.returncode == 0 and "unknown decision (error)" in result.stderr
    page, attempts = _open(browser, page_path)
    assert attempts["dialogs"] == [] and attempts["errors"] == [] and len(attempts["requests"]) == 1
    assert page.eval_on_selector_all("img, svg", "found => found.length") == 0
    assert "alert(2)" in page.locator('td[data-doc="en"]').first.inner_text()
    page.click("li.finding button[data-choice=accepted]")
    with page.expect_download() as download:
        page.click("#download")
    download.value.save_as(tmp_path / "again.json")
    page.close()
    kept = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))["decisions"]
    assert len(kept) == 2  # the unknown decision is kept, not dropped
    again = next(d for d in kept if d["fingerprint"] == hostile["fingerprint"])
    assert {k: v for k, v in again.items() if k in hostile} == hostile
