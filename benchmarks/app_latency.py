"""Time from a judge-slider move to the first and to the final figures, one session and six.

First figures: the headline cards change (drawn from the first replications, marked as
preliminary, or from the cache). Final: every replication is in (the preliminary marker,
the block keyed ``prelim``, class ``st-key-prelim`` in a browser, is gone) and the cards show
the new setting.

1. One session (a real browser, Chromium, drawing everything): three moves to settings not
   seen before, then three back to settings already seen. Before each move the user reads the
   figures for ``READ_S`` seconds, except before the third, which comes as soon as the final
   figures show (with run ahead: while the move's first replication may still be running).
2. Six sessions at once, each moving to a different setting not seen before.
3. Six sessions at once moving to the same new setting (they share one run).

In 2 and 3 the six sessions are, by default, ONE real Chromium page (the measured user, who
sees everything drawn, charts included; the page of part 1) and FIVE protocol clients
(``tests/st_session.py``): sessions that speak Streamlit's websocket protocol as a page does
(full widget states, the figures' fragment reruns every half second, the message cache) but
draw nothing. Real users' browsers run on their own machines; six browsers on the server's two
cores would take the CPU the simulation needs and the times would say more about the browsers
than about the app. For a protocol client the time runs from sending the move to receiving the
card whose value differs (first) and to the end of the first run after which no preliminary
marker remains (final).

``--browsers``: the old way, six Chromium pages on the server's cores (without the chart code,
so they draw cards, tables and controls but no charts; with ``--full`` they draw the charts
too), to compare the two.

Run ahead (``ui/runs/run_ahead.py``) is on, as in the app: while a page shows final figures and
the workers are idle, the first replication of each plan one judge-slider step away is run
before the move, so every move here (all one step) may find its first figures waiting, if the
idle time before it was long enough. ``--no-run-ahead`` turns it off: each move's first
replication then starts with the move, which shows what the engine and the server take.

Prints the timings; no asserts (targets: first figures within 1 s for one session, within 3 s
for each of six).

The server writes a timestamp for each step of its page runs (``COURT_SIM_TRACE``, see
``ui/trace.py``), so each move's time is also split: from the move to the server starting the
page run (the client sending the move), to the server having drawn the cards (the page run and
the replications it waits for), and the rest (sending and drawing in the browser).
"runs lost" (protocol sessions): runs of that session, between the move and its final figures,
whose drawing never reached it: Streamlit drops a run's messages still queued on the server when
the session's next run starts, and tells the client by a ``FINISHED_EARLY_FOR_RERUN``. Many
lost runs mean the preliminary figures the fragment redraws every half second were not seen.

    /work/main/.venv/bin/python benchmarks/app_latency.py [--browsers [--full]] [--no-run-ahead]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from browser_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    app_server,
    card_value,
    judge_slider,
    missing_browser,
    wait_until_idle,
)
from st_session import StSession  # noqa: E402

TIMEOUT_MS = 300_000
SESSIONS = 6
POLL_S = 0.02
CARD = "pending_end"
# (team, step) of each of the six sessions: six different settings, none seen before. The page
# keeps the court's total (on by default): a judge added to a team comes from the largest other
# team (the speedy team, or team 2 for the speedy team), one taken goes to the speedy team (or
# team 2). So "team 1 -1" is "team 2 +1", and "team 2 -1" is part 1's "team 1 +1": not used.
MOVES = [(1, +1), (2, +1), (3, +1), (4, +1), (2, -1), (4, -1)]
SAME = (3, -1)  # part 3: every session moves team 4 one judge down (to the speedy team): new too
KEYS = {+1: "ArrowRight", -1: "ArrowLeft"}
READ_S = 2.0  # seconds a user looks at the figures before moving again (part 1)

_STATE_JS = """() => {
  const v = document.querySelector(".st-key-card_pending_end [data-testid='stMetricValue']");
  return [v ? v.innerText : null, document.querySelectorAll('.st-key-prelim').length];
}"""


def _args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--browsers", action="store_true",
                    help="the six sessions are six Chromium pages on the server's cores (no charts drawn)")
    ap.add_argument("--full", action="store_true", help="with --browsers: those pages draw their charts too")
    ap.add_argument("--no-run-ahead", action="store_true",
                    help="turn off the app's run ahead of one-step moves (each move's first replication starts with it)")
    return ap.parse_args()


ARGS = _args()
BROWSERS = ARGS.browsers  # the six sessions are six Chromium pages on the server's cores
FULL = ARGS.full  # (with --browsers) those pages draw their charts too
RUN_AHEAD = not ARGS.no_run_ahead  # the app's run-ahead of one-step moves (on in the app)
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


class PageSession:
    """A session in a Chromium page: moves by key presses, figures read from the drawn page."""

    def __init__(self, page, kind: str) -> None:
        self.page, self.kind, self.id = page, kind, ""
        self._before: Optional[str] = None
        self._first: Optional[float] = None

    def open(self, url: str, trace: Path, known: set[str]) -> float:
        """Load the page and wait for its final figures; returns the seconds it took."""
        t0, wall = time.perf_counter(), time.time()
        self.page.goto(url)
        wait_until_idle(self.page, TIMEOUT_MS)
        self.id = _session_of_new_page(trace, known, wall)
        return time.perf_counter() - t0

    def move(self, team: int, step: int) -> tuple[float, float]:
        """Move team ``team``'s judge slider one step; (perf_counter, wall clock) of the press."""
        self._before, self._first = card_value(self.page, CARD).inner_text(), None
        judge_slider(self.page, team).focus()
        t0, wall = time.perf_counter(), time.time()
        self.page.keyboard.press(KEYS[step])
        return t0, wall

    def times(self, t0: float) -> Optional[tuple[float, float]]:
        """(first, final) seconds after ``t0`` once final figures are drawn, else None (polls)."""
        text, prelim = self.page.evaluate(_STATE_JS)
        now = time.perf_counter()
        if text is None or text == self._before:
            return None
        if self._first is None:
            self._first = now - t0
        return None if prelim else (self._first, now - t0)

    def wait_idle(self) -> None:
        wait_until_idle(self.page, TIMEOUT_MS)

    def undo(self, team: int, step: int) -> None:
        """Take back the last move (``team``, ``step``) and wait until the page shows the figures
        it showed before it, final (a wait for "idle" alone could end before the run starts)."""
        before = self._before
        self.move(team, -step)
        self.page.wait_for_function(
            "t => { const v = document.querySelector(\".st-key-card_pending_end [data-testid='stMetricValue']\");"
            " return v && v.innerText === t; }", arg=before, timeout=TIMEOUT_MS)
        wait_until_idle(self.page, TIMEOUT_MS)

    def runs_lost(self, t0: float, t1: float) -> float:
        return float("nan")  # not seen from the page


