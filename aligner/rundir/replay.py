"""Options of ``aligner run`` read from a file instead of the command line.

``--config FILE``: a TOML file whose keys are the option names (``objective = "sum"``, ``max-bead = 2``,
``inputs = ["corpus/"]``). ``--replay manifest.json``: the options and inputs of a finished run, read
back from its manifest. Both become the command's defaults, so an option given on the command line still
wins. Nothing read here is trusted: unknown keys, a file that is not a manifest, and inputs that changed
since the run are one-line errors naming the file.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from aligner.documents.read import record_suffix
from aligner.errors import UsageError


def config_defaults(path: Path, names: Collection[str]) -> dict[str, Any]:
    """The options a TOML file sets, keyed by parameter name (``max-bead`` and ``max_bead`` both work)."""
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"{path}: cannot read the config file ({error.strerror or error})") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UsageError(f"{path}: not a TOML file ({error})") from None
    defaults = {key.replace("-", "_"): value for key, value in table.items()}
    unknown = sorted(key for key in defaults if key not in names)
    if unknown:
        known = ", ".join(sorted(name.replace("_", "-") for name in names))
        raise UsageError(f"{path}: unknown option(s) {', '.join(unknown)} (options: {known})")
    return defaults


def manifest_defaults(path: Path) -> dict[str, Any]:
    """The options and inputs of the run that wrote ``path`` (its manifest.json), as ``run``'s defaults."""
    manifest = _read_manifest(path)
    parameters = manifest["parameters"]
    align, stories = parameters.get("align", {}), parameters.get("stories", {})
    columns = parameters.get("columns", {})
    defaults: dict[str, Any] = {
        "inputs": _recorded_inputs(path, manifest),
        "languages": ",".join(parameters.get("languages", [])),
        "lang_overrides": [f"{doc}={lang}" for doc, lang in parameters.get("lang_overrides", {}).items()],
        "presplit": parameters.get("presplit", False),
        "min_score": parameters.get("min_score", 0.0),
        "shard_units": parameters.get("shard_units"),
        "objective": align.get("objective"),
        "moves": align.get("find_moves"),
        "max_bead": align.get("max_bead"),
        "several_per_language": not stories.get("one_per_language", True),
        "story_first": parameters.get("story_first", False),  # runs before the first look encoded all
        "text_column": columns.get("text"),
        "id_column": columns.get("id"),
        "lang_column": columns.get("lang"),
    }
    runtime = (manifest.get("model") or {}).get("runtime")
    if runtime:  # the runtime the run resolved (auto on that machine), so the vectors are the same
        defaults["backend"] = runtime
    return {key: value for key, value in defaults.items() if value is not None}


def parameter_differences(recorded: Mapping[str, Any], now: Mapping[str, Any], where: str = "") -> list[str]:
    """The settings (dotted names) where a replayed run would differ from the recorded one."""
    found = []
    for key in sorted(set(recorded) | set(now)):
        name = f"{where}{key}"
        old, new = recorded.get(key), now.get(key)
        if isinstance(old, Mapping) and isinstance(new, Mapping):
            found += parameter_differences(old, new, f"{name}.")
        elif old != new:
            found.append(f"{name} (recorded {old!r}, now {new!r})")
    return found


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"{path}: cannot read the manifest ({error.strerror or error})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError(f"{path}: not a manifest.json ({error})") from None
    if (
        not isinstance(manifest, dict)
        or manifest.get("tool") != "aligner"
        or not isinstance(manifest.get("parameters"), dict)
        or not isinstance(manifest.get("inputs"), list)
    ):
        raise UsageError(f"{path}: not the manifest.json of an aligner run")
    return manifest


def _input_file(source: str) -> Path:
    """The file a recorded source names: ``corpus/a.txt``, or ``corpus/b.jsonl:12`` (a record)."""
    path = Path(source)
    if not path.exists():
        head, sep, line = source.rpartition(":")
        if sep and line.isdigit() and Path(head).exists():
            return Path(head)
    return path


def _recorded_inputs(path: Path, manifest: Mapping[str, Any]) -> list[str]:
    """Every file the run read, checked against the sha256 the manifest holds for plain-text inputs."""
    files: dict[Path, None] = {}
    for item in manifest["inputs"]:
        source = _input_file(str(item.get("source", "")))
        if not source.is_file():
            raise UsageError(f"{path}: input {item.get('source')!r} of the recorded run is missing")
        plain_text = record_suffix(source) is None and item.get("sha256")  # a record: its row's hash
        if plain_text and hashlib.sha256(source.read_bytes()).hexdigest() != item["sha256"]:
            raise UsageError(f"{path}: input {source} changed since the recorded run (sha256 differs)")
        files[source] = None
    for item in manifest.get("skipped", []):  # skipped again the same way
        if item.get("source"):
            files[_input_file(str(item["source"]))] = None
    return [str(file) for file in sorted(files)]
