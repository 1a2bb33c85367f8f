"""A run's and a comparison's export tables (sim.report.tables_run) on results written by hand,
line by line.

Written for the mutation testing of issue 25 (docs/mutation.md): ``test_exports.py`` checks the
run's files on a whole simulation, against the results' own statistics, and left most cells
free. The results are the three replications of ``tests/test_results.py`` (every figure chosen
there), so each line below is worked out by hand: e.g. the within-limit rate 0.96, 0.97, 0.98
is 97.0 % with the interval 0.97 ± 4.3027 × 0.01 / √3 = 94.5 – 99.5 %; the cases filed 0, 1, 2
have the interval 1 ± 2.48, whose lower end is written 0 (no figure is negative).
"""
from __future__ import annotations

import datetime as dt
import re

from sim.report.tables_run import (
    comparison_csv,
    comparison_tables,
    comparison_xlsx,
    run_csv,
    run_tables,
    run_xlsx,
)
from sim.report.writers import csv_text
from test_results import _results

NAME = "基层法院基准方案 (baseline county court)"
NO_JUDGES = [{"code": "team_without_judges", "params": {"team": "x"}}]
AT = dt.datetime(2026, 12, 8, 3, 40)


def _lines(text: str) -> list[str]:
    assert text.startswith("\ufeff")
    return text[1:].split("\r\n")


def test_the_runs_csv_whole_period_then_each_procedure_then_each_month():
    lines = _lines(run_csv(_results(), "zh"))
    assert lines[0] == "方案,期间,指标,平均值,95%区间下限,95%区间上限,目标,是否达标,指标代码"
    total = [x.split(",", 2)[2] for x in lines[1:] if x.startswith(f"{NAME},全期,")]
    assert total[:3] == ["收案数（件）,1,0,3.5,,,filed", "结案数（件）,11,8.5,13,,,closed",
                         "期末未结案件数（件）,21,19,23,,,pending_end"]
    assert "结收比（%）,110.0,85.2,134.8,100.0,尚难判定,clearance_rate" in total
    assert "审限内结案率（%）,97.0,94.5,99.5,95.0,尚难判定,within_limit_rate" in total
    assert "繁案审限内结案率（%）,60.0,35.2,84.8,95.0,未达标,within_limit_rate_complex" in total
    assert "繁案超审限未结案件数（件）,3,3,3,5,达标,overdue_pending_end_complex" in total
    # each procedure's two time-limit figures, against its track's targets (simple ≤ 0, complex ≤ 5)
    procs = [x for x in total if "[" in x]
    assert procs == [
        "审限内结案率（%）：小额诉讼,90.0,65.2,114.8,95.0,尚难判定,within_limit_rate[small_claims]",
        "超审限未结案件数（件）：小额诉讼,0,0,0,0,达标,overdue_pending_end[small_claims]",
        "审限内结案率（%）：简易程序,100.0,100.0,100.0,95.0,达标,within_limit_rate[simple]",
        "超审限未结案件数（件）：简易程序,0.3,0,1.8,0,尚难判定,overdue_pending_end[simple]",
        "审限内结案率（%）：普通程序,60.0,10.3,109.7,95.0,尚难判定,within_limit_rate[ordinary]",
        "超审限未结案件数（件）：普通程序,2,0,4.5,5,达标,overdue_pending_end[ordinary]",
        "审限内结案率（%）：执行,,,,95.0,尚难判定,within_limit_rate[enforcement]",
        "超审限未结案件数（件）：执行,0.3,0,1.8,5,达标,overdue_pending_end[enforcement]",
    ]
    # month by month: pending at the end of month 1 is 2, 3, 4 (3 ± 2.48), of month 2 2, 4, 6 (4 ± 4.97)
    assert f"{NAME},2025-01,期末未结案件数（件）,3,0.5,5.5,,,pending_end" in lines
    assert f"{NAME},2025-02,期末未结案件数（件）,4,0,9.0,,,pending_end" in lines
    # the workbook's by-procedure sheet names the procedures in Chinese too
    assert [r[0] for r in run_tables(_results(), "zh")[1].rows] == ["小额诉讼", "简易程序", "普通程序", "执行"]
    n_figures = len(total) - len(procs)
    assert len(lines) == 1 + n_figures + len(procs) + 2 * n_figures + 1  # the last line ends the file: ""
    assert lines[-1] == ""


