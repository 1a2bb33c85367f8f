"""Every editor that changes the what-if page's plan, edited as a user edits it (issue 25 part 2).

Each test edits one editor (the team table, the season table, the dated staffing changes and
their transfer form, each sidebar section, the two lazily drawn ones included) and checks
- the plan: the scenario the page ran equals, field by field, the scenario the test expects,
  built from the scenario file with the edits written out in the test (``expected``);
- the figures that follow: the page's results are those of a direct engine run of that
  expected scenario (same seed: identical replication by replication), and the pending and
  within-limit cards show its means (``page_edits.assert_page_runs``).

The baseline court runs 3 months with 2 replications after the first page, to keep each run short.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from helpers import control, judge_slider
from page_edits import assert_page_runs, edit_table, page_scenario, table
from sim.model.scenario import apply_overrides, load_scenario, scenario_from_dict, scenario_to_dict
from ui.i18n import t
from ui.widgets import controls as C
from ui.widgets.inputs import ADVANCED_OPEN, HEARINGS_OPEN

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
QUICK = {"replications": 2, "horizon_months": 3}
TEAMS = "teams_editor*"            # the team table (its key gets a number after a move redraws it)
PROFILE = "monthly_profile_*"      # the season table (a fresh key per load)
CHANGES = "staff_changes_editor"   # the dated staffing changes


def _app(lang: str = "zh") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state["lang"] = lang
    at.run()
    for k, v in QUICK.items():
        control(at, "number_input", k).set_value(v).run()
    assert not at.exception, at.exception
    return at


def _data(name: str = "baseline") -> dict:
    """The scenario file as plain data, with the short run the tests use."""
    data = scenario_to_dict(load_scenario(ROOT / "scenarios" / f"{name}.yaml"))
    data.update(QUICK)
    return data


def expected(data: dict | None = None, **dotted: Any):
    """The scenario the page should run: ``data`` (default: the baseline as the tests run it)
    with dotted-path changes, e.g. ``expected(**{"teams.0.assistants": 13})``."""
    data = copy.deepcopy(data if data is not None else _data())
    if dotted:
        data = apply_overrides(data, [f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in dotted.items()])
    return scenario_from_dict(data)


def _teams(at: AppTest) -> list[tuple]:
    return [(tm.name, tm.track, tm.judges, tm.assistants, tm.clerks) for tm in page_scenario(at).teams]


# --- the team table ---------------------------------------------------------------------------

def test_team_table_assistants_and_clerks_with_totals_kept_move_staff_between_teams():
    """Planted bug caught: the team table's handler ignoring ``edited_rows`` (every edit of the
    table dropped) leaves the plan at 11/5/5/4/4 assistants and clerks.

    Baseline assistants and clerks are 11, 5, 5, 4, 4. With staff totals kept (the default) and
    the others giving in proportion: two more assistants for the speedy team come one from each
    of the two five-person teams (11+2, 4, 4, 4, 4); two fewer clerks go one to each of them
    (11-2, 6, 6, 4, 4). Judges do not move."""
    at = _app()
    assert at.session_state[C.KEEP_TOTALS] is True
    edit_table(at, TEAMS, {0: {"assistants": 13, "clerks": 9}})
    want = expected(**{"teams.0.assistants": 13, "teams.1.assistants": 4, "teams.2.assistants": 4,
                       "teams.0.clerks": 9, "teams.1.clerks": 6, "teams.2.clerks": 6})
    assert [tm[3] for tm in _teams(at)] == [13, 4, 4, 4, 4]
    assert [tm[4] for tm in _teams(at)] == [9, 6, 6, 4, 4]
    assert [tm[2] for tm in _teams(at)] == [11, 5, 5, 4, 4]
    assert_page_runs(at, want)
    shown = table(at, TEAMS)   # the table is drawn again with the moved staff
    assert list(shown["assistants"]) == [13, 4, 4, 4, 4] and list(shown["clerks"]) == [9, 6, 6, 4, 4]
    assert not at.warning, "totals kept: no establishment notice"


def test_team_table_judges_and_a_team_name_with_totals_off_add_posts():
    """Planted bug caught: edits of the team table dropped. Two more judges typed into the first
    complex team (5 → 7) with "keep staff totals" off are two more posts, and its new name is the
    plan's, the slider's and the notice's."""
    at = _app()
    control(at, "toggle", C.KEEP_TOTALS).set_value(False).run()
    new_name = "民事审判一组（扩编）"
    edit_table(at, TEAMS, {1: {"judges": 7, "name": new_name}})
    assert_page_runs(at, expected(**{"teams.1.judges": 7, "teams.1.name": new_name}))
    assert [tm[2] for tm in _teams(at)] == [11, 7, 5, 4, 4]
    slider = judge_slider(at, 1)
    assert slider.value == 7 and new_name in slider.label
    assert any(t("zh", "app.establishment.judges.more", n=2) in w.value for w in at.warning), \
        [w.value for w in at.warning]


