"""Every download button in the app makes its file when clicked and does not rerun the page.

A file handed to a download button on a run is dropped by Streamlit a run or two later, while
the browser checks each button's file as it draws it: with the page's quick reruns
(preliminary figures, a reload, a second session) that left 404s in the console, and CI failed
on them. Files made on click (``data`` a function) have no file to check; ``on_click="ignore"``
keeps a click from racing a rerun.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parent.parent / "ui"


def _download_calls() -> list[tuple[str, ast.Call]]:
    out = []
    for path in sorted(UI.rglob("*.py")):  # pages and widgets too
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "download_button":
                out.append((f"{path.relative_to(UI)}:{node.lineno}", node))
    return out


CALLS = _download_calls()


def test_the_app_has_download_buttons_to_check():
    assert len(CALLS) >= 8, [w for w, _ in CALLS]


@pytest.mark.parametrize("where,call", CALLS, ids=[w for w, _ in CALLS])
def test_the_file_is_made_when_clicked_without_a_rerun(where, call):
    kw = {k.arg: k.value for k in call.keywords}
    data = kw.get("data", call.args[1] if len(call.args) > 1 else None)
    assert isinstance(data, ast.Lambda), f"{where}: data must be a function (made when clicked)"
    on_click = kw.get("on_click")
    assert isinstance(on_click, ast.Constant) and on_click.value == "ignore", f"{where}: on_click='ignore'"
