"""The comparison page in a real browser (Debian's Chromium driven by Playwright).

Three short plans (6 months, 3 replications) are saved in a temporary store folder given to
the server through ``COURT_SIM_SCENARIO_DIR``; the test opens the comparison page, picks the
three, checks the pending-caseload chart draws three lines in three colours with three legend
entries, downloads the CSV and reads the three plans in it, downloads the one-page report and
reads it, and fails on any console error.
Screenshots go to tests/artifacts/.
"""
from __future__ import annotations

import csv
import io

import pytest

from browser_support import ARTIFACTS, ROOT, app_server, browser_page, wait_until_no_run
from helpers import html_text

pytestmark = pytest.mark.usefixtures("needs_browser")

LOAD_TIMEOUT_MS = 240_000  # the what-if page runs the baseline first (worker pool start + 20 replications)
PLANS = ("方案A 现状", "方案B 速裁加两名法官", "Plan C more mediation")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from sim.model.scenario import load_scenario
    from sim.store.scenario_store import ENV_VAR, ScenarioStore

    folder = tmp_path_factory.mktemp("saved")
    s = ScenarioStore(folder)
    a = load_scenario(ROOT / "scenarios" / "baseline.yaml").model_copy(update={"horizon_months": 6, "replications": 3})
    teams = [tm.model_copy(update={"judges": tm.judges + 2}) if i == 0 else tm for i, tm in enumerate(a.teams)]
    s.save(a, PLANS[0], note="现状")
    s.save(a.model_copy(update={"teams": teams}), PLANS[1], note="速裁团队增加 2 名法官")
    s.save(a.model_copy(update={"mediation": a.mediation.model_copy(update={"share_offered": 0.75})}), PLANS[2])

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with app_server(env={ENV_VAR: str(folder)}) as url:
        yield url


def _idle(page, timeout_ms: float = LOAD_TIMEOUT_MS) -> None:
    wait_until_no_run(page, timeout_ms)


def _pick(page, picker, label: str, tries: int = 3) -> None:
    """Add one option to the multiselect and wait until the app has finished the rerun.

    A pick made while the previous pick's rerun redraws the widget can be lost, so each pick
    waits for its chip and for the run to end, and is retried if the chip never shows.
    """
    from playwright.sync_api import TimeoutError as PWTimeout

    chip = picker.get_by_text(label, exact=True)
    for _ in range(tries):
        _idle(page)
        picker.locator("input").click()
        try:
            page.get_by_role("option", name=label, exact=True).click(timeout=10_000)
            chip.wait_for(timeout=10_000)
        except PWTimeout:
            page.keyboard.press("Escape")
            continue
        page.keyboard.press("Escape")
        _idle(page)
        return
    raise AssertionError(f"could not pick {label!r}")


def test_three_saved_plans_side_by_side_with_three_lines_and_a_csv_download(server):
    from playwright.sync_api import expect

    with browser_page() as (page, errors):
        page.goto(server)
        page.locator(".st-key-page").get_by_text("方案比较").click(timeout=LOAD_TIMEOUT_MS)
        picker = page.locator(".st-key-cmp_pick")
        picker.wait_for(timeout=LOAD_TIMEOUT_MS)
        for name in PLANS:
            _pick(page, picker, f"已保存｜{name}")

        charts = page.locator("[data-testid='stVegaLiteChart']")
        expect(charts).to_have_count(2, timeout=LOAD_TIMEOUT_MS)
        pending = charts.first
        # each pick reruns the page: wait for the run with all three, then for it to finish, so
        # the download button clicked below is the final run's (an earlier run's file is gone)
        expect(pending.locator(".role-legend-label text")).to_have_count(3, timeout=LOAD_TIMEOUT_MS)
        _idle(page)
        page.wait_for_timeout(500)
        _idle(page)

        # the pending-caseload chart: one line per plan, each its own colour, named in the legend
        legend = sorted(pending.locator(".role-legend-label text").evaluate_all("els => els.map(e => e.textContent)"))
        assert legend == sorted(PLANS), legend
        lines = pending.locator("g.mark-line path")
        assert lines.count() == 3, lines.count()
        strokes = {lines.nth(i).get_attribute("stroke") for i in range(3)}
        assert len(strokes) == 3, strokes
        # and the lines have room to show the change (a squeezed plot draws them flat)
        # (the recalibrated courts' pending caseload moves less, so the plot's own height is the
        # measure of squeezing; the lines must still rise and fall visibly within it)
        plot = pending.locator("svg").first.bounding_box()["height"]
        assert plot > 200, plot
        heights = [lines.nth(i).bounding_box()["height"] for i in range(3)]
        assert max(heights) > 15, heights
        assert page.locator("[data-testid='stException']").count() == 0
        page.screenshot(path=str(ARTIFACTS / "browser_compare.png"), full_page=True)
        pending.scroll_into_view_if_needed()
        pending.screenshot(path=str(ARTIFACTS / "browser_compare_pending_chart.png"))

        with page.expect_download(timeout=60_000) as dl:
            page.locator(".st-key-cmp_dl_csv").get_by_role("button", name="下载比较表（CSV）").click()
        path = dl.value.path()
        raw = open(path, "rb").read()
        assert raw.startswith(b"\xef\xbb\xbf")                  # the BOM Excel on Chinese Windows needs
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        # the plans side by side, the reference marked, one row per figure
        assert [h for h in rows[0] if h.endswith("：平均值")] == [f"{PLANS[0]}（基准）：平均值"] + [
            f"{p}：平均值" for p in PLANS[1:]]
        within = [r for r in rows if r["指标代码"] == "within_limit_rate"]
        assert len(within) == 1 and within[0]["目标"] == "95.0"
        assert dl.value.suggested_filename.endswith(".csv")
        # the workbook and the Word brief, made when clicked
        with page.expect_download(timeout=120_000) as dl:
            page.locator(".st-key-cmp_dl_xlsx").get_by_role("button").click()
        assert dl.value.suggested_filename.endswith(".xlsx")
        import openpyxl

        assert openpyxl.load_workbook(io.BytesIO(open(dl.value.path(), "rb").read())).sheetnames[0] == "方案比较"
        with page.expect_download(timeout=120_000) as dl:
            page.locator(".st-key-cmp_dl_docx").get_by_role("button").click()
        import docx

        brief = docx.Document(dl.value.path())
        assert any(c.text == "简案审限内结案率" for tb in brief.tables for r in tb.rows for c in r.cells)

        # the one-page report, drawn when clicked: the plans, both charts, and words only
        with page.expect_download(timeout=120_000) as dl:
            page.locator(".st-key-cmp_dl_html").get_by_role("button", name="下载一页报告（HTML）").click()
        report = open(dl.value.path(), encoding="utf-8").read()
        assert dl.value.suggested_filename.endswith(".html")
        assert report.count('<figure class="chart"') == 2
        text = html_text(report)
        assert all(name in text for name in PLANS) and "方案比较报告" in text
        assert "诉前调解分流率" in text and "员额法官" in text   # what differs, in words
        assert "mediation." not in text and "teams." not in text
        assert not errors, errors
