"""Training sessions (issue 13, part 2): joining, submitting only one's own plan, no submission
lost when twelve groups submit at once, the ranking with paired intervals and ties, plans
computed once, and the best answer under the exercise's limits."""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from sim.training.answer import best_answer, candidate_plans, share_grid
from sim.training.exercise import exercise_from_dict, starting_scenario
from sim.training.plan import check_plan, plan_from_dict, starting_plan
from sim.training.scoring import PlanEvaluator, paired, rank_groups
from sim.training.session import SessionError, TrainingStore

ROOT = Path(__file__).resolve().parent.parent


def _exercise(horizon: int = 2, reps: int = 2, **limits):
    ex = exercise_from_dict({
        "title": {"zh": "练习", "en": "Exercise"}, "brief": {"zh": "说明", "en": "Brief"},
        "debrief": {"zh": "讲评", "en": "Debrief"}, "scenario": "weak-court.yaml", "seed": 11,
        "replications": reps, "horizon_months": horizon,
        "limits": limits or {"change": ["judges", "assistants", "clerks"], "extra": {"judges": 1}},
        "deciding": {"figure": "within_limit_rate", "target": 0.95}})
    return ex, starting_scenario(ex)


def _plus_one(ex, start, team: str = "民事一庭"):
    d = starting_plan(ex, start).model_dump()
    d["teams"][team]["judges"] += 1
    return plan_from_dict(d)


def test_a_group_joins_submits_and_only_it_can_change_its_plan(tmp_path: Path):
    ex, start = _exercise()
    store = TrainingStore(tmp_path)
    code = store.create("x")
    assert store.session(code.lower()).exercise == "x" and not store.session(code).revealed
    a, ta = store.join(code, " 第一组 ")
    b, tb = store.join(code, "第二组")
    with pytest.raises(SessionError) as err:
        store.join(code, "第一组")
    assert err.value.code == "ses_name_taken" and "第一组" in err.value.text("zh")
    with pytest.raises(SessionError):
        store.join(code, "   ")
    plan = _plus_one(ex, start)
    g = store.submit(code, a, ta, plan, ex, start)
    assert g.name == "第一组" and g.plan == plan and g.revision == 1
    with pytest.raises(SessionError) as err:          # group B's token cannot change group A's plan
        store.submit(code, a, tb, _plus_one(ex, start, "速裁团队"), ex, start)
    assert err.value.code == "ses_not_yours"
    with pytest.raises(SessionError) as err:          # nor can a made-up group id
        store.submit(code, "../../etc", ta, plan, ex, start)
    assert err.value.code == "ses_not_yours"
    with pytest.raises(SessionError) as err:          # a plan outside the limits is refused
        store.submit(code, b, tb, starting_plan(ex, start), ex, start)
    assert err.value.code == "ses_outside_limits" and err.value.problems[0].text("zh") == "还有 1 名法官待安排"
    groups = {g.name: g for g in store.groups(code)}
    assert groups["第一组"].plan == plan and groups["第二组"].plan is None
    # no token is stored, only its hash
    assert ta not in "".join(p.read_text(encoding="utf-8") for p in (tmp_path / code / "groups").iterdir())
    with pytest.raises(SessionError):
        store.session("NOSUCH")
    store.reveal(code)
    assert store.session(code).revealed


def test_a_group_comes_back_with_its_token_only(tmp_path: Path):
    """What a refreshed page (the group's address) does: the token gets the group back; another
    group's token, a made-up one or a made-up group id do not."""
    store = TrainingStore(tmp_path)
    code = store.create("x")
    a, ta = store.join(code, "第一组")
    _, tb = store.join(code, "第二组")
    assert store.group(code.lower(), a, ta).name == "第一组"
    for gid, token in ((a, tb), (a, ta + "x"), (a, None), ("0123456789abcdef", ta), ("../x", ta)):
        with pytest.raises(SessionError) as err:
            store.group(code, gid, token)
        assert err.value.code == "ses_not_yours"


def test_figures_computed_elsewhere_are_used_not_run_again(tmp_path: Path):
    """The app's evaluator looks up what a group's what-if page has run (same scenario, seed and
    replications) before running a plan; a partial run is not used."""
    from sim.analysis.runner import run
    from sim.training.plan import plan_scenario
    from sim.training.scoring import result_key

    ex, start = _exercise()
    store = TrainingStore(tmp_path)
    code = store.create("x")
    plan = _plus_one(ex, start)
    scn = plan_scenario(ex, start, plan)
    res = run(scn)
    fresh = PlanEvaluator(workers=1).plan(ex, start, plan)  # the ranking's own run
    short = PlanEvaluator(workers=1, lookup=lambda s: {k: v[:1] for k, v in res.summary_reps.items()})
    short.plan(ex, start, plan)
    assert short.computed == 1  # one replication of two: run it
    asked = []
    ev = PlanEvaluator(workers=1, lookup=lambda s: asked.append(s) or (res.summary_reps if result_key(s) ==
                                                                         result_key(scn) else None))
    figs = ev.plan(ex, start, plan, store, code)
    assert ev.computed == 0 and asked == [scn]
    assert all(np.array_equal(figs[k], fresh[k], equal_nan=True) for k in fresh)
    # and kept in the session, for another process
    assert store.load_result(code, result_key(scn))["figures"]["pending_end"] == fresh["pending_end"].tolist()
    ev.plan(ex, start, starting_plan(ex, start), store, code)
    assert ev.computed == 1  # a plan the page has not run is run


