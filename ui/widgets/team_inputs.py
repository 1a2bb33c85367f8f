"""The sidebar's team table and judge sliders: staff moved between teams, kept in step.

With "keep staff totals" on, a judge added to one team comes from another (the one chosen under
"take from", or all the others in proportion): the table's and the sliders' callbacks apply the
move to the plan (:mod:`ui.widgets.plan`) before the script draws them again, and a slider moved
back retraces its last move exactly, so the plan seen a moment ago (and its cached figures) comes
back. Split from :mod:`ui.widgets.inputs` (the rest of the sidebar), which draws this section.
"""
from __future__ import annotations

import copy
from typing import Optional

import pandas as pd
import streamlit as st

from sim.model.scenario import FieldError, ScenarioError, scenario_from_dict

from ..i18n import error_md, t, t_md, track_short
from . import controls as C
from . import moves as M
from . import plan as P

TEAMS_EDITOR = "teams_editor"
# the team table's name column: "民事审判一组" whole in Chinese; narrower in English, whose staff
# headers are wider, so that name and staff columns fit a 1024 px window's sidebar
NAME_PX = {"zh": 96, "en": 84}
ROW_MARKER_PX = 32  # the grid's row-selection column (rows can be deleted)
EDITOR_GEN = "_teams_editor_gen"  # bumped when an edit moves staff in other rows too


def teams_editor_key() -> str:
    """The team table's widget key (a new one after an edit that changed other rows)."""
    gen = int(st.session_state.get(EDITOR_GEN, 0))
    return TEAMS_EDITOR if gen == 0 else f"{TEAMS_EDITOR}_{gen}"



# --- the judge sliders' and the team table's moves --------------------------------------------

def _receiving_tracks() -> tuple[str, ...]:
    """Tracks of the loaded scenario that receive cases (each must keep a judge)."""
    from sim.analysis.advisor import tracks_receiving_cases

    try:
        return tuple(tracks_receiving_cases(scenario_from_dict(st.session_state[C.LOADED])))
    except ScenarioError:  # cannot happen for a loaded scenario; then every track keeps one
        return ("simple", "complex")


def _moved(teams: list[dict], i: int, role: str, new: int) -> tuple[list[dict], int]:
    """``teams`` with team ``i``'s ``role`` set to ``new``: in keep-totals mode the difference
    comes from (or goes to) the team chosen under "take from"; otherwise it is simply set."""
    s = st.session_state
    if not P.value(s, C.KEEP_TOTALS):
        out = copy.deepcopy(teams)
        out[i][role] = new
        return out, new
    return C.move_staff(teams, i, role, new, P.value(s, C.TAKE_FROM, C.PROPORTIONAL), _receiving_tracks())


def _widen_sliders(teams: list[dict]) -> None:
    """A team grown past its judge slider's range gets a wider one (the sliders are drawn from
    the teams: :func:`ui.widgets.plan.show`)."""
    for tm in teams:
        j = int(tm["judges"] or 0)
        if j > int(tm.get("slider_max") or 0):
            tm["slider_max"] = C.slider_max(j)


SLIDER_MOVES = "_slider_moves"  # the judge sliders' recent moves, to retrace one moved back
MAX_SLIDER_MOVES = 20


def _on_slider(i: int, key: str) -> None:
    """Team ``i``'s judge slider, drawn under ``key``, was moved."""
    s = st.session_state
    if not P.taken(s, C.judge_key(i), key):  # a drawing the plan has replaced
        return
    move_judges(i, int(s[key]))


def move_judges(i: int, new: int) -> None:
    """Set team ``i``'s quota judges to ``new`` by the judge slider's rules (staff totals kept
    or not, where moved judges come from, a move back retracing the last one)."""
    s = st.session_state
    teams = P.teams(s)
    if i >= len(teams) or new == int(teams[i]["judges"] or 0):
        return
    out = _retraced(teams, i, new)
    if out is None:
        out, _ = _moved(teams, i, "judges", new)
        _widen_sliders(out)
        moves = s.setdefault(SLIDER_MOVES, [])
        moves.append((i, int(teams[i]["judges"] or 0), copy.deepcopy(teams), copy.deepcopy(out)))
        del moves[:-MAX_SLIDER_MOVES]
    else:
        out = copy.deepcopy(out)
        _widen_sliders(out)
    M.remember(("slider", i), copy.deepcopy(teams), copy.deepcopy(out))
    P.set_teams(s, out)


