"""Tables derived once per scenario and shared by every replication.

Building them costs tens of milliseconds (date arithmetic for each day of the horizon), so
they are computed once, not per replication: the working-hours calendar, the staffing of
every team on every day, the support-staff effort factor, the dispute intensity, the month
boundaries of the report, and the statutory allowed-days tables.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np

from .caveats import static_warnings, unplaced_warnings
from .rules import allowed_days_table, has_extension
from .scenario import Scenario, add_months
from .staffing import DAYS_PER_MONTH, change_days, staff_present
from .tracks import procedure_tracks
from .workcalendar import WorkClock, hours_per_day, uncovered_years

TRACKS = ("simple", "complex")


@dataclass
class JudgeMove:
    """A judge joining (+1) or leaving (−1) a team at time ``t`` (days from origin)."""

    t: float
    team: int
    delta: int
    ramp_days: float = 0.0
    ramp_start_share: float = 1.0


@dataclass
class Prepared:
    """Everything about a scenario that does not depend on the random numbers."""

    scenario: Scenario
    origin: dt.date                      # simulation day 0
    report_start: float                  # first reported day (= warm-up days)
    end: float                           # first day after the horizon
    n_days: int
    clock: WorkClock
    month_edges: np.ndarray              # n_months + 1 times (days from origin)
    month_labels: list[str]
    intensity_cum: np.ndarray            # cumulative expected disputes at day boundaries
    team_track: np.ndarray               # 0 simple, 1 complex
    team_judges_day: np.ndarray          # (teams, n_days) judges present
    support_factor_day: np.ndarray       # (teams, n_days) effort multiplier from support staff
    initial_judges: list[int]
    judge_moves: list[JudgeMove]
    proc_names: list[str]
    proc_has_ext: np.ndarray
    allowed_base: np.ndarray             # (procs, days) allowed clock days, indexed by filing day - first_filing_day
    allowed_ext: np.ndarray
    first_filing_day: int
    type_track: np.ndarray
    type_proc: np.ndarray
    long_pending_days: np.ndarray        # per month end: days of age above which a case is long-pending
    freeze_windows: list[tuple[float, float, float]] = field(default_factory=list)  # (from, to, release)
    warnings: list[dict] = field(default_factory=list)  # see sim.model.caveats
    # hearings (all ones / zeros when the scenario has no hearings section)
    desk_factor_day: np.ndarray = None    # (teams, n_days) clock hours per hour of desk work
    slots_day: np.ndarray = None          # (teams, n_days) hearing slots of one judge on each day
    service_factor_day: np.ndarray = None  # (teams, n_days) service time multiplier from clerks
    evidence_factor_day: np.ndarray = None  # (teams, n_days) evidence period multiplier from assistants
    proc_answer: np.ndarray = None         # per procedure: answer days, evidence days, slot cost, ...
    proc_evidence: np.ndarray = None
    proc_slot_cost: np.ndarray = None
    proc_adjourn: np.ndarray = None
    proc_max_hearings: np.ndarray = None
    proc_panel: np.ndarray = None
    # per procedure: the track its cases count under in the per-track figures (0 simple, 1 complex)
    proc_track: np.ndarray = None


def support_factor(scn: Scenario, judges: float, assistants: float, clerks: float) -> float:
    """Judge-effort multiplier for a team with this staffing (1 = no support staff)."""
    s = scn.support
    if judges <= 0:
        return 1.0
    x = (s.assistant_weight * assistants + s.clerk_weight * clerks) / (judges * s.scale)
    return 1.0 - s.max_reduction * (1.0 - math.exp(-x))


def _slots_pattern(weekdays: list[int], per_week: int) -> dict[int, int]:
    """Hearing slots on each working weekday: ``per_week`` spread as evenly as whole slots allow."""
    n = len(weekdays)
    return {wd: (i + 1) * per_week // n - i * per_week // n for i, wd in enumerate(sorted(weekdays))}


def weekly_slots_and_desk_share(scn: Scenario, clerks_per_judge: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hearing slots per judge-week, and the share of judge hours left for the desk.

    Clerks add ``clerk_extra_slots`` per clerk per judge (up to two clerks per judge), rounded to
    the nearest whole slot; the slots' hours come off the working week.
    """
    h = scn.hearings
    weekly = h.slots_per_week + np.floor(h.clerk_extra_slots * np.minimum(clerks_per_judge, 2.0) + 0.5)
    week_hours = scn.calendar.hours_per_day * len(scn.calendar.working_weekdays)
    return weekly, np.clip(1.0 - weekly * h.slot_hours / week_hours, 0.2, 1.0)


