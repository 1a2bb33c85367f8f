"""The case flow as a picture of one month: dispute → pre-filing mediation → filing → triage
(繁简分流) → teams → closed, with conversions (简转普), as an Altair specification.

Each path is a line as thick as the number of cases that took it in the month (mean over
replications), labelled with that number; each team's node shows its pending caseload at the
month's end, and a bar chart beside it splits that caseload by statutory-limit status (within
the limit, on an approved extension, overdue). Played month by month (the app's slider and
play button, presenter mode), the lines swell and thin and the teams' stock grows or shrinks.
The counts are the engine's own monthly output (:mod:`sim.model.flow`, carried by
:class:`sim.analysis.results.Results`); nothing is computed here but the layout.
"""
from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from ..vocabulary.figure_format import check_lang, figure_value

#: status colours: within the limit, extended, overdue (Okabe–Ito: blue, orange, vermilion)
STATUS_COLOURS = ("#0072B2", "#E69F00", "#D55E00")
NODE_COLOUR, EDGE_COLOUR, CONVERT_COLOUR = "#444444", "#56B4E9", "#CC79A7"

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "disputes": "诉至法院的纠纷", "mediation": "诉前调解", "resolved": "调解成功（不立案）", "filing": "立案",
        "triage": "繁简分流", "simple": "简案方向", "complex": "繁案方向", "closed": "结案",
        "convert": "简转普", "unassigned": "待分案", "pending": "未结 {n}", "status": "审限状态",
        "within": "审限内", "extended": "已延长审限", "overdue": "超审限", "team": "团队", "cases": "件数",
        "title": "案件流转（{month}）", "path": "路径", "count": "件数",
    },
    "en": {
        "disputes": "Disputes brought", "mediation": "Pre-filing mediation", "resolved": "Resolved (never filed)",
        "filing": "Filing", "triage": "Triage", "simple": "Simple track", "complex": "Complex track",
        "closed": "Closed", "convert": "converted", "unassigned": "awaiting assignment", "pending": "pending {n}",
        "status": "Time-limit status", "within": "within limit", "extended": "on extension", "overdue": "overdue",
        "team": "Team", "cases": "Cases", "title": "Case flow ({month})", "path": "Path", "count": "Cases",
    },
}


def _w(lang: str, key: str) -> str:
    return WORDS[check_lang(lang)][key]


def _count(lang: str, x: float) -> str:
    return figure_value(lang, "closed", float(x))


