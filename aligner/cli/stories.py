"""The ``stories`` command: group the inputs into same-story clusters."""

from __future__ import annotations

import json
from pathlib import Path

import click

from aligner.cli.exits import _log
from aligner.cli.options import (
    _columns,
    _embedder,
    _parse_languages,
    _warn_unmatched,
    columns_options,
    lang_overrides_option,
    languages_option,
    model_options,
)
from aligner.errors import AlignerError
from aligner.safe import safe_text


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@lang_overrides_option
@languages_option
@click.option("--presplit", is_flag=True, help="Each non-empty input line is one sentence.")
@click.option("--explain", is_flag=True, help="Print why documents were joined.")
@click.option("--json", "as_json", is_flag=True, help="Print stories.json to standard output.")
@click.option(
    "--several-per-language", is_flag=True, help="Allow several documents of one language in a story."
)
@click.option(
    "--encode-all",
    is_flag=True,
    help="Encode every sentence and search every document by its vector too (as `aligner run --encode-all`).",
)
@columns_options
@model_options
def stories(
    inputs,
    lang_overrides,
    languages,
    presplit,
    explain,
    as_json,
    several_per_language,
    encode_all,
    text_column,
    id_column,
    lang_column,
    encoder,
) -> None:
    """Group INPUTS into same-story clusters (translations of one article)."""
    import dataclasses

    from aligner.pipeline import RunOptions, form_stories, prepare_documents, skip_summary
    from aligner.stories.config import StoryConfig

    columns = _columns(text_column, id_column, lang_column)
    languages_kept = _parse_languages(languages)
    documents, skipped = prepare_documents(inputs, lang_overrides, presplit, languages_kept, columns=columns)
    _warn_unmatched(lang_overrides, documents, skipped)
    if not documents:
        raise AlignerError(f"nothing to cluster: no usable document in the input ({skip_summary(skipped)})")
    for item in skipped:
        _log(f"skipped {item.source}: {item.reason}")
    embedder = _embedder(encoder)
    config = StoryConfig(one_per_language=not several_per_language)
    options = RunOptions(stories=config, story_first=not encode_all)  # as `aligner run` forms stories
    _, clustering = form_stories(documents, embedder, options)
    found = clustering.stories
    if explain and not as_json:
        click.echo(f"calibration: {clustering.calibration.how}")
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(s) for s in found], ensure_ascii=False, indent=1))
        return
    for story in found:
        members = ", ".join(f"{lang}:{doc}" for doc, lang in zip(story.docs, story.languages, strict=True))
        click.echo("\t".join(safe_text(field) for field in (story.story_id, f"{story.score:.3f}", members)))
        if explain:
            for reason in story.reasons:
                click.echo(f"    {safe_text(reason)}")
