"""Results kept on disk for the next server (issue 23 point 10): a fresh server's first visitor
sees the default scenario's figures without waiting for the engine, and what is read back is
exactly a fresh run, found only by the same scenario, replications, seed and code.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from sim.analysis import result_files as RF
from sim.analysis.results import Results
from sim.analysis.runner import run, scenario_key
from sim.model.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
BASELINE = load_scenario(ROOT / "scenarios" / "baseline.yaml")
SMALL = BASELINE.model_copy(update={"horizon_months": 3, "replications": 3})


@pytest.fixture
def kept(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "results"
    monkeypatch.setenv(RF.ENV, str(folder))
    return folder


def _same(a: Results, b: Results) -> None:
    """Every field equal, arrays with their dtypes, bit for bit (the run's time apart)."""
    for f in dataclasses.fields(Results):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if f.name == "elapsed_seconds":
            continue
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype and np.array_equal(x, y, equal_nan=True), f.name
        elif isinstance(x, dict) and x and all(isinstance(v, np.ndarray) for v in x.values()):
            assert list(x) == list(y), f.name
            for k in x:
                assert x[k].dtype == y[k].dtype and np.array_equal(x[k], y[k], equal_nan=True), (f.name, k)
        else:
            assert x == y, f.name


def test_a_kept_run_reads_back_identical_to_a_fresh_run(kept):
    res = run(SMALL, workers=1)
    path = RF.save(scenario_key(SMALL), res)
    assert path is not None and path.parent == kept and path.exists()
    back = RF.load(scenario_key(SMALL), SMALL, SMALL.replications, SMALL.seed)
    assert back is not None
    fresh = run(SMALL, workers=2)  # another fresh run, on a pool this time: the same figures
    _same(back, fresh)
    _same(back, res)
    a, b = back.to_json_dict(), fresh.to_json_dict()
    a.pop("elapsed_seconds"), b.pop("elapsed_seconds")
    assert a == b


def test_a_kept_run_is_found_only_by_the_same_scenario_replications_seed_and_code(kept, monkeypatch):
    res = run(SMALL, workers=1)
    key = scenario_key(SMALL)
    RF.save(key, res)
    assert RF.load(key, SMALL, 3, SMALL.seed) is not None
    assert RF.load(key, SMALL, 4, SMALL.seed) is None
    assert RF.load(key, SMALL, 3, SMALL.seed + 1) is None
    other = SMALL.model_copy(update={"horizon_months": 4})
    assert scenario_key(other) != key and RF.load(scenario_key(other), other, 3, SMALL.seed) is None
    monkeypatch.setattr(RF, "code_version", lambda: "another version of sim/")
    assert RF.load(key, SMALL, 3, SMALL.seed) is None


def test_the_code_version_changes_with_any_source_file(tmp_path):
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "a.py").write_text("x = 1\n")
    (tmp_path / "b.py").write_text("y = 2\n")
    before = RF.source_hash(tmp_path, "numpy 2")
    assert RF.source_hash(tmp_path, "numpy 2") == before
    assert RF.source_hash(tmp_path, "numpy 3") != before
    (tmp_path / "model" / "a.py").write_text("x = 1  # \n")
    assert RF.source_hash(tmp_path, "numpy 2") != before
    assert len(RF.code_version()) == 64 and RF.code_version() == RF.code_version()


def test_a_damaged_file_is_deleted_and_the_run_made_again(kept):
    key = scenario_key(SMALL)
    path = RF.save(key, run(SMALL, workers=1))
    path.write_bytes(path.read_bytes()[:200])
    assert RF.load(key, SMALL, 3, SMALL.seed) is None
    assert not path.exists()
    # a file of another run put in this one's place is refused too
    other = SMALL.model_copy(update={"teams": SMALL.teams[:-1] + [SMALL.teams[-1].model_copy(update={"name": "另一组"})]})
    wrong = RF.save(scenario_key(other), run(other, workers=1))
    wrong.rename(path)
    assert RF.load(key, SMALL, 3, SMALL.seed) is None


def test_off_keeps_nothing_and_at_most_max_files_are_kept(tmp_path, monkeypatch):
    res = run(SMALL, workers=1)
    monkeypatch.setenv(RF.ENV, "off")
    assert RF.folder() is None and RF.save(scenario_key(SMALL), res) is None
    monkeypatch.setenv(RF.ENV, str(tmp_path))
    monkeypatch.setattr(RF, "MAX_FILES", 2)
    for months in (1, 2, 3):
        scn = SMALL.model_copy(update={"horizon_months": months})
        RF.save(scenario_key(scn), run(scn, workers=1))
    assert len(list(tmp_path.glob("*.npz"))) == 2
    assert RF.load(scenario_key(SMALL), SMALL, 3, SMALL.seed) is not None  # the newest stays


@pytest.mark.preliminary  # the first run as drawn: no waiting for the engine in between
def test_a_fresh_server_shows_the_kept_figures_on_its_first_run_without_the_engine(kept):
    """A server started afresh (no results in its memory, no run known to its scheduler) finds
    the default scenario's run on disk: its first page run shows the final figures, marked as
    kept, and never asks the engine for them."""
    from streamlit.testing.v1 import AppTest

    from helpers import captions
    from sim.vocabulary.figure_format import figure_value
    from ui import engine
    from ui.i18n import t

    fresh = run(BASELINE, workers=2)
    RF.save(scenario_key(BASELINE), fresh)
    engine.scheduler().close()          # as after a restart: nothing in memory, no jobs
    engine.scheduler.clear()
    engine.results_cache.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()
    assert not at.exception, at.exception
    key = engine.cache_key(BASELINE, BASELINE.replications, BASELINE.seed)
    assert engine.scheduler().job(key) is None  # the engine was not asked for these figures
    cards = {m.label: m.value for m in at.metric}
    from sim.vocabulary.figure_format import figure_name
    for f in ("within_limit_rate", "pending_end", "judge_utilisation"):
        assert cards[figure_name("zh", f)] == figure_value("zh", f, fresh.summary()[f].mean)
    assert t("zh", "app.cached") in captions(at)
    assert not at.get("progress")
