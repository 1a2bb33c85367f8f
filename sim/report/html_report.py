"""A comparison as a one-page, self-contained HTML report to hand out at a meeting.

The page is laid out from a Jinja2 template (``sim/report/templates/comparison_report.html.j2``, every
value escaped by the template) and its two charts are the app's own Altair specifications
(:mod:`sim.report.charts_spec`) exported to SVG by Altair's static export (vl-convert), so the handout
looks like the screen. Everything is inline: no scripts, no web fonts, no links, so the file
opens offline; ``@page`` sets A4 landscape and the layout is sized so that the table, both
charts and the parameter differences print on one sheet for two to six plans.

Words only: figure names and formats come from :mod:`sim.vocabulary.figure_format`, verdicts are words
(not a mark alone), and parameters that differ are named in words, never by a dotted key.
Text is Chinese by default (``lang="en"`` for English); the page's own labels are in
:data:`LABELS`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence

import altair as alt
import jinja2
from markupsafe import Markup

from ..analysis.compare import Comparison
from ..vocabulary import catalogue
from ..vocabulary.figure_format import (
    change_interval,
    check_lang,
    figure_change,
    figure_interval,
    figure_name,
    figure_value,
    target_text,
    verdict_word,
)
from ..vocabulary.figure_registry import HEADLINE
from ..vocabulary.messages import WORDS
from . import charts_spec

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "comparison_report.html.j2"
# CSS line styles that stand in for each plan's dash pattern next to its name
TEAM_FIELDS = ("name", "track", "judges", "assistants", "clerks", "changes")
LINE_STYLES = ("solid", "dashed", "dotted", "double", "dashed", "dotted")
# the charts' size in the report (CSS pixels at 96 dpi): two charts and the differences share the
# width of an A4 landscape page under the table, and their legend (two columns of plan names)
# fits their width. Up to three plans the table is short and the charts are drawn taller.
CHART_WIDTH, CHART_HEIGHT, CHART_HEIGHT_FEW = 330, 115, 175
LEGEND_LABEL_LIMIT = 150
# the font the page is set in; the charts are exported with it so their text matches the table
FONT = "Noto Sans CJK SC"

LABELS: dict[str, dict[str, str]] = catalogue.by_lang("report_html")


#: the report's rows: the registry's headline figures (each track's beside the overall ones); the
#: comparison page lists more (a page holds twelve rows for six plans)
REPORT_FIGURES = HEADLINE


@dataclass(frozen=True)
class Difference:
    """One parameter that differs, in words: its label and its value in each plan (plan order)."""

    label: str
    values: tuple[str, ...]


def _labels(lang: str) -> dict[str, str]:
    if lang not in LABELS:
        raise ValueError(f"lang must be one of {sorted(LABELS)}, got {lang!r}")
    return LABELS[lang]


# --- what differs, in the engine's words ----------------------------------------------------

def team_differences(cmp: Comparison, lang: str) -> list[Difference]:
    """The staffing differences team by team, in words (teams in order, then their fields).

    A team is named as in the reference plan (else by its number); a plan without that team
    shows "(none)"; dated staffing changes are summarised by their number.
    """
    L = _labels(lang)
    teams = [r.scenario.teams for r in cmp.results]
    ref = teams[cmp.reference]
    out = []
    for i in range(max(len(ts) for ts in teams)):
        here = [ts[i] if i < len(ts) else None for ts in teams]
        name = ref[i].name if i < len(ref) else next(tm.name for tm in here if tm is not None)
        for field in TEAM_FIELDS:
            vals = [None if tm is None else getattr(tm, field) for tm in here]
            if any(v != vals[0] for v in vals[1:]):
                out.append(Difference(L["team_field"].format(team=name, field=L[f"field.{field}"]),
                                      tuple(_team_value(lang, field, v) for v in vals)))
    return out


def other_differences(cmp: Comparison) -> list[dict[str, Any]]:
    """The differences outside the teams (dotted path and value per plan, as in ``cmp.differences()``)."""
    return [d for d in cmp.differences() if d["field"].split(".")[0] != "teams"]


def _team_value(lang: str, field: str, v: Any) -> str:
    L = _labels(lang)
    if v is None:
        return L["absent"]
    if field == "track":
        return WORDS[lang]["track"].get(v, str(v))
    if field == "changes":
        return L["changes"].format(n=len(v))
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


# --- charts ---------------------------------------------------------------------------------

_XMLNS = re.compile(r'\s+xmlns(:\w+)?="[^"]*"')
_SIZE = re.compile(r'^(<svg\b[^>]*?)\s+width="[\d.]+"\s+height="[\d.]+"')


def chart_svg(chart: alt.TopLevelMixin) -> str:
    """An Altair chart as inline SVG (Altair's static export), scaled by its container.

    The namespace declarations are dropped (inline SVG in HTML needs none, and the page then
    names no address at all) and the fixed size gives way to the viewBox, so CSS sizes it.
    """
    import vl_convert as vlc

    # the data are inline: nothing may be fetched while drawing
    svg = vlc.vegalite_to_svg(chart.to_dict(), vl_version=_vl_version(), allowed_base_urls=[])
    svg = _XMLNS.sub("", svg, count=2)
    return _SIZE.sub(r"\1", svg, count=1)


@lru_cache(maxsize=1)
def _vl_version() -> str:
    # the Vega-Lite version Altair writes its specifications for, as vl-convert names it
    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return f"{major}.{minor}"


def report_chart_specs(cmp: Comparison, lang: str) -> list[alt.TopLevelMixin]:
    """The comparison page's charts (the same specifications), sized and set for the page."""
    out = []
    for _name, build in charts_spec.COMPARISON_CHARTS:
        height = CHART_HEIGHT_FEW if len(cmp.names) <= 3 else CHART_HEIGHT
        chart = build(lang, cmp, height=height, label_limit=LEGEND_LABEL_LIMIT).properties(width=CHART_WIDTH)
        out.append(chart.configure(font=FONT).configure_title(fontSize=12).configure_axis(
            labelFontSize=9, titleFontSize=10).configure_legend(labelFontSize=9, titleFontSize=9, rowPadding=2))
    return out


def report_charts(cmp: Comparison, lang: str) -> list[dict[str, Any]]:
    """The report's charts as inline SVG, with their names (``pending``, ``within``)."""
    return [{"name": name, "svg": Markup(chart_svg(chart))}
            for (name, _), chart in zip(charts_spec.COMPARISON_CHARTS, report_chart_specs(cmp, lang), strict=True)]


# --- the report -----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


_CSS = """
@page { size: A4 landscape; margin: 8mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
       "Helvetica Neue", Arial, sans-serif; font-size: 9.5px; line-height: 1.25; color: #111;
       margin: 0 auto; max-width: 1122px; padding: 6px; }
h1 { font-size: 15px; margin: 0 0 1px; }
h2 { font-size: 11px; margin: 0 0 3px; }
p { margin: 0 0 2px; }
.meta { color: #333; }
.crn { color: #444; font-size: 8.5px; margin-bottom: 4px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #bbb; padding: 1px 3px; vertical-align: top; }
th { background: #eee; text-align: left; font-weight: 600; }
table.figures { table-layout: fixed; }
table.figures th.fig { width: 118px; }
table.figures th.tgt { width: 60px; }
table.figures td { font-size: 8.5px; }
td.tgt { white-space: nowrap; }
td.v { text-align: right; }
.ci, .d, .note { color: #444; font-size: 8px; }
.d, .note { display: block; }
.note { font-weight: normal; white-space: pre-line; text-align: left; }
.verdict { font-size: 8.5px; font-weight: 600; white-space: nowrap; }
.verdict.met { color: #0a5d1a; }
.verdict.missed { color: #9b1111; }
.verdict.undecided { color: #8a4b00; }
.ref { font-weight: normal; color: #555; }
.no { font-weight: 700; }
.sw { display: inline-block; width: 20px; height: 0; border-top-width: 3px; vertical-align: middle; margin-right: 3px; }
section.bottom { display: flex; gap: 8px; margin-top: 5px; break-inside: avoid; page-break-inside: avoid; }
figure.chart { flex: 0 0 35%; margin: 0; min-width: 0; }
figure.chart svg { width: 100%; height: auto; display: block; }
section.diffs { flex: 1 1 0; min-width: 0; }
table.diffs { font-size: 8.5px; }
table.diffs th, table.diffs td { padding: 0 3px; }
table.diffs td { text-align: right; white-space: nowrap; }
.others { color: #444; font-size: 8.5px; margin-top: 2px; }
body.dense table.diffs { font-size: 7.5px; }
@media print { body { max-width: none; padding: 0; } }
"""


def comparison_html(cmp: Comparison, lang: str = "zh", title: Optional[str] = None,
                    notes: Optional[Mapping[str, str]] = None, generated_at: Optional[dt.datetime] = None,
                    figures: Sequence[str] = REPORT_FIGURES,
                    differences: Optional[Sequence[Difference]] = None) -> str:
    """The comparison as one self-contained HTML page (UTF-8 text).

    ``notes`` maps scenario names (as in ``cmp.names``) to a note shown under the name, e.g. the
    note it was saved with. ``figures`` are the table's rows (default: the headline figures).
    The parameters that differ are listed in words: the staffing team by team
    (:func:`team_differences`), then ``differences``, the other parameters named by the caller
    (the app passes its list, named with its sidebar labels); without it they are counted.
    """
    check_lang(lang)
    L = _labels(lang)
    notes = dict(notes or {})
    when = (generated_at or dt.datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M")
    months = sorted(set().union(*[r.month_labels for r in cmp.results]))
    horizon = (f"{charts_spec.month_label(lang, months[0])} – {charts_spec.month_label(lang, months[-1])}"
               if months else "–")
    by = {(r["figure"], r["scenario"]): r for r in cmp.rows(tuple(figures))}

    plans = [{"name": name, "note": notes.get(name, ""), "is_reference": k == cmp.reference,
              "colour": charts_spec.COLOURS[k % len(charts_spec.COLOURS)], "line": LINE_STYLES[k % len(LINE_STYLES)]}
             for k, name in enumerate(cmp.names)]
    rows = []
    for fig in figures:
        targets = sorted({r["target"] for n in cmp.names if (r := by.get((fig, n))) and r["target"] is not None})
        cells = []
        for k, name in enumerate(cmp.names):
            r = by[(fig, name)]
            interval = (figure_interval(lang, fig, r["ci_low"], r["ci_high"])
                        if r["ci_low"] is not None and r["ci_high"] is not None else "")
            verdict = r["verdict"]  # met / missed / undecided (sim.analysis.results.target_verdict)
            cells.append({
                "value": figure_value(lang, fig, r["mean"]), "interval": interval,
                "verdict": verdict_word(lang, verdict) if verdict else "", "verdict_class": verdict or "",
                "change": "" if k == cmp.reference else figure_change(lang, fig, r["diff_mean"]),
                "change_interval": change_interval(lang, fig, r["diff_ci_low"], r["diff_ci_high"]),
            })
        rows.append({"name": figure_name(lang, fig), "target": " / ".join(target_text(lang, fig, t) for t in targets),
                     "cells": cells})

    others = 0
    if differences is None:
        differences, others = [], len(other_differences(cmp))
    differences = team_differences(cmp, lang) + list(differences)
    return _environment().get_template(TEMPLATE).render(
        html_lang="zh-CN" if lang == "zh" else "en", title=title or L["title"], css=Markup(_CSS), L=L,
        generated=when, seed=cmp.seed, replications=cmp.replications, horizon=horizon,
        reference=cmp.names[cmp.reference], plans=plans, rows=rows, charts=report_charts(cmp, lang),
        differences=differences, others=L["others"].format(n=others) if others else "",
        dense=len(differences) > 14)


def comparison_html_bytes(cmp: Comparison, lang: str = "zh", **kwargs: Any) -> bytes:
    """:func:`comparison_html` encoded as UTF-8, ready for a download button."""
    return comparison_html(cmp, lang=lang, **kwargs).encode("utf-8")
