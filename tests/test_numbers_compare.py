"""Comparing the numbers of aligned translations: every finding kind, messages, marks and odd one out."""

from __future__ import annotations

from number_helpers import unit

from aligner.numbers import NumberConfig, check_units


def kinds(findings) -> list[str]:
    return [f.kind for f in findings]


def problems(findings):
    return [f for f in findings if f.kind != "matched"]


def test_clean_pair_gives_only_matched_findings():
    # seeds/000 (ru) and seeds/001 (ur): poverty rate 2.8% at the end of 2023, 1.59% less than 2022
    findings = check_units(
        [
            unit(
                ru=(
                    "К концу 2023 года уровень бедности в округе составит "
                    "2,8%, что на 1,59% меньше, чем в 2022 году"
                ),
                ur=(
                    "2023 کے آخر تک پورے ضلع میں غربت کی شرح 2.8 فیصد ہو جائے گی "
                    "جو 2022 کے مقابلے میں 1.59 فیصد کم ہو گی"
                ),
            )
        ]
    )
    assert kinds(findings) == ["matched"] * 4
    assert all(f.severity == "info" for f in findings)
    assert findings[0].values == {"ru": ["2023"], "ur": ["2023"]}


def test_changed_value_is_an_error_with_both_texts_marked():
    findings = problems(
        check_units(
            [
                unit(
                    en="Rosa will bring up to 15 inches of rain in parts of Mexico on Monday.",
                    ru="В понедельник Роза принесет до 16 дюймов дождя в некоторые районы Мексики.",
                )
            ]
        )
    )
    assert kinds(findings) == ["changed"]
    finding = findings[0]
    assert finding.severity == "error"
    assert finding.docs == ("en", "ru")
    assert finding.values == {"en": ["15"], "ru": ["16"]}
    assert "15" in finding.message and "16" in finding.message
    assert finding.marked["en"] == "Rosa will bring up to [[15]] inches of rain in parts of Mexico on Monday."
    assert finding.marked["ru"].startswith("В понедельник Роза принесет до [[16]] дюймов")


def test_moved_decimal_and_swapped_scale_are_explained():
    moved = problems(check_units([unit(en="a 2.8 percent rise", uk="зростання на 28 відсотків")]))
    assert kinds(moved) == ["changed"] and "decimal point" in moved[0].message
    scale = problems(check_units([unit(en="it cost $2.8 million", ar="كلف 2.8 مليار دولار")]))
    assert kinds(scale) == ["changed"] and "scale word" in scale[0].message


def test_missing_and_added_name_the_side():
    findings = problems(
        check_units(
            [
                unit(
                    en="More than 1,000 people were killed in 2018.",
                    ru="В 2018 году погибли люди.",
                )
            ]
        )
    )
    assert kinds(findings) == ["missing"]
    assert findings[0].values == {"en": ["1,000"], "ru": []}
    added = problems(
        check_units([unit(en="People were killed in 2018.", ru="В 2018 году погибли 1000 человек.")])
    )
    assert kinds(added) == ["added"] and added[0].values == {"en": [], "ru": ["1000"]}


def test_same_digits_read_differently_is_ambiguous():
    # seeds/000 (ru) "3,881 млрд" and seeds/001 (ur) "3,881 بلین": 3.881 vs 3881 billion
    findings = problems(
        check_units(
            [
                unit(
                    ru="весь район мобилизовал в общей сложности более 3,881 млрд донгов",
                    ur="پروگرام کو نافذ کرنے کے لیے 3,881 بلین VND سے زیادہ کا کل سرمایہ جمع کیا",
                )
            ]
        )
    )
    assert kinds(findings) == ["ambiguous"]
    assert findings[0].severity == "warning"
    assert "3,881" in findings[0].message