def test_team_table_removes_and_adds_teams_in_english():
    """Planted bug caught: rows deleted or added in the team table dropped. The last complex team
    removed, then a simple team added with its staff typed in, then a blank row (the defaults:
    'New team 1', complex, one judge, one assistant, one clerk)."""
    at = _app("en")
    edit_table(at, TEAMS, deleted=[4])
    data = _data()
    data["teams"] = data["teams"][:4]
    assert_page_runs(at, expected(data), "en")
    assert not any(s.key.startswith("judges_4_") for s in at.slider)

    edit_table(at, TEAMS, added=[{"name": "Enforcement fast track", "track": "Simple", "judges": 3,
                                  "assistants": 2, "clerks": 1}])
    data["teams"].append({"name": "Enforcement fast track", "track": "simple", "judges": 3, "assistants": 2,
                          "clerks": 1, "changes": []})
    assert_page_runs(at, expected(data), "en")
    assert judge_slider(at, 4).value == 3

    edit_table(at, TEAMS, added=[{}])
    data["teams"].append({"name": "New team 1", "track": "complex", "judges": 1, "assistants": 1, "clerks": 1,
                          "changes": []})
    assert_page_runs(at, expected(data), "en")


# --- the season table -------------------------------------------------------------------------

def test_season_table_edits_are_the_plans_filing_profile_and_stay_after_other_moves():
    """Planted bug caught: the season table's edits dropped (the profile read without the
    table's ``edited_rows``) runs the file's profile, 0.70 in February and 1.30 in December."""
    at = _app()
    edit_table(at, PROFILE, {1: {"weight": 1.4}, 11: {"weight": 0.8}})
    profile = [0.95, 1.40, 1.05, 1.00, 0.95, 1.05, 1.00, 0.95, 1.00, 0.95, 1.10, 0.80]
    want = expected(**{"demand.monthly_profile": profile})
    assert_page_runs(at, want)
    assert page_scenario(at).demand.monthly_profile == pytest.approx(profile)
    # another control moves: the table's edits are still the plan's (the browser keeps sending them)
    control(at, "number_input", "seed").set_value(7).run()
    assert_page_runs(at, expected(**{"demand.monthly_profile": profile, "seed": 7}))
    # a second edit of the same table adds to the first
    edit_table(at, PROFILE, {0: {"weight": 0.5}})
    assert_page_runs(at, expected(**{"demand.monthly_profile": [0.5] + profile[1:], "seed": 7}))


# --- dated staffing changes -------------------------------------------------------------------

def test_staffing_changes_table_adds_edits_and_deletes_a_dated_change():
    """A dated change typed into the staffing table (two judges joining 民事审判一组 from 1 Feb,
    one month's ramp-up from half speed), then edited (one assistant too, until 31 March), then
    deleted: each is the plan the page runs, and its figures are a direct run's."""
    at = _app()
    edit_table(at, CHANGES, added=[{"team": "民事审判一组", "start": "2025-02-01", "judges": 2,
                                    "ramp_up_months": 1.0, "ramp_start_pct": 50.0, "note": "遴选入额"}])
    change = {"start": "2025-02-01", "end": None, "judges": 2, "assistants": 0, "clerks": 0,
              "ramp_up_months": 1.0, "ramp_start_share": 0.5, "note": "遴选入额"}
    assert_page_runs(at, expected(**{"teams.1.changes": [change]}))

    edit_table(at, CHANGES, {0: {"assistants": 1, "end": "2025-03-31"}})
    assert_page_runs(at, expected(**{"teams.1.changes": [{**change, "assistants": 1, "end": "2025-03-31"}]}))

    edit_table(at, CHANGES, deleted=[0])
    assert_page_runs(at, expected())


