"""Read the bilingual files CAT tools write (XLIFF 1.2, SDLXLIFF, XLIFF 2.x, TMX, PO, CSV/TSV) into units.

translate-toolkit parses every format; only the inline content of a segment is walked here (markup.py).
Each unit keeps its segment id and line so a reviewer finds it in the CAT tool.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from aligner.bilingual.markup import Masked, inline, plain
from aligner.errors import AlignerError
from aligner.safe import safe_field
from aligner.user_paths import regular_input

SOURCE, TARGET = "\0source", "\0target"  # a side whose language the file does not say
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
_XLIFF2 = re.compile(rb"urn:oasis:names:tc:xliff:document:2|<xliff[^>]*version=[\"']2\.")
_SDL = b"sdl.com/FileTypes/SdlXliff"


@dataclass(frozen=True)
class TranslationUnit:
    """One segment of a bilingual file: its id, line, and text per language (or SOURCE / TARGET)."""

    segment: str
    line: int | None
    texts: dict[str, Masked]


@dataclass(frozen=True)
class RawFile:
    """A file as read, before the languages it does not name are set from the flags or detected."""

    path: Path
    format: str
    units: list[TranslationUnit]
    untranslated: int  # units with no target text, left out


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _local(child.tag) == name]


def _has_text(masked: Masked) -> bool:
    return bool(masked.shown.strip())


def _file_languages(element: etree._Element) -> tuple[str, str]:
    """The source and target language of the XLIFF 1.2 <file> around a trans-unit (or SOURCE/TARGET)."""
    for ancestor in element.iterancestors():
        if _local(ancestor.tag) == "file":
            return ancestor.get("source-language") or SOURCE, ancestor.get("target-language") or TARGET
    return SOURCE, TARGET


def _segments(element: etree._Element | None) -> dict[str, etree._Element]:
    """SDLXLIFF's segments: <mrk mtype="seg" mid="…"> inside a <seg-source> or <target>, by mid."""
    if element is None:
        return {}
    return {m.get("mid", ""): m for m in element.iter() if _local(m.tag) == "mrk" and m.get("mtype") == "seg"}


def _read_xliff1(path: Path) -> tuple[list[TranslationUnit], int]:
    from translate.storage import xliff

    store = xliff.xlifffile.parsefile(str(path))
    units, untranslated = [], 0
    for unit in store.getunits():
        element = unit.xmlelement
        source_lang, target_lang = _file_languages(element)
        ident = element.get("id") or unit.getid()
        source, target = unit.get_source_dom(), unit.get_target_dom()
        seg_source = next(iter(_children(element, "seg-source")), None)
        sdl_sources, sdl_targets = _segments(seg_source), _segments(target)
        if sdl_sources:  # SDLXLIFF: one segment per <mrk mtype="seg">; Trados numbers them by mid
            for mid, source_mrk in sdl_sources.items():
                target_mrk = sdl_targets.get(mid)
                texts = {source_lang: inline(source_mrk)}
                if target_mrk is not None and _has_text(target_text := inline(target_mrk)):
                    texts[target_lang] = target_text
                    units.append(TranslationUnit(mid, target_mrk.sourceline, texts))
                else:
                    untranslated += 1
            continue
        if source is None or target is None or not _has_text(target_text := inline(target)):
            untranslated += 1
            continue
        units.append(
            TranslationUnit(ident, target.sourceline, {source_lang: inline(source), target_lang: target_text})
        )
    return units, untranslated


def _read_xliff2(path: Path) -> tuple[list[TranslationUnit], int]:
    from translate.storage import xliff2

    store = xliff2.Xliff2File.parsefile(str(path))
    source_lang, target_lang = store.getsourcelanguage() or SOURCE, store.gettargetlanguage() or TARGET
    units, untranslated = [], 0
    for unit in store.getunits():
        source, target = unit.get_source_dom(), unit.get_target_dom()
        if source is None or target is None or not _has_text(target_text := inline(target)):
            untranslated += 1
            continue
        units.append(
            TranslationUnit(
                unit.getid() or "", target.sourceline, {source_lang: inline(source), target_lang: target_text}
            )
        )
    return units, untranslated


