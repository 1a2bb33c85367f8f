"""The export layer (issue 23 point 6, issue 21 point 3): CSV with a BOM, Chinese headers on
zh, shares in per cent, plans side by side, XLSX with numbers as numbers, a one-page Word brief,
and text that would start a formula kept as text in every export.

Files are read back with the csv module, openpyxl and python-docx, and checked against values
written here or computed from the results another way (the results' own statistics).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from helpers import scenario
from sim.analysis.compare import compare
from sim.analysis.runner import run
from sim.report.tables import Num, Table, formula_safe
from sim.report.tables_run import comparison_csv, comparison_xlsx, run_csv, run_xlsx
from sim.report.tables_studies import allocation_csv, allocation_xlsx
from sim.report.writers import csv_bytes, xlsx_bytes
from sim.vocabulary.export_text import word
from sim.vocabulary.figure_format import figure_label

PLANTED = '=HYPERLINK("http://planted.invalid","x")'
BOM = b"\xef\xbb\xbf"


def _planted_scenario(months: int = 2, **changes):
    scn = scenario("baseline", horizon_months=months, **changes)
    teams = [t.model_copy(update={"name": PLANTED if i == 0 else t.name}) for i, t in enumerate(scn.teams)]
    return scn.model_copy(update={"name": PLANTED, "teams": teams})


@pytest.fixture(scope="module")
def planted_run():
    return run(_planted_scenario(), replications=3, workers=1)


@pytest.fixture(scope="module")
def planted_cmp():
    a = scenario("baseline", horizon_months=2).model_copy(update={"name": "基准方案"})
    b = _planted_scenario(**{"teams.1.judges": 3})
    return compare([a, b], replications=3, workers=1)


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM), "every CSV starts with the byte-order mark"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))


def _csv_guarded(rows: list[list[str]]) -> int:
    """Cells holding the planted text; every one must start with the apostrophe."""
    n = 0
    for row in rows:
        for cell in row:
            if "planted.invalid" in cell:
                assert cell.startswith("'="), f"formula not guarded: {cell!r}"
                n += 1
    return n


def _xlsx_guarded(data: bytes) -> int:
    """Cells holding the planted text: string cells (never formulas) with the quote prefix."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    n = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and "planted.invalid" in c.value:
                    assert c.data_type == "s", f"{ws.title}!{c.coordinate} is {c.data_type}, not text"
                    if c.value.startswith("="):  # the name exactly as typed, kept text by the quote prefix
                        assert c.quotePrefix, f"{ws.title}!{c.coordinate} has no quote prefix"
                    n += 1
    return n


# --- the cells ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["=1+2", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", PLANTED])
def test_text_that_would_start_a_formula_gets_an_apostrophe(text):
    assert formula_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["审限内结案率", "A=B", "1-2", "", "'already"])
def test_other_text_is_left_alone(text):
    assert formula_safe(text) == text


def test_numbers_are_rounded_as_shown_and_shares_written_in_per_cent():
    assert Num(0.94823, 1, percent=True).csv_text() == "94.8"
    assert Num(0.94823, 1, percent=True).rounded() == 0.948
    assert Num(-12.34, 1).csv_text() == "-12.3"            # a negative number is a number, not text
    assert Num(1234.5678, 0).csv_text() == "1235"
    assert Num(float("nan"), 1).csv_text() == "" and Num(None).rounded() is None
    assert Num(-0.0001, 1).csv_text() == "0.0"


def test_a_table_as_csv_and_xlsx_cell_by_cell():
    t = Table("表一", ["名称", "比例（%）", "变化（件）"])
    t.add("甲", Num(0.9512, 1, True), Num(-3, 0))
    t.add(PLANTED, Num(None, 1, True), Num(12.25, 1))
    rows = _csv_rows(csv_bytes(t))
    assert rows == [["名称", "比例（%）", "变化（件）"], ["甲", "95.1", "-3"], ["'" + PLANTED, "", "12.2"]]
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([t])))
    ws = wb["表一"]
    assert ws.freeze_panes == "A2" and ws["A1"].font.b
    assert (ws["B2"].value, ws["B2"].number_format, ws["B2"].data_type) == (0.951, "0.0%", "n")
    assert (ws["C2"].value, ws["C2"].number_format, ws["C2"].data_type) == (-3, "#,##0", "n")
    assert (ws["A3"].value, ws["A3"].data_type, ws["A3"].quotePrefix) == (PLANTED, "s", True)
    assert not ws["A2"].quotePrefix
    assert ws["B3"].value is None and ws["C3"].value == 12.2 and ws["C3"].number_format == "#,##0.0"
    # columns wide enough for their Chinese text (a CJK character counts two)
    assert ws.column_dimensions["B"].width >= len("比例（%）") * 2
    with pytest.raises(ValueError):
        Table("a/b", ["x"])
    with pytest.raises(ValueError):
        t.add("too few")


