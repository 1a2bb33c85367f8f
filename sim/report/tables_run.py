"""A run's and a comparison's figures as export tables (:mod:`sim.report.tables`).

- :func:`run_csv_table`: the run's CSV (the app's download and ``run --csv``): every figure for
  the whole horizon with its target and verdict, each procedure's time-limit figures, then every
  month; one row per period and figure.
- :func:`run_tables`: the run's workbook (``run --xlsx``, the what-if page's XLSX): the summary,
  the by-procedure table, the months, the teams and an "about" sheet (seed, replications, dates).
- :func:`comparison_table`: the comparison with the plans side by side (one row per figure, each
  plan's mean, interval, verdict and paired change from the reference); its CSV and first sheet.
- :func:`comparison_tables`: the comparison's workbook: that table, each plan's by-procedure
  figures side by side, what differs in words, and the "about" sheet.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any, Optional, Sequence

from ..analysis.results import Results, mean_ci
from ..model.figures import FIGURES
from ..vocabulary.export_text import word
from ..vocabulary.figure_format import target_text, verdict_note
from ..vocabulary.messages import WORDS, render_warning
from .tables import Cell, Num, Table, figure_column, figure_num, verdict_cell
from .writers import csv_text, xlsx_bytes

#: the by-procedure figures (their own registry entries give name, unit and decimals)
PROCEDURE_FIGURES = ("within_limit_rate", "overdue_pending_end")


def _low(x: Optional[float]) -> Optional[float]:
    # every figure is >= 0: an interval reaching below 0 starts at 0 (as on screen); no interval
    # (NaN: one replication) stays empty, where max(0.0, nan) would write 0
    return x if x is None or math.isnan(x) else max(0.0, x)


def _note(lang: str, tgt: Optional[dict]) -> Cell:
    if tgt is None:
        return None
    text = verdict_note(lang, tgt)
    if tgt["verdict"] == "met" and tgt.get("doubtful"):
        text = (text + " " if text else "") + word(lang, "doubtful")
    return text or None


def _target(key: str, tgt: Optional[dict]) -> Cell:
    return None if tgt is None else figure_num(key, tgt["target"])


def procedure_label(lang: str, res: Results, name: str) -> str:
    """A procedure's name as the scenario labels it ('小额诉讼'), else its key."""
    proc = res.scenario.procedures[name]
    return (proc.label_zh if lang == "zh" else proc.label_en) or name


def _track(lang: str, track: str) -> str:
    return WORDS[lang]["track"][track]


def _horizon(res: Results) -> str:
    return f"{res.month_labels[0]} – {res.month_labels[-1]}" if res.month_labels else ""


