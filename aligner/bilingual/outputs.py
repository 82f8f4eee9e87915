"""What ``aligner check`` writes: the terminal listing, JSON, JSON lines and CSV, one record per finding."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.text import Text

from aligner.bilingual.check import FileFinding
from aligner.bilingual.confidence import at_least
from aligner.bilingual.decisions import Applied, decision_record
from aligner.bilingual.languages import BilingualFile
from aligner.bilingual.segments import STATUSES
from aligner.report.figures import parse_marked
from aligner.report.terminal import SEVERITY_STYLE
from aligner.rundir.user_paths import write_user_file
from aligner.safe import safe_text, spreadsheet_cell

RUN_FOLDER = "aligner run folder"
CSV_COLUMNS = (
    "file",
    "segment",
    "line",
    "kind",
    "severity",
    "lang_a",
    "values_a",
    "lang_b",
    "values_b",
    "text_a",
    "text_b",
    "message",
    "odd_one_out",
    "decision",
    "fingerprint",
    "confidence",
)


@dataclass(frozen=True)
class CheckedInput:
    """One input of ``check``: a bilingual file (with its languages) or a run folder."""

    label: str
    format: str
    languages: dict[str, str]  # tag -> where it came from
    units: int
    untranslated: int = 0
    skipped: dict[str, int] = dataclasses.field(default_factory=dict)  # status -> units left out

    @classmethod
    def of_file(cls, bilingual: BilingualFile) -> CheckedInput:
        return cls(
            str(bilingual.path),
            bilingual.format,
            bilingual.how,
            len(bilingual.units),
            bilingual.untranslated,
            dict(bilingual.skipped),
        )


def finding_record(finding: FileFinding, cut: str = "low") -> dict:
    """A finding for machines; a run folder's also keeps every field ``check --json`` always gave.
    ``reported`` says whether the report (at the confidence ``cut``) shows it."""
    record = dataclasses.asdict(finding.origin) if finding.origin and finding.in_run else {}
    record.update(
        {
            "file": finding.file,
            "segment": finding.segment,
            "line": finding.line,
            "kind": finding.kind,
            "severity": finding.severity,
            "docs": list(finding.docs),
            "langs": finding.langs,
            "values": finding.values,
            "texts": finding.texts,
            "message": finding.message,
            "odd_one_out": finding.odd_one_out,
            "decision": finding.decision,
            "fingerprint": finding.fingerprint,
            "confidence": finding.confidence,
            "confidence_why": finding.confidence_why,
            "reported": finding.kind == "matched" or at_least(finding.confidence, cut),
        }
    )
    record.setdefault("marked", finding.marked)  # a run's keeps every number of its segments marked
    return record


def json_lines(findings: list[FileFinding], cut: str = "low") -> str:
    return "".join(json.dumps(finding_record(f, cut), ensure_ascii=False) + "\n" for f in findings)


def json_document(
    inputs: list[CheckedInput], findings: list[FileFinding], applied: Applied | None, cut: str = "low"
) -> str:
    """Every finding (below the cut too, with ``reported`` false), the inputs and the decisions."""
    document = {
        "tool": "aligner check",
        "min_confidence": cut,
        "inputs": [dataclasses.asdict(item) for item in inputs],
        "findings": [finding_record(f, cut) for f in findings],
        "decisions": {
            "accepted": len([d for d in applied.used if d.decision == "accepted"]) if applied else 0,
            "stale": [decision_record(d) for d, _ in applied.stale] if applied else [],
            "unknown": [decision_record(d) for d in applied.unknown] if applied else [],
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _side(finding: FileFinding, index: int) -> tuple[str, str, str]:
    side = finding.docs[index]
    return side, " ".join(finding.values.get(side, [])), finding.texts.get(side, "")


def csv_text(findings: list[FileFinding]) -> str:
    """One row per finding: a spreadsheet a reviewer can sort by file, segment and kind.

    Every cell goes through ``spreadsheet_cell``: no control character, and no cell a spreadsheet
    would run as a formula (the texts come from the files checked, which anyone may have written)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in findings:
        (lang_a, values_a, text_a), (lang_b, values_b, text_b) = _side(f, 0), _side(f, 1)
        cells = [
            f.file,
            f.segment,
            f.line or "",
            f.kind,
            f.severity,
            lang_a,
            values_a,
            lang_b,
            values_b,
            text_a,
            text_b,
        ] + [f.message, f.odd_one_out or "", f.decision or "", f.fingerprint, f.confidence]
        writer.writerow([spreadsheet_cell(str(cell)) for cell in cells])
    return out.getvalue()


