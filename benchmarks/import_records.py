"""Importing a court's records: time to read, check and derive the monthly table of ~20,000 cases.

    python benchmarks/import_records.py [--rounds 3]

Builds the records from two years of ``scenarios/baseline.yaml`` (one replication, about
22,000 cases: filed in 2025–2026 or pending at the start), writes them as gzipped UTF-8 CSV,
GBK CSV and XLSX, and times :func:`sim.calibration.records.import_cases` plus
:func:`sim.calibration.monthly.derive_monthly` on each. Target: well under 10 s each.

The parse runs in a child process (:mod:`sim.model.sandbox`); the second table splits
:func:`sim.calibration.readers.read_table` into its parts: the checks of what the file
declares (:mod:`sim.calibration.declared`), the same parse in this process without a child
(what the reader cost before), and ``read_table`` whole with its child started by a fork (as
on the command line, one thread) and from the forkserver (as under Streamlit, where other
threads run). Medians of ``--rounds`` rounds.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.calibration import readers  # noqa: E402
from sim.calibration.durations import by_procedure  # noqa: E402
from sim.calibration.example import CASE_HEADER, build_example, csv_bytes, gz, xlsx_bytes  # noqa: E402
from sim.calibration.monthly import derive_monthly  # noqa: E402
from sim.calibration.records import import_cases  # noqa: E402
from sim.model.scenario import load_scenario  # noqa: E402


def _median(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _in_process(data: bytes) -> None:
    """read_table's work without the child: declared checks, then the parse here."""
    raw = readers._gunzip(data) if data.startswith(b"\x1f\x8b") else data
    kind = readers._kind(raw)
    readers._declared(raw, kind, readers.limits())
    readers.parse_table(raw, kind, raw is not data, readers.limits())


def _declared_only(data: bytes) -> None:
    raw = readers._gunzip(data) if data.startswith(b"\x1f\x8b") else data
    readers._declared(raw, readers._kind(raw), readers.limits())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    rounds = ap.parse_args().rounds
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

    print(f"\nread_table in parts (seconds, median of {rounds}):")
    print(f"{'file':18s} {'declared':>9s} {'no child':>9s} {'fork':>9s} {'forkserver':>11s}")
    rows = {}
    for name, data in files.items():
        rows[name] = [_median(lambda: _declared_only(data), rounds), _median(lambda: _in_process(data), rounds),
                      _median(lambda: readers.read_table(data), rounds)]
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)  # a second thread, as under Streamlit
    other.start()
    readers.read_table(files["CSV GBK"])  # starts the forkserver (once per process)
    for name, data in files.items():
        rows[name].append(_median(lambda: readers.read_table(data), rounds))
    stop.set()
    for name, (dec, here, fork, server) in rows.items():
        print(f"{name:18s} {dec:9.2f} {here:9.2f} {fork:9.2f} {server:11.2f}")
    return 0 if worst < 10 else 1


if __name__ == "__main__":
    raise SystemExit(main())
