"""Arabic."""

from aligner.languages.base import KEPT_MARKS, LanguageProfile

PROFILE = LanguageProfile(
    code="ar",
    name="Arabic",
    rtl=True,
    babel_locale="ar",
    # ؟ (U+061F) Arabic question mark; ۔ is rare in Arabic but harmless.
    sentence_enders=".!?؟…۔",
    # the Arabic-script question mark and semicolon (؟ ؛) stand for ? and ;
    kept_marks={**KEPT_MARKS, "question": "?؟", "semicolon": ";؛"},
    abbreviations=frozenset(),
    list_connectors=("و", "أو"),
    num2words_lang="ar",
    decimal_comma=False,  # Arabic writes either; the reader keeps both readings, CLDR's point first
    # accusative forms after 11..99 (عشرون ألفاً), which num2words writes only in longer numbers
    scale_words={"ألفاً": 1e3, "مليوناً": 1e6, "ملياراً": 1e9, "بليون": 1e9, "بلايين": 1e9, "ترليون": 1e12},
    percent_words=("بالمئة", "بالمائة", "في المئة", "في المائة", "بالمية"),
    range_words=(("من", "إلى"), ("من", "الى"), ("من", "حتى"), ("بين", "و")),
    # num2words writes the nominative only; oblique (-ين) and the common مئة spelling by hand
    extra_number_words={
        "مرتين": 2.0,  # "twice": the dual of مرة
        "مرتان": 2.0,
        # the dual of a counted noun says "two" without a number word: "خلال يومين", "فاز بهدفين"
        **dict.fromkeys(
            """يومين يومان شهرين شهران سنتين سنتان عامين عامان أسبوعين أسبوعان ساعتين ساعتان دقيقتين
            دقيقتان هدفين هدفان نقطتين نقطتان شخصين شخصان""".split(),
            2.0,
        ),
        "اثنين": 2.0,
        "اثنتين": 2.0,
        "عشرين": 20.0,
        "ثلاثين": 30.0,
        "أربعين": 40.0,
        "خمسين": 50.0,
        "ستين": 60.0,
        "سبعين": 70.0,
        "ثمانين": 80.0,
        "تسعين": 90.0,
        "مئة": 100.0,
        "مائتين": 200.0,
        "مئتين": 200.0,
        "مائتان": 200.0,
        "ثلاثمئة": 300.0,
        "أربعمئة": 400.0,
        "خمسمئة": 500.0,
        "ستمئة": 600.0,
        "سبعمئة": 700.0,
        "ثمانمئة": 800.0,
        "تسعمئة": 900.0,
        "ألفين": 2000.0,
        "مليونين": 2e6,
        "مليارين": 2e9,
        "ثماني": 8.0,
        "مئتان": 200.0,
        "ألفان": 2000.0,
        "مليونان": 2e6,
        "ملياران": 2e9,
        "مليوني": 2e6,
        "واحدًا": 1.0,
        "ألفي": 2000.0,
        "مليارى": 2e9,
        # decades: الثمانينيات "the eighties" (the reader also gives 1980s the value 80)
        "عشرينيات": 20.0,
        "ثلاثينيات": 30.0,
        "أربعينيات": 40.0,
        "خمسينيات": 50.0,
        "ستينيات": 60.0,
        "سبعينيات": 70.0,
        "ثمانينيات": 80.0,
        "تسعينيات": 90.0,
        # the parts of 11..19 and the feminine units num2words does not write out on their own
        "أحد": 1.0,
        "إحدى": 1.0,
        "اثنا": 2.0,
        "اثنتا": 2.0,
        "اثنتان": 2.0,
        "عشر": 10.0,
        "ثلاث": 3.0,
        "أربع": 4.0,
        "خمس": 5.0,
        "ست": 6.0,
        "سبع": 7.0,
        "ثمان": 8.0,
        "تسع": 9.0,
    },
    extra_ordinal_words={"أول": 1.0, "أولى": 1.0, "ثان": 2.0, "حادي": 1.0, "حادية": 1.0},
    ordinal_inflections=(("", ("ة",)),),
    number_connectors=("و",),
    ordinal_prefixes=("ال",),
    units_before_tens=True,
    attached_prefixes=("و", "ب", "ل", "ف", "ال", "وال", "بال", "لل", "فال", "وب", "ول", "وبال"),
    day_part_words={"صباحا": "am", "فجرا": "am", "ظهرا": "pm", "عصرا": "pm", "مساء": "pm", "ليلا": "pm"},
    # US news keeps its units in translation ("قدمين", "40 ميلا"); another translation may convert them
    unit_conversions={
        **dict.fromkeys(("بوصة", "بوصات", "إنش", "إنشات"), (2.54, 0.0)),
        **dict.fromkeys(("قدم", "قدما", "أقدام"), (0.3048, 0.0)),
        **dict.fromkeys(("ياردة", "ياردات"), (0.9144, 0.0)),
        **dict.fromkeys(("ميل", "ميلا", "أميال"), (1.609344, 0.0)),
        **dict.fromkeys(("رطل", "رطلا", "أرطال"), (0.4536, 0.0)),
        **dict.fromkeys(("أوقية", "أونصة"), (28.35, 0.0)),
        **dict.fromkeys(("جالون", "غالون", "جالونات", "غالونات"), (3.785, 0.0)),
        # plain degrees kept from US news are Fahrenheit often enough to accept a Celsius translation
        **dict.fromkeys(("درجة", "درجات", "فهرنهايت"), (5 / 9, -32 * 5 / 9)),
    },
    half_suffix_phrases=("ونصف", "و نصف"),
)
