"""Plain typed data passed between the pipeline stages.

Every stage is a function from these records to these records, so each can be called from Python
or tested on its own without the CLI.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


class Mapper(Protocol):
    """An engine's ordered map: ``[function(item) for item in items]``, or ``function(item, common)`` when
    ``common`` is given (shipped once, however many items). The engine chooses where each call runs."""

    def __call__(self, function: Callable, items: Sequence, common: Any = None) -> list: ...


def serial_map(function: Callable, items: Sequence, common: Any = None) -> list:
    """The ``Mapper`` of no engine: here, one item after another."""
    if common is None:
        return [function(item) for item in items]
    return [function(item, common) for item in items]


@dataclass(frozen=True)
class RawDocument:
    """A document as read from disk, before language detection and segmentation."""

    doc_id: str
    text: str
    source: str  # path of the file it came from (a record: "file.jsonl:LINE", "file.parquet:ROW", from 1)
    sha256: str  # of the original bytes of the file (a JSONL line; a Parquet row: its text as UTF-8)
    lang_hint: str | None = None  # from a record's language column (JSONL, Parquet) or --lang ID=xx
    license: str | None = None  # from a JSONL "license" field (carried into the Parquet dataset card)


@dataclass(frozen=True)
class Skipped:
    """An input file or document that was left out, and why (shown in the report and manifest)."""

    source: str
    reason: str
    doc_id: str | None = None


@dataclass(frozen=True)
class Document:
    """A document with its language and its sentences.

    ``paragraph_of[i]`` is the 0-based number of the input line that sentence i came from (blank lines
    count, so it is the line number in the file, less one); a sentence never spans two lines.
    """

    doc_id: str
    lang: str
    source: str
    sentences: tuple[str, ...]
    paragraph_of: tuple[int, ...]
    sha256: str = ""
    license: str | None = None  # as the input gave it (a JSONL "license" field), else unknown

    @property
    def sentence_count(self) -> int:
        """How many sentences it has (a document whose sentences are stored elsewhere answers without
        reading them)."""
        return len(self.sentences)


@dataclass(frozen=True)
class Story:
    """Documents that are translations of one article (at most one per language by default)."""

    story_id: str
    docs: tuple[str, ...]
    languages: tuple[str, ...]
    score: float
    reasons: tuple[str, ...] = ()  # one human-readable line per join


@dataclass(frozen=True)
class Bead:
    """A bilingual alignment step: source sentence ids to target sentence ids (either may be empty)."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 0.0


@dataclass(frozen=True)
class Segment:
    """The part of one document that takes part in an aligned unit."""

    doc_id: str
    lang: str
    sentences: tuple[int, ...]
    text: str


@dataclass(frozen=True)
class Unit:
    """An aligned unit of a story: the segments of each translation that say the same thing.

    A document with no counterpart in this unit is absent from ``segments``.
    ``pair_scores`` maps "docA|docB" (sorted ids) to the bilingual score of that pair.
    """

    story_id: str
    index: int
    segments: dict[str, Segment]
    score: float
    pair_scores: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class NumberValue:
    """One number read from a text, with where it stands and every plausible value."""

    text: str  # the characters as written
    start: int
    end: int
    values: tuple[float, ...]  # every plausible reading, the language's own reading first
    kind: str = "quantity"  # quantity | percent | year | ordinal | fraction | range | code
    words: bool = False  # spelled out in words
    unit: str | None = None  # the unit read with it: a pint unit name, "currency:USD", "percent" ...
    confidence: str = "high"  # "low": a code read differently in two scripts is no sure slip


@dataclass(frozen=True)
class NumberFinding:
    """A comparison of the numbers of two segments of one unit."""

    story_id: str
    unit: int
    docs: tuple[str, str]
    kind: str  # matched | missing | added | changed | ambiguous | code | unit
    values: dict[str, list[str]]  # doc id -> numbers as written
    message: str
    severity: str = "info"  # info | warning | error
    odd_one_out: str | None = None  # with 3+ translations: the doc that disagrees with the rest
    marked: dict[str, str] = field(default_factory=dict)  # doc id -> text with numbers in [[…]]
    # "low" when a number or code of the finding is read differently in two scripts (a1z1 and ش1ئ1, 1D6 and
    # к6): the reader's own doubt; checkers may weigh it further
    confidence: str = "high"


@dataclass
class RunResult:
    """Everything one run produced: what export, report and the HTML page are written from."""

    documents: list[Document]
    skipped: list[Skipped]
    stories: list[Story]
    units: list[Unit]
    findings: list[NumberFinding]
    manifest: dict
