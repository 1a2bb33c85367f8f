"""Altair charts of one result: each has a title, labelled axes, tooltips and a reading caption."""
from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from sim.analysis.results import Results
from sim.model.figures import AGE_BANDS
from sim.vocabulary.figure_format import figure_label, figure_name

from ..i18n import fmt_number, month_label, t, track_label
from .chart_spec import draw_chart

#: pixels for title, plot and axes: the plot must stay taller than its y-axis title
#: ("Pending cases at end (cases)" is 166 px on its side; at 260 the plot was 121 px, and Vega
#: drew the chart's title above the top of the picture, cut)
HEIGHT = 350
# Streamlit fits title, legend and axes inside the given height: a chart with a legend on
# top needs more, or its plot is squeezed to a thin strip (380 fits each at 390 px: the
# phone's screens test; the 30 px HEIGHT gained were for the pending chart's y-axis title)
HEIGHT_WITH_LEGEND = 380
TARGET_COLOUR = "#c0392b"
MEAN_COLOUR = "#1f5fa8"
TRACK_COLOURS = ("#2a9d8f", "#1f5fa8")  # simple, complex


def _months(lang: str, res: Results) -> list[str]:
    return [month_label(lang, m) for m in res.month_labels]


#: month labels lie flat, every other one (or fewer) dropped where they would overlap: slanted
#: labels took 95 of a chart's 260 px, leaving a plot lower than its own y-axis title, and
#: Vega then drew the chart's title above the top of the picture, cut
MONTH_AXIS = alt.Axis(labelAngle=0, labelOverlap=True)


def _x_month(lang: str, labels: list[str]) -> alt.X:
    return alt.X("month:N", sort=labels, title=t(lang, "chart.axis.month"), axis=MONTH_AXIS)


def _series_df(lang: str, res: Results, figure: str) -> tuple[pd.DataFrame, list[str]]:
    labels = _months(lang, res)
    m, lo, hi = res.monthly(figure)
    df = pd.DataFrame({"month": labels, "mean": m, "lo": lo, "hi": hi})
    return df, labels


def _band_line(lang: str, df: pd.DataFrame, labels: list[str], y_title: str, fmt: str,
               y_scale: alt.Scale | None = None) -> alt.LayerChart:
    x = _x_month(lang, labels)
    tips = [alt.Tooltip("month:N", title=t(lang, "chart.axis.month")),
            alt.Tooltip("mean:Q", title=t(lang, "chart.mean"), format=fmt),
            alt.Tooltip("lo:Q", title=t(lang, "chart.ci_low"), format=fmt),
            alt.Tooltip("hi:Q", title=t(lang, "chart.ci_high"), format=fmt)]
    yk = {"scale": y_scale} if y_scale is not None else {}
    band = alt.Chart(df).mark_area(opacity=0.22, color=MEAN_COLOUR).encode(
        x=x, y=alt.Y("lo:Q", title=y_title, axis=alt.Axis(format=fmt), **yk), y2=alt.Y2("hi:Q"), tooltip=tips)
    line = alt.Chart(df).mark_line(point=True, color=MEAN_COLOUR).encode(x=x, y=alt.Y("mean:Q"), tooltip=tips)
    return band + line


def _target_rule(lang: str, value: float, fmt: str) -> alt.Chart:
    tdf = pd.DataFrame({"target": [value]})
    return alt.Chart(tdf).mark_rule(strokeDash=[6, 4], color=TARGET_COLOUR, size=2).encode(
        y=alt.Y("target:Q"), tooltip=[alt.Tooltip("target:Q", title=t(lang, "chart.target"), format=fmt)])


def pending_chart(lang: str, res: Results) -> alt.LayerChart:
    """Pending caseload at each month end, its band, and the pending target if there is one."""
    df, labels = _series_df(lang, res, "pending_end")
    ch = _band_line(lang, df, labels, figure_label(lang, "pending_end"), ",.0f")
    tgt = res.scenario.targets.pending_end
    if tgt is not None:
        ch = ch + _target_rule(lang, float(tgt), ",.0f")
    return ch.properties(title=t(lang, "chart.pending.title"), height=HEIGHT)


#: the within-limit chart's series: all cases, then each track (sim.model.tracks)
WITHIN_SERIES = (("within_limit_rate", "all", "#555555"), ("within_limit_rate_simple", "simple", TRACK_COLOURS[0]),
                 ("within_limit_rate_complex", "complex", TRACK_COLOURS[1]))


