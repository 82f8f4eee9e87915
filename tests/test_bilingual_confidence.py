"""Confidence on every finding (issue 25, classes 5, 6 and 9): sure of digits against digits in a profiled
language, unsure of words in a language without a profile and of a code read differently in two scripts."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.bilingual.check import FileFinding, check_file
from aligner.bilingual.confidence import LEVELS, at_least, profiled, rate
from aligner.bilingual.inputs import to_report
from aligner.bilingual.languages import resolve_languages
from aligner.bilingual.read import read_raw


def tmx_findings(tmp_path: Path, units: list[dict[str, str]]) -> list[FileFinding]:
    """The findings (not "matched") of a TMX with these units, each {language: text}."""
    body = "".join(
        f'<tu tuid="u{k}">'
        + "".join(f'<tuv xml:lang="{lang}"><seg>{text}</seg></tuv>' for lang, text in unit.items())
        + "</tu>"
        for k, unit in enumerate(units)
    )
    path = tmp_path / "memory.tmx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="en"/>'
        f"<body>{body}</body></tmx>",
        encoding="utf-8",
    )
    return [f for f in check_file(resolve_languages(read_raw(path))) if f.kind != "matched"]


def _one(tmp_path: Path, source: str, lang: str, target: str) -> FileFinding:
    found = tmx_findings(tmp_path, [{"en": source, lang: target}])
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("lang", "source", "target"),
    [
        ("fi", "Level 1 is easy", "Ykköstaso on helppo"),  # class 9: a number in a word
        ("zh", "Stage 9", "第九步"),
        ("ko", "Chapter 12", "열두 번째 장"),
        ("de", "Press 3 times", "Dreimal drücken"),
    ],
)
def test_a_missing_number_in_a_language_without_a_profile_is_low(
    tmp_path: Path, lang: str, source: str, target: str
) -> None:
    finding = _one(tmp_path, source, lang, target)
    assert finding.kind == "missing" and finding.confidence == "low"
    assert "no profile" in finding.confidence_why
    assert to_report([finding], min_confidence="medium") == []
    assert to_report([finding], min_confidence="low") == [finding]


def test_digits_against_digits_in_a_profiled_language_are_high(tmp_path: Path) -> None:
    finding = _one(tmp_path, "The price is 25 dollars", "ru", "Цена 52 доллара")
    assert (finding.kind, finding.confidence) == ("changed", "high")
    dropped = _one(tmp_path, "Open port 8080 first", "uk", "Спочатку відкрийте порт")
    assert (dropped.kind, dropped.confidence) == ("missing", "high")


def test_a_code_read_differently_in_two_scripts_is_low(tmp_path: Path) -> None:
    # class 5: dice notation; the reader takes "к6" as one die, so 1D6 against к6 is no finding at all
    assert tmx_findings(tmp_path, [{"en": "Roll 1D6 for damage", "ru": "Бросьте к6 на урон"}]) == []
    found = tmx_findings(tmp_path, [{"en": "Roll 2D6 for damage", "ru": "Бросьте 3к6 на урон"}])
    assert found and {f.confidence for f in found} == {"low"}
    drill = tmx_findings(tmp_path, [{"en": "Type a1z1q1 now", "ar": "اكتب ش1ئ2ض1 الآن"}])
    assert drill and {f.confidence for f in drill} == {"low"}


def test_an_altered_code_in_one_script_stays_high(tmp_path: Path) -> None:
    finding = _one(tmp_path, "See the F-16 jets", "ru", "См. самолёты F-18")
    assert (finding.kind, finding.confidence) == ("code", "high")


def test_an_idiom_with_an_ordinal_is_low(tmp_path: Path) -> None:
    # class 6: "3rd party" is an idiom the reader knows, so no finding at all; another small ordinal is low
    assert (
        tmx_findings(
            tmp_path,
            [{"en": "We support 3rd party integrations", "ru": "Мы поддерживаем сторонние интеграции"}],
        )
        == []
    )
    finding = _one(tmp_path, "Try it a 2nd time", "ru", "Попробуйте ещё раз")
    assert (finding.kind, finding.confidence) == ("missing", "low")


def test_a_damaged_placeholder_is_high(tmp_path: Path) -> None:
    finding = _one(tmp_path, "Loan amount cannot be greater than {0}", "ur", "قرض کی رقم {0 than سے زیادہ")
    assert (finding.kind, finding.confidence) == ("added", "high")


def test_a_one_said_with_a_noun_is_low(tmp_path: Path) -> None:
    finding = _one(tmp_path, "Max Products Sent in 1 Hour", "ar", "اقصى عدد للمنتجات يمكن ارسالة بالساعة")
    assert finding.confidence == "low"


def test_levels_and_profiles() -> None:
    assert LEVELS == ("low", "medium", "high")
    assert at_least("high", "medium") and not at_least("low", "medium")
    assert profiled("ar_SA") and profiled("uk-UA") and not profiled("fi")


def test_rate_uses_the_other_findings_of_the_segment(tmp_path: Path) -> None:
    # "200x300" written 200 × 300 is read as the same code since the reader knows codes across scripts
    assert tmx_findings(tmp_path, [{"en": "Size 200x300 only", "ar": "الحجم 200 × 300 فقط"}]) == []
    found = tmx_findings(tmp_path, [{"en": "Version v2.3.1 released", "ru": "Выпущена версия 2.3 и 1"}])
    added = [f for f in found if f.kind == "added"]
    assert any(f.kind == "code" for f in found) and added
    # alone, an added "2.3" is a plain slip; beside the code it came from, it is the code read differently
    assert "high" in {rate(f)[0] for f in added}
    assert {rate(f, found)[0] for f in added} == {"low"}


def test_numbers_in_words_are_medium_but_an_uneven_one_is_an_idiom(tmp_path: Path) -> None:
    replaced = _one(tmp_path, "She has three sisters", "ru", "У неё четыре сестры")
    assert (replaced.kind, replaced.confidence) == ("changed", "medium")
    idiom = tmx_findings(
        tmp_path,
        [
            {
                "en": "Programs talk with one another, one to one, and one more time.",
                "ru": "Программы общаются между двумя процессами.",
            }
        ],
    )
    assert idiom and {f.confidence for f in idiom} == {"low"}


def test_a_kind_with_numbers_on_both_sides_is_rated_like_a_change(tmp_path: Path) -> None:
    """Kinds the reader may add (a unit swapped: "5 km" -> "5 м") are rated on their numbers."""
    from dataclasses import replace

    changed = _one(tmp_path, "The price is 25 dollars", "ru", "Цена 52 доллара")
    assert rate(replace(changed, kind="unit"))[0] == "high"


def test_the_fingerprint_does_not_hold_the_confidence(tmp_path: Path) -> None:
    """Decisions made before findings had a confidence still apply: the key is texts, kind and numbers."""
    from dataclasses import replace

    finding = _one(tmp_path, "The price is 25 dollars", "ru", "Цена 52 доллара")
    unsure = replace(finding, confidence="low", confidence_why="")
    assert unsure.fingerprint == finding.fingerprint and len(finding.fingerprint) == 33


def test_a_translators_definition_of_a_unit_is_low(tmp_path: Path) -> None:
    # 1 BTU is 1055 J: the translation defines the unit the source only names
    source = "Energy: 'BTU' British Thermal Units (3 units)"
    finding = _one(tmp_path, source, "uk", "Енергія: 'BTU' Британська Теплова Одиниця, 1060 Дж (3 одиниці)")
    assert (finding.kind, finding.confidence) == ("added", "low")
    assert "definition" in finding.confidence_why
    finding = _one(tmp_path, source, "uk", "Енергія: 'BTU' Британська Теплова Одиниця, 2060 Дж (3 одиниці)")
    assert (finding.kind, finding.confidence) == ("added", "high")
