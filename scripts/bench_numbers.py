"""Benchmark of the number check on NTREX: false alarms on clean pairs and recall on injected errors.

NTREX is line-aligned (line i of every file is the same sentence), so line i of en.txt and of xx.txt form a
two-segment unit; no embedding model is needed. Findings of the kind "code" (a code such as F-16 altered or
missing) count as flags like the number kinds; the table also gives the false alarms of the number kinds
alone. The injected "code_changed" errors change a digit inside a code both sides share; "unit_swapped" puts
another unit of the same kind after a number ("5 км" -> "5 м", "долларов" -> "евро"); the other injected
kinds change numbers only, and a finding of any kind catches them.

    .venv/bin/python scripts/bench_numbers.py [--data ../shared/data/ntrex] [--seed 13] [--per-type 200]
    .venv/bin/python scripts/bench_numbers.py --pile     # also the whole pipeline on NTREX as 615 articles
    .venv/bin/python scripts/bench_numbers.py --files    # also the same pairs through TMX, XLIFF and PO files

``--pile`` writes every NTREX document in every language as one article and runs ``aligner run`` on the
pile (stories, alignment, number check; it needs the model). Every translation is then compared with every
other, not only with English. A finding is explained when one of its two sentences is a known slip below.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench_files import Case, files_part
from harness import NTREX_DIR, TEXTBERG_DIR, ntrex_lines
from num2words import num2words

from aligner import languages
from aligner.numbers import NumberConfig, check_units
from aligner.numbers.codes import pair_codes
from aligner.numbers.digits import own_symbols
from aligner.numbers.pairing import pair_numbers
from aligner.numbers.unit_convert import dimension as unit_dimension
from aligner.numbers.unit_words import unit_words
from aligner.numbers.units import comparable_numbers
from aligner.numbers.words import lexicon, normalise_word
from aligner.types import NumberValue, Segment, Unit

TARGETS = ("ru", "uk", "ur", "ar")
# NTREX lines whose numbers really differ between en and the translation, checked by reading both sentences
# (1-based line numbers). A finding there is the tool doing its job, so the benchmark reports the false-alarm
# share with and without them. Everything else it still flags is counted as a false alarm.
REAL_SLIPS = {
    "ru": {
        202: "385 miles given as 360 km (should be about 620 km)",
        303: "the headline drops the 1-0 score",
        369: "385 miles given as 360 km",
        373: "3 to 6 inches given as 7-10 cm (6 inches is 15 cm)",
        401: "800 kph (497 mph) given as 497 km/h",
        537: "the translation adds '7 or 8th place', not in the source",
        826: "a stray 0 typed into a word",
        1699: "6 ft 6 in given as 1 m 82 cm (it is 1.98 m)",
    },
    "uk": {
        221: "a 20 °F difference given as 7 °C (about 11 °C)",
        224: "10 °F above average given as 12 °C (about 5.6 °C)",
        703: "won by 40 percentage points became 'got 40% of the votes'",
        1169: "four points down became three",
    },
    "ur": {
        56: "'for 48 hours' is left out",
        71: "three years ago became thirty years ago",
        403: "'24 centers' is left out",
        499: "the clause with 66 percent is left out",
        868: "a stray 0 typed into a word",
        1186: "the clause with 2018, 5-3 and 10-6 is left out",
        1243: "38 gardens became 37",
    },
    "ar": {
        82: "£1.5 million became 1.5 pounds",
        542: "220 2/3 innings lost the 2/3",
        391: "five weeks became five days",
        546: "five weeks became five days",
        655: "30,000 pupils became 300 thousand",
        703: "won by 40 percentage points became 'by more than 40 percent'",
        979: "2.25 billion people became 25.2 billion",
        1699: "6 ft 6 in given as 6.6 feet",
        1887: "1,127 defections became 1197",
        1986: "'these 12 guys' lost the 12",
    },
}
ERROR_TYPES = (
    "digit_changed",
    "decimal_moved",
    "scale_swapped",
    "number_dropped",
    "word_replaced",
    "code_changed",
    "unit_swapped",
)


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
    return comparable_numbers(text, lang, NumberConfig()).numbers


def codes(text: str, lang: str) -> list[NumberValue]:
    return comparable_numbers(text, lang, NumberConfig()).codes


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


def code_changed(text: str, number: NumberValue, lang: str, rng: random.Random) -> str | None:
    """A digit changed inside a code (F-16 -> F-15, COVID-19 -> COVID-18): a "modified alphanumeric"."""
    return digit_changed(text, number, lang, rng) if number.kind == "code" else None


def unit_swapped(text: str, number: NumberValue, lang: str, rng: random.Random) -> str | None:
    """The unit word after a number replaced by another unit of its kind that says another amount (5 км ->
    5 м, 10 минут -> 10 часов, 140 долларов -> 140 евро)."""
    if not number.unit or number.unit in ("percent", "percentage_point"):
        return None
    # a word with its Arabic diacritics (عامًا), the whole of it
    after = re.match(r"[\s\u00a0]*((?:[^\W\d_]|[\u064b-\u065f\u0670])+)", text[number.end :])
    if not after or unit_words(lang).get(normalise_word(after.group(1))) != number.unit:
        return None
    pool = sorted(
        word
        for word, unit in unit_words(lang).items()
        if unit and word.isalpha() and len(word) > 1 and unit != number.unit and _swappable(number.unit, unit)
    )
    if not pool:
        return None
    start = number.end + after.start(1)
    return text[:start] + rng.choice(pool) + text[number.end + after.end(1) :]


def _swappable(unit: str, other: str) -> bool:
    """Another unit of the same kind: another currency, another length, another duration."""
    if unit.startswith("currency:") or other.startswith("currency:"):
        return unit.startswith("currency:") and other.startswith("currency:") and "?" not in other
    return other not in ("percent", "percentage_point") and unit_dimension(unit) == unit_dimension(other)


INJECT = {
    "digit_changed": digit_changed,
    "decimal_moved": decimal_moved,
    "scale_swapped": scale_swapped,
    "number_dropped": number_dropped,
    "word_replaced": word_replaced,
    "code_changed": code_changed,
    "unit_swapped": unit_swapped,
}


def heldout_false_alarms(folder: Path, config: NumberConfig) -> tuple[int, int, Counter, list[str]]:
    """Beads with numbers, flagged beads, finding kinds and one line per flagged bead, on Text+Berg de-fr."""
    total = flagged = 0
    kinds: Counter[str] = Counter()
    lines: list[str] = []
    for gold in sorted((folder / "gold").iterdir()):
        german = (folder / "de" / gold.name).read_text(encoding="utf-8").splitlines()
        french = (folder / "fr" / gold.name).read_text(encoding="utf-8").splitlines()
        for number, bead in enumerate(gold.read_text(encoding="utf-8").splitlines()):
            source, target = (json.loads(side) for side in bead.split(":"))
            if not source or not target:
                continue
            de = " ".join(german[i].strip() for i in source)
            fr = " ".join(french[i].strip() for i in target)
            if not (comparable(de, "de") or comparable(fr, "fr")):
                continue
            total += 1
            unit = Unit(
                gold.name,
                number,
                {"de": Segment("de", "de", tuple(source), de), "fr": Segment("fr", "fr", tuple(target), fr)},
                1.0,
            )
            found = problems(unit, config)
            if found:
                flagged += 1
                kinds.update(f.kind for f in found)
                lines.append(f"- textberg {gold.name} bead {number}: " + " | ".join(f.message for f in found))
    return total, flagged, kinds, lines


def write_pile(data: Path, folder: Path) -> list[int]:
    """Every NTREX document in every language as ``NNN_lang.txt``; returns each document's first line."""
    ids, every = ntrex_lines(data, ("en", *TARGETS))
    starts = [k for k in range(len(ids)) if k == 0 or ids[k] != ids[k - 1]]
    for lang in ("en", *TARGETS):
        lines = every[lang]
        for number, (start, end) in enumerate(zip(starts, [*starts[1:], len(ids)], strict=True)):
            (folder / f"{number:03d}_{lang}.txt").write_text(
                "\n".join(lines[start:end]) + "\n", encoding="utf-8"
            )
    return starts