def _read_tmx(path: Path) -> tuple[list[TranslationUnit], int]:
    from translate.storage import tmx

    store = tmx.tmxfile.parsefile(str(path))
    units, untranslated = [], 0
    for number, unit in enumerate(store.getunits(), start=1):
        texts: dict[str, Masked] = {}
        for variant in unit.getlanguageNodes():
            lang = variant.get(_XML_LANG) or variant.get("lang")  # TMX 1.1 wrote lang=
            seg = next(iter(_children(variant, "seg")), None)
            if not lang:
                raise AlignerError(f"{path}:{variant.sourceline}: a <tuv> without xml:lang")
            if seg is not None and _has_text(text := inline(seg)):
                texts[lang] = text
        if len(texts) < 2:
            untranslated += 1
            continue
        units.append(
            TranslationUnit(unit.xmlelement.get("tuid") or f"#{number}", unit.xmlelement.sourceline, texts)
        )
    return units, untranslated


def _po_header_language(store, name: str) -> str | None:
    value = store.parseheader().get(name, "").strip()
    return value or None


def _read_po(path: Path) -> tuple[list[TranslationUnit], int]:
    from translate.storage import po

    store = po.pofile.parsefile(str(path))
    source_lang = _po_header_language(store, "X-Source-Language") or SOURCE
    target_lang = store.gettargetlanguage() or TARGET
    units, untranslated = [], 0
    for unit in store.getunits():
        if unit.isheader() or unit.isobsolete():
            continue
        line = getattr(
            unit, "_line_number", None
        )  # pypo keeps where each entry starts; nothing public says it
        ident = unit.getid().replace("\x04", " | ")
        sources = [str(text) for text in unit.source.strings] if unit.hasplural() else [str(unit.source)]
        targets = [str(text) for text in unit.target.strings] if unit.hasplural() else [str(unit.target)]
        for form, target in enumerate(targets):
            if not target:
                untranslated += 1
                continue
            source = sources[min(form, len(sources) - 1)]  # msgstr[0] translates msgid, the rest msgid_plural
            segment = f"{ident} [{form}]" if unit.hasplural() else ident
            units.append(
                TranslationUnit(segment, line, {source_lang: plain(source), target_lang: plain(target)})
            )
    return units, untranslated