def test_the_transfer_form_moves_staff_between_teams_from_a_date():
    """The form under the staffing table: one judge and one clerk from 民事审判二组 to 速裁团队
    from 1 February to 30 April, with two months' ramp-up on the receiving side."""
    at = _app()
    control(at, "selectbox", "staff_move_from").set_value(2)
    control(at, "selectbox", "staff_move_to").set_value(0)
    control(at, "date_input", "staff_move_start").set_value(dt.date(2025, 2, 1))
    control(at, "date_input", "staff_move_end").set_value(dt.date(2025, 4, 30))
    control(at, "number_input", "staff_move_judges").set_value(1)
    control(at, "number_input", "staff_move_clerks").set_value(1)
    control(at, "number_input", "staff_move_ramp").set_value(2.0)
    at.button(key="staff_move_submit").click().run()
    base = {"start": "2025-02-01", "end": "2025-04-30", "note": "", "ramp_start_share": 0.5, "assistants": 0}
    assert_page_runs(at, expected(**{
        "teams.2.changes": [{**base, "judges": -1, "clerks": -1, "ramp_up_months": 0}],
        "teams.0.changes": [{**base, "judges": 1, "clerks": 1, "ramp_up_months": 2.0}]}))


# --- the sidebar's sections -------------------------------------------------------------------