# --- a run ------------------------------------------------------------------------------------------

def test_run_csv_in_chinese_with_per_cent_and_targets(planted_run):
    res = planted_run
    rows = _csv_rows(run_csv(res, "zh").encode("utf-8"))
    head = rows[0]
    assert head == [word("zh", c) for c in ("scenario", "period", "figure", "mean", "ci_low", "ci_high", "target",
                                            "verdict", "code")]
    by = {(r[1], r[-1]): dict(zip(head, r, strict=True)) for r in rows[1:]}
    s = res.summary()
    tg = res.targets()
    total = word("zh", "total")
    for k in ("within_limit_rate", "within_limit_rate_simple", "within_limit_rate_complex"):
        r = by[(total, k)]
        assert r["指标"] == figure_label("zh", k) and r["指标"].endswith("（%）")
        assert r["平均值"] == f"{100 * s[k].mean:.1f}"                 # per cent, one decimal
        assert r["目标"] == "95.0"                                     # the built-in court's targets
        assert r["是否达标"] == {"met": "达标", "missed": "未达标", "undecided": "尚难判定"}[tg[k]["verdict"]]
    assert by[(total, "pending_end")]["平均值"] == f"{s['pending_end'].mean:.0f}"
    # each procedure's rows, then every month
    procs = [r for r in rows[1:] if r[-1].startswith("within_limit_rate[")]
    assert [r[-1] for r in procs] == ["within_limit_rate[small_claims]", "within_limit_rate[simple]",
                                      "within_limit_rate[ordinary]"]
    assert procs[0][2] == "审限内结案率（%）：小额诉讼"
    assert {r[1] for r in rows[1:]} == {total, "2025-01", "2025-02"}
    assert _csv_guarded(rows) == len(rows) - 1                       # the planted scenario name on every row
    en = _csv_rows(run_csv(res, "en").encode("utf-8"))
    assert en[0][:3] == ["Scenario", "Period", "Figure"] and en[1][1] == "Total"
    assert {r[7] for r in en[1:]} - {""} <= {"met", "missed", "undecided"}


def test_run_workbook_numbers_formats_and_sheets(planted_run):
    res = planted_run
    data = run_xlsx(res, "zh")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["全期指标", "按审判程序", "按月", "各团队", "说明"]
    ws = wb["全期指标"]
    head = [c.value for c in ws[1]]
    rows = {r[head.index("指标代码")].value: r for r in ws.iter_rows(min_row=2)}
    s = res.summary()
    wl = rows["within_limit_rate_simple"][head.index("平均值")]
    assert wl.data_type == "n" and wl.number_format == "0.0%" and wl.value == round(s["within_limit_rate_simple"].mean, 3)
    pend = rows["pending_end"][head.index("平均值")]
    assert pend.number_format == "#,##0" and pend.value == round(s["pending_end"].mean)
    assert rows["within_limit_rate"][head.index("目标")].value == 0.95
    # by procedure: the closed counts add up to the cases closed
    wp = wb["按审判程序"]
    ph = [c.value for c in wp[1]]
    closed = [r[ph.index(word("zh", "closed"))].value for r in wp.iter_rows(min_row=2)]
    assert [r[0].value for r in wp.iter_rows(min_row=2)] == ["小额诉讼", "简易程序", "普通程序"]
    assert abs(sum(closed) - s["closed"].mean) <= 1.5
    # the planted scenario and team names are text wherever they appear
    assert _xlsx_guarded(data) >= 2


def test_the_engine_and_the_app_write_the_same_csv(planted_run):
    from ui.widgets.downloads import results_csv, results_xlsx

    assert results_csv("zh", planted_run) == run_csv(planted_run, "zh")
    assert openpyxl.load_workbook(io.BytesIO(results_xlsx("en", planted_run))).sheetnames[0] == "Summary"


# --- a comparison -----------------------------------------------------------------------------------

