"""Read, language and segment as a map over files: order and skips as one pass gives them."""

from __future__ import annotations

import json

from aligner.documents.prepare import (
    FILES_PER_TASK,
    PrepareSettings,
    assemble,
    file_tasks,
    prepare_file,
    prepare_inputs,
)
from aligner.documents.read import expand_inputs


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


def test_a_record_file_is_a_task_of_its_own_and_order_is_kept(tmp_path):
    texts = [tmp_path / f"t{n}.txt" for n in range(3)]
    shards = [tmp_path / "s0.parquet", tmp_path / "s1.jsonl.zst"]
    files = [texts[0], texts[1], shards[0], shards[1], texts[2]]
    assert file_tasks(files) == [[texts[0], texts[1]], [shards[0]], [shards[1]], [texts[2]]]
    many = [tmp_path / f"m{n}.txt" for n in range(FILES_PER_TASK + 1)]
    assert [len(task) for task in file_tasks(many)] == [FILES_PER_TASK, 1]


def test_a_record_file_is_prepared_a_batch_at_a_time_and_keeps_no_raw_text(tmp_path, monkeypatch):
    import aligner.documents.prepare as prepare
    import aligner.documents.read_records as read_records

    monkeypatch.setattr(read_records, "BATCH_ROWS", 2)
    rows = [
        {"id": f"d{n}", "text": f"Sentence number {n} is here. And another one.", "lang": "en"}
        for n in range(5)
    ]
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    batches = []  # the sizes of the batches language detection sees
    real = prepare.assign_languages

    def counting(documents, *args, **kwargs):
        batches.append(len(documents))
        return real(documents, *args, **kwargs)

    monkeypatch.setattr(prepare, "assign_languages", counting)
    prepared = prepare_file(path, PrepareSettings(None, {}, False, 0))
    assert batches == [2, 2, 1]
    assert [raw.text for raw in prepared.raw] == [""] * 5  # the text lives on in the sentences only
    documents, skipped, _ = assemble([prepared], [])
    assert [d.doc_id for d in documents] == [f"d{n}" for n in range(5)] and not skipped
    assert documents[4].sentences == ("Sentence number 4 is here.", "And another one.")
