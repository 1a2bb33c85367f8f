"""Time, in a real browser, from a judge-slider move to updated figures on the baseline.

Cold: a setting not seen before (the engine runs the replications). Cached: returning to a
setting already computed (served from the app's results cache). Prints the timings; no asserts.

    /work/venv/bin/python benchmarks/app_latency.py
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from browser_support import app_server, browser_page, card_value, judge_slider, missing_browser, wait_until_idle  # noqa: E402

TIMEOUT_MS = 300_000


def _move(page, key: str, label: str, rows: list) -> None:
    from playwright.sync_api import expect

    util = card_value(page, "judge_utilisation")
    before = util.inner_text()
    thumb = judge_slider(page, 0)
    v0 = thumb.get_attribute("aria-valuetext")
    thumb.focus()
    t0 = time.perf_counter()
    page.keyboard.press(key)
    expect(util).not_to_have_text(before, timeout=TIMEOUT_MS)
    dt = time.perf_counter() - t0
    wait_until_idle(page, TIMEOUT_MS)
    rows.append((label, f"{v0} → {thumb.get_attribute('aria-valuetext')}", dt, util.inner_text()))


def main() -> int:
    why = missing_browser()
    if why:
        print(f"cannot run: {why}")
        return 1
    rows: list = []
    with app_server() as url, browser_page() as (page, _errors):
        t0 = time.perf_counter()
        page.goto(url)
        wait_until_idle(page, TIMEOUT_MS)
        first = time.perf_counter() - t0
        _move(page, "ArrowRight", "cold (new setting)", rows)
        _move(page, "ArrowRight", "cold (new setting)", rows)
        _move(page, "ArrowLeft", "cached (seen before)", rows)
        _move(page, "ArrowLeft", "cached (back to baseline)", rows)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the end")
    print(f"first page with figures (worker pool start + baseline, 20 replications): {first:6.2f} s")
    print(f"{'move':28} {'judges, team 1':16} {'seconds':>8}  utilisation shown")
    for label, move, dt, util in rows:
        print(f"{label:28} {move:16} {dt:8.2f}  {util}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
