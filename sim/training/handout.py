"""A session's results in words: each plan described, the ranking as CSV and as a one-page HTML
handout (laid out like the comparison report: a Jinja2 template in ``sim/report/templates``,
every value escaped, no scripts or links, so it opens offline and prints on one A4 sheet).

Figures are written by :mod:`sim.vocabulary.figure_format`, so they read as on every other
surface; the page's own words are in :data:`LABELS`.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import jinja2
import numpy as np

from ..analysis.results import mean_ci
from ..model.scenario import Scenario
from ..report.html_report import TEMPLATES
from ..report.tables import Cell, Num, Table, figure_column, figure_num, verdict_cell
from ..report.writers import csv_text, xlsx_bytes
from ..vocabulary import catalogue
from ..vocabulary.export_text import word
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
from ..vocabulary.messages import WORDS
from .exercise import ROLES, Exercise
from .plan import Plan, starting_plan
from .scoring import Standings, paired

TEMPLATE = "training_handout.html.j2"

LABELS: dict[str, dict[str, str]] = catalogue.by_lang("training_handout")


def describe_plan(ex: Exercise, start: Scenario, plan: Plan, lang: str) -> str:
    """What a plan changes from the starting plan, in words ('民事一庭 法官 4→6；…')."""
    L, words = LABELS[check_lang(lang)], WORDS[check_lang(lang)]["role"]
    first = starting_plan(ex, start)
    parts = []
    for team, s in plan.teams.items():
        was = first.teams.get(team)
        moves = [f"{words[r]} {getattr(was, r)}→{getattr(s, r)}" for r in ROLES
                 if was is not None and getattr(s, r) != getattr(was, r)]
        if moves:
            parts.append(f"{team} " + (" " if lang == "en" else "、").join(moves))
    if abs(plan.mediation_share - first.mediation_share) > 1e-9:
        parts.append(f"{L['mediation']} {first.mediation_share:.0%}→{plan.mediation_share:.0%}")
    if ex.limits.secondment is not None and plan.secondment is not None:
        parts.append(L["secondment"].format(team=plan.secondment.team, month=plan.secondment.start_month))
    if ex.limits.year_end_freeze is not None:
        parts.append(L["no_freeze"] if plan.year_end_freeze is None else L["freeze"].format(day=plan.year_end_freeze))
    return ("；" if lang == "zh" else "; ").join(parts) or L["unchanged"]


def ranking_rows(ex: Exercise, start: Scenario, st: Standings, lang: str) -> list[dict[str, Any]]:
    """The ranking as rows of words (one per group, then the starting plan and the answer)."""
    L, f = LABELS[check_lang(lang)], st.figure
    rows = []

    def row(rank: str, name: str, plan: Optional[Plan], values: np.ndarray, vs_start: Any, vs_best: Any,
            verdict: Optional[dict], tied: bool = False) -> dict[str, Any]:
        s = mean_ci(values)
        return {"rank": rank, "group": name, "plan": describe_plan(ex, start, plan, lang) if plan else "",
                "mean": figure_value(lang, f, s.mean), "interval": figure_interval(lang, f, s.ci_low, s.ci_high),
                "vs_start": _diff(lang, f, vs_start), "vs_best": _diff(lang, f, vs_best),
                "verdict": verdict_word(lang, verdict["verdict"]) if verdict else "", "tied": tied}

    for r in st.rows:
        rows.append(row(str(r.rank), r.group, st.plans[r.group], st.figures[r.group][f], r.vs_start, r.vs_best,
                        r.verdict, r.tied))
    best = st.answer_figures[f] if st.answer_figures is not None else None
    rows.append(row("", L["start"], None, st.start[f], None, None if best is None else paired(st.start[f], best), None))
    if st.answer is not None and best is not None:
        rows.append(row("", L["answer"], st.answer, best, paired(best, st.start[f]), None, None))
    return rows


def _diff(lang: str, f: str, s: Any) -> str:
    if s is None:
        return ""
    return f"{figure_change(lang, f, s.mean)} [{change_interval(lang, f, s.ci_low, s.ci_high)}]"


_COLUMNS = ("rank", "group", "plan", "mean", "interval", "vs_start", "vs_best", "verdict")


def standings_table(ex: Exercise, start: Scenario, st: Standings, lang: str, revealed: bool = True) -> Table:
    """The session's ranking on the deciding figure: one row per group, then the starting plan and
    (once revealed) the best answer; means and paired differences as numbers."""
    L, f = LABELS[check_lang(lang)], st.figure
    # the handout's own words for its columns, so the two read alike
    cols = [L["rank"], L["group"], L["plan"], figure_column(lang, f), word(lang, "ci_low"), word(lang, "ci_high"),
            L["vs_start"], word(lang, "ci_low"), word(lang, "ci_high"), L["vs_best"], word(lang, "ci_low"),
            word(lang, "ci_high"), L["verdict"], L["tied"]]
    table = Table(word(lang, "sheet.standings"), cols)

    def add(rank: Optional[int], name: str, plan: Any, values: Any, vs_start: Any, vs_best: Any,
            verdict: Optional[dict], tied: Optional[bool]) -> None:
        s = mean_ci(values)
        cells: list[Cell] = [Num(rank), name, describe_plan(ex, start, plan, lang) if plan else None,
                             figure_num(f, s.mean), figure_num(f, s.ci_low), figure_num(f, s.ci_high)]
        for dd in (vs_start, vs_best):
            cells += [figure_num(f, None), figure_num(f, None), figure_num(f, None)] if dd is None else \
                [figure_num(f, dd.mean), figure_num(f, dd.ci_low), figure_num(f, dd.ci_high)]
        table.add(*cells, verdict_cell(lang, verdict), None if tied is None else word(lang, "yes" if tied else "no"))

    for r in st.rows:
        add(r.rank, r.group, st.plans[r.group], st.figures[r.group][f], r.vs_start, r.vs_best, r.verdict, r.tied)
    best = st.answer_figures[f] if st.answer_figures is not None else None
    add(None, L["start"], None, st.start[f], None, None if best is None else paired(st.start[f], best), None, None)
    if revealed and st.answer is not None and best is not None:
        add(None, L["answer"], st.answer, best, paired(best, st.start[f]), None, None, None)
    return table


def standings_csv(ex: Exercise, start: Scenario, st: Standings, lang: str = "zh") -> str:
    """The ranking as CSV through the export layer (:func:`standings_table`): UTF-8 with a
    byte-order mark, numbers as numbers, group names kept as text."""
    return csv_text(standings_table(ex, start, st, check_lang(lang)))


def standings_xlsx(ex: Exercise, start: Scenario, st: Standings, lang: str = "zh") -> bytes:
    """The ranking as a one-sheet Excel workbook (the same table as :func:`standings_csv`)."""
    return xlsx_bytes([standings_table(ex, start, st, check_lang(lang))])


def handout_html(ex: Exercise, start: Scenario, st: Standings, code: str, lang: str = "zh",
                 revealed: bool = True) -> str:
    """The one-page handout: task, ranking, and (once revealed) the answer and the debrief."""
    lang = check_lang(lang)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True)
    rows = ranking_rows(ex, start, st, lang)
    if not revealed:
        rows = [r for r in rows if r["group"] != LABELS[lang]["answer"]]
    return env.get_template(TEMPLATE).render(
        html_lang="zh-CN" if lang == "zh" else "en", L=LABELS[lang], title=ex.title.get(lang),
        brief=ex.brief.get(lang), debrief=ex.debrief.get(lang) if revealed else "", code=code,
        figure=figure_name(lang, st.figure), target=target_text(lang, st.figure, st.target),
        seed=ex.seed, replications=ex.replications, rows=rows, columns=_COLUMNS,
        waiting=", ".join(st.waiting), generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"))
