"""``bench_numbers.py --files``: the number benchmark's pairs written as CAT files and checked from them.

1. Every pair the in-memory benchmark checked (clean NTREX pairs and the same injected errors) is written
   into a TMX, an XLIFF 1.2, an XLIFF 2.0 and a PO file per language (translate-toolkit writes them), read
   back by ``aligner check``'s reader and checked: each pair must be flagged exactly when it was in memory.
2. The clean pairs again, in an XLIFF 1.2 with inline tags around the numbers, codes with digits and
   printf/ICU placeholders inserted: every finding there is one the markup caused.
3. Time to read and check per 10,000 units, and whether an embedding model was loaded.
"""

from __future__ import annotations

import random
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from aligner.bilingual.check import check_file
from aligner.bilingual.confidence import DEFAULT_CUT, at_least
from aligner.bilingual.languages import resolve_languages
from aligner.bilingual.read import read_raw
from aligner.bilingual.segments import DEFAULT_SKIP, keep_checked
from aligner.numbers import NumberConfig
from aligner.numbers.units import comparable_numbers

FORMATS = ("TMX", "XLIFF 1.2", "XLIFF 2.0", "PO")


@dataclass(frozen=True)
class Case:
    """One pair the in-memory benchmark checked, and whether it flagged it."""

    ident: str  # becomes the segment id
    en: str
    text: str
    category: str  # "clean" or an error type
    flagged: bool


def write_file(fmt: str, lang: str, cases: list[Case], path: Path) -> Path:
    from translate.storage import po, tmx, xliff, xliff2

    if fmt == "TMX":
        store = tmx.tmxfile(sourcelanguage="en", targetlanguage=lang)
        for case in cases:
            unit = store.addsourceunit(case.en)
            unit.settarget(case.text, lang)
            unit.xmlelement.set("tuid", case.ident)
    elif fmt == "PO":
        store = po.pofile()
        store.updateheader(add=True, Language=lang, X_Source_Language="en")
        for case in cases:
            unit = store.addsourceunit(case.en)
            unit.target = case.text
            unit.setcontext(case.ident)  # msgctxt keeps repeated sentences apart
    else:
        kind = xliff.xlifffile if fmt == "XLIFF 1.2" else xliff2.Xliff2File
        store = kind(sourcelanguage="en", targetlanguage=lang)
        for case in cases:
            unit = store.addsourceunit(case.en)
            unit.target = case.text
            unit.setid(case.ident)
    path.write_bytes(bytes(store))
    return path


def flagged_from_file(path: Path, cut: str = "low") -> tuple[set[str], int]:
    """Segment ids with any finding but matched (of confidence ``cut`` or above), and the units read."""
    bilingual = resolve_languages(keep_checked(read_raw(path), DEFAULT_SKIP))  # as check reads it
    findings = check_file(bilingual, NumberConfig())
    # a PO entry's id is "msgctxt | msgid": the context is the case
    flagged = {
        f.segment.split(" | ")[0] for f in findings if f.kind != "matched" and at_least(f.confidence, cut)
    }
    return flagged, len(bilingual.units)


# --- 2. markup around numbers ---

_CODES = [
    '<x id="{k}"/>',
    '<ph id="{k}">&lt;img src="pic{k}0.png" width="300"/&gt;</ph>',
    '<bpt id="{k}">&lt;span style="font-size:12pt"&gt;</bpt>{word}<ept id="{k}">&lt;/span&gt;</ept>',
]
_PLACEHOLDERS = ["%1$s", "%2$d", "{count}", "{item3}", "{0}", "&amp;nbsp;", "%(n2)s"]
# how a number is wrapped: formatting around it, a paired code from the original format, a link before it
_AROUND_NUMBER = [
    '<g id="{k}">{number}</g>',
    '<bpt id="{k}">&lt;b data-row="{k}7"&gt;</bpt>{number}<ept id="{k}">&lt;/b&gt;</ept>',
    '<x id="{k}"/>{number}',
]