def _when(generated: Optional[dt.datetime]) -> str:
    return (generated or dt.datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M")


# --- one run -----------------------------------------------------------------------------------

def run_csv_table(res: Results, lang: str) -> Table:
    """Every figure for the horizon (target, verdict), each procedure's, then each month's."""
    cols = ["scenario", "period", "figure", "mean", "ci_low", "ci_high", "target", "verdict", "code"]
    table = Table(word(lang, "sheet.summary"), [word(lang, c) for c in cols])
    name, total = res.scenario.name, word(lang, "total")
    summ, tg = res.summary(), res.targets()
    for k, st in summ.items():
        table.add(name, total, figure_column(lang, k), figure_num(k, st.mean), figure_num(k, _low(st.ci_low)),
                  figure_num(k, st.ci_high), _target(k, tg.get(k)), verdict_cell(lang, tg.get(k)), k)
    for row in res.procedures():
        label = procedure_label(lang, res, row["procedure"])
        for k in PROCEDURE_FIGURES:
            st, tgt = row[k], row["targets"].get(k)
            table.add(name, total, word(lang, "fig_of", figure=figure_column(lang, k), procedure=label),
                      figure_num(k, st["mean"]), figure_num(k, _low(st["ci_low"])), figure_num(k, st["ci_high"]),
                      _target(k, tgt), verdict_cell(lang, tgt), f"{k}[{row['procedure']}]")
    for k in FIGURES:
        m, lo, hi = res.monthly(k)
        for j, month in enumerate(res.month_labels):
            table.add(name, month, figure_column(lang, k), figure_num(k, m[j]), figure_num(k, _low(lo[j])),
                      figure_num(k, hi[j]), None, None, k)
    return table


def summary_table(res: Results, lang: str) -> Table:
    """Every figure over the horizon: mean, interval, target, verdict and why it is undecided."""
    cols = ["figure", "mean", "ci_low", "ci_high", "target", "verdict", "note", "code"]
    table = Table(word(lang, "sheet.summary"), [word(lang, c) for c in cols])
    tg = res.targets()
    for k, st in res.summary().items():
        t = tg.get(k)
        table.add(figure_column(lang, k), figure_num(k, st.mean), figure_num(k, _low(st.ci_low)),
                  figure_num(k, st.ci_high), _target(k, t), verdict_cell(lang, t), _note(lang, t), k)
    return table


def procedures_table(res: Results, lang: str) -> Table:
    """The by-procedure table: track, closed and pending counts, within-limit rate and overdue."""
    wl, od = "within_limit_rate", "overdue_pending_end"
    cols = [word(lang, "procedure"), word(lang, "track"), word(lang, "closed"), word(lang, "pending")]
    for k in (wl, od):
        cols += [figure_column(lang, k), word(lang, "ci_low"), word(lang, "ci_high"), word(lang, "target"),
                 word(lang, "verdict")]
    table = Table(word(lang, "sheet.procedures"), cols)
    for row in res.procedures():
        cells: list[Cell] = [procedure_label(lang, res, row["procedure"]), _track(lang, row["track"]),
                             figure_num("closed", row["closed"]["mean"]), figure_num("pending_end", row["pending_end"]["mean"])]
        for k in (wl, od):
            st, tgt = row[k], row["targets"].get(k)
            cells += [figure_num(k, st["mean"]), figure_num(k, _low(st["ci_low"])), figure_num(k, st["ci_high"]),
                      _target(k, tgt), verdict_cell(lang, tgt)]
        table.add(*cells)
    return table


def monthly_table(res: Results, lang: str) -> Table:
    """Every figure month by month (one row per month and figure)."""
    cols = ["period", "figure", "mean", "ci_low", "ci_high", "code"]
    table = Table(word(lang, "sheet.monthly"), [word(lang, c) for c in cols])
    for k in FIGURES:
        m, lo, hi = res.monthly(k)
        for j, month in enumerate(res.month_labels):
            table.add(month, figure_column(lang, k), figure_num(k, m[j]), figure_num(k, _low(lo[j])),
                      figure_num(k, hi[j]), k)
    return table


def teams_table(res: Results, lang: str) -> Table:
    """Per team: track, average judges, cases closed and judge utilisation with its interval."""
    u = "judge_utilisation"
    cols = [word(lang, "team"), word(lang, "track"), word(lang, "judges_avg"), word(lang, "closed"),
            figure_column(lang, u), word(lang, "ci_low"), word(lang, "ci_high")]
    table = Table(word(lang, "sheet.teams"), cols)
    for tm in res.teams():
        st = tm["utilisation"]
        table.add(tm["team"], _track(lang, tm["track"]), Num(tm["judges"], 1), Num(tm["closed"]["mean"], 0),
                  figure_num(u, st["mean"]), figure_num(u, _low(st["ci_low"])), figure_num(u, st["ci_high"]))
    return table


def about_table(lang: str, items: Sequence[tuple[str, Cell]]) -> Table:
    """The "about" sheet: what was run, with which seed and replications, and when."""
    table = Table(word(lang, "sheet.about"), [word(lang, "item"), word(lang, "value")])
    for k, v in items:
        table.add(k, v)
    return table


def _warnings(lang: str, warnings: Sequence[dict], prefix: str = "") -> list[tuple[str, Cell]]:
    return [(word(lang, "about.warnings"), prefix + render_warning(w, lang)) for w in warnings]


def run_tables(res: Results, lang: str, generated: Optional[dt.datetime] = None) -> list[Table]:
    """The run's workbook: summary, by procedure, monthly, teams, about."""
    about = [(word(lang, "about.scenario"), res.scenario.name), (word(lang, "about.seed"), str(res.seed)),
             (word(lang, "about.replications"), Num(res.replications)), (word(lang, "about.horizon"), _horizon(res)),
             (word(lang, "about.generated"), _when(generated)), (word(lang, "note"), word(lang, "about.percent")),
             (word(lang, "note"), word(lang, "about.procedures")), *_warnings(lang, res.warnings)]
    return [summary_table(res, lang), procedures_table(res, lang), monthly_table(res, lang), teams_table(res, lang),
            about_table(lang, about)]


# --- a comparison ------------------------------------------------------------------------------

def _plan_header(lang: str, cmp: Any, k: int) -> str:
    name = cmp.names[k]
    return word(lang, "reference_mark", name=name) if k == cmp.reference else name


def _plan_columns(lang: str, cmp: Any) -> list[str]:
    cols = []
    for k in range(len(cmp.names)):
        plan = _plan_header(lang, cmp, k)
        parts = ["mean", "ci_low", "ci_high", "verdict"] + ([] if k == cmp.reference else ["diff", "diff_low", "diff_high"])
        cols += [word(lang, "plan_col", plan=plan, col=word(lang, c)) for c in parts]
    return cols


def _shared_target(lang: str, key: str, targets: list[Optional[float]]) -> Cell:
    """The target column: a number when every plan has the same one, else each plan's in words."""
    given = [t for t in targets if t is not None]
    if not given:
        return None
    if len(set(given)) == 1 and len(given) == len(targets):
        return figure_num(key, given[0])
    return " / ".join(target_text(lang, key, t) for t in dict.fromkeys(given))


def comparison_table(cmp: Any, lang: str) -> Table:
    """Plans side by side: one row per figure (then each procedure's time-limit figures), for each
    plan its mean, 95 % interval and verdict, and for the others the paired change from the
    reference with its interval (common random numbers)."""
    cols = [word(lang, "figure"), word(lang, "target"), *_plan_columns(lang, cmp), word(lang, "code")]
    table = Table(word(lang, "sheet.compare"), cols)
    by = {(r["figure"], r["scenario"]): r for r in cmp.rows(tuple(FIGURES))}
    for k in FIGURES:
        rows = [by[(k, name)] for name in cmp.names]
        cells: list[Cell] = [figure_column(lang, k), _shared_target(lang, k, [r["target"] for r in rows])]
        for i, r in enumerate(rows):
            tgt = None if r["verdict"] is None else {"verdict": r["verdict"]}
            cells += [figure_num(k, r["mean"]), figure_num(k, _low(r["ci_low"])), figure_num(k, r["ci_high"]),
                      verdict_cell(lang, tgt)]
            if i != cmp.reference:
                cells += [figure_num(k, r["diff_mean"]), figure_num(k, r["diff_ci_low"]), figure_num(k, r["diff_ci_high"])]
        table.add(*cells, k)
    for cells in _procedure_rows(cmp, lang):
        table.add(*cells)
    return table


def _procedure_rows(cmp: Any, lang: str) -> list[list[Cell]]:
    """Each procedure's within-limit rate and overdue pending, plans side by side (rows as in
    :func:`comparison_table`); a plan without the procedure, or without its cases, has empty cells."""
    ref = cmp.results[cmp.reference]
    names: dict[str, str] = {}
    per_plan = []
    for res in cmp.results:
        rows = {r["procedure"]: r for r in res.procedures()}
        per_plan.append(rows)
        for p in rows:
            names.setdefault(p, procedure_label(lang, res, p))
    out = []
    for p, label in names.items():
        for k in PROCEDURE_FIGURES:
            tgts = [(rows.get(p) or {}).get("targets", {}).get(k) for rows in per_plan]
            cells: list[Cell] = [word(lang, "fig_of", figure=figure_column(lang, k), procedure=label),
                                 _shared_target(lang, k, [None if t is None else t["target"] for t in tgts])]
            for i, (res, rows) in enumerate(zip(cmp.results, per_plan, strict=True)):
                row = rows.get(p)
                st = row[k] if row else {"mean": None, "ci_low": None, "ci_high": None}
                cells += [figure_num(k, st["mean"]), figure_num(k, _low(st["ci_low"])), figure_num(k, st["ci_high"]),
                          verdict_cell(lang, tgts[i])]
                if i != cmp.reference:
                    d = _paired_procedure(res, ref, p, k) if row and p in res.scenario.procedures and \
                        p in ref.scenario.procedures else None
                    cells += [figure_num(k, None if d is None else d.mean), figure_num(k, None if d is None else d.ci_low),
                              figure_num(k, None if d is None else d.ci_high)]
            out.append(cells + [f"{k}[{p}]"])
    return out


def _paired_procedure(a: Results, b: Results, procedure: str, figure: str):
    n = min(a.replications, b.replications)
    return mean_ci(a.procedure_values(procedure, figure)[:n] - b.procedure_values(procedure, figure)[:n])


def differences_table(cmp: Any, lang: str) -> Table:
    """Every parameter that differs, in words: group, parameter, one column per plan."""
    cols = [word(lang, "group"), word(lang, "parameter"), *(_plan_header(lang, cmp, k) for k in range(len(cmp.names)))]
    table = Table(word(lang, "sheet.differences"), cols)
    for g in cmp.what_differs(lang):
        for it in g.items:
            table.add(g.title, it.label, *it.values)
    return table


def comparison_tables(cmp: Any, lang: str, generated: Optional[dt.datetime] = None) -> list[Table]:
    """The comparison's workbook: plans side by side, what differs, about."""
    ref = cmp.results[cmp.reference]
    about: list[tuple[str, Cell]] = [(word(lang, "about.scenario"), name) for name in cmp.names]
    about += [(word(lang, "about.reference"), cmp.names[cmp.reference]), (word(lang, "about.seed"), str(cmp.seed)),
              (word(lang, "about.replications"), Num(cmp.replications)), (word(lang, "about.horizon"), _horizon(ref)),
              (word(lang, "about.generated"), _when(generated)), (word(lang, "note"), word(lang, "about.percent")),
              (word(lang, "note"), word(lang, "about.procedures"))]
    for i, r in enumerate(cmp.results):
        about += _warnings(lang, r.warnings, f"[{cmp.names[i]}] ")
    return [comparison_table(cmp, lang), differences_table(cmp, lang), about_table(lang, about)]


# --- the files -------------------------------------------------------------------------------------
# (thin: the callers above this layer, the command line and the app, write what these return)

def run_csv(res: Results, lang: str) -> str:
    """The run's CSV text with its BOM (:func:`run_csv_table`)."""
    return csv_text(run_csv_table(res, lang))


def run_xlsx(res: Results, lang: str) -> bytes:
    """The run's workbook (:func:`run_tables`)."""
    return xlsx_bytes(run_tables(res, lang))


def comparison_csv(cmp: Any, lang: str) -> str:
    """The comparison's CSV text with its BOM, plans side by side (:func:`comparison_table`)."""
    return csv_text(comparison_table(cmp, lang))


def comparison_xlsx(cmp: Any, lang: str) -> bytes:
    """The comparison's workbook (:func:`comparison_tables`)."""
    return xlsx_bytes(comparison_tables(cmp, lang))
