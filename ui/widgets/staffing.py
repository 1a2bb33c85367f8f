"""Staffing changes over time on the what-if page: the dated-changes table and a move-staff form
(issue 5). The staffing-over-time chart they feed is drawn with the page's other charts
(:mod:`ui.widgets.charts`).

The changes live where the rest of the plan keeps team data: in each team row of the plan
(:func:`ui.widgets.plan.teams`) under ``"changes"`` (plain dicts, as in the scenario file), which
:func:`ui.widgets.plan.build` already copies into the edited scenario. The table is a flat view of
every team's changes; its edits (and the form's) are applied to the canonical rows in
callbacks, which run before the script, so the scenario built on the same run already has them.
"""
from __future__ import annotations

import copy
import datetime as dt
from typing import Any, Optional

import numpy as np
import pandas as pd
import streamlit as st

from sim.model.scenario import FieldError

from ..i18n import error_text, t, t_md
from . import controls as C
from . import plan as P

EDITOR = "staff_changes_editor"
OUTSIDE = -1                      # the move form's "outside the court" choice (secondment, new post)
MSG = "_staff_msg"                # (kind, text) shown once next to the table
ROLES = ("judges", "assistants", "clerks")
COLUMNS = ("team", "start", "end", "judges", "assistants", "clerks", "ramp_up_months", "ramp_start_pct", "note")


# --- the flat view of every team's changes ---------------------------------------------------

def change_rows(teams: list[dict]) -> list[tuple[int, int, dict]]:
    """(team index, change index, change) for every change, team by team: the table's rows."""
    return [(i, j, ch) for i, tm in enumerate(teams) for j, ch in enumerate(tm.get("changes") or [])]


def _date(v: Any) -> Optional[str]:
    """An editor / widget date value as an ISO date string (None when empty)."""
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT:
        return None
    if isinstance(v, (dt.datetime, pd.Timestamp)):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    s = str(v).strip()
    return s[:10] if s else None


def _cell_to_change(col: str, v: Any) -> tuple[str, Any]:
    """A table cell → (change field, value); the ramp start is shown as a percentage."""
    if col in ("start", "end"):
        return col, _date(v)
    if col == "ramp_start_pct":
        return "ramp_start_share", None if v is None else float(v) / 100.0
    if col == "note":
        return col, "" if v is None else str(v)
    if col in ROLES:
        return col, 0 if v is None else v
    if col == "ramp_up_months":
        return col, 0 if v is None else v
    return col, v


def new_change(start: str) -> dict:
    """A change that changes nothing yet, from ``start``."""
    return {"start": start, "end": None, "judges": 0, "assistants": 0, "clerks": 0,
            "ramp_up_months": 0, "ramp_start_share": 0.5, "note": ""}


def apply_delta(teams: list[dict], delta: dict, default_start: str) -> list[dict]:
    """The team rows after the table's edits (``edited_rows``, ``deleted_rows``, ``added_rows``).

    Rows are numbered as :func:`change_rows` lists them. Changing a row's team moves the change
    to the end of that team's list. Added rows without a team go to the first team.
    """
    teams = copy.deepcopy(teams)
    rows = change_rows(teams)
    names = [tm["name"] for tm in teams]
    # edits first, on the rows as they were; moves and deletions after, so indices stay valid
    moves: list[tuple[int, int, int]] = []
    for idx, edits in (delta.get("edited_rows") or {}).items():
        r = int(idx)
        if r >= len(rows):
            continue
        i, j, ch = rows[r]
        for col, v in edits.items():
            if col == "team":
                if v in names and names.index(v) != i:
                    moves.append((i, j, names.index(v)))
                continue
            f, val = _cell_to_change(col, v)
            ch[f] = val
    drop = {(rows[int(r)][0], rows[int(r)][1]) for r in delta.get("deleted_rows") or [] if int(r) < len(rows)}
    moved = {(i, j): to for i, j, to in moves if (i, j) not in drop}
    out_changes: list[list[dict]] = [[] for _ in teams]
    for i, j, ch in rows:
        if (i, j) in drop:
            continue
        out_changes[moved.get((i, j), i)].append(ch)
    for row in delta.get("added_rows") or []:
        if not teams:
            break
        team = row.get("team")
        i = names.index(team) if team in names else 0
        ch = new_change(default_start)
        for col, v in row.items():
            if col in COLUMNS and col != "team":
                f, val = _cell_to_change(col, v)
                if val is not None or f == "end":
                    ch[f] = val
        out_changes[i].append(ch)
    for i, tm in enumerate(teams):
        tm["changes"] = out_changes[i]
    return teams


