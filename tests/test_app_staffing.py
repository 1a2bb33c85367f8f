"""Staffing changes over time on the what-if page (issue 5): the dated-changes table, the
transfer form, errors next to the table, and the staffing chart under the pending chart.

Runs use the baseline with a 6-month horizon and 3 replications to stay around a second each.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from helpers import control, open_sections
from sim.analysis.runner import prepared_for
from sim.model.scenario import load_scenario
from sim.vocabulary.figure_format import figure_name
from ui.i18n import t
from ui.widgets import plan as P
from ui.widgets import staffing as S
from ui.widgets.charts import staffing_frame

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
REPS, MONTHS = 3, 6


def _app(lang: str = "zh") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240)
    at.session_state["lang"] = lang
    at.run()
    control(at, "number_input", "replications").set_value(REPS).run()
    control(at, "number_input", "horizon_months").set_value(MONTHS).run()
    assert not at.exception, at.exception
    return at


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in list(at.get("vega_lite_chart")) + list(at.get("arrow_vega_lite_chart"))]


def _pending_end(at: AppTest, lang: str = "zh") -> float:
    v = {m.label: m.value for m in at.metric}[figure_name(lang, "pending_end")]
    return float(re.search(r"[\d,]+(\.\d+)?", v).group(0).replace(",", ""))


def _x(spec: dict) -> dict:
    enc = spec.get("encoding") or next(ly["encoding"] for ly in spec["layer"] if "encoding" in ly)
    return enc["x"]


# --- the table's edits, as pure functions ---------------------------------------------------

def _teams() -> list[dict]:
    return [{"name": "A", "track": "simple", "judges": 3, "assistants": 1, "clerks": 1, "changes": [
                {"start": "2025-03-01", "end": None, "judges": 1, "assistants": 0, "clerks": 0, "note": "a"}]},
            {"name": "B", "track": "complex", "judges": 4, "assistants": 2, "clerks": 2, "changes": []}]


def test_table_edits_add_edit_move_and_delete_changes():
    teams = _teams()
    out = S.apply_delta(teams, {"edited_rows": {0: {"judges": 2, "end": "2025-06-30T00:00:00"}}}, "2025-01-01")
    assert out[0]["changes"][0]["judges"] == 2 and out[0]["changes"][0]["end"] == "2025-06-30"
    assert teams[0]["changes"][0]["judges"] == 1, "the input is not modified"
    out = S.apply_delta(teams, {"added_rows": [{"team": "B", "start": "2025-09-01", "judges": 2,
                                                "ramp_up_months": 3, "ramp_start_pct": 40}]}, "2025-01-01")
    ch = out[1]["changes"][0]
    assert (ch["start"], ch["judges"], ch["ramp_up_months"], ch["ramp_start_share"]) == ("2025-09-01", 2, 3, 0.4)
    out = S.apply_delta(teams, {"edited_rows": {0: {"team": "B"}}}, "2025-01-01")
    assert out[0]["changes"] == [] and out[1]["changes"][0]["note"] == "a"
    out = S.apply_delta(teams, {"deleted_rows": [0]}, "2025-01-01")
    assert out[0]["changes"] == [] and out[1]["changes"] == []
    out = S.apply_delta(teams, {"added_rows": [{}]}, "2025-02-01")
    assert out[0]["changes"][-1]["start"] == "2025-02-01", "a blank new row starts on the default date"


def test_move_staff_adds_a_paired_minus_and_plus_row_or_one_row_from_outside():
    out = S.move_staff(_teams(), 0, 1, "2025-04-01", "2025-09-30", 1, 2, 0, ramp_up_months=2, note="transfer")
    minus, plus = out[0]["changes"][-1], out[1]["changes"][-1]
    assert (minus["judges"], minus["assistants"], plus["judges"], plus["assistants"]) == (-1, -2, 1, 2)
    assert minus["start"] == plus["start"] == "2025-04-01" and minus["end"] == plus["end"] == "2025-09-30"
    assert minus["ramp_up_months"] == 0 and plus["ramp_up_months"] == 2
    out = S.move_staff(_teams(), S.OUTSIDE, 1, "2025-04-01", None, 2, 0, 0)
    assert len(out[0]["changes"]) == 1 and out[1]["changes"][0]["judges"] == 2


# --- the app -----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_two_more_judges_from_a_date_lower_pending_and_raise_the_staffing_chart(lang):
    at = _app(lang)
    before = _pending_end(at, lang)
    judges_before = sum(r["judges"] for r in staffing_frame(lang, _last_results(at)).to_dict("records"))
    # the form adds the change to the table (what a user does for two new judges from outside)
    control(at, "selectbox", "staff_move_from").set_value(S.OUTSIDE)
    control(at, "selectbox", "staff_move_to").set_value(0)
    control(at, "date_input", "staff_move_start").set_value(dt.date(2025, 2, 1))
    control(at, "number_input", "staff_move_judges").set_value(2)
    at.button(key="staff_move_submit").click().run()
    assert not at.exception, at.exception
    assert P.teams(at.session_state)[0]["changes"][-1]["judges"] == 2
    assert any(t(lang, "staff.move.added", n=1) in s.value for s in at.success)
    scn = _last_scenario(at)
    assert scn.teams[0].changes[-1].judges == 2 and scn.teams[0].changes[-1].start == dt.date(2025, 2, 1)
    assert _pending_end(at, lang) < before, "two more judges from February lower the pending caseload"
    judges_after = sum(r["judges"] for r in staffing_frame(lang, _last_results(at)).to_dict("records"))
    assert judges_after > judges_before
    # deleting the row (the table's own delete) brings the scenario back
    P.set_teams(at.session_state, S.apply_delta(P.teams(at.session_state), {"deleted_rows": [0]}, "2025-01-01"))
    at.run()
    assert _pending_end(at, lang) == before


def test_staffing_chart_shares_the_pending_charts_month_axis_and_matches_the_engine():
    at = _app()
    specs = _charts(at)
    titles = [s.get("title") for s in specs]
    pending = specs[titles.index(t("zh", "chart.pending.title"))]
    staffing = specs[titles.index(t("zh", "staff.chart.title"))]
    assert titles.index(t("zh", "staff.chart.title")) == titles.index(t("zh", "chart.pending.title")) + 1, \
        "drawn directly under the pending chart"
    px, sx = _x(pending), _x(staffing)
    assert px["field"] == sx["field"] == "month" and px["type"] == sx["type"] == "nominal"
    assert sx["scale"]["domain"] == px["sort"], "the same months in the same order"
    assert len(px["sort"]) == MONTHS
    assert pending["config"]["axisY"]["minExtent"] == staffing["config"]["axisY"]["minExtent"]
    assert {tp["field"] for tp in staffing["encoding"]["tooltip"]} >= {"month", "team", "judges"}
    # the chart's numbers are the engine's day-by-day staffing averaged over each month
    res = _last_results(at)
    df = staffing_frame("zh", res)
    p = prepared_for(res.scenario)
    first = df[df["team"] == res.scenario.teams[0].name]["judges"].to_numpy()
    a, b = int(p.month_edges[0]), int(p.month_edges[1])
    assert first[0] == pytest.approx(np.mean(p.team_judges_day[0, a:b]))


def test_a_change_that_leaves_a_team_below_zero_is_shown_next_to_the_table_row():
    at = _app("en")
    teams = P.teams(at.session_state)
    n = teams[1]["judges"]
    P.set_teams(at.session_state, S.move_staff(teams, 1, S.OUTSIDE, "2025-03-01", None, n + 1, 0, 0))
    at.run()
    assert not at.exception, at.exception
    texts = [e.value for e in at.error]
    row = [x for x in texts if x.startswith("Row 1 (")]
    assert row, texts
    assert teams[1]["name"] in row[0] and "fewer than 0 judges" in row[0] and f"it has {n}" in row[0]
    assert any(t("en", "staff.where") in x for x in texts), "the summary names the staffing table"


def test_the_transfer_form_refuses_a_move_to_the_same_team():
    at = _app("en")
    control(at, "selectbox", "staff_move_from").set_value(0)
    control(at, "selectbox", "staff_move_to").set_value(0)
    control(at, "number_input", "staff_move_judges").set_value(1)
    at.button(key="staff_move_submit").click().run()
    assert any(t("en", "staff.move.same") in e.value for e in at.error)
    assert all(not tm["changes"] for tm in P.teams(at.session_state))


def test_seasonality_and_year_end_push_are_editable():
    """The monthly profile table and the push controls (in the sidebar) change the plan and the run.

    Planted bug caught: the season table's edits dropped (``ui/inputs._profile_values`` not
    reading ``edited_rows``); the test used to check only that the profile still equalled the
    file's. The profile is edited in the table as the browser does (``page_edits.edit_table``),
    the push months and factor in the advanced section, and the page's plan and figures are
    compared with a direct run of the scenario written out here."""
    from page_edits import assert_page_runs, edit_table
    from sim.model.scenario import scenario_from_dict, scenario_to_dict

    at = open_sections(_app())
    base = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    push = control(at, "multiselect", "cal_push_months")
    assert list(push.options) == [f"{m}月" for m in range(1, 13)]
    assert push.value == base.calendar.push_months == []
    push.set_value([12])
    control(at, "number_input", "cal_push_factor").set_value(1.3).run()
    # February's Spring Festival dip (0.70) lifted to 1.0, December's rush (1.30) cut to 1.1
    edit_table(at, "monthly_profile_*", {1: {"weight": 1.0}, 11: {"weight": 1.1}})
    profile = [0.95, 1.00, 1.05, 1.00, 0.95, 1.05, 1.00, 0.95, 1.00, 0.95, 1.10, 1.10]
    data = scenario_to_dict(base)
    data.update(replications=REPS, horizon_months=MONTHS)
    data["demand"]["monthly_profile"] = profile
    data["calendar"].update(push_months=[12], push_factor=1.3)
    assert_page_runs(at, scenario_from_dict(data))
    scn = _last_scenario(at)
    assert scn.calendar.push_months == [12] and scn.calendar.push_factor == pytest.approx(1.3)
    assert scn.demand.monthly_profile == pytest.approx(profile) != base.demand.monthly_profile


def _last_results(at: AppTest):
    return at.session_state["_last_valid"][1]


def _last_scenario(at: AppTest):
    return at.session_state["_last_valid"][0]
