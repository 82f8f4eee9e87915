"""Arabic."""

from aligner.languages.base import LanguageProfile

PROFILE = LanguageProfile(
    code="ar",
    name="Arabic",
    rtl=True,
    babel_locale="ar",
    # ؟ (U+061F) Arabic question mark; ۔ is rare in Arabic but harmless.
    sentence_enders=".!?؟…۔",
    abbreviations=frozenset(),
    num2words_lang="ar",
    decimal_comma=False,  # Arabic writes either; the reader keeps both readings, CLDR's point first
    # accusative forms after 11..99 (عشرون ألفاً), which num2words writes only in longer numbers
    scale_words={"ألفاً": 1e3, "مليوناً": 1e6, "ملياراً": 1e9, "بليون": 1e9, "بلايين": 1e9, "ترليون": 1e12},
    percent_words=("بالمئة", "بالمائة", "في المئة", "في المائة", "بالمية"),
    range_words=(("من", "إلى"), ("من", "الى"), ("من", "حتى"), ("بين", "و")),
    # num2words writes the nominative only; oblique (-ين) and the common مئة spelling by hand
    extra_number_words={
        "اثنين": 2.0, "اثنتين": 2.0, "عشرين": 20.0, "ثلاثين": 30.0, "أربعين": 40.0, "خمسين": 50.0,
        "ستين": 60.0, "سبعين": 70.0, "ثمانين": 80.0, "تسعين": 90.0, "مئة": 100.0, "مائتين": 200.0,
        "مئتين": 200.0, "مائتان": 200.0, "ثلاثمئة": 300.0, "أربعمئة": 400.0, "خمسمئة": 500.0,
        "ستمئة": 600.0, "سبعمئة": 700.0, "ثمانمئة": 800.0, "تسعمئة": 900.0, "ألفين": 2000.0,
        "مليونين": 2e6, "مليارين": 2e9, "ثماني": 8.0, "مئتان": 200.0, "ألفان": 2000.0, "مليونان": 2e6,
        "ملياران": 2e9, "مليوني": 2e6, "ألفي": 2000.0, "مليارى": 2e9,
        # the parts of 11..19 and the feminine units num2words does not write out on their own
        "أحد": 1.0, "إحدى": 1.0, "اثنا": 2.0, "اثنتا": 2.0, "اثنتان": 2.0, "عشر": 10.0, "ثلاث": 3.0,
        "أربع": 4.0, "خمس": 5.0, "ست": 6.0, "سبع": 7.0, "ثمان": 8.0, "تسع": 9.0,
    },
    extra_ordinal_words={"أول": 1.0, "أولى": 1.0, "ثان": 2.0},
    ordinal_inflections=(("", ("ة",)),),
    number_connectors=("و",),
    ordinal_prefixes=("ال",),
    units_before_tens=True,
    attached_prefixes=("و", "ب", "ل", "ف", "ال", "وال", "بال", "لل", "فال", "وب", "ول", "وبال"),
)