def _hearing_tables(scn: Scenario, clock: WorkClock, origin: dt.date, judges: np.ndarray, assistants: np.ndarray,
                    clerks: np.ndarray, sf: np.ndarray) -> dict:
    """Per team and day: desk-time factor, hearing slots per judge, service and evidence factors.

    Staffing acts through named mechanisms: clerks add hearing slots and shorten service,
    assistants shorten the evidence period (and, through ``support``, drafting); hearing slots
    take their hours from the judge's desk, so desk work runs at 1 / desk share of clock time.
    """
    n_teams, n_days = judges.shape
    procs = list(scn.procedures)
    h = scn.hearings
    ones = np.ones((n_teams, n_days))
    if h is None:
        return dict(desk_factor_day=sf, slots_day=np.zeros((n_teams, n_days)), service_factor_day=ones,
                    evidence_factor_day=ones, proc_answer=np.zeros(len(procs)), proc_evidence=np.zeros(len(procs)),
                    proc_slot_cost=np.ones(len(procs)), proc_adjourn=np.zeros(len(procs)),
                    proc_max_hearings=np.ones(len(procs), dtype=int), proc_panel=np.zeros(len(procs), dtype=bool))
    with np.errstate(invalid="ignore", divide="ignore"):
        c_ratio = np.where(judges > 0, np.maximum(clerks, 0) / judges, 0.0)
        a_ratio = np.where(judges > 0, np.maximum(assistants, 0) / judges, 0.0)
    weekly, desk_share = weekly_slots_and_desk_share(scn, c_ratio)
    slots = np.zeros((n_teams, n_days))
    patterns: dict[int, dict[int, int]] = {}
    wd = np.array([(origin + dt.timedelta(days=k)).isoweekday() for k in range(n_days)])
    for i in range(n_teams):
        for k in range(n_days):
            if clock.hours[k] <= 0:
                continue
            w = int(weekly[i, k])
            pat = patterns.get(w)
            if pat is None:
                pat = patterns[w] = _slots_pattern(scn.calendar.working_weekdays, w)
            slots[i, k] = pat.get(int(wd[k]), 0)
    ph = [h.for_procedure(p) for p in procs]
    return dict(
        desk_factor_day=sf / desk_share, slots_day=slots,
        service_factor_day=1.0 - h.clerk_service_cut * np.minimum(c_ratio, 1.0),
        evidence_factor_day=1.0 - h.assistant_evidence_cut * np.minimum(a_ratio, 1.0),
        proc_answer=np.array([q.answer_days for q in ph], dtype=float),
        proc_evidence=np.array([q.evidence_days for q in ph], dtype=float),
        proc_slot_cost=np.array([1.0 / q.cases_per_slot for q in ph]),
        proc_adjourn=np.array([q.adjournment_rate for q in ph]),
        proc_max_hearings=np.array([q.max_hearings for q in ph], dtype=int),
        proc_panel=np.array([q.panel for q in ph], dtype=bool))


def month_labels(scn: Scenario) -> list[str]:
    """"YYYY-MM" of each reported month."""
    out = []
    for m in range(scn.horizon_months):
        a = add_months(scn.start_date, m)
        out.append(f"{a.year:04d}-{a.month:02d}")
    return out


def _day(origin: dt.date, d: dt.date) -> int:
    return (d - origin).days


