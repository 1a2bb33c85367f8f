"""Calibrating to a court's records: import and fit of about 20,000 cases on this machine.

    python benchmarks/calibration.py

Builds two years of ``scenarios/baseline.yaml`` as a court's export (about 22,000 cases, as in
``benchmarks/import_records.py``), then times :func:`sim.calibration.records.import_cases`
(gzipped UTF-8 CSV) plus :func:`sim.calibration.fit.calibrate` with the monthly and staffing
tables, the replay of the recorded months and the forecast from the export (both with a
parameter set drawn per replication). Target: import + fit under 60 s on 2 cores. Wall-clock
and CPU time (this process and its worker processes) are printed: on a machine shared with
other work the wall-clock time overstates what the fit needs.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.calibration.calibrated import origin_after  # noqa: E402
from sim.calibration.example import (  # noqa: E402
    CASE_HEADER,
    MONTHLY_HEADER,
    STAFFING_HEADER,
    build_example,
    csv_bytes,
    gz,
)
from sim.calibration.fit import calibrate  # noqa: E402
from sim.calibration.records import import_cases  # noqa: E402
from sim.calibration.replay import forecast, replay  # noqa: E402
from sim.calibration.totals import import_monthly, import_staffing  # noqa: E402
from sim.model.scenario import load_scenario  # noqa: E402

TARGET = 60.0


def _cpu() -> float:
    """CPU seconds of this process and of its finished and running children (the worker pool)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    try:  # the pool's workers are still alive: read their counters
        import psutil

        for ch in psutil.Process().children(recursive=True):
            t = ch.cpu_times()
            total += t.user + t.system
    except Exception:  # psutil missing or a worker gone: the children's share is then partial
        pass
    return total


def main() -> int:
    ex = build_example(load_scenario(ROOT / "scenarios" / "baseline.yaml"))
    cases = gz(csv_bytes(CASE_HEADER, ex.cases))
    monthly, staffing = csv_bytes(MONTHLY_HEADER, ex.monthly), csv_bytes(STAFFING_HEADER, ex.staffing)
    print(f"{len(ex.cases)} records")
    t0, c0 = time.perf_counter(), _cpu()
    imp = import_cases(cases)
    mon, stf = import_monthly(monthly), import_staffing(staffing)
    t1 = time.perf_counter()
    fit = calibrate(imp, mon, stf, progress=lambda d, n: print(f"\r  fit {d}/{n}", end="", flush=True))
    t2, c2 = time.perf_counter(), _cpu()
    print()
    rp = replay(fit, fit.estimates.extra["monthly"].rows)
    t3 = time.perf_counter()
    fc = forecast(fit, imp.cases, origin_after(imp.export_date), 6, 20)
    t4 = time.perf_counter()
    print(f"import {t1 - t0:5.1f} s, fit {t2 - t1:5.1f} s ({fit.evaluations} candidates), "
          f"replay {t3 - t2:4.1f} s ({rp.replications} replications), forecast {t4 - t3:4.1f} s "
          f"({fc.replications} replications)")
    for name, p in fit.multipliers.items():
        low = "—" if p.low is None else f"{p.low:6.3f}"
        high = "—" if p.high is None else f"{p.high:6.3f}"
        print(f"  {name:15s} {p.value:6.3f}  [{low}, {high}] {p.method}{'' if p.identified else '  (not pinned down)'}")
    print("  replay coverage / MAPE: " + ", ".join(f"{f} {s['coverage']:.0%} / {s['mape']:.1%}"
                                                for f, s in rp.scores().items()))
    total = t2 - t0
    print(f"import + fit: {total:.1f} s wall clock, {c2 - c0:.1f} s CPU (target: under {TARGET:.0f} s on 2 cores)")
    return 0 if total < TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
