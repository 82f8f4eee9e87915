"""Reviewer decisions: a finding marked "accepted" (a real translation choice) or "error" on the review page.

The page downloads them as a JSON file; ``--decisions FILE`` applies them to a new check. A decision is keyed
on the finding's fingerprint (both texts' hash and the finding), so it holds only while neither text
changes. A decision that matches nothing is listed as stale (its segment's text changed) or unknown.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

from aligner.bilingual.check import FileFinding
from aligner.errors import AlignerError
from aligner.rundir.user_paths import read_input_bytes
from aligner.safe import safe_field

FORMAT = "aligner-decisions/1"
CHOICES = ("accepted", "error")


@dataclass(frozen=True)
class Decision:
    fingerprint: str
    decision: str  # accepted | error
    file: str = ""
    segment: str = ""
    kind: str = ""
    values: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    note: str = ""

    @property
    def finding_key(self) -> str:
        return self.fingerprint.partition("-")[2]


@dataclass(frozen=True)
class Applied:
    """Findings with the decisions set, and the decisions that matched no finding."""

    findings: list[FileFinding]
    used: list[Decision]
    stale: list[tuple[Decision, FileFinding]]  # the same finding in the same segment, whose text changed
    unknown: list[Decision]


def decision_record(decision: Decision) -> dict:
    return dataclasses.asdict(decision)


def load_decisions(path: Path) -> list[Decision]:
    """The decisions of a file the review page downloaded; anything else is a one-line error naming it."""
    data = read_input_bytes(path, "decisions file")  # a FIFO or /dev/zero is refused, not waited on
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AlignerError(f"{path}: not a decisions file ({error})") from None
    except RecursionError:  # json nests by recursion: 100,000 brackets exhaust the stack
        raise AlignerError(f"{path}: not a decisions file (nested too deeply)") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise AlignerError(f'{path}: not a decisions file (expected "format": "{FORMAT}")')
    records = document.get("decisions")
    if not isinstance(records, list):
        raise AlignerError(f'{path}: "decisions" must be a list')
    decisions: dict[str, tuple[int, Decision]] = {}
    for number, record in enumerate(records, start=1):
        decision = _decision(record, f"{path}: decision {number}")
        first = decisions.get(decision.fingerprint)
        if first is not None and first[1].decision != decision.decision:
            # no rule could tell which mark the reviewer meant: the file is refused, not half applied
            raise AlignerError(
                f"{path}: decisions {first[0]} and {number} mark the same finding both {first[1].decision} "
                f"and {decision.decision}; keep one of them"
            )
        decisions.setdefault(decision.fingerprint, (number, decision))  # a repeated mark counts once
    return [decision for _number, decision in decisions.values()]


def _decision(record: object, where: str) -> Decision:
    """One decision record, checked field by field; its text fields made safe to show (safe_field)."""
    if not isinstance(record, dict) or not isinstance(record.get("fingerprint"), str):
        raise AlignerError(f"{where} has no fingerprint")
    if record.get("decision") not in CHOICES:
        raise AlignerError(f"{where} must be one of {', '.join(CHOICES)}")
    values = record.get("values")
    if values is None:
        values = {}
    if not isinstance(values, dict) or not all(
        isinstance(found, list) and all(isinstance(v, (str, int, float)) for v in found)
        for found in values.values()
    ):
        raise AlignerError(f'{where}: "values" must map each language to a list of numbers as text')
    known = {f.name for f in dataclasses.fields(Decision)} - {"values"}
    fields = {
        k: safe_field(v if isinstance(v, str) else json.dumps(v)) for k, v in record.items() if k in known
    }
    fields["fingerprint"] = record["fingerprint"]  # compared as given
    return Decision(
        **fields,
        values={safe_field(str(k)): [safe_field(str(v)) for v in found] for k, found in values.items()},
    )


def apply_decisions(findings: list[FileFinding], decisions: list[Decision]) -> Applied:
    """Set each finding's decision from the fingerprint; list the decisions that no finding matched."""
    by_fingerprint = {d.fingerprint: d for d in decisions}
    matched: set[str] = set()
    out = []
    for finding in findings:
        decision = by_fingerprint.get(finding.fingerprint)
        if decision is not None and finding.kind != "matched":
            matched.add(decision.fingerprint)
            finding = dataclasses.replace(finding, decision=decision.decision)
        out.append(finding)
    same_place = {(f.file, f.segment, f.finding_key): f for f in out if f.kind != "matched"}
    stale, unknown = [], []
    for decision in decisions:
        if decision.fingerprint in matched:
            continue
        now = same_place.get((decision.file, decision.segment, decision.finding_key))
        if now is not None:
            stale.append((decision, now))
        else:
            unknown.append(decision)
    used = [d for d in decisions if d.fingerprint in matched]
    return Applied(out, used, stale, unknown)


def unmatched_lines(applied: Applied) -> list[str]:
    """One line per decision that no longer applies, saying why: none is dropped in silence."""
    lines = []
    for decision, now in applied.stale:
        lines.append(
            f"stale decision ({decision.decision}) on {decision.file} segment {decision.segment}: "
            f"the segment's text changed, so the {now.kind} finding is reported again"
        )
    for decision in applied.unknown:
        where = f"{decision.file} segment {decision.segment}" if decision.file else decision.fingerprint
        kind = f"{decision.kind} " if decision.kind else ""
        lines.append(f"unknown decision ({decision.decision}) on {where}: no such {kind}finding now")
    return lines