def prepare(scn: Scenario) -> Prepared:
    """Derive the per-scenario tables."""
    origin = scn.start_date - dt.timedelta(days=scn.warmup_days)
    report_start = float(scn.warmup_days)
    end = float(_day(origin, scn.end_date))
    n_days = int(end) + 1
    clock = WorkClock(hours_per_day(scn.calendar, origin, n_days))

    edges = [report_start]
    labels = month_labels(scn)
    for m in range(scn.horizon_months):
        edges.append(float(_day(origin, add_months(scn.start_date, m + 1))))
    month_edges = np.array(edges)

    # dispute intensity per day: yearly volume × month weight × growth
    prof = np.array(scn.demand.monthly_profile, dtype=float)
    prof = prof / prof.mean()
    rate = np.empty(n_days)
    per_day = scn.demand.disputes_per_year / 365.25
    for k in range(n_days):
        d = origin + dt.timedelta(days=k)
        years = (d - scn.start_date).days / 365.25
        rate[k] = per_day * prof[d.month - 1] * (1.0 + scn.demand.annual_growth) ** years
    intensity_cum = np.concatenate([[0.0], np.cumsum(rate)])

    n_teams = len(scn.teams)
    staff_day = np.zeros((0, 3, n_days)) if not n_teams else \
        np.stack([staff_present(t, origin, n_days) for t in scn.teams])
    judges_day, assist_day, clerks_day = staff_day[:, 0], staff_day[:, 1], staff_day[:, 2]
    moves: list[JudgeMove] = []
    for i, t in enumerate(scn.teams):
        for ch in t.changes:
            a, b = change_days(ch, origin, n_days)
            if b <= a:
                continue
            ramp = ch.ramp_up_months * DAYS_PER_MONTH
            for _ in range(abs(ch.judges)):
                sign = 1 if ch.judges > 0 else -1
                moves.append(JudgeMove(float(a), i, sign, ramp if sign > 0 else 0.0,
                                       ch.ramp_start_share if sign > 0 and ramp > 0 else 1.0))
                if ch.end is not None and b < n_days:
                    moves.append(JudgeMove(float(b), i, -sign))
    sf = np.ones((n_teams, n_days))
    for i in range(n_teams):
        # staffing changes only at a few dates: compute per distinct combination
        cache: dict[tuple, float] = {}
        for k in range(n_days):
            key = (judges_day[i, k], max(0.0, assist_day[i, k]), max(0.0, clerks_day[i, k]))
            if key not in cache:
                cache[key] = support_factor(scn, *key)
            sf[i, k] = cache[key]
    moves.sort(key=lambda m: (m.t, m.delta))  # leaving before joining on the same day
    hearing_tables = _hearing_tables(scn, clock, origin, judges_day, assist_day, clerks_day, sf)

    proc_names = list(scn.procedures)
    procs = [scn.procedures[p] for p in proc_names]
    ip = scn.initial_pending
    max_age_days = 31 * max(b.max_months for prof in [ip.age_profile] + [g.age_profile for g in ip.groups if g.age_profile]
                            for b in prof)
    if any(g.overdue for g in ip.groups):
        # an overdue carried-over case can be older than every profile band: past the longest limit
        max_age_days = max(max_age_days, max(31 * (q.limit_months + q.extension_months) + q.limit_days
                                             + q.extension_days for q in scn.procedures.values()) + 92)
    if ip.cases:  # listed open cases: the oldest one's own filing date
        max_age_days = max(max_age_days, max((origin - min(g.filed)).days for g in ip.cases))
    first_filing_day = -int(math.ceil(max_age_days)) - 31
    n_tab = n_days - first_filing_day + 1
    allowed_base = allowed_days_table(origin, n_tab, first_filing_day, procs, extended=False)
    allowed_ext = allowed_days_table(origin, n_tab, first_filing_day, procs, extended=True)

    type_track = np.array([TRACKS.index(c.track) for c in scn.case_types])
    type_proc = np.array([proc_names.index(c.procedure) for c in scn.case_types])

    long_days = []
    for m in range(scn.horizon_months):
        # ages are counted on the month's last day: a case is long-pending when filed before
        # the same date long_pending_months earlier (that month's last day when the date does
        # not exist), the rule of the statutory limits
        last = add_months(scn.start_date, m + 1) - dt.timedelta(days=1)
        long_days.append((last - add_months(last, -scn.long_pending_months)).days)

    freeze = []
    if scn.demand.year_end_freeze_from_day is not None:
        year = origin.year
        while dt.date(year, 1, 1) <= origin + dt.timedelta(days=n_days):
            dec = dt.date(year, 12, min(scn.demand.year_end_freeze_from_day, 31))
            jan = dt.date(year + 1, 1, 1)
            a, b = _day(origin, dec), _day(origin, jan)
            release = b
            while release < n_days and clock.hours[release] <= 0:
                release += 1
            freeze.append((float(a), float(b), float(release)))
            year += 1

    return Prepared(
        scenario=scn, origin=origin, report_start=report_start, end=end, n_days=n_days,
        clock=clock, month_edges=month_edges, month_labels=labels, intensity_cum=intensity_cum,
        team_track=np.array([TRACKS.index(t.track) for t in scn.teams]),
        team_judges_day=judges_day, support_factor_day=sf,
        initial_judges=[t.judges for t in scn.teams], judge_moves=moves,
        proc_names=proc_names, proc_has_ext=np.array([has_extension(p) for p in procs]),
        proc_track=np.array([TRACKS.index(tr) for tr in procedure_tracks(scn).values()]),
        allowed_base=allowed_base, allowed_ext=allowed_ext, first_filing_day=first_filing_day,
        type_track=type_track, type_proc=type_proc, long_pending_days=np.array(long_days),
        freeze_windows=freeze,
        **hearing_tables,
        warnings=static_warnings([t.name for t in scn.teams], judges_day, origin,
                                 uncovered_years(scn.calendar, origin, int(end)))
        + unplaced_warnings([t.name for t in scn.teams], [(g.team, len(g.filed)) for g in ip.cases]),
    )
