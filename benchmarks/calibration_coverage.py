"""How often the fitted ranges hold the truth: synthetic courts with known judge time and preparation.

    python benchmarks/calibration_coverage.py            # the eight courts below
    python benchmarks/calibration_coverage.py 0 4 7      # some of them
    python benchmarks/calibration_coverage.py --seed 7   # the fit on another random stream

A study, not a test (about 15 s a court on 2 cores): ``tests/test_calibration_fit.py`` checks
three of these courts on every run; this prints all eight, so that a change to the fit can be
judged on more than the courts its tests know. Each court is ``scenarios/weak-court-restaffing.yaml``
over 18 months, its template values estimated from its own records, with the simulation-fitted
multipliers set to known values (the truth) and its records written by the simulation
(:func:`sim.calibration.example.build_example`, one replication each); the fit sees only the
records. For every multiplier it prints the fitted value, its range, whether the range holds
the truth and whether the value is pinned down; then how many ranges hold their truth, and per
multiplier the geometric mean of fitted over true value, over all courts and over those where it
is pinned down (a value that is not is the middle of its range by design): a bias the ranges
would not show.
"""
from __future__ import annotations

import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.calibration.build import build_scenario  # noqa: E402
from sim.calibration.example import read_back  # noqa: E402
from sim.calibration.fit import calibrate, estimate  # noqa: E402
from sim.model.scenario import load_scenario  # noqa: E402

#: known multipliers and the replication that writes each court's records; the first three are
#: the courts of tests/test_calibration_fit.py
COURTS = [({"effort_simple": 1.3, "effort_complex": 0.8, "preparation": 1.2}, 0),
          ({"effort_simple": 0.8, "effort_complex": 1.25, "preparation": 0.9}, 3),
          ({"effort_simple": 1.1, "effort_complex": 1.0, "preparation": 1.4}, 7),
          ({"effort_simple": 1.0, "effort_complex": 1.0, "preparation": 1.0}, 1),
          ({"effort_simple": 1.2, "effort_complex": 0.9, "preparation": 1.1}, 2),
          ({"effort_simple": 0.9, "effort_complex": 1.1, "preparation": 0.8}, 5),
          ({"effort_simple": 1.3, "effort_complex": 1.3, "preparation": 1.0}, 9),
          ({"effort_simple": 0.85, "effort_complex": 0.75, "preparation": 1.3}, 4)]


def main(which: list[int], seed: int = 4242) -> None:
    """Fit each chosen court and print its ranges against its truth, then the totals."""
    base = load_scenario(ROOT / "scenarios" / "weak-court-restaffing.yaml").model_copy(update={"horizon_months": 18})
    est = estimate(*read_back(base))
    held = total = 0
    ratios: dict[str, list[float]] = {}
    pinned: dict[str, list[float]] = {}
    for i in which:
        truth, rep = COURTS[i]
        t0 = time.perf_counter()
        known = build_scenario(est, multipliers=truth, seed=777 + rep)
        fit = calibrate(*read_back(known, rep), seed=seed)
        print(f"court {i} (replication {rep}): fit {time.perf_counter() - t0:.0f} s, "
              f"χ²/dof {fit.loss / fit.degrees_of_freedom:.2f}")
        for name, value in truth.items():
            p = fit.multipliers[name]
            inside = p.low <= value <= p.high
            held += inside
            total += 1
            ratios.setdefault(name, []).append(p.value / value)
            if p.identified:
                pinned.setdefault(name, []).append(p.value / value)
            print(f"  {name:15s} {p.value:5.2f} [{p.low:5.2f}, {p.high:5.2f}] truth {value:4.2f}  "
                  f"{'holds' if inside else 'MISSES'}  {'pinned' if p.identified else 'not pinned'}  ({p.method})")
    print(f"ranges holding their truth: {held} of {total}")
    for name, r in ratios.items():
        q = pinned.get(name, [])
        print(f"  {name:15s} fitted / true, geometric mean over {len(r)} courts: {_gmean(r):.3f}; "
              f"over the {len(q)} where it is pinned down: {_gmean(q):.3f}")


def _gmean(r: list[float]) -> float:
    return math.exp(sum(map(math.log, r)) / len(r)) if r else float("nan")


if __name__ == "__main__":
    args = sys.argv[1:]
    fit_seed = int(args.pop(args.index("--seed") + 1)) if "--seed" in args else 4242
    args = [a for a in args if a != "--seed"]
    main([int(a) for a in args] or list(range(len(COURTS))), fit_seed)