def test_the_runs_workbook_summary_procedures_teams_and_about_in_english():
    tables = run_tables(_results(warnings=NO_JUDGES), "en", generated=AT)
    assert [t.name for t in tables] == ["Summary", "By procedure", "Monthly", "Teams", "About"]
    summary = _lines(csv_text(tables[0]))
    assert summary[0] == "Figure,Mean,95% interval low,95% interval high,Target,Verdict,Note,Figure code"
    # a met target is doubtful with a team without judges; a missed one is not
    assert "Within-limit rate (%),97.0,94.5,99.5,95.0,undecided,the 95 % interval contains the target: about 5 " \
           "replications (2 more) would likely decide it,within_limit_rate" in summary
    assert '"Overdue pending, complex track (cases)",3,3,3,5,met,(doubtful: see the warnings on the About sheet),' \
           'overdue_pending_end_complex' in summary
    assert '"Within-limit rate, complex track (%)",60.0,35.2,84.8,95.0,missed,,within_limit_rate_complex' in summary
    assert _lines(csv_text(tables[1])) == [
        "Procedure,Track,Closed (cases),Pending at end (cases),Within-limit rate (%),95% interval low,"
        "95% interval high,Target,Verdict,Overdue pending cases (cases),95% interval low,95% interval high,Target,Verdict",
        "Small claims,simple,10,2,90.0,65.2,114.8,95.0,undecided,0,0,0,0,met",
        "Simple procedure,simple,3,0.3,100.0,100.0,100.0,95.0,met,0.3,0,1.8,0,undecided",
        "Ordinary procedure,complex,5,3,60.0,10.3,109.7,95.0,undecided,2,0,4.5,5,met",
        "Enforcement,complex,0,0.3,,,,95.0,undecided,0.3,0,1.8,5,met", ""]
    assert "2025-02,Pending cases at end (cases),4,0,9.0,pending_end" in _lines(csv_text(tables[2]))
    # team 5's utilisation 0.4, 0.5, 0.6: 50 ± 24.8 %
    assert _lines(csv_text(tables[3])) == [
        "Team,Track,Average quota judges,Closed (cases),Judge utilisation (%),95% interval low,95% interval high",
        "速裁团队,simple,3.0,100,50.0,50.0,50.0", "民事审判一组,complex,4.0,60,60.0,60.0,60.0",
        "民事审判二组,complex,5.0,60,70.0,70.0,70.0", "商事审判组,complex,2.0,70,80.0,80.0,80.0",
        "综合审判组,complex,6.5,80,50.0,25.2,74.8", ""]
    assert _lines(csv_text(tables[4])) == [
        "Item,Value", f"Scenario,{NAME}", "Seed,20250101", "Replications,3", "Horizon,2025-01 – 2025-02",
        "Generated,2026-12-08 03:40",
        'Note,"Columns whose header has ""%"" are in per cent: 95.0 means 95.0 %."',
        "Note,Each procedure's within-limit rate is judged against its track's (simple or complex) target.",
        'Warning,"team x has no judges from ?: cases assigned to it wait, its figures cover only the few that '
        'close, and ""target met"" cannot be trusted"', ""]


