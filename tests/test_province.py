"""Province files, the post allocation and resumable sweeps, checked without Dask.

The allocation is checked with a runner whose figures are a formula of each court's judges
and disputes, so the greedy choice can be followed by hand; the real engine runs in the
command-line tests and in ``test_province_dask.py``.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from helpers import ROOT
from sim.model.errors import ScenarioError
from sim.model.scenario import load_scenario
from sim.province.allocate import allocate
from sim.province.cluster import ClusterError, DaskRunner, check_address
from sim.province.spec import load_province, province_from_dict
from sim.province.sweep import (
    AS_IS,
    Plan,
    SweepError,
    grid_plans,
    read_rows,
    run_sweep,
    sweep_tasks,
)
from sim.province.tasks import apportion, with_posts

WEAK = str(ROOT / "scenarios" / "weak-court.yaml")


def small_province(tmp_path: Path, extra: str = "", pool: int = 3, c_max: int = 2) -> Path:
    """Three weak-court variants: A (3000 disputes, 11 judges, at most 2 posts), B (2000, 10), C (4000, 11)."""
    text = f"""
name: small
seed: 7
replications: 3
horizon_months: 1
pool: {{judges: {pool}}}
objective: highest_lowest_within_limit_rate
courts:
  - {{name: A, scenario: {WEAK}, max: {{judges: 2}}}}
  - {{name: B, scenario: {WEAK}, set: [demand.disputes_per_year=2000, teams.0.judges=3]}}
  - {{name: C, scenario: {WEAK}, set: [demand.disputes_per_year=4000], max: {{judges: {c_max}}}}}
{extra}"""
    p = tmp_path / "province.yaml"
    p.write_text(text, encoding="utf-8")
    return p


class FormulaRunner:
    """Figures from a formula: within-limit rate 1 − d/(3000·J) + 0.001·r for d disputes a year and
    J judges (the same dice r for every court and plan, as with common random numbers)."""

    description = "formula"

    def __init__(self) -> None:
        self.ran: list[str] = []

    def run(self, tasks, on_done=None):
        out = []
        for i, t in enumerate(tasks):
            d = t.data["demand"]["disputes_per_year"]
            j = sum(team["judges"] for team in t.data["teams"])
            # each track's rate as the court's (the built-in courts have per-track targets)
            reps = [{"within_limit_rate": 1 - d / (3000 * j) + 0.001 * r, "long_pending_end": 100.0 / j,
                     "within_limit_rate_simple": 1 - d / (3000 * j) + 0.001 * r,
                     "within_limit_rate_complex": 1 - d / (3000 * j) + 0.001 * r,
                     "pending_end": d / j, "overdue_pending_end": 10.0, "clearance_rate": 1.0, "disputes": d,
                     # the rest of the headline figures each court reports, constant: no target is on them
                     "overdue_pending_end_simple": 4.0, "overdue_pending_end_complex": 6.0,
                     "disposition_days_mean": 60.0, "judge_utilisation": 0.9, "closures_per_judge": d / j,
                     "mediation_resolution_share": 0.2}
                    for r in range(t.replications)]
            self.ran.append(t.key)
            out.append(reps)
            if on_done:
                on_done(i, reps)
        return out


# --- the province file ----------------------------------------------------------------------
def test_the_example_province_has_twelve_courts_of_different_sizes_and_pressures():
    prov = load_province(ROOT / "scenarios" / "provinces" / "example.yaml")
    assert len(prov.names) == 12 and len(set(prov.names)) == 12
    sizes = [s.demand.disputes_per_year for s in prov.scenarios]
    pressure = [s.demand.disputes_per_year / sum(t.judges for t in s.teams) for s in prov.scenarios]
    assert len(set(sizes)) >= 10 and max(sizes) / min(sizes) > 5
    assert max(pressure) / min(pressure) > 1.2
    assert prov.spec.pool.judges == 20
    assert all(s.horizon_months == prov.spec.horizon_months for s in prov.scenarios)


@pytest.mark.parametrize("data, path, code", [
    ({"name": "x", "courts": [{"name": "A", "scenario": WEAK}], "colour": 1}, "colour", "extra_forbidden"),
    ({"name": "x", "pool": {"judges": "8"}, "courts": [{"name": "A", "scenario": WEAK}]}, "pool.judges",
     "integer_expected"),
    ({"name": "x", "pool": {"judges": True}, "courts": [{"name": "A", "scenario": WEAK}]}, "pool.judges",
     "integer_expected"),
    ({"name": "x", "pool": {"judges": -1}, "courts": [{"name": "A", "scenario": WEAK}]}, "pool.judges", "ge"),
    ({"name": "x", "objective": "best", "courts": [{"name": "A", "scenario": WEAK}]}, "objective", "literal_error"),
    ({"name": "x", "courts": []}, "courts", "list_too_short"),
    ({"name": "x", "courts": [{"name": "A", "scenario": WEAK}, {"name": "A", "scenario": WEAK}]}, "courts.1.name",
     "province_court_twice"),
    ({"name": "x", "pool": {"judges": 2}, "courts": [{"name": "A", "scenario": WEAK, "min": {"judges": 3},
                                                     "max": {"judges": 1}}]}, "courts.0.min.judges",
     "province_min_above_max"),
    ({"name": "x", "pool": {"judges": 2}, "courts": [{"name": "A", "scenario": WEAK, "min": {"judges": 3}}]},
     "pool.judges", "province_min_over_pool"),
])
def test_a_bad_province_file_names_the_field(data, path, code):
    with pytest.raises(ScenarioError) as exc:
        province_from_dict(data)
    assert (path, code) in [(e.path, e.code) for e in exc.value.errors]
    for lang in ("zh", "en"):
        assert all(e.line(lang) for e in exc.value.errors)


def test_a_court_whose_scenario_or_override_is_bad_is_named(tmp_path):
    p = small_province(tmp_path)
    p.write_text(p.read_text().replace("teams.0.judges=3", "teams.0.judges=900"), encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_province(p)
    assert exc.value.errors[0].path.startswith("courts.1.set: teams.0.judges")
    p.write_text(p.read_text().replace(WEAK, "no-such.yaml", 1), encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_province(p)
    assert exc.value.errors[0].path == "courts.0.scenario" and exc.value.errors[0].code == "file_not_found"


def test_the_province_file_goes_through_the_safe_loader(tmp_path):
    p = tmp_path / "bomb.yaml"
    p.write_text("a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                 "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
                 "f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n", encoding="utf-8")
    with pytest.raises(ScenarioError):
        load_province(p)


# --- posts inside a court, and the two simple rules ----------------------------------------
def test_apportion_is_sainte_lague_within_limits_and_never_takes_a_post_back():
    assert apportion(3, [3000, 2000, 4000]) == [1, 1, 1]        # C, A, B in turn
    assert apportion(4, [3000, 2000, 4000]) == [1, 1, 2]        # then C: 4000/3 > 3000/3 > 2000/3
    assert apportion(3, [1, 1, 1], maxs=[2, 3, 0]) == [2, 1, 0]
    assert apportion(5, [1, 1], mins=[3, 0], maxs=[9, 9]) == [3, 2]
    assert apportion(9, [1, 1], maxs=[1, 1]) == [1, 1]          # what no one may take is left over
    prev = [0] * 5
    for k in range(1, 30):
        cur = apportion(k, [11, 5, 5, 4, 4])
        assert sum(cur) == k and all(c >= p for c, p in zip(cur, prev, strict=True))
        prev = cur


def test_few_tasks_are_cut_into_runs_of_replications_largest_first():
    from sim.analysis.dask_runner import PIECES_PER_THREAD, plan_pieces

    costs, counts = [3.0, 1.0, 2.0, 5.0], [10, 10, 10, 0]
    pieces = plan_pieces(costs, counts, threads=2)
    for i, k in enumerate(counts):   # every replication exactly once, in runs of consecutive ones
        runs = sorted((a, b) for j, a, b in pieces if j == i)
        assert [r for a, b in runs for r in range(a, b)] == list(range(k))
    target = PIECES_PER_THREAD * 2
    size = sum(c * k for c, k in zip(costs, counts, strict=True)) / target   # the fair share of one piece
    piece_cost = [costs[i] * (b - a) for i, a, b in pieces]
    assert piece_cost == sorted(piece_cost, reverse=True)     # largest first
    assert max(piece_cost) <= size + max(costs)               # none much bigger than a fair share
    assert target <= len(pieces) <= target + 3
    # enough tasks to go round: each stays whole (one Dask task per court x plan), largest first
    many = [1.0] * 20
    many[7] = 2.0
    assert plan_pieces(many, [5] * 20, threads=2) == [(7, 0, 5)] + [(i, 0, 5) for i in range(20) if i != 7]
    # one court alone is cut, so both workers take part
    alone = sorted(plan_pieces([1.0], [10], threads=2))
    assert len(alone) == target and [r for _i, a, b in alone for r in range(a, b)] == list(range(10))


def test_new_posts_go_to_the_teams_in_proportion_to_their_judges():
    scn = load_scenario(WEAK)   # teams of 4, 4 and 3 judges
    more = with_posts(scn, {"judges": 4, "clerks": 1})
    assert [t.judges for t in more.teams] == [4 + 2, 4 + 1, 3 + 1]
    assert [t.clerks - s.clerks for t, s in zip(more.teams, scn.teams, strict=True)] == [1, 0, 0]
    assert with_posts(scn, {}) is scn


# --- the allocation, followed by hand ------------------------------------------------------
def test_greedy_allocation_follows_the_hand_computed_steps(tmp_path):
    # maximin of 1 − d/(3000·J): C (4000/11) is lowest, so it gets posts until its maximum of 2;
    # then no post can raise the lowest rate, and the tie goes to the larger own gain:
    # A: 3000/3000·(1/11 − 1/12) = 0.0076 > B: 2000/3000·(1/10 − 1/11) = 0.0061
    prov = load_province(small_province(tmp_path))
    a = allocate(prov, FormulaRunner())
    assert a.allocations["recommended"] == [(1, 0, 0), (0, 0, 0), (2, 0, 0)]
    assert [s["court"] for s in a.steps] == ["C", "C", "A"]
    assert a.steps[2]["objective_gain"] == 0
    assert a.steps[2]["within_limit_gain"] == pytest.approx(1 / 11 - 1 / 12, abs=1e-9)
    assert a.allocations["even"] == [(1, 0, 0), (1, 0, 0), (1, 0, 0)]
    assert a.allocations["caseload"] == [(1, 0, 0), (1, 0, 0), (1, 0, 0)]
    # lowest rate per replication: recommended min(1−1/12, 1−2/30, 1−4/39) vs even min(.., 1−4/36)
    want = (1 - 4 / 39) - (1 - 4 / 36)
    d = a.objective_diffs["even"]
    assert d["mean"] == pytest.approx(want) and d["ci_low"] == pytest.approx(want)   # paired: no noise left
    assert [r["code"] for r in a.reasons] == ["given", "less_gain", "given"]
    assert a.reasons[2]["gains"] == pytest.approx([4 / 33 - 4 / 36, 4 / 36 - 4 / 39])


def test_each_court_shows_the_registry_headline_and_every_figure_it_has_a_target_on(tmp_path):
    from sim.vocabulary.figure_registry import HEADLINE

    # court A also aims at a mediation share (not a headline figure) that the formula court misses
    p = small_province(tmp_path)
    p.write_text(p.read_text(encoding="utf-8").replace(
        "max: {judges: 2}}\n  - {name: B",
        "max: {judges: 2}, set: [targets.mediation_resolution_share=0.3]}\n  - {name: B"), encoding="utf-8")
    a = allocate(load_province(p), FormulaRunner())
    rows = {r["court"]: r for r in a.to_json_dict()["court_rows"]}
    assert list(rows["B"]["figures"]) == list(HEADLINE)
    assert list(rows["A"]["figures"]) == [*HEADLINE, "mediation_resolution_share"]
    med = rows["A"]["figures"]["mediation_resolution_share"]
    assert med["target"] == 0.3 and med["now"]["mean"] == pytest.approx(0.2)
    assert "mediation_resolution_share" in rows["A"]["missed_now"]
    assert "mediation_resolution_share" not in rows["B"]["missed_now"]


def test_most_courts_and_long_pending_objectives(tmp_path):
    prov = load_province(small_province(tmp_path, pool=2, c_max=2))
    # long-pending 100/J summed: the post goes where 100/J − 100/(J+1) is largest, the smallest J
    # (B: 10); then all three have 11 judges, a tie broken by the own rate's gain d·(1/11 − 1/12): C
    a = allocate(prov, FormulaRunner(), objective="fewest_long_pending")
    assert [s["court"] for s in a.steps] == ["B", "C"]
    # no court can meet 95 % within the limit here: a tie everywhere, broken by the own rate's gain (C)
    b = allocate(prov, FormulaRunner(), objective="most_courts_meeting_targets")
    assert b.objective_stats["recommended"]["mean"] == 0 and [s["court"] for s in b.steps] == ["C", "C"]


def test_each_court_is_simulated_once_per_number_of_posts(tmp_path):
    prov = load_province(small_province(tmp_path, pool=3, c_max=3))
    runner = FormulaRunner()
    allocate(prov, runner)
    assert len(runner.ran) == len(set(runner.ran))


# --- sweeps --------------------------------------------------------------------------------
def test_a_sweep_writes_one_part_per_task_and_a_restart_skips_the_done_ones(tmp_path):
    prov = load_province(small_province(tmp_path))
    tasks = sweep_tasks(prov, grid_plans(["posts.judges=0,1", "mediation.share_offered=0.2,0.4"]))
    assert len(tasks) == 3 * 4 and len({t.key for t in tasks}) == 12
    out = tmp_path / "out"
    first = FormulaRunner()

    def stop_after_five(task, path):
        if len(list(out.glob("part-*.parquet"))) == 5:
            raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        run_sweep(tasks, out, first, on_part=stop_after_five)
    done = {p.name: p.stat().st_mtime_ns for p in out.glob("part-*.parquet")}
    assert len(done) == 5
    second = FormulaRunner()
    rep = run_sweep(tasks, out, second)
    assert len(rep.skipped) == 5 and len(rep.ran) == 7
    assert not set(second.ran) & set(first.ran[:5])                 # nothing run twice
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("part-*.parquet") if p.name in done} == done
    rows = read_rows(out)
    assert list(rows.columns) == ["court", "plan", "replication", "figure", "value"]
    figures = len(FormulaRunner().run(tasks[:1])[0][0])                # the runner's figures per replication
    assert len(rows) == 12 * 3 * figures and not rows.duplicated(["court", "plan", "replication", "figure"]).any()
    assert set(rows["plan"]) == {f"posts.judges={p},mediation.share_offered={m}" for p in (0, 1) for m in (0.2, 0.4)}
    assert not list(out.glob(".tmp-*"))


def test_a_plan_with_posts_and_overrides_changes_the_court():
    prov_dir = ROOT / "scenarios" / "provinces" / "example.yaml"
    prov = load_province(prov_dir)
    prov.spec = prov.spec.model_copy(update={"courts": prov.spec.courts[:1]})
    prov.scenarios = prov.scenarios[:1]
    [t] = sweep_tasks(prov, [Plan("p", ("posts.judges=2", "teams.0.clerks=1"))], replications=1)
    assert sum(x["judges"] for x in t.data["teams"]) == sum(x.judges for x in prov.scenarios[0].teams) + 2 and t.data["teams"][0]["clerks"] == 1
    with pytest.raises(ScenarioError) as exc:
        sweep_tasks(prov, [Plan("p", ("posts.bailiffs=2",))])
    assert exc.value.errors[0].code == "sweep_posts"
    with pytest.raises(SweepError):
        grid_plans(["posts.judges"])
    assert sweep_tasks(prov, [])[0].plan == AS_IS.name


# --- the scheduler's address ---------------------------------------------------------------
def test_a_scheduler_address_is_checked_before_connecting():
    assert check_address("tcp://10.0.0.5:8786") and check_address("localhost:8786")
    with pytest.raises(ClusterError) as exc:
        check_address("http://x y")
    assert exc.value.code == "dask_bad_address"


def test_an_unreachable_scheduler_is_a_coded_message_within_the_timeout(monkeypatch):
    """The runner's timeout is the one the connection is made with (checked on the call, not on a
    clock); the wall time only has a margin no machine misses (dask's own default is 30 s)."""
    import socket

    import distributed

    with socket.socket() as s:   # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    asked: list = []
    real = distributed.Client

    def client(*args, **kwargs):
        asked.append(kwargs.get("timeout"))
        return real(*args, **kwargs)
    monkeypatch.setattr(distributed, "Client", client)
    t0 = time.monotonic()
    with pytest.raises(ClusterError) as exc:
        DaskRunner(scheduler=f"tcp://127.0.0.1:{port}", timeout=2).client()
    assert exc.value.code == "dask_unreachable" and asked == [2]
    assert time.monotonic() - t0 < 300
    assert str(port) in exc.value.text("zh") and "dask scheduler" in exc.value.text("en")


# --- the command line ----------------------------------------------------------------------
def sim(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "LANG": "C.UTF-8"})


