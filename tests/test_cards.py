"""The what-if page's cards, detail table, by-procedure table and downloads (ui.widgets.cards,
ui.widgets.downloads) on results written by hand.

Written for the mutation testing of issue 25 (docs/mutation.md): the cards were tested only
against the page's own formatters on a whole simulation, so a card that showed the unpaired
change where the paired one was due, coloured a worse change green, dropped the "doubtful"
after a met target, or a by-procedure row in the other language passed every test. The results
are the three replications of ``tests/test_results.py`` (every figure chosen there), so every
text below is worked out by hand: e.g. the within-limit rate 0.96, 0.97, 0.98 has mean 97.0 %
and interval 0.97 ± 4.3027 × 0.01 / √3 = 94.5 % – 99.5 %, which holds the target 95 %:
undecided.
"""
from __future__ import annotations

import io
import json

import openpyxl
import pytest
from streamlit.proto.Metric_pb2 import Metric
from streamlit.testing.v1 import AppTest

from sim.analysis.results import Stat
from sim.model.scenario import load_yaml_text
from test_results import SCN, _results
from ui.widgets.cards import (
    all_figures_table,
    interval_caption,
    procedures_frame,
    verdict_cell,
    verdict_markdown,
)
from ui.widgets.downloads import slug

GREEN, RED, GRAY = Metric.MetricColor.GREEN, Metric.MetricColor.RED, Metric.MetricColor.GRAY
UP, NONE = Metric.MetricDirection.UP, Metric.MetricDirection.NONE


def test_verdict_cells_and_markdown_in_words_with_the_doubt_after_a_met_only():
    assert verdict_cell("zh", None) == "" and verdict_cell("en", None) == ""
    assert [verdict_cell("zh", {"verdict": v}) for v in ("met", "missed", "undecided")] == [
        "✓ 达标", "✗ 未达标", "? 尚难判定"]
    assert [verdict_cell("en", {"verdict": v}) for v in ("met", "missed", "undecided")] == [
        "✓ met", "✗ missed", "? undecided"]
    # an engine warning undermines a met target (sim.model.caveats): never shown plainly
    assert verdict_cell("zh", {"verdict": "met", "doubtful": True}) == "✓ 达标（存疑，见上方提示）"
    assert verdict_cell("zh", {"verdict": "missed", "doubtful": True}) == "✗ 未达标"
    assert verdict_cell("zh", {"verdict": "met", "doubtful": False}) == "✓ 达标"
    assert verdict_cell("en", {"verdict": "met", "doubtful": True}) == "✓ met (doubtful, see the caution above)"
    wl = {"target": 0.95, "verdict": "undecided"}
    assert verdict_markdown("zh", "within_limit_rate", wl) == ":orange[:material/help: **尚难判定（目标 ≥ 95.0%）**]"
    assert verdict_markdown("en", "pending_end", {"target": 0, "verdict": "missed", "doubtful": True}) == (
        ":red[:material/cancel: **missed (target ≤ 0 cases)**]")
    assert verdict_markdown("zh", "pending_end", {"target": 0, "verdict": "met", "doubtful": True}) == (
        ":green[:material/check_circle: **达标（目标 ≤ 0 件）（存疑，见上方提示）**]")
    assert verdict_markdown("en", "pending_end", {"target": 0, "verdict": "met", "doubtful": True}) == (
        ":green[:material/check_circle: **met (target ≤ 0 cases) (doubtful, see the caution above)**]")


