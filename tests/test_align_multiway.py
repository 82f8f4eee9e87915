"""Multi-way units of a story: consistency across documents, coverage, reading order, pair scores."""

from __future__ import annotations

from test_align import make_sentences

from aligner.align import align_story
from aligner.embedding.embedder import Embedder
from aligner.types import Document, Story, Unit


def document(doc_id: str, sentences: list[str], lang: str = "en") -> Document:
    return Document(doc_id, lang, f"{doc_id}.txt", tuple(sentences), tuple(range(len(sentences))))


def assert_every_sentence_once_in_order(units: list[Unit], docs: list[Document]) -> None:
    assert [u.index for u in units] == list(range(len(units)))
    for doc in docs:
        seen = [i for u in units if doc.doc_id in u.segments for i in u.segments[doc.doc_id].sentences]
        assert seen == list(range(len(doc.sentences)))


def test_units_are_consistent_across_three_translations(hashing_embedder: Embedder) -> None:
    base = make_sentences(16, seed=20)
    a = document("a", base)
    b_lines = [s for k, s in enumerate(base) if k != 4]  # b drops sentence 4 and merges 7 and 8
    b_lines[6:8] = [" ".join(b_lines[6:8])]
    b = document("b", b_lines, "ru")
    c = document("c", base[:10] + ["Comment (0)"] + base[10:], "ur")  # c carries a line of page chrome
    story = Story("s1", ("a", "b", "c"), ("en", "ru", "ur"), 1.0)
    units = align_story(story, {"a": a, "b": b, "c": c, "other": document("other", ["x"])}, hashing_embedder)
    assert_every_sentence_once_in_order(units, [a, b, c])
    as_sets = [{doc: seg.sentences for doc, seg in u.segments.items()} for u in units]
    # b 6 (sentences 7 + 8 of a) is linked to a 7-8 and, through the pivot, to c 7-8
    assert {"a": (7, 8), "b": (6,), "c": (7, 8)} in as_sets
    assert {"a": (4,), "c": (4,)} in as_sets  # b dropped it: a unit without b
    assert {"c": (10,)} in as_sets  # the chrome line alone
    assert {"a": (12,), "b": (10,), "c": (13,)} in as_sets
    full = next(u for u in units if u.segments.keys() == {"a", "b", "c"})
    assert set(full.pair_scores) == {"a|b", "a|c", "b|c"}
    assert all(0.5 < s <= 1.0 for s in full.pair_scores.values())
    assert full.score == sum(full.pair_scores.values()) / 3
    merged = units[as_sets.index({"a": (7, 8), "b": (6,), "c": (7, 8)})]
    assert merged.segments["b"].text == b_lines[6] and merged.segments["a"].text == " ".join(base[7:9])
    assert merged.segments["b"].lang == "ru" and merged.story_id == "s1"
    alone = units[as_sets.index({"c": (10,)})]
    assert alone.pair_scores == {} and alone.score == 0.0


def test_one_document_story_gives_one_unit_per_sentence(hashing_embedder: Embedder) -> None:
    doc = document("only", make_sentences(4, seed=21))
    units = align_story(Story("s", ("only",), ("en",), 1.0), {"only": doc}, hashing_embedder)
    assert [u.segments["only"].sentences for u in units] == [(0,), (1,), (2,), (3,)]
    assert all(u.score == 0.0 and u.pair_scores == {} for u in units)


def test_story_with_an_empty_document(hashing_embedder: Embedder) -> None:
    full = document("full", make_sentences(3, seed=22))
    empty = document("empty", [])
    units = align_story(
        Story("s", ("full", "empty"), ("en", "ru"), 1.0), {"full": full, "empty": empty}, hashing_embedder
    )
    assert_every_sentence_once_in_order(units, [full, empty])
    assert len(units) == 3


def test_a_moved_sentence_joins_its_unit_even_when_the_unit_is_not_contiguous(
    hashing_embedder: Embedder,
) -> None:
    base = make_sentences(24, seed=21)
    a = document("a", base)  # the pivot (ties on length go to the first id)
    b = document("b", base[:6] + base[7:18] + [base[6]] + base[18:], "ru")  # b moved sentence 6 to 17
    c = document("c", base[:5] + [base[5] + " " + base[6]] + base[7:], "ur")  # c merged 5 and 6
    story = Story("s1", ("a", "b", "c"), ("en", "ru", "ur"), 1.0)
    units = align_story(story, {"a": a, "b": b, "c": c}, hashing_embedder)
    for doc in (a, b, c):
        seen = sorted(i for u in units if doc.doc_id in u.segments for i in u.segments[doc.doc_id].sentences)
        assert seen == list(range(len(doc.sentences)))
    unit = next(u for u in units if u.segments["a"].sentences == (5, 6))
    assert unit.segments["b"].sentences == (5, 17) and unit.segments["c"].sentences == (5,)
    assert unit.segments["b"].text == base[5] + " " + base[6]
    # the pair scores see the whole segments: b's two runs together match a 5-6 and c 5
    assert min(unit.pair_scores.values()) > 0.5


def test_the_pivot_is_the_document_closest_to_all_others(hashing_embedder: Embedder) -> None:
    """The units follow the medoid's order, not the longest document's: b moved a sentence and is the
    longest (two lines of its own), but a and c are each other's closest."""
    base = make_sentences(24, seed=22)
    a, c = document("a", base), document("c", base, "ur")
    b = document("b", base[:6] + base[7:18] + [base[6]] + base[18:] + make_sentences(2, seed=99), "ru")
    story = Story("s1", ("a", "b", "c"), ("en", "ru", "ur"), 1.0)
    units = align_story(story, {"a": a, "b": b, "c": c}, hashing_embedder)
    order_of_a = [i for u in units if "a" in u.segments for i in u.segments["a"].sentences]
    assert order_of_a == list(range(24))  # in a's order, sentence 6 included
    moved = next(u for u in units if u.segments.get("a") and u.segments["a"].sentences == (6,))
    assert moved.segments["b"].sentences == (17,) and moved.segments["c"].sentences == (6,)


def test_the_pivot_of_long_documents_is_found_from_a_sample(hashing_embedder: Embedder) -> None:
    """Above 1000 sentences a side asks with an even sample of them; the medoid is still found."""
    from aligner.align.multiway import _pivot
    from aligner.align.spans import SideSpans

    base = make_sentences(1500, seed=23)
    docs = [
        document("a", base[:700] + make_sentences(300, seed=24) + base[700:]),  # the longest, 300 lines added
        document("b", base, "ru"),
        document("c", base, "ur"),
    ]
    spans = {d.doc_id: SideSpans(d.sentences, hashing_embedder, 3) for d in docs}
    assert _pivot(docs, spans).doc_id == "b"
