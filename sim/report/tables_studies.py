"""The studies' results as export tables (:mod:`sim.report.tables`): sensitivity, the allocation
advisor, the province allocation of posts and a calibration (a training session's standings are
built in :mod:`sim.training.handout`, which sits above this layer).

Each builder reads the study's own JSON-ready data (``to_json_dict()``), so a cached answer
exports exactly like a fresh one. Numbers are :class:`~sim.report.tables.Num` cells, words are in
the reader's language, user text (court, team and group names) is text.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Optional

from ..vocabulary import catalogue
from ..vocabulary.export_text import word
from ..vocabulary.figure_format import check_lang, figure_name
from ..vocabulary.messages import WORDS
from .tables import Cell, Num, Table, figure_column, figure_num, verdict_cell
from .tables_run import about_table
from .writers import csv_text, xlsx_bytes

ROLES = ("judges", "assistants", "clerks")

_W: dict[str, dict[str, str]] = catalogue.by_lang("report_studies")


def _w(lang: str, key: str, **kw: Any) -> str:
    text = _W[check_lang(lang)][key]
    return text.format(**kw) if kw else text


def _yes(lang: str, flag: Optional[bool]) -> Cell:
    return None if flag is None else word(lang, "yes" if flag else "no")


def _stat(key: str, st: Optional[dict]) -> list[Cell]:
    st = st or {}
    return [figure_num(key, st.get("mean")), figure_num(key, st.get("ci_low")), figure_num(key, st.get("ci_high"))]


def _when(generated: Optional[dt.datetime]) -> str:
    return (generated or dt.datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M")


# --- sensitivity ---------------------------------------------------------------------------------

def sensitivity_table(sens: Any, lang: str, assumption_name: Callable[[str], str]) -> Table:
    """One row per assumption, direction and figure: the paired change and its interval.
    ``assumption_name`` words an assumption's key (the command line's catalogue)."""
    cols = [_w(lang, "assumption"), _w(lang, "direction"), _w(lang, "factor"), word(lang, "figure"), _w(lang, "base"),
            _w(lang, "change"), _w(lang, "change_low"), _w(lang, "change_high"), word(lang, "code")]
    table = Table(word(lang, "sheet.summary"), cols)
    for r in sens.rows():
        k = r["figure"]
        table.add(assumption_name(r["assumption"]), _w(lang, r["direction"]), Num(r["factor"], 2),
                  figure_column(lang, k), figure_num(k, r["base"]), figure_num(k, r["diff_mean"]),
                  figure_num(k, r["diff_ci_low"]), figure_num(k, r["diff_ci_high"]), k)
    return table


# --- the allocation advisor ------------------------------------------------------------------------

def _plan_text(lang: str, plan: dict) -> str:
    from ..vocabulary.advisor_text import plan_text

    s, c = plan["simple"], plan["complex"]
    return plan_text(lang, (s["judges"], c["judges"]), (s["assistants"], c["assistants"]),
                     (s["clerks"], c["clerks"]), plan["mediation_share"])


def _typed(tb: Any, sheet: str) -> Table:
    """One of the advisor's own plain tables (:mod:`sim.analysis.advisor_table`) as typed cells:
    its numbers stay numbers (shares already in per cent under a "（%）" header, so written as
    they are, with the decimals they carry), everything else text."""
    out = Table(sheet, list(tb.columns))
    for row in tb.rows:
        cells: list[Cell] = []
        for v in row:
            if isinstance(v, bool) or v is None or isinstance(v, str):
                cells.append(v if not isinstance(v, bool) else str(v))
            else:
                text = repr(float(v))
                decimals = 0 if isinstance(v, int) or float(v).is_integer() else len(text.split(".")[1])
                cells.append(Num(v, decimals=min(decimals, 2)))
        out.add(*cells)
    return out


def advice_tables(adv: Any, lang: str, generated: Optional[dt.datetime] = None) -> list[Table]:
    """The advisor's answer as a workbook: how many more posts, the staffing team by team (on
    screen, recommended, at the fewest extra posts), the figures against the plan on screen
    (paired differences), the staff curve (the page's own tables, one source for both), the
    reasons in sentences, every candidate, and an "about" sheet."""
    from ..analysis.advisor_table import advice_tables as plain_tables
    from ..vocabulary.advisor_text import explanation_lines, more_lines

    d = adv.to_json_dict()
    obj = d["objective"]
    role = WORDS[check_lang(lang)]["role"]
    sheets = {"answer": "sheet.adv_answer", "teams": "sheet.adv_teams", "figures": "sheet.adv_figures",
              "curve": "sheet.adv_curve"}
    typed = [_typed(tb, word(lang, sheets[tb.key])) for tb in plain_tables(adv, lang)]

    reasons = Table(word(lang, "sheet.adv_reasons"), [_w(lang, "reason")])
    for line in more_lines(adv.more_explanation or {}, lang) + list(explanation_lines(adv.explanation, lang)):
        reasons.add(line)

    cand_cols = [_w(lang, "rank"), _w(lang, "plan"), figure_column(lang, obj), word(lang, "ci_low"), word(lang, "ci_high"),
                 _w(lang, "feasible"), _w(lang, "reps"), _w(lang, "stage")]
    cands = Table(word(lang, "sheet.adv_candidates"), cand_cols)
    for r in d["candidates"]:
        cands.add(Num(r["rank"]), _plan_text(lang, r["plan"]), *_stat(obj, r["figures"].get(obj)),
                  _yes(lang, r["feasible"]), Num(r["replications"]), _w(lang, f"stage.{r['stage']}"))

    totals = "、".join if lang == "zh" else ", ".join
    about = about_table(lang, [
        (word(lang, "about.scenario"), d["scenario"]), (_w(lang, "objective"), figure_name(lang, obj)),
        (_w(lang, "totals"), totals(f"{role[r]} {d['totals'][r]}" for r in ROLES)),
        (_w(lang, "extra_posts"), Num(d["extra_posts"])), (word(lang, "about.seed"), str(d["seed"])),
        (word(lang, "about.replications"), Num(d["refine_replications"])),
        (word(lang, "about.generated"), _when(generated)), (word(lang, "note"), word(lang, "about.percent"))])
    return [*typed, reasons, cands, about]


# --- the province allocation ----------------------------------------------------------------------

def allocation_table(alloc: Any, lang: str) -> Table:
    """One row per court and figure: posts under the three allocations (one number per role), the
    mean now and after the recommended one, and the paired differences with their intervals."""
    from ..vocabulary.province_text import say

    d = alloc.to_json_dict()
    role = WORDS[check_lang(lang)]["role"]
    cols = [_w(lang, "court"), word(lang, "figure")]
    for rule in ("recommended", "even", "caseload"):
        cols += [_w(lang, "rule_posts", rule=say(lang, f"rule.{rule}"), role=role[r]) for r in ROLES]
    cols += [_w(lang, "now_mean"), _w(lang, "rec_mean"), word(lang, "ci_low"), word(lang, "ci_high"),
             _w(lang, "vs_rule", rule=say(lang, "rule.now"))]
    for rule in ("even", "caseload"):
        name = _w(lang, "vs_rule", rule=say(lang, f"rule.{rule}"))
        cols += [name, f"{name}：{word(lang, 'ci_low')}" if lang == "zh" else f"{name}: {word(lang, 'ci_low')}",
                 f"{name}：{word(lang, 'ci_high')}" if lang == "zh" else f"{name}: {word(lang, 'ci_high')}"]
    cols += [_w(lang, "verdict_now"), _w(lang, "verdict_rec"), word(lang, "code")]
    table = Table(word(lang, "sheet.alloc"), cols)
    for row in d["court_rows"]:
        for k, f in row["figures"].items():
            cells: list[Cell] = [row["court"], figure_column(lang, k)]
            for rule in ("recommended", "even", "caseload"):
                cells += [Num(v) for v in row["posts"][rule]]
            rec = f["recommended"]
            cells += [figure_num(k, f["now"]["mean"]), figure_num(k, rec["mean"]), figure_num(k, rec["ci_low"]),
                      figure_num(k, rec["ci_high"]), figure_num(k, f["vs_now"]["mean"])]
            for rule in ("even", "caseload"):
                cells += _stat(k, f[f"vs_{rule}"])
            v_now, v_rec = f.get("verdict_now"), f.get("verdict_recommended")
            cells += [verdict_cell(lang, None if v_now is None else {"verdict": v_now}),
                      verdict_cell(lang, None if v_rec is None else {"verdict": v_rec}), k]
            table.add(*cells)
    return table


def allocation_tables(alloc: Any, lang: str, generated: Optional[dt.datetime] = None) -> list[Table]:
    """The allocation's workbook: the courts' table, the summary and reasons in sentences, about."""
    from ..vocabulary.province_text import reason_lines, summary_lines

    d = alloc.to_json_dict()
    reasons = Table(word(lang, "sheet.alloc_reasons"), [_w(lang, "reason")])
    for line in summary_lines(d, lang) + reason_lines(d, lang):
        reasons.add(line.strip())
    about = about_table(lang, [(word(lang, "about.scenario"), d["province"]), (word(lang, "about.seed"), str(d["seed"])),
                               (word(lang, "about.replications"), Num(d["replications"])),
                               (word(lang, "about.generated"), _when(generated)),
                               (word(lang, "note"), word(lang, "about.percent"))])
    return [allocation_table(alloc, lang), reasons, about]


# --- calibration -----------------------------------------------------------------------------------

def _param_num(key: str, x: Optional[float]) -> Num:
    """A fitted parameter as a number: filings whole, season and fitted factors as multiples,
    every other one (shares, rates, growth) a share in per cent (as the fit report writes them)."""
    if key == "filings_per_year":
        return Num(x, 0)
    if key.startswith("demand.monthly_profile") or key.startswith("fit."):
        return Num(x, 2)
    return Num(x, 1, percent=True)


def staffing_timeline_table(staffing: Any, start: dt.date, months: int, lang: str) -> Table:
    """The staffing timeline the fit uses (one row per month and team, on the month's first day,
    with who joined and who left), under a staffing table's usual headers, so that a corrected
    copy reads back as the staffing table (``calibrate --staffing``). Team names are the
    court's own text."""
    t = Table(word(lang, "sheet.cal_staffing"), [_w(lang, k) for k in ("month", "team", *ROLES, "changes")])
    for r in staffing.monthly(start, months):
        changes = " ".join([f"+{j}" for j in r["joined"]] + [f"−{j}" for j in r["left"]])
        t.add(r["month"], r["team"], *[_headcount(r[k]) for k in ROLES], changes)
    return t


def _headcount(x: float) -> Num:
    """A head count: whole, or with two decimals where a table without teams was split."""
    return Num(x, 0 if float(x).is_integer() else 2)


def staffing_timeline_csv(staffing: Any, start: dt.date, months: int, lang: str) -> str:
    """:func:`staffing_timeline_table` as CSV text with its BOM."""
    return csv_text(staffing_timeline_table(staffing, start, months, lang))


def _series_table(sheet: str, rp: Any, lang: str) -> Table:
    """A replay's or a forecast's months: each figure's actual value (empty where not yet known),
    the simulated mean and its band."""
    t = Table(word(lang, sheet), [word(lang, "period"), word(lang, "figure"), _w(lang, "actual"), _w(lang, "simulated"),
                                  _w(lang, "band_low"), _w(lang, "band_high")])
    for f, series in rp.series.items():
        for r in series.rows():
            t.add(r["month"], figure_column(lang, f), figure_num(f, r["actual"]), figure_num(f, r["simulated"]),
                  figure_num(f, r["low"]), figure_num(f, r["high"]))
    return t


NAIVE_KEYS = ("model", "last_month", "same_month_last_year", "mean_12", "drift")


def _naive_table(oos: Any, lang: str) -> Table:
    """The held-out months' errors of the model and of each naive forecast (MAPE in per cent, MASE)."""
    from ..vocabulary.calibration_text import naive_name

    names = {"model": _w(lang, "model"), **{k: naive_name(lang, k) for k in NAIVE_KEYS[1:]}}
    cols = [word(lang, "figure")]
    for k in NAIVE_KEYS:
        cols += [_w(lang, "mape", name=names[k]) + " %", _w(lang, "mase", name=names[k])]
    t = Table(word(lang, "sheet.cal_naive"), cols)
    for f, d in oos.naive.items():
        cells: list[Cell] = [figure_name(lang, f)]
        for k in NAIVE_KEYS:
            sc = d["scores"][k]
            cells += [Num(sc["mape"], 1, percent=True), Num(sc["mase"], 2)]
        t.add(*cells)
    return t


def calibration_tables(fit: Any, rp: Any, lang: str, generated: Optional[dt.datetime] = None,
                       fc: Any = None, oos: Any = None) -> list[Table]:
    """A calibration's workbook: every parameter with its estimate and 95 % range (numbers) and how
    it was obtained, the replay month by month (actual, simulated, band), the staffing timeline
    the fit used, the forecast from the export ``fc`` and the out-of-sample check against the
    naive forecasts ``oos`` when given, and an "about" sheet."""
    from ..vocabulary.calibration_text import fit_summary, param_name
    from ..vocabulary.calibration_text import word as cal_word

    params = Table(word(lang, "sheet.cal_fit"), [_w(lang, "param"), _w(lang, "estimate"), word(lang, "ci_low"),
                                                 word(lang, "ci_high"), _w(lang, "method"), _w(lang, "identified"),
                                                 word(lang, "code")])
    for p in fit.params():
        params.add(param_name(lang, p.key), _param_num(p.key, p.value), _param_num(p.key, p.low),
                   _param_num(p.key, p.high), cal_word(lang, f"method.{p.method}"), _yes(lang, p.identified), p.key)
    replay = _series_table("sheet.cal_check", rp, lang)
    e = fit.estimates
    about = about_table(lang, [(_w(lang, "records"), f"{e.start.isoformat()} – {e.extra['export_date'].isoformat()}"),
                               (word(lang, "about.replications"), Num(rp.replications)),
                               (word(lang, "about.generated"), _when(generated)), (word(lang, "note"), fit_summary(lang, fit))])
    extra = [staffing_timeline_table(e.staffing, e.start, e.months, lang)]
    if fc is not None:
        extra.append(_series_table("sheet.cal_forecast", fc, lang))
    if oos is not None and oos.naive:
        extra.append(_naive_table(oos, lang))
    return [params, replay, *extra, about]


# --- the files -------------------------------------------------------------------------------------
# (thin: the callers above this layer, the command line and the app, write what these return)

def advice_xlsx(adv: Any, lang: str) -> bytes:
    """The advisor's answer as an Excel workbook (:func:`advice_tables`)."""
    return xlsx_bytes(advice_tables(adv, lang))


def allocation_csv(alloc: Any, lang: str) -> str:
    """The province allocation as CSV text with its BOM (:func:`allocation_table`)."""
    return csv_text(allocation_table(alloc, lang))


def allocation_xlsx(alloc: Any, lang: str) -> bytes:
    """The province allocation as an Excel workbook (:func:`allocation_tables`)."""
    return xlsx_bytes(allocation_tables(alloc, lang))


def calibration_xlsx(fit: Any, rp: Any, lang: str, fc: Any = None, oos: Any = None) -> bytes:
    """A calibration's estimates, replay, staffing timeline, forecast and naive check as an Excel
    workbook (:func:`calibration_tables`)."""
    return xlsx_bytes(calibration_tables(fit, rp, lang, fc=fc, oos=oos))
