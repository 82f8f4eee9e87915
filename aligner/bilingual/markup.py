"""Inline markup and placeholders of translation units: shown to the reviewer, never read as numbers.

A unit's text is kept twice: ``shown`` (what the reviewer sees: inline tags, printf and ICU placeholders,
entities as written) and ``read`` (what the number check reads: each code or placeholder a word boundary
where it stood between two letters or digits, nothing elsewhere; each entity the character it stands for).
``origin`` maps every position of ``read`` back to ``shown``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree
from translate.storage.placeables import general

# Inline elements of XLIFF 1.2, XLIFF 2.x and TMX 1.4, by what their content is.
_CONTAINERS = {"g", "mrk", "pc", "hi"}  # translatable text inside formatting: read normally
_NATIVE_CODE = {"bpt", "ept", "ph", "it", "ut", "sub", "cp"}  # the original format's code: never read
# Tracked deletions (Trados x-sdl-deleted, and the same convention of other tools): not accepted text.
_DELETED = re.compile(r"(?:x-[\w]+-)?(?:deleted|deletion|delete)", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s*\n\s*")
_GAP = "\x00"  # where a code or placeholder stood, until _close_gaps decides what it reads as
_GAPS = re.compile(_GAP + "+")
_OPENING = re.compile(r"<[^/!?][^<>]*(?<!/)>")


@dataclass(frozen=True)
class Masked:
    """A unit's text as shown and as read; ``origin[i]`` is where read character i stands in ``shown``.

    ``origin`` has one entry more than ``read``: the end of the text.
    """

    shown: str
    read: str
    origin: tuple[int, ...]

    def __add__(self, other: Masked) -> Masked:
        shift = len(self.shown)
        return Masked(
            self.shown + other.shown,
            self.read + other.read,
            self.origin[:-1] + tuple(position + shift for position in other.origin),
        )

    @classmethod
    def text(cls, text: str) -> Masked:
        return cls(text, text, tuple(range(len(text) + 1)))

    @classmethod
    def code(cls, text: str, reads_as: str = _GAP) -> Masked:
        """Markup written ``text`` that the number check reads as ``reads_as`` (by default, a gap)."""
        return cls(text, reads_as, (0,) * len(reads_as) + (len(text),))

    def shown_span(self, start: int, end: int) -> tuple[int, int]:
        """The stretch of ``shown`` that read[start:end] came from."""
        if end <= start:
            return self.origin[start], self.origin[start]
        first, last = self.origin[start], self.origin[end - 1]
        # a character of the text ends where it stands; one an entity stood for, where the entity ends
        stop = last + 1 if self.shown[last : last + 1] == self.read[end - 1] else self.origin[end]
        inside = self.shown[first:stop]
        if inside.count("</") > len(_OPENING.findall(inside)):  # "<g>1</g>50": take its opening tag in
            before = self.origin[start - 1] + 1 if start else 0
            if "<" in self.shown[before:first]:
                first = before
        return first, max(stop, first)


EMPTY = Masked("", "", (0,))


def _join(parts: Iterable[Masked]) -> Masked:
    """The parts one after another, in one pass: adding them pairwise copies ``origin`` once per part,
    quadratic in a segment of many inline tags."""
    shown: list[str] = []
    read: list[str] = []
    origin: list[int] = []
    shift = 0
    for part in parts:
        shown.append(part.shown)
        read.append(part.read)
        origin.extend(position + shift for position in part.origin[:-1])
        shift += len(part.shown)
    origin.append(shift)
    return Masked("".join(shown), "".join(read), tuple(origin))


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _tag(element: etree._Element, closing: bool = False, empty: bool = False) -> str:
    """A short form of an inline tag as a CAT tool shows it: name and id only."""
    name = _local(element.tag)
    if closing:
        return f"</{name}>"
    ident = element.get("id") or element.get("i") or element.get("mid")
    attribute = f' id="{ident}"' if ident else ""
    return f"<{name}{attribute}{'/' if empty else ''}>"


def _flat(text: str | None) -> str:
    """Line breaks of a pretty-printed file are layout, not content."""
    return _WHITESPACE.sub(" ", text) if text and "\n" in text else text or ""


def inline_content(element: etree._Element) -> Masked:
    """The text of a <source>, <target>, <seg> or <mrk> with its inline elements, each kind as it reads.

    translate-toolkit's ``source`` flattens these away (an <x/> leaves nothing, a <bpt> leaves its code
    as if it were text), so the inline tree is walked here to keep where each code stood.
    """
    parts = [Masked.text(_flat(element.text))]
    for child in element:
        name = _local(child.tag)
        if name == "mrk" and _DELETED.fullmatch(child.get("mtype", "")):
            pass  # a tracked deletion: only what follows it is read (x-sdl-added is a container: read)
        elif name in _CONTAINERS:  # formatting around text: "1<g>0</g>0" still reads 100
            parts += [Masked.code(_tag(child), ""), inline_content(child)]
            parts.append(Masked.code(_tag(child, closing=True), ""))
        elif name:  # native code, an empty marker (x, bx, ex, sc, ec, ph/) or an extension's element
            code = _flat("".join(child.itertext())) if name in _NATIVE_CODE else ""
            parts.append(Masked.code(code or _tag(child, empty=True)))
        parts.append(Masked.text(_flat(child.tail)))  # a comment or processing instruction: its tail only
    return _join(parts)


# --- placeholders and markup written inside plain text (PO, CSV, and XLIFF text content) ---

# printf (%d, %1$s, %.2f), Python (%(name)s), Qt (%1), Java MessageFormat ({0}), brace ({count}, {{x}}),
# @@x@@, XML/HTML tags: the patterns of translate-toolkit's placeables.
_LIBRARY_PATTERNS = [
    general.XMLTagPlaceable.regex,
    general.FormattingPlaceable.regex,
    general.PythonFormattingPlaceable.regex,
    general.QtFormattingPlaceable.regex,
    general.JavaMessageFormatPlaceable.regex,
    general.DoubleAtPlaceable.regex,
    general.BracePlaceable.regex,
]
_ENTITY = general.XMLEntityPlaceable.regex
# "50 % des" and "20% off" are text, not printf's space flag; "%%" is a percent sign, not a placeholder
_NOT_PLACEHOLDER = re.compile(r"%\s.*|%%", re.DOTALL)
_ICU_HEAD = re.compile(r"\{\s*[\w.]+\s*,\s*(plural|selectordinal|select)\s*,\s*(?:offset:\d+\s*)?")
_ICU_SELECTOR = re.compile(r"\s*(=\d+|[\w-]+)\s*\{")
_ICU_END = re.compile(r"\s*\}")


def _icu_spans(text: str) -> list[tuple[int, int]]:
    """The syntax of ICU plural and select messages: header, selectors (=0, one, other), braces and #.

    Hand-written because no maintained ICU MessageFormat parser is among our dependencies; the text of
    each branch stays readable.
    """
    spans: list[tuple[int, int]] = []
    for head in _ICU_HEAD.finditer(text):
        spans.append(head.span())
        plural = head.group(1) != "select"
        cursor = head.end()
        while selector := _ICU_SELECTOR.match(text, cursor):
            spans.append(selector.span())
            depth, position = 1, selector.end()
            while position < len(text) and depth:
                char = text[position]
                depth += (char == "{") - (char == "}")
                if plural and char == "#" and depth == 1:
                    spans.append((position, position + 1))
                position += 1
            spans.append((position - 1, position))  # the branch's closing brace
            cursor = position
        if closing := _ICU_END.match(text, cursor):
            spans.append(closing.span())
    return spans


def _entity_text(entity: str) -> str:
    """What an HTML entity stands for: a no-break space in "10&nbsp;000" keeps the number whole."""
    character = html.unescape(entity)
    return character if character != entity and len(character) == 1 and not character.isalnum() else " "


def _replace(masked: Masked, spans: list[tuple[int, int, str]]) -> Masked:
    """``masked`` with each read[start:end] of ``spans`` (sorted, not overlapping) read as its text."""
    read: list[str] = []
    origin: list[int] = []
    cursor = 0
    for start, end, reads_as in spans:
        read += [masked.read[cursor:start], reads_as]
        origin += [*masked.origin[cursor:start], *[masked.origin[start]] * len(reads_as)]
        cursor = end
    read.append(masked.read[cursor:])
    origin += masked.origin[cursor:]  # with the end of the text
    return Masked(masked.shown, "".join(read), tuple(origin))


def _without_overlaps(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    kept: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def mask_placeholders(masked: Masked) -> Masked:
    """``masked`` with each placeholder and tag of its readable text read as a space, each entity as its
    character."""
    # ICU first, so that a brace pattern never swallows a branch's text
    masked = _replace(masked, _without_overlaps([(s, e, _GAP) for s, e in _icu_spans(masked.read)]))
    spans = [(m.start(), m.end(), _entity_text(m.group())) for m in _ENTITY.finditer(masked.read)]
    spans += [
        (match.start(), match.end(), _GAP)
        for pattern in _LIBRARY_PATTERNS
        for match in pattern.finditer(masked.read)
        if match.group() and not _NOT_PLACEHOLDER.fullmatch(match.group())
    ]
    return _replace(masked, _without_overlaps(spans))


def _close_gaps(masked: Masked) -> Masked:
    """Each run of codes and placeholders reads as a space between two letters or digits ("Step<x/>3",
    "%d files"), else as nothing, so that "£<x/>125m" and "-<bpt/>13½" keep their sign."""
    spans = []
    for run in _GAPS.finditer(masked.read):
        before = masked.read[run.start() - 1 : run.start()]
        after = masked.read[run.end() : run.end() + 1]
        spans.append((run.start(), run.end(), " " if before.isalnum() and after.isalnum() else ""))
    return _replace(masked, spans) if spans else masked


def plain(text: str) -> Masked:
    """A text with no inline elements (PO, CSV): only its placeholders are masked."""
    return _close_gaps(mask_placeholders(Masked.text(text)))


def inline(element: etree._Element) -> Masked:
    """An XML segment: inline elements and the placeholders in its text masked."""
    content = inline_content(element)
    start = len(content.shown) - len(content.shown.lstrip())
    end = len(content.shown.rstrip())
    if start or end < len(content.shown):  # drop the layout around the segment, on both texts alike
        first = next(i for i, o in enumerate(content.origin) if o >= start)
        last = next(i for i, o in enumerate(content.origin) if o >= end)
        content = Masked(
            content.shown[start:end],
            content.read[first:last],
            tuple(min(max(o - start, 0), end - start) for o in content.origin[first : last + 1]),
        )
    return _close_gaps(mask_placeholders(content))
