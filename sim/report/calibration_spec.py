"""Altair specifications of the calibration's charts, shared by the app and the fit report.

- :func:`replay_chart`: one figure month by month, the court's actual figure (points and line)
  against the simulated mean with its 95 % prediction band (a forecast: :func:`forecast_rows`
  puts the recorded months before it, actual only);
- :func:`tornado_chart`: how much each assumption moves one headline figure when moved down
  and up (:mod:`sim.analysis.sensitivity`), largest swing first.
"""
from __future__ import annotations

from typing import Any, Sequence

import altair as alt
import pandas as pd

from ..vocabulary import catalogue
from ..vocabulary.figure_format import check_lang, figure_label
from .charts_spec import month_label

WORDS: dict[str, dict[str, str]] = catalogue.by_lang("report_calibration_charts")
HEIGHT = 220


def _w(lang: str, key: str) -> str:
    return WORDS[check_lang(lang)][key]


def replay_frame(lang: str, rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """The rows of one figure's :meth:`sim.calibration.replay.Series.rows` with month labels."""
    df = pd.DataFrame(list(rows))
    df["label"] = [month_label(lang, m) for m in df["month"]]
    return df


def replay_chart(lang: str, figure: str, rows: Sequence[dict[str, Any]], height: int = HEIGHT) -> alt.LayerChart:
    """Actual against simulated for one figure, with the simulated 95 % band."""
    df = replay_frame(lang, rows)
    order = list(df["label"])
    x = alt.X("label:N", sort=order, title=_w(lang, "month"), axis=alt.Axis(labelAngle=-45))
    y_title = figure_label(lang, figure)
    colour = alt.Color("series:N", title=_w(lang, "series"),
                       scale=alt.Scale(domain=[_w(lang, "actual"), _w(lang, "simulated")],
                                       range=["#c0392b", "#1f5fa8"]))
    band = alt.Chart(df).mark_area(opacity=0.2, color="#1f5fa8").encode(
        x=x, y=alt.Y("low:Q", title=y_title), y2=alt.Y2("high:Q"),
        tooltip=[alt.Tooltip("label:N", title=_w(lang, "month")), alt.Tooltip("low:Q", format=".3~f"),
                 alt.Tooltip("high:Q", format=".3~f")])
    long = pd.concat([df.assign(series=_w(lang, "simulated"), value=df["simulated"]),
                      df.assign(series=_w(lang, "actual"), value=df["actual"])])
    lines = alt.Chart(long).mark_line(point=True).encode(
        x=x, y=alt.Y("value:Q", title=y_title), color=colour,
        tooltip=[alt.Tooltip("label:N", title=_w(lang, "month")), alt.Tooltip("series:N", title=_w(lang, "series")),
                 alt.Tooltip("value:Q", format=".3~f")])
    return alt.layer(band, lines).properties(height=height, width="container")


def forecast_rows(history: Sequence[dict[str, Any]], forecast: Sequence[dict[str, Any]], keep: int = 12
                  ) -> list[dict[str, Any]]:
    """The last ``keep`` recorded months (actual only) followed by the forecast's months, as rows
    for :func:`replay_chart`."""
    past = [{**r, "simulated": None, "low": None, "high": None} for r in list(history)[-keep:]]
    return past + list(forecast)


def tornado_frame(lang: str, rows: Sequence[dict[str, Any]], figure: str, names: dict[str, str]) -> pd.DataFrame:
    """Rows of :meth:`sim.analysis.sensitivity.Sensitivity.rows` for ``figure``: assumption (in
    words, from ``names``), direction and the paired change, largest swing first."""
    sel = [r for r in rows if r["figure"] == figure]
    df = pd.DataFrame([{"assumption": names.get(r["assumption"], r["assumption"]), "key": r["assumption"],
                        "direction": _w(lang, r["direction"]), "change": r["diff_mean"] or 0.0,
                        "low": r["diff_ci_low"], "high": r["diff_ci_high"]} for r in sel])
    if df.empty:
        return df
    swing = df.groupby("key")["change"].apply(lambda s: s.abs().max())
    df["swing"] = df["key"].map(swing)
    return df.sort_values(["swing", "key"], ascending=[False, True])


def tornado_chart(lang: str, rows: Sequence[dict[str, Any]], figure: str, names: dict[str, str]) -> alt.Chart:
    """A tornado: one bar per assumption and direction, the paired change in ``figure``."""
    df = tornado_frame(lang, rows, figure, names)
    order = list(dict.fromkeys(df["assumption"])) if not df.empty else []
    return alt.Chart(df).mark_bar().encode(
        y=alt.Y("assumption:N", sort=order, title=_w(lang, "assumption")),
        x=alt.X("change:Q", title=_w(lang, "change").format(figure=figure_label(lang, figure))),
        color=alt.Color("direction:N", title=_w(lang, "direction"),
                        scale=alt.Scale(domain=[_w(lang, "down"), _w(lang, "up")], range=["#1f5fa8", "#c0392b"])),
        tooltip=[alt.Tooltip("assumption:N", title=_w(lang, "assumption")),
                 alt.Tooltip("direction:N", title=_w(lang, "direction")), alt.Tooltip("change:Q", format=".3~f"),
                 alt.Tooltip("low:Q", format=".3~f"), alt.Tooltip("high:Q", format=".3~f")],
    ).properties(height=max(120, 28 * len(order)), width="container")