def test_words_on_one_side_match_digits_on_the_other():
    # NTREX 361: "only "ten tropical cyclones ... within 200 miles of Phoenix since 1950"
    findings = check_units(
        [
            unit(
                en=(
                    'only "ten tropical cyclones have maintained tropical '
                    "storm status within 200 miles since 1950!"
                ),
                ru=(
                    "всего «10 тропических циклонов сохраняли статус "
                    "тропического шторма в пределах 322 км с 1950 года"
                ),
            )
        ]
    )
    assert kinds(findings) == ["matched"] * 3  # ten = 10; 200 miles = 322 km; 1950


def test_a_number_inside_a_compound_word_matches_digits():
    # seeds/000 (ru) and seeds/001 (ur): "трёхзвёздочному стандарту" is the "3-star" standard
    findings = check_units(
        [
            unit(
                ru="Во всём округе 33 продукта соответствуют трёхзвёздочному стандарту OCOP.",
                ur="پورے ضلع میں 33 پروڈکٹس ہیں جو 3-اسٹار OCOP معیار پر پورا اترتے ہیں۔",
            ),
            unit(
                uk="Трикімнатна квартира в п'ятиповерховому будинку.",
                en="A three-room flat in a 5-storey house.",
            ),
        ]
    )
    assert kinds(findings) == ["matched"] * 4
    # a compound a translation may word without a number (двусторонние: bilateral) is never missing
    assert (
        problems(check_units([unit(ru="Двусторонние отношения улучшились.", en="Bilateral ties improved.")]))
        == []
    )
    # but it does not hide a figure the translation changed
    changed = problems(check_units([unit(ru="Пятиэтажный дом.", en="A 9-storey house.")]))
    assert [f.message for f in changed] == ["'9' (9, quantity) in en has no counterpart in ru."]


def test_spelled_out_year_counts_as_matched():
    findings = check_units(
        [unit(en="It opened in 2023.", ru="Он открылся в две тысячи двадцать третьем году.")]
    )
    assert kinds(findings) == ["matched"]


def test_codes_are_not_compared_as_numbers():
    # a changed code is a finding of its own kind ("code"), never a number finding (issue 19)
    findings = check_units(
        [unit(en="Resolution 04-NQ/TU on 3D printing", ru="Резолюция 05-NQ/TU о 4D-печати")]
    )
    assert kinds(findings) == ["code", "code"]
    assert [f.values["ru"] for f in findings] == [["05-NQ/TU"], ["4D-печати"]]


def test_odd_one_out_with_three_translations():
    findings = problems(
        check_units(
            [
                unit(
                    en="Provincial budget of 79,800 billion VND in 2023",
                    ar="بميزانية إجمالية مُخصَّصة قدرها 79,800 مليار دونج في عام 2023",
                    ru="бюджет провинции 97 800 млрд донгов в 2023 году",
                )
            ]
        )
    )
    assert {f.odd_one_out for f in findings} == {"ru"}
    assert all("odd one out" in f.message for f in findings)
    assert sorted(f.docs for f in findings) == [("ar", "ru"), ("en", "ru")]


def test_units_with_fewer_than_two_segments_are_skipped_and_order_is_stable():
    single = unit(en="In 2023 there were 5 cases.")
    pair = unit(en="In 2023 there were 5 cases and 7 deaths.", uk="У 2023 році було 5 випадків і 8 смертей.")
    first = check_units([single, pair])
    assert first == check_units([single, pair])
    assert [f.docs for f in first] == [("en", "uk")] * 3
    assert kinds(first) == ["matched", "matched", "changed"]


def test_config_can_hide_matched_findings():
    findings = check_units([unit(en="In 2023.", ru="В 2023 году.")], NumberConfig(report_matched=False))
    assert findings == []


