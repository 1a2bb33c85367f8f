"""Overlaid Altair charts of a comparison: one line per scenario, colour and dash from a legend.

Colours are the Okabe–Ito palette used by the HTML report (sim/report/html_report.py), so a printed report
and the screen agree; each scenario also gets its own dash pattern so the lines stay apart for
readers who cannot tell the colours apart and on a black-and-white printout.
"""
from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from sim.analysis.compare import Comparison
from sim.vocabulary.figure_format import figure_label
from sim.report.html_report import COLOURS

from .i18n import month_label, t

# Streamlit fits the whole chart (title, axes, legend) into this height, so it leaves room
# for a legend of up to six scenarios above a plot of readable height
HEIGHT = 420
TARGET_COLOUR = "#c0392b"
DASHES = ([1, 0], [7, 4], [2, 3], [10, 3, 2, 3], [4, 4], [1, 2])


def monthly_frame(lang: str, cmp: Comparison, figure: str) -> tuple[pd.DataFrame, list[str]]:
    """Long table (scenario, month, mean, lo, hi) over the union of the scenarios' months."""
    months = sorted(set().union(*[r.month_labels for r in cmp.results]))
    labels = [month_label(lang, m) for m in months]
    rows = []
    for name, res in zip(cmp.names, cmp.results):
        m, lo, hi = res.monthly(figure)
        for ym, a, b, c in zip(res.month_labels, m, lo, hi):
            rows.append({"scenario": name, "month": month_label(lang, ym), "mean": _num(a), "lo": _num(b), "hi": _num(c)})
    return pd.DataFrame(rows, columns=["scenario", "month", "mean", "lo", "hi"]), labels


def _num(x: float) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None  # JSON has no NaN: a gap in the line instead


def _lines(lang: str, df: pd.DataFrame, labels: list[str], names: list[str], y_title: str, fmt: str,
           y_scale: alt.Scale | None = None) -> alt.Chart:
    k = len(names)
    colour = alt.Color("scenario:N", title=t(lang, "cmp.chart.scenario"), sort=names,
                       scale=alt.Scale(domain=names, range=list(COLOURS[:k])),
                       legend=alt.Legend(orient="top", direction="horizontal", columns=2, labelLimit=420,
                                         symbolType="stroke", symbolStrokeWidth=3))
    dash = alt.StrokeDash("scenario:N", sort=names, scale=alt.Scale(domain=names, range=list(DASHES[:k])),
                          legend=None)
    tips = [alt.Tooltip("scenario:N", title=t(lang, "cmp.chart.scenario")),
            alt.Tooltip("month:N", title=t(lang, "chart.axis.month")),
            alt.Tooltip("mean:Q", title=t(lang, "chart.mean"), format=fmt),
            alt.Tooltip("lo:Q", title=t(lang, "chart.ci_low"), format=fmt),
            alt.Tooltip("hi:Q", title=t(lang, "chart.ci_high"), format=fmt)]
    yk = {"scale": y_scale} if y_scale is not None else {}
    return alt.Chart(df).mark_line(point=True, strokeWidth=2.2).encode(
        x=alt.X("month:N", sort=labels, title=t(lang, "chart.axis.month"), axis=alt.Axis(labelAngle=-45, labelOverlap=True)),
        y=alt.Y("mean:Q", title=y_title, axis=alt.Axis(format=fmt), **yk),
        color=colour, strokeDash=dash, tooltip=tips)


def pending_chart(lang: str, cmp: Comparison) -> alt.Chart:
    """Pending caseload at each month end, one line per scenario."""
    df, labels = monthly_frame(lang, cmp, "pending_end")
    return _lines(lang, df, labels, list(cmp.names), figure_label(lang, "pending_end"), ",.0f").properties(
        title=t(lang, "cmp.chart.pending.title"), height=HEIGHT)


def within_limit_chart(lang: str, cmp: Comparison) -> alt.LayerChart | alt.Chart:
    """Monthly within-limit rate, one line per scenario, with the reference's target as a rule."""
    df, labels = monthly_frame(lang, cmp, "within_limit_rate")
    tgt = cmp.results[cmp.reference].scenario.targets.within_limit_rate
    vals = df["mean"].dropna().to_numpy(dtype=float)
    low = float(np.min(vals)) if vals.size else 0.0
    if tgt is not None:
        low = min(low, float(tgt))
    scale = alt.Scale(domain=[max(0.0, math.floor((low - 0.02) * 50) / 50), 1.0])
    ch: alt.Chart | alt.LayerChart = _lines(lang, df, labels, list(cmp.names), figure_label(lang, "within_limit_rate"), ".1%",
                                            y_scale=scale)
    if tgt is not None:
        rule = alt.Chart(pd.DataFrame({"target": [float(tgt)]})).mark_rule(
            strokeDash=[6, 4], color=TARGET_COLOUR, size=2).encode(
            y="target:Q", tooltip=[alt.Tooltip("target:Q", title=t(lang, "chart.target"), format=".1%")])
        ch = ch + rule
    return ch.properties(title=t(lang, "cmp.chart.within.title"), height=HEIGHT)
