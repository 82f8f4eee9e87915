"""The number check on hand-written en-xx pairs of the reader classes of issue 19 (Roman numerals, ordinal
ranges, 24-hour time ranges, Urdu percent words, the º sign, codes) and issue 25 (units and conversions,
currencies, scale words, codes across scripts, idioms, intervals, lists, key=value): clean pairs flagged and
slips caught. The pairs are written here, not taken from held-out data; the same shapes are in the tests.

    .venv/bin/python scripts/bench_number_classes.py
    PYTHONPATH=<older checkout> .venv/bin/python scripts/bench_number_classes.py   # the same pairs, before
"""

from __future__ import annotations

from aligner.numbers import check_units
from aligner.types import Segment, Unit

CLEAN = {
    "roman": [
        ("in the 21st century", "uk", "у XXI столітті"),
        ("the 16th–19th centuries", "ru", "XVI–XIX веков"),
        ("in the 20th century", "ru", "в ХХ в."),
        ("late 19th and early 20th century", "ru", "в конце XIX — начале XX века"),
        ("in the 21st century", "ru", "в XXI-м веке"),
    ],
    "ordinal range": [
        ("the 16th–19th centuries", "uk", "16-19-го сторіч"),
        ("the 1st-3rd places", "ru", "1-3-е места"),
        ("16th-19th century art", "ru", "искусство 16–19 веков"),
    ],
    "time range": [
        ("from 1 to 2 pm", "ru", "с 13:00 до 14:00"),
        ("from 1 to 2 p.m.", "uk", "з 13.00 до 14.00"),
        ("1-2pm on Sunday", "ru", "в воскресенье 13:00-14:00"),
        ("between 10 and 11 am", "ru", "между 10:00 и 11:00"),
        ("from 1 to 2 in the afternoon", "ru", "с 13:00 до 14:00"),
    ],
    "urdu percent words": [
        ("80 percent", "ur", "اسی فیصد"),
        ("70 percent", "ur", "ستر فیصد"),
        ("71 percent", "ur", "اکھتر فیصد"),
        ("25 percent", "ur", "پچیس فیصد"),
        ("1 percent", "ur", "ایک فیصد"),
    ],
    "halves (and a half, ساڑھے, с половиной)": [
        ("Inflation rose 3.5 percent", "ur", "مہنگائی ساڑھے تین فیصد بڑھی"),
        ("about 2.5 million people", "ru", "около двух с половиной миллионов человек"),
        ("two and a half million people", "ru", "2,5 млн человек"),
        ("3.5 percent", "uk", "три з половиною відсотка"),
        ("3.5 percent", "ar", "ثلاثة ونصف بالمئة"),
    ],
    "degree sign º": [("at 100°C", "ru", "при 100ºC"), ("50 degrees Fahrenheit", "uk", "10ºC")],
    "codes, same digits": [
        ("F-16 jets", "ur", "ایف 16 طیارے"),
        ("an Su-35", "uk", "Су–35"),
        ("COVID-19 killed 5", "ur", "کووڈ 19 سے 5 ہلاک"),
        ("the G7 leaders", "ru", "лидеры «Большой семёрки»"),
        ("their SS19 collection", "uk", "колекції весна-літо 2019"),
        ("Airbus A320", "ru", "Airbus А320"),
        ("vitamin B12", "ar", "فيتامين B12"),
    ],
    "units and conversions kept": [
        ("a 12 km walk", "ru", "прогулка на 12 километров"),
        ("It weighs 2 kg", "uk", "Він важить 2000 г"),
        ("winds of 60 mph", "ru", "ветер 97 км/ч"),
        ("it was 77 °F", "ar", "كانت 25 درجة مئوية"),
        ("after 45 minutes", "ur", "45 منٹ بعد"),
        ("a 2-hour delay", "ar", "تأخير لمدة ساعتين"),
        ("for 120 seconds", "ru", "в течение 2 минут"),
        ("$20 billion", "uk", "20 млрд доларів"),
        ("€15", "ar", "15 يورو"),
        ("up 3 percentage points", "uk", "на 3 відсоткових пункти"),
    ],
    "codes across scripts, idioms, intervals, lists, key=value": [
        ("Type f1j1 d1k1", "ar", "اكتب ف1ج1 د1ك1"),
        ("Roll 3D6", "uk", "Киньте 3к6"),
        ("Roll d8", "ru", "Бросьте к8"),
        ("We use 3rd party services", "uk", "Ми використовуємо сторонні сервіси"),
        ("on the interval [0,1]", "uk", "на відрізку [0;1]"),
        ("Values: 3 7 14 250 100", "ru", "Значения: 3 7 14 250 100"),
        ("count=42", "ru", "количество=42"),
    ],
}
ERRORS = {
    "halves, changed": [
        ("Inflation rose 3.5 percent", "ur", "مہنگائی ساڑھے چار فیصد بڑھی"),
        ("about 2.5 million people", "ru", "около трёх с половиной миллионов человек"),
        ("two and a half million people", "ru", "3,5 млн человек"),
    ],
    "codes, changed": [
        ("Two F-16 jets", "ru", "Два F-15"),
        ("Airbus A320", "uk", "Airbus A321"),
        ("vitamin B12", "uk", "вітамін B6"),
        ("the G20 summit", "ru", "саммит G7"),
        ("H1N1 virus", "ar", "فيروس H1N2"),
        ("COVID-19 cases", "ar", "كوفيد-18"),
        ("in 3D", "ru", "в 4D"),
        ("F-16 jets", "ur", "ایف 15 طیارے"),
    ],
    "unit or scale swapped, wrong conversion": [
        ("a 12 km walk", "ru", "прогулка на 12 метров"),
        ("It weighs 2 kg", "uk", "Він важить 2 г"),
        ("after 45 minutes", "ur", "45 گھنٹے بعد"),
        ("for 6 weeks", "ar", "لمدة 6 أشهر"),
        ("$20 billion", "uk", "20 млрд євро"),
        ("€15", "ar", "15 دولارا"),
        ("up 3 percentage points", "uk", "на 3%"),
        ("it was 77 °F", "ru", "было 30 °C"),
        ("10 trillion", "ru", "10 миллиардов"),
        ("7 billion", "ar", "7 مليون"),
    ],
    "codes across scripts, key=value, intervals, changed": [
        ("Roll 3D6", "uk", "Киньте 3к8"),
        ("count=42", "ru", "количество=24"),
        ("on the interval [0,1]", "uk", "на відрізку [0;2]"),
    ],
}


def flagged(en: str, lang: str, other: str) -> bool:
    u = Unit("s", 0, {"en": Segment("en", "en", (0,), en), lang: Segment(lang, lang, (0,), other)}, 1.0)
    return bool([f for f in check_units([u]) if f.kind != "matched"])


def main() -> None:
    print("| pairs | class | result |\n|---|---|---|")
    for name, pairs in CLEAN.items():
        print(f"| clean | {name} | {sum(flagged(*p) for p in pairs)}/{len(pairs)} flagged |")
    for name, pairs in ERRORS.items():
        print(f"| with an error | {name} | {sum(flagged(*p) for p in pairs)}/{len(pairs)} caught |")


if __name__ == "__main__":
    main()