def _is_language_code(cell: str) -> bool:
    from babel import Locale, UnknownLocaleError

    if not _LANGUAGE_CODE.fullmatch(cell.strip()):
        return False
    try:
        Locale.parse(cell.strip().replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return False
    return True


def _read_table(path: Path, tab: bool) -> tuple[list[TranslationUnit], int]:
    """A two-column spreadsheet (source, target; a first row of language codes names them), or
    translate-toolkit's columns (location, source, target) with or without their header."""
    from translate.storage import csvl10n

    data = path.read_bytes()
    text = data.decode("utf-8-sig")
    try:
        dialect = "excel-tab" if tab else csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = "excel"
    first = next(csv.reader(io.StringIO(text), dialect), [])
    cells = [cell.strip() for cell in first]
    named = len(cells) >= 2 and all(_is_language_code(cell) for cell in cells[:2])
    source_lang, target_lang = (cells[0], cells[1]) if named else (SOURCE, TARGET)
    if csvl10n.valid_fieldnames(cells):
        fieldnames = None  # translate-toolkit reads its own header
    elif len(cells) == 2 or named:
        fieldnames = ["source", "target", *(f"extra{k}" for k in range(2, len(cells)))]
    else:
        fieldnames = None  # location, source, target, …
    store = csvl10n.csvfile(fieldnames=fieldnames)
    store.parse(data, dialect=dialect)
    units, untranslated = [], 0
    for unit in store.getunits():
        line = getattr(unit, "_line_number", None)  # csvl10n keeps each row's line; nothing public says it
        if named and line == 1:
            continue
        if not unit.target.strip():
            untranslated += 1
            continue
        segment = unit.id or unit.location or (f"line {line}" if line else "")
        units.append(
            TranslationUnit(segment, line, {source_lang: plain(unit.source), target_lang: plain(unit.target)})
        )
    return units, untranslated


def _xml_root(path: Path) -> etree._Element | None:
    """The root element of an XML file (read up to its start tag only), or None when it is not XML."""
    try:
        for _event, element in etree.iterparse(str(path), events=("start",), resolve_entities=False):
            return element
    except etree.XMLSyntaxError:
        return None
    return None


def sniff_format(path: Path) -> str:
    """The format of ``path``: from its content when it says (an XML file by its root element, however
    long its prolog: a ``.tmx`` may hold XLIFF), else from its name."""
    suffix = path.suffix.lower()
    with path.open("rb") as handle:
        start = handle.read(4096)
    root = _xml_root(path) if start.lstrip().startswith(b"<") else None
    name = _local(root.tag) if root is not None else ""
    if name == "xliff" or not name and suffix in (".xlf", ".xliff", ".sdlxliff", ".mqxliff"):
        namespaces = set(root.nsmap.values()) if root is not None else set()
        if _SDL in start or suffix == ".sdlxliff" or any(_SDL.decode() in str(n) for n in namespaces):
            return "SDLXLIFF"
        version = root.get("version", "") if root is not None else ""
        return "XLIFF 2" if _XLIFF2.search(start) or version.startswith("2.") else "XLIFF 1.2"
    if name == "tmx" or not name and suffix == ".tmx":
        return "TMX"
    if suffix in (".po", ".pot") or b'msgid "' in start:
        return "PO"
    if suffix in (".tsv", ".tab"):
        return "TSV"
    if suffix == ".csv":
        return "CSV"
    if name:
        raise AlignerError(f"{path}: an XML file with a <{name}> root, not XLIFF or TMX")
    raise AlignerError(
        f"{path}: not a bilingual file this command reads (XLIFF, SDLXLIFF, TMX, PO, CSV, TSV)"
    )


_READERS: dict[str, Callable[[Path], tuple[list[TranslationUnit], int]]] = {
    "XLIFF 1.2": _read_xliff1,
    "SDLXLIFF": _read_xliff1,
    "XLIFF 2": _read_xliff2,
    "TMX": _read_tmx,
    "PO": _read_po,
    "CSV": lambda path: _read_table(path, tab=False),
    "TSV": lambda path: _read_table(path, tab=True),
}


def read_raw(path: Path) -> RawFile:
    """The units of one bilingual file; a file that cannot be parsed is a one-line error naming it.

    Only a regular file of bounded size is read: a FIFO or ``<(...)`` would block or be consumed by the
    sniffing, a device (``/dev/zero``) never ends."""
    if regular_input(path, "bilingual file").st_size == 0:
        raise AlignerError(f"{path}: empty file (no units)")
    fmt = sniff_format(path)
    try:
        found = _READERS[fmt](path)
    except AlignerError:
        raise
    except (
        etree.XMLSyntaxError,
        ValueError,
        UnicodeDecodeError,
        csv.Error,
        AssertionError,
        KeyError,
        StopIteration,  # translate-toolkit's readers on a file without rows or without a <file>
    ) as error:
        reason = (str(error).splitlines() or [f"no {fmt} content"])[0][:200]
        raise AlignerError(f"{path}: not a readable {fmt} file ({reason})") from None
    units, untranslated = found
    # ids from the file are shown and written everywhere: no control or bidi control (safe_field)
    units = [replace(unit, segment=safe_field(unit.segment)) for unit in units]
    return RawFile(path, fmt, units, untranslated)
