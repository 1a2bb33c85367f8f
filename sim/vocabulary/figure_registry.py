"""The one list of reported figures: what each is called, measured in, and which way is better.

Definitions only (no computation, no formatting): :mod:`sim.model.figures` computes the figures,
:mod:`sim.vocabulary.figure_format` writes them; the app, the HTML report, the CSV files and the command
line all take names, units and directions from here, so a figure reads the same everywhere.
Names follow the Supreme People's Court's trial-quality indicators where one exists
(审限内结案率, 结收比, 超12个月未结案件比, 诉前调解成功案件数占诉至法院纠纷数的比例, 法官人均结案);
definitions match ``shared/design/model.md``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal, Optional, Sequence

from . import catalogue

Kind = Literal["count", "rate", "ratio", "days", "per_judge"]
Better = Optional[Literal["higher", "lower"]]


@dataclass(frozen=True)
class Figure:
    """One reported figure.

    ``kind``: count (cases), rate (a share in [0, 1]), ratio (a quotient that can pass 1),
    days, per_judge (cases per judge-year). ``percent``: shown as a percentage (its change then
    in percentage points). ``decimals``: digits after the point of the shown number (counts
    that are time-averages get one more below 10, see :func:`sim.vocabulary.figure_format.figure_value`).
    ``better``: the direction of improvement, or None where neither is (utilisation).
    """

    key: str
    kind: Kind
    unit_zh: str
    unit_en: str          # singular; :mod:`sim.vocabulary.figure_format` adds the plural
    unit_en_plural: str
    better: Better
    percent: bool
    decimals: int
    name_zh: str
    name_en: str
    definition_zh: str
    definition_en: str

    def name(self, lang: str) -> str:
        """The figure's name in ``lang`` ("zh" or "en")."""
        return self.name_zh if lang == "zh" else self.name_en

    def definition(self, lang: str) -> str:
        """The one-line definition in ``lang``."""
        return self.definition_zh if lang == "zh" else self.definition_en

    @property
    def target_direction(self) -> str:
        """How a target on this figure reads: ">=" (at least) when higher is better, else "<="."""
        return ">=" if self.better == "higher" else "<="


def _count(key: str, better: Better, zh: str, en: str, dzh: str, den: str) -> Figure:
    return Figure(key, "count", "件", "case", "cases", better, False, 0, zh, en, dzh, den)


def _share(key: str, kind: Kind, better: Better, zh: str, en: str, dzh: str, den: str) -> Figure:
    return Figure(key, kind, "%", "%", "%", better, True, 1, zh, en, dzh, den)


def _days(key: str, zh: str, en: str, dzh: str, den: str) -> Figure:
    return Figure(key, "days", "天", "day", "days", "lower", False, 1, zh, en, dzh, den)


_ALL = (
    _count("filed", None, *catalogue.term("figures", "filed")),
    _count("closed", "higher", *catalogue.term("figures", "closed")),
    _count("pending_end", "lower", *catalogue.term("figures", "pending_end")),
    _count("pending_avg", "lower", *catalogue.term("figures", "pending_avg")),
    _share("clearance_rate", "ratio", "higher", *catalogue.term("figures", "clearance_rate")),
    _share("closure_rate", "rate", "higher", *catalogue.term("figures", "closure_rate")),
    _share("within_limit_rate", "rate", "higher", *catalogue.term("figures", "within_limit_rate")),
    _share("within_limit_rate_simple", "rate", "higher", *catalogue.term("figures", "within_limit_rate_simple")),
    _share("within_limit_rate_complex", "rate", "higher", *catalogue.term("figures", "within_limit_rate_complex")),
    _share("extension_rate", "rate", "lower", *catalogue.term("figures", "extension_rate")),
    _count("overdue_pending_end", "lower", *catalogue.term("figures", "overdue_pending_end")),
    _count("overdue_pending_end_simple", "lower", *catalogue.term("figures", "overdue_pending_end_simple")),
    _count("overdue_pending_end_complex", "lower", *catalogue.term("figures", "overdue_pending_end_complex")),
    _count("long_pending_end", "lower", *catalogue.term("figures", "long_pending_end")),
    _share("long_pending_share", "rate", "lower", *catalogue.term("figures", "long_pending_share")),
    _days("disposition_days_mean", *catalogue.term("figures", "disposition_days_mean")),
    _days("disposition_days_median", *catalogue.term("figures", "disposition_days_median")),
    _days("disposition_days_p90", *catalogue.term("figures", "disposition_days_p90")),
    _days("wait_days_mean", *catalogue.term("figures", "wait_days_mean")),
    _count("queue_avg", "lower", *catalogue.term("figures", "queue_avg")),
    _count("disputes", None, *catalogue.term("figures", "disputes")),
    _share("mediation_diversion_rate", "rate", None, *catalogue.term("figures", "mediation_diversion_rate")),
    _share("mediation_success_rate", "rate", "higher", *catalogue.term("figures", "mediation_success_rate")),
    _share("mediation_resolution_share", "rate", "higher", *catalogue.term("figures", "mediation_resolution_share")),
    _share("judge_utilisation", "rate", None, *catalogue.term("figures", "judge_utilisation")),
    Figure("closures_per_judge", "per_judge", "件/人·年", "per judge-year", "per judge-year", "higher", False, 0,
           *catalogue.term("figures", "closures_per_judge")),
)

#: every reported figure by key, in report order
REGISTRY: dict[str, Figure] = {f.key: f for f in _ALL}

#: The headline figures, in the order every surface shows them: the within-limit rate and beside it
#: each track's (简案: 简易+小额, 繁案: 普通 incl. 简转普, see sim.model.tracks), then the overdue
#: pending cases the same way; then backlog, age, speed and capacity. The app's cards, the
#: province's courts, the reports and the command line's advice all read this one list; twelve
#: cards fill whole rows of four, three or two.
HEADLINE: tuple[str, ...] = (
    "within_limit_rate", "within_limit_rate_simple", "within_limit_rate_complex",
    "overdue_pending_end", "overdue_pending_end_simple", "overdue_pending_end_complex",
    "clearance_rate", "pending_end", "long_pending_end", "disposition_days_mean", "judge_utilisation",
    "closures_per_judge",
)
#: Where plans are set side by side (the comparison's table, each of the advisor's candidates): the
#: headline, then the long-pending share, mediation, extensions and the wait for a judge, which
#: tell plans apart that move cases between mediation, tracks and judges.
COMPARED: tuple[str, ...] = HEADLINE + (
    "long_pending_share", "mediation_resolution_share", "extension_rate", "wait_days_mean",
)


def with_targets(figures: Sequence[str], targets: Iterable[str]) -> tuple[str, ...]:
    """``figures`` and after them every targeted figure not among them, so no target goes unshown."""
    return tuple(dict.fromkeys([*figures, *targets]))