class ProtocolSession:
    """A session of ``tests/st_session.py``: the page's protocol, nothing drawn."""

    kind = "protocol"

    def __init__(self, url: str) -> None:
        self.client = StSession(url)
        self.id = ""
        self._before: Optional[str] = None

    def open(self, url: str, trace: Path, known: set[str]) -> float:
        t0 = time.perf_counter()
        self.client.open()
        if not self.client.wait_idle(TIMEOUT_MS / 1000):
            raise RuntimeError("a protocol session's first page run did not finish")
        self.id = self.client.session_id
        known.add(self.id)
        return time.perf_counter() - t0

    def move(self, team: int, step: int) -> tuple[float, float]:
        self._before = self.client.metric(f"card_{CARD}")
        wall = time.time()
        return self.client.step_slider(self.client.judge_slider(team), step), wall

    def times(self, t0: float) -> Optional[tuple[float, float]]:
        first, final = self.client.figure_times(f"card_{CARD}", self._before, t0)
        return None if final != final else (first, final)

    def wait_idle(self) -> None:
        if not self.client.wait_idle(TIMEOUT_MS / 1000):
            raise RuntimeError("a protocol session did not come to rest")

    def undo(self, team: int, step: int) -> None:
        """As :meth:`PageSession.undo`."""
        before = self._before
        t0 = self.move(team, -step)[0]
        if not (self.client.wait_settled(t0, TIMEOUT_MS / 1000) and self.client.wait(
                lambda: self.client.metric(f"card_{CARD}") == before, TIMEOUT_MS / 1000)):
            raise RuntimeError("a protocol session did not come back to the figures before its move")
        self.wait_idle()

    def runs_lost(self, t0: float, t1: float) -> float:
        return self.client.runs_lost(t0, t1)


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
    """Seconds from a move to the server starting its page run, and to its first cards."""
    rows = [r for r in _trace(path) if r["session"] == session and r["t"] >= pressed]
    start = next((r["t"] - pressed for r in rows if r["step"] == "run_start"), float("nan"))
    cards = next((r["t"] - pressed for r in rows if r["step"].startswith("cards:")), float("nan"))
    return start, cards


def _moves(sessions: list, moves: list[tuple[int, int]], trace: Path) -> list[tuple]:
    """Move every session at once (``moves[i]`` for session i) and wait for each one's final
    figures: (first, final, server run starts, server cards drawn) per session, seconds, and
    the runs whose drawing the server dropped unsent in between (protocol sessions only)."""
    pressed = [s.move(team, step) for s, (team, step) in zip(sessions, moves, strict=True)]
    done: list = [None] * len(sessions)
    deadline = time.perf_counter() + TIMEOUT_MS / 1000
    while any(d is None for d in done) and time.perf_counter() < deadline:
        for i, s in enumerate(sessions):
            if done[i] is None:
                done[i] = s.times(pressed[i][0])
        time.sleep(POLL_S)
    for s in sessions:
        s.wait_idle()
    nan = (float("nan"), float("nan"))
    return [(d or nan) + _server_split(trace, s.id, wall) + (s.runs_lost(t0, t0 + (d or nan)[1]),)
            for s, d, (t0, wall) in zip(sessions, done, pressed, strict=True)]