def _retraced(teams: list[dict], i: int, new: int) -> Optional[list[dict]]:
    """The teams as they were before the last slider move, if this move exactly undoes it.

    Why: with staff totals kept, a judge added to one team comes from the team that has given
    least so far; moving the slider back returns the judge to whichever team has given most,
    which is not always the team it came from. The plan would then differ from the one seen a
    moment ago, and its figures would be computed again instead of coming from the cache.
    Retracing the recorded moves brings back exactly the plan the user saw.
    """
    moves = st.session_state.setdefault(SLIDER_MOVES, [])
    if moves and moves[-1][3] != teams:  # something else changed the teams since: start afresh
        moves.clear()
    out = _retrace_target(teams, i, new)
    if out is not None:
        moves.pop()
    return out


def _retrace_target(teams: list[dict], i: int, new: int) -> Optional[list[dict]]:
    """The teams before the last slider move if moving team ``i``'s slider to ``new`` undoes it."""
    moves = st.session_state.get(SLIDER_MOVES) or []
    if moves and moves[-1][3] == teams and moves[-1][0] == i and moves[-1][1] == new:
        return moves[-1][2]
    return None


def slider_outcome(i: int, new: int) -> list[dict]:
    """The teams that moving team ``i``'s judge slider to ``new`` would give (nothing changes):
    the same rules as the slider's own move (retraced, kept totals or simply set)."""
    teams = P.teams(st.session_state)
    out = _retrace_target(teams, i, new)
    return out if out is not None else _moved(teams, i, "judges", new)[0]


def last_slider_move() -> Optional[tuple[int, int]]:
    """(team, +1 or -1) of the last judge-slider move: which team, up or down (None if there
    was none, or the teams changed since)."""
    moves = st.session_state.get(SLIDER_MOVES) or []
    if moves and moves[-1][3] == P.teams(st.session_state):
        i, old, _before, after = moves[-1]
        return int(i), 1 if int(after[i]["judges"] or 0) >= int(old) else -1
    return None


def _on_teams_edit(lang: str) -> None:
    """Apply the table's edits (edited, deleted, added rows) to the canonical team list."""
    s = st.session_state
    delta = s.get(teams_editor_key()) or {}
    teams = copy.deepcopy(P.teams(s))
    label_to_track = {track_short(lang, tr): tr for tr in ("simple", "complex")}
    moved_others = False
    for idx, changes in (delta.get("edited_rows") or {}).items():
        i = int(idx)
        if i >= len(teams):
            continue
        for col, v in changes.items():
            if col == "track":
                v = label_to_track.get(v, v)
            if col in C.STAFF_ROLES and v is not None and int(v) != int(teams[i][col] or 0) \
                    and P.value(s, C.KEEP_TOTALS):
                before = copy.deepcopy(teams)
                teams, _ = _moved(teams, i, col, int(v))
                moved_others = moved_others or any(a != b for k, (a, b) in enumerate(zip(before, teams, strict=False)) if k != i) \
                    or teams[i][col] != v
            elif col in C.TEAM_FIELDS:
                teams[i][col] = v
            if col == "judges" and v is not None:
                teams[i]["slider_max"] = C.slider_max(int(teams[i]["judges"]))
    for i in sorted((int(x) for x in delta.get("deleted_rows") or []), reverse=True):
        if i < len(teams):
            teams.pop(i)
    names = {tm["name"] for tm in teams}
    for row in delta.get("added_rows") or []:
        n = 1
        while t(lang, "sb.teams.new", n=n) in names:
            n += 1
        new = {"name": t(lang, "sb.teams.new", n=n), "track": "complex", "judges": 1, "assistants": 1,
               "clerks": 1, "changes": []}
        for col, v in row.items():
            if col in C.TEAM_FIELDS and v is not None:
                new[col] = label_to_track.get(v, v) if col == "track" else v
        new["slider_max"] = C.slider_max(int(new["judges"] or 0))
        names.add(new["name"])
        teams.append(new)
    _widen_sliders(teams)
    if moved_others:
        M.remember(("table",), copy.deepcopy(P.teams(s)), copy.deepcopy(teams))
    P.set_teams(s, teams)
    if moved_others:
        # other rows changed too (or the move was cut short): redraw the table from the teams,
        # since the editor would otherwise keep showing the value typed
        s[EDITOR_GEN] = int(s.get(EDITOR_GEN, 0)) + 1


