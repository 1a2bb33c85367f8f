"""The run service's settings (sim/analysis/run_settings.py) and their page (docs/runs.md)."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from sim.analysis import run_settings
from sim.analysis.run_settings import RunSettings, SessionFlags, settings

DOC = Path(__file__).resolve().parent.parent / "docs" / "runs.md"


def test_run_ahead_is_on_unless_the_environment_says_0():
    assert RunSettings.from_env({}).run_ahead is True
    assert RunSettings.from_env({"COURT_SIM_RUN_AHEAD": "1"}).run_ahead is True
    assert RunSettings.from_env({"COURT_SIM_RUN_AHEAD": " 0 "}).run_ahead is False


def test_the_environment_is_read_when_asked_and_an_override_wins(monkeypatch):
    monkeypatch.setenv("COURT_SIM_RUN_AHEAD", "0")
    assert settings().run_ahead is False
    monkeypatch.setenv("COURT_SIM_RUN_AHEAD", "1")
    assert settings().run_ahead is True        # read now, not when the module was imported
    monkeypatch.setattr(run_settings, "OVERRIDE", dataclasses.replace(settings(), busy=1, run_ahead=False))
    assert settings().busy == 1 and settings().run_ahead is False


def test_the_defaults_are_the_documented_ones():
    """Each knob's row in docs/runs.md gives its default; the code's must be the same."""
    rows = {m[1]: m[2] for m in re.finditer(r"^\| `(\w+)` \| ([^|]+?) \|", DOC.read_text(encoding="utf-8"), re.M)}
    knobs = [f for f in dataclasses.fields(RunSettings) if f.name != "flags"]
    assert {f.name for f in knobs} <= rows.keys(), "a knob without its row in docs/runs.md"
    for f in knobs:
        doc = rows[f.name].removesuffix(" s")
        value = getattr(RunSettings(), f.name)
        if isinstance(value, bool):
            assert doc == ("on" if value else "off"), f.name
        else:
            assert float(doc) == value, f.name


def test_every_session_flag_is_documented_with_its_key():
    text = DOC.read_text(encoding="utf-8")
    for f in dataclasses.fields(SessionFlags):
        assert f"| `{f.name}` | `{getattr(SessionFlags(), f.name)}` |" in text, f.name
