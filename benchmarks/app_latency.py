"""Time, in a real browser, from a judge-slider move to the first and to the final figures.

First figures: the headline cards change (drawn from the first replications, marked as
preliminary, or from the cache). Final: every replication is in (the preliminary marker,
class ``st-key-prelim``, is gone) and the cards show the new setting.

1. One session: two moves to settings not seen before, then two back to settings already seen.
2. Six sessions at once (six pages), each moving to a different setting not seen before.
3. Six sessions at once moving to the same new setting (they share one run).

In 2 and 3 the six browsers run on the server's two cores, where six pages drawing a dozen
Vega charts each take most of the CPU the simulation needs (the users' browsers run on their
own machines). So by default those six pages do not load the chart code: they draw the cards,
tables and controls, not the charts. ``--full`` makes them draw the charts too.

Prints the timings; no asserts (targets: first figures within 1 s for one session, within 3 s
for each of six).

The server writes a timestamp for each step of its page runs (``COURT_SIM_TRACE``, see
``ui/trace.py``), so each move's time is also split: from the key press to the server starting
the page run (the browser sending the move), to the server having drawn the cards (the page
run and the replications it waits for), and the rest (sending and drawing in the browser).
The browsers run on the same cores as the server, so with six pages open their drawing takes
CPU from the simulation; the server's part is what the app itself costs.

    /work/main/.venv/bin/python benchmarks/app_latency.py
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from browser_support import (CHROMIUM, CHROMIUM_ARGS, app_server, card_value, judge_slider,  # noqa: E402
                             missing_browser, wait_until_idle)

TIMEOUT_MS = 300_000
SESSIONS = 6
POLL_S = 0.02
# (team, key) of each of the six sessions: six different settings
# (part 1 visited team 1 at +1 and +2: none of these)
MOVES = [(1, "ArrowRight"), (2, "ArrowRight"), (3, "ArrowRight"), (4, "ArrowRight"), (0, "ArrowLeft"),
         (1, "ArrowLeft")]

_STATE_JS = """() => {
  const v = document.querySelector(".st-key-card_pending_end [data-testid='stMetricValue']");
  return [v ? v.innerText : null, document.querySelectorAll('.st-key-prelim').length];
}"""


FULL = "--full" in sys.argv  # the six sessions' browsers draw their charts too (on the server's cores)
FOREGROUND_ARGS = ["--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                   "--disable-backgrounding-occluded-windows"]
CHART_CODE = "*ArrowVegaLiteChart*"  # Streamlit's chart element, loaded when a page first shows a chart


def _new_page(browser, light: bool):
    """A page at 1500x1000 in Chinese; ``light``: it never loads the chart code, so it draws
    every element but the charts and takes little of the machine's CPU.

    The chart code is blocked inside the browser (DevTools' blocked URLs), not by a Playwright
    route: a route is answered by this script's thread, which is busy polling the pages, and
    the page's drawing would wait for it.
    """
    page = browser.new_page(viewport={"width": 1500, "height": 1000}, locale="zh-CN")
    if light:
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setBlockedURLs", {"urls": [CHART_CODE]})
    return page


PRESSED: dict[float, float] = {}  # perf_counter of a key press -> its wall-clock time (for the trace)


def _press(page, team: int, key: str) -> tuple[str, float]:
    """Move team ``team``'s judge slider one step; return the card text before and the time."""
    before = card_value(page, "pending_end").inner_text()
    thumb = judge_slider(page, team)
    thumb.focus()
    t0 = time.perf_counter()
    PRESSED[t0] = time.time()
    page.keyboard.press(key)
    return before, t0


def _trace(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _session_of_new_page(path: Path, known: set[str], since: float) -> str:
    """The session a page just opened got: the first new session in the trace after ``since``."""
    for row in _trace(path):
        if row["t"] >= since and row["session"] and row["session"] not in known:
            known.add(row["session"])
            return row["session"]
    return ""


def _server_split(path: Path, session: str, pressed: float) -> tuple[float, float]:
    """Seconds from a key press to the server starting its page run, and to its first cards."""
    rows = [r for r in _trace(path) if r["session"] == session and r["t"] >= pressed]
    start = next((r["t"] - pressed for r in rows if r["step"] == "run_start"), float("nan"))
    cards = next((r["t"] - pressed for r in rows if r["step"].startswith("cards:")), float("nan"))
    return start, cards


def _watch(pages: list, befores: list[str], t0s: list[float]) -> list[tuple[float, float]]:
    """Poll every page until each shows final new figures: (first, final) seconds per page."""
    first: list = [None] * len(pages)
    final: list = [None] * len(pages)
    deadline = time.perf_counter() + TIMEOUT_MS / 1000
    while any(f is None for f in final) and time.perf_counter() < deadline:
        for i, page in enumerate(pages):
            if final[i] is not None:
                continue
            text, prelim = page.evaluate(_STATE_JS)
            now = time.perf_counter()
            if text is not None and text != befores[i]:
                if first[i] is None:
                    first[i] = now - t0s[i]
                if not prelim:
                    final[i] = now - t0s[i]
        time.sleep(POLL_S)
    return [(a if a is not None else float("nan"), b if b is not None else float("nan"))
            for a, b in zip(first, final)]


def _print(title: str, rows: list[tuple]) -> None:
    """Rows of (label, first, final, server run started, server cards drawn), seconds after the press."""
    print(f"\n{title}")
    print(f"  {'session / move':34} {'first figures s':>16} {'final s':>9} {'server: run starts':>19} "
          f"{'cards drawn':>12}")
    for label, a, b, start, cards in rows:
        print(f"  {label:34} {a:16.2f} {b:9.2f} {start:19.2f} {cards:12.2f}")
    if len(rows) > 1:
        print(f"  {'worst':34} " + " ".join(f"{max(r[i] for r in rows):{w}.2f}"
                                         for i, w in ((1, 16), (2, 9), (3, 19), (4, 12))))


def main() -> int:
    why = missing_browser()
    if why:
        print(f"cannot run: {why}")
        return 1
    from playwright.sync_api import sync_playwright

    trace = Path(tempfile.mkdtemp()) / "trace.jsonl"
    with app_server(env={"COURT_SIM_TRACE": str(trace)}) as url, sync_playwright() as p:
        # six users each look at their own page: none of the six may be throttled as a tab in
        # the background (Chromium slows the timers and drawing of pages not in front)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + FOREGROUND_ARGS)
        try:
            pages = [_new_page(browser, light=False)] + [_new_page(browser, light=not FULL) for _ in range(SESSIONS)]
            sessions: list[str] = []
            known: set[str] = set()
            first_page = 0.0
            for i, page in enumerate(pages):  # one at a time, so each page's session is known
                t0, wall = time.perf_counter(), time.time()
                page.goto(url)
                wait_until_idle(page, TIMEOUT_MS)
                if i == 0:
                    first_page = time.perf_counter() - t0
                sessions.append(_session_of_new_page(trace, known, wall))

            def split(i: int, t0: float) -> tuple[float, float]:
                return _server_split(trace, sessions[i], PRESSED[t0])

            # 1. one session
            one = []
            for label, key in (("new setting (team 1 +1)", "ArrowRight"), ("new setting (team 1 +2)", "ArrowRight"),
                               ("seen before (team 1 +1)", "ArrowLeft"), ("seen before (baseline)", "ArrowLeft")):
                before, t0 = _press(pages[0], 0, key)
                (a, b), = _watch([pages[0]], [before], [t0])
                wait_until_idle(pages[0], TIMEOUT_MS)
                one.append((label, a, b) + split(0, t0))

            # 2. six sessions, six different new settings, at once
            six_pages = pages[1:]
            befores, t0s = [], []
            for page, (team, key) in zip(six_pages, MOVES):
                b, t0 = _press(page, team, key)
                befores.append(b)
                t0s.append(t0)
            six = _watch(six_pages, befores, t0s)
            for page in six_pages:
                wait_until_idle(page, TIMEOUT_MS)
            six_rows = [(f"session {i + 1}: team {team + 1} {'+1' if key == 'ArrowRight' else '-1'}", a, b)
                        + split(i + 1, t0s[i]) for i, ((team, key), (a, b)) in enumerate(zip(MOVES, six))]

            # 3. six sessions, the same new setting (team 4 -1, from the baseline in every session)
            befores, t0s = [], []
            for page, (team, key) in zip(six_pages, MOVES):  # first undo each session's own move
                page.keyboard.press("ArrowLeft" if key == "ArrowRight" else "ArrowRight")
            for page in six_pages:
                wait_until_idle(page, TIMEOUT_MS)
            for page in six_pages:
                b, t0 = _press(page, 3, "ArrowLeft")
                befores.append(b)
                t0s.append(t0)
            same = _watch(six_pages, befores, t0s)
            same_rows = [(f"session {i + 1}: team 4 -1", a, b) + split(i + 1, t0s[i]) for i, (a, b) in enumerate(same)]
        finally:
            browser.close()

    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the end")
    print("six sessions: " + ("full browsers, drawing every chart on the server's own cores" if FULL else
                              "browsers that do not draw charts (their chart code is not loaded), as if the six "
                              "users' browsers ran on their own machines; --full draws them here"))
    print(f"first page with figures (worker start + baseline, 20 replications): {first_page:6.2f} s")
    _print("1. one session (target: first figures <= 1 s)", one)
    _print("2. six sessions at once, six different new settings (target: first figures <= 3 s each)", six_rows)
    _print("3. six sessions at once, one new setting (shared run)", same_rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
