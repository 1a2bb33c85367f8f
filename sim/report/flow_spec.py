"""The case flow as a picture of one month: dispute → pre-filing mediation → filing → triage
(繁简分流) → teams → closed, with conversions (简转普), as an Altair specification.

Each path is a line as thick as the number of cases that took it in the month (mean over
replications), labelled with that number; each team's node shows its pending caseload at the
month's end, and a bar chart under it splits that caseload by statutory-limit status (within
the limit, on an approved extension, overdue). Played month by month (the app's slider and
play button, presenter mode), the lines swell and thin and the teams' stock grows or shrinks.
The counts are the engine's own monthly output (:mod:`sim.model.flow`, carried by
:class:`sim.analysis.results.Results`); nothing is computed here but the layout.
"""
from __future__ import annotations

import math
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from ..vocabulary import catalogue
from ..vocabulary.figure_format import check_lang, figure_value

#: status colours: within the limit, extended, overdue (Okabe–Ito: blue, orange, vermilion)
STATUS_COLOURS = ("#0072B2", "#E69F00", "#D55E00")
NODE_COLOUR, EDGE_COLOUR, CONVERT_COLOUR = "#444444", "#56B4E9", "#CC79A7"

WORDS: dict[str, dict[str, str]] = catalogue.by_lang("report_flow")


#: where the stages sit, in the picture's own units (x: -1.0 to 9.4, y: -0.5 to 6.6). Laid out so
#: that no two labels meet at the picture's design width: each stage's name above its node, each
#: team's name and pending count on two lines to the left of its node, the counts of the paths
#: into "closed" just right of the teams
NODES = (("disputes", 0.0, 3.0), ("mediation", 1.0, 5.0), ("resolved", 2.2, 5.9), ("filing", 1.6, 3.0),
         ("triage", 2.8, 3.0), ("simple", 3.9, 4.6), ("complex", 3.9, 1.4), ("closed", 8.8, 3.0))
TEAM_X = 6.6
TEAM_ROW_PX = 40          # a team's two-line label and a gap
STROKE_PX = (1.0, 22.0)   # thinnest and thickest path
UNASSIGNED = (2.8, 0.7)
LABEL_BELOW = ("complex",)  # its label under the node: above it, the path from triage and its count
X_DOMAIN, Y_DOMAIN = (-1.0, 9.4), (-0.5, 6.6)


def _w(lang: str, key: str) -> str:
    return WORDS[check_lang(lang)][key]


def _count(lang: str, x: float) -> str:
    return figure_value(lang, "closed", float(x))


def _widest(flow: dict[str, np.ndarray]) -> float:
    """The month count drawn as the thickest line (every month's, so that thickness compares
    across months while the picture plays)."""
    return max(1.0, float(np.nanmax([flow[k].max() for k in ("disputes", "filed_simple", "closed_team")])))


def _stroke(n: float, top: float) -> float:
    """Pixels of a path's line for ``n`` cases (the picture's stroke-width scale)."""
    return STROKE_PX[0] + (STROKE_PX[1] - STROKE_PX[0]) * max(0.0, n) / top


def _text_px(text: str) -> float:
    """About how wide ``text`` is at the picture's 12 px bold: a Chinese character 12 px, others 7 px."""
    return sum(12.0 if ord(ch) > 0x2E80 else 7.0 for ch in text)


def picture_height(team_tracks: list[str], height: int = 340) -> int:
    """``height``, or more where a track has so many teams that their two-line labels would meet
    (each team gets at least :data:`TEAM_ROW_PX` of the track's 2.8 units)."""
    most = max(sum(1 for x in team_tracks if x == "simple"), sum(1 for x in team_tracks if x != "simple"), 1)
    return max(int(height), math.ceil(TEAM_ROW_PX * most * (Y_DOMAIN[1] - Y_DOMAIN[0]) / 2.8))


