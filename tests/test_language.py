from aligner.documents.detect import assign_languages, detect_language
from aligner.types import RawDocument

SAMPLES = {
    "ru": "Утром 27 января Руководящий комитет провёл конференцию, на которой подвели итоги работы.",
    "uk": "Протягом року місто обрало 12 проектів для виконання цього проривного завдання.",
    "ur": "سال کے آغاز سے ہی، ضلع میں پورے سیاسی نظام کو ایک پلان فریم ورک تیار کرنے کی ضرورت ہے۔",
    "ar": "وطلب قادة المقاطعات من القطاعات والمحليات مواصلة التنفيذ الحازم والسعي إلى استكمال المعايير.",
    "en": "Provincial leaders requested sectors and localities to continue to implement the criteria.",
}


def doc(doc_id: str, text: str, hint: str | None = None) -> RawDocument:
    return RawDocument(doc_id=doc_id, text=text, source=f"{doc_id}.txt", sha256="0", lang_hint=hint)


def test_detects_each_supported_language():
    for lang, text in SAMPLES.items():
        assert detect_language(text)[0] == lang


def test_chinese_is_not_korean_or_japanese_without_their_scripts():
    # langdetect alone says "ko" for both Chinese lines (its issue #51)
    assert detect_language("我爱北京天安门")[0] == "zh-cn"
    assert detect_language("市长表示，这座图书馆将免费向所有居民开放。")[0] == "zh-cn"
    assert detect_language("오늘은 날씨가 아주 좋습니다. 공원에 갑시다.")[0] == "ko"
    assert detect_language("今日はとても良い天気です。公園に行きましょう。")[0] == "ja"


def test_detection_is_deterministic():
    text = "Это текст. This is text. Це текст."
    assert len({detect_language(text) for _ in range(5)}) == 1


def test_overrides_hints_and_unsupported_languages():
    documents = [
        doc("a", SAMPLES["ru"]),
        doc("b", SAMPLES["en"], hint="en"),
        doc("c", "Dies ist ein ganz normaler deutscher Satz über das Wetter und die Politik."),
        doc("d", SAMPLES["uk"]),
        doc("e", "12 34 56 !!"),
    ]
    languages, skipped = assign_languages(documents, ("ru", "uk", "ur", "ar", "en"), {"d": "ru"})
    assert languages == {"a": "ru", "b": "en", "d": "ru"}
    reasons = {s.doc_id: s.reason for s in skipped}
    assert "'de'" in reasons["c"] and "not one of" in reasons["c"]
    assert "no language" in reasons["e"]


def test_no_set_of_languages_keeps_every_language():
    german = "Dies ist ein ganz normaler deutscher Satz über das Wetter und die Politik."
    languages, skipped = assign_languages([doc("c", german), doc("a", SAMPLES["ru"])], None)
    assert languages == {"c": "de", "a": "ru"} and skipped == []


def test_the_set_of_languages_is_a_setting():
    languages, skipped = assign_languages([doc("a", SAMPLES["ru"])], ("en",))
    assert languages == {}
    assert "not one of en" in skipped[0].reason
