"""Calibrating to a court's records: import and fit of about 20,000 cases on this machine.

    python benchmarks/calibration.py

Builds two years of ``scenarios/baseline.yaml`` as a court's export (about 22,000 cases, as in
``benchmarks/import_records.py``), then times :func:`sim.calibration.records.import_cases`
(gzipped UTF-8 CSV) plus :func:`sim.calibration.fit.calibrate` with the monthly and staffing
tables, and the replay of the recorded months. Target: import + fit under 60 s on 2 cores.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.calibration.example import (CASE_HEADER, MONTHLY_HEADER, STAFFING_HEADER, build_example,  # noqa: E402
                                     csv_bytes, gz)
from sim.calibration.fit import calibrate  # noqa: E402
from sim.calibration.records import import_cases  # noqa: E402
from sim.calibration.replay import replay  # noqa: E402
from sim.calibration.totals import import_monthly, import_staffing  # noqa: E402
from sim.model.scenario import load_scenario  # noqa: E402

TARGET = 60.0


def main() -> int:
    ex = build_example(load_scenario(ROOT / "scenarios" / "baseline.yaml"))
    cases = gz(csv_bytes(CASE_HEADER, ex.cases))
    monthly, staffing = csv_bytes(MONTHLY_HEADER, ex.monthly), csv_bytes(STAFFING_HEADER, ex.staffing)
    print(f"{len(ex.cases)} records")
    t0 = time.perf_counter()
    imp = import_cases(cases)
    mon, stf = import_monthly(monthly), import_staffing(staffing)
    t1 = time.perf_counter()
    fit = calibrate(imp, mon, stf, progress=lambda d, n: print(f"\r  fit {d}/{n}", end="", flush=True))
    t2 = time.perf_counter()
    print()
    rp = replay(fit.scenario, fit.estimates.extra["monthly"].rows)
    t3 = time.perf_counter()
    print(f"import {t1 - t0:5.1f} s, fit {t2 - t1:5.1f} s ({fit.evaluations} candidates), "
          f"replay {t3 - t2:4.1f} s ({rp.replications} replications)")
    for name, p in fit.multipliers.items():
        print(f"  {name:15s} {p.value:6.3f}  [{p.low:6.3f}, {p.high:6.3f}]{'' if p.identified else '  (not pinned down)'}")
    print("  replay coverage / MAPE: " + ", ".join(f"{f} {s['coverage']:.0%} / {s['mape']:.1%}"
                                                for f, s in rp.scores().items()))
    total = t2 - t0
    print(f"import + fit: {total:.1f} s (target: under {TARGET:.0f} s)")
    return 0 if total < TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