def move_staff(teams: list[dict], from_team: int, to_team: int, start: str, end: Optional[str],
               judges: int, assistants: int, clerks: int, ramp_up_months: float = 0.0,
               note: str = "") -> list[dict]:
    """Team rows with a move of staff: a negative change on ``from_team`` and the same positive
    change on ``to_team``, both dated ``start``..``end``. :data:`OUTSIDE` on either side leaves
    that row out (staff joining from, or leaving to, outside the court). The ramp-up applies to
    the receiving side only: a judge leaving stops at once."""
    teams = copy.deepcopy(teams)
    base = {"start": start, "end": end, "note": note, "ramp_start_share": 0.5}
    if from_team != OUTSIDE:
        teams[from_team].setdefault("changes", []).append(
            {**base, "judges": -judges, "assistants": -assistants, "clerks": -clerks, "ramp_up_months": 0})
    if to_team != OUTSIDE:
        teams[to_team].setdefault("changes", []).append(
            {**base, "judges": judges, "assistants": assistants, "clerks": clerks, "ramp_up_months": ramp_up_months})
    return teams


def change_errors(errors: list[FieldError], teams: list[dict]) -> list[tuple[int, FieldError]]:
    """Validation errors of dated changes (paths ``teams.I.changes.J...``) with the table row
    (1-based) they belong to."""
    rownum = {(i, j): n + 1 for n, (i, j, _) in enumerate(change_rows(teams))}
    out = []
    for e in errors:
        p = e.path.split(".")
        if len(p) >= 4 and p[0] == "teams" and p[2] == "changes" and p[1].isdigit() and p[3].isdigit():
            out.append((rownum.get((int(p[1]), int(p[3])), 0), e))
    return out


# --- callbacks -------------------------------------------------------------------------------

def _default_start() -> str:
    return str(P.value(st.session_state, "start_date") or st.session_state[C.LOADED]["start_date"])[:10]


def _on_edit() -> None:
    delta = st.session_state.get(EDITOR) or {}
    P.set_teams(st.session_state, apply_delta(P.teams(st.session_state), delta, _default_start()))


def _on_move(lang: str) -> None:
    s = st.session_state
    teams = P.teams(s)
    a, b = s.get("staff_move_from", OUTSIDE), s.get("staff_move_to", OUTSIDE)
    nums = [int(s.get(f"staff_move_{r}") or 0) for r in ROLES]
    start, end = _date(s.get("staff_move_start")), _date(s.get("staff_move_end"))
    if a == b:
        s[MSG] = ("error", t(lang, "staff.move.same"))
    elif not any(nums):
        s[MSG] = ("error", t(lang, "staff.move.nothing"))
    elif start is None:
        s[MSG] = ("error", t(lang, "staff.move.no_start"))
    elif end is not None and end < start:
        s[MSG] = ("error", t(lang, "staff.move.end_before", start=start, end=end))
    elif max(a, b) >= len(teams):
        s[MSG] = ("error", t(lang, "staff.move.nothing"))
    else:
        P.set_teams(s, move_staff(teams, a, b, start, end, *nums, float(s.get("staff_move_ramp") or 0),
                                  str(s.get("staff_move_note") or "")))
        s[MSG] = ("success", t(lang, "staff.move.added", n=(a != OUTSIDE) + (b != OUTSIDE)))


# --- rendering -------------------------------------------------------------------------------

def _frame(teams: list[dict]) -> pd.DataFrame:
    rows = change_rows(teams)
    return pd.DataFrame({
        "team": pd.Series([teams[i]["name"] for i, _, _ in rows], dtype="object"),
        "start": pd.to_datetime(pd.Series([ch.get("start") for _, _, ch in rows], dtype="object"), errors="coerce"),
        "end": pd.to_datetime(pd.Series([ch.get("end") for _, _, ch in rows], dtype="object"), errors="coerce"),
        **{r: pd.array([ch.get(r, 0) for _, _, ch in rows], dtype="Int64") for r in ROLES},
        "ramp_up_months": pd.array([float(ch.get("ramp_up_months") or 0) for _, _, ch in rows], dtype="Float64"),
        "ramp_start_pct": pd.array([100.0 * float(ch.get("ramp_start_share", 0.5) or 0) for _, _, ch in rows],
                                   dtype="Float64"),
        "note": pd.Series([ch.get("note") or "" for _, _, ch in rows], dtype="object"),
    })


