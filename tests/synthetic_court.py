"""Synthetic courts with known truth, written the way an outside program writes a court's export.

Nothing here uses the simulator: a court is simulated day by day with its own simple rules and
its records are written with the standard library's ``csv`` module (or openpyxl), with headers,
date styles and encodings that the project's example writer does not use. So a calibration
that recovers this court's truth recovers it from data it did not make.

The court: filings on working days (Chinese calendar) per track, a Poisson number a day at a
monthly rate with growth, season and optionally a step in level; each case goes in turn to a
judge of its track present that day, is ready after a preparation time, and each judge closes
a Poisson number of their ready cases a working day (first ready, first closed), more in
December when there is a year-end push. A judge who leaves hands the open cases to the team's
other judges in turn, and the export shows the new judge. The truth (judges present each month,
capacity, demand) is kept beside the records.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np

_SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许"
_GIVEN = "文武英华建国立新志强海燕红梅春秋玉兰德明"


def judge_name(i: int) -> str:
    """A made-up three-character name, different for i = 0 .. 399."""
    return _SURNAMES[i % 20] + _GIVEN[(i // 20) % 20] + _GIVEN[(i * 7 + 3) % 20]


def add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    return dt.date(d.year + y, m + 1, 1)


@dataclass
class Judge:
    """A judge of one team; ``joins``/``leaves``: first day present / first day gone (None: always)."""

    name: str
    team: str
    track: str
    joins: Optional[dt.date] = None
    leaves: Optional[dt.date] = None

    def present(self, d: dt.date) -> bool:
        return (self.joins is None or d >= self.joins) and (self.leaves is None or d < self.leaves)


@dataclass
class Spec:
    """What the synthetic court is (see the module's description)."""

    start: dt.date                              # first day of the exported history (a month's first day)
    months: int                                 # months of history up to the export date
    judges: list[Judge]
    filings_per_month: dict[str, float]         # per track at the start
    capacity: dict[str, float]                  # cases a judge closes per working day, per track
    future_months: int = 0                      # months simulated after the export (the truth to forecast)
    warmup_months: int = 8
    growth: float = 0.0                         # per year
    season: tuple[float, ...] = (1.0,) * 12
    step: Optional[tuple[dt.date, float]] = None   # from this date filings are × this factor
    push: float = 1.0                           # December capacity × this
    prep_days: dict[str, float] = field(default_factory=lambda: {"simple": 25.0, "complex": 45.0})
    small_claims_share: float = 0.3             # of the simple track's filings
    other_types: dict[str, float] = field(default_factory=dict)   # e.g. {"执": 40}: other case types a month
    seed: int = 1


@dataclass
class Court:
    """The simulated court: its cases (dicts) and the truth."""

    spec: Spec
    cases: list[dict[str, Any]]
    export_date: dt.date
    staffing: dict[tuple[str, str], int]        # (YYYY-MM, team) -> judges present on the month's first day
    monthly: list[dict[str, Any]]               # per month (history and future): filed, closed, pending at end


def _workday(d: dt.date) -> bool:
    import chinese_calendar

    try:
        return chinese_calendar.is_workday(d)
    except NotImplementedError:  # beyond the package's years: weekdays
        return d.weekday() < 5


def _tallies(spec: Spec, cases: list[dict[str, Any]]) -> tuple[dict, list[dict[str, Any]]]:
    """The truth by month: judges in post per team, and the civil cases filed, closed and pending."""
    staffing = {}
    for m in range(spec.months + spec.future_months):
        a = add_months(spec.start, m)
        for j in spec.judges:
            if j.present(a):
                key = (f"{a.year:04d}-{a.month:02d}", j.team)
                staffing[key] = staffing.get(key, 0) + 1
    monthly = []
    civil = [c for c in cases if c["track"] != "other"]
    for m in range(spec.months + spec.future_months):
        a, b = add_months(spec.start, m), add_months(spec.start, m + 1)
        monthly.append({"month": f"{a.year:04d}-{a.month:02d}",
                        "filed": sum(a <= c["filed"] < b for c in civil),
                        "closed": sum(c["closed"] is not None and a <= c["closed"] < b for c in civil),
                        "pending": sum(c["filed"] < b and (c["closed"] is None or c["closed"] >= b) for c in civil)})
    return staffing, monthly


def simulate(spec: Spec) -> Court:
    """Run the court day by day from the warm-up to the end of the future months."""
    rng = np.random.default_rng(spec.seed)
    first = add_months(spec.start, -spec.warmup_months)
    export = add_months(spec.start, spec.months) - dt.timedelta(days=1)
    end = add_months(spec.start, spec.months + spec.future_months) - dt.timedelta(days=1)
    work_in_month: dict[tuple[int, int], int] = {}
    d = first
    while d <= end:
        if _workday(d):
            work_in_month[(d.year, d.month)] = work_in_month.get((d.year, d.month), 0) + 1
        d += dt.timedelta(days=1)
    cases: list[dict[str, Any]] = []
    docket: dict[str, list[int]] = {j.name: [] for j in spec.judges}   # open case ids, by judge
    turn = {"simple": 0, "complex": 0}
    seq: dict[tuple[int, str], int] = {}
    sigma = math.sqrt(math.log(1 + 0.6 ** 2))
    d = first
    while d <= end:
        present = [j for j in spec.judges if j.present(d)]
        for j in spec.judges:  # a judge who left today hands the docket on, in turn
            if j.leaves == d and docket[j.name]:
                mates = [k for k in present if k.team == j.team] or [k for k in present if k.track == j.track]
                for i, c in enumerate(sorted(docket[j.name])):
                    to = mates[i % len(mates)]
                    cases[c]["judge"] = to.name
                    docket[to.name].append(c)
                docket[j.name] = []
        if _workday(d):
            years = (d - spec.start).days / 365.25
            level = (1 + spec.growth) ** years * spec.season[d.month - 1]
            if spec.step and d >= spec.step[0]:
                level *= spec.step[1]
            n_work = work_in_month[(d.year, d.month)]
            for track in ("simple", "complex"):
                team = [j for j in present if j.track == track]
                for _ in range(rng.poisson(spec.filings_per_month[track] * level / n_work)):
                    j = team[turn[track] % len(team)]
                    turn[track] += 1
                    proc = ("小额诉讼程序" if rng.random() < spec.small_claims_share else "简易程序") \
                        if track == "simple" else "普通程序"
                    prep = spec.prep_days[track] * math.exp(sigma * rng.standard_normal() - sigma ** 2 / 2)
                    key = (d.year, "民初")
                    seq[key] = seq.get(key, 0) + 1
                    cases.append({"number": f"（{d.year}）京0105民初{seq[key]}号", "filed": d, "closed": None,
                                  "procedure": proc, "team": j.team, "judge": j.name, "track": track,
                                  "ready": d + dt.timedelta(days=int(prep)),
                                  "method": "调解" if rng.random() < 0.2 else ("撤诉" if rng.random() < 0.1 else "判决")})
                    docket[j.name].append(len(cases) - 1)
            for code, per_month in spec.other_types.items():
                for _ in range(rng.poisson(per_month / n_work)):
                    key = (d.year, code)
                    seq[key] = seq.get(key, 0) + 1
                    cases.append({"number": f"（{d.year}）京0105{code}{seq[key]}号", "filed": d, "closed": None,
                                  "procedure": "执行" if code.startswith("执") else "普通程序", "team": "其他",
                                  "judge": "", "track": "other", "ready": d, "method": ""})
            for j in present:
                ready = sorted((cases[c]["ready"], c) for c in docket[j.name] if cases[c]["ready"] <= d)
                rate = spec.capacity[j.track] * (spec.push if d.month == 12 else 1.0)
                for _, c in ready[:rng.poisson(rate)]:
                    cases[c]["closed"] = d
                    docket[j.name].remove(c)
        d += dt.timedelta(days=1)
    # other case types close a month after filing (they only need to be there)
    for c in cases:
        if c["track"] == "other" and c["filed"] + dt.timedelta(days=30) <= end:
            c["closed"] = c["filed"] + dt.timedelta(days=30)
            c["method"] = "终结"
    staffing, monthly = _tallies(spec, cases)
    return Court(spec, cases, export, staffing, monthly)


def exported(court: Court) -> list[dict[str, Any]]:
    """The rows of the export: cases filed in the history or pending at its start, as known on
    the export date (later closings unknown)."""
    s, e = court.spec.start, court.export_date
    out = []
    for c in court.cases:
        if c["filed"] > e or (c["filed"] < s and c["closed"] is not None and c["closed"] < s):
            continue
        closed = c["closed"] if c["closed"] is not None and c["closed"] <= e else None
        out.append({**c, "closed": closed, "method": c["method"] if closed else ""})
    return out


def _date_text(d: Optional[dt.date], style: str) -> str:
    if d is None:
        return ""
    if style == "cn":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "dots":
        return f"{d.year}.{d.month:02d}.{d.day:02d}"
    return d.isoformat()


def cases_csv(court: Court, team_column: bool = True, encoding: str = "gb18030", date_style: str = "cn") -> bytes:
    """The case records as another program exports them: its own headers (审理程序, 审判庭,
    收案日期, 审结日期 ...), a party column, dates written out in Chinese, GB18030 by default."""
    header = ["案件编号", "案由", "原告", "收案日期", "审结日期", "审理程序", "承办人", "结案方式"]
    if team_column:
        header.insert(6, "审判庭")
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for k, c in enumerate(exported(court)):
        row = [c["number"], "合同纠纷", f"某公司{k}", _date_text(c["filed"], date_style),
               _date_text(c["closed"], date_style), c["procedure"], c["judge"], c["method"]]
        if team_column:
            row.insert(6, c["team"])
        w.writerow(row)
    return buf.getvalue().encode(encoding)


def monthly_csv(court: Court, months: Optional[int] = None) -> bytes:
    """收案数 / 结案数 / 未结数 by month (the history only), UTF-8 with a byte-order mark."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["统计月份", "收案数", "结案数", "未结数"])
    for r in court.monthly[: months or court.spec.months]:
        w.writerow([r["month"].replace("-", "年") + "月", r["filed"], r["closed"], r["pending"]])
    return buf.getvalue().encode("utf-8-sig")


def staffing_csv(court: Court, team_column: bool = True) -> bytes:
    """Judges by month (and team) of the history, as the personnel office lists them."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["月份", "审判团队", "员额法官"] if team_column else ["月份", "员额法官"])
    months = sorted({m for m, _ in court.staffing})[: court.spec.months]
    for m in months:
        if team_column:
            for (mm, team), n in sorted(court.staffing.items()):
                if mm == m:
                    w.writerow([m, team, n])
        else:
            w.writerow([m, sum(n for (mm, _), n in court.staffing.items() if mm == m)])
    return buf.getvalue().encode("utf-8")


def strained_court(seed: int = 1, future_months: int = 6, months: int = 24, start: dt.date = dt.date(2022, 10, 1),
                   push: float = 1.0) -> Court:
    """Ten simple-case judges (two of them leave three months before the export, so the
    simple track's pending caseload climbs) and three complex-case judges; filings grow 5 % a
    year with a season (the Spring Festival dip, the year-end rush). By default the records run
    from October 2022 to the end of September 2024, so the six months to forecast hold the
    year-end rush and the Spring Festival."""
    export_month = add_months(start, months)
    leave = add_months(export_month, -3)
    judges = [Judge(judge_name(i), "速裁庭", "simple", leaves=leave if i in (3, 7) else None) for i in range(10)]
    judges += [Judge(judge_name(20 + i), "民一庭", "complex") for i in range(3)]
    spec = Spec(start=start, months=months, future_months=future_months, judges=judges,
                filings_per_month={"simple": 370.0, "complex": 60.0}, capacity={"simple": 2.1, "complex": 1.25},
                growth=0.05, season=(1.0, 0.7, 1.1, 1.0, 1.0, 1.05, 1.0, 0.95, 1.0, 0.95, 1.05, 1.2), push=push,
                seed=seed)
    return simulate(spec)