def pile_part(data: Path, model: Path | None, alarm_lines: list[str]) -> None:
    """The number findings of ``aligner run`` on the NTREX pile, explained by REAL_SLIPS or not."""
    from aligner.embedding.cache import EmbeddingCache, default_cache_dir
    from aligner.embedding.embedder import Embedder
    from aligner.embedding.encoder import load_encoder
    from aligner.pipeline import RunOptions, process

    embedder = Embedder(load_encoder(model), EmbeddingCache(default_cache_dir() / "embeddings.sqlite"))
    with tempfile.TemporaryDirectory() as folder:
        starts = write_pile(data, Path(folder))
        result = process([Path(folder)], embedder, RunOptions())
    documents = {d.doc_id: d for d in result.documents}
    units = {(u.story_id, u.index): u for u in result.units}

    def slip(doc_id: str, unit) -> bool:
        number, lang = doc_id.split("_")
        lines = {
            starts[int(number)] + documents[doc_id].paragraph_of[i] + 1
            for i in unit.segments[doc_id].sentences
        }
        return any(line in REAL_SLIPS.get(lang, {}) for line in lines)

    found = [f for f in result.findings if f.kind != "matched"]
    is_explained = [any(slip(d, units[(f.story_id, f.unit)]) for d in f.docs) for f in found]
    explained = [f for f, known in zip(found, is_explained, strict=True) if known]
    others = [f for f, known in zip(found, is_explained, strict=True) if not known]
    sizes = Counter(len(s.docs) for s in result.stories)
    print("\n## The whole pipeline on NTREX as a pile of articles (every translation against every other)\n")
    stories = f"{len(result.stories)} stories (documents per story: {dict(sizes)})"
    print(f"{len(result.documents)} documents, {stories},")
    print(f"{len(result.units)} aligned units, {len(result.findings) - len(found)} matched numbers;")
    print(f"{len(found)} other findings in {len({(f.story_id, f.unit) for f in found})} units:")
    print(f"{len(explained)} involve a sentence of REAL_SLIPS, {len(others)} do not")
    other_units = len({(f.story_id, f.unit) for f in others})
    print(f"({other_units} units), by kind {dict(Counter(f.kind for f in others))}")
    pairs = Counter("-".join(sorted(d.split("_")[1] for d in f.docs)) for f in others)
    print("not explained, by language pair: " + ", ".join(f"{k} {v}" for k, v in sorted(pairs.items())))
    alarm_lines.append("\n## Pile: findings no known slip explains")
    alarm_lines.extend(f"- {f.story_id} unit {f.unit}: {f.message}" for f in others)