def test_interval_caption_or_that_one_replication_has_none():
    assert interval_caption("zh", "within_limit_rate", Stat(0.948, 0.946, 0.951, 3)) == "95% 区间：94.6% – 95.1%"
    assert interval_caption("en", "pending_end", Stat(20, 19, 23, 2)) == "95 % interval: 19 – 23 cases"
    assert interval_caption("zh", "within_limit_rate", Stat(0.948, 0.948, 0.948, 1)) == "仅 1 次重复：没有置信区间"
    assert interval_caption("en", "pending_end", Stat(20, 20, 20, 1)) == "One replication: no interval"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_detail_table_rows_with_targets(lang):
    df = all_figures_table(lang, _results())
    rows = {r[0]: list(r[1:]) for r in df.itertuples(index=False)}
    assert list(df.columns) == {"zh": ["指标", "平均值", "95% 置信区间", "目标", "判定", "说明"],
                                "en": ["Figure", "Mean", "95 % interval", "Target", "Verdict", "Note"]}[lang]
    if lang == "zh":
        # 0.96, 0.97, 0.98: the interval holds 95 %; (2.4843 / 2.0) ** 2 x 3 → 5 replications
        assert rows["审限内结案率"] == ["97.0%", "94.5% – 99.5%", "≥ 95.0%", "? 尚难判定",
                                    "95% 区间包含目标：约需共 5 次重复（再增加 2 次）才能判定"]
        assert rows["繁案审限内结案率"] == ["60.0%", "35.2% – 84.8%", "≥ 95.0%", "✗ 未达标", ""]
        assert rows["繁案超审限未结案件数"] == ["3 件", "3 – 3 件", "≤ 5 件", "✓ 达标", ""]
        assert rows["期末未结案件数"] == ["21 件", "19 – 23 件", "", "", ""]  # 20, 21, 22: no target
    else:
        assert rows["Clearance rate"] == ["110.0%", "85.2% – 134.8%", "≥ 100.0%", "? undecided",
                                          "the 95 % interval contains the target: about 19 replications "
                                          "(16 more) would likely decide it"]
        assert rows["Overdue pending, simple track"] == ["1 case", "1 – 1 cases", "≤ 0 cases", "✗ missed", ""]
        assert rows["Pending cases at end"] == ["21 cases", "19 – 23 cases", "", "", ""]


def test_the_by_procedure_table_in_each_language():
    # small claims: 10/10, 9/10, 8/10 within the limit, 0.9 ± 4.3027 x 0.1 / √3; simple: no case
    # closed in replication 0, 4/4 and 5/5 after; ordinary 2/5, 3/5, 4/5; enforcement: none closed.
    # Overdue: simple track ≤ 0 (0, 0, 0 met; 1, 0, 0 undecided), complex ≤ 5 (1, 2, 3: 2 ± 2.48 met)
    zh = procedures_frame("zh", _results())
    assert list(zh.columns) == ["审判程序", "类别", "结案数", "审限内结案率", "95% 置信区间", "目标", "判定",
                                "超审限未结案件数", "超审限未结判定"]
    assert zh.values.tolist() == [
        ["小额诉讼", "简案（速裁）", "10 件", "90.0%", "65.2% – 114.8%", "≥ 95.0%", "? 尚难判定", "0 件", "✓ 达标"],
        ["简易程序", "简案（速裁）", "3 件", "100.0%", "100.0% – 100.0%", "≥ 95.0%", "✓ 达标", "0.3 件", "? 尚难判定"],
        ["普通程序", "繁案（精审）", "5 件", "60.0%", "10.3% – 109.7%", "≥ 95.0%", "? 尚难判定", "2 件", "✓ 达标"],
        ["执行", "繁案（精审）", "0 件", "—", "—", "≥ 95.0%", "? 尚难判定", "0.3 件", "✓ 达标"],
    ]
    en = procedures_frame("en", _results())
    assert list(en.columns) == ["Procedure", "Track", "Closed", "Within-limit rate", "95 % interval", "Target",
                                "Verdict", "Overdue pending cases", "Overdue verdict"]
    assert en.values.tolist()[1] == ["Simple procedure", "Simple (speedy)", "3 cases", "100.0%", "100.0% – 100.0%",
                                     "≥ 95.0%", "✓ met", "0.3 cases", "? undecided"]
    assert en.values.tolist()[2][:2] == ["Ordinary procedure", "Complex"]


