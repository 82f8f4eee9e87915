"""Spelled-out numbers: word tables generated from num2words, plus what each language file adds by hand.

The tables are built lazily per language and cached; ``parse_words`` turns a run of words into a value.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from num2words import CONVERTER_CLASSES, num2words

from aligner import languages

_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640\u200c\u200d\u200e\u200f\u061c]")
# Fold spelling variants that do not change a number word: Arabic alef and yeh forms, Urdu/Arabic letter
# shapes, Russian ё, the several apostrophes Ukrainian uses.
_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ک": "ك",
        "ہ": "ه",
        "ۃ": "ة",
        "ё": "е",
        "’": "'",
        "ʼ": "'",
        "`": "'",
    }
)
_ATOMS = (*range(20), *range(20, 100, 10), *range(100, 1000, 100))
_SCALES = (1e3, 1e6, 1e9, 1e12)
_MULTIPLYING_ORDINALS = (100.0, 1000.0, 1e6)


def normalise_word(word: str) -> str:
    """Lower-case, without Arabic diacritics and tatweel, with letter variants folded."""
    return _MARKS.sub("", word.lower()).translate(_FOLD)


@dataclass(frozen=True)
class Lexicon:
    """Number words of one language, keys normalised with ``normalise_word``."""

    cardinals: dict[str, float]  # additive words: units, teens, tens, hundreds, Arabic duals
    hundred_words: frozenset[str]  # "hundred", "сто", "سو": multiply what comes before them
    scales: dict[str, float]  # thousand, млн, لاکھ ...: multiply, and may follow digits
    bare_scales: frozenset[str]  # scale forms that mean "one thousand" on their own (тысяча, ألف)
    ordinals: dict[str, float]
    connectors: frozenset[str]
    articles: frozenset[str]
    prefixes: tuple[str, ...]  # longest first
    homographs: frozenset[str]
    units_before_tens: bool
    ordinal_prefixes: tuple[str, ...] = ()
    compound_prefixes: tuple[tuple[str, float], ...] = ()  # longest first
    compound_stems: tuple[str, ...] = ()

    def compound(self, word: str) -> float | None:
        """The number a compound word begins with (трехзвездочный: 3), or None."""
        for prefix, value in self.compound_prefixes:
            if word.startswith(prefix) and word[len(prefix) :].lstrip("ъ'").startswith(self.compound_stems):
                return value
        return None

    def lookup(self, word: str, after_number: bool = False) -> tuple[str, float] | None:
        """(role, value) of a normalised word, trying attached prefixes; role is card|hundred|scale|ordinal.

        After a number, a word that is both (Arabic الفا: dual "two thousand" or "thousand") is a scale.
        """
        for prefix in ("", *(p for p in self.prefixes if word.startswith(p))):
            candidate = word[len(prefix) :]
            if len(candidate) < 2 and prefix:
                continue
            if prefix and any(mark in prefix for mark in self.ordinal_prefixes):
                value = self.cardinals.get(candidate) or self.ordinals.get(candidate)
                if value:
                    return "ordinal", value
            if after_number and candidate in self.scales:
                return "scale", self.scales[candidate]
            if candidate in self.hundred_words:
                return "hundred", 100.0
            if candidate in self.cardinals:
                return "card", self.cardinals[candidate]
            if candidate in self.scales:
                return "scale", self.scales[candidate]
            if candidate in self.ordinals:
                return "ordinal", self.ordinals[candidate]
        for prefix, value in self.compound_prefixes:  # двухтысячный: 2000th, in one word
            ordinal = self.ordinals.get(word[len(prefix) :]) if word.startswith(prefix) else None
            if ordinal in _MULTIPLYING_ORDINALS:
                return "ordinal", value * ordinal
        return None


def _tokens(text: str) -> list[str]:
    return [normalise_word(t) for t in re.split(r"[\s\-]+", text) if t]


def _render(value: float, lang: str, to: str, kwargs: tuple[tuple[str, object], ...]) -> list[str]:
    try:
        return _tokens(num2words(int(value), lang=lang, to=to, **dict(kwargs)))
    except (NotImplementedError, TypeError, ValueError, KeyError, IndexError):
        return []


@functools.cache
def lexicon(lang: str) -> Lexicon:
    """The number words of ``lang``: num2words renderings of every atom in every form, plus hand extras."""
    profile = languages.get(lang)
    cardinals: dict[str, float] = {}
    hundreds: set[str] = set()
    scales: dict[str, float] = {}
    singular_scales: set[str] = set()
    plural_scales: set[str] = set()
    ordinals: dict[str, float] = {}
    # a language without a profile still gets num2words' words when num2words knows it (de, fr, ...)
    code = profile.num2words_lang or (
        lang if lang in CONVERTER_CLASSES and lang not in languages.supported() else None
    )
    if code:
        for kwargs in profile.num2words_cardinal_forms:
            one = _render(1, code, "cardinal", kwargs)
            for value in _ATOMS:
                tokens = _render(value, code, "cardinal", kwargs)
                if len(tokens) == 1 and value == 100:
                    hundreds.add(tokens[0])
                elif len(tokens) == 1:
                    cardinals.setdefault(tokens[0], float(value))
                elif value == 100 and tokens[:-1] == one:
                    hundreds.add(tokens[-1])
            for scale in _SCALES:
                for times in (1, 2, 3, 5, 11, 20):
                    tokens = _render(times * scale, code, "cardinal", kwargs)
                    if len(tokens) > 1 or times == 1:
                        if tokens:
                            scales.setdefault(tokens[-1], scale)
                            if times in (1, 2, 3, 5):
                                (singular_scales if times == 1 else plural_scales).add(tokens[-1])
                    elif tokens:  # Arabic duals: ألفان is two thousand in one word
                        cardinals.setdefault(tokens[0], times * scale)
        for kwargs in profile.num2words_ordinal_forms:
            one = _render(1, code, "cardinal", kwargs)
            for value in (*_ATOMS[1:], 1000):
                tokens = _render(value, code, "ordinal", kwargs)
                if len(tokens) == 1 or (tokens and tokens[:-1] == one):
                    ordinals.setdefault(tokens[-1], float(value))
    for word, value in profile.extra_number_words.items():
        key = normalise_word(word)
        if value >= 1000 and float(value).is_integer() and str(int(value)).rstrip("0") == "1":
            scales.setdefault(key, value)
            singular_scales.add(key)
        elif value == 100:
            hundreds.add(key)
        else:
            cardinals.setdefault(key, value)
    for word, value in profile.scale_words.items():
        scales.setdefault(normalise_word(word), value)
    for word, value in profile.extra_ordinal_words.items():
        ordinals.setdefault(normalise_word(word), value)
    for nominative, endings in profile.ordinal_inflections:
        for word, value in list(ordinals.items()):
            if word.endswith(nominative):
                stem = word[: len(word) - len(nominative)]
                for ending in endings:
                    ordinals.setdefault(stem + normalise_word(ending), value)
    for word in hundreds:  # "сто" is also read where a cardinal is expected
        cardinals.pop(word, None)
    return Lexicon(
        cardinals=cardinals,
        hundred_words=frozenset(hundreds),
        scales=scales,
        bare_scales=frozenset(singular_scales | plural_scales),  # "тысячи людей" reads as a (soft) thousand
        ordinals=ordinals,
        connectors=frozenset(normalise_word(w) for w in profile.number_connectors),
        articles=frozenset(normalise_word(w) for w in profile.unit_articles),
        prefixes=tuple(sorted((normalise_word(p) for p in profile.attached_prefixes), key=len, reverse=True)),
        homographs=frozenset(normalise_word(w) for w in profile.homograph_number_words),
        units_before_tens=profile.units_before_tens,
        ordinal_prefixes=tuple(normalise_word(p) for p in profile.ordinal_prefixes),
        compound_prefixes=tuple(
            sorted(
                ((normalise_word(p), float(v)) for p, v in profile.compound_number_prefixes.items()),
                key=lambda item: len(item[0]),
                reverse=True,
            )
        ),
        compound_stems=tuple(normalise_word(stem) for stem in profile.compound_number_stems),
    )


def _rank(value: float) -> int:
    """Place of an additive word: 0 units, 1 teens, 2 tens, 3 hundreds, 4 thousands and up."""
    if value < 10:
        return 0
    if value < 20:
        return 1
    if value < 100:
        return 2
    if value < 1000:
        return 3
    return 4


@dataclass(frozen=True)
class WordNumber:
    first: int  # index of the first word used
    last: int  # index of the last word used (inclusive)
    value: float
    ordinal: bool


JOINED, COMMA = 1, 2  # how word i follows word i-1: by a space or hyphen, or by a comma (0: other text)


def parse_words(words: Sequence[str], start: int, lex: Lexicon, joined: Sequence[int]) -> WordNumber | None:
    """The longest spelled number starting at ``words[start]``, or None.

    ``words`` are normalised; ``joined[i]`` says how word i follows word i-1: JOINED, COMMA (allowed only
    after a scale word, as in "three thousand, five hundred") or 0 (other text ends a number).
    """
    total = 0.0
    group = 0.0
    last_scale = 0.0
    previous_rank = 99  # rank of the last additive word in the current group
    used = 0
    end = -1
    ordinal = False
    after_connector = False
    index = start
    while index < len(words):
        if index > start and not (
            joined[index] == JOINED or (joined[index] == COMMA and previous_rank == 99)
        ):
            break
        word = words[index]
        if used and word in lex.connectors and index + 1 < len(words):
            after_connector = True
            index += 1
            continue
        if not used and word in lex.articles:
            following = index + 1 < len(words) and joined[index + 1] == JOINED
            nxt = lex.lookup(words[index + 1]) if following else None
            if nxt and nxt[0] in ("scale", "hundred"):
                group, previous_rank, used, index = 1.0, 0, 1, index + 1
                continue
            return None
        found = lex.lookup(word, after_number=used > 0)
        if found is None:
            break
        role, value = found
        if used and any(word.startswith(c) and lex.lookup(word[len(c) :]) for c in lex.connectors):
            after_connector = True  # Arabic وعشرون: the connector written onto the word
        if (
            index > start
            and joined[index] == COMMA
            and (role not in ("card", "hundred") or previous_rank != 99)
        ):
            break
        if role == "scale":
            if used == 0 and word not in lex.bare_scales:
                break
            multiplier = group or 1.0
            if last_scale and value > last_scale:
                total = (total + multiplier) * value
            else:
                total += multiplier * value
            group, last_scale, previous_rank = 0.0, value, 99
        elif role == "hundred":
            if 0 < group < 100:
                group *= 100
            elif group == 0:
                group = 100.0
            else:
                break
            previous_rank = 3
        elif role == "ordinal" and value in _MULTIPLYING_ORDINALS and 0 < group < 1000:
            group *= value  # "one hundredth", "two thousandth"
            ordinal = True
        elif (
            value >= 1000 and role == "card"
        ):  # a dual written as one word (Arabic ألفان): a whole thousands group
            if used and previous_rank != 99:
                break
            total += value
            group, last_scale, previous_rank = 0.0, value / 2, 99
        else:
            rank = _rank(value)
            teen = lex.units_before_tens and previous_rank == 0 and value == 10
            reversed_tens = lex.units_before_tens and after_connector and previous_rank == 0 and rank == 2
            if used and not (rank < previous_rank or teen or reversed_tens):
                break
            if used and after_connector and not (reversed_tens or previous_rank >= 3):
                break
            group += value
            previous_rank = 2 if teen else rank
            if role == "ordinal":
                ordinal = True
        used += 1
        end = index
        after_connector = False
        index += 1
        if ordinal and not (lex.units_before_tens and group < 10):
            break  # Arabic goes on: التاسع عشر, الرابعة والثلاثين
    if not used or end < start:
        return None
    if used == 1 and words[end] in lex.homographs:
        return None
    return WordNumber(first=start, last=end, value=total + group, ordinal=ordinal)
