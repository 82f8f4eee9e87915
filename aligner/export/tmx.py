"""corpus.tmx: TMX 1.4b, one <tu> per aligned unit with a <tuv xml:lang> per document.

A unit with a single document (an unaligned sentence) is no translation unit and is left out, as are units
scoring below ``min_score``. Two documents of one language in a unit give two <tuv> of that language,
told apart by their <prop type="x-doc">. Carriage returns become newlines (an XML parser would do the
same on reading) and characters XML 1.0 cannot carry become U+FFFD.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import aligner
from aligner.export.files import write_text
from aligner.types import NumberFinding, RunResult, Unit

TMX_FILE = "corpus.tmx"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NOT_XML_CHAR = re.compile("[^\t\n\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Text XML 1.0 can carry unchanged through a parser."""
    return _NOT_XML_CHAR.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def _prop(parent: ET.Element, kind: str, value: str) -> None:
    ET.SubElement(parent, "prop", {"type": kind}).text = xml_text(value)


def finding_text(finding: NumberFinding) -> str:
    """One line per number finding: severity, kind, the two documents and the message."""
    return f"{finding.severity} {finding.kind} {finding.docs[0]}|{finding.docs[1]}: {finding.message}"


def _header(manifest: dict) -> ET.Element:
    model = manifest.get("model") if isinstance(manifest.get("model"), dict) else {}
    header = ET.Element(
        "header",
        {
            "creationtool": str(manifest.get("tool") or "aligner"),
            "creationtoolversion": str(manifest.get("version") or aligner.__version__),
            "datatype": "plaintext",
            "segtype": "sentence",
            "adminlang": "en",
            "srclang": "*all*",  # multi-way: no language is the source
            "o-tmf": "aligner",
        },
    )
    if model.get("name"):
        _prop(header, "x-model", str(model["name"]))
    if model.get("weights_sha256"):
        _prop(header, "x-model-sha256", str(model["weights_sha256"]))
    return header


def _tu(unit: Unit, findings: list[NumberFinding]) -> ET.Element:
    tu = ET.Element("tu", {"tuid": f"{unit.story_id}/{unit.index}"})
    _prop(tu, "x-story", unit.story_id)
    _prop(tu, "x-unit", str(unit.index))
    _prop(tu, "x-score", f"{unit.score:.4f}")
    for finding in findings:
        _prop(tu, "x-number-finding", finding_text(finding))
    for seg in sorted(
        (s for s in unit.segments.values() if s.text.strip()), key=lambda s: (s.lang, s.doc_id)
    ):
        tuv = ET.SubElement(tu, "tuv", {_XML_LANG: seg.lang})
        _prop(tuv, "x-doc", seg.doc_id)
        _prop(tuv, "x-sentences", ",".join(str(i) for i in seg.sentences))
        ET.SubElement(tuv, "seg").text = xml_text(seg.text)
    return tu


def render_tmx(result: RunResult, min_score: float = 0.0) -> str:
    """The TMX document as text (deterministic: no dates, fixed order)."""
    return "".join(tmx_pieces(result, min_score))


_PLACE = "aligner-units-go-here"  # a stand-in <tu>: the document around it is rendered once, small


def tmx_pieces(result: RunResult, min_score: float = 0.0) -> Iterator[str]:
    """The TMX document in pieces, a <tu> at a time, as ElementTree would write it whole (indented by two
    spaces): the header and body around a stand-in unit, then each unit indented at its depth (3: tmx,
    body, tu) and joined by the indentation ``ET.indent`` puts between siblings."""
    findings: dict[tuple[str, int], list[NumberFinding]] = {}
    for finding in result.findings:
        if finding.kind != "matched":  # agreeing numbers are not findings worth carrying
            findings.setdefault((finding.story_id, finding.unit), []).append(finding)
    units = (
        _tu(unit, findings.get((unit.story_id, unit.index), []))
        for unit in result.units
        if len([seg for seg in unit.segments.values() if seg.text.strip()]) >= 2 and unit.score >= min_score
    )
    first = next(units, None)
    root = ET.Element("tmx", {"version": "1.4"})
    root.append(_header(result.manifest or {}))
    body = ET.SubElement(root, "body")
    if first is not None:
        ET.SubElement(body, "tu", {"tuid": _PLACE})
    ET.indent(root, space="  ")
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
    whole = ET.tostring(root, encoding="unicode") + "\n"
    if first is None:
        yield whole
        return
    before, _, after = whole.partition(f'<tu tuid="{_PLACE}" />')
    yield before
    for number, tu in enumerate(itertools.chain([first], units)):
        ET.indent(tu, space="  ", level=2)
        yield ("\n    " if number else "") + ET.tostring(tu, encoding="unicode")
    yield after


def write_tmx(result: RunResult, outdir: Path, min_score: float = 0.0) -> list[Path]:
    return [write_text(outdir / TMX_FILE, tmx_pieces(result, min_score))]
