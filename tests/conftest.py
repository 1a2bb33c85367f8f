"""Shared pytest set-up: the repository root on sys.path so `sim` and `ui` import."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import os  # noqa: E402

import pytest  # noqa: E402

# The app's run-ahead of one-step slider moves (ui/run_ahead.py) spends idle CPU on moves that
# may come; tests make their own moves, so it would only compete with them. Off for every app
# (AppTest and the browser tests' servers) unless a test turns it on.
os.environ.setdefault("COURT_SIM_RUN_AHEAD", "0")
# Finished runs are kept on disk for the next server (sim/analysis/result_files.py); a test's run
# found there would skip the engine (and a preliminary state) the test means to see. Off, unless a
# test points it at a folder of its own.
os.environ["COURT_SIM_CACHE_DIR"] = "off"


@pytest.fixture
def store_dir(tmp_path, monkeypatch) -> Path:
    """A fresh folder for the scenario store (saved plans), for one test."""
    from sim.store.scenario_store import ENV_VAR

    folder = tmp_path / "saved"
    monkeypatch.setenv(ENV_VAR, str(folder))
    return folder


@pytest.fixture(scope="session")
def needs_browser() -> None:
    """Skip browser tests where Chromium is missing, except in CI, where that is a failure.

    CI once passed with the browser tests skipped because apt-get could not take the dpkg lock;
    a green run must mean the app was driven in a real browser.
    """
    from browser_support import missing_browser

    why = missing_browser()
    if why is None:
        _stop_leftover_app_runs()
        return
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(f"browser tests cannot run in CI: {why}", pytrace=False)
    pytest.skip(f"browser test skipped: {why}")


def _stop_leftover_app_runs() -> None:
    """Stop the replications that earlier AppTest tests left running in this process.

    AppTest runs the app in the test process, with the app's scheduler and its worker
    processes; tests that look at preliminary figures leave the rest of their runs going. The
    browser tests drive servers of their own, and their uploads and picks are timed against
    those servers' reruns, so they should not share the two cores with leftovers.
    """
    engine = sys.modules.get("ui.engine")
    if engine is None:
        return
    try:
        engine.scheduler().close()
        engine.scheduler.clear()   # a later AppTest test gets a fresh scheduler
    except Exception:  # pragma: no cover - hygiene only
        pass


_REAL_MAIN = sys.modules["__main__"]


@pytest.fixture(autouse=True)
def _main_module_restored():
    """Put pytest's own ``__main__`` back after each test.

    Streamlit's script runner makes the script it runs ``__main__`` and leaves it there; for an
    ``AppTest.from_function`` script that is a temporary file. The engine's worker processes are
    started by the forkserver with the parent's main module path, so a worker started after such
    a test re-ran that temporary script, died (``NameError: __args``), and its replications ran
    again in the test process (which broke the scheduler's exactly-once tests).
    """
    yield
    if sys.modules.get("__main__") is not _REAL_MAIN:
        sys.modules["__main__"] = _REAL_MAIN


@pytest.fixture(autouse=True)
def _apptest_runs_until_final(request, monkeypatch):
    """AppTest has no browser to fire the figures fragment's ``run_every`` timer, so after each
    run this does what the browser would: while the page shows preliminary figures, wait for
    the shared runs to finish and run again (as the fragment does when the last one is in). Tests of the preliminary state
    itself are marked ``@pytest.mark.preliminary`` and see each run as it is."""
    if request.node.get_closest_marker("preliminary"):
        yield
        return
    from streamlit.testing.v1 import AppTest

    orig = AppTest._run  # every AppTest run (the first, at.run(), a widget's .run()) goes through this

    def _run(self, widget_state=None, timeout=None):
        out = orig(self, widget_state, timeout)
        from ui.engine import scheduler
        from ui.page import AUTO_RERUN, SHOWN_FINAL
        if SHOWN_FINAL in self.session_state and not self.session_state[SHOWN_FINAL]:
            scheduler().wait_idle(600)
            self.session_state[AUTO_RERUN] = True  # the rerun the fragment would have asked for
            return self._tree.run(timeout=timeout)
        return out

    monkeypatch.setattr(AppTest, "_run", _run)
    yield


def pytest_configure(config):
    config.addinivalue_line("markers", "preliminary: an AppTest test that sees preliminary figures as drawn")
