"""The advisor's answer as plain tables, for the page and for any writer (CSV, XLSX, Word).

Each :class:`Table` has a stable ``key``, a title and column headers in the language asked
for, and rows of plain cells: text, whole numbers or decimals, never formatted strings for
numbers. A share is given in per cent (94.8, not 0.948) with "（%）" / "(%)" in its column's
header, rounded as the figure is shown everywhere (one decimal; counts whole, or with one
decimal below 10 since they are means over replications). A missing value is None.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from ..vocabulary.advisor_text import table_text
from ..vocabulary.figure_format import figure_label, verdict_word
from ..vocabulary.figure_registry import REGISTRY

if TYPE_CHECKING:  # the answer type only; importing it here would be circular
    from .advisor import Advice

Cell = Optional[Any]  # str | int | float | None


@dataclass(frozen=True)
class Table:
    """A titled table of plain cells (see the module docstring)."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]


def number(figure: str, x: Optional[float]) -> Optional[float]:
    """A figure's value (or a difference of it) as a table cell: per cent for shares, rounded
    as it is shown."""
    if x is None or not math.isfinite(x):
        return None
    f = REGISTRY[figure]
    if f.percent:
        return round(100 * x, f.decimals)
    digits = f.decimals + 1 if f.kind == "count" and abs(x) < 10 and x != round(x) else f.decimals
    v = round(x, digits)
    return int(v) if digits == 0 else v


def _track(lang: str, track: str) -> str:
    return table_text(lang, f"track.{track}")


def teams_table(adv: "Advice", lang: str) -> Table:
    """Per team: staff on screen, recommended with the staff given, and at the fewest extra
    posts that meet every target (or the most posts searched, when none does)."""
    cur = {t["team"]: t for t in (adv.current or {}).get("teams", [])}
    pt = (adv.more_explanation or {}).get("point")
    at = {t["team"]: t for t in pt["teams"]} if pt else {}
    roles = ("judges", "assistants", "clerks")
    cols = [table_text(lang, "tbl.team"), table_text(lang, "tbl.track")]
    cols += [table_text(lang, f"tbl.{r}_now") for r in roles] + [table_text(lang, f"tbl.{r}_best") for r in roles]
    if pt:
        cols += [table_text(lang, f"tbl.{r}_more", added=pt["added"]) for r in roles]
    rows = []
    for t in adv.best.teams:
        row: list[Cell] = [t.name, _track(lang, t.track)]
        row += [cur.get(t.name, {}).get(r) for r in roles] + [getattr(t, r) for r in roles]
        if pt:
            row += [at.get(t.name, {}).get(r) for r in roles]
        rows.append(row)
    return Table("teams", table_text(lang, "tbl.teams"), cols, rows)


def figures_table(adv: "Advice", lang: str) -> Table:
    """Per figure reported: its target, the plan on screen, the recommended plan with its
    interval, the paired difference with its interval, and the recommended plan's verdict."""
    cur = adv.current or {}
    best = {k: v.as_dict() for k, v in adv.best_results.summary().items()}
    tg = adv.best_results.targets()
    cols = [table_text(lang, k) for k in ("tbl.figure", "tbl.target", "tbl.current", "tbl.best", "tbl.low", "tbl.high",
                                          "tbl.diff", "tbl.diff_low", "tbl.diff_high", "tbl.verdict")]
    rows = []
    for f in cur.get("figures") or {}:
        b, c = best.get(f) or {}, cur["figures"][f]
        d = (cur.get("best_minus_current") or {}).get(f) or {}
        t = tg.get(f)
        rows.append([figure_label(lang, f), None if t is None else number(f, t["target"]), number(f, c.get("mean")),
                     number(f, b.get("mean")), number(f, b.get("ci_low")), number(f, b.get("ci_high")),
                     number(f, d.get("mean")), number(f, d.get("ci_low")), number(f, d.get("ci_high")),
                     None if t is None else verdict_word(lang, t["verdict"])])
    return Table("figures", table_text(lang, "tbl.figures"), cols, rows)


def curve_table(adv: "Advice", lang: str) -> Table:
    """Per total of extra posts searched: the posts added by role, the staff of the best plan
    there, and each target's figure with its interval and verdict."""
    figs = list(adv.targets)
    cols = [table_text(lang, k) for k in ("tbl.added", "tbl.add_judges", "tbl.add_assistants", "tbl.add_clerks",
                                          "tbl.judges", "tbl.assistants", "tbl.clerks", "tbl.reps")]
    for f in figs:
        cols += [figure_label(lang, f), table_text(lang, "tbl.low_of", figure=figure_label(lang, f)),
                 table_text(lang, "tbl.high_of", figure=figure_label(lang, f)),
                 table_text(lang, "tbl.verdict_of", figure=figure_label(lang, f))]
    rows = []
    for p in adv.staff_curve:
        row: list[Cell] = [p["added"], p["mix"]["judges"], p["mix"]["assistants"], p["mix"]["clerks"],
                           p["totals"]["judges"], p["totals"]["assistants"], p["totals"]["clerks"], p["replications"]]
        for f in figs:
            st = p["figures"][f]
            row += [number(f, st["mean"]), number(f, st["ci_low"]), number(f, st["ci_high"]),
                    verdict_word(lang, p["targets"][f]["verdict"])]
        rows.append(row)
    return Table("curve", table_text(lang, "tbl.curve"), cols, rows)


def answer_table(adv: "Advice", lang: str) -> Table:
    """Per target (and every target at once): the fewest extra posts searched that meet it,
    and the staff of that plan; empty cells when the posts offered do not reach it."""
    cols = [table_text(lang, k) for k in ("tbl.objective", "tbl.target", "tbl.added", "tbl.add_judges",
                                          "tbl.add_assistants", "tbl.add_clerks", "tbl.judges", "tbl.assistants",
                                          "tbl.clerks")]
    rows = []
    items = [(table_text(lang, "tbl.every"), None, adv.fewest)]
    items += [(figure_label(lang, f), number(f, v), adv.smallest_meeting.get(f)) for f, v in adv.targets.items()]
    for name, target, hit in items:
        if hit is None:
            rows.append([name, target] + [None] * 7)
        else:
            rows.append([name, target, hit["added"], hit["mix"]["judges"], hit["mix"]["assistants"], hit["mix"]["clerks"],
                         hit["totals"]["judges"], hit["totals"]["assistants"], hit["totals"]["clerks"]])
    return Table("answer", table_text(lang, "tbl.answer"), cols, rows)


def advice_tables(adv: "Advice", lang: str) -> list[Table]:
    """Every table of the answer, in reading order: how many more, the teams, the figures, the curve."""
    return [answer_table(adv, lang), teams_table(adv, lang), figures_table(adv, lang), curve_table(adv, lang)]
