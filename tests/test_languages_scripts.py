"""Script letter classes of the generic rules."""

from aligner.languages.scripts import (
    HAN_LETTER,
    HANGUL_LETTER,
    KANA_LETTER,
    UNSPACED_LETTER,
    content_length,
)


def test_each_script_class_takes_its_letters_only() -> None:
    samples = {
        "han": "中國语",
        "kana": "あアン",
        "hangul": "한국어",
        "latin": "abc",
        "cyrillic": "абв",
        "arabic": "عرب",
    }
    classes = {"han": HAN_LETTER, "kana": KANA_LETTER, "hangul": HANGUL_LETTER}
    for name, pattern in classes.items():
        for script, text in samples.items():
            assert all(bool(pattern.match(ch)) == (script == name) for ch in text), (name, script)


def test_unspaced_scripts_are_han_and_kana() -> None:
    assert UNSPACED_LETTER.findall("今日は한국 test") == ["今", "日", "は"]


def test_content_length_weighs_dense_scripts() -> None:
    assert content_length("Many welcomed it.") == len("Many welcomed it.")
    assert content_length("图书馆") == 9  # Han: three Latin letters each
    assert content_length("한국 あ") == 2 * 2 + 1 + 2  # Hangul and kana: two each; the space counts once