def _quiet_spaces(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """Spaces between two words without digits, at least a word away from every number."""
    out = []
    for match in re.finditer(r"(?<=[^\W\d_]) (?=[^\W\d_])", text):
        at = match.start()
        if all(at < start - 12 or at > end + 12 for start, end in spans):
            out.append(at)
    return out


def with_markup(text: str, lang: str, rng: random.Random) -> str:
    """The text as XLIFF inline content: each number wrapped in a tag or code, and a code and a
    placeholder (with digits in them) inserted elsewhere."""
    numbers = comparable_numbers(text, lang, NumberConfig()).numbers
    spans = [(n.start, n.end) for n in numbers]
    inserts: dict[int, str] = {}
    spaces = _quiet_spaces(text, spans)
    for k, at in enumerate(rng.sample(spaces, min(2, len(spaces))), start=1):
        if k == 1:
            inserts[at] = " " + rng.choice(_CODES[:2]).format(k=k + 50) + " "
        else:
            inserts[at] = " " + escape(rng.choice(_PLACEHOLDERS)).replace("&amp;amp;", "&amp;") + " "
    pieces, cursor = [], 0
    for k, (start, end) in enumerate(sorted(spans), start=1):
        if start < cursor:
            continue
        pieces.append(_escape_with(text[cursor:start], inserts, cursor))
        pieces.append(rng.choice(_AROUND_NUMBER).format(k=k, number=escape(text[start:end])))
        cursor = end
    pieces.append(_escape_with(text[cursor:], inserts, cursor))
    return "".join(pieces)


def _escape_with(piece: str, inserts: dict[int, str], offset: int) -> str:
    out, last = [], 0
    for at in sorted(i for i in inserts if offset <= i < offset + len(piece)):
        out += [escape(piece[last : at - offset]), inserts[at]]
        last = at - offset + 1
    return "".join(out) + escape(piece[last:])


def write_marked_xliff(lang: str, cases: list[Case], path: Path, seed: int) -> Path:
    """An XLIFF 1.2 written by hand: translate-toolkit's writer escapes inline markup given as text."""
    rng = random.Random(f"{seed}-markup-{lang}")
    units = []
    for case in cases:
        source, target = with_markup(case.en, "en", rng), with_markup(case.text, lang, rng)
        if rng.random() < 0.5:  # a bold code with digits in it around the first word
            word = case.en.split(" ", 1)
            if len(word) == 2 and word[0].isalpha():
                bold = _CODES[2].format(k=90, word=escape(word[0]))
                source = bold + " " + with_markup(word[1], "en", rng)
        units.append(
            f"<trans-unit id={quoteattr(case.ident)}><source>{source}</source>"
            f"<target>{target}</target></trans-unit>"
        )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" '
        'xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        f'<file original="ntrex" source-language="en" target-language="{lang}" datatype="html"><body>\n'
        + "\n".join(units)
        + "\n</body></file></xliff>\n",
        encoding="utf-8",
    )
    return path


def in_memory_seconds(cases: dict[str, list[Case]]) -> tuple[float, int]:
    """The same pairs checked as in-memory units (what ``aligner run`` does), for the time per unit."""
    from aligner.numbers import check_units
    from aligner.types import Segment, Unit

    units = [
        Unit(
            "bench", k, {"en": Segment("en", "en", (k,), c.en), lang: Segment(lang, lang, (k,), c.text)}, 1.0
        )
        for lang, items in cases.items()
        for k, c in enumerate(items)
    ]
    started = time.perf_counter()
    check_units(units, NumberConfig())
    return time.perf_counter() - started, len(units)


