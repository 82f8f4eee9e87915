"""Options from a file: ``run --config FILE`` (TOML), ``run --replay manifest.json``, the choice lists, and
the one-line error of an engine whose extra is not installed. The test encoder stands in for the model."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner import choices
from aligner.cli import cli
from aligner.engines import make_engine
from aligner.errors import UsageError
from aligner.export import FORMATS, SHARD_UNITS
from aligner.rundir.replay import config_defaults, manifest_defaults, parameter_differences
from aligner.testing import HashingEncoder

EN = "The council approved 12 projects in 2024. Work will start in May. Residents welcomed it.\n"
RU = "Совет одобрил 12 проектов в 2024 году. Работы начнутся в мае. Жители это приветствовали.\n"


@pytest.fixture
def hashing_cli(monkeypatch, tmp_path):
    """``call(*args)``: ``aligner ARGS`` in ``tmp_path`` with the test encoder; ``in/`` holds two articles."""
    import aligner.embedding.encoder as embed

    loaded: list[dict] = []

    def hashing(model_dir=None, **options):
        loaded.append({"model": model_dir, **options})
        return HashingEncoder()

    monkeypatch.setattr(embed, "load_encoder", hashing)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a_en.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "in" / "a_ru.txt").write_text(RU, encoding="utf-8")

    def call(*args: str):
        result = CliRunner().invoke(cli, list(args))
        call.loaded = loaded[-1] if loaded else None
        return result

    return call


def test_a_config_file_sets_options_and_the_command_line_wins(hashing_cli, tmp_path):
    config = tmp_path / "run.toml"
    config.write_text(
        'inputs = ["in"]\nobjective = "sum"\nmax-bead = 2\nmin-score = 0.25\nbackend = "torch"\n',
        encoding="utf-8",
    )
    result = hashing_cli("run", "--config", str(config), "--out", "a", "--quiet", "--max-bead", "3")
    assert result.exit_code == 0, result.output
    parameters = json.loads(Path("a/manifest.json").read_text())["parameters"]
    assert parameters["align"]["objective"] == "sum" and parameters["min_score"] == 0.25
    assert parameters["align"]["max_bead"] == 3  # the command line over the file
    assert hashing_cli.loaded["backend"] == "torch"  # the encoder options come through as one object


def test_a_config_file_with_an_unknown_key_is_a_one_line_usage_error(hashing_cli, tmp_path):
    config = tmp_path / "run.toml"
    config.write_text('inputs = ["in"]\nobjectiv = "sum"\n', encoding="utf-8")
    result = hashing_cli("run", "--config", str(config), "--out", "a")
    assert result.exit_code == 2
    assert f"{config}: unknown option(s) objectiv" in result.output and "Traceback" not in result.output
    config.write_text("inputs = [", encoding="utf-8")
    assert "not a TOML file" in hashing_cli("run", "--config", str(config), "--out", "a").output
    assert not Path("a").exists()


def test_a_replayed_run_writes_the_same_bytes(hashing_cli):
    options = ("--objective", "bertalign", "--lang", "a_en=en", "--quiet")
    first = hashing_cli("run", "in", "--out", "first", *options)
    assert first.exit_code == 0, first.output
    again = hashing_cli("run", "--replay", "first/manifest.json", "--out", "again", "--quiet")
    assert again.exit_code == 0, again.output
    written = sorted(str(p.relative_to("first")) for p in Path("first").rglob("*") if p.is_file())
    assert "alignments.jsonl" in written and "stories.json" in written
    for name in written:
        if name not in ("manifest.json", "report.html"):  # these two hold the run's timings
            assert Path("first", name).read_bytes() == Path("again", name).read_bytes(), name
    recorded, replayed = (json.loads(Path(f, "manifest.json").read_text()) for f in ("first", "again"))
    assert recorded["parameters"] == replayed["parameters"]


def test_a_replay_refuses_changed_inputs_and_settings_the_command_line_cannot_set(hashing_cli):
    assert hashing_cli("run", "in", "--out", "first", "--quiet").exit_code == 0
    manifest = json.loads(Path("first/manifest.json").read_text())
    manifest["parameters"]["numbers"]["tolerance_changed"] = "something else"
    Path("edited.json").write_text(json.dumps(manifest))
    refused = hashing_cli("run", "--replay", "edited.json", "--out", "again")
    assert refused.exit_code == 2 and "numbers.tolerance_changed" in refused.output
    Path("in/a_en.txt").write_text(EN + "One more sentence.\n", encoding="utf-8")
    changed = hashing_cli("run", "--replay", "first/manifest.json", "--out", "again")
    assert changed.exit_code == 2 and "in/a_en.txt changed since the recorded run" in changed.output
    assert not Path("again").exists()


def test_manifest_defaults_and_differences(tmp_path):
    with pytest.raises(UsageError, match="not the manifest.json of an aligner run"):
        (tmp_path / "m.json").write_text("{}")
        manifest_defaults(tmp_path / "m.json")
    assert parameter_differences({"a": {"b": 1}, "c": 2}, {"a": {"b": 2}, "c": 2}) == [
        "a.b (recorded 1, now 2)"
    ]
    assert config_defaults(_toml(tmp_path, "max-bead = 2"), {"max_bead"}) == {"max_bead": 2}


def _toml(folder: Path, text: str) -> Path:
    path = folder / "c.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_choice_lists_are_the_librarys():
    from aligner.align.config import OBJECTIVES
    from aligner.embedding.runtimes import BACKENDS, DEVICES
    from aligner.engines import ENGINES

    assert set(FORMATS) == set(choices.EXPORT_FORMATS) and SHARD_UNITS == choices.SHARD_UNITS
    assert (BACKENDS, DEVICES, ENGINES, OBJECTIVES) == (
        choices.BACKENDS,
        choices.DEVICES,
        choices.ENGINES,
        choices.OBJECTIVES,
    )


def test_help_loads_no_heavy_library():
    import subprocess
    import sys

    code = "import sys\nfrom aligner.cli import cli\ncli.main(['run', '--help'], standalone_mode=False)\n"
    code += "print(sorted({'torch', 'faiss', 'ray', 'numpy', 'sentence_transformers'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


def test_the_ray_engine_without_ray_names_the_extra(monkeypatch, hashing_cli):
    real = importlib.util.find_spec

    def hidden(name, *args):
        return None if name == "ray" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", hidden)
    with pytest.raises(UsageError, match=r"pip install 'aligner\[ray\]'"):
        make_engine("ray")
    result = hashing_cli("run", "in", "--out", "a", "--engine", "ray")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "aligner: error: --engine ray needs ray, an optional extra: pip install 'aligner[ray]'"
    ]
    assert hashing_cli.loaded is None and not Path("a").exists()  # refused before the model loads