def errors_here(lang: str, errs: list[FieldError]) -> None:
    """Each error of ``errs`` right under the control it belongs to."""
    for e in errs:
        st.error(error_md(lang, e), icon=":material/warning:")


def teams_section(lang: str, placed: dict, editable: Optional[tuple[str, ...]] = None) -> None:
    """The team table, totals and one judge slider per team.

    ``editable``: None for the what-if page's own use (every column, rows added and deleted);
    for a training exercise, the staff roles groups may change (the teams themselves, their
    names and tracks, and every other role stay as the exercise set them).
    """
    teams = P.teams(st.session_state)
    locked = editable is not None
    df = pd.DataFrame({
        "name": [tm["name"] for tm in teams],
        "track": [track_short(lang, tm["track"]) if tm["track"] in ("simple", "complex") else tm["track"] for tm in teams],
        "judges": pd.array([tm["judges"] for tm in teams], dtype="Int64"),
        "assistants": pd.array([tm["assistants"] for tm in teams], dtype="Int64"),
        "clerks": pd.array([tm["clerks"] for tm in teams], dtype="Int64"),
    })
    if not locked or editable:  # an exercise that fixes every role has no staff to move
        _keep_totals_controls(lang, teams)
    cc = st.column_config
    if locked:  # rows cannot be added, deleted or renamed in an exercise
        st.caption(t(lang, "trw.table"))
    else:
        st.caption(t(lang, "sb.teams.table"), help=t(lang, "sb.teams.table.help"))
    # the grid is drawn on a canvas that cuts a header narrower than its text: every column is as
    # wide as its header needs; staff counts come right after the (pinned) name, so on a narrow
    # sidebar the track, set once per team, is the column that scrolls out of view
    heads = {"judges": (t(lang, "col.judges"), t(lang, "col.judges.help")),
             "assistants": (t(lang, "col.assistants"), t(lang, "col.assistants.help")),
             "clerks": (t(lang, "col.clerks"), t(lang, "col.clerks.help"))}
    st.data_editor(
        df, key=teams_editor_key(), num_rows="fixed" if locked else "dynamic", hide_index=True, width="stretch",
        on_change=_on_teams_edit, args=(lang,), column_order=("name",) + C.STAFF_ROLES + ("track",),
        disabled=["name", "track"] + [r for r in C.STAFF_ROLES if r not in editable] if locked else False,
        column_config={
            "name": cc.TextColumn(t(lang, "col.name"), help=t(lang, "col.name.help"), required=True,
                                  max_chars=60, width=NAME_PX[lang], pinned=True),
            "track": cc.SelectboxColumn(t(lang, "col.track"), help=t(lang, "col.track.help"), required=True,
                                        width=max(header_width(t(lang, "col.track")),
                                                  header_width(track_short(lang, "complex")) - 16),
                                        options=[track_short(lang, "simple"), track_short(lang, "complex")]),
            **{r: cc.NumberColumn(head, help=hlp, min_value=0, max_value=500, step=1, format="%d", required=True,
                                  width=header_width(head))
               for r, (head, hlp) in heads.items()},
        },
    )
    _move_note(lang, ("table",))
    errors_here(lang, placed.get("teams", []))
    tot = {f: sum(int(tm[f] or 0) for tm in teams) for f in ("judges", "assistants", "clerks")}
    ratio = (tot["assistants"] + tot["clerks"]) / tot["judges"] if tot["judges"] else float("nan")
    st.markdown(t(lang, "sb.teams.totals", judges=tot["judges"], assistants=tot["assistants"], clerks=tot["clerks"],
                  ratio=f"{ratio:.2f}" if ratio == ratio else "—",
                  simple_j=sum(int(tm["judges"] or 0) for tm in teams if tm["track"] == "simple"),
                  complex_j=sum(int(tm["judges"] or 0) for tm in teams if tm["track"] == "complex")))
    st.markdown(f"**{t(lang, 'sb.teams.sliders')}**")
    for i, tm in enumerate(teams):
        judges = int(tm["judges"] or 0)
        key = P.key_to_draw(st.session_state, C.judge_key(i), judges)
        st.slider(t_md(lang, "sb.teams.slider", team=tm["name"] or "—"), min_value=0,
                  max_value=int(tm.get("slider_max") or C.slider_max(judges)), step=1, value=judges,
                  key=key, on_change=_on_slider, args=(i, key), help=t(lang, "sb.teams.slider.help"),
                  disabled=locked and "judges" not in editable)
        _move_note(lang, ("slider", i))


