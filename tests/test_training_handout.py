"""A session's standings, CSV and one-page handout (issue 13, part 3's exports)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from sim.training.answer import best_answer
from sim.training.exercise import exercise_from_dict, starting_scenario
from sim.training.handout import describe_plan, handout_html, standings_csv
from sim.training.plan import plan_from_dict, starting_plan
from sim.training.scoring import PlanEvaluator, standings
from sim.training.session import TrainingStore


def test_standings_csv_and_handout_of_a_session_with_three_groups(tmp_path: Path):
    ex = exercise_from_dict({
        "title": {"zh": "新增法官", "en": "Extra judge"}, "brief": {"zh": "放哪里", "en": "Where"},
        "debrief": {"zh": "讲评<b>", "en": "Debrief <b>"}, "scenario": "weak-court.yaml", "seed": 3,
        "replications": 3, "horizon_months": 2,
        "limits": {"change": ["judges", "assistants", "clerks"], "extra": {"judges": 1}},
        "deciding": {"figure": "pending_end", "target": 500}})
    start = starting_scenario(ex)
    store, ev = TrainingStore(tmp_path), PlanEvaluator(workers=1)
    code = store.create("x")
    teams = [t.name for t in start.teams]
    for i, team in enumerate(teams):
        gid, tok = store.join(code, f"组{i + 1}")
        d = starting_plan(ex, start).model_dump()
        d["teams"][team]["judges"] += 1
        store.submit(code, gid, tok, plan_from_dict(d), ex, start)
    store.join(code, "迟到组")
    st = standings(ex, start, store, code, ev)
    assert [r.group for r in st.rows] and len(st.rows) == 3 and st.waiting == ["迟到组"]
    # the ranking follows the means of pending at the end (lower is better)
    means = [float(np.mean(st.figures[r.group]["pending_end"])) for r in st.rows]
    assert means == sorted(means) and st.answer is None and st.rows[0].vs_best is None
    ans = best_answer(ex, start, lambda p: ev.plan(ex, start, p, store, code), workers=1)
    store.save_answer(code, ans.to_dict())
    st = standings(ex, start, store, code, ev)
    assert st.answer == ans.plan and all(r.vs_best is not None for r in st.rows)

    text = standings_csv(ex, start, st, "zh")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert table[0][:2] == ["名次", "小组"] and len(table) == 1 + 3 + 2
    assert table[-2][1] == "起始方案" and table[-1][1] == "最佳答案"
    assert "法官 4→5" in describe_plan(ex, start, st.plans["组1"], "zh") or \
        "法官 3→4" in describe_plan(ex, start, st.plans["组1"], "zh")
    assert "judges" in describe_plan(ex, start, st.plans["组1"], "en")

    hidden = handout_html(ex, start, st, code, "en", revealed=False)
    assert "Best answer" not in hidden and "Debrief" not in hidden and "组1" in hidden
    shown = handout_html(ex, start, st, code, "zh", revealed=True)
    assert "最佳答案" in shown and "讲评&lt;b&gt;" in shown and "<script" not in shown
    assert "迟到组" in shown