def test_the_stamp_a_group_page_polls_changes_with_the_reveal_and_the_answer(tmp_path: Path):
    store = TrainingStore(tmp_path)
    code = store.create("x")
    store.join(code, "第一组")
    assert store.stamp(code) == (False, 0)
    store.save_answer(code, {"plan": None})
    assert store.stamp(code) == (False, 0)  # an answer not yet revealed changes nothing a group sees
    store.reveal(code)
    shown = store.stamp(code)
    assert shown[0] and shown[1] > 0
    assert store.stamp(code) == shown  # nothing changed: no redraw
    os.utime(tmp_path / code / "answer.json", ns=(shown[1] + 10**9, shown[1] + 10**9))  # recomputed
    assert store.stamp(code) not in (shown, (False, 0))
    store.reveal(code, False)
    assert store.stamp(code) == (False, 0)
    with pytest.raises(SessionError):
        store.stamp("ZZZZZZ")


def test_a_damaged_group_file_is_listed_and_does_not_break_the_session(tmp_path: Path):
    store = TrainingStore(tmp_path)
    code = store.create("x")
    store.join(code, "好组")
    (tmp_path / code / "groups" / "0123456789abcdef.json").write_text("{not json", encoding="utf-8")
    groups = store.groups(code)
    assert sorted(bool(g.problem) for g in groups) == [False, True]


_SUBMIT = """
import json, sys
from sim.training.exercise import exercise_from_dict, starting_scenario
from sim.training.plan import plan_from_dict
from sim.training.session import TrainingStore
folder, code, gid, token, team, ex = sys.argv[1:7]
ex = exercise_from_dict(json.loads(ex))
start = starting_scenario(ex)
from sim.training.plan import starting_plan
d = starting_plan(ex, start).model_dump()
d["teams"][team]["judges"] += 1
TrainingStore(folder).submit(code, gid, token, plan_from_dict(d), ex, start)
"""


def test_twelve_groups_submitting_at_once_from_separate_processes_lose_nothing(tmp_path: Path):
    ex, start = _exercise()
    store = TrainingStore(tmp_path)
    code = store.create("x")
    teams = [t.name for t in start.teams]
    joined = [(f"组{i}", *store.join(code, f"组{i}"), teams[i % 3]) for i in range(12)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", _SUBMIT, str(tmp_path), code, gid, tok, team,
                               json.dumps(ex.model_dump(mode="json"))], env=env, cwd=ROOT)
             for _, gid, tok, team in joined]
    assert [p.wait(timeout=120) for p in procs] == [0] * 12
    got = {g.name: g for g in store.groups(code)}
    assert len(got) == 12
    for name, _, _, team in joined:
        assert got[name].plan is not None and got[name].revision == 1
        assert got[name].plan.teams[team].judges == start.teams[teams.index(team)].judges + 1
    # and the same from threads of one process (the app's sessions), each submitting twice
    def twice(gid: str, tok: str) -> None:
        for team in ("速裁团队", "民事二庭"):
            store.submit(code, gid, tok, _plus_one(ex, start, team), ex, start)
    threads = [threading.Thread(target=twice, args=(gid, tok)) for _, gid, tok, _ in joined]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert all(g.revision == 3 and g.plan.teams["民事二庭"].judges == 4 for g in store.groups(code))


def test_ranking_on_hand_made_replications_with_ties():
    # within-limit rate per replication (higher is better); B is A plus a constant 0.001,
    # so their paired difference has no spread: B is significantly ahead of A although the
    # two sets of values overlap; C differs from B by noise around 0: tied with B; A is compared
    # with the group just above it (C), whose lead over A is significant: A is not tied
    a = np.array([0.80, 0.90, 0.85, 0.95])
    b = a + 0.001
    c = b + np.array([0.0005, -0.0005, 0.0005, -0.0005])
    start = a - 0.05
    rows = rank_groups("within_limit_rate", 0.9, [("A", a), ("B", b), ("C", c)], start, best=b)
    assert [(r.group, r.rank, r.tied) for r in rows] == [("B", 1, False), ("C", 1, True), ("A", 3, False)]
    assert rows[2].vs_start.mean == pytest.approx(0.05) and rows[2].vs_start.ci_low == pytest.approx(0.05)
    assert rows[2].vs_best.mean == pytest.approx(-0.001)
    assert rows[0].vs_best.mean == 0
    # the verdict against the target: B's mean 0.876 with a wide interval covering 0.9: undecided
    assert rows[0].verdict["verdict"] == "undecided"
    # lower is better for pending: the order turns round
    rows = rank_groups("pending_end", None, [("A", np.array([10., 12.])), ("B", np.array([20., 22.]))],
                       np.array([30., 31.]))
    assert [r.group for r in rows] == ["A", "B"] and rows[0].verdict is None and not rows[1].tied
    d = paired(np.array([1., 2., 3.]), np.array([0., 1., 2.]))
    assert (d.mean, d.ci_low, d.ci_high) == (1.0, 1.0, 1.0)