def _move_note(lang: str, where: tuple) -> None:
    """Under the control that made the last move: which teams gave and which gained."""
    note = M.last_note(lang, where)
    if note:
        st.caption(note)


def header_width(label: str) -> int:
    """Pixels a data-editor column needs to show ``label`` whole.

    Measured on the grid's canvas at the app's font: the edit icon and padding take 34 px, a
    Chinese character 14 px, a Latin letter at most 7 px ("Judges" is 41 px; a 50 px column
    showed "书记" for "书记员").
    """
    return 34 + sum(14 if ord(ch) > 0x2E80 else 7 for ch in label)


def _keep_totals_controls(lang: str, teams: list[dict]) -> None:
    """The keep-totals toggle and, when it is on, where moved staff come from."""
    s = st.session_state
    options = [C.PROPORTIONAL] + [str(i) for i in range(len(teams))]
    if P.value(s, C.TAKE_FROM) not in options:  # the team it named was deleted
        P.set_value(s, C.TAKE_FROM, C.PROPORTIONAL)
    keep_totals = bool(P.value(s, C.KEEP_TOTALS))
    drawn = P.key_to_draw(s, C.KEEP_TOTALS, keep_totals)
    st.toggle(t(lang, "sb.keep_totals"), key=drawn, value=keep_totals, help=t(lang, "sb.keep_totals.help"),
              on_change=P.keep, args=(C.KEEP_TOTALS, drawn))
    if keep_totals:
        source = P.value(s, C.TAKE_FROM)
        drawn = P.key_to_draw(s, C.TAKE_FROM, source)
        st.selectbox(t(lang, "sb.take_from"), options=options, key=drawn, index=options.index(source),
                     help=t(lang, "sb.take_from.help"), on_change=P.keep, args=(C.TAKE_FROM, drawn),
                     format_func=lambda v: t(lang, "sb.take_from.proportional") if v == C.PROPORTIONAL
                     else t(lang, "sb.take_from.team", team=teams[int(v)]["name"] or "—"))


def establishment_notice(lang: str, loaded_teams: list[dict], teams: list[dict]) -> Optional[str]:
    """'比原方案多 2 个员额法官编制 …' when the plan's staff totals differ from those of the loaded
    scenario's teams (its establishment); None when they are the same."""
    now, est = C.staff_totals(teams), C.staff_totals(loaded_teams)
    parts = []
    for role in C.STAFF_ROLES:
        d = now[role] - est[role]
        if d:
            parts.append(t(lang, f"app.establishment.{role}.{'more' if d > 0 else 'fewer'}", n=abs(d)))
    if not parts:
        return None
    return t(lang, "app.establishment", items=t(lang, "app.establishment.sep").join(parts))
