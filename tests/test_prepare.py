"""Read, language and segment as a map over files: order and skips as one pass gives them."""

from __future__ import annotations

import json

from aligner.prepare import FILES_PER_TASK, PrepareSettings, assemble, prepare_file, prepare_inputs
from aligner.read import expand_inputs


def settings() -> PrepareSettings:
    return PrepareSettings(("en", "ru"), {}, False, 0)


def write(tmp_path):
    (tmp_path / "a.txt").write_text("The council met on Monday. It approved the plan.", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        "\n".join(
            json.dumps(r)
            for r in [
                {"id": "x", "text": "Совет собрался в понедельник.", "lang": "ru"},
                {"id": "a", "text": "A repeated id: the first one wins."},  # same id as a.txt
                {"id": "x", "text": "Repeated within one file."},
                {"id": "de", "text": "Dies ist ein deutscher Satz über das Wetter und die Politik."},
                {"id": "empty", "text": "  ...  "},
                "not an object",
            ]
        ),
        encoding="utf-8",
    )
    (tmp_path / "c.txt").write_bytes(b"\xff\xfe\x00binary\x00\x00")


def test_files_in_any_order_assemble_to_the_same_documents_and_skips(tmp_path):
    write(tmp_path)
    files, expand_skips = expand_inputs([tmp_path])
    prepared = [prepare_file(path, settings()) for path in files]
    documents, skipped, seconds = assemble(prepared, expand_skips)
    assert [d.doc_id for d in documents] == ["a", "x"]
    assert [d.sentences for d in documents][0] == ("The council met on Monday.", "It approved the plan.")
    reasons = [(s.doc_id, s.reason.split(" (")[0]) for s in skipped]
    stages = [reason for _, reason in reasons]
    # read problems first (file order), then repeated ids, then languages, then segmentation
    assert stages.index("duplicate document id") < stages.index(next(r for r in stages if "language" in r))
    assert sum("duplicate document id" in r for r in stages) == 2
    assert set(seconds) == {"read", "language", "segment"}
    # one pass over the same files (read_documents, then languages, then segmentation) gives the same
    from aligner.pipeline import prepare_documents

    assert prepare_documents([tmp_path], languages=("en", "ru")) == (documents, skipped)


def test_prepare_inputs_through_a_mapper_of_chunks(tmp_path):
    for n in range(FILES_PER_TASK + 3):
        (tmp_path / f"d{n:03d}.txt").write_text(
            f"Sentence number {n} is here. And another one.", encoding="utf-8"
        )
    calls = []

    def mapper(function, items, common=None):
        calls.append(len(items))
        return [function(item) for item in items]

    documents, skipped, _ = prepare_inputs([tmp_path], PrepareSettings(None, {}, False, 0), mapper)
    assert calls == [2] and len(documents) == FILES_PER_TASK + 3 and not skipped
    assert [d.doc_id for d in documents] == sorted(d.doc_id for d in documents)
