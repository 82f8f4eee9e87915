"""``aligner check`` on real CAT files: precision and recall against hand labels, then injected slips.

    python scripts/bench_catfiles.py [--data ../shared/data/catfiles] [--labels FILE] [--unlabelled FILE]

1. Every file of the folder (SOURCES.md there says where each comes from) is read in place and checked with
   the defaults. Each finding is looked up in the labels file (file, segment, kind, number -> true slip,
   false alarm or unclear, with a reason): precision of the findings reported at the default confidence,
   recall of the labelled true slips, and every finding without a label, listed.
2. Slips are injected into temporary copies of the PO and CSV files (digits changed, transposed or dropped,
   a decimal point moved, a unit or a scale word swapped, a wrong conversion), and controls that keep the
   value (Eastern Arabic digits, other grouping, number words, a correct conversion): recall of the slips
   and false alarms on the controls, at the default confidence.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from aligner.bilingual.check import FileFinding, check_file
from aligner.bilingual.confidence import DEFAULT_CUT, at_least
from aligner.bilingual.languages import resolve_languages
from aligner.bilingual.read import read_raw
from aligner.bilingual.segments import DEFAULT_SKIP, keep_checked

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "catfiles"
DEFAULT_LABELS = ROOT / "scripts" / "data" / "catfile_labels.tsv"
SUFFIXES = (".po", ".xlf", ".sdlxliff", ".tmx", ".csv")
TARGETS = ("ru", "uk", "ar", "ur")  # the labelled languages; the other files are controls
LABELS = ("true", "false", "unclear")


def finding_key(finding: FileFinding) -> tuple[str, str, str, str]:
    """What a label is keyed on: the file's name, the segment, the kind, and the numbers of both sides."""
    first, second = finding.docs
    number = "|".join(finding.values.get(first, [])) + " / " + "|".join(finding.values.get(second, []))
    segment = " ".join(finding.segment.split())[:80]  # a msgid's first words: no tabs or line breaks
    return Path(finding.file).name, segment, finding.kind, " ".join(number.split())


def target_language(path: Path) -> str:
    match = re.search(r"[_-](ru|uk|ar|ur)(?:[-_.]|$)", path.stem + ".")
    return match.group(1) if match else "control"


def check(path: Path) -> list[FileFinding]:
    bilingual = resolve_languages(keep_checked(read_raw(path), DEFAULT_SKIP))
    return [f for f in check_file(bilingual) if f.kind != "matched"]


def load_labels(path: Path) -> dict[tuple[str, str, str, str], tuple[str, str]]:
    labels = {}
    if not path.exists():
        return labels
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            key = (row["file"], row["segment"], row["kind"], row["number"])
            if row["label"] not in LABELS:
                sys.exit(f"{path}: label {row['label']!r} for {key} is not one of {', '.join(LABELS)}")
            labels[key] = (row["label"], row["reason"])
    return labels


def real_files(data: Path, labels_path: Path, write_unlabelled: Path | None) -> None:
    labels = load_labels(labels_path)
    counts: Counter = Counter()
    unlabelled: list[FileFinding] = []
    true_keys = {k for k, (label, _) in labels.items() if label == "true"}
    reported_true: set = set()
    group_of: dict[str, str] = {}
    per_group: Counter = Counter()
    for path in sorted(p for p in data.iterdir() if p.suffix in SUFFIXES):
        group = "labelled" if target_language(path) in TARGETS else "control"
        group_of[path.name] = group
        for finding in check(path):
            key = finding_key(finding)
            shown = at_least(finding.confidence, DEFAULT_CUT)
            per_group[(group, "all")] += 1
            per_group[(group, "reported")] += shown
            label = labels.get(key, (None, ""))[0]
            if label is None:
                unlabelled.append(finding)
            if shown:
                counts[(group, label or "unlabelled")] += 1
                if label in ("false", "unclear"):
                    why = f"{finding.confidence}: {finding.confidence_why}"
                    print(f"reported {label}: {' · '.join(key)} [{why}]")
                if label == "true":
                    reported_true.add(key)
    for group in ("labelled", "control"):
        true, false = counts[(group, "true")], counts[(group, "false")]
        unclear, none = counts[(group, "unclear")], counts[(group, "unlabelled")]
        print(
            f"{group} files: {per_group[(group, 'all')]} findings, {per_group[(group, 'reported')]} reported "
            f"at --min-confidence {DEFAULT_CUT}: {true} true, {false} false, {unclear} unclear, "
            f"{none} unlabelled"
        )
        if true + false:
            strict = true / (true + false + unclear + none) if true + false + unclear + none else 0.0
            loose = true / (true + false)
            print(f"  precision {loose:.3f} (unclear left out); {strict:.3f} (the rest as false)")
    for group in ("labelled", "control"):  # controls: languages without a profile, low by design
        mine = {key for key in true_keys if group_of.get(key[0]) == group}
        if mine:
            hit = len(reported_true & mine)
            print(f"recall of labelled true slips, {group} files: {hit}/{len(mine)} = {hit / len(mine):.3f}")
        if group == "labelled":
            for key in sorted(mine - reported_true):
                print(f"  not reported: {' · '.join(key)}")
    print(f"unlabelled findings: {len(unlabelled)}")
    for finding in unlabelled[:20]:
        print(f"  {' · '.join(finding_key(finding))} [{finding.confidence}]")
    if write_unlabelled and unlabelled:
        with write_unlabelled.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
            for finding in unlabelled:
                first, second = finding.docs
                writer.writerow(
                    [
                        *finding_key(finding),
                        finding.confidence,
                        finding.texts.get(first, "")[:300],
                        finding.texts.get(second, "")[:300],
                    ]
                )