def write_output(path: Path, text: str, inputs: Sequence[Path] = ()) -> Path:
    """A report at a path the user named: never replaces a device, FIFO, symlink or input (user_paths)."""
    return write_user_file(path, text, inputs)


def _marked_text(marked: str, style: str, keep_marks: bool) -> Text:
    plain, spans = parse_marked(marked)
    out, cursor = Text(), 0
    for start, end in spans:
        out.append(safe_text(plain[cursor:start]))
        piece = safe_text(plain[start:end])
        out.append(f"[[{piece}]]" if keep_marks else piece, style=None if keep_marks else style)
        cursor = end
    out.append(safe_text(plain[cursor:]))
    return out


def skipped_text(item: CheckedInput) -> str:
    """The units left out of a file's check, by status: "12 untranslated, 50 fuzzy, 1 metadata"."""
    counts = dict(item.skipped)
    counts["untranslated"] = counts.get("untranslated", 0) + item.untranslated  # no target, or marked so
    order = [status for status in STATUSES if status in counts] + sorted(set(counts) - set(STATUSES))
    return ", ".join(f"{counts[status]} {status}" for status in order if counts[status])


def input_lines(inputs: list[CheckedInput]) -> list[str]:
    """One line per bilingual file: its format, units and languages, and where each language came from."""
    lines = []
    for item in inputs:
        if item.format == RUN_FOLDER:
            continue
        languages = ", ".join(f"{tag} ({how})" for tag, how in item.languages.items())
        left_out = skipped_text(item)
        left_out = f" · skipped: {left_out}" if left_out else ""
        lines.append(f"{item.label}  {item.format} · {item.units} units · languages {languages}{left_out}")
    return lines


def print_findings(
    inputs: list[CheckedInput],
    findings: list[FileFinding],
    applied: Applied | None,
    console: Console | None = None,
) -> None:
    """Each file's heading (format, languages and where they came from), then each finding with both texts.

    A run folder's findings are listed as ``check OUTDIR`` always listed them: one tab-separated line each.
    """
    console = console or Console(highlight=False, soft_wrap=True)  # one finding a line: grep and editors
    keep_marks = console.no_color or console.color_system is None
    headings = dict(
        zip([i.label for i in inputs if i.format != RUN_FOLDER], input_lines(inputs), strict=True)
    )
    for item in inputs:
        mine = [f for f in findings if f.file == item.label]
        if item.format == RUN_FOLDER:
            for f in mine:  # as written, tabs and all (rich would expand the tabs)
                fields = (f.segment, f.severity, f.kind, f.message)  # a run folder's text: made safe
                print("\t".join(safe_text(field) for field in fields), file=console.file, flush=True)
            continue
        console.print(Text(safe_text(headings[item.label]), style="bold"))
        for f in mine:
            where = f"{f.file}:{f.line}" if f.line else f.file
            line = Text(f"{safe_text(where)} [{safe_text(f.segment)}] ")
            line.append(f.severity, style=SEVERITY_STYLE.get(f.severity, "bold"))
            line.append(f" {f.kind}: {safe_text(f.message)}")
            if f.confidence != "high":
                line.append(f" [{f.confidence} confidence: {f.confidence_why}]", style="dim")
            if f.decision:
                line.append(f" (marked {f.decision} by a reviewer)", style="italic")
            console.print(line)
            style = SEVERITY_STYLE.get(f.severity, "bold")
            for side in f.docs:
                row = Text(f"    {safe_text(side)}: ", style="dim")
                row.append(_marked_text(f.marked.get(side, ""), style, keep_marks))
                console.print(row)
    if applied:
        accepted = len([d for d in applied.used if d.decision == "accepted"])
        console.print(Text(f"{accepted} finding(s) accepted by a reviewer and not reported", style="dim"))