def render_editor(lang: str, errors: list[FieldError]) -> None:
    """The dated-changes table, its errors (row by row, saying what to change) and the move form."""
    teams = P.teams(st.session_state)
    errs = change_errors(errors, teams)
    n = len(change_rows(teams))
    with st.expander(t(lang, "staff.title", n=n), expanded=bool(errs) or MSG in st.session_state):
        st.caption(t(lang, "staff.intro"))
        names = [tm["name"] for tm in teams]
        cc = st.column_config
        delta_num = dict(min_value=-500, max_value=500, step=1, format="%d")
        st.data_editor(
            _frame(teams), key=EDITOR, num_rows="dynamic", hide_index=True, width="stretch", on_change=_on_edit,
            column_config={
                "team": cc.SelectboxColumn(t(lang, "staff.col.team"), options=names, required=True,
                                           help=t(lang, "staff.col.team.help")),
                "start": cc.DateColumn(t(lang, "staff.col.start"), required=True, format="YYYY-MM-DD",
                                       help=t(lang, "staff.col.start.help")),
                "end": cc.DateColumn(t(lang, "staff.col.end"), format="YYYY-MM-DD", help=t(lang, "staff.col.end.help")),
                "judges": cc.NumberColumn(t(lang, "staff.col.judges"), help=t(lang, "staff.col.judges.help"), **delta_num),
                "assistants": cc.NumberColumn(t(lang, "staff.col.assistants"), help=t(lang, "staff.col.assistants.help"),
                                              **delta_num),
                "clerks": cc.NumberColumn(t(lang, "staff.col.clerks"), help=t(lang, "staff.col.clerks.help"), **delta_num),
                "ramp_up_months": cc.NumberColumn(t(lang, "staff.col.ramp"), min_value=0.0, max_value=24.0, step=0.5,
                                                  format="%.1f", help=t(lang, "staff.col.ramp.help")),
                "ramp_start_pct": cc.NumberColumn(t(lang, "staff.col.ramp_start"), min_value=1.0, max_value=100.0,
                                                  step=5.0, format="%.0f%%", help=t(lang, "staff.col.ramp_start.help")),
                "note": cc.TextColumn(t(lang, "staff.col.note"), max_chars=200, help=t(lang, "staff.col.note.help")),
            },
        )
        for row, e in errs:
            i, j = _where(e.path)
            ch = (teams[i].get("changes") or [])[j] if i < len(teams) and j < len(teams[i].get("changes") or []) else {}
            st.error(t_md(lang, "staff.err.row", row=row, team=teams[i]["name"] if i < len(teams) else "?",
                          start=ch.get("start") or "—", field=_field(lang, e.path),
                          msg=error_text(lang, e)), icon=":material/warning:")
        msg = st.session_state.pop(MSG, None)
        if msg:
            getattr(st, msg[0])(msg[1])
        _move_form(lang, teams)


def _where(path: str) -> tuple[int, int]:
    p = path.split(".")
    return int(p[1]), int(p[3])


def _field(lang: str, path: str) -> str:
    p = path.split(".")
    f = p[4] if len(p) > 4 else ""
    key = {"judges": "staff.col.judges", "assistants": "staff.col.assistants", "clerks": "staff.col.clerks",
           "start": "staff.col.start", "end": "staff.col.end", "ramp_up_months": "staff.col.ramp",
           "ramp_start_share": "staff.col.ramp_start", "note": "staff.col.note"}.get(f)
    return t(lang, key) if key else t(lang, "staff.col.row")


def _move_form(lang: str, teams: list[dict]) -> None:
    opts = [OUTSIDE] + list(range(len(teams)))
    label = lambda i: t(lang, "staff.move.outside") if i == OUTSIDE else (teams[i]["name"] or "—")  # noqa: E731
    s = st.session_state
    for k in ("staff_move_from", "staff_move_to"):
        if s.get(k) not in opts:  # teams were deleted since: fall back to a choice that exists
            s.pop(k, None)
    with st.form("staff_move_form", clear_on_submit=False, border=True):
        st.markdown(f"**{t(lang, 'staff.move.title')}**")
        st.caption(t(lang, "staff.move.intro"))
        c1, c2 = st.columns(2)
        c1.selectbox(t(lang, "staff.move.from"), opts, index=min(1, len(opts) - 1), format_func=label,
                     key="staff_move_from", help=t(lang, "staff.move.from.help"))
        c2.selectbox(t(lang, "staff.move.to"), opts, index=min(2, len(opts) - 1) if len(opts) > 2 else 0,
                     format_func=label, key="staff_move_to", help=t(lang, "staff.move.to.help"))
        start = dt.date.fromisoformat(_default_start())
        c1.date_input(t(lang, "staff.move.start"), value=start, min_value=dt.date(2000, 1, 1),
                      max_value=dt.date(2100, 12, 31), key="staff_move_start", help=t(lang, "staff.move.start.help"))
        c2.date_input(t(lang, "staff.move.end"), value=None, min_value=dt.date(2000, 1, 1),
                      max_value=dt.date(2100, 12, 31), key="staff_move_end", help=t(lang, "staff.move.end.help"))
        c3, c4, c5, c6 = st.columns(4)
        for col, r in zip((c3, c4, c5), ROLES, strict=True):
            col.number_input(t(lang, f"staff.col.{r}"), min_value=0, max_value=500, step=1, value=0,
                             key=f"staff_move_{r}", help=t(lang, "staff.move.count.help"))
        c6.number_input(t(lang, "staff.col.ramp"), min_value=0.0, max_value=24.0, step=0.5, value=0.0, format="%.1f",
                        key="staff_move_ramp", help=t(lang, "staff.col.ramp.help"))
        st.text_input(t(lang, "staff.col.note"), max_chars=200, key="staff_move_note",
                      help=t(lang, "staff.col.note.help"))
        st.form_submit_button(t(lang, "staff.move.submit"), key="staff_move_submit", on_click=_on_move, args=(lang,),
                              help=t(lang, "staff.move.submit.help"))