def within_limit_frame(lang: str, res: Results) -> pd.DataFrame:
    """Month, series (all cases, simple track, complex track), mean and 95 % interval."""
    labels = _months(lang, res)
    rows = []
    for fig, series, _colour in WITHIN_SERIES:
        m, lo, hi = res.monthly(fig)
        for j, lab in enumerate(labels):
            rows.append({"month": lab, "series": t(lang, f"chart.within.{series}"), "mean": m[j], "lo": lo[j], "hi": hi[j]})
    return pd.DataFrame(rows, columns=["month", "series", "mean", "lo", "hi"])


def within_limit_chart(lang: str, res: Results) -> alt.LayerChart:
    """Monthly within-limit rate of all cases (with its band) and of each track, with the targets.

    A track's target is drawn in its colour when it differs from the overall one."""
    df = within_limit_frame(lang, res)
    labels = _months(lang, res)
    targets = res.scenario.targets
    tgt = targets.within_limit_rate
    finite = df[["lo", "mean"]].to_numpy(dtype=float)
    low = float(np.nanmin(finite)) if np.isfinite(finite).any() else 0.0
    track_targets = [(getattr(targets, fig), colour) for fig, _s, colour in WITHIN_SERIES[1:]
                     if getattr(targets, fig) is not None and getattr(targets, fig) != tgt]
    for v in [tgt] + [v for v, _c in track_targets]:
        if v is not None:
            low = min(low, float(v))
    scale = alt.Scale(domain=[max(0.0, math.floor((low - 0.02) * 50) / 50), 1.0])
    x = _x_month(lang, labels)
    order = [t(lang, f"chart.within.{series}") for _f, series, _c in WITHIN_SERIES]
    # one legend for colour and dash (same field, same legend), short names in a row: the chart
    # is half a page wide, and the caption says what each track holds
    legend = alt.Legend(orient="top", title=None, labelLimit=0, columns=3, symbolType="stroke", symbolStrokeWidth=3)
    colour = alt.Color("series:N", sort=order, scale=alt.Scale(domain=order, range=[c for _f, _s, c in WITHIN_SERIES]),
                       legend=legend)
    tips = [alt.Tooltip("month:N", title=t(lang, "chart.axis.month")),
            alt.Tooltip("series:N", title=t(lang, "chart.within.series")),
            alt.Tooltip("mean:Q", title=t(lang, "chart.mean"), format=".1%"),
            alt.Tooltip("lo:Q", title=t(lang, "chart.ci_low"), format=".1%"),
            alt.Tooltip("hi:Q", title=t(lang, "chart.ci_high"), format=".1%")]
    y_title = figure_label(lang, "within_limit_rate")
    band = alt.Chart(df[df["series"] == order[0]]).mark_area(opacity=0.18, color=WITHIN_SERIES[0][2]).encode(
        x=x, y=alt.Y("lo:Q", title=y_title, axis=alt.Axis(format=".1%"), scale=scale), y2=alt.Y2("hi:Q"), tooltip=tips)
    lines = alt.Chart(df).mark_line(point=True).encode(
        x=x, y=alt.Y("mean:Q", title=y_title, scale=scale), color=colour,
        strokeDash=alt.StrokeDash("series:N", sort=order, legend=legend,
                                  scale=alt.Scale(domain=order, range=[[1, 0], [6, 3], [2, 2]])),
        tooltip=tips)
    ch = band + lines
    if tgt is not None:
        ch = ch + _target_rule(lang, float(tgt), ".1%")
    for v, c in track_targets:
        ch = ch + alt.Chart(pd.DataFrame({"target": [float(v)]})).mark_rule(strokeDash=[3, 3], color=c, size=1.5).encode(
            y=alt.Y("target:Q"), tooltip=[alt.Tooltip("target:Q", title=t(lang, "chart.target"), format=".1%")])
    return ch.properties(title=t(lang, "chart.within.title"), height=HEIGHT_WITH_LEGEND)


