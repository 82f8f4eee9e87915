"""CLI fuzzing: arbitrary option values and file contents through `run`, `align`, `check`, `export`
and `eval` (click's test runner, in-process).

The property, for every example: the exit code is 0, 1, 2 or 130; nothing is written outside the
command's output folder (``--out``, or ``export``'s target); and no traceback is printed. The model
folder is checked for real, the sentences are encoded by the test double (no model is loaded).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner.cli import cli
from aligner.testing import HashingEncoder

EN = "The council approved 12 projects in 2024. Work will start in May. Residents welcomed it."
RU = "Совет одобрил 12 проектов в 2024 году. Работы начнутся в мае. Жители это приветствовали."
UR = "کونسل نے 2024 میں 12 منصوبوں کی منظوری دی۔ کام مئی میں شروع ہوگا۔"
EXIT_CODES = {0, 1, 2, 130}

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same examples on every machine: a CI failure can be replayed
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- strategies: values a user (or a script gone wrong) might pass ---

any_text = st.text(max_size=12)
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr), st.integers(-5, 8).map(str), any_text
)
lang_codes = st.one_of(
    st.sampled_from(["en", "ru", "ur", "de", "zh-cn", "../../x", "a/b", "", "EN"]), any_text
)
file_names = st.text(
    st.characters(blacklist_characters="/\x00", blacklist_categories=["Cs"]), min_size=1, max_size=12
).filter(lambda name: name not in {".", ".."})
contents = st.one_of(
    st.sampled_from([EN, RU, UR, "", "\n\n", "1 2 3", EN + "\n" + RU]).map(str.encode),
    st.text(max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.binary(max_size=200),
)
jsonl_records = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.one_of(any_text, st.integers(), st.none()),
            "text": st.one_of(st.sampled_from([EN, RU]), any_text),
        },
        optional={"lang": lang_codes},
    ),
    max_size=3,
)


def flag(name: str):
    return st.sampled_from([[], [name]])


def option(name: str, values):
    return st.one_of(st.just([]), values.map(lambda value: [name, value]))


def snapshot(root: Path, skip: Path) -> dict[str, str | None]:
    """Every file (with its hash) and folder under ``root``, but those under ``skip``."""
    found: dict[str, str | None] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            if path == skip or skip in path.parents:
                continue
            is_file = path.is_file() and not path.is_symlink()
            found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest() if is_file else None
    return found


def written_outside(before: dict, after: dict, allowed: list[Path]) -> list[str]:
    """Changed paths that are neither inside an output folder nor a folder made on the way to one."""
    changed = {
        path for path in before.keys() | after.keys() if before.get(path, "gone") != after.get(path, "gone")
    }

    def fine(path: Path) -> bool:
        inside = any(path == place or place in path.parents for place in allowed)
        on_the_way = after.get(str(path), "gone") is None and any(path in place.parents for place in allowed)
        return inside or on_the_way

    return sorted(path for path in changed if not fine(Path(path)))


def use_hashing_encoder(monkeypatch) -> None:
    """The model folder is checked for real; the sentences are encoded by the test double."""
    import aligner.embedding.encoder as embed

    real_load_encoder = embed.load_encoder

    def checked_then_hashing(model_dir=None, **options):
        real_load_encoder(model_dir, **options)
        return HashingEncoder()

    monkeypatch.setattr(embed, "load_encoder", checked_then_hashing)


@pytest.fixture
def sandbox_cli(monkeypatch, hashing_run):
    """``call(args, prepare)``: a fresh folder (the working directory) with ``in/`` and a finished run
    ``run/``, ``prepare(folder)`` applied; runs ``aligner ARGS`` there and checks the property."""
    use_hashing_encoder(monkeypatch)
    runner = CliRunner()

    def call(args: list[str], prepare, output_places, extra_codes: set[int] = frozenset()) -> None:
        with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
            root = Path(folder).resolve()
            shutil.copytree(hashing_run, root / "run")
            (root / "in").mkdir()
            prepare(root)
            cache = root / "cache"
            before = snapshot(root, cache)
            result = runner.invoke(cli, args, env={"ALIGNER_CACHE": str(cache), "ALIGNER_TMP": str(cache)})
            after = snapshot(root, cache)
            shown = f"aligner {args!r}\n{result.output}"
            assert result.exit_code in EXIT_CODES | extra_codes, shown
            assert result.exception is None or isinstance(result.exception, SystemExit), shown
            assert "Traceback" not in result.output and "internal error" not in result.output, shown
            allowed = [Path(os.path.abspath(place)) for place in output_places(args)]
            assert written_outside(before, after, allowed) == [], shown

    return call


@pytest.fixture(scope="module")
def hashing_run(tmp_path_factory) -> Path:
    """A finished run folder (test double encoder), for `check` and `export`."""
    from aligner.embedding.cache import EmbeddingCache
    from aligner.embedding.embedder import Embedder
    from aligner.pipeline import RunOptions, run

    base = tmp_path_factory.mktemp("fuzz")
    (base / "en.txt").write_text(EN, encoding="utf-8")
    (base / "ru.txt").write_text(EN.replace("council", "Council"), encoding="utf-8")
    embedder = Embedder(HashingEncoder(), EmbeddingCache(base / "c.sqlite"), progress=False)
    run([base / "en.txt", base / "ru.txt"], base / "run", embedder, RunOptions(lang_overrides={"ru": "ru"}))
    return base / "run"


def put_files(files: list[tuple[str, bytes]], records: list[dict]):
    def prepare(root: Path) -> None:
        for name, data in files:
            (root / "in" / f"{name}.txt").write_bytes(data)
        lines = [json.dumps(record) for record in records]
        if lines:
            (root / "in" / "docs.jsonl").write_text("\n".join(lines) + "\n{broken", encoding="utf-8")

    return prepare


def out_of(args: list[str]) -> list[str]:
    """Where `run` may write: --out, the work folder kept beside it, and the cache folder it was given."""
    places = [args[i + 1] for i, arg in enumerate(args[:-1]) if arg in ("--out", "--cache")]
    if "--out" in args:
        out = Path(os.path.abspath(args[args.index("--out") + 1]))
        places.append(str(out.parent / f".{out.name}.work"))
    return places


run_options = st.tuples(  # values a user means: most runs get through to the end
    flag("--force"),
    option("--min-score", st.floats(0, 1).map(repr)),
    option("--max-bead", st.integers(1, 4).map(str)),
    option(
        "--lang",
        st.tuples(st.sampled_from(["en", "ru", "a=b", "typo"]), st.sampled_from(["en", "ru"])).map("=".join),
    ),
    option(
        "--languages",
        st.lists(st.sampled_from(["en", "ru", "ur", "de"]), min_size=1, max_size=3).map(",".join),
    ),
    option("--threads", st.sampled_from(["0", "1", "2"])),
    option("--jobs", st.sampled_from(["0", "1"])),
    option("--objective", st.sampled_from(["calibrated", "sum"])),
    option("--cache", st.just("cache/other")),
    flag("--presplit"),
    flag("--no-moves"),
    flag("--several-per-language"),
    flag("--no-cache"),
    flag("--quiet"),
)
hostile_run_option = st.one_of(  # at most one per example, so that it is the one tested
    st.just([]),
    st.just([]),
    st.tuples(st.sampled_from(["--min-score", "--max-bead", "--threads", "--jobs"]), numbers).map(list),
    st.tuples(st.just("--lang"), st.one_of(any_text, st.tuples(any_text, lang_codes).map("=".join))).map(
        list
    ),
    st.tuples(st.just("--languages"), st.lists(lang_codes, max_size=3).map(",".join)).map(list),
    st.tuples(
        st.sampled_from(["--model", "--cache"]), st.sampled_from(["nope", "in", "run", "run/manifest.json"])
    ).map(list),
    st.tuples(st.just("--objective"), any_text).map(list),
)
articles = st.lists(
    st.sampled_from([("en", EN.encode()), ("ru", RU.encode()), ("ur", UR.encode())]), unique=True
)


@pytest.mark.slow
@settings(FUZZ, max_examples=150)
@given(
    articles=articles,
    files=st.lists(st.tuples(file_names, contents), max_size=2, unique_by=lambda item: item[0]),
    records=jsonl_records,
    out=st.sampled_from(
        ["out", "out", "out", "run", "in", "/", "/proc", "new/deeper", "out/../out2", "in/docs.jsonl"]
    ),
    options=run_options,
    hostile=hostile_run_option,
)
def test_fuzz_run(sandbox_cli, articles, files, records, out, options, hostile):
    args = ["run", "in", "--out", out] + [part for chosen in options for part in chosen] + hostile
    sandbox_cli(args, put_files(articles + [(f"x{name}", data) for name, data in files], records), out_of)


@FUZZ
@given(
    source=contents,
    target=contents,
    options=st.tuples(
        flag("--presplit"),
        option("--format", st.sampled_from(["tsv", "jsonl", "vecalign", "xml"])),
        option("--src-lang", lang_codes),
        option("--tgt-lang", lang_codes),
        option("--max-bead", numbers),
        flag("--scores"),
        flag("--no-moves"),
    ),
)
def test_fuzz_align(sandbox_cli, source, target, options):
    def prepare(root: Path) -> None:
        (root / "in" / "src.txt").write_bytes(source)
        (root / "in" / "tgt.txt").write_bytes(target)

    args = ["align", "in/src.txt", "in/tgt.txt"] + [part for chosen in options for part in chosen]
    sandbox_cli(args, prepare, lambda args: [])


RUN_FILES = ["manifest.json", "documents.jsonl", "stories.json", "alignments.jsonl", "numbers.jsonl"]


def damage(name: str | None, data: bytes):
    def prepare(root: Path) -> None:
        if name is not None:
            (root / "run" / name).write_bytes(data)

    return prepare


XLIFF = (
    b'<?xml version="1.0"?><xliff version="1.2"><file source-language="en" target-language="ru" '
    b'datatype="plaintext" original="x"><body><trans-unit id="1"><source>12 files</source>'
    b"<target>13 \xd1\x84\xd0\xb0\xd0\xb9\xd0\xbb\xd0\xbe\xd0\xb2</target></trans-unit></body></file></xliff>"
)


@FUZZ
@given(
    name=st.one_of(st.none(), st.sampled_from(RUN_FILES)),
    data=st.one_of(st.binary(max_size=120), st.sampled_from([b"{}", b"[]", b"null", b'{"doc": 1}\n', b""])),
    bilingual=st.tuples(
        st.sampled_from(["xlf", "tmx", "po", "csv", "tsv", "sdlxliff", "txt"]),
        st.one_of(st.just(XLIFF), contents, st.binary(max_size=200)),
    ),
    inputs=st.lists(
        st.sampled_from(["run", "in/file", "in/file", "run", "in", "missing"]), min_size=1, max_size=2
    ),
    options=st.tuples(
        flag("--json"),
        flag("--jsonl"),
        flag("--all"),
        option("--fail-on", st.sampled_from(["changed,missing", "missing", "nonsense", ""])),
        option("--src-lang", lang_codes),
        option("--html", st.just("report/page.html")),
        option("--csv", st.just("report/findings.csv")),
    ),
)
def test_fuzz_check(sandbox_cli, name, data, bilingual, inputs, options):
    suffix, content = bilingual

    def prepare(root: Path) -> None:
        damage(name, data)(root)
        (root / "report").mkdir()
        (root / "in" / f"file.{suffix}").write_bytes(content)

    paths = [f"in/file.{suffix}" if item == "in/file" else item for item in inputs]
    args = ["check", *paths] + [part for chosen in options for part in chosen]
    sandbox_cli(args, prepare, lambda args: ["report"], extra_codes={3} if "--fail-on" in args else set())


@FUZZ
@given(
    name=st.one_of(st.none(), st.none(), st.sampled_from(RUN_FILES)),
    data=st.binary(max_size=80),
    fmt=st.sampled_from(["tmx", "moses", "tsv", "jsonl", "html", "xliff"]),
    min_score=option("--min-score", numbers),
    target=option(
        "--to", st.sampled_from(["exported", "run", "run/manifest.json", "in/new/deeper", "/sys/x"])
    ),
)
def test_fuzz_export(sandbox_cli, name, data, fmt, min_score, target):
    args = ["export", "run", "--format", fmt, *min_score, *target]
    sandbox_cli(
        args, damage(name, data), lambda args: [args[args.index("--to") + 1] if "--to" in args else "run"]
    )


@FUZZ
@given(pred=contents, gold=contents, folders=st.booleans())
def test_fuzz_eval(sandbox_cli, pred, gold, folders):
    def prepare(root: Path) -> None:
        if folders:
            for side, data in (("pred", pred), ("gold", gold)):
                (root / "in" / side).mkdir()
                (root / "in" / side / "a.txt").write_bytes(data)
        else:
            (root / "in" / "pred").write_bytes(pred)
            (root / "in" / "gold").write_bytes(gold)

    sandbox_cli(["eval", "in/pred", "in/gold"], prepare, lambda args: [])
