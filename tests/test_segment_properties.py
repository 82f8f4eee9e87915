"""Property-based tests of the segmenter: arbitrary Unicode never raises and nothing is lost."""

from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.documents.segment import segment_text

LANGS = st.sampled_from(["ru", "uk", "ur", "ar", "en", "xx"])
# Text biased towards what the rules look at: enders, quotes, abbreviations, digits, RTL letters.
PIECES = st.sampled_from(
    [
        "۔",
        "؟",
        ".",
        "!",
        "?",
        "…",
        "«",
        "»",
        '"',
        ")",
        " ",
        "\n",
        "т.е.",
        "млрд.",
        "Mr.",
        "No.",
        "2,8",
        "1.59",
        "Слово",
        "word",
        "لفظ",
        "كلمة",
        "٢٠٢٣",
        "۱۲",
        "A.",
        "г.",
    ]
)
TEXT = st.one_of(st.text(), st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=40).map("".join))


def without_space(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


@settings(max_examples=300, deadline=None)
@given(TEXT, LANGS, st.booleans())
def test_every_character_lands_in_exactly_one_sentence(text, lang, presplit):
    sentences, paragraph_of = segment_text(text, lang, presplit)
    assert len(sentences) == len(paragraph_of)
    assert without_space("".join(sentences)) == without_space(text)
    assert all(sentence == sentence.strip() and sentence for sentence in sentences)
    assert all("\n" not in sentence for sentence in sentences)
    assert paragraph_of == sorted(paragraph_of)
    lines = text.split("\n")  # paragraph_of is the line number, blank lines counted
    assert all(sentence in lines[number] for sentence, number in zip(sentences, paragraph_of, strict=True))
    if presplit:  # one sentence per non-blank line, however long
        assert sentences == [line.strip() for line in lines if line.strip()]
