"""The starting state as a table of open cases (issue 22 part 1): each listed case starts with its
own filing date, procedure and excluded days on its judge's docket; the table is validated with
messages naming the field; and scenarios that do not list cases give the same results bit for
bit as before the table existed."""
from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pytest

from conftest import ROOT
from sim.model.caseflow import simulate
from sim.model.prepared import prepare
from sim.model.scenario import (
    ScenarioError,
    dump_yaml,
    load_scenario,
    load_yaml_text,
    scenario_from_dict,
    scenario_to_dict,
)

LEAVE = {"changes": [{"start": "2025-02-10", "judges": -2, "note": "two leave"},
                     {"start": "2025-03-01", "end": "2025-03-31", "judges": 1, "ramp_up_months": 1}]}
#: replication 1 of four months of each configuration, fingerprinted (sha256 of the records'
#: arrays, first 16 hex digits) with the engine as it was before open cases could be listed
GOLDEN = {
    "baseline": ("baseline", {}, "f02c281c5e3d3a7c"),
    "mmc": ("checks/mmc-check", {}, "8c8c9fc4b0d0b949"),   # moved to scenarios/checks/ (i23d)
    "pooled": ("baseline", {"docket": {"mode": "pooled", "specialised": False, "hand_over": "lightest"}},
               "2e9c6be1f7b4ac08"),
    "random": ("baseline", {"docket": {"mode": "random", "specialised": True, "hand_over": "rotation"}},
               "d4bf8804d6d3236e"),
    "lightest": ("baseline", {"docket": {"mode": "lightest", "specialised": False, "hand_over": "lightest"},
                              "queue_discipline": "edf"}, "aeca67e3b4b14af0"),
    "nohearings": ("baseline", {"hearings": None}, "f9ad6b2f51261cf8"),
    "leaving": ("baseline", {"team0": LEAVE}, "68680d010f564820"),
    "freeze": ("baseline", {"demand": {"disputes_per_year": 16000, "annual_growth": 0.1, "year_end_freeze_from_day": 20,
                                       "monthly_profile": [1.0] * 12}, "start_date": "2024-11-01"},
               "41730474af82ffb9"),
}


def _fingerprint(r) -> str:
    h = hashlib.sha256()
    for k in ("file_t", "end_t", "proc", "excluded", "initial", "team", "hearings", "job_start_t", "job_end_t",
              "job_hours"):
        h.update(np.ascontiguousarray(getattr(r, k)).tobytes())
    return h.hexdigest()[:16]


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_scenarios_without_a_table_are_bit_identical(name: str) -> None:
    stem, upd, want = GOLDEN[name]
    d = scenario_to_dict(load_scenario(ROOT / "scenarios" / f"{stem}.yaml"))
    d.update(horizon_months=4)
    upd = dict(upd)
    if "team0" in upd:
        d["teams"][0].update(upd.pop("team0"))
    d.update(upd)
    assert _fingerprint(simulate(prepare(scenario_from_dict(d)), 1)) == want


def _court(cases: list[dict], judges: int = 2, **extra) -> dict:
    """A one-team court with no new filings, no hearings and judgments of exactly one working
    day (6.5 hours on a 6.5-hour day), starting on Monday 2025-01-06."""
    n = sum(len(g["filed"]) for g in cases)
    d = {
        "name": "listed", "start_date": "2025-01-06", "horizon_months": 2, "seed": 3, "replications": 1,
        "demand": {"disputes_per_year": 0},
        "case_types": [{"name": "s", "share": 1.0, "track": "simple", "procedure": "simple",
                        "effort": {"dist": "deterministic", "mean": 6.5},
                        "waiting": {"dist": "deterministic", "mean": 0}}],
        "triage": {"accuracy": 1.0, "conversion_rate": 0.0},
        "teams": [{"name": "速裁团队", "track": "simple", "judges": judges}],
        "calendar": {"hours_per_day": 6.5, "public_holidays": "none"},
        "docket": {"mode": "rotation"},
        "initial_pending": {"simple": n, "complex": 0, "cases": cases},
    }
    d.update(extra)
    return d


def _closing_days(d: dict) -> list[int]:
    p = prepare(scenario_from_dict(d))
    r = simulate(p, 0)
    assert r.initial.sum() == sum(len(g["filed"]) for g in d["initial_pending"]["cases"])
    return sorted(int(np.ceil(e)) - 1 for e in r.end_t[r.initial])