def flow_chart(lang: str, res: Results) -> alt.Chart:
    """Filed and closed per month, two lines."""
    labels = _months(lang, res)
    rows = []
    for fig in ("filed", "closed"):
        m, lo, hi = res.monthly(fig)
        for j, lab in enumerate(labels):
            rows.append({"month": lab, "series": figure_name(lang, fig), "mean": m[j], "lo": lo[j], "hi": hi[j]})
    df = pd.DataFrame(rows)
    tips = [alt.Tooltip("month:N", title=t(lang, "chart.axis.month")),
            alt.Tooltip("series:N", title=t(lang, "chart.series")),
            alt.Tooltip("mean:Q", title=t(lang, "chart.mean"), format=",.0f"),
            alt.Tooltip("lo:Q", title=t(lang, "chart.ci_low"), format=",.0f"),
            alt.Tooltip("hi:Q", title=t(lang, "chart.ci_high"), format=",.0f")]
    order = [figure_name(lang, "filed"), figure_name(lang, "closed")]
    return alt.Chart(df).mark_line(point=True).encode(
        x=_x_month(lang, labels),
        y=alt.Y("mean:Q", title=t(lang, "chart.axis.cases"), axis=alt.Axis(format=",.0f")),
        # colour and dash share one legend (legend=None on one of them makes Vega-Lite warn
        # "Conflicting legend property 'disable'")
        color=alt.Color("series:N", title=t(lang, "chart.series"), sort=order,
                        scale=alt.Scale(domain=order, range=["#e76f51", MEAN_COLOUR]),
                        legend=alt.Legend(orient="top", labelLimit=0)),
        strokeDash=alt.StrokeDash("series:N", title=t(lang, "chart.series"), sort=order,
                                  legend=alt.Legend(orient="top", labelLimit=0)),
        tooltip=tips,
    ).properties(title=t(lang, "chart.flow.title"), height=HEIGHT_WITH_LEGEND)


def age_chart(lang: str, res: Results) -> alt.LayerChart:
    """Pending caseload at the end by age band, long-pending bands in red, threshold marked."""
    threshold = float(res.scenario.long_pending_months)
    cap = max(30.0, threshold + 6)
    lower = (0,) + AGE_BANDS[:-1]
    rows = []
    for j, band in enumerate(res.age_profile()):
        lo_m, hi_m = float(lower[j]), float(AGE_BANDS[j])
        label = (t(lang, "chart.band_label", lo=f"{lo_m:g}", hi=f"{hi_m:g}") if math.isfinite(hi_m)
                 else t(lang, "chart.band_label_open", lo=f"{lo_m:g}"))
        rows.append({"from": lo_m, "to": hi_m if math.isfinite(hi_m) else cap, "mid": (lo_m + min(hi_m, cap)) / 2,
                     "band": label, "mean": band["mean"], "lo": band["ci_low"], "hi": band["ci_high"],
                     "long": t(lang, "chart.long.yes" if lo_m >= threshold else "chart.long.no")})
    df = pd.DataFrame(rows)
    yes, no = t(lang, "chart.long.yes"), t(lang, "chart.long.no")
    tips = [alt.Tooltip("band:N", title=t(lang, "chart.band")),
            alt.Tooltip("mean:Q", title=t(lang, "chart.mean"), format=",.1f"),
            alt.Tooltip("lo:Q", title=t(lang, "chart.ci_low"), format=",.1f"),
            alt.Tooltip("hi:Q", title=t(lang, "chart.ci_high"), format=",.1f"),
            alt.Tooltip("long:N", title=t(lang, "chart.long"))]
    x_scale = alt.Scale(domain=[0, cap], nice=False)
    bars = alt.Chart(df).mark_bar(stroke="white", strokeWidth=1).encode(
        x=alt.X("from:Q", title=t(lang, "chart.axis.age"), scale=x_scale,
                axis=alt.Axis(values=[float(v) for v in lower] + [cap], format=".0f")),
        x2=alt.X2("to:Q"),
        y=alt.Y("mean:Q", title=t(lang, "chart.axis.cases"), axis=alt.Axis(format=",.0f")),
        y2=alt.Y2Datum(0),  # a ranged x makes Vega-Lite draw a thin horizontal tick unless y starts at 0
        color=alt.Color("long:N", title=t(lang, "chart.long"), scale=alt.Scale(domain=[no, yes], range=["#8fb3d9", TARGET_COLOUR]),
                        legend=alt.Legend(orient="top")),
        tooltip=tips)
    err = alt.Chart(df).mark_rule(color="#333").encode(x=alt.X("mid:Q", scale=x_scale), y=alt.Y("lo:Q"), y2=alt.Y2("hi:Q"), tooltip=tips)
    tdf = pd.DataFrame({"x": [threshold], "label": [t(lang, "chart.threshold", m=f"{threshold:g}")]})
    rule = alt.Chart(tdf).mark_rule(strokeDash=[6, 4], color=TARGET_COLOUR, size=2).encode(
        x=alt.X("x:Q", scale=x_scale), tooltip=[alt.Tooltip("label:N", title=t(lang, "chart.target"))])
    text = alt.Chart(tdf).mark_text(align="left", dx=4, dy=-4, color=TARGET_COLOUR, baseline="bottom").encode(
        x=alt.X("x:Q", scale=x_scale), y=alt.YValue(12), text=alt.Text("label:N"))
    return (bars + err + rule + text).properties(title=t(lang, "chart.age.title"), height=HEIGHT_WITH_LEGEND)