def test_converted_units_and_glossed_amounts_match():
    # NTREX 207: "1 to 4 inches of rain" / "от 2,5 до 10 см"
    assert (
        problems(check_units([unit(en="Locally, 1 to 4 inches of rain", ru="Осадки от 2,5 до 10 см")])) == []
    )
    # NTREX 277: the English gives miles and kilometres, the Russian kilometres only
    findings = check_units(
        [
            unit(
                en="the volcano that sits 45 miles (72 kilometers) southeast",
                ru="вулкан в 72 км к юго-востоку",
            )
        ]
    )
    assert kinds(findings) == ["matched"]


def test_a_moved_decimal_is_not_mistaken_for_a_conversion():
    findings = problems(check_units([unit(en="up to 10 inches of rain", ru="до 2,5 см осадков")]))
    assert kinds(findings) == ["changed"]


def test_clock_times_in_twelve_and_twenty_four_hours_match():
    # NTREX 143: "at 3 p.m. on Wednesday" / "в среду в 15:00"
    assert problems(check_units([unit(en="at 3 p.m. on Wednesday", ru="в среду в 15:00")])) == []


def test_clock_times_with_a_part_of_the_day_match_the_twenty_four_hour_clock():
    # NTREX 696 (shortened; the Ukrainian reworded), a rally "at 7 p.m.", each translation its own way
    rally = unit(
        ar="من المقرر أن يحدث التجمع في الساعة 7 مساءً.",
        ru="Встреча состоится в 19:00 по восточному времени.",
        uk="Мітинг запланований на 7 годину вечора за східним часом.",
        ur="ریلی مشرقی وقت کے مطابق شام 7 بجے ہو گی۔",
    )
    assert problems(check_units([rally])) == []
    # without the part of the day, 7 and 19 differ
    assert kinds(problems(check_units([unit(ar="في الساعة 7.", ru="в 19:00.")]))) == ["changed"]
    # "3 дня" is three days, not 3 p.m.: "дня" means the afternoon only after an hour word
    assert kinds(problems(check_units([unit(ru="за 3 дня", en="in 15 days")]))) == ["changed"]
    assert problems(check_units([unit(ru="в 3 часа дня", en="at 15:00")])) == []


def test_imperial_units_kept_in_one_translation_match_metric_in_another():
    # NTREX 649 (shortened; the Arabic is made up): a hat with a two-foot brim
    brim = unit(
        ru="соломенной шляпы с полями шириной в два фута",
        uk="солом'яному капелюху з полями шириною шістдесят сантиметрів",
        ur="تنکوں سے بنے ہیٹ جن کے سرے دو فٹ چوڑے تھے",
        ar="قبعة من القش بحافة عرضها 60 سم",
    )
    assert problems(check_units([brim])) == []
    far = unit(ru="в 40 милях от берега", ar="على بعد 90 كم من الساحل")
    assert kinds(problems(check_units([far]))) == ["changed"]  # 40 miles are 64 km, not 90


def test_twice_and_thrice_are_numbers():
    # NTREX 741 (shortened): "three-time major winner" / "Тричі головний переможець"
    won = unit(
        ar="الفائز الرئيس ثلاث مرات، نقاط المقارنة المرجعية بنقطتين",
        uk="Тричі головний переможець задали стандарт своїми двома очками.",
    )
    assert problems(check_units([won])) == []
    assert (
        kinds(check_units([unit(en="He won twice.", ru="Он победил дважды.", ar="فاز مرتين.")]))
        == ["matched"] * 3
    )


def test_a_range_of_years_typed_short_year_first_in_right_to_left_text():
    # NTREX 752 (shortened): "the 1950-53 Korean War"; the Urdu has the digits in the order 53-1950
    war = unit(ar="الحرب الكورية التي استمرت من 1950 وحتى 1953", ur="53-1950 کی کوریائی جنگ کا باضابطہ خاتمہ")
    assert problems(check_units([war])) == []