def test_comparison_csv_puts_the_plans_side_by_side(planted_cmp):
    cmp = planted_cmp
    rows = _csv_rows(comparison_csv(cmp, "zh").encode("utf-8"))
    head = rows[0]
    ref, other = cmp.names
    assert head[:2] == ["指标", "目标"] and head[-1] == "指标代码"
    assert f"{ref}（基准）：平均值" in head and f"'{other}：平均值" in head   # a planted header is guarded too
    assert f"'{other}：较基准" in head and f"{ref}（基准）：较基准" not in head
    body = {r[-1]: dict(zip(head, r, strict=True)) for r in rows[1:]}
    by = {(r["figure"], r["scenario"]): r for r in cmp.rows()}
    for k in ("within_limit_rate", "within_limit_rate_complex", "pending_end"):
        pct = 100 if k != "pending_end" else 1
        digits = 1 if k != "pending_end" else 0
        assert body[k][f"{ref}（基准）：平均值"] == f"{pct * by[(k, ref)]['mean']:.{digits}f}"
        assert body[k][f"'{other}：较基准"] == f"{pct * by[(k, other)]['diff_mean'] + 0.0:.{digits}f}"
    assert body["within_limit_rate"]["目标"] == "95.0"
    assert body["within_limit_rate"][f"{ref}（基准）：是否达标"] in ("达标", "未达标", "尚难判定")
    assert "within_limit_rate[ordinary]" in body
    assert len(rows) - 1 == len(body)                                 # one row per figure, not per plan


def test_comparison_workbook_and_brief(planted_cmp, tmp_path):
    import docx

    from sim.report.brief import comparison_brief, docx_bytes

    cmp = planted_cmp
    data = comparison_xlsx(cmp, "zh")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["方案比较", "参数差异", "说明"]
    ws = wb["方案比较"]
    head = [c.value for c in ws[1]]
    diff_col = head.index(f"{cmp.names[1]}：较基准")
    diffs = [r[diff_col] for r in ws.iter_rows(min_row=2) if isinstance(r[diff_col].value, (int, float))]
    assert any(c.value < 0 for c in diffs) and all(c.data_type == "n" for c in diffs)  # negative numbers are numbers
    assert ws.cell(1, diff_col + 1).quotePrefix                       # the planted plan name in the header
    assert _xlsx_guarded(data) >= 3

    br = comparison_brief(cmp, "zh", reasons=[PLANTED + " 是瓶颈"])
    doc = docx.Document(io.BytesIO(docx_bytes(br)))
    cells = [c.text for tb in doc.tables for row in tb.rows for c in row.cells]
    text = "\n".join(p.text for p in doc.paragraphs) + "\n" + "\n".join(cells)
    for name in ("审限内结案率", "简案审限内结案率", "繁案审限内结案率", "简案超审限未结案件数", "繁案超审限未结案件数"):
        assert name in cells
    assert "达标" in text or "未达标" in text
    assert f"随机种子：{cmp.seed}" in text and "生成时间" in text
    row = next(tb.rows[i] for tb in doc.tables for i in range(len(tb.rows)) if tb.rows[i].cells[0].text == "简案审限内结案率")
    assert row.cells[1].text == "≥ 95.0%" and "较基准" in row.cells[3].text
    for c in cells + [p.text for p in doc.paragraphs]:
        if "planted.invalid" in c:
            assert not c.startswith("="), f"a brief's text starts a formula: {c!r}"
    assert "'" + PLANTED + " 是瓶颈" in text


def test_command_line_writes_every_export(tmp_path):
    import subprocess
    import sys

    from helpers import ROOT

    scn = tmp_path / "planted.yaml"
    from sim.model.scenario import dump_yaml

    scn.write_text(dump_yaml(_planted_scenario(months=1)), encoding="utf-8")
    out = {k: tmp_path / f"out.{k}" for k in ("csv", "xlsx", "docx")}
    base = [sys.executable, "-m", "sim"]
    env_args = {"cwd": str(ROOT), "capture_output": True, "timeout": 600}
    p = subprocess.run(base + ["run", str(scn), "-n", "2", "-w", "1", "-q", "--lang", "zh", "--csv", str(out["csv"]),
                               "--xlsx", str(out["xlsx"])], **env_args)
    assert p.returncode == 0, p.stderr.decode()
    rows = _csv_rows(out["csv"].read_bytes())
    assert rows[0][0] == "方案" and _csv_guarded(rows) == len(rows) - 1
    assert _xlsx_guarded(out["xlsx"].read_bytes()) >= 2
    p = subprocess.run(base + ["compare", str(scn), "scenarios/baseline.yaml", "--set", "horizon_months=1", "-n", "2",
                               "-w", "1", "-q", "--lang", "en", "--csv", "-", "--xlsx", str(out["xlsx"]),
                               "--docx", str(out["docx"])], **env_args)
    assert p.returncode == 0, p.stderr.decode()
    rows = _csv_rows(p.stdout)                                   # to stdout too, with its BOM
    assert rows[0][:2] == ["Figure", "Target"] and _csv_guarded(rows) >= 1
    assert _xlsx_guarded(out["xlsx"].read_bytes()) >= 1
    import docx

    doc = docx.Document(str(out["docx"]))
    assert any(c.text == "Within-limit rate, simple track" for tb in doc.tables for r in tb.rows for c in r.cells)


