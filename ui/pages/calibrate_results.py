"""The calibration page's results: the quality gate, every parameter with its range and what
the data cannot pin, the months that reveal capacity, the replay, the forecast from the export
with its bands, and the out-of-sample check against the four naive forecasts.

All words come from :mod:`sim.vocabulary.calibration_text` (shared with the command line and the
report) and the page's catalogue.
"""
from __future__ import annotations

import math
from typing import Any, Optional

import pandas as pd
import streamlit as st

from sim.report.calibration_spec import forecast_rows, replay_chart
from sim.vocabulary.calibration_text import (
    fit_summary,
    gate_text,
    naive_name,
    open_values_text,
    param_row,
    push_text,
    saturation_text,
    score_text,
    state_text,
    step_text,
    unidentified_text,
    verdict_text,
    word,
)
from sim.vocabulary.figure_format import figure_name

from ..i18n import t
from ..widgets.downloads import XLSX_MIME


def gate_box(lang: str, res: dict) -> None:
    """The quality gate at the top of the results."""
    gate = res["gate"]
    text = gate_text(lang, gate, with_oos=res["oos"] is not None)
    (st.success if gate.ok else st.error)(text)


def params(lang: str, fit: Any, res: Optional[dict] = None) -> None:
    st.subheader(t(lang, "cal.params"))
    rows = [param_row(lang, p) for p in fit.params()]
    st.dataframe(pd.DataFrame([{t(lang, "cal.col.name"): r["name"], t(lang, "cal.col.value"): r["value"],
                                t(lang, "cal.col.range"): r["range"], t(lang, "cal.col.method"): r["method"]}
                               for r in rows]), hide_index=True, width="stretch")
    st.caption(fit_summary(lang, fit))
    if res is not None:
        st.download_button(t(lang, "cal.dl.xlsx"), data=lambda: _calibration_xlsx(lang, res),
                           file_name="calibration.xlsx", mime=XLSX_MIME, key="cal_dl_xlsx",
                           help=t(lang, "cal.dl.xlsx.help"), on_click="ignore")
    st.info(unidentified_text(lang, fit.unidentified()))
    notes = [open_values_text(lang, fit), *saturation_text(lang, fit), push_text(lang, fit), step_text(lang, fit),
             state_text(lang, fit.estimates.state)]
    for n in notes:
        if n:
            st.markdown("- " + n)
    if fit.estimates.extra.get("assumed_support"):
        st.warning(word(lang, "assumed"))
    if fit.estimates.extra.get("assumed_age"):
        st.warning(word(lang, "assumed.age"))


def _calibration_xlsx(lang: str, res: dict) -> bytes:
    """The estimates, replay, staffing timeline, forecast and naive check as an Excel workbook
    (the export layer, as ``calibrate --xlsx``)."""
    from sim.report.tables_studies import calibration_xlsx

    return calibration_xlsx(res["fit"], res["replay"], lang, fc=res.get("forecast"), oos=res.get("oos"))


def replay(lang: str, rp: Any) -> None:
    st.subheader(t(lang, "cal.replay"))
    st.caption(t(lang, "cal.replay.caption", n=rp.replications))
    tabs = st.tabs([figure_name(lang, f) for f in rp.series])
    for tab, (f, s) in zip(tabs, rp.series.items(), strict=False):
        with tab:
            st.altair_chart(replay_chart(lang, f, s.rows()), width="stretch")
            st.markdown(score_text(lang, f, s.coverage, s.mape))


def forecast(lang: str, rp: Any, fc: Any) -> None:
    st.subheader(word(lang, "forecast.head", months=len(fc.series["pending_end"].months), reps=fc.replications))
    st.caption(t(lang, "cal.forecast.caption"))
    cols = st.columns(2)
    for col, f in zip(cols, ("pending_end", "closed"), strict=False):
        with col:
            st.altair_chart(replay_chart(lang, f, forecast_rows(rp.series[f].rows(), fc.series[f].rows())),
                            width="stretch")


def _pct(x: float) -> str:
    return "—" if x is None or not math.isfinite(x) else f"{x * 100:.1f}%"


def out_of_sample(lang: str, fit: Any, oos: Any) -> None:
    st.subheader(word(lang, "oos.head", fit=fit.estimates.months - oos.holdout, holdout=oos.holdout))
    for f, d in oos.naive.items():
        (st.success if not d["loses_to"] else st.warning)(verdict_text(lang, f, d))
    keys = ("model", "last_month", "same_month_last_year", "mean_12", "drift")
    names = {"model": t(lang, "cal.naive.model"), **{k: naive_name(lang, k) for k in keys[1:]}}
    rows = []
    for f, d in oos.naive.items():
        sc = d["scores"]
        rows.append({t(lang, "cal.naive.figure"): figure_name(lang, f),
                     **{names[k]: f"{_pct(sc[k]['mape'])} / "
                                  f"{'—' if not math.isfinite(sc[k]['mase']) else format(sc[k]['mase'], '.2f')}"
                        for k in keys}})
    st.caption(t(lang, "cal.naive.caption"))
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def show(lang: str, res: dict) -> None:
    """Every result of a fit, in reading order."""
    gate_box(lang, res)
    params(lang, res["fit"], res)
    replay(lang, res["replay"])
    if res.get("forecast") is not None:
        forecast(lang, res["replay"], res["forecast"])
    if res["oos"] is not None:
        out_of_sample(lang, res["fit"], res["oos"])