def _print(title: str, rows: list[tuple]) -> None:
    """Rows of (label, first, final, server run started, server cards drawn, runs lost): seconds
    after the move, and runs whose drawing the server dropped unsent (- where not known)."""
    print(f"\n{title}")
    print(f"  {'session / move':40} {'first figures s':>16} {'final s':>9} {'server: run starts':>19} "
          f"{'cards drawn':>12} {'runs lost':>10}")
    for label, a, b, start, cards, lost in rows:
        print(f"  {label:40} {a:16.2f} {b:9.2f} {start:19.2f} {cards:12.2f} "
              f"{'-' if lost != lost else int(lost):>10}")
    if len(rows) > 1:
        print(f"  {'worst':40} " + " ".join(f"{max(r[i] for r in rows):{w}.2f}"
                                         for i, w in ((1, 16), (2, 9), (3, 19), (4, 12))))


def _label(i: int, s, team: int, step: int) -> str:
    return f"session {i + 1} ({s.kind}): team {team + 1} {step:+d}"


def main() -> int:
    why = missing_browser()
    if why:
        print(f"cannot run: {why}")
        return 1
    from playwright.sync_api import sync_playwright

    trace = Path(tempfile.mkdtemp()) / "trace.jsonl"
    # results kept on disk by an earlier server would serve the moves without the engine
    env = {"COURT_SIM_TRACE": str(trace), "COURT_SIM_RUN_AHEAD": "1" if RUN_AHEAD else "0",
           "COURT_SIM_CACHE_DIR": "off"}
    with app_server(env=env) as url, sync_playwright() as p:
        # each user looks at their own page: none may be throttled as a tab in the background
        # (Chromium slows the timers and drawing of pages not in front)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + FOREGROUND_ARGS)
        clients: list[ProtocolSession] = []
        try:
            user = PageSession(_new_page(browser, light=False), "Chromium")
            if BROWSERS:
                six = [PageSession(_new_page(browser, light=not FULL), "Chromium" if FULL else "Chromium, no charts")
                       for _ in range(SESSIONS)]
            else:
                clients = [ProtocolSession(url) for _ in range(SESSIONS - 1)]
                six = [user] + clients
            known: set[str] = set()
            first_page = user.open(url, trace, known)
            for s in six:  # one at a time, so each page's session is known
                if s is not user:
                    s.open(url, trace, known)

            # 1. one session
            one = []
            for label, step, read in (("new setting (team 1 +1)", +1, READ_S),
                                      ("new setting (team 1 +2)", +1, READ_S),
                                      ("new setting at once (team 1 +3)", +1, 0.0),
                                      ("seen before (team 1 +2)", -1, READ_S),
                                      ("seen before (team 1 +1)", -1, READ_S),
                                      ("seen before (baseline)", -1, READ_S)):
                time.sleep(read)
                one.append((label,) + _moves([user], [(0, step)], trace)[0])

            # 2. six sessions, six different new settings, at once
            six_rows = [(_label(i, s, *m),) + r for i, (s, m, r) in enumerate(zip(six, MOVES, _moves(six, MOVES, trace), strict=True))]

            # 3. six sessions, the same new setting (team 4 -1, from the baseline in every session)
            for s, (team, step) in zip(six, MOVES, strict=True):  # first undo each session's own move
                s.undo(team, step)
            same = _moves(six, [SAME] * len(six), trace)
            same_rows = [(_label(i, s, *SAME),) + r for i, (s, r) in enumerate(zip(six, same, strict=True))]
        finally:
            for c in clients:
                c.client.close()
            browser.close()
    errors = [e for c in clients for e in c.client.exceptions]
    if errors:  # a page run stopped with an error: the server did less than for a real page
        print(f"page runs of the protocol sessions stopped with errors ({len(errors)}), first: {errors[0]}")

    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the end")
    if BROWSERS:
        print("six sessions: six Chromium pages on the server's own cores, " +
              ("drawing every chart" if FULL else "not drawing charts (their chart code is not loaded); --full draws them"))
    else:
        print("six sessions: session 1 a Chromium page drawing everything (the measured user), sessions 2-6 protocol "
              "clients (tests/st_session.py: the page's messages, nothing drawn); --browsers: six Chromium pages")
    print("run ahead: " + ("on (one-step moves' first replications run while the workers are idle; "
                           "--no-run-ahead: off)" if RUN_AHEAD else "off (each move's first replication starts with it)"))
    print(f"first page with figures (worker start + baseline, 20 replications): {first_page:6.2f} s")
    _print("1. one session, Chromium (target: first figures <= 1 s)", one)
    _print("2. six sessions at once, six different new settings (target: first figures <= 3 s each)", six_rows)
    _print("3. six sessions at once, one new setting (shared run)", same_rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