# --- the studies ----------------------------------------------------------------------------------------

def test_advice_workbook_is_readable_tables(tmp_path):
    from sim.analysis.advisor import advise
    from sim.report.tables_studies import advice_tables
    from sim.vocabulary.advisor_text import explanation_lines, more_lines
    from test_advisor import tiny

    base = tiny()
    base = base.model_copy(update={"teams": [base.teams[0].model_copy(update={"name": PLANTED}), base.teams[1]]})
    adv = advise(base, 4, 2, 2, refine_replications=3, top_k=2, workers=1, extra_posts=1)
    data = xlsx_bytes(advice_tables(adv, "zh"))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["还需增加多少", "推荐配置", "推荐方案指标", "增加员额", "配置理由", "全部候选方案", "说明"]
    teams = wb["推荐配置"]
    assert [c.value for c in teams[1]][:6] == ["团队", "审判方向", "员额法官（现有）", "法官助理（现有）", "书记员（现有）",
                                               "员额法官（建议）"]
    best = {t.name: t for t in adv.best.teams}
    for r in teams.iter_rows(min_row=2):
        assert r[5].value == best[r[0].value].judges and r[5].data_type == "n"
    assert sum(r[5].value for r in teams.iter_rows(min_row=2)) == 4
    reasons = [r[0].value for r in wb["配置理由"].iter_rows(min_row=2)]
    assert reasons == more_lines(adv.more_explanation or {}, "zh") + explanation_lines(adv.explanation, "zh")
    cands = wb["全部候选方案"]
    assert [r[0].value for r in cands.iter_rows(min_row=2)] == list(range(1, len(adv.candidates) + 1))
    assert _xlsx_guarded(data) >= 1


def test_province_exports(tmp_path):
    from sim.province.allocate import allocate
    from sim.province.spec import load_province
    from test_province import FormulaRunner, small_province

    path = small_province(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("{name: A,", "{name: '" + PLANTED.replace("'", "''") + "',"),
                    encoding="utf-8")
    alloc = allocate(load_province(path), FormulaRunner())
    rows = _csv_rows(allocation_csv(alloc, "zh").encode("utf-8"))
    head = rows[0]
    assert head[0] == "法院" and "推荐分配：法官" in head
    figs = {r[1] for r in rows[1:]}
    assert figure_label("zh", "within_limit_rate") in figs
    posts = [int(r[head.index("推荐分配：法官")]) for r in rows[1:] if r[1] == figure_label("zh", "within_limit_rate")]
    assert sum(posts) == 3                                       # the pool, handed out
    assert _csv_guarded(rows) >= 1
    data = allocation_xlsx(alloc, "en")
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == ["Courts", "Reasons", "About"]
    assert _xlsx_guarded(data) >= 1


