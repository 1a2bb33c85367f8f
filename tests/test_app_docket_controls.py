"""The what-if page's controls for the docket model and hearings (issue 10), and the keep-totals
toggle in the address (issue 11 part 6): each control edits its scenario field, changes the
figures, and is kept in the address so a refresh or a copied link restores it."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from helpers import control, judge_slider, open_sections
from sim.model.scenario import load_scenario
from test_app_address import _address, _metrics, _warnings
from test_app_address import _fresh as _open
from ui import address as A
from ui.i18n import t
from ui.widgets import controls as C

ROOT = Path(__file__).resolve().parent.parent
# a short, cheap run: the controls are what is tested, not the figures' precision
QUICK = {"replications": 2, "horizon_months": 4}


def _fresh(params: dict | None = None, edits: dict | None = None) -> AppTest:
    """A new session opened on an address (the edits encoded as the app encodes them)."""
    q = dict(params or {})
    q.setdefault(A.EDITS, A.encode_edits({**QUICK, **(edits or {})}))   # a refresh brings its own
    return _open(q)


def _edits(at: AppTest) -> dict:
    return A.decode_edits(_address(at)[A.EDITS])


def test_docket_mode_switches_to_pooled_changes_the_figures_and_survives_a_refresh():
    at = _fresh()
    mode = control(at, "selectbox", "docket_mode")
    base = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    assert mode.value == base.docket.mode == "rotation"
    assert mode.label == t("zh", "ctl.spd_docket_mode") and mode.help == t("zh", "ctl.spd_docket_mode.help")
    assert mode.options == [t("zh", f"spd.opt.mode.{m}") for m in C.DOCKET_MODES]
    before = _metrics(at)
    mode.set_value("pooled").run()
    assert not at.exception and not at.error, (at.exception, at.error)
    assert _edits(at)["docket.mode"] == "pooled"
    after = _metrics(at)
    assert after != before                       # a pooled team waits less: other figures

    again = _fresh({A.EDITS: _address(at)[A.EDITS]})
    assert control(again, "selectbox", "docket_mode").value == "pooled"
    assert _metrics(again) == after


def test_hearing_and_adjournment_settings_are_edited_and_kept_in_the_address():
    at = open_sections(_fresh())
    rate = control(at, "number_input", "hp_ordinary_adjournment_rate")
    assert rate.value == pytest.approx(30.0)     # baseline: 30 % of ordinary hearings adjourned
    assert rate.label == t("zh", "ctl.spd_hp_adjournment_rate")
    slots = control(at, "number_input", "h_slots_per_week")
    assert slots.value == 3 and slots.help == t("zh", "ctl.spd_h_slots_per_week.help")
    before = _metrics(at)
    rate.set_value(60.0).run()
    control(at, "number_input", "h_slots_per_week").set_value(2).run()
    control(at, "toggle", "docket_specialised").set_value(True).run()
    assert not at.exception and not at.error, (at.exception, at.error)
    edits = _edits(at)
    assert edits["hearings.procedures.ordinary.adjournment_rate"] == pytest.approx(0.6)
    assert edits["hearings.slots_per_week"] == 2 and edits["docket.specialised"] is True
    assert _metrics(at) != before

    again = open_sections(_fresh({A.EDITS: _address(at)[A.EDITS]}))
    assert control(again, "number_input", "hp_ordinary_adjournment_rate").value == pytest.approx(60.0)
    assert control(again, "number_input", "h_slots_per_week").value == 2
    assert control(again, "toggle", "docket_specialised").value is True


def test_english_labels_and_a_scenario_without_hearings(tmp_path, monkeypatch):
    from sim.store.scenario_store import ENV_VAR, ScenarioStore

    at = open_sections(_fresh({A.LANG: "en"}))
    assert control(at, "selectbox", "docket_hand_over").label == t("en", "ctl.spd_docket_hand_over")
    assert control(at, "toggle", "hp_ordinary_panel").label == t("en", "ctl.spd_hp_panel")
    assert control(at, "toggle", "hp_ordinary_panel").value is True
    # the M/M/c check has no hearing calendar: no hearing controls, a sentence saying why (it
    # is not offered as a court: saved, it is a plan like any other)
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    ScenarioStore(tmp_path).save(load_scenario(ROOT / "scenarios" / "checks" / "mmc-check.yaml"), "M/M/c")
    mmc = open_sections(_fresh({A.LANG: "en", A.SCN: "saved:M/M/c"}))
    keys = {w.key for w in mmc.number_input}
    assert not any(k.startswith(("h_", "hp_")) for k in keys)
    assert any(c.value == t("en", "spd.hearings.none") for c in mmc.caption)
    assert control(mmc, "selectbox", "docket_mode").value == "pooled"


def test_a_tampered_toggle_in_a_link_is_ignored_with_a_message():
    at = _fresh(edits={"docket.specialised": "yes", "docket.mode": "random"})
    assert control(at, "toggle", "docket_specialised").value is False
    assert control(at, "selectbox", "docket_mode").value == "random"     # the good edit is kept
    assert "docket.specialised" in _warnings(at)


def test_keep_totals_off_and_the_take_from_team_are_kept_in_the_address():
    at = _fresh()
    assert control(at, "toggle", C.KEEP_TOTALS).value is True
    assert A.KEEP not in _address(at) and A.TAKE not in _address(at)      # defaults: left out
    control(at, "selectbox", C.TAKE_FROM).set_value("2").run()
    assert _address(at)[A.TAKE] == "2"
    again = _fresh({A.EDITS: _address(at)[A.EDITS], A.TAKE: "2"})
    assert control(again, "selectbox", C.TAKE_FROM).value == "2" and control(again, "toggle", C.KEEP_TOTALS).value is True

    control(at, "toggle", C.KEEP_TOTALS).set_value(False).run()
    assert _address(at)[A.KEEP] == "0" and A.TAKE not in _address(at)
    j = judge_slider(at, 0).value
    judge_slider(at, 0).set_value(j + 1).run()     # added, not moved: others keep theirs
    edits = _edits(at)
    assert edits["teams.0.judges"] == j + 1 and not any(k.startswith("teams.1") for k in edits)
    again = _fresh({A.EDITS: _address(at)[A.EDITS], A.KEEP: "0"})
    assert control(again, "toggle", C.KEEP_TOTALS).value is False
    assert judge_slider(again, 0).value == j + 1
    assert _address(again)[A.KEEP] == "0"


@pytest.mark.parametrize("params,word", [({A.KEEP: "maybe"}, "maybe"), ({A.TAKE: "99"}, "99")])
def test_a_bad_keep_totals_part_of_a_link_is_named_and_the_default_kept(params, word):
    at = _fresh(params)
    assert control(at, "toggle", C.KEEP_TOTALS).value is True
    assert control(at, "selectbox", C.TAKE_FROM).value == C.PROPORTIONAL
    assert word in _warnings(at)


def test_team_table_headers_are_given_the_width_their_text_needs():
    from ui.widgets.team_inputs import header_width

    # measured on the grid's canvas: "类别" just fits 60 px, "Judges" needs 32 + 41 px, and a
    # 50 px column cut "书记员" to "书记"
    assert header_width("类别") >= 60 and header_width("Judges") >= 73
    assert header_width(t("zh", "col.clerks")) > 50 + 14
    assert header_width(t("en", "col.assistants")) < header_width("Assistants")

