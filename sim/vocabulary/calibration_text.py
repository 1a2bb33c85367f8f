"""Words for a calibration, in Chinese and English: parameter names, how each was obtained, its
value and range, the replay's scores and the verdict against the naive forecasts.

Shared by the command line (``python -m sim calibrate``), the HTML fit report and the app's
calibration page, so all three say the same thing. Parameters are named in words, never by a
dotted key; figures (filed, closed, pending, within-limit rate) by the figure registry.
"""
from __future__ import annotations

import math
from typing import Any, Mapping, Optional

from .field_labels import FIELDS, generic, label
from .figure_format import figure_name

PROCS = {"zh": {"small_claims": "小额诉讼", "simple": "简易程序", "ordinary": "普通程序",
                "second_instance": "二审", "enforcement": "执行"},
         "en": {"small_claims": "small claims", "simple": "simple procedure", "ordinary": "ordinary procedure",
                "second_instance": "second instance", "enforcement": "enforcement"}}

NAMES = {
    "zh": {
        "filings_per_year": "年收案量（起始时）",
        "demand.monthly_profile": "{month}月收案季节系数",
        "case_types.share": "{proc}占收案比例", "case_types.settlement_rate": "{proc}调解撤诉率",
        "case_types.public_notice_rate": "{proc}公告送达比例", "case_types.appraisal_rate": "{proc}鉴定比例",
        "fit.effort_simple": "简案团队每案法官工时（倍数）", "fit.effort_complex": "繁案团队每案法官工时（倍数）",
        "fit.preparation": "送达及延期间隔时间（倍数）", "support": "法官助理、书记员减轻工作量的效果",
    },
    "en": {
        "filings_per_year": "Filings a year (at the start)",
        "demand.monthly_profile": "Season factor of {month}",
        "case_types.share": "Share of filings: {proc}", "case_types.settlement_rate": "Settled or withdrawn: {proc}",
        "case_types.public_notice_rate": "Public-notice service: {proc}", "case_types.appraisal_rate": "Appraisal: {proc}",
        "fit.effort_simple": "Judge hours per case, simple-case teams (multiple)",
        "fit.effort_complex": "Judge hours per case, complex-case teams (multiple)",
        "fit.preparation": "Service and adjournment times (multiple)", "support": "Effect of assistants and clerks on effort",
    },
}
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")

WORDS = {
    "zh": {
        "method.observed": "记录计数", "method.poisson": "泊松回归", "method.binomial": "比例（Wilson 区间）",
        "method.simulation": "模拟拟合", "method.template": "模板取值（数据未含）",
        "unidentified": "数据无法确定的参数（取模板值或范围很宽）：{names}",
        "hours": "（约 {hours} 小时，范围 {low}–{high}）",
        "score": "{figure}：实际值落在 95% 区间内的月份 {coverage}，平均绝对百分比误差 {mape}",
        "oos.head": "样本外检验：用前 {fit} 个月拟合，预测最后 {holdout} 个月",
        "oos.beats_both": "{figure}：模型误差 {model}，优于“去年同月”（{last_year}）和“沿用上月”（{last_month}）。",
        "oos.not_same_month_last_year": "{figure}：模型误差 {model}，不如“去年同月”（{last_year}）；优于“沿用上月”（{last_month}）。",
        "oos.not_last_month": "{figure}：模型误差 {model}，不如“沿用上月”（{last_month}）；优于“去年同月”（{last_year}）。",
        "oos.not_both": "{figure}：模型误差 {model}，两种简单预测都不如——“去年同月” {last_year}，“沿用上月” {last_month}。",
        "na": "无法计算",
        "assumed": "没有人员表（或表中缺少法官助理、书记员）：各团队的法官助理和书记员按法官人数假定，请上传逐月人员表以免拟合的法官工时有偏。",
        "fit.summary": "拟合：{n} 组候选参数，每组 {reps} 次模拟，卡方 {loss}（自由度 {dof}），用时 {sec} 秒",
    },
    "en": {
        "method.observed": "counted", "method.poisson": "Poisson regression", "method.binomial": "proportion (Wilson)",
        "method.simulation": "fitted by simulation", "method.template": "template (not in the data)",
        "unidentified": "Not pinned down by the data (template value, or a very wide range): {names}",
        "hours": " (about {hours} hours, range {low}–{high})",
        "score": "{figure}: actual inside the 95 % band in {coverage} of months, mean absolute percentage error {mape}",
        "oos.head": "Out of sample: fitted on the first {fit} months, forecasting the last {holdout}",
        "oos.beats_both": "{figure}: model error {model}, better than “same month last year” ({last_year}) and "
                          "“last month carried forward” ({last_month}).",
        "oos.not_same_month_last_year": "{figure}: model error {model}, worse than “same month last year” "
                                        "({last_year}); better than “last month carried forward” ({last_month}).",
        "oos.not_last_month": "{figure}: model error {model}, worse than “last month carried forward” "
                              "({last_month}); better than “same month last year” ({last_year}).",
        "oos.not_both": "{figure}: model error {model}: the model does not beat either naive forecast — "
                        "“same month last year” {last_year}, “last month carried forward” {last_month}.",
        "na": "not computable",
        "assumed": "No staffing table (or one without assistants and clerks): each team's assistants and clerks are "
                   "assumed equal to its judges; upload the staffing by month, or the fitted judge hours may be biased.",
        "fit.summary": "Fit: {n} candidate parameter sets, {reps} simulation(s) each, χ² {loss} ({dof} degrees of "
                       "freedom), {sec} s",
    },
}


