from aligner.documents.segment import MAX_SENTENCE_CHARS, segment_text


def sentences(text: str, lang: str) -> list[str]:
    return segment_text(text, lang)[0]


def test_russian_decimals_abbreviations_quotes_and_ellipsis():
    text = (
        "Рост составил 2,8% в 2023 г. Выручка — 1,5 млрд. руб., т.е. больше. "
        "Он сказал: «Да!» А потом ушёл… Новый абзац"
    )
    assert sentences(text, "ru") == [
        "Рост составил 2,8% в 2023 г.",
        "Выручка — 1,5 млрд. руб., т.е. больше.",
        "Он сказал: «Да!»",
        "А потом ушёл…",
        "Новый абзац",
    ]


def test_english_titles_numbers_and_identifiers():
    text = "Mr. Smith paid $1.59 for No. 5. He left at 5 p.m. on Jan. 3. Code 04-NQ/TU was used. Done"
    assert sentences(text, "en") == [
        "Mr. Smith paid $1.59 for No. 5.",
        "He left at 5 p.m. on Jan. 3.",
        "Code 04-NQ/TU was used.",
        "Done",
    ]


def test_urdu_full_stop_and_question_mark():
    text = "یہ پہلا جملہ ہے۔ کیا یہ دوسرا ہے؟ 2.5 فیصد اضافہ ہوا۔ آخری"
    assert sentences(text, "ur") == ["یہ پہلا جملہ ہے۔", "کیا یہ دوسرا ہے؟", "2.5 فیصد اضافہ ہوا۔", "آخری"]


def test_arabic_question_mark_and_decimal():
    text = "هذه الجملة الأولى. هل هذه الثانية؟ زادت بنسبة 2.5%. الأخيرة"
    assert sentences(text, "ar") == ["هذه الجملة الأولى.", "هل هذه الثانية؟", "زادت بنسبة 2.5%.", "الأخيرة"]


def test_chinese_and_japanese_stops_need_no_space():
    # No profile for zh and ja: the generic rules split after 。！？ even without a following space.
    text = "市政府宣布开放新的图书馆。你去吗？「好。」我们走吧！最后"
    expected = ["市政府宣布开放新的图书馆。", "你去吗？", "「好。」", "我们走吧！", "最后"]
    assert sentences(text, "zh-cn") == expected
    japanese = ["今日は良い天気です。", "公園に行きましょう。"]
    assert sentences("".join(japanese), "ja") == japanese


def test_generic_rules_know_the_danda_and_arabic_script_stops():
    assert sentences("यह पहला वाक्य है। क्या यह दूसरा है? अंत", "hi") == ["यह पहला वाक्य है।", "क्या यह दूसरा है?", "अंत"]
    assert sentences("آیا این جمله است؟ بله.", "fa") == ["آیا این جمله است؟", "بله."]


def test_ukrainian_abbreviations():
    text = "Зростання склало 2,8% у 2023 р. Тобто т.б. більше. Див. табл. 3. Він сказав: «Так!» Кінець"
    assert sentences(text, "uk") == [
        "Зростання склало 2,8% у 2023 р.",
        "Тобто т.б. більше.",
        "Див. табл. 3.",
        "Він сказав: «Так!»",
        "Кінець",
    ]


def test_real_seed_sentences_keep_decimals_and_codes():
    # From the seeds: a Ukrainian paragraph and an English list-like headline line.
    text = (
        "Протягом року місто обрало 12 проектів для виконання цього проривного завдання. "
        "Площа становить 1.59 га, а коефіцієнт — 2,8%."
    )
    assert sentences(text, "uk") == [
        "Протягом року місто обрало 12 проектів для виконання цього проривного завдання.",
        "Площа становить 1.59 га, а коефіцієнт — 2,8%.",
    ]


def test_paragraph_boundaries_and_headlines_without_stop():
    text = "Focus on the goal of the criteria\n\nViệt NamViệt Nam21/02/2024\nFirst sentence. Second one"
    found, paragraph_of = segment_text(text, "en")
    assert found == [
        "Focus on the goal of the criteria",
        "Việt NamViệt Nam21/02/2024",
        "First sentence.",
        "Second one",
    ]
    assert paragraph_of == [0, 2, 3, 3]  # line numbers: the blank line counts


def test_presplit_is_one_sentence_per_line():
    found, paragraph_of = segment_text("A. B. C.\n\nD? E!", "en", presplit=True)
    assert found == ["A. B. C.", "D? E!"]
    assert paragraph_of == [0, 2]


def test_presplit_never_wraps_a_long_line():
    """A gold standard numbers its lines: a line longer than the wrap limit must stay one sentence."""
    long_line = " ".join(["word"] * (MAX_SENTENCE_CHARS // 2))
    found, paragraph_of = segment_text(f"Short.\n{long_line}\nLast.", "en", presplit=True)
    assert found == ["Short.", long_line, "Last."]
    assert paragraph_of == [0, 1, 2]


def test_giant_line_is_wrapped_and_nothing_is_lost():
    line = " ".join(["слово"] * 5000)
    found = sentences(line, "ru")
    assert all(len(s) <= MAX_SENTENCE_CHARS for s in found)
    assert " ".join(found).split() == line.split()


def test_sentence_never_spans_two_lines():
    found, paragraph_of = segment_text("Начало предложения без точки\nпродолжение на другой строке.", "ru")
    assert found == ["Начало предложения без точки", "продолжение на другой строке."]
    assert paragraph_of == [0, 1]


def test_a_dash_left_at_the_end_of_a_line_is_no_sentence():
    # NTREX uk line 24 breaks a quotation after its dash: "... розповідає пан Адамс. —"
    found, paragraph_of = segment_text(
        "«Старі люди», — розповідає пан Адамс. —\nТепер немає ні того, ні іншого».", "uk"
    )
    assert found == ["«Старі люди», — розповідає пан Адамс. —", "Тепер немає ні того, ні іншого»."]
    assert paragraph_of == [0, 1]
    assert segment_text("—", "uk")[0] == ["—"]  # a line of nothing else stays what it is