def flow_frames(flow: dict[str, np.ndarray], team_names: list[str], team_tracks: list[str], month: int,
                lang: str, width: int = 600, height: int = 340) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(nodes, edges, pending by status) of month index ``month`` for a ``width`` × ``height``
    picture (labels and counts are placed a few pixels from their node or path)."""
    n_t = len(team_names)
    ux = width / (X_DOMAIN[1] - X_DOMAIN[0])    # pixels per unit
    uy = height / (Y_DOMAIN[1] - Y_DOMAIN[0])
    simple = [i for i in range(n_t) if team_tracks[i] == "simple"]
    complex_ = [i for i in range(n_t) if team_tracks[i] != "simple"]

    def ys(idx: list[int], lo: float, hi: float) -> dict[int, float]:
        if not idx:
            return {}
        step = (hi - lo) / max(1, len(idx))
        return {i: hi - step * (k + 0.5) for k, i in enumerate(idx)}

    team_y = {**ys(simple, 3.2, 6.0), **ys(complex_, 0.0, 2.8)}
    pend = flow["pending_team"][:, month]
    closed = flow["closed_team"][:, month]
    rows = [{"id": k, "x": x, "y": y, "label": _w(lang, k), "size": 300.0,
             "align": "below" if k in LABEL_BELOW else "center", "lx": x} for k, x, y in NODES]
    for i in range(n_t):
        # two lines, to the left of the node (clear of its circle, whose area grows with the
        # pending cases): the paths to "closed" and their counts are on its right
        size = 120.0 + 1.2 * float(pend[i])
        rows.append({"id": f"team{i}", "x": TEAM_X, "y": team_y[i], "size": size,
                     "label": f"{team_names[i]}\n" + _w(lang, "pending").format(n=_count(lang, pend[i])),
                     "align": "right", "lx": TEAM_X - (math.sqrt(size / math.pi) + 6) / ux})
    if pend[n_t] >= 0.5:  # cases waiting for a team
        rows.append({"id": "unassigned", "x": UNASSIGNED[0], "y": UNASSIGNED[1], "size": 120.0 + 1.2 * float(pend[n_t]),
                     "label": _w(lang, "unassigned") + " " + _count(lang, pend[n_t]), "align": "center",
                     "lx": UNASSIGNED[0]})
    nodes_df = pd.DataFrame(rows)
    pos = {r["id"]: (r["x"], r["y"]) for r in rows}
    f = {k: float(flow[k][month]) for k in ("to_mediation", "resolved", "filed_simple", "filed_complex", "converted")}
    filed = f["filed_simple"] + f["filed_complex"]
    edges: list[dict[str, Any]] = [
        {"a": "disputes", "b": "mediation", "n": f["to_mediation"], "kind": "flow", "side": -1},
        {"a": "mediation", "b": "resolved", "n": f["resolved"], "kind": "flow"},
        {"a": "disputes", "b": "filing", "n": filed, "kind": "flow"},
        {"a": "filing", "b": "triage", "n": filed, "kind": "flow"},
        {"a": "triage", "b": "simple", "n": f["filed_simple"], "kind": "flow"},
        {"a": "triage", "b": "complex", "n": f["filed_complex"], "kind": "flow", "side": -1},
        {"a": "simple", "b": "complex", "n": f["converted"], "kind": "convert"},
    ]
    for i in range(n_t):
        edges.append({"a": "simple" if i in simple else "complex", "b": f"team{i}", "n": None, "kind": "link"})
        edges.append({"a": f"team{i}", "b": "closed", "n": float(closed[i]), "kind": "flow"})
    top = _widest(flow)
    out = []
    for e in edges:
        (x, y), (x2, y2) = pos[e["a"]], pos[e["b"]]
        n = e["n"]
        text = "" if n is None else _count(lang, n) + (f" {_w(lang, 'convert')}" if e["kind"] == "convert" else "")
        # a count sits beside its path, halfway along (a third of the way where the paths meet
        # at "closed"), clear of the line's width: on the path's right-hand side going along it
        # (under a level path, right of the upright conversion), or its left where that side
        # holds a node's label
        at = 0.3 if e["b"] == "closed" else 0.5
        dxp, dyp = (x2 - x) * ux, (y2 - y) * uy
        length = math.hypot(dxp, dyp) or 1.0
        side = e.get("side", 1)
        nx, ny = (1.0, 0.0) if e["kind"] == "convert" else (side * dyp / length, -side * dxp / length)
        gap = _stroke(0.0 if n is None else n, top) / 2 + 4
        shift = gap + abs(nx) * _text_px(text) / 2 + abs(ny) * 8
        out.append({"x": x, "y": y, "x2": x2, "y2": y2,
                    "mx": x + (x2 - x) * at + nx * shift / ux, "my": y + (y2 - y) * at + ny * shift / uy,
                    "n": 0.0 if n is None else n, "kind": e["kind"], "text": text,
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


def flow_charts(flow: dict[str, np.ndarray], team_names: list[str], team_tracks: list[str], month: int,
                month_label: str, lang: str, width: int = 600, height: int = 340) -> tuple[alt.LayerChart, alt.Chart]:
    """The picture of month index ``month`` (``month_label`` in its title), ``width`` × ``height``
    pixels, and the teams' pending cases by time-limit status: two charts, so that a page can
    draw the bars as wide as it is and shrink the picture to fit (ui/widgets/flow_view.py)."""
    height = picture_height(team_tracks, height)
    nodes, edges, status = flow_frames(flow, team_names, team_tracks, month, lang, width, height)
    top = _widest(flow)
    xs, ys = alt.Scale(domain=list(X_DOMAIN)), alt.Scale(domain=list(Y_DOMAIN))
    x, y = alt.X("x:Q", axis=None, scale=xs), alt.Y("y:Q", axis=None, scale=ys)
    lines = alt.Chart(edges).mark_rule(strokeCap="round", opacity=0.75).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q",
        strokeWidth=alt.StrokeWidth("n:Q", scale=alt.Scale(domain=[0, top], range=list(STROKE_PX)), legend=None),
        color=alt.Color("kind:N", scale=alt.Scale(domain=["flow", "convert", "link"],
                                                  range=[EDGE_COLOUR, CONVERT_COLOUR, "#bbbbbb"]), legend=None),
        tooltip=[alt.Tooltip("path:N", title=_w(lang, "path")), alt.Tooltip("text:N", title=_w(lang, "count"))])
    counts = alt.Chart(edges[edges["text"] != ""]).mark_text(fontSize=12, fontWeight="bold", color="#222").encode(
        x=alt.X("mx:Q", axis=None, scale=xs), y=alt.Y("my:Q", axis=None, scale=ys), text=alt.Text("text:N"))
    dots = alt.Chart(nodes).mark_circle(color=NODE_COLOUR, opacity=0.9).encode(
        x=x, y=y, size=alt.Size("size:Q", scale=None, legend=None), tooltip=[alt.Tooltip("label:N", title="")])
    above = alt.Chart(nodes[nodes["align"] == "center"]).mark_text(dy=-16, fontSize=12, color="#111").encode(
        x=x, y=y, text=alt.Text("label:N"))
    below = alt.Chart(nodes[nodes["align"] == "below"]).mark_text(dy=18, fontSize=12, color="#111").encode(
        x=x, y=y, text=alt.Text("label:N"))
    beside = alt.Chart(nodes[nodes["align"] == "right"]).mark_text(
        align="right", baseline="middle", fontSize=12, lineHeight=14, lineBreak="\n", color="#111").encode(
        x=alt.X("lx:Q", axis=None, scale=xs), y=y, text=alt.Text("label:N"))
    picture = alt.layer(lines, counts, dots, above, below, beside).properties(
        width=width, height=height, title=_w(lang, "title").format(month=month_label)).configure_view(stroke=None)
    bars = alt.Chart(status).mark_bar().encode(
        y=alt.Y("team:N", title=None, sort=team_names, axis=alt.Axis(labelLimit=0)),
        x=alt.X("n:Q", title=_w(lang, "cases"), stack="zero",
                scale=alt.Scale(domain=[0, max(1.0, float(flow["pending_team"][:-1].max()))])),
        color=alt.Color("status:N", title=_w(lang, "status"),
                        scale=alt.Scale(domain=[_w(lang, k) for k in ("within", "extended", "overdue")],
                                        range=list(STATUS_COLOURS)), legend=alt.Legend(orient="top")),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("team:N", title=_w(lang, "team")), alt.Tooltip("status:N", title=_w(lang, "status")),
                 alt.Tooltip("text:N", title=_w(lang, "cases"))],
    # the month as a subtitle: on a phone, one line with it was cut ("…at month en…")
    ).properties(height=34 * len(team_names) + 110,
                 title=alt.TitleParams(_w(lang, "status_title"), subtitle=month_label))
    return picture, bars