def utilisation_chart(lang: str, res: Results) -> alt.LayerChart:
    """Judge utilisation per team with 95 % intervals, coloured by track."""
    rows = []
    for tm in res.teams():
        u = tm["utilisation"]
        rows.append({"team": tm["team"], "track": track_label(lang, tm["track"]), "mean": u["mean"],
                     "lo": u["ci_low"], "hi": u["ci_high"], "judges": tm["judges"]})
    df = pd.DataFrame(rows)
    order = list(df["team"])
    tracks = [track_label(lang, "simple"), track_label(lang, "complex")]
    tips = [alt.Tooltip("team:N", title=t(lang, "chart.axis.team")),
            alt.Tooltip("track:N", title=t(lang, "col.track")),
            alt.Tooltip("judges:Q", title=t(lang, "col.judges"), format=",.1f"),
            alt.Tooltip("mean:Q", title=t(lang, "chart.mean"), format=".1%"),
            alt.Tooltip("lo:Q", title=t(lang, "chart.ci_low"), format=".1%"),
            alt.Tooltip("hi:Q", title=t(lang, "chart.ci_high"), format=".1%")]
    # one replication has no interval (hi is NaN): the axis then reaches the means
    ends = df[["mean", "hi"]].to_numpy(dtype=float) if len(df) else np.array([1.0])
    top = max(1.0, float(np.nanmax(ends)) if np.isfinite(ends).any() else 1.0)
    x_scale = alt.Scale(domain=[0, top])
    y = alt.Y("team:N", sort=order, title=t(lang, "chart.axis.team"), axis=alt.Axis(labelLimit=240))
    bars = alt.Chart(df).mark_bar().encode(
        y=y, x=alt.X("mean:Q", title=figure_label(lang, "judge_utilisation"), axis=alt.Axis(format=".0%"), scale=x_scale),
        color=alt.Color("track:N", title=t(lang, "col.track"), scale=alt.Scale(domain=tracks, range=list(TRACK_COLOURS)),
                        legend=alt.Legend(orient="top")),
        tooltip=tips)
    err = alt.Chart(df).mark_rule(color="#333", size=2).encode(y=y, x=alt.X("lo:Q", scale=x_scale), x2=alt.X2("hi:Q"), tooltip=tips)
    full = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(strokeDash=[4, 4], color="#666").encode(x=alt.X("x:Q", scale=x_scale))
    return (bars + err + full).properties(title=t(lang, "chart.util.title"), height=max(HEIGHT_WITH_LEGEND, 40 * len(df) + 100))


def funnel_chart(lang: str, res: Results) -> alt.LayerChart:
    """Disputes → sent to mediation → resolved there → formally filed (whole horizon, means)."""
    s = res.summary()
    disputes = s["disputes"].mean
    stages = [("disputes", disputes), ("mediated", s["mediation_diversion_rate"].mean * disputes),
              ("resolved", s["mediation_resolution_share"].mean * disputes), ("filed", s["filed"].mean)]
    df = pd.DataFrame({"stage": [t(lang, f"chart.stage.{k}") for k, _ in stages],
                       "count": [float(v) if v is not None and math.isfinite(v) else 0.0 for _, v in stages]})
    df["share"] = df["count"] / disputes if disputes else np.nan
    df["text"] = [fmt_number(v) for v in df["count"]]
    order = list(df["stage"])
    tips = [alt.Tooltip("stage:N", title=t(lang, "chart.axis.stage")),
            alt.Tooltip("count:Q", title=t(lang, "chart.count"), format=",.0f"),
            alt.Tooltip("share:Q", title=figure_name(lang, "disputes"), format=".1%")]
    y = alt.Y("stage:N", sort=order, title=t(lang, "chart.axis.stage"), axis=alt.Axis(labelLimit=240))
    xmax = float(df["count"].max()) * 1.18 if len(df) and df["count"].max() > 0 else 1.0
    bars = alt.Chart(df).mark_bar(color="#6a8caf").encode(
        y=y, x=alt.X("count:Q", title=t(lang, "chart.axis.cases"), axis=alt.Axis(format=",.0f"),
                     scale=alt.Scale(domain=[0, xmax])), tooltip=tips)
    text = alt.Chart(df).mark_text(align="left", dx=4).encode(y=y, x=alt.X("count:Q"), text=alt.Text("text:N"), tooltip=tips)
    return (bars + text).properties(title=t(lang, "chart.funnel.title"), height=HEIGHT)


