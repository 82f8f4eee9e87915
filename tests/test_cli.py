"""The command line: one-line errors, exit codes, and the end-to-end run on the seeds with the real model."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def aligner(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "aligner.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=900,
    )


def test_help_lists_every_command():
    result = aligner("--help")
    assert result.returncode == 0
    for command in ["run", "align", "stories", "check", "eval", "export", "fetch-model"]:
        assert command in result.stdout


def test_existing_output_is_refused_in_one_line(tmp_path):
    (tmp_path / "out").mkdir()
    result = aligner("run", str(SEEDS), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"aligner: error: {tmp_path / 'out'}: output folder exists; use --force to replace it"
    )


def test_bad_lang_override_is_a_usage_error(tmp_path):
    result = aligner("run", str(SEEDS), "--out", str(tmp_path / "o"), "--lang", "nonsense")
    assert result.returncode == 2
    assert "expected ID=xx" in result.stderr and "Traceback" not in result.stderr


def test_missing_model_directory_is_one_line(tmp_path):
    result = aligner("run", str(SEEDS), "--out", str(tmp_path / "o"), "--model", str(tmp_path / "nope"))
    assert result.returncode == 1
    assert result.stderr.strip().endswith("no such model directory")
    assert len(result.stderr.strip().splitlines()) == 1


def test_eval_of_a_bad_file_names_it(tmp_path):
    pred = tmp_path / "pred"
    pred.write_text("[0]:[0]\nnot a bead\n")
    gold = tmp_path / "gold"
    gold.write_text("[0]:[0]\n")
    result = aligner("eval", str(pred), str(gold))
    assert result.returncode == 1
    assert str(pred) in result.stderr and "Traceback" not in result.stderr


@pytest.mark.model
def test_run_on_the_seeds_end_to_end(tmp_path):
    """The five seed articles: ru+ur are one story, ar+en another, uk is alone."""
    out = tmp_path / "out"
    result = aligner("run", str(SEEDS), "--out", str(out))
    assert result.returncode == 0, result.stderr
    stories = json.loads((out / "stories.json").read_text())
    groups = sorted(sorted(story["languages"]) for story in stories)
    assert groups == [["ar", "en"], ["ru", "ur"], ["uk"]]
    units = [json.loads(line) for line in (out / "alignments.jsonl").read_text().splitlines()]
    both = [u for u in units if len(u["segments"]) == 2]
    assert len(both) >= 20
    numbers = [json.loads(line) for line in (out / "numbers.jsonl").read_text().splitlines()]
    assert any(n["kind"] == "matched" for n in numbers)
    assert (out / "pairs" / "ru-ur.tsv").is_file() and (out / "pairs" / "ar-en.tsv").is_file()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["model"]["name"] == "google/embeddinggemma-300m"
    assert len(manifest["model"]["weights_sha256"]) == 64
    assert "s1" in result.stdout  # the report names the stories


GERMAN = [
    "Der Zug fuhr um acht Uhr in Bern ab.",
    "Am Nachmittag erreichten wir die Hütte unter dem Gipfel.",
    "Das Wetter blieb den ganzen Tag schön und warm.",
    "Am nächsten Morgen stiegen wir über den Nordgrat zum Gipfel.",
]
FRENCH = [
    "Le train quitta Berne à huit heures.",
    "L'après-midi, nous avons atteint la cabane sous le sommet.",
    "Le temps resta beau et chaud toute la journée.",
    "Le lendemain matin, nous sommes montés au sommet par l'arête nord.",
]


@pytest.mark.model
def test_languages_without_a_profile_are_aligned(tmp_path):
    """German and French have no profile: `align` takes them as detected, `run` if --languages names them."""
    (tmp_path / "in").mkdir()
    src, tgt = tmp_path / "in" / "de.txt", tmp_path / "in" / "fr.txt"
    src.write_text("\n".join(GERMAN) + "\n")
    tgt.write_text("\n".join(FRENCH) + "\n")
    result = aligner("align", str(src), str(tgt), "--presplit", "--format", "vecalign")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[0]:[0]\n[1]:[1]\n[2]:[2]\n[3]:[3]\n"
    assert "no language profile for de, fr" in result.stderr
    joined = tmp_path / "joined.txt"  # two sentences on its first line
    joined.write_text(" ".join(GERMAN[:2]) + "\n" + "\n".join(GERMAN[2:]) + "\n")
    result = aligner("align", str(joined), str(tgt), "--format", "vecalign")
    assert result.stdout == "[0]:[0]\n[1]:[1]\n[2]:[2]\n[3]:[3]\n"
    assert f"{joined}: 3 lines were split into 4 sentences" in result.stderr
    assert str(tgt) not in result.stderr
    skipped = aligner("run", str(tmp_path / "in"), "--presplit", "--out", str(tmp_path / "no"), "--quiet")
    assert skipped.returncode == 1 and "'de'" in skipped.stderr and "--languages" in skipped.stderr
    assert str(src) in skipped.stderr and not (tmp_path / "no").exists()
    found = aligner("stories", str(tmp_path / "in"), "--presplit", "--languages", "de,fr")
    assert found.returncode == 0, found.stderr
    assert found.stdout.split("\t")[2].strip() == "de:de, fr:fr"
    out = tmp_path / "out"
    result = aligner(
        "run", str(tmp_path / "in"), "--presplit", "--languages", "de,fr", "--out", str(out), "--quiet"
    )
    assert result.returncode == 0, result.stderr
    rows = (out / "pairs" / "de-fr.tsv").read_text().splitlines()
    expected = [list(pair) for pair in zip(GERMAN, FRENCH, strict=True)]
    assert [row.split("\t")[5:] for row in rows[1:]] == expected


@pytest.mark.model
def test_presplit_ids_are_line_numbers(tmp_path):
    """Blank lines are not sentences, but gold standards number lines: ids count them."""
    src, tgt = tmp_path / "de.txt", tmp_path / "fr.txt"
    src.write_text("\n".join(GERMAN) + "\n")
    tgt.write_text(FRENCH[0] + "\n\n" + "\n".join(FRENCH[1:]) + "\n")
    result = aligner("align", str(src), str(tgt), "--presplit", "--format", "vecalign")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[0]:[0]\n[1]:[2]\n[2]:[3]\n[3]:[4]\n"
    assert f"{tgt}: 1 blank line(s) among the sentences" in result.stderr
    assert str(src) not in result.stderr
    records = aligner("align", str(src), str(tgt), "--presplit", "--format", "jsonl").stdout.splitlines()
    second = json.loads(records[1])
    assert (second["tgt"], second["tgt_text"]) == ([2], FRENCH[1])


ENGLISH_STORY = [
    "The city council approved the new budget on Tuesday evening.",
    "A photo shows the mayor at the opening of the bridge.",
    "Spending on schools will rise by a fifth next year.",
    "The opposition said the plan ignores the suburbs.",
    "Bus fares will stay the same until the spring.",
    "Residents can comment on the plan online until March.",
    "The final vote is expected in two weeks.",
    "Officials will also publish a list of the largest projects.",
]
RUSSIAN_STORY = [  # the photo caption (English line 1) sits lower down, after line 5
    "Городской совет утвердил новый бюджет во вторник вечером.",
    "Расходы на школы в следующем году вырастут на пятую часть.",
    "Оппозиция заявила, что план игнорирует пригороды.",
    "Цены на проезд в автобусах не изменятся до весны.",
    "Жители могут прокомментировать план онлайн до марта.",
    "На фотографии мэр на открытии моста.",
    "Окончательное голосование ожидается через две недели.",
    "Чиновники также опубликуют список крупнейших проектов.",
]


@pytest.mark.model
def test_a_moved_caption_is_aligned_unless_no_moves(tmp_path):
    src, tgt = tmp_path / "en.txt", tmp_path / "ru.txt"
    src.write_text("\n".join(ENGLISH_STORY) + "\n")
    tgt.write_text("\n".join(RUSSIAN_STORY) + "\n")
    result = aligner("align", str(src), str(tgt), "--presplit", "--format", "vecalign")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "[0]:[0]", "[1]:[5]", "[2]:[1]", "[3]:[2]", "[4]:[3]", "[5]:[4]", "[6]:[6]", "[7]:[7]"
    ]  # fmt: skip
    monotone = aligner("align", str(src), str(tgt), "--presplit", "--format", "vecalign", "--no-moves")
    assert monotone.returncode == 0, monotone.stderr
    assert "[1]:[]" in monotone.stdout.split() and "[]:[5]" in monotone.stdout.split()


def test_unknown_objective_is_a_usage_error(tmp_path):
    result = aligner(
        "align",
        str(SEEDS / "000_1ed0003a70c5b2d9.txt"),
        str(SEEDS / "001_f17d1155fb752490.txt"),
        "--objective",
        "nope",
    )
    assert result.returncode == 2
    assert "--objective" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.model
def test_run_with_align_workers_writes_the_same_files(tmp_path):
    """--jobs 2 aligns the two seed stories in worker processes; every output file is the same."""
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    assert aligner("run", str(SEEDS), "--out", str(serial), "--jobs", "1", "--quiet").returncode == 0
    result = aligner("run", str(SEEDS), "--out", str(parallel), "--jobs", "2", "--quiet")
    assert result.returncode == 0, result.stderr
    for name in ("alignments.jsonl", "numbers.jsonl", "stories.json", "corpus.tmx", "pairs/ru-ur.tsv"):
        assert (serial / name).read_bytes() == (parallel / name).read_bytes(), name
    counts = [json.loads((folder / "manifest.json").read_text())["counts"] for folder in (serial, parallel)]
    assert counts[0] == counts[1]


@pytest.mark.model
def test_stories_with_the_first_look_and_with_every_sentence_encoded_agree():
    """`aligner stories` forms stories as `run` does (the first look), and `--encode-all` gives the same."""
    looked = aligner("stories", str(SEEDS), "--json")
    everything = aligner("stories", str(SEEDS), "--json", "--encode-all")
    assert looked.returncode == everything.returncode == 0, looked.stderr + everything.stderr
    stories = json.loads(looked.stdout)
    assert stories == json.loads(everything.stdout)
    assert sorted(len(story["docs"]) for story in stories) == [1, 2, 2]  # the Ukrainian article is alone
