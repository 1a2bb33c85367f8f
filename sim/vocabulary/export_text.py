"""The words of the exported tables (CSV, XLSX) and the Word brief, in Chinese and English.

Figure names, units and verdicts come from :mod:`sim.vocabulary.figure_format`; this module holds
the sheet names, column headers and the few values that are words (是/否, 全期).
"""
from __future__ import annotations

from .figure_format import check_lang

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        # sheets (at most 31 characters)
        "sheet.summary": "全期指标", "sheet.procedures": "按审判程序", "sheet.monthly": "按月",
        "sheet.teams": "各团队", "sheet.about": "说明", "sheet.compare": "方案比较",
        "sheet.compare_procedures": "按审判程序比较", "sheet.differences": "参数差异",
        "sheet.adv_answer": "还需增加多少", "sheet.adv_teams": "推荐配置", "sheet.adv_figures": "推荐方案指标", "sheet.adv_reasons": "配置理由",
        "sheet.adv_curve": "增加员额", "sheet.adv_candidates": "全部候选方案", "sheet.alloc": "各法院",
        "sheet.alloc_reasons": "分配理由", "sheet.standings": "培训排名", "sheet.cal_fit": "拟合参数",
        "sheet.cal_check": "回放检验", "sheet.cal_staffing": "人员时间线", "sheet.cal_forecast": "预测",
        "sheet.cal_naive": "与简单预测比较",
        # columns
        "scenario": "方案", "period": "期间", "total": "全期", "figure": "指标", "code": "指标代码",
        "mean": "平均值", "ci_low": "95%区间下限", "ci_high": "95%区间上限", "target": "目标",
        "verdict": "是否达标", "note": "说明", "procedure": "审判程序", "track": "类别",
        "closed": "结案数（件）", "pending": "期末未结案件数（件）", "team": "团队",
        "judges_avg": "平均员额法官（名）", "diff": "较基准", "diff_low": "较基准区间下限", "diff_high": "较基准区间上限",
        "plan_col": "{plan}：{col}", "group": "分组", "parameter": "参数", "item": "项目", "value": "内容",
        "reference_mark": "{name}（基准）",
        "fig_of": "{figure}：{procedure}",
        # about
        "about.scenario": "方案", "about.seed": "随机种子", "about.replications": "重复次数",
        "about.horizon": "模拟期间", "about.generated": "生成时间", "about.reference": "基准方案",
        "about.warnings": "提示", "about.procedures": "各审判程序的审限内结案率按其所属类别（简案/繁案）的目标判断。",
        "about.percent": "百分比列（标题带“%”）以百分数表示，如 95.0 即 95.0%。",
        "yes": "是", "no": "否", "doubtful": "（存疑：见说明页的提示）",
    },
    "en": {
        "sheet.summary": "Summary", "sheet.procedures": "By procedure", "sheet.monthly": "Monthly",
        "sheet.teams": "Teams", "sheet.about": "About", "sheet.compare": "Comparison",
        "sheet.compare_procedures": "By procedure", "sheet.differences": "What differs",
        "sheet.adv_answer": "How many more", "sheet.adv_teams": "Recommended staffing", "sheet.adv_figures": "Figures", "sheet.adv_reasons": "Why",
        "sheet.adv_curve": "Extra posts", "sheet.adv_candidates": "All candidates", "sheet.alloc": "Courts",
        "sheet.alloc_reasons": "Reasons", "sheet.standings": "Standings", "sheet.cal_fit": "Fitted parameters",
        "sheet.cal_check": "Replay check", "sheet.cal_staffing": "Staffing timeline", "sheet.cal_forecast": "Forecast",
        "sheet.cal_naive": "Against naive forecasts",
        "scenario": "Scenario", "period": "Period", "total": "Total", "figure": "Figure", "code": "Figure code",
        "mean": "Mean", "ci_low": "95% interval low", "ci_high": "95% interval high", "target": "Target",
        "verdict": "Verdict", "note": "Note", "procedure": "Procedure", "track": "Track",
        "closed": "Closed (cases)", "pending": "Pending at end (cases)", "team": "Team",
        "judges_avg": "Average quota judges", "diff": "vs reference", "diff_low": "vs reference, interval low",
        "diff_high": "vs reference, interval high",
        "plan_col": "{plan}: {col}", "group": "Group", "parameter": "Parameter", "item": "Item", "value": "Value",
        "reference_mark": "{name} (reference)",
        "fig_of": "{figure}: {procedure}",
        "about.scenario": "Scenario", "about.seed": "Seed", "about.replications": "Replications",
        "about.horizon": "Horizon", "about.generated": "Generated", "about.reference": "Reference",
        "about.warnings": "Warning",
        "about.procedures": "Each procedure's within-limit rate is judged against its track's (simple or complex) target.",
        "about.percent": "Columns whose header has \"%\" are in per cent: 95.0 means 95.0 %.",
        "yes": "yes", "no": "no", "doubtful": "(doubtful: see the warnings on the About sheet)",
    },
}


def word(lang: str, key: str, **params: object) -> str:
    """The export's word for ``key`` in ``lang``, with ``params`` filled in."""
    text = WORDS[check_lang(lang)][key]
    return text.format(**params) if params else text
