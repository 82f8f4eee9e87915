"""Benchmark of the number check on NTREX: false alarms on clean pairs and recall on injected errors.

NTREX is line-aligned (line i of every file is the same sentence), so line i of en.txt and of xx.txt form a
two-segment unit; no embedding model is needed.

    .venv/bin/python scripts/bench_numbers.py [--data ../shared/data/ntrex] [--seed 13] [--per-type 200]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

from num2words import num2words

from aligner import languages
from aligner.numbers import NumberConfig, check_units
from aligner.numbers.compare import comparable_numbers, pair_numbers
from aligner.numbers.digits import own_symbols
from aligner.numbers.words import lexicon
from aligner.types import NumberValue, Segment, Unit

TARGETS = ("ru", "uk", "ur", "ar")
ERROR_TYPES = ("digit_changed", "decimal_moved", "scale_swapped", "number_dropped", "word_replaced")


def unit_of(index: int, en: str, lang: str, text: str) -> Unit:
    return Unit(
        story_id="ntrex",
        index=index,
        segments={"en": Segment("en", "en", (index,), en), lang: Segment(lang, lang, (index,), text)},
        score=1.0,
    )


def problems(unit: Unit, config: NumberConfig) -> list:
    return [f for f in check_units([unit], config) if f.kind != "matched"]


def comparable(text: str, lang: str) -> list[NumberValue]:
    return comparable_numbers(text, lang, NumberConfig())[0]


# -- error injection: each returns the damaged text, or None when the sentence offers no place for it
def digit_changed(text: str, number: NumberValue, lang: str, rng: random.Random) -> str | None:
    if number.words:
        return None
    positions = [i for i in range(number.start, number.end) if text[i].isdigit()]
    position = rng.choice(positions)
    old = text[position]
    base = ord(old) - int(old)  # keep the digit script
    new = chr(base + rng.choice([d for d in range(10) if d != int(old)]))
    return text[:position] + new + text[position + 1 :]


def decimal_moved(text: str, number: NumberValue, lang: str, rng: random.Random) -> str | None:
    if number.words:
        return None
    digits = re.fullmatch(r"\d+", number.text)
    decimal = "," if languages.get(lang).decimal_comma else "."
    if digits and len(number.text) >= 2:  # 150 -> 15.0
        return text[: number.end - 1] + decimal + text[number.end - 1 :]
    match = re.fullmatch(r"(\d+)[.,](\d+)", number.text)
    if match:  # 2,85 -> 28,5
        whole, fraction = match.groups()
        if len(fraction) >= 2:
            moved = whole + fraction[0] + decimal + fraction[1:]
        else:
            moved = whole[:-1] + decimal + whole[-1] + fraction if len(whole) >= 2 else whole + fraction
        return text[: number.start] + moved + text[number.end :]
    return None


def scale_swapped(text: str, number: NumberValue, lang: str, rng: random.Random) -> str | None:
    if number.words:
        return None
    scales = lexicon(lang).scales
    tail = re.search(r"([^\W\d_]+)\.?$", number.text)
    if not tail:
        return None
    word = tail.group(1)
    value = scales.get(word.lower()) or scales.get(lexicon_key(word))
    if not value:
        return None
    profile = languages.get(lang)
    pool = [
        w
        for w, v in {**profile.scale_words, **_scale_nominatives(lang)}.items()
        if v != value and v in (1e3, 1e6, 1e9)
    ]
    if not pool:
        return None
    start = number.start + tail.start(1)
    return text[:start] + rng.choice(sorted(pool)) + text[number.start + tail.end(1) :]


def lexicon_key(word: str) -> str:
    from aligner.numbers.words import normalise_word

    return normalise_word(word)


def _scale_nominatives(lang: str) -> dict[str, float]:
    code = languages.get(lang).num2words_lang
    if not code:
        return {}
    return {num2words(int(v), lang=code).split()[-1]: v for v in (1e3, 1e6, 1e9)}


def number_dropped(text: str, number: NumberValue, lang: str, rng: random.Random) -> str | None:
    if number.words:
        return None
    return (text[: number.start] + text[number.end :]).replace("  ", " ")


def word_replaced(text: str, number: NumberValue, lang: str, rng: random.Random) -> str | None:
    if not number.words or number.kind == "ordinal":
        return None
    value = number.values[0]
    profile = languages.get(lang)
    if profile.num2words_lang:
        choices = [v for v in range(2, 13) if v != value]
        replacement = num2words(rng.choice(choices), lang=profile.num2words_lang)
    else:
        pool = sorted(w for w, v in profile.extra_number_words.items() if 2 <= v <= 12 and v != value)
        replacement = rng.choice(pool)
    return text[: number.start] + replacement + text[number.end :]


INJECT = {
    "digit_changed": digit_changed,
    "decimal_moved": decimal_moved,
    "scale_swapped": scale_swapped,
    "number_dropped": number_dropped,
    "word_replaced": word_replaced,
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ntrex"))
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--per-type", type=int, default=200, help="injected errors per language and type (at most)"
    )
    parser.add_argument("--alarms", type=Path, default=None, help="write the remaining false alarms here")
    parser.add_argument("--missed", type=Path, default=None, help="write the injected errors not caught here")
    args = parser.parse_args()
    config = NumberConfig()
    started = time.time()
    english = (args.data / "en.txt").read_text(encoding="utf-8").splitlines()
    print(
        f"NTREX at {args.data}: {len(english)} lines; decimal/group symbols from CLDR: "
        + ", ".join(f"{lang} {sorted(own_symbols(lang)[0])}" for lang in ("en", *TARGETS))
    )
    alarm_lines: list[str] = []
    missed_lines: list[str] = []
    rows = []
    recall_rows = []
    for lang in TARGETS:
        other = (args.data / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
        with_numbers = alarms = 0
        kinds: Counter[str] = Counter()
        clean: list[int] = []
        for index, (en, text) in enumerate(zip(english, other, strict=True)):
            unit = unit_of(index, en, lang, text)
            if not (comparable(en, "en") or comparable(text, lang)):
                continue
            with_numbers += 1
            found = problems(unit, config)
            if found:
                alarms += 1
                kinds.update(f.kind for f in found)
                alarm_lines.append(
                    f"- {lang} line {index + 1}: " + " | ".join(f"{f.kind}: {f.message}" for f in found)
                )
            else:
                clean.append(index)
        rows.append((lang, with_numbers, alarms, kinds))
        # Injection: only into numbers that matched an English counterpart in a pair with no finding.
        rng = random.Random(f"{args.seed}-{lang}")
        for error in ERROR_TYPES:
            caught = tried = 0
            order = clean[:]
            rng.shuffle(order)
            for index in order:
                if tried >= args.per_type:
                    break
                en, text = english[index], other[index]
                english_numbers, metric = comparable_numbers(en, "en", config)
                numbers = comparable(text, lang)
                matched = [b for _, b in pair_numbers(english_numbers, numbers, config, metric).matched]
                candidates = [
                    n for n in matched if INJECT[error](text, n, lang, random.Random(0)) is not None
                ]
                if not candidates:
                    continue
                damaged = INJECT[error](text, rng.choice(candidates), lang, rng)
                if damaged is None or damaged == text:
                    continue
                tried += 1
                found = bool(problems(unit_of(index, en, lang, damaged), config))
                caught += found
                if not found:
                    missed_lines.append(f"- {lang} {error} line {index + 1}: {damaged}")
            recall_rows.append((lang, error, tried, caught))
    elapsed = time.time() - started
    print("\n## False alarms on clean NTREX pairs (en with xx)\n")
    print("| pair | pairs with numbers | pairs with any finding other than matched | share | by kind |")
    print("|---|---:|---:|---:|---|")
    for lang, total, alarms, kinds in rows:
        share = 100 * alarms / total if total else 0
        print(f"| en-{lang} | {total} | {alarms} | {share:.1f}% | {dict(sorted(kinds.items()))} |")
    print("\n## Recall on injected errors (non-English side)\n")
    print("| lang | " + " | ".join(ERROR_TYPES) + " |")
    print("|---|" + "---:|" * len(ERROR_TYPES))
    for lang in TARGETS:
        cells = []
        for error in ERROR_TYPES:
            _, _, tried, caught = next(r for r in recall_rows if r[0] == lang and r[1] == error)
            cells.append(f"{100 * caught / tried:.1f}% ({caught}/{tried})" if tried else "n/a (0)")
        print(f"| {lang} | " + " | ".join(cells) + " |")
    print(f"\n{elapsed:.0f} s")
    if args.alarms:
        args.alarms.write_text("\n".join(alarm_lines) + "\n", encoding="utf-8")
        print(f"false alarms listed in {args.alarms}")
    if args.missed:
        args.missed.write_text("\n".join(missed_lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