def flow_frames(flow: dict[str, np.ndarray], team_names: list[str], team_tracks: list[str], month: int,
                lang: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(nodes, edges, pending by status) of month index ``month`` for the chart."""
    n_t = len(team_names)
    simple = [i for i in range(n_t) if team_tracks[i] == "simple"]
    complex_ = [i for i in range(n_t) if team_tracks[i] != "simple"]

    def ys(idx: list[int], lo: float, hi: float) -> dict[int, float]:
        if not idx:
            return {}
        step = (hi - lo) / max(1, len(idx))
        return {i: hi - step * (k + 0.5) for k, i in enumerate(idx)}

    team_y = {**ys(simple, 3.2, 6.0), **ys(complex_, 0.0, 2.8)}
    pend = flow["pending_team"][:, month]
    nodes = [("disputes", 0.0, 3.0), ("mediation", 1.2, 5.0), ("resolved", 2.4, 5.8), ("filing", 2.4, 3.0),
             ("triage", 3.6, 3.0), ("simple", 4.8, 4.6), ("complex", 4.8, 1.4), ("closed", 8.4, 3.0)]
    rows = [{"id": k, "x": x, "y": y, "label": _w(lang, k), "size": 300.0} for k, x, y in nodes]
    for i in range(n_t):
        rows.append({"id": f"team{i}", "x": 6.6, "y": team_y[i], "size": 120.0 + 1.2 * float(pend[i]),
                     "label": f"{team_names[i]} · " + _w(lang, "pending").format(n=_count(lang, pend[i]))})
    if pend[n_t] >= 0.5:  # cases waiting for a team
        rows.append({"id": "unassigned", "x": 4.8, "y": 3.0, "size": 120.0 + 1.2 * float(pend[n_t]),
                     "label": _w(lang, "unassigned") + " " + _count(lang, pend[n_t])})
    nodes_df = pd.DataFrame(rows)
    pos = {r["id"]: (r["x"], r["y"]) for r in rows}
    f = {k: float(flow[k][month]) for k in ("to_mediation", "resolved", "filed_simple", "filed_complex", "converted")}
    filed = f["filed_simple"] + f["filed_complex"]
    edges: list[dict[str, Any]] = [
        {"a": "disputes", "b": "mediation", "n": f["to_mediation"], "kind": "flow"},
        {"a": "mediation", "b": "resolved", "n": f["resolved"], "kind": "flow"},
        {"a": "disputes", "b": "filing", "n": filed, "kind": "flow"},
        {"a": "filing", "b": "triage", "n": filed, "kind": "flow"},
        {"a": "triage", "b": "simple", "n": f["filed_simple"], "kind": "flow"},
        {"a": "triage", "b": "complex", "n": f["filed_complex"], "kind": "flow"},
        {"a": "simple", "b": "complex", "n": f["converted"], "kind": "convert"},
    ]
    closed = flow["closed_team"][:, month]
    for i in range(n_t):
        edges.append({"a": "simple" if i in simple else "complex", "b": f"team{i}", "n": None, "kind": "link"})
        edges.append({"a": f"team{i}", "b": "closed", "n": float(closed[i]), "kind": "flow"})
    out = []
    for e in edges:
        (x, y), (x2, y2) = pos[e["a"]], pos[e["b"]]
        n = e["n"]
        out.append({"x": x, "y": y, "x2": x2, "y2": y2, "mx": (x + x2) / 2, "my": (y + y2) / 2 + 0.18,
                    "n": 0.0 if n is None else n, "kind": e["kind"],
                    "text": "" if n is None else (_count(lang, n) + (f" {_w(lang, 'convert')}" if e["kind"] == "convert"
                                                                      else "")),
                    "path": f"{_w(lang, e['a']) if e['a'] in WORDS['en'] else e['a']} → "
                            f"{_w(lang, e['b']) if e['b'] in WORDS['en'] else e['b']}"})
    edges_df = pd.DataFrame(out)
    status = []
    for i in range(n_t):
        over, ext = float(flow["overdue_team"][i, month]), float(flow["extended_team"][i, month])
        for key, v in (("within", float(pend[i]) - over - ext), ("extended", ext), ("overdue", over)):
            status.append({"team": team_names[i], "status": _w(lang, key), "order": ("within", "extended",
                                                                                      "overdue").index(key),
                           "n": max(0.0, v), "text": _count(lang, max(0.0, v))})
    return nodes_df, edges_df, pd.DataFrame(status)


def flow_chart(flow: dict[str, np.ndarray], team_names: list[str], team_tracks: list[str], month: int,
               month_label: str, lang: str, width: int = 620, height: int = 340) -> alt.TopLevelMixin:
    """The picture of month index ``month`` (``month_label`` in its title)."""
    nodes, edges, status = flow_frames(flow, team_names, team_tracks, month, lang)
    top = max(1.0, float(np.nanmax([flow[k].max() for k in ("disputes", "filed_simple", "closed_team")])))
    xs, ys = alt.Scale(domain=[-0.6, 10.8]), alt.Scale(domain=[-0.5, 6.6])
    x, y = alt.X("x:Q", axis=None, scale=xs), alt.Y("y:Q", axis=None, scale=ys)
    lines = alt.Chart(edges).mark_rule(strokeCap="round", opacity=0.75).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q",
        strokeWidth=alt.StrokeWidth("n:Q", scale=alt.Scale(domain=[0, top], range=[1, 22]), legend=None),
        color=alt.Color("kind:N", scale=alt.Scale(domain=["flow", "convert", "link"],
                                                  range=[EDGE_COLOUR, CONVERT_COLOUR, "#bbbbbb"]), legend=None),
        tooltip=[alt.Tooltip("path:N", title=_w(lang, "path")), alt.Tooltip("text:N", title=_w(lang, "count"))])
    counts = alt.Chart(edges[edges["text"] != ""]).mark_text(fontSize=12, fontWeight="bold", color="#222").encode(
        x=alt.X("mx:Q", axis=None, scale=xs), y=alt.Y("my:Q", axis=None, scale=ys), text=alt.Text("text:N"))
    dots = alt.Chart(nodes).mark_circle(color=NODE_COLOUR, opacity=0.9).encode(
        x=x, y=y, size=alt.Size("size:Q", scale=None, legend=None), tooltip=[alt.Tooltip("label:N", title="")])
    names = alt.Chart(nodes).mark_text(dy=-16, fontSize=12, color="#111").encode(x=x, y=y, text=alt.Text("label:N"))
    picture = alt.layer(lines, counts, dots, names).properties(width=width, height=height)
    bars = alt.Chart(status).mark_bar().encode(
        y=alt.Y("team:N", title=None, sort=team_names),
        x=alt.X("n:Q", title=_w(lang, "cases"), stack="zero",
                scale=alt.Scale(domain=[0, max(1.0, float(flow["pending_team"][:-1].max()))])),
        color=alt.Color("status:N", title=_w(lang, "status"),
                        scale=alt.Scale(domain=[_w(lang, k) for k in ("within", "extended", "overdue")],
                                        range=list(STATUS_COLOURS)), legend=alt.Legend(orient="bottom")),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("team:N", title=_w(lang, "team")), alt.Tooltip("status:N", title=_w(lang, "status")),
                 alt.Tooltip("text:N", title=_w(lang, "cases"))],
    ).properties(width=max(160, width // 3), height=height - 60)
    return alt.hconcat(picture, bars, title=_w(lang, "title").format(month=month_label)).resolve_scale(color="independent", strokeWidth="independent", size="independent").configure_view(stroke=None)
