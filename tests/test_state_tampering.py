"""Every file the tool reads back, damaged in every way the third reliability pass found: the embedding
cache, the Ray shard store, the resume folder, the run folder and the model folder. The outcome is the
output of a clean run, or one error line and a non-zero exit; never another output with exit 0.

The CLI runs in-process with the test double as the encoder (the model folder's checks run for real, on
a linked copy of the model); the Ray store is damaged under a real local Ray (marked ``ray``).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from engine_helpers import same_files, write_pile
from model_helpers import model_copy

from aligner.cli import cli
from aligner.embedding.fetch import MODEL_DIRNAME
from aligner.pipeline import work_folder
from aligner.testing import HashingEncoder

TRACEBACK = "Traceback (most recent call last)"


class Sandbox:
    """A pile, a model copy, a cache folder; ``aligner`` run in-process with the test double encoding."""

    def __init__(self, root: Path, monkeypatch) -> None:
        import aligner.embedding.encoder as embed

        self.root = root
        self.inputs = root / "in"
        self.ids = write_pile(self.inputs, stories=2)
        self.model = model_copy(root / "models" / MODEL_DIRNAME)
        self.cache = root / "cache"
        real = embed.load_encoder

        def checked_then_hashing(model_dir=None, **options):
            real(model_dir, **options)  # the model folder's checks run for real
            return HashingEncoder()

        monkeypatch.setattr(embed, "load_encoder", checked_then_hashing)
        monkeypatch.setenv("ALIGNER_MODELS", str(root / "models"))
        monkeypatch.setenv("ALIGNER_CACHE", str(self.cache))

    def aligner(self, *args):
        result = CliRunner().invoke(cli, [str(arg) for arg in args])
        assert TRACEBACK not in result.output and "internal error" not in result.output, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        return result

    def run(self, out: Path, *more):
        # the copies of a story in three languages: one story of three documents each (the test double
        # groups near-copies; a story holds one document per language)
        langs = {"0": "en", "1": "ru", "2": "uk"}
        options = [option for doc in self.ids for option in ("--lang", f"{doc}={langs[doc[-1]]}")]
        return self.aligner("run", self.inputs, "--out", out, "--quiet", "--force", *options, *more)


def same_or_one_line(result, clean: Path, out: Path) -> str:
    """Exit 0 and the clean run's files, or a non-zero exit with one error line: which of the two."""
    if result.exit_code == 0:
        same_files(clean, out)
        return "same"
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and errors[0].startswith("aligner: error: "), result.stderr
    return "refused"


@pytest.fixture
def sandbox(tmp_path, monkeypatch) -> Sandbox:
    box = Sandbox(tmp_path, monkeypatch)
    assert box.run(tmp_path / "clean", "--no-resume", "--no-cache").exit_code == 0
    counts = json.loads((tmp_path / "clean" / "manifest.json").read_text())["counts"]
    assert counts["stories"] == 2 and counts["units"] >= 8 and counts["findings"] >= 0  # two real stories
    return box


# --- the SQLite embedding cache ---------------------------------------------------------------------


def _rows(change):
    def damage(path: Path) -> None:
        with sqlite3.connect(path) as db:
            rows = db.execute("SELECT rowid, dim, vec FROM vectors").fetchall()
            for rowid, dim, blob in rows[::2]:  # every other row
                db.execute("UPDATE vectors SET dim = ?, vec = ? WHERE rowid = ?", (*change(dim, blob), rowid))

    return damage


def _vector(make):
    return _rows(
        lambda dim, blob: (dim, make(np.frombuffer(blob, dtype=np.float32)).astype(np.float32).tobytes())
    )


