"""Shared pytest set-up: the repository root on sys.path so `sim` and `ui` import."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import os  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def needs_browser() -> None:
    """Skip browser tests where Chromium is missing, except in CI, where that is a failure.

    CI once passed with the browser tests skipped because apt-get could not take the dpkg lock;
    a green run must mean the app was driven in a real browser.
    """
    from browser_support import missing_browser

    why = missing_browser()
    if why is None:
        return
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(f"browser tests cannot run in CI: {why}", pytrace=False)
    pytest.skip(f"browser test skipped: {why}")