def files_part(cases: dict[str, list[Case]], seed: int) -> None:
    print("\n## From files: the same pairs written as CAT files and read back (`aligner check`)\n")
    print(
        "| format | lang | units | clean pairs flagged: memory / file | injected caught: memory / file "
        "| pairs that differ |"
    )
    print("|---|---|---:|---:|---:|---:|")
    timings: dict[str, list[float]] = {fmt: [0.0, 0] for fmt in FORMATS}
    differ_total = 0
    with tempfile.TemporaryDirectory() as folder:
        for fmt in FORMATS:
            for lang, items in cases.items():
                suffix = {"TMX": ".tmx", "PO": ".po"}.get(fmt, ".xlf")
                path = write_file(fmt, lang, items, Path(folder) / f"{lang}-{fmt.replace(' ', '')}{suffix}")
                started = time.perf_counter()
                flagged, read = flagged_from_file(path)
                timings[fmt][0] += time.perf_counter() - started
                timings[fmt][1] += read
                expected = {c.ident for c in items if c.flagged}
                differ = len(expected ^ flagged) + abs(read - len(items))
                differ_total += differ
                clean = [c for c in items if c.category == "clean"]
                injected = [c for c in items if c.category != "clean"]
                alarms = f"{sum(c.flagged for c in clean)} / {sum(c.ident in flagged for c in clean)}"
                caught = f"{sum(c.flagged for c in injected)} / {sum(c.ident in flagged for c in injected)}"
                print(f"| {fmt} | {lang} | {read} | {alarms} | {caught} | {differ} |")
        print(f"\nPairs flagged differently from memory, all formats: {differ_total}")
        print(
            "\n## Markup around numbers (XLIFF 1.2 from the clean pairs; every finding is caused by markup)\n"
        )
        print("| lang | units | units with inline tags | findings |")
        print("|---|---:|---:|---:|")
        for lang, items in cases.items():
            clean = [c for c in items if c.category == "clean" and not c.flagged]
            path = write_marked_xliff(lang, clean, Path(folder) / f"{lang}-markup.xlf", seed)
            bilingual = resolve_languages(read_raw(path))
            findings = [f for f in check_file(bilingual, NumberConfig()) if f.kind != "matched"]
            tagged = sum("<" in "".join(t.shown for t in u.texts.values()) for u in bilingual.units)
            print(f"| {lang} | {len(bilingual.units)} | {tagged} | {len(findings)} |")
            for finding in findings[:5]:
                print(f"  - {finding.segment}: {finding.message}")
    print("\n## Time to read and check, per 10,000 units\n")
    print("| format | units | seconds | seconds per 10,000 units |")
    print("|---|---:|---:|---:|")
    for fmt, (seconds, units) in timings.items():
        print(f"| {fmt} | {units} | {seconds:.1f} | {10000 * seconds / units:.1f} |")
    seconds, units = in_memory_seconds(cases)
    print(f"| in memory (no file) | {units} | {seconds:.1f} | {10000 * seconds / units:.1f} |")
    heavy = sorted(m for m in ("torch", "sentence_transformers", "faiss") if m in sys.modules)
    print(f"\nEmbedding libraries imported while checking files: {heavy or 'none'}")
    default_cut_part(cases)


def default_cut_part(cases: dict[str, list[Case]]) -> None:
    """What ``aligner check`` reports at its default confidence (the tables above count every finding):
    per error type, and why the findings left below the cut were judged unsure."""
    print(f"\n## At the default confidence (--min-confidence {DEFAULT_CUT}), XLIFF 1.2\n")
    shown: dict[str, bool] = {}
    every: dict[str, bool] = {}
    why: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as folder:
        for lang, items in cases.items():
            path = write_file("XLIFF 1.2", lang, items, Path(folder) / f"{lang}.xlf")
            findings = [f for f in check_file(resolve_languages(read_raw(path))) if f.kind != "matched"]
            for case in items:
                mine = [f for f in findings if f.segment == case.ident]
                every[case.ident] = bool(mine)
                shown[case.ident] = any(at_least(f.confidence, DEFAULT_CUT) for f in mine)
                if mine and not shown[case.ident] and case.category != "clean":
                    why.update(f"{case.category}: {f.confidence_why}" for f in mine)
    categories = sorted({c.category for items in cases.values() for c in items})
    print("| lang | " + " | ".join(categories) + " |")
    print("|---|" + "---:|" * len(categories))
    for lang, items in cases.items():
        cells = []
        for category in categories:
            mine = [c for c in items if c.category == category]
            hit = sum(shown[c.ident] for c in mine)
            cells.append(f"{hit}/{len(mine)} ({100 * hit / max(len(mine), 1):.1f}%)")
        print(f"| {lang} | " + " | ".join(cells) + " |")
    print("\n(clean: pairs reported, a false alarm unless a real slip; the others: injected errors reported)")
    print("\nWhy the injected errors caught only below the cut were judged unsure:")
    for reason, count in why.most_common(12):
        print(f"- {count} x {reason}")