def test_training_standings_exports(tmp_path: Path):
    from sim.training.exercise import exercise_from_dict, starting_scenario
    from sim.training.handout import standings_csv, standings_xlsx
    from sim.training.plan import plan_from_dict, starting_plan
    from sim.training.scoring import PlanEvaluator, standings
    from sim.training.session import TrainingStore

    ex = exercise_from_dict({
        "title": {"zh": "新增法官", "en": "Extra judge"}, "brief": {"zh": "放哪里", "en": "Where"},
        "debrief": {"zh": "讲评", "en": "Debrief"}, "scenario": "weak-court.yaml", "seed": 3,
        "replications": 3, "horizon_months": 1,
        "limits": {"change": ["judges", "assistants", "clerks"], "extra": {"judges": 1}},
        "deciding": {"figure": "within_limit_rate", "target": 0.9}})
    start = starting_scenario(ex)
    store, ev = TrainingStore(tmp_path), PlanEvaluator(workers=1)
    code = store.create("x")
    for i, team in enumerate([t.name for t in start.teams][:2]):
        gid, tok = store.join(code, PLANTED if i == 0 else "二组")
        d = starting_plan(ex, start).model_dump()
        d["teams"][team]["judges"] += 1
        store.submit(code, gid, tok, plan_from_dict(d), ex, start)
    st = standings(ex, start, store, code, ev)
    rows = _csv_rows(standings_csv(ex, start, st, "zh").encode("utf-8"))
    head = rows[0]
    assert head[:4] == ["名次", "小组", "方案", figure_label("zh", "within_limit_rate")]
    ranks = [r[0] for r in rows[1:3]]
    assert sorted(ranks) == ["1", "2"] or ranks == ["1", "1"]
    for r in rows[1:3]:
        mean = float(r[3])
        assert 0 <= mean <= 100                                   # in per cent
    assert _csv_guarded(rows) == 1
    data = standings_xlsx(ex, start, st, "zh")
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert ws["D2"].data_type == "n" and ws["D2"].number_format == "0.0%"
    assert _xlsx_guarded(data) == 1


def test_a_planted_team_name_in_the_records_stays_text_through_calibration_and_the_run(tmp_path):
    """A court's staffing and case records whose team field is a formula: calibrated, the team
    keeps that name, and the run's CSV and workbook write it as text."""
    import subprocess
    import sys

    from helpers import ROOT
    from sim.calibration.example import CASE_HEADER, STAFFING_HEADER, build_example
    from sim.calibration.example import csv_bytes as records_csv
    from sim.model.scenario import load_scenario

    scn = load_scenario(ROOT / "scenarios" / "weak-court-restaffing.yaml")
    teams = [t.model_copy(update={"name": PLANTED if i == 0 else t.name}) for i, t in enumerate(scn.teams)]
    ex = build_example(scn.model_copy(update={"horizon_months": 13, "teams": teams}))
    assert any(PLANTED in str(v) for row in ex.staffing for v in row)       # the record field really is planted
    (tmp_path / "cases.csv").write_bytes(records_csv(CASE_HEADER, ex.cases))
    (tmp_path / "staffing.csv").write_bytes(records_csv(STAFFING_HEADER, ex.staffing))
    out, xlsx = tmp_path / "cal.yaml", tmp_path / "cal.xlsx"
    run_args = {"cwd": str(ROOT), "capture_output": True, "timeout": 900}
    p = subprocess.run([sys.executable, "-m", "sim", "calibrate", str(tmp_path / "cases.csv"), "--staffing",
                        str(tmp_path / "staffing.csv"), "--out", str(out), "--xlsx", str(xlsx), "--holdout", "0",
                        "--months", "2", "--replications", "2", "--export-date", "2026-01-31", "-q"], **run_args)
    assert p.returncode == 0, p.stderr.decode()
    assert PLANTED in [t.name for t in load_scenario(out).teams]
    _xlsx_guarded(xlsx.read_bytes())                                  # whatever holds it is text
    csv_out, xlsx_out = tmp_path / "run.csv", tmp_path / "run.xlsx"
    p = subprocess.run([sys.executable, "-m", "sim", "run", str(out), "-n", "2", "-w", "1", "-q", "--csv", str(csv_out),
                        "--xlsx", str(xlsx_out)], **run_args)
    assert p.returncode == 0, p.stderr.decode()
    assert _xlsx_guarded(xlsx_out.read_bytes()) == 1                  # the team on the teams sheet
    _csv_guarded(_csv_rows(csv_out.read_bytes()))


def test_numpy_numbers_are_numbers_and_seeds_stay_exact():
    import numpy as np

    assert Num(np.int64(3)).csv_text() == "3" and Num(np.float64(0.5), 1, True).csv_text() == "50.0"
    assert Num(True).rounded() is None                     # a flag is not a number
    from sim.report.tables_run import about_table

    seed = 2**63 - 1                                        # beyond a double's 53 bits: kept as text
    t = about_table("zh", [(word("zh", "about.seed"), str(seed))])
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([t]))).worksheets[0]
    assert ws["B2"].value == str(seed) and ws["B2"].data_type == "s"