def test_one_replication_has_no_interval_in_the_files_and_its_note_says_so():
    tables = run_tables(_results(reps=1, warnings=NO_JUDGES), "en")
    summary = _lines(csv_text(tables[0]))
    # no interval: both ends empty (the lower end was written 0 before: max(0.0, nan) is 0.0)
    assert summary[1] == "Cases filed (cases),0,,,,,,filed"
    assert "Clearance rate (%),100.0,,,100.0,met,\"one replication: judged on a single run, no interval " \
           "(doubtful: see the warnings on the About sheet)\",clearance_rate" in summary
    assert '"Overdue pending, simple track (cases)",1,,,0,missed,"one replication: judged on a single run, ' \
           'no interval",overdue_pending_end_simple' in summary
    assert "2025-01,Cases filed (cases),0,,,filed" in _lines(csv_text(tables[2]))
    generated = dict(line.split(",", 1) for line in _lines(csv_text(tables[4]))[1:6])["Generated"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", generated)  # now, to the minute


def _comparison():
    """Plans 甲 (the reference: the hand-made results) and 乙: one more judge in the first team, a
    within-limit target of 90 %, no enforcement procedure, and pending cases and the ordinary
    procedure's overdue cases higher by 1, 2, 3 in its three replications (paired: +2 ± 2.48)."""
    from sim.analysis.compare import Comparison
    from test_results import SCN

    a = _results()
    teams = [t.model_copy(update={"judges": t.judges + 1}) if i == 0 else t for i, t in enumerate(SCN.teams)]
    procs = {k: p for k, p in SCN.procedures.items() if k != "enforcement"}
    scn_b = SCN.model_copy(update={"name": "乙", "teams": teams, "procedures": procs,
                                   "targets": SCN.targets.model_copy(update={"within_limit_rate": 0.9})})
    b = _results()
    b = type(b)(**{**b.__dict__, "scenario": scn_b})
    b.summary_reps["pending_end"] = b.summary_reps["pending_end"] + [1, 2, 3]
    b.procedure_reps["overdue_pending_end"] = b.procedure_reps["overdue_pending_end"] + [
        [0, 0, 1, 0, 0], [0, 0, 2, 0, 0], [0, 0, 3, 0, 0]]
    return Comparison(names=["甲", "乙"], results=[a, b], reference=0, seed=20250101, replications=3)


def test_the_comparison_side_by_side_with_paired_changes_targets_and_missing_procedures():
    cmp = _comparison()
    cmp.results[1].warnings.extend(NO_JUDGES)
    tables = comparison_tables(cmp, "zh", generated=AT)
    assert [t.name for t in tables] == ["方案比较", "参数差异", "说明"]
    lines = _lines(csv_text(tables[0]))
    assert lines[0] == ("指标,目标,甲（基准）：平均值,甲（基准）：95%区间下限,甲（基准）：95%区间上限,甲（基准）：是否达标,"
                        "乙：平均值,乙：95%区间下限,乙：95%区间上限,乙：是否达标,乙：较基准,乙：较基准区间下限,"
                        "乙：较基准区间上限,指标代码")
    # 乙's pending 21, 23, 25: 23 ± 4.97; the change +2 ± 2.48 keeps its negative end
    assert "期末未结案件数（件）,,21,19,23,,23,18,28,,2,-0.5,4.5,pending_end" in lines
    # different targets are written in words, each plan judged on its own
    assert "审限内结案率（%）,≥ 95.0% / ≥ 90.0%,97.0,94.5,99.5,尚难判定,97.0,94.5,99.5,达标,0.0,0.0,0.0," \
           "within_limit_rate" in lines
    assert "繁案超审限未结案件数（件）,5,3,3,3,达标,3,3,3,达标,0,0,0,overdue_pending_end_complex" in lines
    assert lines[-5:] == [
        "审限内结案率（%）：普通程序,95.0,60.0,10.3,109.7,尚难判定,60.0,10.3,109.7,尚难判定,0.0,0.0,0.0,"
        "within_limit_rate[ordinary]",
        # 乙's ordinary overdue 2, 4, 6 (4 ± 4.97 against ≤ 5: undecided), paired +2 ± 2.48
        "超审限未结案件数（件）：普通程序,5,2,0,4.5,达标,4,0,9.0,尚难判定,2,-0.5,4.5,overdue_pending_end[ordinary]",
        # 乙 has no enforcement: its cells are empty, and the target is 甲's alone, in words
        "审限内结案率（%）：执行,≥ 95.0%,,,,尚难判定,,,,,,,,within_limit_rate[enforcement]",
        "超审限未结案件数（件）：执行,≤ 5 件,0.3,0,1.8,达标,,,,,,,,overdue_pending_end[enforcement]", ""]
    assert _lines(csv_text(tables[1])) == [
        "分组,参数,甲（基准）,乙", "团队“速裁团队”,员额法官,11,12", "目标,目标：审限内结案率,95.0%,90.0%",
        "程序“执行”,方案中有此项,有,（无）", ""]
    assert _lines(csv_text(tables[2])) == [
        "项目,内容", "方案,甲", "方案,乙", "基准方案,甲", "随机种子,20250101", "重复次数,3",
        "模拟期间,2025-01 – 2025-02", "生成时间,2026-12-08 03:40",
        "说明,百分比列（标题带“%”）以百分数表示，如 95.0 即 95.0%。",
        "说明,各审判程序的审限内结案率按其所属类别（简案/繁案）的目标判断。",
        "提示,[乙] “x”自 ? 起没有法官：分给它的案件只能等待，其指标只反映少数结案案件，“达标”不可信。", ""]


def test_a_comparison_of_one_plan_has_its_targets_as_numbers():
    from sim.analysis.compare import Comparison

    cmp = Comparison(names=["甲"], results=[_results()], reference=0, seed=20250101, replications=3)
    lines = _lines(comparison_csv(cmp, "zh"))
    assert lines[0] == "指标,目标,甲（基准）：平均值,甲（基准）：95%区间下限,甲（基准）：95%区间上限,甲（基准）：是否达标,指标代码"
    assert "审限内结案率（%）,95.0,97.0,94.5,99.5,尚难判定,within_limit_rate" in lines
    assert "超审限未结案件数（件）：普通程序,5,2,0,4.5,达标,overdue_pending_end[ordinary]" in lines


def test_the_comparison_in_english_with_the_reference_second_and_its_warnings():
    cmp = _comparison()
    cmp.reference = 1
    cmp.results[0].warnings.extend(NO_JUDGES)
    # the reference ran three months (only its labels are read here: the horizon it names)
    cmp.results[1] = type(cmp.results[1])(**{**cmp.results[1].__dict__,
                                             "month_labels": ["2025-01", "2025-02", "2025-03"]})
    tables = comparison_tables(cmp, "en", generated=AT)
    head = _lines(comparison_csv(cmp, "en"))[0]
    assert head.startswith("Figure,Target,甲: Mean,甲: 95% interval low,甲: 95% interval high,甲: Verdict,甲: ")
    assert ",乙 (reference): Mean," in head and head.endswith("乙 (reference): Verdict,Figure code")
    about = _lines(csv_text(tables[2]))
    assert about[3] == "Reference,乙" and about[-2].startswith('Warning,"[甲] team x has no judges')
    assert "Horizon,2025-01 – 2025-03" in about


def test_the_workbooks_hold_the_tables_in_the_readers_language():
    import io

    import openpyxl

    run_book = openpyxl.load_workbook(io.BytesIO(run_xlsx(_results(), "en")))
    assert run_book.sheetnames == ["Summary", "By procedure", "Monthly", "Teams", "About"]
    assert run_book["Summary"]["A2"].value == "Cases filed (cases)" and run_book["Summary"]["B2"].value == 1
    cmp_book = openpyxl.load_workbook(io.BytesIO(comparison_xlsx(_comparison(), "zh")))
    assert cmp_book.sheetnames == ["方案比较", "参数差异", "说明"]
    assert cmp_book["方案比较"]["C1"].value == "甲（基准）：平均值" and cmp_book["参数差异"]["D2"].value == "12"