def test_two_translations_that_converted_one_amount_differently_agree():
    # NTREX 207: "1 to 4 inches of rain"; the Russian rounds to 2,5-10 cm, the Ukrainian to 2,54-10,2 cm
    rain = unit(
        en="Locally, 1 to 4 inches of rain will cause dangerous flash flooding.",
        ru="Осадки от 2,5 до 10 см вызовут опасные ливневые паводки.",
        uk="У цій місцевості від 2,54 до 10,2 см дощу спричинять небезпечні зливові повені.",
        ur="مقامی طور پر، 1 سے 4 انچ بارش خطرناک سیلابی ریلے کا باعث بنے گی۔",
    )
    assert problems(check_units([rain])) == []
    # without a third translation that has the inches, 2,5 and 2,54 are two different figures
    assert (
        kinds(problems(check_units([unit(ru="от 2,5 до 10 см", uk="від 2,54 до 10,2 см")])))
        == ["changed"] * 2
    )


def test_vague_scale_words_are_not_changes():
    # NTREX 109: "Millions of people" / "لاکھوں افراد" (hundreds of thousands), a manner of speaking
    assert (
        problems(check_units([unit(uk="Мільйони людей були б вбиті.", ur="لاکھوں افراد لقمہ اجل بن جاتے۔")]))
        == []
    )
    # but a spelled-out count still may change
    assert kinds(problems(check_units([unit(en="three people", ru="один человек")]))) == ["changed"]


def test_a_clock_word_reads_both_halves_of_the_day():
    # NTREX 498: "by 1 p.m." / "к 13:00" / "1 بجے تک" (1 o'clock)
    assert (
        problems(
            check_units([unit(ru="к 13:00 сообщений не поступало", ur="1 بجے تک کوئی اطلاعات نہیں تھیں۔")])
        )
        == []
    )
    assert problems(check_units([unit(en="at 5 o'clock", uk="о 17:00")])) == []


def test_plain_degrees_kept_from_us_news_match_celsius():
    # NTREX 1497: "a sunny 80 degrees" kept as 80 in Arabic and Urdu, 27 °C in Russian
    heat = unit(
        ar="كانت درجة الحرارة 80 درجة خارج منزله",
        ru="на северном берегу было 27 градусов тепла",
        ur="ان کے گھر کے باہر 80 ڈگری تک موسم گرم تھا",
    )
    assert problems(check_units([heat])) == []


def test_a_decade_matches_however_each_language_writes_it():
    # NTREX 33 (shortened): "moved out in the 1930s"
    thirties = unit(
        ru="покинули приход в 30-е годы прошлого века",
        ur="جماعت 1930 کی دہائی میں نقل مکانی کر گئی تھی۔",
        ar="غادر الجمهور في ثلاثينيات القرن العشرين.",
        uk="виїхала звідси в 1930-х роках",
    )
    assert [f.kind for f in problems(check_units([thirties]))] == []


def test_an_arabic_dual_says_two():
    # "within two days" / "خلال يومين": the dual of يوم, no number word
    assert kinds(
        check_units([unit(en="The results are due within 2 days.", ar="ستصدر النتائج خلال يومين.")])
    ) == ["matched"]


def test_fahrenheit_in_english_matches_celsius_in_translation():
    # NTREX 224: "could reach 80 degrees on Tuesday" / "может подняться до 27 градусов"
    findings = check_units(
        [unit(en="New York City could reach 80 degrees on Tuesday", ru="до 27 градусов во вторник")]
    )
    assert kinds(findings) == ["matched"]


def test_decades_match_their_short_form():
    # NTREX 33: "moved out in the 1930s" / "в 30-е годы прошлого века"
    findings = check_units(
        [unit(en="moved out in the 1930s.", ru="покинули приход в 30-е годы прошлого века.")]
    )
    assert kinds(findings) == ["matched"]


def test_a_changed_century_is_not_hidden_by_the_short_decade():
    findings = problems(
        check_units([unit(en="moved out in the 1930s.", uk="виїхала звідси в 9930-х роках.")])
    )
    assert kinds(findings) == ["changed"]
