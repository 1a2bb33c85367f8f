"""Start the app with ``streamlit run`` and drive it with Playwright and Debian's Chromium.

Shared by tests/test_browser.py and benchmarks/app_latency.py. Follows shared/testing.md:
server on 127.0.0.1 on a free port in its own process group, health poll, group kill.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "tests" / "artifacts"


def missing_browser() -> Optional[str]:
    """Why the browser tests cannot run here, or None when they can."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is not installed (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -r requirements-dev.txt)"
    return None


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def app_server(timeout: float = 60.0, env: Optional[dict] = None, script: str = "app.py") -> Iterator[str]:
    """Run ``streamlit run app.py`` (or another ``script``, relative to the repository) and
    yield its URL; stop its whole process group after.

    ``env`` adds variables to the server's environment (e.g. a temporary scenario folder).
    """
    port = free_port()
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false", PYTHONUNBUFFERED="1", **(env or {}))
    log = open(ARTIFACTS / f"server-{port}.log", "w") if ARTIFACTS.exists() else subprocess.DEVNULL
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--server.fileWatcherType", "none",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with code {proc.returncode} before answering")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().decode().strip() == "ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not answer on {url} within {timeout:.0f} s")
            time.sleep(0.3)
        yield url
    finally:
        _kill_group(proc)
        if log is not subprocess.DEVNULL:
            log.close()


def _kill_group(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


#: Streamlit's frontend, opened at a page's own path (``/compare``), first looks for its server
#: under that path (``/compare/_stcore/health``, a 404) before the app's root: not an error of the app
_BASE_PATH_PROBE = re.compile(r"/[\w-]+/_stcore/(?:health|host-config)$")


def console_error(message) -> bool:
    """Whether a console message is an error of the page (Streamlit's base-path probe is not)."""
    if message.type != "error":
        return False
    url = (message.location or {}).get("url", "")
    return not (message.text.startswith("Failed to load resource") and _BASE_PATH_PROBE.search(url))


@contextmanager
def browser_page(width: int = 1500, height: int = 1000) -> Iterator[tuple]:
    """A Chromium page (and the list its console errors are collected into)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if console_error(m) else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            yield page, errors
        finally:
            browser.close()


# --- page helpers -------------------------------------------------------------------------

def card_value(page, figure: str):
    """Locator of a headline card's value (cards are containers keyed ``card_<figure>``)."""
    return page.locator(f".st-key-card_{figure} [data-testid='stMetricValue']").last


def control(page, key: str):
    """Locator of the plan's control ``key``: drawn under ``key``, then ``key__<n>`` each time
    the plan gives it a value it does not hold (ui/widgets/plan.key_to_draw; the "__" keeps
    ``judges_1`` from matching ``judges_10``)."""
    return page.locator(f".st-key-{key}, [class*='st-key-{key}__']")


def judge_slider(page, team: int):
    """Locator of team ``team``'s judge slider thumb.

    Streamlit 1.67 draws the thumb as ``<input type="range">``, whose role "slider" is
    implicit, so it is found by role rather than by a ``[role=slider]`` attribute selector.
    """
    return control(page, f"judges_{team}").get_by_role("slider")


#: a page is taken to be idle after this long with no run shown (Streamlit shows a run in its
#: status widget only once it has lasted 500 ms)
QUIET_MS = 600
_QUIET_JS = """(quiet) => {
  const w = document.querySelector('[data-testid="stStatusWidget"]');
  const busy = (w && w.innerText.trim()) || document.querySelector('[data-stale="true"]');
  const now = performance.now();
  if (busy) { window.__courtQuietSince = null; return false; }
  if (window.__courtQuietSince == null) window.__courtQuietSince = now;
  return now - window.__courtQuietSince >= quiet;
}"""


def wait_until_no_run(page, timeout_ms: float = 180_000) -> None:
    """Wait until no script run is asked for or in progress, for ``QUIET_MS`` in a row.

    Streamlit's status widget shows a run only after 500 ms, so an empty widget alone let tests
    act in the first half-second of a run (a click then lost when the run it interrupted had
    been started by an upload). While a run is asked for or in progress, every element it has
    not drawn again is marked ``data-stale``; with the status widget that covers a run from the
    click that asks for it to its end, and the quiet spell covers the moment before the server
    answers.
    """
    page.evaluate("() => { window.__courtQuietSince = null; }")
    page.wait_for_function(_QUIET_JS, arg=QUIET_MS, timeout=timeout_ms, polling=50)


def wait_until_idle(page, timeout_ms: float = 180_000) -> None:
    """Wait until the what-if page shows its final cards and no script run is in progress."""
    # .last: while a run redraws the cards, the old ones may still be there beside the new
    page.locator(".st-key-card_within_limit_rate [data-testid='stMetricValue']").last.wait_for(timeout=timeout_ms)
    # preliminary figures carry a marker (class st-key-prelim) until every replication is in
    page.locator(".st-key-prelim").first.wait_for(state="detached", timeout=timeout_ms)
    wait_until_no_run(page, timeout_ms)
