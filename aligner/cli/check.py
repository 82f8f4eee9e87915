"""The ``check`` command: the numbers of bilingual files and run folders."""

from __future__ import annotations

import os
from pathlib import Path

import click

from aligner.cli.exits import EXIT_FINDINGS, _log
from aligner.cli.options import _language_code
from aligner.errors import UsageError


def _fail_on(value: str | None) -> tuple[str, ...]:
    """The finding kinds of --fail-on, checked against the kinds the number check gives."""
    from aligner.numbers import FINDING_KINDS

    if not value:
        return ()
    kinds = tuple(kind.strip() for kind in value.split(",") if kind.strip())
    known = [kind for kind in FINDING_KINDS if kind != "matched"]
    unknown = [kind for kind in kinds if kind not in known]
    if unknown:
        raise UsageError(f"--fail-on {','.join(unknown)}: not a finding kind (kinds: {', '.join(known)})")
    return kinds


def _skipped_statuses(skip_more: str | None, include: str | None, include_fuzzy: bool) -> frozenset[str]:
    """The segment statuses left out: the defaults, with --skip added and --include taken away."""
    from aligner.bilingual.segments import DEFAULT_SKIP, parse_statuses

    try:
        more = parse_statuses(skip_more, "--skip") if skip_more else frozenset()
        less = parse_statuses(include, "--include") if include else frozenset()
    except ValueError as error:
        raise UsageError(str(error)) from None
    return (DEFAULT_SKIP | more) - less - ({"fuzzy"} if include_fuzzy else set())


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--src-lang",
    default=None,
    callback=_language_code,
    help="Source language of files that do not name it (else detected).",
)
@click.option(
    "--tgt-lang",
    default=None,
    callback=_language_code,
    help="Target language of files that do not name it (else detected).",
)
@click.option(
    "--json",
    "json_out",
    is_flag=False,
    flag_value="-",
    default=None,
    metavar="[FILE]",
    help="Write the findings as one JSON document to FILE (alone: JSON lines on standard output).",
)
@click.option("--jsonl", is_flag=True, help="Print the findings as JSON lines instead of the report.")
@click.option("--html", "html_out", type=click.Path(path_type=Path), help="Write a review page to this file.")
@click.option("--csv", "csv_out", type=click.Path(path_type=Path), help="Write one CSV row per finding here.")
@click.option(
    "--fail-on",
    default=None,
    metavar="KINDS",
    help=f"Exit with code {EXIT_FINDINGS} when reported findings (at --min-confidence) of these kinds remain "
    "(comma-separated, e.g. missing,changed); without it the exit code is 0 whatever was found.",
)
@click.option(
    "--decisions",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Reviewer decisions downloaded from the review page: accepted findings are not reported again.",
)
@click.option("--all", "show_all", is_flag=True, help="Include matched numbers.")
@click.option(
    "--min-confidence",
    type=click.Choice(["high", "medium", "low"]),
    default="medium",
    show_default=True,
    help="Report findings of this confidence and above; the rest are counted in one line (--json and "
    "--jsonl carry them all, with their confidence).",
)
@click.option(
    "--skip",
    "skip_more",
    default=None,
    metavar="STATUSES",
    help="Also skip segments the file marks so: exact (100%/context matches), final, or any status "
    "below (comma-separated).",
)
@click.option(
    "--include",
    "include",
    default=None,
    metavar="STATUSES",
    help="Check segments skipped by default: fuzzy, obsolete, metadata (PO headers, translator credits, "
    "notices), locked, untranslated (targets marked new), or all.",
)
@click.option("--include-fuzzy", is_flag=True, help="Check PO fuzzy entries too (as --include fuzzy).")
def check(
    inputs,
    src_lang,
    tgt_lang,
    json_out,
    jsonl,
    html_out,
    csv_out,
    fail_on,
    decisions,
    show_all,
    min_confidence,
    skip_more,
    include,
    include_fuzzy,
) -> None:
    """Check the numbers of bilingual files (XLIFF, SDLXLIFF, TMX, PO, CSV/TSV) and of run folders."""
    from aligner.bilingual import check_paths, review_sections, to_report
    from aligner.bilingual.decisions import apply_decisions, load_decisions, unmatched_lines
    from aligner.bilingual.outputs import (
        csv_text,
        input_lines,
        json_document,
        json_lines,
        print_findings,
        write_output,
    )

    gate = _fail_on(fail_on)
    read = [*inputs, *([decisions] if decisions else [])]  # no report may replace one of these
    reports = [Path(p) for p in (html_out, csv_out, json_out) if p and p != "-"]
    if len({os.path.realpath(p) for p in reports}) < len(reports):
        raise UsageError("--html, --csv and --json name the same file; give each report its own")
    skip = _skipped_statuses(skip_more, include, include_fuzzy)
    made = load_decisions(decisions) if decisions else []
    outcome = check_paths(inputs, src_lang, tgt_lang, skip=skip)
    applied = apply_decisions(outcome.findings, made) if decisions else None
    findings = applied.findings if applied else outcome.findings
    every = to_report(findings, show_all)
    reported = to_report(findings, show_all, min_confidence)
    notes = unmatched_lines(applied) if applied else []
    for note in notes:
        _log(note)
    if html_out:
        from aligner.bilingual.page import render_check_page

        page = review_sections(outcome.sections, reported)
        write_output(html_out, render_check_page(page, made, notes), read)
        _log(f"wrote {html_out}")
    if csv_out:
        write_output(csv_out, csv_text(reported), read)
        _log(f"wrote {csv_out}")
    if json_out and json_out != "-":
        write_output(Path(json_out), json_document(outcome.inputs, every, applied, min_confidence), read)
        _log(f"wrote {json_out}")
    if jsonl or json_out == "-":
        for line in input_lines(outcome.inputs):
            _log(line)
        click.echo(json_lines(every, min_confidence), nl=False)
    else:
        print_findings(outcome.inputs, reported, applied)
    _log(f"{len(reported)} finding(s) in {sum(item.units for item in outcome.inputs)} units")
    if below := len(every) - len(reported):
        cut = "low" if min_confidence == "medium" else "medium"
        _log(f"{below} finding(s) of lower confidence not shown (--min-confidence {cut} shows them)")
    if gate and any(f.kind in gate for f in reported):
        raise SystemExit(EXIT_FINDINGS)
