"""Read the bilingual files CAT tools write (XLIFF 1.2, SDLXLIFF, XLIFF 2.x, TMX, PO, CSV/TSV) into units.

translate-toolkit parses every format; only the inline content of a segment is walked here (markup.py).
Each unit keeps its segment id and line so a reviewer finds it in the CAT tool.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from aligner.bilingual.markup import Masked, inline, plain
from aligner.bilingual.segments import is_credit_slot, sdl_statuses, xliff_statuses
from aligner.errors import AlignerError
from aligner.rundir.user_paths import regular_input
from aligner.safe import safe_field

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
    statuses: frozenset[str] = frozenset()  # what the file says of it: fuzzy, locked, exact… (segments.py)


@dataclass(frozen=True)
class RawFile:
    """A file as read, before the languages it does not name are set from the flags or detected."""

    path: Path
    format: str
    units: list[TranslationUnit]
    untranslated: int  # units with no target text, left out
    skipped: dict[str, int] = field(default_factory=dict)  # status -> units left out (segments.py)


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _local(child.tag) == name]


def _has_text(masked: Masked) -> bool:
    return bool(masked.shown.strip())


def _named(source_lang: str, target_lang: str) -> tuple[str, str]:
    """A file that names one language for both sides (Symfony writes srcLang="ru" trgLang="ru") says
    nothing of its source: the source is detected, and never overwritten by the target."""
    return (SOURCE if source_lang == target_lang else source_lang), target_lang


def _file_languages(element: etree._Element) -> tuple[str, str]:
    """The source and target language of the XLIFF 1.2 <file> around a trans-unit (or SOURCE/TARGET)."""
    for ancestor in element.iterancestors():
        if _local(ancestor.tag) == "file":
            return _named(
                ancestor.get("source-language") or SOURCE, ancestor.get("target-language") or TARGET
            )
    return SOURCE, TARGET


def _segments(element: etree._Element | None) -> dict[str, etree._Element]:
    """SDLXLIFF's segments: <mrk mtype="seg" mid="…"> inside a <seg-source> or <target>, by mid."""
    if element is None:
        return {}
    return {m.get("mid", ""): m for m in element.iter() if _local(m.tag) == "mrk" and m.get("mtype") == "seg"}


def _sdl_definitions(element: etree._Element) -> dict[str, etree._Element]:
    """SDLXLIFF's <sdl:seg-defs>: each segment's status (conf, locked, percent, origin) by id."""
    return {
        seg.get("id", ""): seg
        for defs in _children(element, "seg-defs")
        for seg in defs
        if _local(seg.tag) == "seg"
    }


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
            definitions = _sdl_definitions(element)
            unit_locked = frozenset({"locked"}) if element.get("translate") == "no" else frozenset()
            for mid, source_mrk in sdl_sources.items():
                target_mrk = sdl_targets.get(mid)
                texts = {source_lang: inline(source_mrk)}
                if target_mrk is not None and _has_text(target_text := inline(target_mrk)):
                    texts[target_lang] = target_text
                    statuses = sdl_statuses(definitions.get(mid)) | unit_locked
                    units.append(TranslationUnit(mid, target_mrk.sourceline, texts, statuses))
                else:
                    untranslated += 1
            continue
        if source is None or target is None or not _has_text(target_text := inline(target)):
            untranslated += 1
            continue
        texts = {source_lang: inline(source), target_lang: target_text}
        units.append(TranslationUnit(ident, target.sourceline, texts, xliff_statuses(element, target)))
    return units, untranslated


def _read_xliff2(path: Path) -> tuple[list[TranslationUnit], int]:
    from translate.storage import xliff2

    store = xliff2.Xliff2File.parsefile(str(path))
    source_lang, target_lang = _named(
        store.getsourcelanguage() or SOURCE, store.gettargetlanguage() or TARGET
    )
    units, untranslated = [], 0
    for unit in store.getunits():
        source, target = unit.get_source_dom(), unit.get_target_dom()
        if source is None or target is None or not _has_text(target_text := inline(target)):
            untranslated += 1
            continue
        segment = target.getparent()
        statuses = xliff_statuses(segment.getparent(), segment)  # <unit translate=…>, <segment state=…>
        texts = {source_lang: inline(source), target_lang: target_text}
        units.append(TranslationUnit(unit.getid() or "", target.sourceline, texts, statuses))
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
        notice = any(is_credit_slot(text.shown) for text in texts.values())  # OmegaT's @TRANSLATION_NOTICE@
        ident = unit.xmlelement.get("tuid") or f"#{number}"
        statuses = frozenset({"metadata"}) if notice else frozenset()
        units.append(TranslationUnit(ident, unit.xmlelement.sourceline, texts, statuses))
    return units, untranslated


