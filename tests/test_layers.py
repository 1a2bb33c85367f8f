"""The engine's folders are its layers: no import circle, and each layer imports only those below.

Read from the source with ``ast`` (nothing is imported), so an import added inside a function
counts as much as one at the top of a file: the command line's old circle was such a one.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# what each layer of sim/ may import from sim/ (besides itself); the command line is the top
LAYERS_BELOW = {
    "vocabulary": set(),
    "model": {"vocabulary"},
    "analysis": {"model", "vocabulary"},
    "store": {"model", "vocabulary"},
    "report": {"analysis", "model", "vocabulary"},
    "calibration": {"analysis", "model", "vocabulary"},
    "province": {"analysis", "model", "vocabulary", "store"},
    "training": {"analysis", "model", "vocabulary", "store", "report"},
    "cli": {"analysis", "model", "vocabulary", "store", "report", "calibration", "province", "training"},
}


def _modules(package: str) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` file under ``package``."""
    out = {}
    for f in sorted((ROOT / package).rglob("*.py")):
        parts = list(f.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = f
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules ``name`` imports anywhere in its file (top level or inside functions)."""
    is_pkg = path.name == "__init__.py"
    base = name.split(".") if is_pkg else name.split(".")[:-1]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base[: len(base) - (node.level - 1)]
                target = ".".join(anchor + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out.add(target)
            # ``from pkg import mod`` imports the module pkg.mod
            out.update(f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in known)
    out.discard(name)  # a package's ``from . import submodule`` names the package itself
    return out


def _graph(package: str) -> dict[str, set[str]]:
    mods = _modules(package)
    known = set(mods)
    return {m: _imports(m, f, known) for m, f in mods.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module, or a module importing itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in graph[v]:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "sim" else ""


@pytest.mark.parametrize("package", ["sim", "ui"])
def test_no_import_circle(package):
    graph = _graph(package)
    # package __init__ files that only hold a docstring add no edges; sim/__init__ re-exports
    # the public names, which every submodule's import runs first anyway: leave it out
    graph.pop("sim", None)
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_circle():
    # the check above can fail: a made-up three-module circle and a self-import are found
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"a"}}) == [["a"]]


def test_each_layer_imports_only_the_layers_below_it():
    graph = _graph("sim")
    wrong = []
    for mod, deps in graph.items():
        layer = _layer(mod)
        if layer not in LAYERS_BELOW:  # sim/__init__ and __main__: the package's front door
            continue
        for dep in deps:
            other = _layer(dep)
            if dep.startswith("sim.") and other != layer and other not in LAYERS_BELOW[layer]:
                wrong.append(f"{mod} -> {dep}")
    assert wrong == []


def test_every_engine_module_sits_in_a_layer():
    loose = [m for m in _modules("sim") if m not in ("sim", "sim.__main__") and _layer(m) not in LAYERS_BELOW]
    assert loose == [], "put new engine modules in one of the layer folders"


def test_the_engine_never_imports_streamlit_or_the_app():
    graph = _graph("sim")
    bad = [f"{m} -> {d}" for m, deps in graph.items() for d in deps
           if d.split(".")[0] in ("streamlit", "ui", "app")
           # the report draws the comparison's charts from their Altair specifications, which
           # the app shows too (sim.report.charts_spec); nothing below the report draws
           or (d.split(".")[0] == "altair" and _layer(m) != "report")]
    assert bad == []


def test_views_share_no_private_names_and_one_last_valid_key():
    # a page that needs another module's private helper means the helper belongs in a shared
    # module (as the scenario pickers now are, in ui/widgets/scenario_choices.py)
    private, last_valid = [], []
    for mod, path in _modules("ui").items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                private += [f"{mod}: {a.name}" for a in node.names if a.name.startswith("_")]
            if isinstance(node, ast.Assign) and any(isinstance(x, ast.Name) and x.id == "LAST_VALID"
                                                    for x in node.targets):
                last_valid.append(mod)
    assert private == []
    assert last_valid == ["ui.widgets.scenario_choices"]
