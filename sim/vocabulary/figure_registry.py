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
from typing import Literal, Optional

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
    _count("filed", None, "收案数", "Cases filed",
           "期内正式立案的案件数（诉前调解化解的纠纷不立案，不计入）。",
           "Formal filings in the period (disputes resolved in pre-filing mediation are not filings)."),
    _count("closed", "higher", "结案数", "Cases closed",
           "期内结案的案件数。", "Cases closed in the period."),
    _count("pending_end", "lower", "期末未结案件数", "Pending cases at end",
           "期末已立案尚未结案的案件数。", "Cases filed and not yet closed at the end of the period."),
    _count("pending_avg", "lower", "平均未结案件数", "Average pending cases",
           "期内未结案件数的时间平均值。", "Time-average number of pending cases over the period."),
    _share("clearance_rate", "ratio", "higher", "结收比", "Clearance rate",
           "期内结案数 ÷ 收案数；低于 100% 表示积案在增加。",
           "Closed ÷ filed in the period; below 100 % the backlog grows."),
    _share("closure_rate", "rate", "higher", "结案率", "Closure rate",
           "结案数 ÷（年初未结 + 年内新收），在每个自然年内累计。",
           "Closed ÷ (pending at the start of the year + filed since), cumulative within the year."),
    _share("within_limit_rate", "rate", "higher", "审限内结案率", "Within-limit rate",
           "结案中在审限内结案的比例：自然日扣除公告、鉴定等不计入审限的期间，含经批准的延长。",
           "Share of closed cases whose clock (calendar days minus excluded periods) was within the "
           "limit, counting approved extensions."),
    _share("within_limit_rate_simple", "rate", "higher", "简案审限内结案率", "Within-limit rate, simple track",
           "按简易程序或小额诉讼程序审结的案件中在审限内结案的比例（简转普案件按普通程序计入繁案）。",
           "Within-limit rate of the cases closed under simple procedure or small claims (a case converted "
           "to ordinary procedure counts under the complex track)."),
    _share("within_limit_rate_complex", "rate", "higher", "繁案审限内结案率", "Within-limit rate, complex track",
           "按普通程序审结的案件（含简转普案件）中在审限内结案的比例。",
           "Within-limit rate of the cases closed under ordinary procedure, converted cases included."),
    _share("extension_rate", "rate", "lower", "延长审限率", "Extension rate",
           "结案中超过基本审限、需要延长审限的比例。",
           "Share of closed cases that needed an extension of the limit."),
    _count("overdue_pending_end", "lower", "超审限未结案件数", "Overdue pending cases",
           "期末仍未结且已超过审限（含延长）的案件数。",
           "Pending cases already past their limit (with extension) at the end of the period."),
    _count("overdue_pending_end_simple", "lower", "简案超审限未结案件数", "Overdue pending, simple track",
           "期末仍未结且已超过审限的简易程序、小额诉讼案件数。",
           "Pending cases under simple procedure or small claims already past their limit at the end."),
    _count("overdue_pending_end_complex", "lower", "繁案超审限未结案件数", "Overdue pending, complex track",
           "期末仍未结且已超过审限的普通程序案件数（含简转普案件）。",
           "Pending cases under ordinary procedure (converted ones included) already past their limit at the end."),
    _count("long_pending_end", "lower", "长期未结案件数", "Long-pending cases",
           "期末立案已超过长期未结界限（默认 12 个月，可设置）仍未结的案件数。",
           "Pending cases older than the long-pending threshold (12 months unless set) at the end."),
    _share("long_pending_share", "rate", "lower", "超12个月未结案件比", "Long-pending share",
           "期末长期未结案件数 ÷ 未结案件数（界限默认 12 个月）。",
           "Long-pending ÷ pending at the end of the period (threshold 12 months unless set)."),
    _days("disposition_days_mean", "平均审理天数", "Mean disposition time",
          "期内结案案件结案日期 − 立案日期的平均值（自然日）。",
          "Mean of closing date − filing date of the cases closed in the period (calendar days)."),
    _days("disposition_days_median", "审理天数中位数", "Median disposition time",
          "结案日期 − 立案日期的中位数（自然日）。", "Median of closing date − filing date (calendar days)."),
    _days("disposition_days_p90", "审理天数（90% 分位）", "Disposition time (90th percentile)",
          "90% 的结案案件在这么多天内结案（结案日期 − 立案日期）。",
          "90th percentile of closing date − filing date: 90 % of cases close within it."),
    _days("wait_days_mean", "平均候审天数", "Mean wait for a judge",
          "案件准备就绪后等待法官办理的平均天数。", "Mean days a ready case waits for a judge."),
    _count("queue_avg", "lower", "平均待办案件数", "Average cases waiting",
           "等待法官办理的案件数的时间平均值。", "Time-average number of ready cases waiting for a judge."),
    _count("disputes", None, "诉至法院纠纷数", "Disputes brought to the court",
           "期内诉至法院的纠纷数（含诉前调解化解的）。",
           "Disputes brought to the court in the period, including those resolved in mediation."),
    _share("mediation_diversion_rate", "rate", None, "诉前调解分流率", "Mediation diversion rate",
           "诉至法院的纠纷中引导到诉前调解的比例。", "Share of disputes sent to pre-filing mediation."),
    _share("mediation_success_rate", "rate", "higher", "诉前调解成功率", "Mediation success rate",
           "期内结束的诉前调解中调解成功的比例。", "Share of the mediations ended in the period that resolved the dispute."),
    _share("mediation_resolution_share", "rate", "higher", "诉前调解成功案件数占诉至法院纠纷数的比例",
           "Mediation resolution share",
           "诉前调解成功案件数 ÷ 诉至法院纠纷数。",
           "Disputes resolved in pre-filing mediation ÷ all disputes brought to the court."),
    _share("judge_utilisation", "rate", None, "法官工作饱和度", "Judge utilisation",
           "法官实际办案工时 ÷ 可用工时；接近 100% 表示超负荷，案件会积压。",
           "Judge-hours worked ÷ judge-hours available; near 100 % cases pile up."),
    Figure("closures_per_judge", "per_judge", "件/人·年", "per judge-year", "per judge-year", "higher", False, 0,
           "法官人均结案数", "Closures per judge",
           "结案数 ÷ 平均员额法官人数，折算为每年。", "Closed cases ÷ average quota judges, annualised."),
)

#: every reported figure by key, in report order
REGISTRY: dict[str, Figure] = {f.key: f for f in _ALL}
