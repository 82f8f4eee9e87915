"""Page chrome: repeated lines, link lists and short lines that do not end like a sentence."""

from __future__ import annotations

from aligner.align.chrome import begins_another, chrome_like, repeated_lines, word_count


def test_word_count_takes_two_han_or_kana_characters_for_a_word() -> None:
    assert word_count("Share this article") == 3
    assert word_count("Comments (0)") == 2  # "(0)" has a digit: a word
    assert word_count("订阅我们的新闻") == 4  # seven characters
    assert word_count("Read more: 新闻") == 3
    assert word_count("...") == 0


def test_short_lines_without_a_stop_link_lists_and_repeats_are_chrome() -> None:
    lines = [
        "Share this article",
        "The mayor said the library will open in spring.",
        "Home | World | Business | Sport",
        "Fire at the station",
        "The mayor said the library will open in spring.",
        "Yes.",
    ]
    assert chrome_like(lines, "en").tolist() == [True, True, True, True, True, False]
    assert repeated_lines(lines).tolist() == [False, True, False, False, True, False]


def test_chinese_sentences_are_not_chrome_but_short_unstopped_lines_are() -> None:
    sentence = "市政府宣布将在明年春天开放新的图书馆"  # a headline: long enough without its stop
    lines = [sentence + "。", "你去吗？", "订阅我们的新闻", "评论 (0)", sentence]
    assert chrome_like(lines, "zh-cn").tolist() == [False, False, True, True, False]


def test_a_headline_that_begins_a_longer_line_is_chrome_but_a_sentence_is_not() -> None:
    headline = "Floods cut the coastal railway for a week"
    lines = [
        headline + " Engineers said on Monday that the line would reopen soon.",  # run into the text
        "The council met on Tuesday.",
        "The council met on Tuesday. It approved the budget.",
        headline,  # the headline reused as a caption further down
        "Floods cu",  # begins a line, but not at a word boundary (short and unstopped: chrome anyway)
    ]
    assert begins_another(lines).tolist() == [False, True, False, True, False]
    # the caption is chrome; the sentence that begins a merged line ends like a sentence and is not
    assert chrome_like(lines, "en").tolist() == [False, False, False, True, True]