def _po_header_language(store, name: str) -> str | None:
    value = store.parseheader().get(name, "").strip()
    return value or None


def _read_po(path: Path) -> tuple[list[TranslationUnit], int]:
    from translate.storage import po

    store = po.pofile.parsefile(str(path))
    source_lang, target_lang = _named(
        _po_header_language(store, "X-Source-Language") or SOURCE, store.gettargetlanguage() or TARGET
    )
    units, untranslated = [], 0
    for unit in store.units:  # getunits() leaves out the header and obsolete entries without a count
        statuses = _po_statuses(unit)
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
            texts = {source_lang: plain(source), target_lang: plain(target)}
            units.append(TranslationUnit(segment, line, texts, statuses))
    return units, untranslated


def _po_statuses(unit) -> frozenset[str]:
    """A PO entry's statuses: the header and translator credits are metadata; #~ obsolete; #, fuzzy."""
    found = set()
    if unit.isheader() or is_credit_slot(str(unit.source), unit.getcontext() or ""):
        found.add("metadata")
    if unit.isobsolete():
        found.add("obsolete")
    if unit.isfuzzy():
        found.add("fuzzy")
    return frozenset(found)


def _is_language_code(cell: str) -> bool:
    from babel import Locale, UnknownLocaleError

    if not _LANGUAGE_CODE.fullmatch(cell.strip()):
        return False
    try:
        Locale.parse(cell.strip().replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return False
    return True


def _dialect(text: str, tab: bool) -> type[csv.Dialect]:
    """The delimiter sniffed, the quoting always a spreadsheet's: the sniffer takes an apostrophe in
    English text ("Don't") for a quote character."""
    if tab:
        return csv.excel_tab
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    return type("sniffed", (csv.excel,), {"delimiter": delimiter})


_LOCATION = re.compile(r"[^\s]*[:#/.][^\s]*|")  # "src/app.py:12", "#: x", or nothing


def _locations_first(rows: list[list[str]]) -> bool:
    """Whether the first column holds locations (translate-toolkit's layout) rather than source text."""
    firsts = [row[0].strip() for row in rows if row]
    return bool(firsts) and sum(bool(_LOCATION.fullmatch(cell)) for cell in firsts) >= 0.8 * len(firsts)


def _read_table(path: Path, tab: bool) -> tuple[list[TranslationUnit], int]:
    """A two-column spreadsheet (source, target; a first row of language codes names them), or
    translate-toolkit's columns (location, source, target) with or without their header."""
    from translate.storage import csvl10n

    data = path.read_bytes()
    text = data.decode("utf-8-sig")
    dialect = _dialect(text, tab)
    rows = list(itertools.islice(csv.reader(io.StringIO(text), dialect), 50))
    cells = [cell.strip() for cell in rows[0]] if rows else []
    named = len(cells) >= 2 and all(_is_language_code(cell) for cell in cells[:2])
    source_lang, target_lang = (cells[0], cells[1]) if named else (SOURCE, TARGET)
    if csvl10n.valid_fieldnames(cells) or (len(cells) >= 3 and not named and _locations_first(rows)):
        fieldnames = None  # translate-toolkit's own header, or its columns: location, source, target, …
    else:  # source, target, then context or module columns (Frappe, Magento): the usual export
        fieldnames = ["source", "target", *(f"extra{k}" for k in range(2, max(len(r) for r in rows)))]
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
        segment = (unit.location if fieldnames is None else "") or (f"line {line}" if line else unit.id)
        texts = {source_lang: plain(unit.source), target_lang: plain(unit.target)}
        statuses = frozenset({"metadata"}) if is_credit_slot(unit.source) else frozenset()
        units.append(TranslationUnit(segment, line, texts, statuses))
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