def test_allocate_posts_on_the_command_line_in_both_languages(tmp_path):
    p = small_province(tmp_path, pool=1)
    zh = sim("allocate-posts", str(p), "--runner", "local", "-n", "2", "-q", "--lang", "zh")
    assert zh.returncode == 0, zh.stderr
    assert "逐院说明" in zh.stdout and "平均分配" in zh.stdout and "分得 1 名员额法官" in zh.stdout
    en = sim("allocate-posts", str(p), "--runner", "local", "-n", "2", "-q", "--lang", "en", "--json", "-")
    import json

    data = json.loads(en.stdout)
    assert sum(x["judges"] for x in data["allocations"]["recommended"]) == 1
    assert [r["court"] for r in data["court_rows"]] == ["A", "B", "C"]


def test_an_unreachable_scheduler_on_the_command_line_exits_2_with_one_line(tmp_path):
    p = small_province(tmp_path)
    out = sim("allocate-posts", str(p), "--scheduler", "tcp://127.0.0.1:9", "--timeout", "2", "--lang", "en")  # with the progress bar
    assert out.returncode == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in out.stderr and "Traceback" not in out.stderr


def test_sweep_on_the_command_line_resumes_and_its_parts_answer_sql(tmp_path):
    p = small_province(tmp_path)
    out = tmp_path / "rows"
    args = ("sweep", str(p), "--out", str(out), "--grid", "posts.judges=0,1", "--runner", "local", "-n", "1",
            "-q", "--lang", "en")
    first = sim(*args)
    assert first.returncode == 0, first.stderr
    assert "ran 6 tasks, skipped 0" in first.stdout
    again = sim(*args)
    assert "ran 0 tasks, skipped 6" in again.stdout
    import duckdb

    got = duckdb.sql(f"SELECT court, plan, count(*) AS n FROM '{out}/*.parquet' WHERE figure = 'within_limit_rate' "
                     "GROUP BY court, plan ORDER BY court, plan").fetchall()
    assert got == [(c, f"posts.judges={k}", 1) for c in "ABC" for k in (0, 1)]
    bad = sim("sweep", str(p), "--out", str(out), "--grid", "posts.judges", "--runner", "local", "--lang", "en")
    assert bad.returncode == 2 and "--grid takes FIELD=V1,V2" in bad.stderr
    unknown = sim("sweep", str(p), "--out", str(out), "--court", "Z", "--runner", "local", "--lang", "zh")
    assert unknown.returncode == 2 and "没有名为" in unknown.stderr