def check_cpu(data: Path) -> float:
    """CPU seconds per 10,000 units of ``check_units`` on every clean en-xx line pair: on a shared machine the
    wall clock measures the load as much as the check."""
    english = (data / "en.txt").read_text(encoding="utf-8").splitlines()
    units = [
        unit_of(index, en, lang, text)
        for lang in TARGETS
        for index, (en, text) in enumerate(
            zip(english, (data / f"{lang}.txt").read_text(encoding="utf-8").splitlines(), strict=True)
        )
    ]
    check_units(units[:200])  # the lexicons and the unit tables are built once, before the clock
    started = time.process_time()
    check_units(units)
    return 10000 * (time.process_time() - started) / len(units)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=NTREX_DIR)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--per-type", type=int, default=200, help="injected errors per language and type (at most)"
    )
    parser.add_argument("--alarms", type=Path, default=None, help="write the remaining false alarms here")
    parser.add_argument("--missed", type=Path, default=None, help="write the injected errors not caught here")
    parser.add_argument(
        "--pile", action="store_true", help="also run the whole pipeline on NTREX (needs the model)"
    )
    parser.add_argument(
        "--model", type=Path, default=None, help="local model directory (default: the rebuilt one)"
    )
    parser.add_argument(
        "--files",
        action="store_true",
        help="also write every pair into TMX, XLIFF 1.2, XLIFF 2.0 and PO files and check them from there",
    )
    parser.add_argument(
        "--heldout",
        type=Path,
        default=TEXTBERG_DIR,
        help="Text+Berg de-fr gold beads: flagged share for languages without a profile (skipped if absent)",
    )
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
    cases: dict[str, list[Case]] = {}  # every pair checked, for --files
    for lang in TARGETS:
        other = (args.data / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
        with_numbers = alarms = slips = number_alarms = 0
        kinds: Counter[str] = Counter()
        clean: list[int] = []
        for index, (en, text) in enumerate(zip(english, other, strict=True)):
            unit = unit_of(index, en, lang, text)
            if not (comparable(en, "en") or comparable(text, lang) or codes(en, "en") or codes(text, lang)):
                continue
            with_numbers += 1
            found = problems(unit, config)
            cases.setdefault(lang, []).append(Case(f"{lang}-{index + 1}", en, text, "clean", bool(found)))
            if found:
                alarms += 1
                # flagged by a number kind, codes aside (a real slip is not a false alarm either way)
                number_alarms += (
                    any(f.kind != "code" for f in found) and REAL_SLIPS[lang].get(index + 1) is None
                )
                kinds.update(f.kind for f in found)
                slip = REAL_SLIPS[lang].get(index + 1)
                slips += slip is not None
                alarm_lines.append(
                    f"- {lang} line {index + 1} [{'real slip: ' + slip if slip else 'false alarm'}]: "
                    + " | ".join(f"{f.kind}: {f.message}" for f in found)
                )
            else:
                clean.append(index)
        rows.append((lang, with_numbers, alarms, kinds, slips, number_alarms))
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
                english_side = comparable_numbers(en, "en", config)
                side = comparable_numbers(text, lang, config)
                if error == "code_changed":  # codes with the same digits on both sides
                    matched = [
                        b for _, b in pair_codes(english_side.codes, side.codes, [], [], config).matched
                    ]
                else:
                    pairing = pair_numbers(
                        english_side.numbers, side.numbers, config, english_side.metric, english_side.twins
                    )
                    # a unit is swapped only where the English names one: "Saipov, 30," names none
                    matched = [b for a, b in pairing.matched if error != "unit_swapped" or a.unit]
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
                cases[lang].append(Case(f"{lang}-{error}-{index + 1}", en, damaged, error, found))
                caught += found
                if not found:
                    missed_lines.append(f"- {lang} {error} line {index + 1}: {damaged}")
            recall_rows.append((lang, error, tried, caught))
    heldout = heldout_false_alarms(args.heldout, config) if args.heldout.is_dir() else None
    if heldout:
        alarm_lines.extend(heldout[3])
    elapsed = time.time() - started
    print("\n## False alarms on clean NTREX pairs (en with xx)\n")
    print(
        "| pair | pairs with numbers or codes | flagged (any finding but matched) | share "
        "| of them real slips | false alarms | false-alarm share | of them by number kinds (codes aside) "
        "| by kind |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for lang, total, alarms, kinds, slips, number_alarms in rows:
        share = 100 * alarms / total if total else 0
        false_share = 100 * (alarms - slips) / total if total else 0
        counts = f"| en-{lang} | {total} | {alarms} | {share:.1f}% | {slips} | {alarms - slips} "
        number_share = 100 * number_alarms / total if total else 0
        print(
            counts
            + f"| {false_share:.1f}% | {number_alarms} ({number_share:.1f}%) "
            + f"| {dict(sorted(kinds.items()))} |"
        )
    print("\n## Recall on injected errors (non-English side)\n")
    print("| lang | " + " | ".join(ERROR_TYPES) + " |")
    print("|---|" + "---:|" * len(ERROR_TYPES))
    for lang in TARGETS:
        cells = []
        for error in ERROR_TYPES:
            _, _, tried, caught = next(r for r in recall_rows if r[0] == lang and r[1] == error)
            cells.append(f"{100 * caught / tried:.1f}% ({caught}/{tried})" if tried else "n/a (0)")
        print(f"| {lang} | " + " | ".join(cells) + " |")
    if heldout:
        total, flagged, kinds, _ = heldout
        print(
            "\n## Text+Berg de-fr gold beads (languages without a profile: CLDR symbols and num2words only)\n"
        )
        print("| beads with numbers | flagged (any finding but matched) | share | by kind |")
        print("|---:|---:|---:|---|")
        print(f"| {total} | {flagged} | {100 * flagged / total:.1f}% | {dict(sorted(kinds.items()))} |")
    print(f"\n{elapsed:.0f} s")
    cpu = check_cpu(args.data)
    print(
        f"check_units on the {len(english)} clean en-xx pairs of each language: "
        f"{cpu:.1f} CPU s per 10,000 units"
    )
    if args.files:
        files_part(cases, args.seed)
    if args.pile:
        pile_part(args.data, args.model, alarm_lines)
    if args.alarms:
        args.alarms.write_text("\n".join(alarm_lines) + "\n", encoding="utf-8")
        print(f"false alarms listed in {args.alarms}")
    if args.missed:
        args.missed.write_text("\n".join(missed_lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
