"""Moves in words: which team gained staff and which gave them ("民事审判一组 +1，速裁团队 −1").

With "保持人员总数不变 / Keep staff totals fixed" on (the default), one more judge for a team is
taken from another; a page that only shows the first team's slider moving leaves the user to
guess where the judge came from (the within-limit rate fell from 85.9 % to 66.8 % after one
such move, because the speedy team gave the judge). So the page says it in words: under the
slider (or the team table) that made the move, and above the cards, for the whole plan against
the loaded one.
"""
from __future__ import annotations

from typing import Optional

import streamlit as st

from sim.vocabulary.safe_text import md_escape

from ..i18n import t
from . import controls as C
from . import plan as P

LAST = "_last_move"   # {"where": ("slider", i) or ("table",), "before": rows, "after": rows}
MINUS = "\u2212"      # a minus sign, not a hyphen: "−1"


def changes(before: list[dict], after: list[dict]) -> dict[str, list[tuple[str, int]]]:
    """Per staff role, the teams whose staff differ, as (name, change): gains first, then
    losses, each in team order. Teams are matched by position while there are as many on both
    sides (a renamed team is the same team), else by name (a team on one side only counts
    whole: added or removed)."""
    if len(before) == len(after):
        pairs = list(zip(before, after, strict=True))
    else:
        old = {tm["name"]: tm for tm in before}
        new = {tm["name"]: tm for tm in after}
        pairs = [(old.get(tm["name"]), tm) for tm in after] + [(tm, None) for tm in before if tm["name"] not in new]
    out: dict[str, list[tuple[str, int]]] = {}
    for role in C.STAFF_ROLES:
        diffs = []
        for a, b in pairs:
            d = int((b or {}).get(role) or 0) - int((a or {}).get(role) or 0)
            if d:
                diffs.append((str((b or a or {}).get("name") or "—"), d))
        if diffs:
            out[role] = [x for x in diffs if x[1] > 0] + [x for x in diffs if x[1] < 0]
    return out


def words(lang: str, before: list[dict], after: list[dict]) -> Optional[str]:
    """"法官：民事审判一组 +1，速裁团队 −1；书记员：…" (None when no staff differ), for Markdown:
    the team names are the user's, shown as text."""
    parts = []
    for role, diffs in changes(before, after).items():
        items = t(lang, "move.sep").join(f"{md_escape(name)} {'+' if d > 0 else MINUS}{abs(d)}" for name, d in diffs)
        parts.append(t(lang, "move.role", role=t(lang, f"staff.role.{role}"), items=items))
    return t(lang, "move.role_sep").join(parts) if parts else None


def remember(where: tuple, before: list[dict], after: list[dict]) -> None:
    """Record a move made by a judge slider (``("slider", i)``) or the team table (``("table",)``)."""
    st.session_state[LAST] = {"where": where, "before": before, "after": after}


def last_note(lang: str, where: tuple) -> Optional[str]:
    """The words for the last move, if it was made ``where``, moved staff of other teams too
    (staff totals kept), and the teams are still as it left them; else None."""
    s = st.session_state
    last = s.get(LAST)
    if not last or last["where"] != where or last["after"] != P.teams(s):
        return None
    moved = changes(last["before"], last["after"])
    if sum(len(diffs) for diffs in moved.values()) < 2:  # only the team itself changed: nothing moved
        return None
    return t(lang, "move.last", moves=words(lang, last["before"], last["after"]))


def plan_note(lang: str, loaded_teams: list[dict], teams: list[dict]) -> Optional[str]:
    """Above the cards: the plan's staff against the loaded plan's, team by team (None when equal)."""
    w = words(lang, loaded_teams, teams)
    return None if w is None else t(lang, "move.plan", moves=w)