# --- the staffing-over-time chart (under the pending chart, on its month axis) ----------------

def staffing_frame(lang: str, res: Results) -> pd.DataFrame:
    """Average judges (and judge capacity after ramp-up, assistants, clerks) present per team in
    each reported month: the engine's staffing output (``Results.staffing``), so the chart shows
    exactly the staffing the simulation used."""
    df = pd.DataFrame(res.staffing, columns=["team", "month", "judges", "judge_capacity", "assistants", "clerks"])
    df["month"] = [month_label(lang, m) for m in df["month"]]
    return df


AXIS_EXTENT = 64  # px for y-axis labels in both charts, so their plot areas line up exactly


def staffing_chart(lang: str, res: Results) -> alt.Chart:
    """Judges per team, stacked, month by month, on the pending chart's month axis.

    The x scale's domain is the reported months in order, exactly the pending chart's; with
    the same y-axis extent and width the two plots line up month under month.
    """
    df = staffing_frame(lang, res)
    labels = [month_label(lang, m) for m in res.month_labels]
    teams = [tm.name for tm in res.scenario.teams]
    df["team_order"] = [teams.index(x) for x in df["team"]]
    tips = [alt.Tooltip("month:N", title=t(lang, "chart.axis.month")),
            alt.Tooltip("team:N", title=t(lang, "staff.col.team")),
            alt.Tooltip("judges:Q", title=t(lang, "staff.chart.judges"), format=",.1f"),
            alt.Tooltip("judge_capacity:Q", title=t(lang, "staff.chart.capacity"), format=",.1f"),
            alt.Tooltip("assistants:Q", title=t(lang, "staff.chart.assistants"), format=",.1f"),
            alt.Tooltip("clerks:Q", title=t(lang, "staff.chart.clerks"), format=",.1f")]
    x = alt.X("month:N", sort=labels, scale=alt.Scale(domain=labels), title=t(lang, "chart.axis.month"),
              axis=MONTH_AXIS)
    return alt.Chart(df).mark_bar(opacity=0.85).encode(
        x=x,
        y=alt.Y("judges:Q", stack="zero", title=t(lang, "staff.chart.axis"), axis=alt.Axis(format=",.0f")),
        color=alt.Color("team:N", sort=teams, title=None, legend=alt.Legend(orient="top", columns=3)),
        order=alt.Order("team_order:Q"),
        tooltip=tips,
    ).properties(title=t(lang, "staff.chart.title"), height=HEIGHT_WITH_LEGEND).configure_axisY(
        minExtent=AXIS_EXTENT, maxExtent=AXIS_EXTENT)


def aligned_pending_chart(lang: str, res: Results) -> alt.LayerChart:
    """The what-if page's pending-caseload chart with the y-axis extent the staffing chart uses."""
    return pending_chart(lang, res).configure_axisY(minExtent=AXIS_EXTENT, maxExtent=AXIS_EXTENT)


CHARTS = (
    ("pending", pending_chart),
    ("within", within_limit_chart),
    ("flow", flow_chart),
    ("age", age_chart),
    ("util", utilisation_chart),
    ("funnel", funnel_chart),
)


def render_charts(lang: str, res: Results) -> None:
    """The six charts in a wrapping row (two side by side where each has room, else one under
    the other: ui/widgets/layout.py), each followed by its one-sentence caption; the staffing-over-time
    chart sits under the pending-caseload chart on the same month axis."""
    row = st.container(horizontal=True, key="charts")
    for name, fn in CHARTS:
        with row.container(key=f"chartbox_{name}"):
            # two charts, not a vconcat: Streamlit cannot stretch a vconcat of layered charts
            build = (lambda: aligned_pending_chart(lang, res)) if name == "pending" else \
                (lambda fn=fn: fn(lang, res))
            draw_chart(res, ("whatif", name, lang), build, key=f"chart_{name}")
            st.caption(t(lang, f"chart.{name}.caption"))
            if name == "pending":
                draw_chart(res, ("whatif", "staffing", lang), lambda: staffing_chart(lang, res),
                           key="chart_staffing")
                st.caption(t(lang, "staff.chart.caption"))