def test_a_results_folder_that_is_a_file_is_refused_and_stale_temporary_parts_are_removed(tmp_path):
    from sim.province.sweep import prepare_out

    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(SweepError) as exc:
        prepare_out(f)
    assert exc.value.code == "sweep_out_not_folder"
    d = tmp_path / "rows"
    d.mkdir()
    (d / ".tmp-123.parquet").write_bytes(b"half a part")
    prepare_out(d)
    assert not list(d.iterdir())


def test_when_two_courts_must_rise_together_the_answer_is_not_worse_than_the_rules(tmp_path):
    # A and B share the lowest rate 1 − 1/11; C is higher (1 − 0.4/5 = 0.92) but gains most from a
    # post of its own (0.4·(1/5 − 1/6) > 1/11 − 1/12, and again for its second), so handing out
    # post by post gives C both posts, which cannot raise the lowest rate. One post each to A and
    # B can (as spreading evenly does): that is the answer.
    p = tmp_path / "p.yaml"
    p.write_text(f"""
name: pair
pool: {{judges: 2}}
objective: highest_lowest_within_limit_rate
courts:
  - {{name: A, scenario: {WEAK}}}
  - {{name: B, scenario: {WEAK}}}
  - {{name: C, scenario: {WEAK}, set: [demand.disputes_per_year=1200, teams.0.judges=1, teams.1.judges=2,
                                     teams.2.judges=2]}}
""", encoding="utf-8")
    a = allocate(load_province(p), FormulaRunner())
    assert [s["court"] for s in a.steps] == ["C", "C"]             # the greedy pass alone
    assert a.allocations["recommended"] == [(1, 0, 0), (1, 0, 0), (0, 0, 0)]
    assert a.objective_stats["recommended"]["mean"] == pytest.approx(1 - 1 / 12 + 0.001 * 4.5)   # 10 replications
    for rule in ("even", "caseload"):
        assert a.objective_diffs[rule]["mean"] >= 0


