"""A room full of groups: twelve groups submit at once and each waits for its figures.

Twelve groups join one session of a built-in exercise (default ``three-extra-judges``: the
weak court, 12 months, the exercise's replications), then all submit at the same moment from
twelve threads of one server process (as twelve browser sessions of one Streamlit server do)
and each asks for its plan's figures. Prints each group's time from submitting to seeing its
figures, how many distinct plans were simulated (identical plans are computed once), and
checks that no submission was lost. ``--distinct N``: how many of the twelve plans differ (the
rest repeat them, as groups often converge). The engine's worker pool is started first, as the
app does when it opens.

Run: ``python benchmarks/training_load.py [--exercise three-extra-judges] [--distinct 12] [--workers 2]``
"""
from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.analysis.runner import map_replications  # noqa: E402
from sim.training.exercise import find_exercise  # noqa: E402
from sim.training.plan import check_plan, plan_from_dict, starting_plan  # noqa: E402
from sim.training.scoring import PlanEvaluator  # noqa: E402
from sim.training.session import TrainingStore  # noqa: E402

GROUPS = 12
LIMIT_SECONDS = 10.0


def plans_within_limits(ex, start, n: int) -> list:
    """``n`` different plans within the exercise's limits: the extra judges spread over the
    teams every way, then with one assistant moved."""
    first = starting_plan(ex, start).model_dump()
    teams = list(first["teams"])
    extra = ex.limits.extra.get("judges", 0)
    out = []
    for split in itertools.product(range(extra + 1), repeat=len(teams)):
        if sum(split) != extra:
            continue
        for move in (None, (0, 1), (1, 2), (2, 0)):
            d = {**first, "teams": {k: dict(v) for k, v in first["teams"].items()}}
            for team, k in zip(teams, split, strict=True):
                d["teams"][team]["judges"] += k
            if move is not None:
                a, b = teams[move[0]], teams[move[1] % len(teams)]
                if d["teams"][a]["assistants"] == 0:
                    continue
                d["teams"][a]["assistants"] -= 1
                d["teams"][b]["assistants"] += 1
            p = plan_from_dict(d)
            if check_plan(ex, start, p).ok and p.key() not in {q.key() for q in out}:
                out.append(p)
    return out[:n]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--exercise", default="three-extra-judges")
    ap.add_argument("--distinct", type=int, default=GROUPS)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    entry = find_exercise(args.exercise)
    ex, start = entry.exercise, entry.start
    plans = plans_within_limits(ex, start, max(1, min(GROUPS, args.distinct)))
    if len(plans) < min(GROUPS, args.distinct):
        print(f"only {len(plans)} different plans fit the limits of {args.exercise}")
    chosen = [plans[i % len(plans)] for i in range(GROUPS)]
    # start the pool (the app starts it when the first page opens)
    map_replications([(start, start.seed, 0), (start, start.seed, 1)], args.workers)
    with tempfile.TemporaryDirectory() as tmp:
        store = TrainingStore(tmp)
        code = store.create(args.exercise)
        groups = [store.join(code, f"第{i + 1}组") for i in range(GROUPS)]
        ev = PlanEvaluator(args.workers)
        times: list[float] = [0.0] * GROUPS
        go = threading.Barrier(GROUPS)

        def group(i: int) -> None:
            go.wait()
            t0 = time.perf_counter()
            gid, token = groups[i]
            store.submit(code, gid, token, chosen[i], ex, start)
            ev.plan(ex, start, chosen[i], store, code)
            times[i] = time.perf_counter() - t0

        threads = [threading.Thread(target=group, args=(i,)) for i in range(GROUPS)]
        t_all = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        total = time.perf_counter() - t_all
        saved = {g.name: g.plan for g in store.groups(code)}
        lost = [f"第{i + 1}组" for i in range(GROUPS) if saved.get(f"第{i + 1}组") != chosen[i]]
    print(f"exercise {args.exercise}: {ex.replications} replications of {ex.horizon_months} months per plan")
    for i, s in enumerate(times):
        print(f"  group {i + 1:2d}: figures after {s:5.1f} s")
    print(f"distinct plans simulated: {ev.computed} (of {GROUPS} submissions); all done in {total:.1f} s")
    print(f"slowest group: {max(times):.1f} s (limit {LIMIT_SECONDS:.0f} s): "
          f"{'within' if max(times) < LIMIT_SECONDS else 'OVER'}; submissions lost: {len(lost)}")
    return 0 if not lost and max(times) < LIMIT_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
