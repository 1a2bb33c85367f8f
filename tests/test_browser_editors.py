"""The team table in a real browser (issue 25 part 2): a cell edited in Streamlit's data grid
(a canvas: clicked, navigated with the keyboard, typed into) changes the plan, and the cards show
the figures of a direct engine run of the plan the edit makes.

The grid draws on a canvas, but keeps an accessible table (``#glide-cell-COL-ROW``) whose text is
what it shows: the test reads the cells from there.
"""
from __future__ import annotations

import re

import pytest

from browser_support import ARTIFACTS, app_server, browser_page, card_value, wait_until_idle

pytestmark = pytest.mark.usefixtures("needs_browser")

LOAD_TIMEOUT_MS = 240_000
QUICK = {"replications": 3, "horizon_months": 3}
TABLE = "[class*='st-key-teams_editor']"   # the key gets a number when an edit moves staff in other rows
HEADER_PX = 36          # the grid's header row
ROW_MARKER_PX = 32      # ui/widgets/team_inputs.py: the row-selection column before the (pinned) name


def _number(text: str) -> float:
    """'1,077 件' → 1077.0, '99.2%' → 0.992."""
    v = float(re.search(r"-?[\d,]+(\.\d+)?", text).group(0).replace(",", ""))
    return v / 100 if "%" in text else v


def _column(page, col: int, rows: int) -> list[str]:
    table = page.locator(TABLE)
    return [table.locator(f"#glide-cell-{col}-{r}").inner_text() for r in range(rows)]


def _direct(assistants: list[int]):
    """The baseline as the page runs it (3 months, 3 replications) with these assistants, run
    straight through the engine."""
    from helpers import ROOT
    from sim.analysis.runner import run
    from sim.model.scenario import load_scenario, scenario_from_dict, scenario_to_dict

    data = scenario_to_dict(load_scenario(ROOT / "scenarios" / "baseline.yaml"))
    data.update(QUICK)
    for tm, a in zip(data["teams"], assistants, strict=True):
        tm["assistants"] = a
    scn = scenario_from_dict(data)
    return run(scn, replications=scn.replications, seed=scn.seed, workers=1).summary()


def test_typing_into_the_team_table_changes_the_figures_to_those_of_a_direct_run():
    """Two more assistants typed into the speedy team's cell (11 → 13) with staff totals kept:
    the table shows the move (one from each five-person team: 13, 4, 4, 4, 4) and the cards show
    a direct run of that plan. Planted bug caught: the table's edits ignored (the handler that
    reads ``edited_rows``)."""
    from playwright.sync_api import expect

    from ui.address import encode_edits

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with app_server() as url, browser_page(1440, 900) as (page, errors):
        page.goto(f"{url}/?e={encode_edits(QUICK)}")
        wait_until_idle(page, LOAD_TIMEOUT_MS)
        pending = card_value(page, "pending_end")
        before = pending.inner_text()
        assert _number(before) == pytest.approx(_direct([11, 5, 5, 4, 4])["pending_end"].mean, abs=0.5)
        assert _column(page, 3, 5) == ["11", "5", "5", "4", "4"]   # column 3: assistants

        canvas = page.locator(TABLE).get_by_test_id("data-grid-canvas")
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        page.mouse.click(box["x"] + ROW_MARKER_PX + 30, box["y"] + HEADER_PX + 17)   # row 0's name
        # each move checked in the grid's accessible table before the next key: a key pressed
        # before the grid had taken the focus was lost, and 13 went into the judges' column
        table = page.locator(TABLE)
        for col in (1, 2, 3):                # name, judges, assistants
            if col > 1:
                page.keyboard.press("ArrowRight")
            expect(table.locator(f"#glide-cell-{col}-0")).to_have_attribute("aria-selected", "true", timeout=30_000)
        page.keyboard.press("Enter")         # open the cell's editor
        editor = page.locator(".gdg-input").first   # the grid's overlay editor
        editor.wait_for(state="visible", timeout=30_000)
        page.keyboard.press("Control+A")
        page.keyboard.type("13")
        # the value typed is all in the editor before it is committed (typed into a grid still
        # opening its editor, a keystroke can be lost and "1" committed instead)
        expect(editor).to_have_value("13", timeout=30_000)
        page.keyboard.press("Enter")
        expect(pending).not_to_have_text(before, timeout=LOAD_TIMEOUT_MS)
        wait_until_idle(page, LOAD_TIMEOUT_MS)
        page.screenshot(path=str(ARTIFACTS / "browser_team_table_edit.png"), full_page=True)

        assert _column(page, 3, 5) == ["13", "4", "4", "4", "4"]
        want = _direct([13, 4, 4, 4, 4])
        assert _number(pending.inner_text()) == pytest.approx(want["pending_end"].mean, abs=0.5)
        assert _number(card_value(page, "within_limit_rate").inner_text()) == \
            pytest.approx(want["within_limit_rate"].mean, abs=0.0005)
        assert page.locator("[data-testid='stException']").count() == 0
        assert not errors, errors