def test_without_overdue_targets_the_by_procedure_table_has_no_empty_verdict_column():
    import test_results

    # and a procedure without an English name is named by its key; the simple track has no
    # within-limit target: its procedures' target and verdict are empty
    procs = {**SCN.procedures, "ordinary": SCN.procedures["ordinary"].model_copy(update={"label_en": ""})}
    scn = SCN.model_copy(update={"procedures": procs, "targets": SCN.targets.model_copy(update={
        "overdue_pending_end_simple": None, "overdue_pending_end_complex": None, "within_limit_rate_simple": None})})
    res = _results()
    res = type(res)(**{**res.__dict__, "scenario": scn})
    df = procedures_frame("zh", res)
    assert list(df.columns) == ["审判程序", "类别", "结案数", "审限内结案率", "95% 置信区间", "目标", "判定",
                                "超审限未结案件数"]
    assert list(df["审判程序"]) == ["小额诉讼", "简易程序", "普通程序", "执行"]
    assert list(df["目标"]) == ["", "", "≥ 95.0%", "≥ 95.0%"] and list(df["判定"])[:2] == ["", ""]
    assert list(procedures_frame("en", res)["Procedure"]) == ["Small claims", "Simple procedure", "ordinary", "Enforcement"]
    assert test_results.SCN.targets.overdue_pending_end_complex == 5  # the shared scenario untouched


def test_slug_keeps_letters_digits_and_hyphens():
    assert slug("基层法院基准方案 (baseline county court)") == "基层法院基准方案_baseline_county_court"
    assert slug("a-b/c") == "a-b_c"
    assert slug("__x__") == "x" and slug("X档案X") == "X档案X"
    assert slug("//") == "scenario" and slug("") == "scenario"
    assert slug("案" * 70) == "案" * 60


def _cards(lang: str, base_seed: int | None) -> None:
    import numpy as np

    from test_results import _results
    from ui.widgets.cards import render_cards

    base = None if base_seed is None else _results(reps=2, seed=base_seed)
    if base is not None:  # nothing closed in the base: no mean time to compare with
        base.summary_reps["disposition_days_mean"][:] = np.nan
    render_cards(lang, _results(), base)


def _metrics(lang: str, base_seed: int | None) -> tuple[AppTest, dict]:
    at = AppTest.from_function(_cards, args=(lang, base_seed), default_timeout=60).run()
    assert not at.exception, at.exception
    return at, {m.proto.label: (m.proto.body, m.proto.delta, m.proto.color, m.proto.direction) for m in at.metric}


def test_cards_against_a_run_of_another_seed_show_the_difference_of_the_means():
    # the base: replications 0 and 1 only, another seed (not paired): a figure valued 10 i + r has
    # mean 10 i + 1 here and 10 i + 0.5 there; the within-limit rate 0.97 against 0.965
    at, m = _metrics("zh", 7)
    assert m["审限内结案率"] == ("97.0%", "+0.5 个百分点", GREEN, UP)          # higher is better
    assert m["繁案审限内结案率"] == ("60.0%", "+5.0 个百分点", GREEN, UP)
    assert m["超审限未结案件数"] == ("101 件", "+0.5 件", RED, UP)              # lower is better
    assert m["平均审理天数"] == ("151.0 天", "", GRAY, NONE)                 # no change to show
    assert m["法官工作饱和度"][1:] == ("+50.0 个百分点", GRAY, UP)            # neither is better
    assert m["简案审限内结案率"] == ("99.0%", "±0.0 个百分点", GRAY, NONE)       # no change: no arrow
    assert list(m) == ["审限内结案率", "简案审限内结案率", "繁案审限内结案率", "超审限未结案件数",
                       "简案超审限未结案件数", "繁案超审限未结案件数", "结收比", "期末未结案件数", "长期未结案件数",
                       "平均审理天数", "法官工作饱和度", "法官人均结案数"]
    assert at.metric[0].proto.help.startswith("结案中在审限内结案的比例")
    blocks = at.get("flex_container")
    assert [b.proto.id.rsplit("-", 1)[-1] for b in blocks[:2]] == ["cards", "card_within_limit_rate"]
    # a wrapping row of bordered cards (ui.widgets.layout styles the row by its key)
    row = blocks[0].proto.flex_container
    assert (row.direction, row.wrap, row.border) == (row.Direction.HORIZONTAL, True, False)
    assert len(blocks) == 13 and all(b.proto.flex_container.border for b in blocks[1:])
    caps = [c.value for c in at.caption]
    assert caps[:3] == ["95% 区间：94.5% – 99.5%", "95% 区间包含目标：约需共 5 次重复（再增加 2 次）才能判定",
                        "95% 区间：99.0% – 99.0%"]
    assert caps.count("未设目标") == 5  # 12 cards, 7 with a target
    assert [x.value for x in at.markdown][:3] == [":orange[:material/help: **尚难判定（目标 ≥ 95.0%）**]",
                                                  ":green[:material/check_circle: **达标（目标 ≥ 95.0%）**]",
                                                  ":red[:material/cancel: **未达标（目标 ≥ 95.0%）**]"]


