"""The comparison's charts as Altair specifications, built once for the app and the report.

The app's comparison page shows these charts (``st.altair_chart``) and the one-page HTML report
exports the very same specifications to SVG with Altair's static export (vl-convert), so the
handout looks like the screen. Only Altair is imported here, never Streamlit: the report and
the command line draw these charts without the app.

One line per scenario, colour and dash pattern from the legend: the colours are the Okabe–Ito
palette (distinguishable with the common colour-vision deficiencies) and each scenario also
gets its own dash pattern, so the lines stay apart on a black-and-white printout.
"""
from __future__ import annotations

import math
from typing import Optional

import altair as alt
import numpy as np
import pandas as pd

from ..analysis.compare import Comparison
from ..vocabulary import catalogue
from ..vocabulary.figure_format import check_lang, figure_label

COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
DASHES = ([1, 0], [7, 4], [2, 3], [10, 3, 2, 3], [4, 4], [1, 2])
TARGET_COLOUR = "#c0392b"
# the app fits title, axes and a legend of up to six scenarios into this height, leaving the
# plot a readable height; the report passes its own, smaller size
HEIGHT = 420

#: the charts' own words (figure names and units come from :mod:`sim.vocabulary.figure_format`)
WORDS: dict[str, dict[str, str]] = catalogue.by_lang("report_charts")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _w(lang: str, key: str) -> str:
    return WORDS[check_lang(lang)][key]


def month_label(lang: str, ym: str) -> str:
    """'2025-01' as '2025年1月' or 'Jan 2025' (the app's month labels too)."""
    y, m = ym.split("-")[:2]
    mi = int(m)
    return _w(lang, "month.label").format(y=y, m=mi, mon=MONTHS_EN[mi - 1])


def monthly_frame(lang: str, cmp: Comparison, figure: str) -> tuple[pd.DataFrame, list[str]]:
    """Long table (scenario, month, mean, lo, hi) over the union of the scenarios' months.

    Returns the table and the month labels in calendar order (the x axis's sort order).
    """
    months = sorted(set().union(*[r.month_labels for r in cmp.results]))
    labels = [month_label(lang, m) for m in months]
    rows = []
    for name, res in zip(cmp.names, cmp.results, strict=True):
        m, lo, hi = res.monthly(figure)
        for ym, a, b, c in zip(res.month_labels, m, lo, hi, strict=True):
            rows.append({"scenario": name, "month": month_label(lang, ym), "mean": _num(a), "lo": _num(b), "hi": _num(c)})
    return pd.DataFrame(rows, columns=["scenario", "month", "mean", "lo", "hi"]), labels


def _num(x: float) -> Optional[float]:
    x = float(x)
    return x if math.isfinite(x) else None  # JSON has no NaN: a gap in the line instead


def _lines(lang: str, df: pd.DataFrame, labels: list[str], names: list[str], y_title: str, fmt: str,
           y_scale: Optional[alt.Scale] = None, label_limit: int = 0) -> alt.Chart:
    k = len(names)
    # one legend for colour and dash (the same field, the same legend properties): a legend on
    # one channel and legend=None on the other makes Vega-Lite warn "Conflicting legend
    # property 'disable'". One entry a line: on a narrow page a second column dropped the
    # second plan's name. ``label_limit`` 0 never abbreviates a name.
    legend = alt.Legend(orient="top", direction="vertical", columns=1, labelLimit=label_limit, symbolType="stroke",
                        symbolStrokeWidth=3)
    colour = alt.Color("scenario:N", title=_w(lang, "scenario"), sort=names,
                       scale=alt.Scale(domain=names, range=[COLOURS[i % len(COLOURS)] for i in range(k)]),
                       legend=legend)
    dash = alt.StrokeDash("scenario:N", title=_w(lang, "scenario"), sort=names,
                          scale=alt.Scale(domain=names, range=[DASHES[i % len(DASHES)] for i in range(k)]),
                          legend=legend)
    tips = [alt.Tooltip("scenario:N", title=_w(lang, "scenario")),
            alt.Tooltip("month:N", title=_w(lang, "month")),
            alt.Tooltip("mean:Q", title=_w(lang, "mean"), format=fmt),
            alt.Tooltip("lo:Q", title=_w(lang, "ci_low"), format=fmt),
            alt.Tooltip("hi:Q", title=_w(lang, "ci_high"), format=fmt)]
    yk = {"scale": y_scale} if y_scale is not None else {}
    return alt.Chart(df).mark_line(point=True, strokeWidth=2.2).encode(
        x=alt.X("month:N", sort=labels, title=_w(lang, "month"), axis=alt.Axis(labelAngle=-45, labelOverlap=True)),
        y=alt.Y("mean:Q", title=y_title, axis=alt.Axis(format=fmt), **yk),
        color=colour, strokeDash=dash, tooltip=tips)


def pending_chart(lang: str, cmp: Comparison, height: int = HEIGHT, label_limit: int = 0) -> alt.Chart:
    """Pending caseload at each month end, one line per scenario.

    ``height`` (pixels, title and legend included in the app) and ``label_limit`` (the longest
    legend label, in pixels; 0: no limit) size the chart: the app's are the defaults, the report's smaller.
    """
    df, labels = monthly_frame(lang, cmp, "pending_end")
    return _lines(lang, df, labels, list(cmp.names), figure_label(lang, "pending_end"), ",.0f",
                  label_limit=label_limit).properties(
        title=_w(lang, "pending.title"), height=height)


def within_limit_chart(lang: str, cmp: Comparison, height: int = HEIGHT,
                       label_limit: int = 0) -> alt.LayerChart | alt.Chart:
    """Monthly within-limit rate, one line per scenario, with the reference's target as a rule
    (sized as :func:`pending_chart`)."""
    df, labels = monthly_frame(lang, cmp, "within_limit_rate")
    tgt = cmp.results[cmp.reference].scenario.targets.within_limit_rate
    vals = df["mean"].dropna().to_numpy(dtype=float)
    low = float(np.min(vals)) if vals.size else 0.0
    if tgt is not None:
        low = min(low, float(tgt))
    scale = alt.Scale(domain=[max(0.0, math.floor((low - 0.02) * 50) / 50), 1.0])
    ch: alt.Chart | alt.LayerChart = _lines(lang, df, labels, list(cmp.names),
                                            figure_label(lang, "within_limit_rate"), ".1%", y_scale=scale,
                                            label_limit=label_limit)
    if tgt is not None:
        rule = alt.Chart(pd.DataFrame({"target": [float(tgt)]})).mark_rule(
            strokeDash=[6, 4], color=TARGET_COLOUR, size=2).encode(
            y=alt.Y("target:Q"), tooltip=[alt.Tooltip("target:Q", title=_w(lang, "target"), format=".1%")])
        ch = ch + rule
    return ch.properties(title=_w(lang, "within.title"), height=height)


#: the comparison's charts in page order (the app and the report draw both)
COMPARISON_CHARTS = (("pending", pending_chart), ("within", within_limit_chart))
