"""The calibration page's staffing check: the timeline the fit will use, to check and correct first.

Read from the records (each judge counted once, a judge whose new cases stopped taken as gone)
or from the staffing table, it is shown month by month and team by team with who joined and
who left. The judges, assistants and clerks cells can be corrected; a corrected timeline is
used as a staffing table (it wins over the records), and the page says so.
"""
from __future__ import annotations

from typing import Any, Optional

import pandas as pd
import streamlit as st

from sim.calibration.quality import QualityReport
from sim.calibration.totals import StaffingImport, StaffRow
from sim.model.errors import CodedError
from sim.vocabulary.calibration_text import staffing_notes
from sim.vocabulary.safe_text import md_escape

from ..i18n import t

EDITOR = "cal_staff_editor"
ROLES = ("judges", "assistants", "clerks")


def estimates(data: dict) -> Any:
    """The direct estimates of the loaded files (no simulation), computed once per load."""
    if "_est" not in data:
        from sim.calibration.aggregate import estimate_totals
        from sim.calibration.direct import estimate

        cases = data.get("cases")
        data["_est"] = estimate(cases, data.get("monthly"), data.get("staffing")) if cases is not None else \
            estimate_totals(data.get("monthly"), data.get("staffing"))
    return data["_est"]


def _frame(lang: str, est: Any) -> pd.DataFrame:
    rows = est.staffing.monthly(est.start, est.months)
    return pd.DataFrame([{"month": r["month"], "team": r["team"], "judges": r["judges"],
                          "assistants": r["assistants"], "clerks": r["clerks"],
                          "changes": " ".join([f"+{j}" for j in r["joined"]] + [f"−{j}" for j in r["left"]])}
                         for r in rows])


def staffing_step(lang: str, data: dict) -> tuple[bool, Optional[StaffingImport]]:
    """Show the timeline with its notes; (usable, the user's corrections as a staffing table or None)."""
    st.subheader(t(lang, "cal.staff"))
    try:
        est = estimates(data)
    except CodedError as exc:
        st.error(md_escape(exc.text(lang)))   # the message can quote the files' own text
        return False, None
    for note in staffing_notes(lang, est.staffing):
        st.caption(note)
    df = _frame(lang, est)
    labels = {"month": t(lang, "cal.staff.col.month"), "team": t(lang, "cal.staff.col.team"),
              "judges": t(lang, "cal.staff.col.judges"), "assistants": t(lang, "cal.staff.col.assistants"),
              "clerks": t(lang, "cal.staff.col.clerks"), "changes": t(lang, "cal.staff.col.changes")}
    config = {c: st.column_config.NumberColumn(labels[c], min_value=0, max_value=500, step=1) for c in ROLES}
    config.update({c: st.column_config.TextColumn(labels[c]) for c in ("month", "team", "changes")})
    edited = st.data_editor(df, key=EDITOR, hide_index=True, width="stretch", column_config=config,
                            disabled=["month", "team", "changes"], num_rows="fixed", height=320)
    st.caption(t(lang, "cal.staff.caption"))
    if edited[list(ROLES)].fillna(0).astype(int).equals(df[list(ROLES)].astype(int)):
        return True, None
    st.info(t(lang, "cal.staff.edited"))
    rows = [StaffRow(month=r["month"], team=r["team"], judges=int(r["judges"] or 0),
                     assistants=int(r["assistants"] or 0), clerks=int(r["clerks"] or 0)) for r in edited.to_dict("records")]
    return True, StaffingImport(rows=rows, report=QualityReport("staffing"))
