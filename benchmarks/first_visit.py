"""Time from a freshly started server to its first visitor's figures (issue 23 point 10).

Each round starts ``streamlit run app.py`` anew, waits for its health check, then opens the
page in Chromium (launched before the server, so its start is not counted) and times, from
the moment the address is requested:

- ``cards``: the headline card shows a value (maybe preliminary);
- ``final``: the cards are final (no preliminary marker) with the default scenario's figures;
- ``charts``: the first chart is drawn.

Two ways the first visitor can be served:

- ``computed``: no results kept (``COURT_SIM_CACHE_DIR=off``): the server runs the default
  scenario's replications for its first visitor, as it did before results were kept;
- ``kept``: results kept on disk by an earlier server (a folder primed by one visit first): the
  new server reads them (``sim/analysis/result_files.py``).

Prints the timings of every round and the median; no asserts (target: final figures within
3 s of a fresh server's first visit).

    /work/main/.venv/bin/python benchmarks/first_visit.py [--rounds 3] [--mode both|kept|computed]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from browser_support import CHROMIUM, CHROMIUM_ARGS, app_server  # noqa: E402

ENV = "COURT_SIM_CACHE_DIR"
TIMEOUT_MS = 300_000
CARD = ".st-key-card_within_limit_rate [data-testid='stMetricValue']"


def visit(browser, url: str) -> dict[str, float]:
    """Open ``url`` in a new page and time its first cards, final cards and first chart."""
    page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    try:
        t0 = time.perf_counter()
        page.goto(url)
        page.locator(CARD).last.wait_for(timeout=TIMEOUT_MS)
        cards = time.perf_counter() - t0
        page.locator(".st-key-prelim").first.wait_for(state="detached", timeout=TIMEOUT_MS)
        page.locator(CARD).last.wait_for(timeout=TIMEOUT_MS)
        final = time.perf_counter() - t0
        page.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=TIMEOUT_MS)
        charts = time.perf_counter() - t0
        return {"cards": cards, "final": final, "charts": charts, "value": page.locator(CARD).last.inner_text()}
    finally:
        page.close()


def rounds(browser, env: dict, n: int) -> list[dict]:
    out = []
    for _ in range(n):
        with app_server(env=env) as url:
            out.append(visit(browser, url))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--mode", choices=("both", "kept", "computed"), default="both")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"load average at the start: {os.getloadavg()[0]:.1f}")
    with sync_playwright() as p, tempfile.TemporaryDirectory() as kept:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        results: dict[str, list[dict]] = {}
        if args.mode in ("both", "computed"):
            results["computed"] = rounds(browser, {ENV: "off"}, args.rounds)
        if args.mode in ("both", "kept"):
            with app_server(env={ENV: kept}) as url:  # an earlier server keeps its results
                visit(browser, url)
            results["kept"] = rounds(browser, {ENV: kept}, args.rounds)
        browser.close()
    print(f"{'first visit to a fresh server':32}{'cards':>8}{'final':>8}{'charts':>8}   within-limit rate")
    for mode, rs in results.items():
        for i, r in enumerate(rs, 1):
            print(f"{mode + ' #' + str(i):32}{r['cards']:8.2f}{r['final']:8.2f}{r['charts']:8.2f}   {r['value']}")
        med = {k: statistics.median(r[k] for r in rs) for k in ("cards", "final", "charts")}
        print(f"{mode + ' median':32}{med['cards']:8.2f}{med['final']:8.2f}{med['charts']:8.2f}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