# --- 2. injected slips and controls ---

UNIT_SWAPS = {
    "ru": [("км", "м"), ("минут", "часов"), ("кг", "г")],
    "uk": [("км", "м"), ("хвилин", "годин"), ("кг", "г")],
    "ar": [("كم", "م"), ("دقائق", "ساعات"), ("كغ", "غ")],
    "ur": [("کلومیٹر", "میٹر"), ("منٹ", "گھنٹے"), ("کلوگرام", "گرام")],
}
SCALE_SWAPS = {
    "ru": ("миллиона", "миллиарда"),
    "uk": ("мільйона", "мільярда"),
    "ar": ("مليون", "مليار"),
    "ur": ("ملین", "ارب"),
}
WORDS = {  # small numbers in words, for the controls
    "ru": {2: "два", 3: "три", 5: "пять"},
    "uk": {2: "два", 3: "три", 5: "п'ять"},
    "ar": {3: "ثلاثة", 5: "خمسة", 10: "عشرة"},
    "ur": {2: "دو", 3: "تین", 5: "پانچ"},
}
EASTERN = {"ar": "٠١٢٣٤٥٦٧٨٩", "ur": "۰۱۲۳۴۵۶۷۸۹"}
# a number standing as a word: not inside a path, a tag, a placeholder or a code
_NUMBER = re.compile(r"(?<![\w.,/\-:@{<%$#*+=\[])\d+(?:[.,]\d+)?(?![\w/\-:}>*+=\]]|[.,]\d)")


@dataclass(frozen=True)
class Case:
    lang: str
    source: str
    target: str
    category: str  # the slip's kind, or "control: …"


def _clean_pairs(data: Path) -> dict[str, list[tuple[str, str]]]:
    """Per target language, PO and CSV pairs with digits on both sides that give no finding at all."""
    pairs: dict[str, list[tuple[str, str]]] = {lang: [] for lang in TARGETS}
    for path in sorted(p for p in data.iterdir() if p.suffix in (".po", ".csv")):
        lang = target_language(path)
        if lang not in TARGETS:
            continue
        bilingual = resolve_languages(keep_checked(read_raw(path), DEFAULT_SKIP))
        flagged = {f.segment for f in check_file(bilingual) if f.kind != "matched"}
        source_tag, target_tag = bilingual.languages[0], bilingual.languages[-1]
        for unit in bilingual.units:
            if unit.segment in flagged or target_tag not in unit.texts or source_tag not in unit.texts:
                continue
            source, target = unit.texts[source_tag].shown, unit.texts[target_tag].shown
            first = _NUMBER.search(target)
            if first is None or len(target) >= 300 or "\n" in target or "`" in target:
                continue
            number = first.group()  # a number the slip can change: once on each side, nowhere else
            once = _NUMBER.findall(target).count(number) == 1 and _NUMBER.findall(source).count(number) == 1
            if once and target.count(number) == 1 and source.count(number) == 1:
                pairs[lang].append((source, target))
    return pairs


def _replace_number(text: str, change) -> str | None:
    match = next((m for m in _NUMBER.finditer(text) if change(m.group()) not in (None, m.group())), None)
    if match is None:
        return None
    return text[: match.start()] + change(match.group()) + text[match.end() :]


def _changed(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 3) % 10)


def _transposed(number: str) -> str | None:
    digits = number.replace(",", "").replace(".", "")
    if len(digits) < 2 or digits[-1] == digits[-2] or not number[-2:].isdigit():
        return None
    return number[:-2] + number[-1] + number[-2]


def _decimal_moved(number: str) -> str | None:
    if "." in number or "," in number:
        whole, _, part = number.replace(",", ".").partition(".")
        return whole + part[:1] + "." + part[1:] if len(part) > 1 else whole + part
    return number[:-1] + "." + number[-1] if len(number) >= 2 and number[-1] != "0" else None


