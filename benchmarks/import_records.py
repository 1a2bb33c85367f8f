"""Importing a court's records: time to read, check and derive the monthly table of ~20,000 cases.

    python benchmarks/import_records.py

Builds the records from two years of ``scenarios/baseline.yaml`` (one replication, about
22,000 cases: filed in 2025–2026 or pending at the start), writes them as gzipped UTF-8 CSV,
GBK CSV and XLSX, and times :func:`sim.calibration.records.import_cases` plus
:func:`sim.calibration.monthly.derive_monthly` on each. Target: well under 10 s each.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.calibration.durations import by_procedure  # noqa: E402
from sim.calibration.example import CASE_HEADER, build_example, csv_bytes, gz, xlsx_bytes  # noqa: E402
from sim.calibration.monthly import derive_monthly  # noqa: E402
from sim.calibration.records import import_cases  # noqa: E402
from sim.model.scenario import load_scenario  # noqa: E402


def main() -> int:
    ex = build_example(load_scenario(ROOT / "scenarios" / "baseline.yaml"))
    files = {"CSV UTF-8 (gzip)": gz(csv_bytes(CASE_HEADER, ex.cases)),
             "CSV GBK": csv_bytes(CASE_HEADER, ex.cases, "gbk", "slash"),
             "XLSX": xlsx_bytes(CASE_HEADER, ex.cases)}
    print(f"{len(ex.cases)} records")
    worst = 0.0
    for name, data in files.items():
        t0 = time.perf_counter()
        imp = import_cases(data)
        mt = derive_monthly(imp.cases, imp.export_date)
        by_procedure(imp.cases, imp.export_date, since=mt.start)
        sec = time.perf_counter() - t0
        worst = max(worst, sec)
        print(f"{name:18s} {len(data) / 2**20:6.1f} MB  {imp.report.rows_kept} kept  {len(mt.rows)} months  "
              f"{sec:5.2f} s")
    print(f"slowest: {worst:.2f} s (target: under 10 s)")
    return 0 if worst < 10 else 1


if __name__ == "__main__":
    raise SystemExit(main())
