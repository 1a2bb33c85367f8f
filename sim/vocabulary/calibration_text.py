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
        "fit.push": "12 月产能（年底集中结案，倍数）", "demand.step": "收案水平的阶跃（倍数）",
    },
    "en": {
        "filings_per_year": "Filings a year (at the start)",
        "demand.monthly_profile": "Season factor of {month}",
        "case_types.share": "Share of filings: {proc}", "case_types.settlement_rate": "Settled or withdrawn: {proc}",
        "case_types.public_notice_rate": "Public-notice service: {proc}", "case_types.appraisal_rate": "Appraisal: {proc}",
        "fit.effort_simple": "Judge hours per case, simple-case teams (multiple)",
        "fit.effort_complex": "Judge hours per case, complex-case teams (multiple)",
        "fit.preparation": "Service and adjournment times (multiple)", "support": "Effect of assistants and clerks on effort",
        "fit.push": "December capacity (year-end closing push, multiple)", "demand.step": "Step in the filing level (multiple)",
    },
}
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")

WORDS = {
    "zh": {
        "method.observed": "记录计数", "method.poisson": "泊松回归", "method.binomial": "比例（Wilson 区间）",
        "method.simulation": "模拟拟合", "method.template": "模板取值（数据未含）",
        "method.capacity": "人手不足月份的结案数（模拟重放这些月份）",
        "unidentified": "数据无法确定的参数（取模板值或范围很宽）：{names}",
        "hours": "（约 {hours} 小时，范围 {low}–{high}）",
        "score": "{figure}：实际值落在 95% 区间内的月份 {coverage}，平均绝对百分比误差 {mape}",
        "oos.head": "样本外检验：用前 {fit} 个月拟合，从第 {fit} 个月末的在办案件出发，按记录的人员预测最后 {holdout} 个月",
        "naive.last_month": "沿用上月", "naive.same_month_last_year": "去年同月", "naive.mean_12": "近 12 个月平均",
        "naive.drift": "近三个月趋势外推",
        "verdict.all": "{figure}：模型误差 {model}（MASE {mase}），优于全部简单预测：{beats}。",
        "verdict.some": "{figure}：模型误差 {model}（MASE {mase}），优于{beats}；不如{loses}。",
        "verdict.none": "{figure}：模型误差 {model}（MASE {mase}），不如任何一种简单预测：{loses}。",
        "naive.item": "“{name}”（{mape}）",
        "na": "无法计算",
        "notpinned": "未确定",
        "open.head": "数据无法确定的拟合值（方案取范围的中间值，预测区间按整个范围计入）：",
        "open.low": "{name}：{high} 以下都与记录相符（{why}），方案取 {value}。",
        "open.high": "{name}：{low} 以上都与记录相符，方案取 {value}。",
        "open.both": "{name}：{low}–{high} 之间都与记录相符，方案取 {value}。",
        "why.effort_simple": "简案团队在记录期间从未忙不过来，结案数等于收案数，看不出每案工时",
        "why.effort_complex": "繁案团队在记录期间从未忙不过来，结案数等于收案数，看不出每案工时",
        "why.preparation": "审理天数对它不敏感",
        "why.push": "记录中看不出年底集中结案",
        "push.none": "年底集中结案：记录中没有发现（12 月产能按平时计）。",
        "push.unknown": "年底集中结案：记录中没有法官忙不过来的 12 月，无法判断（12 月产能按平时计）。",
        "push.found": "年底集中结案：12 月产能约为平时的 {value}（范围 {low}–{high}）。",
        "step.found": "收案水平在 {month} 起变为原来的 {value}（范围 {low}–{high}）：预测按新水平。",
        "saturated": "{track}在 {months} 人手不足（未结增加、结案少于收案）：每案工时由这些月份确定。",
        "saturated.none": "{track}在记录期间始终跟得上收案：记录无法确定其每案工时。",
        "capacity.window": "{track}最近在 {months} 人手不足（结案 {closed} 件）：每案工时按这几个月的结案数确定，"
                           "使模拟重放这几个月时结案一样多（全部记录的整体拟合为 {low}–{high}）。",
        "gate.head": "【拟合较差，请核对后再用作本院方案】",
        "gate_chi2": "模拟与记录相差过大（卡方/自由度 {ratio}，超过 {limit}）",
        "gate_naive": "样本外{figure}的预测误差 {model}，明显差于“{which}”（{naive}）",
        "gate.ok": "拟合通过质量检查：模拟能重现本院记录{oos}。",
        "gate.ok.oos": "，样本外预测不差于简单预测",
        "staff.source.table": "人员来自上传的人员表。",
        "staff.source.table_split": "人员表没有团队列：每月总人数按记录中各团队在岗法官人数的比例分到各团队。",
        "staff.source.records": "没有人员表：人员由记录推断（每名法官按其承办案件最多的团队计一次；新收案件停止即视为离岗），请核对。",
        "staff_table_split": "人员表没有团队列，已按记录中各团队法官人数比例拆分。",
        "staff_table_split_tracks": "人员表没有团队列，记录中也没有承办法官：已按简、繁案件量比例拆分。",
        "staff_table_split_template": "人员表没有团队列：已按模板中简、繁案团队法官人数的比例拆分。",
        "staff_no_judges": "记录中没有承办法官，又没有人员表：无法得知法官人数，请上传人员表。",
        "staff_invented_simple": "没有简案团队的人员：为使方案可运行，假定 1 名法官，拟合结果不可信。",
        "staff_invented_complex": "没有繁案团队的人员：为使方案可运行，假定 1 名法官，拟合结果不可信。",
        "staff.left": "{judge} 于 {date} 起不再收案（视为离岗，其未结案件已移交）",
        "staff.joined": "{judge} 于 {date} 起开始收案",
        "state.line": "起点 {date} 的在办案件：简案 {simple} 件、繁案 {complex} 件，逐件放在承办法官名下（{without} 件的承办法官已不在岗，第一天按分案规则重新分配）。",
        "state.groups": "起点 {date} 的在办案件超过方案能逐件列出的数量，按程序分组和案龄分布表示。",
        "forecast.head": "从导出日起的预测（{months} 个月，{reps} 次模拟，每次取一组拟合范围内的参数）",
        "assumed.age": "只有月度汇总：旧存案件的案龄分布无法得知，假定为模板的分布。",
        "assumed": "没有人员表（或表中缺少法官助理、书记员）：各团队的法官助理和书记员按法官人数假定，请上传逐月人员表以免拟合的法官工时有偏。",
        "fit.summary": "拟合：{n} 组候选参数，每组 {reps} 次模拟，卡方 {loss}（自由度 {dof}），用时 {sec} 秒",
    },
    "en": {
        "method.observed": "counted", "method.poisson": "Poisson regression", "method.binomial": "proportion (Wilson)",
        "method.simulation": "fitted by simulation", "method.template": "template (not in the data)",
        "method.capacity": "closings of the months short of judges (those months replayed)",
        "unidentified": "Not pinned down by the data (template value, or a very wide range): {names}",
        "hours": " (about {hours} hours, range {low}–{high})",
        "score": "{figure}: actual inside the 95 % band in {coverage} of months, mean absolute percentage error {mape}",
        "oos.head": "Out of sample: fitted on the first {fit} months, forecasting the last {holdout} from the cases "
                    "open at the end of month {fit}, under the recorded staffing",
        "naive.last_month": "last month carried forward", "naive.same_month_last_year": "same month last year",
        "naive.mean_12": "12-month mean", "naive.drift": "drift of the last three months",
        "verdict.all": "{figure}: model error {model} (MASE {mase}), better than every naive forecast: {beats}.",
        "verdict.some": "{figure}: model error {model} (MASE {mase}), better than {beats}; worse than {loses}.",
        "verdict.none": "{figure}: model error {model} (MASE {mase}): the model does not beat any naive forecast: "
                        "{loses}.",
        "naive.item": "“{name}” ({mape})",
        "na": "not computable",
        "notpinned": "not pinned down",
        "open.head": "Fitted values the data cannot pin down (the scenario uses the middle of the range; the "
                     "forecast's bands draw them from the whole range):",
        "open.low": "{name}: anything up to {high} fits the records ({why}); the scenario uses {value}.",
        "open.high": "{name}: anything from {low} up fits the records; the scenario uses {value}.",
        "open.both": "{name}: anything from {low} to {high} fits the records; the scenario uses {value}.",
        "why.effort_simple": "the simple-case teams kept up with their filings in every recorded month, so their "
                             "closings equal their filings whatever the hours per case",
        "why.effort_complex": "the complex-case teams kept up with their filings in every recorded month, so their "
                              "closings equal their filings whatever the hours per case",
        "why.preparation": "the disposition times hardly move with it",
        "why.push": "the records show no year-end closing push",
        "push.none": "Year-end closing push: none found in the records (December at the usual capacity).",
        "push.unknown": "Year-end closing push: no December in the records when the judges were busy, so they "
                        "cannot say (December at the usual capacity).",
        "push.found": "Year-end closing push: December capacity about {value} of the usual (range {low}–{high}).",
        "step.found": "Filing level: from {month} {value} of the level before (range {low}–{high}); the forecast "
                      "uses the new level.",
        "saturated": "{track}: short of judges in {months} (pending grew, fewer closed than filed): its hours per "
                     "case come from those months.",
        "saturated.none": "{track}: kept up with its filings in every recorded month: the records cannot show its "
                          "hours per case.",
        "capacity.window": "{track}: short of judges lately ({months}, {closed} closed): the judge time per case is "
                           "set so that replaying those months closes as many (the fit to the whole history gave "
                           "{low}–{high}).",
        "gate.head": "[Poor fit: check before using it as this court's scenario]",
        "gate_chi2": "the simulation misses the records by far (χ² per degree of freedom {ratio}, above {limit})",
        "gate_naive": "out of sample its forecast of {figure} is off by {model}, much worse than “{which}” ({naive})",
        "gate.ok": "The fit passes the quality check: the simulation reproduces this court's records{oos}.",
        "gate.ok.oos": ", and out of sample it does no worse than the naive forecasts",
        "staff.source.table": "Staffing from the uploaded staffing table.",
        "staff.source.table_split": "The staffing table has no team column: each month's totals are split over the "
                                    "teams in proportion to the judges the records show in each.",
        "staff.source.records": "No staffing table: staffing inferred from the records (each judge counted once, in "
                                "the team holding most of their cases; a judge whose new cases stopped has left). "
                                "Please check it.",
        "staff_table_split": "The staffing table has no team column: it was split by the judges the records show "
                             "per team.",
        "staff_table_split_tracks": "The staffing table has no team column and the records name no judges: it was "
                                    "split by the tracks' caseloads.",
        "staff_table_split_template": "The staffing table has no team column: it was split by the template's "
                                      "judges per track.",
        "staff_no_judges": "The records name no presiding judges and there is no staffing table: the number of "
                           "judges is unknown; please upload the staffing.",
        "staff_invented_simple": "No staff for the simple-case track: one judge assumed so that the scenario runs; "
                                 "the fit cannot be trusted.",
        "staff_invented_complex": "No staff for the complex-case track: one judge assumed so that the scenario "
                                  "runs; the fit cannot be trusted.",
        "staff.left": "{judge} received no new case from {date} (taken as gone; their open cases were handed on)",
        "staff.joined": "{judge} received cases from {date}",
        "state.line": "Open cases on {date}: {simple} simple-track and {complex} complex-track, each on its presiding "
                      "judge's docket ({without} whose judge was no longer in post are assigned on the first day by "
                      "the docket rule).",
        "state.groups": "More cases were open on {date} than a scenario can list one by one: they are given by "
                        "procedure with their age profile.",
        "forecast.head": "Forecast from the export ({months} months, {reps} simulations, each with its own parameter "
                         "set drawn from the fitted ranges)",
        "assumed.age": "Monthly totals only: the ages of the carried-over cases are not known and the template's "
                       "age profile is assumed.",
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
    if key.startswith("demand.monthly_profile") or key.startswith("fit.") or key == "demand.step":
        return f"×{x:.2f}"
    return _pct(x)


def param_row(lang: str, p: Any) -> dict[str, str]:
    """One parameter as the words of a table row: name, value, range, how obtained. A fitted
    value the data leave open is never shown as an estimate: its value cell says so, and its
    range is written open on the side the data did not close (≤ …, ≥ …)."""
    rng = "—" if p.low is None else f"{param_value(lang, p.key, p.low)} – {param_value(lang, p.key, p.high)}"
    if p.method == "simulation" and not p.identified:
        lo, hi = param_value(lang, p.key, p.low), param_value(lang, p.key, p.high)
        rng = f"≤ {hi}" if p.params.get("open_low") and not p.params.get("open_high") else \
            (f"≥ {lo}" if p.params.get("open_high") and not p.params.get("open_low") else f"{lo} – {hi}")
        return {"name": param_name(lang, p.key), "value": word(lang, "notpinned"), "range": rng,
                "method": word(lang, "method.simulation")}
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


def _num(lang: str, x: Optional[float], pct: bool = True) -> str:
    if x is None or not math.isfinite(x):
        return word(lang, "na")
    return _pct(x) if pct else f"{x:.2f}"


def naive_name(lang: str, key: str) -> str:
    """A naive forecast's name in words."""
    return word(lang, f"naive.{key}")


def verdict_text(lang: str, figure: str, cmp: Mapping[str, Any]) -> str:
    """The model against every naive forecast for one figure (``cmp``: :func:`sim.calibration.naive.compare`),
    in plain words: its error, which naive forecasts it beats and which it does not."""
    sc = cmp["scores"]
    sep = "、" if lang == "zh" else ", "

    def items(keys: list[str]) -> str:
        return sep.join(word(lang, "naive.item", name=naive_name(lang, k), mape=_num(lang, sc[k]["mape"])) for k in keys)

    kind = "all" if not cmp["loses_to"] else ("none" if not cmp["beats"] else "some")
    return word(lang, f"verdict.{kind}", figure=figure_name(lang, figure), model=_num(lang, sc["model"]["mape"]),
                mase=_num(lang, sc["model"]["mase"], pct=False), beats=items(cmp["beats"]),
                loses=items(cmp["loses_to"]))


def gate_text(lang: str, gate: Any, with_oos: bool = False) -> str:
    """The quality gate in words: the label and its reasons, or that the fit passes."""
    if gate.ok:
        return word(lang, "gate.ok", oos=word(lang, "gate.ok.oos") if with_oos else "")
    sep = "；" if lang == "zh" else "; "
    parts = []
    for r in gate.reasons:
        p = dict(r["params"])
        if r["code"] == "gate_naive":
            p.update(figure=figure_name(lang, p["figure"]), model=_pct(p["model"]), naive=_pct(p["naive"]),
                     which=naive_name(lang, p["which"]))
        parts.append(word(lang, r["code"], **p))
    return word(lang, "gate.head") + sep.join(parts) + ("。" if lang == "zh" else ".")


def open_values_text(lang: str, fit: Any) -> str:
    """The fitted values the data leave open, each with the range that fits and the value used."""
    lines = []
    for k, p in fit.multipliers.items():
        if p.identified or k == "push" or p.low is None:
            continue
        kw = dict(name=param_name(lang, p.key), low=param_value(lang, p.key, p.low),
                  high=param_value(lang, p.key, p.high), value=param_value(lang, p.key, p.value),
                  why=word(lang, f"why.{k}"))
        side = "low" if p.params.get("open_low") and not p.params.get("open_high") else \
            ("high" if p.params.get("open_high") and not p.params.get("open_low") else "both")
        lines.append(word(lang, f"open.{side}", **kw))
    return (word(lang, "open.head") + " " + " ".join(lines)) if lines else ""


def push_text(lang: str, fit: Any) -> str:
    """What the records say about a year-end closing push (empty when they cannot say)."""
    p = fit.multipliers.get("push")
    if p is None:
        return ""
    if p.low is None:
        return word(lang, "push.unknown")
    if p.low <= 1.0 + 1e-9:
        return word(lang, "push.none")
    return word(lang, "push.found", value=param_value(lang, p.key, p.value), low=param_value(lang, p.key, p.low),
                high=param_value(lang, p.key, p.high))


def step_text(lang: str, fit: Any) -> str:
    """The step in the filing level, when the records show one."""
    s = fit.estimates.demand.step
    if s is None:
        return ""
    return word(lang, "step.found", month=s.params["from"][:7], value=param_value(lang, s.key, s.value),
                low=param_value(lang, s.key, s.low), high=param_value(lang, s.key, s.high))


TRACK_WORDS = {"zh": {"simple": "简案团队", "complex": "繁案团队", "all": "全院"},
               "en": {"simple": "Simple-case teams", "complex": "Complex-case teams", "all": "The court"}}


def saturation_text(lang: str, fit: Any) -> list[str]:
    """Per track, the months it was short of judges (what pins its hours per case), or that it never was."""
    rows = fit.estimates.extra.get("tracks", [])
    sep = "、" if lang == "zh" else ", "
    out = []
    for track in ("simple", "complex", "all"):
        mine = [r for r in rows if r.track == track]
        if not mine:
            continue
        sat = [r.month for r in mine if r.saturated]
        name = TRACK_WORDS[lang][track]
        p = fit.multipliers.get("effort" if track == "all" else f"effort_{track}")
        if p is not None and p.method == "capacity":
            out.append(word(lang, "capacity.window", track=name, months=sep.join(p.params["months"]),
                            closed=p.params["closed"], low=param_value(lang, p.key, p.params["history_low"]),
                            high=param_value(lang, p.key, p.params["history_high"])))
        elif sat:
            out.append(word(lang, "saturated", track=name, months=sep.join(sat)))
        else:
            out.append(word(lang, "saturated.none", track=name))
    return out


def staffing_notes(lang: str, staffing: Any) -> list[str]:
    """Where the staffing came from and what was assumed, in words."""
    out = [word(lang, f"staff.source.{staffing.source}")]
    out += [word(lang, n) for n in staffing.notes if n not in ("staff_table_split",)]
    return out


def state_text(lang: str, state: Any) -> str:
    """The open cases a run starts from, in one sentence."""
    c = state.carried
    if state.table is None:
        return word(lang, "state.groups", date=state.date.isoformat())
    return word(lang, "state.line", date=state.date.isoformat(), simple=c.by_track.get("simple", 0),
                complex=c.by_track.get("complex", 0), without=state.unplaced_judges)


def fit_summary(lang: str, fit: Any) -> str:
    """One line on the simulation fit's effort and result."""
    return word(lang, "fit.summary", n=fit.evaluations, reps=fit.reps, loss=f"{fit.loss:.1f}",
                dof=fit.degrees_of_freedom, sec=f"{fit.seconds:.0f}")


__all__ = ["fit_summary", "gate_text", "naive_name", "open_values_text", "param_name", "param_row", "param_value",
           "push_text", "saturation_text", "score_text", "staffing_notes", "state_text", "step_text",
           "unidentified_text", "verdict_text", "word"]
