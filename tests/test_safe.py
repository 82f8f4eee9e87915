"""Text made safe to show and write (aligner/safe.py): controls, lone surrogates and bidi controls."""

from __future__ import annotations

import json
import re
from pathlib import Path

from aligner.documents.read import clean_text, document_id, read_documents
from aligner.safe import BIDI_CONTROLS, safe_field, safe_id, safe_text

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # embeddings, overrides, isolates
MARKS = "\u200e\u200f\u061c"


def test_every_bidi_control_is_replaced_one_for_one() -> None:
    text = "id" + BIDI + "end"
    for made_safe in (safe_text(text), safe_field(text), safe_id(text)):
        assert made_safe == "id" + "\ufffd" * len(BIDI) + "end"


def test_document_text_loses_the_same_bidi_controls_the_ids_have_replaced() -> None:
    assert clean_text("a" + BIDI + MARKS + "b") == "ab"  # read.py removes them (and the marks) from text
    assert re.fullmatch(f"[{BIDI_CONTROLS}]+", BIDI)  # one shared set
    assert safe_text("اردو" + MARKS) == "اردو" + MARKS  # marks are part of Arabic-script text


def test_ids_from_file_names_and_jsonl_are_neutralised(tmp_path: Path) -> None:
    (tmp_path / "gpj.\u202eexe.txt").write_text("One sentence here.", encoding="utf-8")
    record = {"id": "doc\u2067x\ty", "text": "Another sentence."}
    (tmp_path / "d.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    ids = sorted(doc.doc_id for doc in read_documents([tmp_path]).documents)
    assert ids == ["doc\ufffdx\ufffdy", "gpj.\ufffdexe"]
    assert document_id("a\u202eb") == "a\ufffdb"
