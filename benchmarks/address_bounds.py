"""How long the page takes to settle for hostile addresses (issue 21 part 4), in a real browser.

    python benchmarks/address_bounds.py [--rounds 2]

Starts the app (``streamlit run``), opens it once with a plain address so that the baseline's
figures are cached, then opens each address below in a fresh page and times, from ``goto``
to the page being settled (its first card drawn, then no run asked for or in progress for
600 ms, the browser tests' wait, whose 0.6 s quiet spell is taken off the figure), and whether the "part of the link was
ignored" message shows. Before the address was bounded (ui/address_read.py), a 100 KB value
took 13 to 25 s and an address of 4,000 picks was dropped without a word. Addresses the web
server refuses (HTTP status 4xx on the page itself) are listed as such: no page is drawn.
Prints, never asserts.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from playwright.sync_api import Error as PlaywrightError  # noqa: E402

from browser_support import QUIET_MS, app_server, browser_page, wait_until_no_run  # noqa: E402

ADDRESSES = {
    "plain": "",
    "lang=100 KB": "lang=" + "x" * 100_000,
    "s=100 KB": "s=saved:" + "y" * 100_000,
    "e=100 KB": "e=" + "z" * 100_000,
    "x=100 KB": "x=" + "a." * 50_000,
    "4,000 picks": "&".join(["c=builtin:baseline.yaml"] * 4000),
    "4,000 short picks": "&".join(f"c=x{i}" for i in range(4000)),
    "1,000 parameters": "&".join(f"q{i}=1" for i in range(1000)),
}


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=2)
    rounds = ap.parse_args().rounds
    with app_server() as base, browser_page() as (page, _errors):
        page.goto(base + "/?lang=zh", timeout=300_000)
        page.locator(".st-key-card_within_limit_rate [data-testid='stMetricValue']").wait_for(timeout=300_000)
        wait_until_no_run(page, 300_000)  # the baseline's figures are cached from here on
        print(f"{'address':20s} {'length':>8s} {'HTTP':>5s} {'settled (s)':>12s}  message shown")
        for name, query in ADDRESSES.items():
            url = base + "/" + ("?" + query if query else "")
            status = _status(url)
            if status >= 400:
                print(f"{name:20s} {len(query):8,d} {status:5d} {'refused':>12s}")
                continue
            times, shown, refused = [], False, ""
            for _ in range(rounds):
                page.goto("about:blank")
                t0 = time.perf_counter()
                try:
                    resp = page.goto(url, timeout=300_000)
                except PlaywrightError as exc:  # the browser's own refusal (e.g. a response it will not show)
                    refused = str(exc).split("\n", 1)[0].split(" at ", 1)[0]
                    break
                if resp is not None and resp.status >= 400:
                    refused = f"HTTP {resp.status} in the browser"
                    break
                # drawn (the what-if page's first card), then no run for 0.6 s
                page.locator(".st-key-card_within_limit_rate [data-testid='stMetricValue']").wait_for(timeout=300_000)
                wait_until_no_run(page, 300_000)
                times.append(time.perf_counter() - t0 - QUIET_MS / 1000)
                shown = page.locator("[data-testid='stAlert']").filter(has_text="链接").count() > 0
            if refused:
                print(f"{name:20s} {len(query):8,d} {status:5d} {'refused':>12s}  ({refused})")
                continue
            print(f"{name:20s} {len(query):8,d} {status:5d} {statistics.median(times):12.2f}  {'yes' if shown else 'no'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