CACHE_DAMAGE = {
    "cut in half": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "garbage": lambda p: p.write_bytes(b"not a database" * 1000),
    "emptied": lambda p: p.write_bytes(b""),
    "zero vectors": _vector(np.zeros_like),
    "vectors scaled": _vector(lambda v: v * 3),
    "NaN vectors": _vector(lambda v: np.full_like(v, np.nan)),
    "infinite vectors": _vector(lambda v: np.full_like(v, np.inf)),
    "short blobs": _rows(lambda dim, blob: (dim, blob[:8])),
    "wrong dimension": _rows(lambda dim, blob: (dim + 1, blob)),
    "a text type for a blob": _rows(lambda dim, blob: (dim, "text")),
}


# An emptied database beside its -shm file is reported busy until the cache's 60 s timeout, then bypassed
# (a 0-byte file with a WAL may still hold data, so it is never set aside): slow, not in `make check`.
_CACHE_CASES = [pytest.param(d, marks=pytest.mark.slow) if d == "emptied" else d for d in CACHE_DAMAGE]


@pytest.mark.parametrize("damage", _CACHE_CASES, ids=list(CACHE_DAMAGE))
def test_a_damaged_embedding_cache(sandbox, tmp_path, damage):
    assert sandbox.run(tmp_path / "first", "--no-resume").exit_code == 0
    path = sandbox.cache / "embeddings.sqlite"
    db = sqlite3.connect(path)  # closed before the damage: an open connection would hold a lock on it
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    CACHE_DAMAGE[damage](path)
    out = tmp_path / "out"
    assert same_or_one_line(sandbox.run(out, "--no-resume"), tmp_path / "clean", out) == "same"


# --- the resume folder ------------------------------------------------------------------------------


def _story_edit(change):
    def damage(path: Path) -> None:
        kept = json.loads(path.read_text(encoding="utf-8"))
        change(kept)
        path.write_text(json.dumps(kept), encoding="utf-8")

    return damage


def _first_segment(kept: dict) -> list:
    return next(iter(kept["units"][0]["segments"].values()))


RESUME_DAMAGE = {
    "edited text": _story_edit(lambda k: _first_segment(k).__setitem__(2, "Edited.")),
    "an empty list": lambda p: p.write_text("[]"),
    "no units": _story_edit(lambda k: k.update(units=[])),
    "sentence 999": _story_edit(lambda k: _first_segment(k).__setitem__(1, [999])),
    "a score of the wrong type": _story_edit(lambda k: k["units"][0].update(score="high")),
    "a NaN score": lambda p: p.write_text(p.read_text().replace('"score": ', '"score": NaN, "x": ', 1)),
    "index 10**30": _story_edit(lambda k: k["units"][0].update(index=10**30)),
    "a lone surrogate": _story_edit(lambda k: _first_segment(k).__setitem__(2, "\ud800")),
    "cut in half": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "garbage": lambda p: p.write_bytes(b"\xff\xfe\x00garbage"),
    "a folder in its place": lambda p: (p.unlink(), p.mkdir()),
}


@pytest.mark.parametrize("damage", RESUME_DAMAGE, ids=list(RESUME_DAMAGE))
def test_a_damaged_resume_folder(sandbox, tmp_path, damage):
    out = tmp_path / "out"
    assert sandbox.run(out).exit_code == 0
    kept = sorted((work_folder(out) / "stories").rglob("*.json"))
    assert kept
    for path in kept:
        RESUME_DAMAGE[damage](path)
    assert same_or_one_line(sandbox.run(out), tmp_path / "clean", out) == "same"


# --- the run folder, read back by export and check --------------------------------------------------


def _unit_line(change):
    def damage(run: Path) -> None:
        path = run / "alignments.jsonl"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        record = json.loads(lines[0])
        text = change(record)
        lines[0] = (text if isinstance(text, str) else json.dumps(record)) + "\n"
        path.write_text("".join(lines), encoding="utf-8")

    return damage


def _segment(record: dict) -> dict:
    return next(iter(record["segments"].values()))


