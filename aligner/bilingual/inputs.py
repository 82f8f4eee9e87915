"""Check every input of ``aligner check``: bilingual files and run folders alike, in the order given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from aligner.bilingual.check import FileFinding, check_file, check_run, problems
from aligner.bilingual.confidence import at_least
from aligner.bilingual.languages import BilingualFile, base_language, resolve_languages
from aligner.bilingual.outputs import RUN_FOLDER, CheckedInput
from aligner.bilingual.page import PageRow, PageSection
from aligner.bilingual.read import read_raw
from aligner.bilingual.segments import DEFAULT_SKIP, keep_checked
from aligner.errors import AlignerError
from aligner.numbers import NumberConfig
from aligner.types import RunResult


@dataclass(frozen=True)
class CheckOutcome:
    inputs: list[CheckedInput]
    findings: list[FileFinding]  # every comparison, "matched" ones too
    sections: list[PageSection]  # for the review page (rows without findings' decisions applied)


def _file_section(bilingual: BilingualFile, findings: list[FileFinding]) -> PageSection:
    rows = []
    by_segment: dict[tuple[str, int | None], list[FileFinding]] = {}
    for finding in findings:
        by_segment.setdefault((finding.segment, finding.line), []).append(finding)
    for unit in bilingual.units:
        texts = {side: text.shown for side, text in unit.texts.items()}
        rows.append(PageRow(unit.segment, unit.line, texts, by_segment.pop((unit.segment, unit.line), [])))
    columns = [(tag, base_language(tag)) for tag in bilingual.languages]
    return PageSection(str(bilingual.path), bilingual.format, columns, bilingual.how, rows)


def _run_sections(label: str, result: RunResult, findings: list[FileFinding]) -> list[PageSection]:
    """One section per story of a run folder, a column per document of the story."""
    by_segment: dict[str, list[FileFinding]] = {}
    for finding in findings:
        by_segment.setdefault(finding.segment, []).append(finding)
    lang_of = {doc.doc_id: doc.lang for doc in result.documents}
    sections = []
    for story in result.stories:
        rows = [
            PageRow(
                f"{unit.story_id}#{unit.index}",
                None,
                {doc: segment.text for doc, segment in unit.segments.items()},
                by_segment.get(f"{unit.story_id}#{unit.index}", []),
            )
            for unit in result.units
            if unit.story_id == story.story_id and len(unit.segments) >= 2
        ]
        if rows:
            columns = [(doc, lang_of.get(doc, "")) for doc in story.docs]
            how = {doc: lang_of.get(doc, "") for doc in story.docs}
            sections.append(PageSection(f"{label} · story {story.story_id}", RUN_FOLDER, columns, how, rows))
    return sections


def check_paths(
    paths: Sequence[Path],
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    config: NumberConfig | None = None,
    skip: frozenset[str] = DEFAULT_SKIP,
) -> CheckOutcome:
    """Read and check each path (a bilingual file or a run folder); no embedding model is involved."""
    from aligner.export import load_run

    inputs, findings, sections = [], [], []
    for path in paths:
        if not path.exists():
            raise AlignerError(f"{path}: no such file or folder")
        if path.is_dir():  # a run folder: load_run names what is missing in any other folder
            result = load_run(path)
            found = check_run(result, str(path), config)
            units = sum(1 for unit in result.units if len(unit.segments) >= 2)
            langs = {doc.doc_id: doc.lang for doc in result.documents}
            inputs.append(CheckedInput(str(path), RUN_FOLDER, langs, units))
            sections += _run_sections(str(path), result, [f for f in found if f.kind != "matched"])
        else:
            bilingual = resolve_languages(keep_checked(read_raw(path), skip), src_lang, tgt_lang)
            found = check_file(bilingual, config)
            inputs.append(CheckedInput.of_file(bilingual))
            sections.append(_file_section(bilingual, [f for f in found if f.kind != "matched"]))
        findings += found
    return CheckOutcome(inputs, findings, sections)


def review_sections(sections: list[PageSection], findings: list[FileFinding]) -> list[PageSection]:
    """The page's sections with each row's findings as decided now: accepted ones left out."""
    current = {f.fingerprint: f for f in problems(findings)}
    return [
        replace(
            section,
            rows=[
                replace(
                    row, findings=[current[f.fingerprint] for f in row.findings if f.fingerprint in current]
                )
                for row in section.rows
            ],
        )
        for section in sections
    ]


def to_report(
    findings: list[FileFinding], show_all: bool = False, min_confidence: str = "low"
) -> list[FileFinding]:
    """The findings to report: not what a reviewer accepted, "matched" ones only with ``show_all``, and
    none below ``min_confidence``."""
    return [
        f
        for f in findings
        if (show_all or f.kind != "matched")
        and f.decision != "accepted"
        and (f.kind == "matched" or at_least(f.confidence, min_confidence))
    ]
