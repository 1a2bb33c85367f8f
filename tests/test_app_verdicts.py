"""Three-state verdicts in the app (cards, detail table, comparison table), Chinese and English.

A saved plan gets three targets chosen from a first run of the same setting: one inside the
within-limit rate's 95 % interval (undecided), one far below the clearance rate (met) and a
pending caseload of 0 (missed). The app must show each state in words.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from helpers import app_on, control
from sim.analysis.runner import run
from sim.model.scenario import load_scenario
from sim.store.scenario_store import ENV_VAR, ScenarioStore
from sim.vocabulary.figure_format import figure_name, target_text, verdict_text, verdict_word
from ui.i18n import t

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PLAN = "三种判定 verdicts"


@pytest.fixture(scope="module")
def plan_targets():
    """The short plan and the within-limit target that sits inside its interval."""
    scn = load_scenario(ROOT / "scenarios" / "baseline.yaml").model_copy(update={"horizon_months": 3, "replications": 3})
    s = run(scn, replications=3, workers=1).summary()["within_limit_rate"]
    inside = round(s.mean + (s.ci_high - s.ci_low) / 4, 6)
    targets = scn.targets.model_copy(update={"within_limit_rate": inside, "clearance_rate": 0.01,
                                             "pending_end": 0.0, "long_pending_end": None,
                                             # exactly three targets: not the built-in per-track ones
                                             "within_limit_rate_simple": None, "within_limit_rate_complex": None})
    return scn.model_copy(update={"targets": targets})


@pytest.fixture
def saved(plan_targets, tmp_path, monkeypatch):
    folder = tmp_path / "saved"
    monkeypatch.setenv(ENV_VAR, str(folder))
    store = ScenarioStore(folder)
    store.save(plan_targets, PLAN)
    store.save(plan_targets.model_copy(update={"name": "twin"}), "twin")
    return plan_targets


def _app(lang: str, page: str = "whatif") -> AppTest:
    return app_on(lang, page)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cards_and_detail_table_show_met_missed_and_undecided(saved, lang):
    at = _app(lang)
    control(at, "selectbox", "scenario_file").set_value(f"saved:{PLAN}").run()
    assert not at.exception, at.exception
    md = "\n".join(str(m.value) for m in at.markdown)
    caps = "\n".join(str(c.value) for c in at.caption)
    undecided = {"verdict": "undecided", "target": saved.targets.within_limit_rate}
    assert verdict_text(lang, "within_limit_rate", undecided) in md
    assert verdict_text(lang, "clearance_rate", {"verdict": "met", "target": 0.01}) in md
    assert verdict_text(lang, "pending_end", {"verdict": "missed", "target": 0.0}) in md
    assert ":orange[:material/help:" in md                 # its own icon and colour beside the words
    # how many more replications would decide it, in the card
    assert ("约需共" in caps) if lang == "zh" else ("would likely decide it" in caps)
    # the detail table: every figure with a target has a verdict in words
    table = next(d.value for d in at.dataframe if t(lang, "tbl.status") in d.value.columns)
    status = dict(zip(table[t(lang, "tbl.figure")], table[t(lang, "tbl.status")], strict=True))
    assert status[figure_name(lang, "within_limit_rate")] == "? " + verdict_word(lang, "undecided")
    assert status[figure_name(lang, "clearance_rate")] == "✓ " + verdict_word(lang, "met")
    assert status[figure_name(lang, "pending_end")] == "✗ " + verdict_word(lang, "missed")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_comparison_table_shows_the_three_states(saved, lang):
    at = _app(lang, page="compare")
    control(at, "multiselect", "cmp_pick").set_value([f"saved:{PLAN}", "saved:twin"]).run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    rows = table[table[t(lang, "cmp.col.scenario")] == t(lang, "cmp.ref_mark", name=PLAN)]  # the first is the reference
    got = dict(zip(rows[t(lang, "cmp.col.figure")], rows[t(lang, "cmp.col.status")], strict=True))
    assert got[figure_name(lang, "within_limit_rate")] == "? " + verdict_word(lang, "undecided")
    assert got[figure_name(lang, "clearance_rate")] == "✓ " + verdict_word(lang, "met")
    assert got[figure_name(lang, "pending_end")] == "✗ " + verdict_word(lang, "missed")
    targets = dict(zip(rows[t(lang, "cmp.col.figure")], rows[t(lang, "cmp.col.target")], strict=True))
    assert targets[figure_name(lang, "pending_end")] == target_text(lang, "pending_end", 0.0)
    lines = "\n".join(str(m.value) for m in at.markdown)
    assert t(lang, "cmp.targets.line", name=PLAN, met=1, undecided=1, total=3, items="").rstrip(" —") in lines


def test_one_replication_card_says_there_is_no_interval(saved):
    at = _app("en")
    control(at, "selectbox", "scenario_file").set_value(f"saved:{PLAN}").run()
    control(at, "number_input", "replications").set_value(1).run()
    assert not at.exception, at.exception
    caps = [str(c.value) for c in at.caption]
    assert t("en", "card.single_run") in caps
    assert not any(c.startswith(t("en", "card.ci", range="")) for c in caps)