def _cut(name: str, keep):
    def damage(run: Path) -> None:
        lines = (run / name).read_text(encoding="utf-8").splitlines(keepends=True)
        (run / name).write_text("".join(keep(lines)), encoding="utf-8")

    return damage


RUN_DAMAGE = {
    "alignments cut to whole lines": _cut("alignments.jsonl", lambda lines: lines[: len(lines) // 2]),
    "alignments emptied": _cut("alignments.jsonl", lambda lines: []),
    "findings cut to whole lines": _cut("numbers.jsonl", lambda lines: lines[:-1]),
    "documents cut": _cut("documents.jsonl", lambda lines: lines[:-1]),
    "a NaN score": _unit_line(lambda r: json.dumps({**r, "score": float("nan")})),
    "an infinite score": _unit_line(lambda r: json.dumps({**r, "score": float("inf")})),
    "a unit number of 10**30": _unit_line(lambda r: r.update(unit=10**30)),
    "a sentence number of 999": _unit_line(lambda r: _segment(r).update(sentences=[999])),
    "a lone surrogate": _unit_line(lambda r: _segment(r).update(text="\ud800")),
    "an edited text": _unit_line(lambda r: _segment(r).update(text="Edited.")),
    "a wrong type": _unit_line(lambda r: r.update(score="high")),
    "the manifest's counts edited": lambda run: (run / "manifest.json").write_text(
        (run / "manifest.json").read_text().replace('"units": ', '"units": 1', 1)
    ),
    "alignments gone": lambda run: (run / "alignments.jsonl").unlink(),
    "a shard beside the whole": lambda run: shutil.copy(
        run / "alignments.jsonl", run / "alignments-00000-of-00002.jsonl"
    ),
}


@pytest.mark.parametrize("damage", RUN_DAMAGE, ids=list(RUN_DAMAGE))
def test_a_damaged_run_folder(sandbox, tmp_path, damage):
    clean = tmp_path / "clean"
    reference = sandbox.aligner("export", clean, "--format", "tmx", "--to", tmp_path / "export-clean")
    checked = sandbox.aligner("check", clean)
    assert reference.exit_code == 0 and checked.exit_code == 0
    run = Path(shutil.copytree(clean, tmp_path / "run"))
    RUN_DAMAGE[damage](run)
    for command, compare in (
        (["export", run, "--format", "tmx", "--to", tmp_path / "export"], "tmx"),
        (["export", run, "--format", "parquet", "--to", tmp_path / "parquet"], None),
        (["check", run], "stdout"),
    ):
        result = sandbox.aligner(*command)
        if result.exit_code == 0:  # only where the damage changed nothing that is read
            if compare == "tmx":
                assert (tmp_path / "export" / "corpus.tmx").read_bytes() == (
                    tmp_path / "export-clean" / "corpus.tmx"
                ).read_bytes()
            elif compare == "stdout":
                assert result.stdout == checked.stdout
            continue
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and ("damaged" in lines[0] or "missing" in lines[0]), result.stderr
    assert sandbox.aligner("check", run).exit_code != 0  # every damage above is caught, not tolerated


# --- the model folder -------------------------------------------------------------------------------


def _model_json(name: str, change):
    def damage(model: Path) -> None:
        path = model / name
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.unlink()  # a link into the real model: replaced, never written through
        path.write_text(json.dumps(data), encoding="utf-8")

    return damage


def _replace_file(name: str, make):
    def damage(model: Path) -> None:
        path = model / name
        data = make(path.read_bytes())
        path.unlink()
        path.write_bytes(data)

    return damage


MODEL_DAMAGE = {
    "max_seq_length 3": _model_json("sentence_bert_config.json", lambda d: d.update(max_seq_length=3)),
    "another prompt": _model_json(
        "config_sentence_transformers.json", lambda d: d["prompts"].update(BitextMining="x: ")
    ),
    "pooling edited": _model_json("1_Pooling/config.json", lambda d: d.update(pooling_mode_cls_token=True)),
    "tokenizer settings edited": _model_json(
        "tokenizer_config.json", lambda d: d.update(padding_side="left")
    ),
    "modules edited": _model_json("modules.json", lambda d: d.pop()),
    "dense config edited": _model_json("2_Dense/config.json", lambda d: d.update(out_features=3)),
    "a config emptied": _replace_file("sentence_bert_config.json", lambda data: b""),
    "a config gone": lambda model: (model / "config_sentence_transformers.json").unlink(),
    "tokenizer truncated": _replace_file("tokenizer.json", lambda data: data[: len(data) // 2]),
}


@pytest.mark.parametrize("damage", MODEL_DAMAGE, ids=list(MODEL_DAMAGE))
def test_a_damaged_model_folder(sandbox, tmp_path, damage):
    for module in ("1_Pooling", "2_Dense"):  # linked folders: made real, so a damage stays in the copy
        linked = sandbox.model / module
        target = linked.resolve()
        linked.unlink()
        linked.mkdir()
        for item in target.iterdir():
            (linked / item.name).symlink_to(item)
    MODEL_DAMAGE[damage](sandbox.model)
    out = tmp_path / "out"
    assert same_or_one_line(sandbox.run(out), tmp_path / "clean", out) == "refused"
    assert not out.exists()


# --- the Ray shard store ----------------------------------------------------------------------------


def _shard_arrays(change):
    def damage(path: Path) -> None:
        np.save(path, change(np.load(path)))

    return damage


SHARD_DAMAGE = {
    "vectors truncated": lambda p: p.write_bytes(p.read_bytes()[:200]),
    "zero vectors": _shard_arrays(np.zeros_like),
    "vectors scaled": _shard_arrays(lambda v: v * 2),
    "a row dropped": _shard_arrays(lambda v: v[:-1]),
    "float64": _shard_arrays(lambda v: v.astype(np.float64)),
}


@pytest.mark.ray
def test_a_damaged_ray_shard_store_heals(tmp_path):
    """Before: a truncated ``.vecs.npy`` made every rerun exit 1 ("64 texts have no vector")."""
    ray = pytest.importorskip("ray")
    from engine_helpers import pile_options

    from aligner.embedding.embedder import Embedder
    from aligner.engines import make_engine
    from aligner.engines.shards import KEYS_SUFFIX, VECTORS_SUFFIX
    from aligner.pipeline import run

    ids = write_pile(tmp_path / "in", stories=2)
    options = pile_options(ids)

    def embedder():
        return Embedder(HashingEncoder(), None, progress=False)

    run([tmp_path / "in"], tmp_path / "clean", embedder(), options, resume=False)
    ray.init(
        address="local",
        num_cpus=2,
        _node_ip_address="127.0.0.1",
        include_dashboard=False,
        log_to_driver=False,
    )
    engine = make_engine("ray", 1, store=tmp_path / "store")
    try:
        run([tmp_path / "in"], tmp_path / "out", embedder(), options, engine=engine, resume=False)
        for name, damage in [*SHARD_DAMAGE.items(), ("keys truncated", None)]:
            shards = sorted((tmp_path / "store").rglob(f"*{VECTORS_SUFFIX}"))
            assert shards, name
            if damage is None:
                keys = sorted((tmp_path / "store").rglob(f"*{KEYS_SUFFIX}"))
                keys[0].write_bytes(keys[0].read_bytes()[:100])
            else:
                for shard in shards:
                    damage(shard)
            run(
                [tmp_path / "in"],
                tmp_path / "out",
                embedder(),
                options,
                engine=engine,
                force=True,
                resume=False,
            )
            same_files(tmp_path / "clean", tmp_path / "out")
        assert list((tmp_path / "store").rglob("*.damaged"))  # set aside, not deleted
    finally:
        engine.close()
        if ray.is_initialized():
            ray.shutdown()
