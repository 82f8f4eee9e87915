"""The import graph of the packages: each package imports only its own layer or lower ones, and no cycle.

The layers are the pipeline read bottom up: plain data and language knowledge, then what reads and encodes,
then the stages, then what writes, the engines that schedule them, the pipeline, and the command line.
Imports inside functions (the lazy ones that keep ``--help`` fast) count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "aligner"

LAYERS = [
    {"errors", "types", "safe", "choices", "languages", "testing", "__init__"},
    {"report", "numbers", "embedding", "evaluate"},
    {"documents"},
    {"stories", "align"},
    {"export", "rundir", "bilingual"},
    {"engines"},
    {"pipeline"},
    {"cli"},
]


def _top(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "aligner":
        return None
    top = parts[1] if len(parts) > 1 else "__init__"
    exists = (PACKAGE / top).is_dir() or (PACKAGE / f"{top}.py").is_file() or top == "__init__"
    return top if exists else None


def import_graph() -> dict[str, set[str]]:
    """Package (or top-level module) -> the packages it imports."""
    edges: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        source = relative.parts[0].removesuffix(".py") if len(relative.parts) > 1 else relative.stem
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [f"aligner.{a.name}" for a in node.names]
                modules = names if node.module == "aligner" else [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            for module in modules:
                target = _top(module)
                if target and target != source:
                    edges.setdefault(source, set()).add(target)
    return edges


def test_every_package_has_a_layer_and_imports_no_higher_one():
    layer = {name: k for k, names in enumerate(LAYERS) for name in names}
    problems = []
    for source, targets in sorted(import_graph().items()):
        for target in sorted(targets):
            if source not in layer or target not in layer:
                problems.append(f"{source} -> {target}: a package without a layer")
            elif layer[target] > layer[source]:
                problems.append(f"{source} (layer {layer[source]}) imports {target} (layer {layer[target]})")
    assert problems == []


def test_the_packages_import_each_other_in_no_cycle():
    edges = import_graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for following in sorted(edges.get(node, ())):
            if state.get(following) == 1:
                cycles.append([*trail[trail.index(following) :], following])
            elif following not in state:
                visit(following, [*trail, following])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_the_top_level_holds_few_modules_and_each_package_says_its_role():
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(modules) <= 8, modules
    for package in sorted(p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()):
        doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8")))
        assert doc, f"{package.name}/__init__.py says nothing of its role"


def test_a_back_import_is_caught(tmp_path, monkeypatch):
    """The check can fail: a numbers module importing the pipeline is a layer violation."""
    fake = tmp_path / "aligner"
    (fake / "numbers").mkdir(parents=True)
    (fake / "numbers" / "bad.py").write_text("from aligner.pipeline import run\n", encoding="utf-8")
    (fake / "pipeline.py").write_text("", encoding="utf-8")
    import sys

    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    edges = import_graph()
    assert edges == {"numbers": {"pipeline"}}
    layer = {name: k for k, names in enumerate(LAYERS) for name in names}
    assert layer["pipeline"] > layer["numbers"]