def word(lang: str, key: str, **kw: Any) -> str:
    """A sentence of this module in ``lang``."""
    s = WORDS[lang][key]
    return s.format(**kw) if kw else s


def param_name(lang: str, key: str) -> str:
    """A parameter's name in words (``case_types.simple.share`` → 简易程序占收案比例).

    Scenario fields are named as everywhere else (:func:`sim.vocabulary.field_labels.label`);
    only what a calibration alone has (the fitted multiples, per-procedure rates, the
    season factors) is named here.
    """
    names = NAMES[lang]
    if key in names:
        return names[key]
    parts = key.split(".")
    if key.startswith("demand.monthly_profile."):
        k = int(parts[-1])
        return names["demand.monthly_profile"].format(month=k + 1 if lang == "zh" else MONTHS_EN[k])
    if parts[0] == "case_types" and len(parts) == 3 and f"case_types.{parts[2]}" in names:
        return names[f"case_types.{parts[2]}"].format(proc=PROCS[lang].get(parts[1], parts[1]))
    if generic(key) in FIELDS:  # a scenario field: the name the controls and messages give it
        return label(lang, key)
    return key


def _pct(x: Optional[float]) -> str:
    return "—" if x is None or not math.isfinite(x) else f"{x * 100:.1f}%"


def param_value(lang: str, key: str, x: Optional[float]) -> str:
    """A parameter's value: shares and growth as %, filings as a whole number, factors as ×."""
    if x is None or not math.isfinite(x):
        return "—"
    if key == "filings_per_year":
        return f"{x:,.0f}"
    if key.startswith("demand.monthly_profile") or key.startswith("fit."):
        return f"×{x:.2f}"
    return _pct(x)


def param_row(lang: str, p: Any) -> dict[str, str]:
    """One parameter as the words of a table row: name, value, range, how obtained."""
    rng = "—" if p.low is None else f"{param_value(lang, p.key, p.low)} – {param_value(lang, p.key, p.high)}"
    value = param_value(lang, p.key, p.value)
    if p.params.get("hours") is not None:
        value += word(lang, "hours", hours=f"{p.params['hours']:.1f}", low=f"{p.params['hours_low']:.1f}",
                      high=f"{p.params['hours_high']:.1f}")
    return {"name": param_name(lang, p.key), "value": value, "range": rng, "method": word(lang, f"method.{p.method}")}


def unidentified_text(lang: str, keys: list[str]) -> str:
    """The sentence listing what the data leave open."""
    sep = "、" if lang == "zh" else ", "
    return word(lang, "unidentified", names=sep.join(dict.fromkeys(param_name(lang, k) for k in keys)))


def score_text(lang: str, figure: str, coverage: float, mape: float) -> str:
    """How well the replay matches one figure."""
    return word(lang, "score", figure=figure_name(lang, figure), coverage=_pct(coverage), mape=_pct(mape))


def verdict_text(lang: str, figure: str, verdict: str, model: float, naive: Mapping[str, float]) -> str:
    """The plain verdict of the model against the two naive forecasts for one figure."""
    def f(x: float) -> str:
        return _pct(x) if math.isfinite(x) else word(lang, "na")

    return word(lang, f"oos.{verdict}", figure=figure_name(lang, figure), model=f(model),
                last_year=f(naive.get("same_month_last_year", math.nan)), last_month=f(naive.get("last_month", math.nan)))


def fit_summary(lang: str, fit: Any) -> str:
    """One line on the simulation fit's effort and result."""
    return word(lang, "fit.summary", n=fit.evaluations, reps=fit.reps, loss=f"{fit.loss:.1f}",
                dof=fit.degrees_of_freedom, sec=f"{fit.seconds:.0f}")


__all__ = ["fit_summary", "param_name", "param_row", "param_value", "score_text",
           "unidentified_text", "verdict_text", "word"]
