"""Training exercises as data (issue 13, part 1): the schema, the built-in files, the list that
survives a bad file, and the checker of a plan's limits on hand-made cases."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sim.model.errors import ScenarioError
from sim.training.exercise import (
    EXERCISE_FOLDER,
    exercise_from_dict,
    find_exercise,
    list_exercises,
    starting_scenario,
)
from sim.training.plan import check_plan, plan_from_dict, plan_scenario, starting_plan

BUILT_IN = {"three-extra-judges", "speedy-team-size", "mediation-vs-judges", "secondment-timing",
            "long-pending-tail", "year-end-freeze", "admin-staff-into-teams"}


def _exercise(**limits) -> dict:
    return {"title": {"zh": "练习", "en": "Exercise"}, "brief": {"zh": "说明", "en": "Brief"},
            "debrief": {"zh": "讲评", "en": "Debrief"}, "scenario": "weak-court.yaml", "seed": 7,
            "replications": 2, "horizon_months": 6, "limits": limits,
            "deciding": {"figure": "within_limit_rate", "target": 0.95}}


def _load(**limits):
    ex = exercise_from_dict(_exercise(**limits))
    return ex, starting_scenario(ex)


def test_every_built_in_exercise_loads_and_its_starting_plan_is_the_scenario():
    entries = {e.id: e for e in list_exercises()}
    assert BUILT_IN <= set(entries)
    for eid in BUILT_IN:
        e = entries[eid]
        assert e.ok, (eid, [p.line() for p in e.problems])
        assert e.exercise.title.zh and e.exercise.title.en and e.exercise.debrief.en
        assert e.start.seed == e.exercise.seed and e.start.replications == e.exercise.replications
        # the starting plan run as a scenario is the starting scenario itself
        plan = starting_plan(e.exercise, e.start)
        if e.exercise.limits.secondment is None:
            assert plan_scenario(e.exercise, e.start, plan) == e.start


def test_unknown_fields_and_bad_values_are_refused_with_their_path():
    data = _exercise(change=["judges"])
    data["limts"] = {}
    data["deciding"]["figure"] = "judge_utilisation"  # no direction of improvement: cannot decide
    with pytest.raises(ScenarioError) as err:
        exercise_from_dict(data)
    paths = {e.path for e in err.value.errors}
    assert "limts" in paths and "deciding.figure" in paths
    with pytest.raises(ScenarioError) as err:
        exercise_from_dict(_exercise())  # nothing to change
    assert err.value.errors[0].path == "limits"
    with pytest.raises(ScenarioError) as err:
        exercise_from_dict(_exercise(change=["judges"], extra={"assistants": 2}))
    assert "assistants" in str(err.value)


def test_a_bad_file_is_listed_with_its_reason_and_the_others_still_load(tmp_path: Path):
    good = (EXERCISE_FOLDER / "three-extra-judges.yaml").read_text(encoding="utf-8")
    (tmp_path / "a-good.yaml").write_text(good, encoding="utf-8")
    (tmp_path / "b-typo.yaml").write_text(good.replace("extra_mode:", "extra_mood:"), encoding="utf-8")
    (tmp_path / "c-syntax.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    (tmp_path / "d-scenario.yaml").write_text(good.replace("weak-court.yaml", "no-such.yaml"), encoding="utf-8")
    (tmp_path / "e-team.yaml").write_text(
        (EXERCISE_FOLDER / "secondment-timing.yaml").read_text(encoding="utf-8").replace("民事二庭", "刑庭"),
        encoding="utf-8")
    entries = {e.id: e for e in list_exercises(tmp_path)}
    assert entries["a-good"].ok
    assert [p.path for p in entries["b-typo"].problems] == ["limits.extra_mood"]
    assert entries["c-syntax"].problems[0].code == "yaml_syntax"
    assert entries["d-scenario"].problems[0].code == "ex_scenario_unusable"
    assert entries["e-team"].problems[0].code == "ex_team_unknown"
    assert "刑庭" in entries["e-team"].problems[0].text("zh")
    with pytest.raises(ScenarioError):
        find_exercise("nothing-here", tmp_path)


def _with(plan, team: str, **staff):
    d = plan.model_dump()
    d["teams"][team].update(staff)
    return plan_from_dict(d)


def test_exactly_three_extra_judges_counts_what_is_left_and_what_is_too_many():
    # weak court: 速裁团队 4 judges, 民事一庭 4, 民事二庭 3
    ex, start = _load(change=["judges", "assistants", "clerks"], extra={"judges": 3})
    p0 = starting_plan(ex, start)
    c = check_plan(ex, start, p0)
    assert not c.ok and c.left["judges"] == 3 and [e.code for e in c.problems] == ["ex_left"]
    p1 = _with(p0, "民事一庭", judges=6)
    c = check_plan(ex, start, p1)
    assert not c.ok and c.left["judges"] == 1
    p2 = _with(p1, "民事二庭", judges=4)
    assert check_plan(ex, start, p2).ok and check_plan(ex, start, p2).left["judges"] == 0
    p3 = _with(p2, "速裁团队", judges=5)
    c = check_plan(ex, start, p3)
    assert c.left["judges"] == -1 and [e.code for e in c.problems] == ["ex_over"]
    # moving an assistant between teams keeps the total: allowed; adding one is not
    p4 = _with(_with(p2, "速裁团队", assistants=2), "民事二庭", assistants=2)
    assert check_plan(ex, start, p4).ok
    c = check_plan(ex, start, _with(p2, "民事二庭", assistants=2))
    assert c.left["assistants"] == -1 and not c.ok
    assert "多安排了 1 名" in c.problems[0].text("zh") and "assistants: 1 too many placed" in c.problems[0].text("en")


def test_move_only_roles_not_listed_stay_and_teams_must_match():
    ex, start = _load(change=["judges"])
    p0 = starting_plan(ex, start)
    moved = _with(_with(p0, "速裁团队", judges=3), "民事二庭", judges=4)
    assert check_plan(ex, start, moved).ok
    c = check_plan(ex, start, _with(p0, "速裁团队", clerks=4))
    assert [e.code for e in c.problems] == ["ex_role_fixed"] and c.problems[0].path == "teams.速裁团队.clerks"
    d = p0.model_dump()
    d["teams"]["刑庭"] = d["teams"].pop("民事二庭")
    c = check_plan(ex, start, plan_from_dict(d))
    assert {e.code for e in c.problems} == {"ex_team_unknown", "ex_team_missing"}


def test_a_pool_of_new_staff_as_assistants_or_clerks():
    ex, start = _load(change=["judges", "assistants", "clerks"], extra_pool={"roles": ["assistants", "clerks"],
                                                                            "count": 5})
    p0 = starting_plan(ex, start)
    assert check_plan(ex, start, p0).left["pool"] == 5
    p = _with(_with(p0, "民事一庭", assistants=2 + 3), "民事二庭", clerks=2 + 2)
    assert check_plan(ex, start, p).ok and check_plan(ex, start, p).left["pool"] == 0
    # turning a clerk into an assistant is not "new staff": clerks may not fall below the start
    q = _with(_with(p0, "民事一庭", assistants=2 + 6), "速裁团队", clerks=3 - 1)
    assert "ex_pool_negative" in [e.code for e in check_plan(ex, start, q).problems]


def test_mediation_range_and_one_lever():
    ex, start = _load(change=["judges", "assistants", "clerks"], extra={"judges": 2}, extra_mode="at_most",
                      mediation_share={"min": 0.15, "max": 0.6}, one_lever=True)
    p0 = starting_plan(ex, start)
    assert check_plan(ex, start, p0).ok  # at most 2: none added is within the limits
    med = p0.model_copy(update={"mediation_share": 0.5})
    assert check_plan(ex, start, med).ok
    assert [e.code for e in check_plan(ex, start, p0.model_copy(update={"mediation_share": 0.7})).problems] == \
        ["ex_share_range"]
    both = _with(med, "民事一庭", judges=6)
    assert [e.code for e in check_plan(ex, start, both).problems] == ["ex_one_lever"]
    fixed, fstart = _load(change=["judges"])
    c = check_plan(fixed, fstart, starting_plan(fixed, fstart).model_copy(update={"mediation_share": 0.3}))
    assert [e.code for e in c.problems] == ["ex_fixed"]


def test_a_secondment_becomes_a_dated_change_of_the_chosen_team():
    ex, start = _load(secondment={"judges": 2, "assistants": 1, "months": 3, "first_month": 2, "last_month": 4,
                                  "teams": ["民事一庭"]})
    p0 = starting_plan(ex, start)
    assert p0.secondment.team == "民事一庭" and p0.secondment.start_month == 2 and check_plan(ex, start, p0).ok
    late = plan_from_dict({**p0.model_dump(), "secondment": {"team": "民事一庭", "start_month": 5}})
    assert [e.code for e in check_plan(ex, start, late).problems] == ["ex_month_range"]
    scn = plan_scenario(ex, start, plan_from_dict({**p0.model_dump(), "secondment": {"team": "民事一庭",
                                                                                       "start_month": 3}}))
    ch = [t for t in scn.teams if t.name == "民事一庭"][0].changes[-1]
    # month 3 of a horizon starting 2025-01-01: March to May
    assert (ch.start, ch.end, ch.judges, ch.assistants) == (dt.date(2025, 3, 1), dt.date(2025, 5, 31), 2, 1)


def test_the_freeze_is_one_of_the_options():
    ex, start = _load(year_end_freeze={"days": [None, 20]})
    p0 = starting_plan(ex, start)
    assert check_plan(ex, start, p0).ok and p0.year_end_freeze is None
    assert check_plan(ex, start, p0.model_copy(update={"year_end_freeze": 20})).ok
    assert [e.code for e in check_plan(ex, start, p0.model_copy(update={"year_end_freeze": 10})).problems] == \
        ["ex_option"]
    scn = plan_scenario(ex, start, p0.model_copy(update={"year_end_freeze": 20}))
    assert scn.demand.year_end_freeze_from_day == 20


def test_identical_plans_have_one_key_and_different_plans_differ():
    ex, start = _load(change=["judges"])
    a, b = starting_plan(ex, start), starting_plan(ex, start)
    assert a.key() == b.key()
    assert _with(a, "速裁团队", judges=3).key() != a.key()


@pytest.mark.parametrize("limits, path, code, words", [
    ({"change": ["judges"], "extra": {"assistants": 2}}, "limits.extra.assistants", "ex_extra_not_changed",
     {"en": ("assistants", "limits.change", "judges"), "zh": ("法官助理", "limits.change", "judges")}),
    ({"change": ["judges"], "extra_pool": {"roles": ["clerks"], "count": 2}}, "limits.extra_pool.roles.0",
     "ex_pool_not_changed", {"en": ("clerks", "limits.change"), "zh": ("clerks", "limits.change")}),
    ({"change": ["judges"], "extra": {"judges": 2}, "extra_pool": {"roles": ["judges"], "count": 2}},
     "limits.extra_pool.roles.0", "ex_pool_and_extra", {"en": ("judges", "extra_pool"), "zh": ("judges", "一处")}),
    ({"change": ["judges"], "extra": {"judges": 201}}, "limits.extra.judges", "ex_count_range",
     {"en": ("0", "200"), "zh": ("0", "200", "整数")}),
    ({"mediation_share": {"min": 0.6, "max": 0.2}}, "limits.mediation_share.min", "ex_min_over_max",
     {"en": ("max", "0.2"), "zh": ("不能大于", "0.2")}),
    ({}, "limits", "ex_nothing_to_change", {"en": ("mediation_share",), "zh": ("可调整",)}),
    ({"change": ["judges"], "year_end_freeze": {"days": [None, 20]}}, "limits", "ex_lever_kinds",
     {"en": ("one kind",), "zh": ("一类",)}),
    ({"change": ["judges"], "one_lever": True}, "limits.one_lever", "ex_one_lever_needs",
     {"en": ("mediation_share",), "zh": ("同时",)}),
    ({"secondment": {"judges": 1, "months": 6, "first_month": 5, "last_month": 3}}, "limits.secondment.last_month",
     "ex_last_before_first", {"en": ("first_month", "5"), "zh": ("不能早于", "5")}),
    ({"year_end_freeze": {"days": [None, 40]}}, "limits.year_end_freeze.days.1", "ex_freeze_day",
     {"en": ("1 to 31",), "zh": ("1 至 31",)}),
    ({"year_end_freeze": {"days": [None, 20, 20]}}, "limits.year_end_freeze.days.2", "ex_freeze_repeat",
     {"en": ("twice",), "zh": ("重复",)}),
])
def test_cross_field_mistakes_are_coded_and_name_the_field_in_both_languages(limits, path, code, words):
    """A trainer's file with limits that do not fit together: the problem has its own code (not the
    generic English 'invalid'), the field at fault, and reads in Chinese and in English."""
    with pytest.raises(ScenarioError) as err:
        exercise_from_dict(_exercise(**limits))
    e = err.value.errors[0]
    assert (e.path, e.code) == (path, code), e
    for lang in ("en", "zh"):
        text = e.text(lang)
        assert all(w in text for w in words[lang]), (lang, text)
    assert e.text("zh") != e.text("en")


def test_a_bad_deciding_figure_or_scenario_name_is_coded():
    data = _exercise(change=["judges"])
    data["deciding"]["figure"] = "judge_utilisation"
    data["scenario"] = "../etc/passwd"
    with pytest.raises(ScenarioError) as err:
        exercise_from_dict(data)
    got = {e.path: e for e in err.value.errors}
    assert got["deciding.figure"].code == "ex_figure_unknown" and "within_limit_rate" in got["deciding.figure"].text("zh")
    assert got["scenario"].code == "ex_scenario_name" and "weak-court.yaml" in got["scenario"].text("zh")
    data = _exercise(change=["judges"])
    data["title"]["zh"] = "  "
    with pytest.raises(ScenarioError) as err:
        exercise_from_dict(data)
    assert (err.value.errors[0].path, err.value.errors[0].code) == ("title.zh", "text_expected")
