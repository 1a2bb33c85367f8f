"""The fit report of a calibration as one self-contained HTML page (``calibrate --report``).

The quality gate first; then every parameter with its value, range and how it was obtained,
what the data cannot pin and why, the months that reveal capacity, the staffing timeline the
fit used, the replay's scores with one chart per figure, the forecast from the export with its
bands, and the out-of-sample check against the four naive forecasts (each one's error) in
words. Charts are the app's own Altair specifications exported to inline SVG as in
:mod:`sim.report.html_report`. No scripts, no links: it opens offline.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any, Optional

import jinja2
from markupsafe import Markup

from ..vocabulary import catalogue
from ..vocabulary.calibration_text import (
    fit_summary,
    gate_text,
    naive_name,
    open_values_text,
    param_row,
    push_text,
    saturation_text,
    score_text,
    staffing_notes,
    state_text,
    step_text,
    unidentified_text,
    verdict_text,
    word,
)
from ..vocabulary.figure_format import check_lang, figure_name
from .calibration_spec import forecast_rows, replay_chart
from .html_report import TEMPLATES, chart_svg

LABELS: dict[str, dict[str, str]] = catalogue.by_lang("report_calibration")


def _staffing_table(staffing: Any, start: dt.date, months: int) -> tuple[list[str], list[list[str]]]:
    teams = [t.name for t in staffing.teams]
    per: dict[str, dict[str, dict]] = {}
    for r in staffing.monthly(start, months):
        per.setdefault(r["month"], {})[r["team"]] = r
    rows = []
    for month, by in per.items():
        ch = " ".join([f"+{j}" for r in by.values() for j in r["joined"]] + [f"−{j}" for r in by.values()
                                                                             for j in r["left"]])
        rows.append([month] + [str(by[t]["judges"]) for t in teams] + [ch])
    return teams, rows


def _pct(x: Optional[float]) -> str:
    return "—" if x is None or not math.isfinite(x) else f"{x * 100:.1f}%"


def _ratio(x: Optional[float]) -> str:
    return "—" if x is None or not math.isfinite(x) else f"{x:.2f}"


def _naive_table(lang: str, oos: Any) -> tuple[list[str], list[list[str]]]:
    keys = ["model", "last_month", "same_month_last_year", "mean_12", "drift"]
    head = [LABELS[lang]["figure"], LABELS[lang]["model"]] + [naive_name(lang, k) for k in keys[1:]]
    rows = []
    for fig, d in oos.naive.items():
        sc = d["scores"]
        rows.append([figure_name(lang, fig)] + [f"{_pct(sc[k]['mape'])} / {_ratio(sc[k]['mase'])}" for k in keys])
    return head, rows


def render_report(fit: Any, rp: Any, cases: int, lang: str = "zh", oos: Optional[Any] = None,
                  fc: Optional[Any] = None, gate: Optional[Any] = None) -> str:
    """The page for ``fit`` (:class:`sim.calibration.fit.Fit`), its replay ``rp``, the forecast
    from the export ``fc``, the out-of-sample check ``oos`` and the quality ``gate``."""
    lang = check_lang(lang)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True)
    e = fit.estimates
    charts = [Markup(chart_svg(replay_chart(lang, f, s.rows(), height=200).properties(width=640)))
              for f, s in rp.series.items()]
    fc_charts = []
    if fc is not None:
        for f in ("pending_end", "closed"):
            rows = forecast_rows(rp.series[f].rows(), fc.series[f].rows())
            fc_charts.append(Markup(chart_svg(replay_chart(lang, f, rows, height=200).properties(width=640))))
    teams, staff_rows = _staffing_table(e.staffing, e.start, e.months)
    naive_head, naive_rows = _naive_table(lang, oos) if oos is not None else ([], [])
    notes = [open_values_text(lang, fit), *saturation_text(lang, fit), push_text(lang, fit), step_text(lang, fit),
             state_text(lang, e.state)]
    if e.extra.get("assumed_age"):
        notes.append(word(lang, "assumed.age"))
    return env.get_template("calibration_report.html.j2").render(
        lang=lang, L=LABELS[lang], start=e.start.isoformat(), end=e.extra["export_date"].isoformat(), cases=cases,
        generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        gate=gate_text(lang, gate, with_oos=oos is not None) if gate is not None else "",
        gate_ok=gate is None or gate.ok,
        params=[param_row(lang, p) for p in fit.params()], fit_summary=fit_summary(lang, fit),
        unidentified=unidentified_text(lang, fit.unidentified()), notes=[n for n in notes if n],
        staffing_notes=staffing_notes(lang, e.staffing), teams=teams, staff_rows=staff_rows,
        scores=[score_text(lang, f, s.coverage, s.mape) for f, s in rp.series.items()], charts=charts,
        forecast_head=word(lang, "forecast.head", months=len(fc.series["pending_end"].months), reps=fc.replications)
        if fc is not None else "", fc_charts=fc_charts,
        oos_head=word(lang, "oos.head", fit=e.months - oos.holdout, holdout=oos.holdout) if oos else "",
        verdicts=[verdict_text(lang, f, d) for f, d in oos.naive.items()] if oos else [],
        naive_head=naive_head, naive_rows=naive_rows)