def test_listed_cases_keep_their_dates_procedure_and_excluded_days() -> None:
    cases = [{"team": "速裁团队", "judge": "J01", "procedure": "simple", "filed": ["2024-12-02", "2024-10-15"],
              "excluded_days": [0, 30]},
             {"team": "速裁团队", "procedure": "small_claims", "filed": ["2025-01-03"]}]
    p = prepare(scenario_from_dict(_court(cases)))
    r = simulate(p, 0)
    origin = dt.date(2025, 1, 6)
    got = sorted(((origin + dt.timedelta(days=int(f))).isoformat(), p.proc_names[k], x)
                 for f, k, x in zip(r.file_t[r.initial], r.proc[r.initial], r.excluded[r.initial], strict=False))
    assert got == [("2024-10-15", "simple", 30.0), ("2024-12-02", "simple", 0.0), ("2025-01-03", "small_claims", 0.0)]


def test_listed_cases_start_on_their_judges_docket() -> None:
    """Ten cases of J02 in a team of two judges: J02 works them one a day (ten closing days); the
    same ten cases without a judge are shared in turn (two a day, five closing days)."""
    dates = [f"2024-12-{d:02d}" for d in range(1, 11)]
    on_j02 = _closing_days(_court([{"team": "速裁团队", "judge": "J02", "procedure": "simple", "filed": dates}]))
    assert len(set(on_j02)) == 10 and on_j02[-1] - on_j02[0] >= 9
    shared = _closing_days(_court([{"team": "速裁团队", "procedure": "simple", "filed": dates}]))
    assert len(set(shared)) == 5
    # two named judges, five cases each: both dockets work at once
    two = _closing_days(_court([{"team": "速裁团队", "judge": "J01", "procedure": "simple", "filed": dates[:5]},
                                {"team": "速裁团队", "judge": "J07", "procedure": "simple", "filed": dates[5:]}]))
    assert len(set(two)) == 5


def test_a_seat_the_team_no_longer_has_is_handed_over() -> None:
    """J01 and J02's dockets in a team reduced to one judge: J02's docket goes to the only judge,
    who works all ten cases (ten closing days)."""
    dates = [f"2024-12-{d:02d}" for d in range(1, 11)]
    days = _closing_days(_court([{"team": "速裁团队", "judge": "J01", "procedure": "simple", "filed": dates[:5]},
                                 {"team": "速裁团队", "judge": "J02", "procedure": "simple", "filed": dates[5:]}],
                                judges=1))
    assert len(set(days)) == 10


def test_a_team_the_scenario_lacks_is_assigned_like_a_filing_and_said() -> None:
    dates = [f"2024-12-{d:02d}" for d in range(1, 11)]
    d = _court([{"team": "旧团队", "judge": "J02", "procedure": "simple", "filed": dates}])
    assert len(set(_closing_days(d))) == 5
    assert prepare(scenario_from_dict(d)).warnings == [{"code": "listed_cases_unplaced",
                                                        "params": {"team": "旧团队", "n": 10}}]


def test_the_table_round_trips_through_yaml() -> None:
    d = _court([{"team": "速裁团队", "judge": "J02", "procedure": "simple", "filed": ["2024-12-01", "2024-11-30"],
                 "excluded_days": [0, 12.5]}])
    scn = scenario_from_dict(d)
    assert load_yaml_text(dump_yaml(scn)) == scn


def _error(d: dict) -> tuple[str, str]:
    with pytest.raises(ScenarioError) as e:
        scenario_from_dict(d)
    err = e.value.errors[0]
    return err.path, err.code


@pytest.mark.parametrize("change, path, code", [
    (lambda d: d["initial_pending"].update(simple=3), "initial_pending.simple", "open_cases_count"),
    (lambda d: d["initial_pending"]["cases"][0]["filed"].append("2025-01-06"), "initial_pending.cases.0.filed.2",
     "open_case_after_start"),
    (lambda d: d["initial_pending"]["cases"][0].update(procedure="criminal"), "initial_pending.cases.0.procedure",
     "unknown_procedure"),
    (lambda d: d["initial_pending"]["cases"].append({"team": "民事一庭", "judge": "J02", "procedure": "simple",
                                                      "filed": ["2024-01-02"]}),
     "initial_pending.cases.1.judge", "open_cases_judge_two_teams"),
    (lambda d: d["initial_pending"]["cases"][0].update(excluded_days=[1]), "initial_pending.cases.0.excluded_days",
     "open_cases_excluded_length"),
    (lambda d: d["initial_pending"].update(groups=[{"track": "simple", "procedure": "simple", "share": 1.0}]),
     "initial_pending.groups", "open_cases_and_groups"),
])
def test_bad_tables_are_refused_naming_the_field(change, path: str, code: str) -> None:
    d = _court([{"team": "速裁团队", "judge": "J02", "procedure": "simple", "filed": ["2024-12-01", "2024-11-30"]}])
    d["teams"].append({"name": "民事一庭", "track": "complex", "judges": 1})
    if code == "open_cases_judge_two_teams":
        d["initial_pending"]["simple"] = 3
    change(d)
    assert _error(d) == (path, code)