def test_cards_against_a_run_of_the_same_seed_show_the_paired_difference():
    # the same seed: replications 0 and 1 are the same runs, so the paired difference is 0
    # everywhere (the difference of the means, 3 replications against 2, is not)
    _, m = _metrics("en", 20250101)
    assert m["Within-limit rate"] == ("97.0%", "±0.0 pp", GRAY, NONE)
    assert m["Overdue pending cases"] == ("101 cases", "±0 cases", GRAY, NONE)
    assert m["Mean disposition time"][1] == ""  # not a number in the base: no change
    assert {d[1][:1] for k, d in m.items() if k != "Mean disposition time"} == {"±"}


def test_cards_without_a_base_have_no_change():
    at, m = _metrics("en", None)
    assert {d[1] for d in m.values()} == {""}
    assert m["Within-limit rate"][0] == "97.0%"
    assert at.caption[0].value == "95 % interval: 94.5% – 99.5%"
    assert [c.value for c in at.caption].count("No target") == 5


def _downloads(lang: str, with_scenario: bool, with_results: bool) -> None:
    from test_results import SCN, _results
    from ui.widgets.downloads import render_downloads

    render_downloads(lang, SCN if with_scenario else None, _results() if with_results else None)


@pytest.fixture
def made_files(monkeypatch):
    """The mime type, file name and maker of every file a download button makes when clicked."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    files: dict[str, tuple] = {}
    orig = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        fid = orig(self, data_callable, mimetype, coordinates, file_name, **kw)
        files[fid] = (mimetype, file_name, data_callable)
        return fid

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return files


def test_downloads_name_and_make_the_scenario_csv_and_workbook(made_files):
    at = AppTest.from_function(_downloads, args=("zh", True, True), default_timeout=60).run()
    assert not at.exception, at.exception
    buttons = {b.proto.id.rsplit("-", 1)[-1]: b.proto for b in at.get("download_button")}
    assert list(buttons) == ["dl_yaml", "dl_csv", "dl_xlsx"]
    assert [b.label for b in buttons.values()] == ["下载当前方案（YAML）", "下载模拟结果（CSV：按月与全期）", "下载模拟结果（Excel）"]
    assert [b.help for b in buttons.values()] == [
        "把当前设置（含修改）保存为方案文件，可放入 scenarios/ 目录或交给他人复现。",
        "每个指标的全期与逐月平均值及 95% 置信区间，可用 Excel 打开。",
        "Excel 工作簿：全期指标（含目标和是否达标）、按审判程序、按月、各团队和说明，数字可直接计算。"]
    assert all(b.ignore_rerun for b in buttons.values()) and len(at.columns) == 3  # side by side
    mime, name, make = made_files[buttons["dl_yaml"].deferred_file_id]
    assert (mime, name) == ("application/x-yaml", "基层法院基准方案_baseline_county_court.yaml")
    assert load_yaml_text(make().decode("utf-8")) == SCN
    mime, name, make = made_files[buttons["dl_csv"].deferred_file_id]
    assert (mime, name) == ("text/csv", "基层法院基准方案_baseline_county_court_results.csv")
    text = make().decode("utf-8")
    assert text.startswith("\ufeff") and "审限内结案率（%）,97.0,94.5,99.5" in text  # per cent, as its header says
    mime, name, make = made_files[buttons["dl_xlsx"].deferred_file_id]
    assert mime == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert name == "基层法院基准方案_baseline_county_court_results.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(make()))
    assert "全期指标" in wb.sheetnames


def test_downloads_without_valid_settings_or_results(made_files):
    at = AppTest.from_function(_downloads, args=("en", False, False), default_timeout=60).run()
    assert not at.exception, at.exception
    assert len(at.get("download_button")) == 0
    assert [x.value for x in at.columns[0].info] == ["Fix the settings to download the scenario."]


def _figures_table(lang: str) -> None:
    from test_results import _results
    from ui.widgets.cards import show_figures_table

    # a team without judges: every met target is doubtful, a verdict too long for one line
    show_figures_table(lang, _results(warnings=[{"code": "team_without_judges", "params": {"team": "x"}}]))


@pytest.mark.parametrize("lang,order", [
    ("zh", ["指标", "平均值", "目标", "判定", "95% 置信区间", "说明"]),
    ("en", ["Figure", "Mean", "Target", "Verdict", "95 % interval", "Note"])])
def test_the_detail_grid_pins_the_name_keeps_value_target_and_verdict_beside_it_and_wraps_them(lang, order):
    at = AppTest.from_function(_figures_table, args=(lang,), default_timeout=60).run()
    assert not at.exception, at.exception
    assert [b.proto.id.rsplit("-", 1)[-1] for b in at.get("flex_container")] == ["tbl_all_figures"]
    grid = at.dataframe[0].proto
    assert list(grid.column_order) == order
    config = json.loads(grid.columns)
    # the name pinned and at most 170 px, the verdict ("✓ 达标（存疑，见上方提示）") at most 140 px
    assert config[order[0]] == {"width": 170, "pinned": True}
    assert config[order[3]] == {"width": 140, "pinned": False}
    assert not any(config[c]["pinned"] for c in order[1:])
    assert grid.row_height > 35  # more than Streamlit's one line


def test_the_detail_grid_is_tall_enough_for_every_row(monkeypatch):
    from ui.widgets import cards, layout

    drawn = {}
    monkeypatch.setattr(layout.st, "dataframe", lambda df, **kw: drawn.update(kw, rows=len(df)))
    cards.show_figures_table("zh", _results())
    # no scrolling inside the grid: Streamlit's 38 px header, each row, and 3 px of border
    assert drawn["height"] == 38 + drawn["row_height"] * drawn["rows"] + 3 and drawn["rows"] > 12


def test_each_download_button_fills_its_column(monkeypatch):
    from ui.widgets import downloads

    calls = []
    monkeypatch.setattr(downloads.st, "download_button", lambda label, **kw: calls.append((label, kw)))
    downloads.render_downloads("en", SCN, _results())
    assert [label for label, _ in calls] == ["Download the scenario (YAML)", "Download the results (CSV: monthly and total)",
                                             "Download the results (Excel)"]
    assert calls[0][1]["help"].startswith("Saves the current settings") and calls[1][1]["help"].startswith(
        "Every figure's total") and calls[2][1]["help"].startswith("An Excel workbook")
    assert [(kw["key"], kw["width"], kw["on_click"]) for _, kw in calls] == [
        ("dl_yaml", "stretch", "ignore"), ("dl_csv", "stretch", "ignore"), ("dl_xlsx", "stretch", "ignore")]