# per section: widget key -> (widget kind, value set in the widget, scenario path, value in the
# scenario). Values are written out here (percent sliders in percent, shares as fractions).
SECTIONS: dict[str, dict[str, tuple[str, Any, str, Any]]] = {
    "demand": {
        "disputes_per_year": ("number", 12000, "demand.disputes_per_year", 12000),
        "annual_growth": ("number", 5.0, "demand.annual_growth", 0.05),
        "freeze_day": ("number", 20, "demand.year_end_freeze_from_day", 20),
    },
    "mediation": {
        "med_share": ("slider", 45.0, "mediation.share_offered", 0.45),
        "med_success": ("slider", 60.0, "mediation.success_rate", 0.60),
        "med_mediators": ("number", 40, "mediation.mediators", 40),
        "med_max_days": ("number", 20, "mediation.max_days", 20),
    },
    "triage": {
        "triage_accuracy": ("slider", 90.0, "triage.accuracy", 0.90),
        "conversion_rate": ("slider", 5.5, "triage.conversion_rate", 0.055),
        "misrouted_conversion_rate": ("slider", 70.0, "triage.misrouted_conversion_rate", 0.70),
        "conversion_effort_share": ("slider", 40.0, "triage.conversion_effort_share", 0.40),
    },
    "policy": {
        "assignment": ("select", "least_loaded", "assignment", "least_loaded"),
        "queue_discipline": ("select", "edf", "queue_discipline", "edf"),
        "docket_mode": ("select", "lightest", "docket.mode", "lightest"),
        "docket_specialised": ("toggle", True, "docket.specialised", True),
        "docket_hand_over": ("select", "rotation", "docket.hand_over", "rotation"),
    },
    "pending": {
        "init_simple": ("number", 600, "initial_pending.simple", 600),
        "init_complex": ("number", 400, "initial_pending.complex", 400),
        "long_pending_months": ("number", 6, "long_pending_months", 6),
    },
    "targets": {
        "tgt_within_limit_rate": ("number", 90.0, "targets.within_limit_rate", 0.90),
        "tgt_within_limit_rate_simple": ("number", 92.5, "targets.within_limit_rate_simple", 0.925),
        "tgt_within_limit_rate_complex": ("number", 85.0, "targets.within_limit_rate_complex", 0.85),
        "tgt_clearance_rate": ("number", 95.0, "targets.clearance_rate", 0.95),
        "tgt_long_pending_end": ("number", 5.0, "targets.long_pending_end", 5.0),
        "tgt_overdue_pending_end": ("number", 20.0, "targets.overdue_pending_end", 20.0),
        "tgt_overdue_pending_end_simple": ("number", 8.0, "targets.overdue_pending_end_simple", 8.0),
        "tgt_overdue_pending_end_complex": ("number", 12.0, "targets.overdue_pending_end_complex", 12.0),
        "tgt_pending_end": ("number", 1000.0, "targets.pending_end", 1000.0),
        "tgt_disposition_days_mean": ("number", 60.0, "targets.disposition_days_mean", 60.0),
        "tgt_mediation_resolution_share": ("number", 30.0, "targets.mediation_resolution_share", 0.30),
    },
    "run": {
        "start_date": ("date", dt.date(2025, 3, 1), "start_date", "2025-03-01"),
        "horizon_months": ("number", 4, "horizon_months", 4),
        "replications": ("number", 3, "replications", 3),
        "seed": ("number", 99, "seed", 99),
    },
    "hearings": {
        "h_slots_per_week": ("number", 4, "hearings.slots_per_week", 4),
        "h_slot_hours": ("number", 2.5, "hearings.slot_hours", 2.5),
        "h_notice_days": ("number", 5.0, "hearings.notice_days", 5.0),
        "h_gap_mean": ("number", 21.0, "hearings.adjournment_gap_days.mean", 21.0),
        "h_settle_before": ("number", 40.0, "hearings.settle_before_hearing", 0.40),
        "h_panel_hours": ("number", 2.0, "hearings.panel_hours", 2.0),
        "h_clerk_extra_slots": ("number", 0.5, "hearings.clerk_extra_slots", 0.5),
        "h_clerk_service_cut": ("number", 20.0, "hearings.clerk_service_cut", 0.20),
        "h_assistant_evidence_cut": ("number", 10.0, "hearings.assistant_evidence_cut", 0.10),
        **{k: v for p, (rate, hmax, per_slot, service, answer, evidence, panel) in {
            "small_claims": (10.0, 3, 4, 6.0, 5.0, 5.0, True),
            "simple": (20.0, 2, 2, 12.0, 10.0, 10.0, True),
            "ordinary": (25.0, 4, 2, 20.0, 20.0, 20.0, False)}.items()
           for k, v in {
               f"hp_{p}_adjournment_rate": ("number", rate, f"hearings.procedures.{p}.adjournment_rate", rate / 100),
               f"hp_{p}_max_hearings": ("number", hmax, f"hearings.procedures.{p}.max_hearings", hmax),
               f"hp_{p}_cases_per_slot": ("number", per_slot, f"hearings.procedures.{p}.cases_per_slot", per_slot),
               f"hp_{p}_service_mean": ("number", service, f"hearings.procedures.{p}.service_days.mean", service),
               f"hp_{p}_answer_days": ("number", answer, f"hearings.procedures.{p}.answer_days", answer),
               f"hp_{p}_evidence_days": ("number", evidence, f"hearings.procedures.{p}.evidence_days", evidence),
               f"hp_{p}_panel": ("toggle", panel, f"hearings.procedures.{p}.panel", panel),
           }.items()},
    },
    "durations": {
        "med_dur_mean": ("number", 12.0, "mediation.duration.mean", 12.0),
        "med_dur_cv": ("number", 0.4, "mediation.duration.cv", 0.4),
        "appr_mean": ("number", 45.0, "excluded.appraisal.mean", 45.0),
        "appr_cv": ("number", 0.7, "excluded.appraisal.cv", 0.7),
        "public_notice_days": ("number", 60.0, "excluded.public_notice_days", 60.0),
    },
    "calendar": {
        "cal_hours": ("number", 7.0, "calendar.hours_per_day", 7.0),
        "cal_weekdays": ("multiselect", [1, 2, 3, 4, 5, 6], "calendar.working_weekdays", [1, 2, 3, 4, 5, 6]),
        "cal_push_months": ("multiselect", [1, 12], "calendar.push_months", [1, 12]),
        "cal_push_factor": ("number", 1.2, "calendar.push_factor", 1.2),
        "cal_holidays": ("text_area", "2025-02-14\n2025-03-03", "calendar.holidays", ["2025-02-14", "2025-03-03"]),
    },
    "support": {
        "sup_max_reduction": ("slider", 40.0, "support.max_reduction", 0.40),
        "sup_assistant_weight": ("number", 0.8, "support.assistant_weight", 0.8),
        "sup_clerk_weight": ("number", 0.3, "support.clerk_weight", 0.3),
        "sup_scale": ("number", 1.5, "support.scale", 1.5),
    },
    "procedures": {
        k: v for p, (lm, ld, em, ed) in {"small_claims": (2, 10, 1, 0), "simple": (2, 0, 1, 15),
                                         "ordinary": (5, 0, 3, 0), "second_instance": (2, 20, 2, 0),
                                         "enforcement": (5, 0, 2, 10)}.items()
        for k, v in {f"proc_{p}_limit_months": ("number", lm, f"procedures.{p}.limit_months", lm),
                     f"proc_{p}_limit_days": ("number", ld, f"procedures.{p}.limit_days", ld),
                     f"proc_{p}_extension_months": ("number", em, f"procedures.{p}.extension_months", em),
                     f"proc_{p}_extension_days": ("number", ed, f"procedures.{p}.extension_days", ed)}.items()
    },
    "case_types": {
        # shares move between the two simple types and the two complex types, so they still add up
        "ct_0_share": ("number", 30.0, "case_types.0.share", 0.30),
        "ct_1_share": ("number", 53.0, "case_types.1.share", 0.53),
        "ct_2_share": ("number", 10.0, "case_types.2.share", 0.10),
        "ct_3_share": ("number", 7.0, "case_types.3.share", 0.07),
        "ct_1_track": ("select", "complex", "case_types.1.track", "complex"),
        "ct_1_procedure": ("select", "ordinary", "case_types.1.procedure", "ordinary"),
        "ct_0_effort_dist": ("select", "gamma", "case_types.0.effort.dist", "gamma"),
        "ct_0_effort_mean": ("number", 2.0, "case_types.0.effort.mean", 2.0),
        "ct_0_effort_cv": ("number", 0.5, "case_types.0.effort.cv", 0.5),
        "ct_2_waiting_dist": ("select", "exponential", "case_types.2.waiting.dist", "exponential"),
        "ct_2_waiting_mean": ("number", 30.0, "case_types.2.waiting.mean", 30.0),
        "ct_2_waiting_cv": ("number", 1.0, "case_types.2.waiting.cv", 1.0),
        "ct_3_effort_mean": ("number", 20.0, "case_types.3.effort.mean", 20.0),
        "ct_1_settlement_rate": ("number", 40.0, "case_types.1.settlement_rate", 0.40),
        "ct_2_settlement_effort_factor": ("number", 60.0, "case_types.2.settlement_effort_factor", 0.60),
        "ct_3_public_notice_rate": ("number", 8.0, "case_types.3.public_notice_rate", 0.08),
        "ct_3_appraisal_rate": ("number", 30.0, "case_types.3.appraisal_rate", 0.30),
    },
}
LAZY = {"hearings": HEARINGS_OPEN, "durations": ADVANCED_OPEN, "calendar": ADVANCED_OPEN, "support": ADVANCED_OPEN,
        "procedures": ADVANCED_OPEN, "case_types": ADVANCED_OPEN}


