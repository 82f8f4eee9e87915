"""corpus.tmx read back with translate-toolkit, a real TMX reader."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from test_export import SCRIPT, hostile_run
from translate.misc.xml_helpers import getXMLlang
from translate.storage.tmx import tmxfile

from aligner.export import write_format
from aligner.export.tmx import render_tmx, xml_text
from aligner.types import RunResult, Segment, Story, Unit


def _read(path: Path) -> tmxfile:
    with path.open("rb") as handle:
        return tmxfile(handle)


def _props(element, kind: str) -> list[str]:
    return [p.text for p in element.iterchildren("prop") if p.get("type") == kind]


def _tuvs(unit) -> list[tuple[str, str, str]]:
    """(language, document id, text) of each <tuv>."""
    return [
        (getXMLlang(node), _props(node, "x-doc")[0], unit.getNodeText(node))
        for node in unit.getlanguageNodes()
    ]


def test_tmx_units_match_the_aligned_units(tmp_path: Path) -> None:
    result = hostile_run()
    store = _read(write_format(result, tmp_path, "tmx")[0])
    aligned = [u for u in result.units if len(u.segments) >= 2]
    assert len(store.units) == len(aligned) == 5
    for tu, unit in zip(store.units, aligned, strict=True):
        assert tu.getid() == f"{unit.story_id}/{unit.index}"
        expected = sorted((seg.lang, seg.doc_id, xml_text(seg.text)) for seg in unit.segments.values())
        assert _tuvs(tu) == expected
        assert float(_props(tu.xmlelement, "x-score")[0]) == round(unit.score, 4)
    # hostile text arrives as text
    texts = [text for tu in store.units for _, _, text in _tuvs(tu)]
    assert f"Компания {SCRIPT} наняла 300 человек." in texts
    assert "Итог: 7 проектов & &amp; ]]>." in texts
    assert "نتیجہ: 8 منصوبے </tu>۔" in texts
    assert "وظفت الشركة 300 شخص\tمع\nسطر جديد." in texts  # tab and newline kept, CR LF read as LF


def test_tmx_unit_with_two_documents_of_one_language_keeps_both(tmp_path: Path) -> None:
    store = _read(write_format(hostile_run(), tmp_path, "tmx")[0])
    s2_first = next(tu for tu in store.units if tu.getid() == "s2/0")
    assert [(lang, doc) for lang, doc, _ in _tuvs(s2_first)] == [("en", "en2"), ("en", "en3"), ("ru", "ru2")]


def test_tmx_header_names_tool_and_model_and_units_carry_findings(tmp_path: Path) -> None:
    store = _read(write_format(hostile_run(), tmp_path, "tmx")[0])
    header = store.document.getroot().find("header")
    assert header.get("creationtool") == "aligner" and header.get("creationtoolversion") == "0.1.0"
    assert header.get("srclang") == "*all*" and header.get("segtype") == "sentence"
    assert _props(header, "x-model") == ["google/embeddinggemma-300m"]
    assert _props(header, "x-model-sha256") == ["ab" * 32]
    by_id = {tu.getid(): tu.xmlelement for tu in store.units}
    findings = _props(by_id["s1/2"], "x-number-finding")
    assert findings == [
        "error changed ru1|ur1: 7 in ru1 but 8 in ur1",
        f"warning changed ar1|ur1: 7 vs 8 {SCRIPT}",
    ]
    assert _props(by_id["s1/0"], "x-number-finding") == []  # a "matched" comparison is no finding
    # TMX 1.4b order: a <tu>'s props come before its <tuv>s
    tags = [child.tag for child in by_id["s1/2"]]
    assert tags == sorted(tags, key=lambda tag: tag == "tuv")


def test_tmx_min_score_keeps_units_at_or_above_it(tmp_path: Path) -> None:
    store = _read(write_format(hostile_run(), tmp_path, "tmx", min_score=0.725)[0])
    assert [tu.getid() for tu in store.units] == ["s1/0", "s1/2", "s2/0"]


def test_tmx_escapes_markup_in_the_bytes(tmp_path: Path) -> None:
    raw = write_format(hostile_run(), tmp_path, "tmx")[0].read_text(encoding="utf-8")
    assert raw.startswith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">'
    )
    assert "<script>" not in raw and "&lt;script&gt;" in raw
    assert raw.count("</tu>") == 5  # the document's "</tu>" is text, not a closing tag
    assert "&amp;amp;" in raw


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1), st.text(min_size=1))
def test_any_text_survives_tmx_as_xml_can_carry_it(first: str, second: str) -> None:
    segments = {"a": Segment("a", "en", (0,), first), "b": Segment("b", "ru", (0,), second)}
    units = [Unit("s", 0, segments, 0.5)]
    result = RunResult([], [], [Story("s", ("a", "b"), ("en", "ru"), 1.0)], units, [], {})
    rendered = render_tmx(result)
    store = tmxfile.parsestring(rendered.encode("utf-8"))
    if not (first.strip() and second.strip()):
        assert store.units == []
        return
    assert [text for _, _, text in _tuvs(store.units[0])] == [xml_text(first), xml_text(second)]


def _whole_tree(result: RunResult, min_score: float = 0.0) -> str:
    """The TMX document as ElementTree writes it in one piece (how corpus.tmx was written before it was
    written a unit at a time)."""
    import xml.etree.ElementTree as ET

    from aligner.export.tmx import _header, _tu

    findings: dict = {}
    for finding in result.findings:
        if finding.kind != "matched":
            findings.setdefault((finding.story_id, finding.unit), []).append(finding)
    root = ET.Element("tmx", {"version": "1.4"})
    root.append(_header(result.manifest or {}))
    body = ET.SubElement(root, "body")
    for unit in result.units:
        if len([s for s in unit.segments.values() if s.text.strip()]) >= 2 and unit.score >= min_score:
            body.append(_tu(unit, findings.get((unit.story_id, unit.index), [])))
    ET.indent(root, space="  ")
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
    return declaration + ET.tostring(root, encoding="unicode") + "\n"


def test_tmx_written_a_unit_at_a_time_is_the_document_written_whole(tmp_path: Path) -> None:
    result = hostile_run()
    assert sum(len(u.segments) >= 2 for u in result.units) > 2
    for min_score in (0.0, 0.5, 2.0):  # several units, fewer, none (an empty <body />)
        streamed = write_format(result, tmp_path / str(min_score), "tmx", min_score)[0]
        assert streamed.read_text(encoding="utf-8") == _whole_tree(result, min_score)
    assert "<body />" in (tmp_path / "2.0" / "corpus.tmx").read_text(encoding="utf-8")


def test_a_file_written_in_pieces_that_fails_midway_leaves_nothing(tmp_path: Path) -> None:
    import pytest

    from aligner.export.files import write_text

    def lines():
        yield "one\n"
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_text(tmp_path / "out.jsonl", lines())
    assert list(tmp_path.iterdir()) == []
    assert write_text(tmp_path / "out.jsonl", iter(["a\n", "b\n"])).read_bytes() == b"a\nb\n"
