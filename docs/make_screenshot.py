"""Regenerate docs/screenshot.png: the app in Chinese on the baseline, from a real browser.

    /work/venv/bin/python docs/make_screenshot.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import app_server, browser_page, wait_until_idle  # noqa: E402

WIDTH = 1500


def main() -> int:
    out = ROOT / "docs" / "screenshot.png"
    with app_server() as url, browser_page(width=WIDTH, height=1000) as (page, errors):
        page.goto(url)
        wait_until_idle(page, 300_000)
        # Streamlit scrolls inside its own containers: make the window as tall as the content
        h = page.evaluate("() => Math.max(document.querySelector('[data-testid=stMain]').scrollHeight,"
                          " document.querySelector('[data-testid=stSidebarContent]').scrollHeight)")
        page.set_viewport_size({"width": WIDTH, "height": int(h) + 40})
        time.sleep(2.0)  # let the charts re-lay out at the new size
        wait_until_idle(page, 60_000)
        page.screenshot(path=str(out), full_page=True)
        if errors:
            print("console errors:", errors)
            return 1
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