def _set(at: AppTest, key: str, kind: str, value: Any) -> None:
    widget = {"number": at.number_input, "slider": at.slider, "select": at.selectbox, "multiselect": at.multiselect,
              "toggle": at.toggle, "date": at.date_input, "text_area": at.text_area}[kind](key=key)
    widget.set_value(value)


@pytest.mark.parametrize("section", sorted(SECTIONS))
def test_every_control_of_a_section_is_the_plans(section):
    """Every control of the section edited at once (each of the hearings' and the advanced
    section's tabs included): the plan has each value where the scenario file keeps it, and the
    figures are a direct run's. A control whose edit is dropped, or written to the wrong field or
    in the wrong unit, fails here."""
    at = _app()
    if section in LAZY:
        at.session_state[LAZY[section]] = True
        at.run()
    for key, (kind, value, _path, _v) in SECTIONS[section].items():
        _set(at, key, kind, value)
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert_page_runs(at, expected(**{path: v for _k, (_kind, _w, path, v) in SECTIONS[section].items()}))


def test_the_sections_cover_every_control_of_the_sidebar():
    """No control is left out of the table above (a new control needs its line there)."""
    data = _data()
    keys = {sp.key for sp in C.specs_for(data)}
    listed = {k for sec in SECTIONS.values() for k in sec}
    # the case types' controls are checked on a sample of fields; every field has a line for some type
    fields = {k.split("_", 2)[2] for k in keys if k.startswith("ct_")}
    assert fields == {k.split("_", 2)[2] for k in SECTIONS["case_types"]}
    assert {k for k in keys if not k.startswith("ct_")} <= listed, sorted(keys - listed)


def test_the_simple_share_slider_rescales_the_case_types_within_each_track():
    """The triage section's simple-track share (83 % in the baseline: 27 % + 56 %) set to 80 %:
    each simple type keeps its part of the simple share (27/83 and 56/83 of 80 %), each complex
    type of the complex share (12/17 and 5/17 of 20 %)."""
    at = _app()
    control(at, "slider", "simple_share").set_value(80.0).run()
    shares = [27 * 80 / 83, 56 * 80 / 83, 12 * 20 / 17, 5 * 20 / 17]
    want = expected(**{f"case_types.{i}.share": round(s, 4) / 100 for i, s in enumerate(shares)})
    got = [ct.share for ct in page_scenario(at).case_types]
    assert got == pytest.approx([s / 100 for s in shares], abs=1e-6)
    assert_page_runs(at, want)