def injected(pairs: dict[str, list[tuple[str, str]]], rng: random.Random) -> list[Case]:
    cases = []
    for lang, found in pairs.items():
        sample = rng.sample(found, min(len(found), 12))
        for source, target in sample:
            for category, change in (
                ("digit changed", _changed),
                ("digits transposed", _transposed),
                ("decimal point moved", _decimal_moved),
            ):
                slipped = _replace_number(target, change)
                if slipped:
                    cases.append(Case(lang, source, slipped, category))
            # "1 час" without its 1 is "час", still one hour: dropping a 1 keeps the value, not a slip
            dropped = _replace_number(target, lambda n: "" if n != "1" else None)
            if dropped and len(_NUMBER.findall(dropped)) < len(_NUMBER.findall(target)):
                cases.append(Case(lang, source, dropped, "number dropped"))
        for source, target in sample[:4]:  # a clause with a unit, a scale word and a conversion
            for en_unit, (_, other) in zip(("km", "minutes", "kg"), UNIT_SWAPS[lang], strict=True):
                cases.append(Case(lang, f"{source} (7 {en_unit})", f"{target} (7 {other})", "unit swapped"))
            scale, wrong = SCALE_SWAPS[lang]
            cases.append(Case(lang, f"{source} (3 million)", f"{target} (3 {wrong})", "scale swapped"))
            cases.append(Case(lang, f"{source} (100 °F)", f"{target} (45 °C)", "wrong conversion"))
    return cases


def controls(pairs: dict[str, list[tuple[str, str]]], rng: random.Random) -> list[Case]:
    cases = []
    for lang, found in pairs.items():
        sample = rng.sample(found, min(len(found), 10))
        for source, target in sample:
            if lang in EASTERN:
                table = str.maketrans("0123456789", EASTERN[lang])
                eastern = _NUMBER.sub(lambda m, table=table: m.group().translate(table), target)
                cases.append(Case(lang, source, eastern, "control: Eastern Arabic digits"))
        for source, target in sample[:3]:
            cases.append(
                Case(lang, f"{source} (10,000 people)", f"{target} (10 000)", "control: other grouping")
            )
            for value, word in WORDS[lang].items():
                cases.append(
                    Case(lang, f"{source} ({value} times)", f"{target} ({word})", "control: number words")
                )
                break
            cases.append(
                Case(lang, f"{source} (100 °F)", f"{target} (37.8 °C)", "control: correct conversion")
            )
    return cases


def flagged_cases(cases: list[Case], workdir: Path) -> list[bool]:
    """Whether each case's unit is reported at the default confidence, written as one PO per language."""
    from translate.storage import po

    out: dict[int, bool] = {}
    for lang in TARGETS:
        mine = [(k, c) for k, c in enumerate(cases) if c.lang == lang]
        if not mine:
            continue
        store = po.pofile()
        store.updateheader(add=True, Language=lang, X_Source_Language="en")
        for k, case in mine:
            unit = store.addsourceunit(case.source)
            unit.target = case.target
            unit.setcontext(f"case{k}")
        path = workdir / f"injected-{lang}.po"
        path.write_bytes(bytes(store))
        reported = {f.segment.split(" | ")[0] for f in check(path) if at_least(f.confidence, DEFAULT_CUT)}
        out.update({k: f"case{k}" in reported for k, _ in mine})
    return [out[k] for k in range(len(cases))]


def injection(data: Path, seed: int) -> None:
    rng = random.Random(seed)
    pairs = _clean_pairs(data)
    slips, keeps = injected(pairs, rng), controls(pairs, rng)
    with tempfile.TemporaryDirectory() as tmp:
        caught = flagged_cases(slips, Path(tmp))
        alarms = flagged_cases(keeps, Path(tmp))
    print(f"injected slips: {sum(caught)}/{len(slips)} caught = {sum(caught) / max(len(slips), 1):.3f}")
    for case, hit in zip(slips, caught, strict=True):
        if not hit:
            print(f"  missed ({case.category}, {case.lang}): {case.source[:70]!r} -> {case.target[:70]!r}")
    for category in sorted({c.category for c in slips}):
        mine = [hit for case, hit in zip(slips, caught, strict=True) if case.category == category]
        print(f"  {category}: {sum(mine)}/{len(mine)}")
    print(f"controls: {sum(alarms)} false alarm(s) in {len(keeps)}")
    for category in sorted({c.category for c in keeps}):
        mine = [hit for case, hit in zip(keeps, alarms, strict=True) if case.category == category]
        print(f"  {category}: {sum(mine)}/{len(mine)} flagged")
    for case, hit in zip(keeps, alarms, strict=True):
        if hit:
            print(
                f"  false alarm ({case.category}, {case.lang}): {case.source[:80]!r} -> {case.target[:80]!r}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--unlabelled", type=Path, default=None, help="write unlabelled findings here (TSV)")
    parser.add_argument("--seed", type=int, default=25)
    args = parser.parse_args()
    if not args.data.is_dir():
        sys.exit(f"{args.data}: no such folder (the real CAT files; see --data)")
    real_files(args.data, args.labels, args.unlabelled)
    injection(args.data, args.seed)


if __name__ == "__main__":
    main()
