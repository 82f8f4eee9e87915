"""The spool of a run's units and findings: records back as they went in, in order, none held."""

from __future__ import annotations

import pickle

import pytest

from aligner.export.spool import Spool
from aligner.types import Segment, Unit


def unit(story: str, index: int, text: str) -> Unit:
    return Unit(story, index, {"a": Segment("a", "en", (index,), text)}, 0.5, {"a|b": 0.5})


def test_records_come_back_in_order_by_index_slice_and_iteration():
    records = [unit("s1", 0, "One."), unit("s1", 1, "Two, 2."), unit("s2", 0, "Три.")]
    spool = Spool(records)
    spool.append(unit("s3", 0, "چار"))
    assert len(spool) == 4 and spool[1] == records[1] and spool[-1].story_id == "s3"
    assert spool[1:3] == records[1:3] and list(spool)[:3] == records
    assert spool == [*records, unit("s3", 0, "چار")] and spool != records
    with pytest.raises(IndexError):
        spool[4]


def test_only_offsets_stay_in_memory_and_a_pickle_is_the_list():
    spool = Spool(unit("s", n, "x" * 10_000) for n in range(50))
    assert "x" * 10_000 not in repr(vars(spool))  # the texts are in the file, not in the object
    assert pickle.loads(pickle.dumps(spool)) == list(spool)
    assert Spool() == [] and len(Spool()) == 0