def test_identical_plans_are_computed_once_even_when_asked_at_once(tmp_path: Path):
    ex, start = _exercise()
    store = TrainingStore(tmp_path)
    code = store.create("x")
    ev = PlanEvaluator(workers=1)
    plan = _plus_one(ex, start)
    out = []
    threads = [threading.Thread(target=lambda: out.append(ev.plan(ex, start, plan, store, code))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert ev.computed == 1 and len(out) == 6 and all(o is out[0] for o in out)
    # another process (a fresh evaluator) finds the stored figures instead of running again
    ev2 = PlanEvaluator(workers=1)
    again = ev2.plan(ex, start, plan, store, code)
    assert ev2.computed == 0
    assert np.array_equal(again["within_limit_rate"], out[0]["within_limit_rate"], equal_nan=True)
    # common random numbers: the same plan under the exercise's seed gives the same figures
    assert np.array_equal(PlanEvaluator(workers=1).plan(ex, start, plan)["filed"], out[0]["filed"])


def test_the_best_secondment_is_the_best_of_every_option():
    ex, start = _exercise(horizon=3, reps=2, secondment={"judges": 2, "months": 2, "first_month": 1,
                                                          "last_month": 2, "teams": ["民事一庭", "民事二庭"]})
    ev = PlanEvaluator(workers=1)
    plans, how = candidate_plans(ex, start)
    assert how == "every_option" and len(plans) == 4
    means = [float(np.mean(ev.plan(ex, start, p)["within_limit_rate"])) for p in plans]
    ans = best_answer(ex, start, lambda p: ev.plan(ex, start, p))
    assert ans.tried == 4 and math.isclose(float(np.mean(ans.figures["within_limit_rate"])), max(means))
    assert check_plan(ex, start, ans.plan).ok


def test_the_advisor_answers_staff_exercises_within_the_limits():
    ex, start = _exercise(horizon=2, reps=2)
    ev = PlanEvaluator(workers=1)
    ans = best_answer(ex, start, lambda p: ev.plan(ex, start, p), workers=1)
    assert ans is not None and ans.how == "advisor" and check_plan(ex, start, ans.plan).ok
    assert sum(s.judges for s in ans.plan.teams.values()) == sum(t.judges for t in start.teams) + 1


def test_share_grid():
    assert share_grid(0.15, 0.3) == [0.15, 0.2, 0.25, 0.3]
    assert share_grid(0.5, 0.5) == [0.5]


def test_twelve_groups_submit_and_see_their_figures_at_once(tmp_path: Path):
    # the room at the session layer: twelve threads (the server's sessions) submit and ask for
    # figures at the same moment; four distinct plans among them, so four are simulated; every
    # group gets the figures of its own plan (the same as running that plan alone) and no
    # submission is lost (benchmarks/training_load.py times the same with the built-in exercise)
    ex, start = _exercise(horizon=2, reps=2)
    store = TrainingStore(tmp_path)
    code = store.create("x")
    teams = [t.name for t in start.teams]
    plans = [_plus_one(ex, start, teams[i % 3]) for i in range(3)]
    d = plans[0].model_dump()
    d["teams"][teams[1]]["assistants"] += 1
    d["teams"][teams[2]]["assistants"] -= 1
    plans.append(plan_from_dict(d))
    joined = [store.join(code, f"组{i}") for i in range(12)]
    ev = PlanEvaluator(workers=2)
    got: dict[int, dict] = {}
    go = threading.Barrier(12)

    def group(i: int) -> None:
        go.wait()
        gid, tok = joined[i]
        store.submit(code, gid, tok, plans[i % 4], ex, start)
        got[i] = ev.plan(ex, start, plans[i % 4], store, code)

    threads = [threading.Thread(target=group, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert len(got) == 12 and ev.computed == 4
    saved = {g.name: g.plan for g in store.groups(code)}
    assert all(saved[f"组{i}"] == plans[i % 4] for i in range(12))
    alone = PlanEvaluator(workers=1)
    for i in range(4):
        assert np.array_equal(got[i]["closed"], alone.plan(ex, start, plans[i])["closed"])
