"""Time to answer of the allocation advisor.

1. The best split of the staff given, for courts of 11, 25 and 40 judges: the 11-judge court is
   the built-in weak court; the 25- and 40-judge courts are the baseline county court scaled in
   demand, carried-over caseload and every team's staff. Each is advised for its own totals
   with the defaults (3 screening replications, the scenario's 20 refined, top 5).
2. "How many more posts": the weak court with up to ``--extra-posts`` (default 10) more judges,
   the case of issue 23 (the model reaches 95 % within-limit with +8 or +9).

Prints seconds, replications run (the measure that does not depend on the machine's load) and
the answers, with the load average before and after each run (the machine is shared).
Run: ``python benchmarks/advisor.py [--workers 2] [--extra-posts 10] [--part split|more|all]``.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.analysis.advisor import advise  # noqa: E402
from sim.model.scenario import Scenario, load_scenario, scenario_from_dict, scenario_to_dict  # noqa: E402


def scaled(base: Scenario, judges: int) -> Scenario:
    """``base`` with staff, demand and carried-over cases scaled to ``judges`` quota judges."""
    have = sum(t.judges for t in base.teams)
    f = judges / have
    d = scenario_to_dict(base)
    d["name"] = f"{base.name} ×{f:.2f}"
    d["demand"]["disputes_per_year"] = base.demand.disputes_per_year * f
    d["initial_pending"]["simple"] = round(base.initial_pending.simple * f)
    d["initial_pending"]["complex"] = round(base.initial_pending.complex * f)
    for role in ("judges", "assistants", "clerks"):
        vals = [t[role] * f for t in d["teams"]]
        ints = [max(1 if role == "judges" else 0, int(v)) for v in vals]
        order = sorted(range(len(vals)), key=lambda i: -(vals[i] - int(vals[i])))
        target = judges if role == "judges" else round(sum(vals))
        k = 0
        while sum(ints) < target:
            ints[order[k % len(ints)]] += 1
            k += 1
        for t, v in zip(d["teams"], ints):
            t[role] = v
    return scenario_from_dict(d)


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def _totals(scn: Scenario) -> dict[str, int]:
    return {r: sum(getattr(t, r) for t in scn.teams) for r in ("judges", "assistants", "clerks")}


def split(workers: int) -> None:
    """Part 1: the best split of the staff given."""
    courts = [("11 judges (weak court)", load_scenario(ROOT / "scenarios" / "weak-court.yaml"))]
    baseline = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    courts += [(f"{n} judges (baseline scaled)", scaled(baseline, n)) for n in (25, 40)]
    print(f"{'court':<28}{'plans':>7}{'reps run':>10}{'seconds':>10}{'load':>11}  best plan")
    for label, scn in courts:
        tot = _totals(scn)
        before, t0 = _load(), time.perf_counter()
        adv = advise(scn, tot["judges"], tot["assistants"], tot["clerks"], workers=workers)
        dt = time.perf_counter() - t0
        wl = adv.best_results.summary()["within_limit_rate"].mean
        print(f"{label:<28}{len(adv.candidates):>7}{adv.replications_run:>10}{dt:>10.1f}{before + '→' + _load():>11}  "
              f"{adv.best_plan.describe()} (within limit {100 * wl:.1f}%)", flush=True)


def more(workers: int, extra: int) -> None:
    """Part 2: how many more judges the weak court needs (up to ``extra``)."""
    scn = load_scenario(ROOT / "scenarios" / "weak-court.yaml")
    tot = _totals(scn)
    before, t0 = _load(), time.perf_counter()
    adv = advise(scn, tot["judges"], tot["assistants"], tot["clerks"], extra_posts=extra, workers=workers)
    dt = time.perf_counter() - t0
    curve = "  ".join(f"+{p['added']}: {100 * p['figures']['within_limit_rate']['mean']:.1f}%" for p in adv.staff_curve)
    hit = adv.smallest_meeting.get("within_limit_rate")
    print(f"weak court, up to +{extra} judges: {adv.replications_run} replications, {dt:.1f} s "
          f"(load {before}→{_load()}); {len(adv.staff_curve)} totals: {curve}", flush=True)
    print(f"  within-limit rate ≥ 95 %: {'not reached' if hit is None else '+' + str(hit['added'])}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--extra-posts", type=int, default=10)
    ap.add_argument("--part", choices=("split", "more", "all"), default="all")
    a = ap.parse_args()
    if a.part in ("split", "all"):
        split(a.workers)
    if a.part in ("more", "all"):
        more(a.workers, a.extra_posts)


if __name__ == "__main__":
    main()