def test_posts_are_moved_after_the_greedy_pass_when_that_improves_the_objective():
    from sim.province import allocate as A

    class Ev:   # two courts, rates by posts: A 0.5 → 0.6 → 0.9, B 0.55 → 0.56 → 0.57
        replications = 1
        province = None
        table = {0: [0.5, 0.6, 0.9], 1: [0.55, 0.56, 0.57]}

        def ensure(self, wanted):
            pass

        def values(self, i, p, figure):
            return np.array([self.table[i][p[0]]])

    class Prov:
        names = ["A", "B"]

        class spec:
            class courts_item:
                class min:
                    @staticmethod
                    def get(role):
                        return 0
            courts = [courts_item, courts_item]

        @staticmethod
        def limit(i, role):
            return 2 if role == "judges" else 0

    # sum of rates is not an objective; the lowest rate is: (1, 1) gives min(0.6, 0.56) = 0.56,
    # (2, 0) gives min(0.9, 0.55) = 0.55, (0, 2) gives 0.5: start from (2, 0), one move to (1, 1)
    got, moves = A._exchange(Prov, Ev(), "highest_lowest_within_limit_rate", [(2, 0, 0), (0, 0, 0)], [])
    assert got == [(1, 0, 0), (1, 0, 0)]
    assert moves == [{"role": "judges", "from": "A", "to": "B", "objective_gain": pytest.approx(0.01)}]
