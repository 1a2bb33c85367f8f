"""Rules for the test suite itself, read from the test files with ``ast`` (issue 25):

- a browser test uses the shared ``needs_browser`` fixture (tests/conftest.py), never a skip of
  its own: its own ``skipif`` skipped quietly where CI requires the browser tests to run;
- speed is measured in benchmarks/ (printed, never asserted); a test may bound a wall-clock time
  only with a margin a slow machine cannot miss (:data:`MARGIN_S` or more), as a guard against a
  hang or an exponential blow-up, never as the requirement itself.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
MARGIN_S = 60.0
CLOCKS = {"perf_counter", "monotonic", "time", "perf_counter_ns", "monotonic_ns"}


def _files() -> list[Path]:
    return sorted(p for p in TESTS.glob("test_*.py"))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _reads_clock(node: ast.AST) -> bool:
    """Whether ``node`` calls ``time.perf_counter()``, ``time.monotonic()`` or ``time.time()``."""
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in CLOCKS
               and isinstance(n.func.value, ast.Name) and n.func.value.id == "time" for n in ast.walk(node))


def _constants(tree: ast.Module) -> dict[str, float]:
    """Module-level ``NAME = number`` assignments."""
    out = {}
    for st in tree.body:
        if isinstance(st, ast.Assign) and isinstance(st.value, ast.Constant) and isinstance(st.value.value, (int, float)):
            for tgt in st.targets:
                if isinstance(tgt, ast.Name):
                    out[tgt.id] = float(st.value.value)
    return out


def wall_clock_bounds(tree: ast.Module) -> list[tuple[int, object]]:
    """(line, bound) of every assertion that compares a clock reading with a bound: the bound in
    seconds (a number or a module constant), or the bound's source text when it is neither."""
    consts = _constants(tree)
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assert):
            continue
        for cmp in (n for n in ast.walk(node.test) if isinstance(n, ast.Compare)):
            if not _reads_clock(cmp.left):
                continue
            for right in cmp.comparators:
                if isinstance(right, ast.Constant) and isinstance(right.value, (int, float)):
                    out.append((node.lineno, float(right.value)))
                elif isinstance(right, ast.Name) and right.id in consts:
                    out.append((node.lineno, consts[right.id]))
                else:
                    out.append((node.lineno, ast.unparse(right)))
    return out


def test_the_rules_see_what_they_look_for():
    """The readers above find a clock bound and a skip when there is one (so the rules cannot
    pass because they look at nothing)."""
    src = ("import time\nLIMIT = 2.0\ndef test_x():\n    t0 = time.perf_counter()\n"
           "    assert time.perf_counter() - t0 < LIMIT\n    assert ok and time.monotonic() - t0 < 30\n")
    assert wall_clock_bounds(ast.parse(src)) == [(5, 2.0), (6, 30.0)]
    assert _own_skips(ast.parse("import pytest\npytestmark = pytest.mark.skipif(True, reason='x')\n"))


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_wall_clock_bounds_are_margins_not_requirements(path: Path):
    bad = [(line, b) for line, b in wall_clock_bounds(_tree(path)) if not (isinstance(b, float) and b >= MARGIN_S)]
    assert not bad, (f"{path.name}: wall-clock limits asserted at {bad}; measure the requirement in "
                     f"benchmarks/ and keep at most a margin of {MARGIN_S:g} s or more here")


def _own_skips(tree: ast.Module) -> list[int]:
    """Lines that skip tests on their own: ``skipif`` marks, ``pytest.skip`` calls, ``missing_browser``."""
    out = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Attribute) and n.attr == "skipif":
            out.append(n.lineno)
        elif isinstance(n, ast.Name) and n.id == "missing_browser":
            out.append(n.lineno)
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "skip" \
                and isinstance(n.func.value, ast.Name) and n.func.value.id == "pytest":
            out.append(n.lineno)
    return out


def _drives_a_browser(tree: ast.Module) -> bool:
    """Whether the file opens Chromium (a server alone, for the protocol client, needs none)."""
    names = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.ImportFrom) and n.module:
            names.add(n.module.split(".")[0])
        elif isinstance(n, ast.Import):
            names.update(a.name.split(".")[0] for a in n.names)
    return bool(names & {"playwright", "browser_support"}) and any(
        isinstance(n, ast.Name) and n.id in ("browser_page", "sync_playwright") for n in ast.walk(tree))


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_browser_tests_use_the_shared_fixture_and_never_skip_on_their_own(path: Path):
    tree = _tree(path)
    assert not _own_skips(tree), f"{path.name} skips on its own at lines {_own_skips(tree)}: use needs_browser"
    if _drives_a_browser(tree):
        assert "needs_browser" in path.read_text(encoding="utf-8"), f"{path.name} drives a browser without needs_browser"
