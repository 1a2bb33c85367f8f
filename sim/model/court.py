"""The court at work during one replication: a case's way from filing to closing, in time order.

:class:`Court` is the event loop, written as the court's own steps: a case is filed and
assigned (:meth:`Court.file`, :meth:`Court.assign`), prepared, booked into its judge's next free
hearing slot (:meth:`Court.book_hearing`), heard (:meth:`Court.hear`), adjourned
(:meth:`Court.adjourn`) or settled, drafted on the judge's desk (:meth:`Court.draft`) and closed
(:meth:`Court.close`); a judge who leaves hands the docket on (:meth:`Court.hand_over_docket`).
Its parts live beside it: who gets a case and what happens to a docket when judges come and go
in :mod:`sim.model.dockets`, the desk's queue of judge work and its timing on the working clock
in :mod:`sim.model.desks`.

What needs no queue is arithmetic, not events (see ``shared/design/performance.md``): the
preparation period is a sum of drawn periods, and a hearing is booked by scanning the judge's
slot book (an array indexed by day, with a pointer to the first day that may have room) at the
moment the case is ready. The events are where judges contend for work: the ends of desk work,
on SimPy's event list (``self.env``). Every other step (filing, readiness, a hearing day, a
staff move) is on an agenda merged with SimPy's events in time order (:meth:`Court._loop`), so
it costs no event of its own.
"""
from __future__ import annotations

import heapq
import math

import numpy as np
import simpy

from .desks import (
    BOOKED,
    CLOSED,
    CONVERSION,
    INF,
    JUDGMENT,
    PANEL,
    PREPARING,
    UNHEARD,
    DeskWork,
    first_free,
)
from .dockets import Dockets
from .prepared import JudgeMove, Prepared

HORIZON_SLACK = 1e-7  # days; lets events at exactly the horizon's end run
HEARING_TIME = 0.5    # a hearing is held at midday of its day
MAX_HEARINGS = 4      # the most hearings a case can have (ProcedureHearing.max_hearings)

# agenda steps, in the order they are taken when due at the same time
FILING, READY, STAFF_MOVE, READY_FOR_HEARING, SETTLED_IN_PREPARATION, HEARING = range(6)


class Court(Dockets, DeskWork):
    """One replication's event loop over prepared cases (see the module docstring)."""

    def __init__(self, p: Prepared, cases: dict, draws: dict):
        scn = p.scenario
        self.p = p
        self.T = p.end
        self.n_days = p.n_days
        self.clock = p.clock
        self.edf = scn.queue_discipline == "edf"
        self.least_loaded = scn.assignment == "least_loaded"
        self.mode = scn.docket.mode
        self.pooled = self.mode == "pooled"
        self.specialised = scn.docket.specialised and not self.pooled
        self.hand_over_rule = scn.docket.hand_over
        self.h = scn.hearings
        self.conv_share = scn.triage.conversion_effort_share
        self.ordinary = p.proc_names.index("ordinary")
        self.settle_before = self.h.settle_before_hearing if self.h else 0.0
        self.notice = self.h.notice_days if self.h else 0.0
        self.panel_hours = self.h.panel_hours if self.h else 0.0

        n = len(cases["file_t"])
        self.n = n
        self.file_t = cases["file_t"].tolist()
        self.effort = cases["effort"].tolist()
        self.track = cases["track"].tolist()
        self.ctype = cases["type"].tolist()
        self.convert = cases["convert"].tolist()
        self.proc = cases["proc"].copy()
        self.proc_l = self.proc.tolist()
        self.excluded = cases["excluded"].tolist()
        self.wait = cases["wait"].tolist()
        self.settled = cases["settled"].tolist()
        self.service = cases["service"].tolist()
        self.u_stage = draws["stage"].tolist()
        self.u_when = draws["when"].tolist()
        self.u_adj = draws["adjourn"].ravel().tolist()   # per case MAX_HEARINGS in a row
        self.gap = draws["gap"].ravel().tolist()
        self.u_assign = draws["assign"].ravel().tolist()  # per case: at filing, after conversion
        # listed open cases (the first cases) start on their own team and judge
        self.listed_team = cases["listed_team"].tolist() if "listed_team" in cases else []
        self.listed_seat = cases["listed_seat"].tolist() if "listed_seat" in cases else []
        self.n_listed = len(self.listed_team)
        fday = np.floor(cases["file_t"]).astype(np.int64) - p.first_filing_day
        fday = np.clip(fday, 0, p.allowed_base.shape[1] - 1)
        self.deadline = (np.floor(cases["file_t"]) + p.allowed_base[self.proc, fday] + cases["excluded"]).tolist()
        self.ord_deadline = (np.floor(cases["file_t"]) + p.allowed_base[self.ordinary, fday]
                             + cases["excluded"]).tolist()

        self.desk_factor = p.desk_factor_day.tolist()
        self.cum, self.hrs = self.clock._cum_list, self.clock._hours_list
        self.total_work = self.clock.total
        self.service_factor = p.service_factor_day.tolist()
        self.evidence_factor = p.evidence_factor_day.tolist()
        self.slots = p.slots_day.tolist()
        self.judges_day = p.team_judges_day.tolist()
        self.last_day = p.n_days - 1
        self.answer = p.proc_answer.tolist()
        self.evidence = p.proc_evidence.tolist()
        self.slot_cost = p.proc_slot_cost.tolist()
        self.adjourn_rate = p.proc_adjourn.tolist()
        self.max_hearings = p.proc_max_hearings.tolist()
        self.panel = p.proc_panel.tolist()

        self._seat_judges()

        # per case
        self.case_end = [INF] * n
        self.case_team = [-1] * n
        self.case_desk: list = [None] * n
        self.stage2 = [False] * n
        self.state = [PREPARING] * n
        self.version = [0] * n
        self.held = [0] * n
        self.booked = [(-1, None)] * n         # (day, desk) of the next hearing
        self.job_of = [-1] * n                 # waiting or running job of the case
        self._open_job_book()

    # --- a case's way through the court ---------------------------------------------------
    def file(self, c: int, now: float) -> None:
        """Filing (or the first day for a carried-over case): assignment, then preparation."""
        team = self.assign(c, self.track[c], now) if c >= self.n_listed else self.place_listed(c, now)
        if self.h is None:
            return                           # ready time is on the agenda already
        f = self.file_t[c]
        day = int(f)
        day = 0 if day < 0 else (day if day < self.last_day else self.last_day)
        pr = self.proc_l[c]
        prep = (self.service[c] * self.service_factor[team][day] + self.answer[pr]
                + self.evidence[pr] * self.evidence_factor[team][day])
        if self.settled[c] and self.u_stage[c] < self.settle_before:
            # settled or withdrawn during preparation: the settlement papers are desk work
            t, kind = f + self.u_when[c] * (prep + self.excluded[c]), SETTLED_IN_PREPARATION
            if t < 0 and c < self.n_listed:
                # a listed open case whose settlement would have come before the first day is
                # still open: it did not settle in preparation, so it settles at its hearing
                t, kind = f + prep + self.excluded[c], READY_FOR_HEARING
        else:
            t, kind = f + prep + self.excluded[c], READY_FOR_HEARING
        if t > self.T:
            return                           # beyond the horizon: the case is still pending then
        if t <= now:
            self._do(kind, c, now)
        else:
            heapq.heappush(self.heap, (t, kind, self._seq, c))
            self._seq += 1

    def book_hearing(self, c: int, earliest: float) -> None:
        """排期: the first day with a free slot on the judge's calendar, after the summons notice."""
        d = self.case_desk[c]
        cost = self.slot_cost[self.proc_l[c]]
        if d.used is None:                   # no judge: the case waits for one
            self.state[c] = UNHEARD
            return
        used, cap, n, nxt = d.used, d.cap, self.n_days, d.first_free
        day = int(math.ceil(earliest + self.notice))
        day = 0 if day < 0 else (day if day < n else n)
        if nxt[day] != day:                  # full: skip to the first day with room
            day = first_free(nxt, day)
        while day < n and used[day] + cost > cap[day] + 1e-9:
            day = first_free(nxt, day + 1)
        if day >= n or day + HEARING_TIME > self.T:
            self.state[c] = UNHEARD          # no slot within the horizon: still pending at its end
            self.booked[c] = (-1, None)
            return
        used[day] += cost
        if used[day] >= cap[day] - 1e-9:
            nxt[day] = day + 1
        self.state[c] = BOOKED
        self.booked[c] = (day, d)
        self.hbook[day].append((c, self.version[c]))
        if day < self.hday:
            self.hday = day

    def hear(self, c: int, ver: int) -> None:
        """开庭: the hearing is held; the case converts, settles, is adjourned or goes to judgment."""
        if ver != self.version[c]:
            return                           # re-booked after a hand-over
        now = self.now
        self.booked[c] = (-1, None)
        k = self.held[c]
        self.held[c] = k + 1
        pr = self.proc_l[c]
        if self.panel[pr]:
            self.sit_on_panel(c, now)
        if self.convert[c] and not self.stage2[c]:
            self._job(c, CONVERSION, self.effort[c] * self.conv_share, now)
            return
        if (not self.settled[c] and k + 1 < self.max_hearings[pr]
                and self.u_adj[c * MAX_HEARINGS + k] < self.adjourn_rate[pr]):
            self.adjourn(c, now)
            return
        # judgment, or the settlement papers of a case mediated at the hearing
        self._job(c, JUDGMENT, self.effort[c], now)

    def adjourn(self, c: int, now: float) -> None:
        """延期开庭: back to the calendar, the drawn gap later."""
        self.book_hearing(c, now + self.gap[c * MAX_HEARINGS + self.held[c] - 1])

    def sit_on_panel(self, c: int, now: float) -> None:
        """合议庭: the other panel members' hours, as desk work of another judge of the team."""
        if self.panel_hours <= 0:
            return
        d = self.case_desk[c]
        if self.pooled:
            other = d
        else:
            # the judge with the shortest queue, the earliest arrival on ties (desks are kept in
            # arrival order)
            other, best = None, -1
            for x in self.team_desks[d.team]:
                if x is not d and (other is None or len(x.queue) < best):
                    other, best = x, len(x.queue)
            if other is None:
                return                       # the panel is made up of people's assessors
        self._job(-1, PANEL, self.panel_hours, now, other)

    def draft(self, c: int, now: float) -> None:
        """裁判文书 (or settlement papers): the case's effort on the judge's desk."""
        self._job(c, JUDGMENT, self.effort[c], now)

    def close(self, c: int, now: float) -> None:
        """结案."""
        self.case_end[c] = now
        self.state[c] = CLOSED
        d = self.case_desk[c]
        d.cases.discard(c)
        d.open -= 1
        self.team_open[self.case_team[c]] -= 1

    def move_converted(self, c: int, now: float) -> None:
        """简转普: the case moves to a complex team under ordinary procedure, same filing date."""
        self.stage2[c] = True
        self.proc[c] = self.ordinary
        self.proc_l[c] = self.ordinary
        d = self.case_desk[c]
        d.cases.discard(c)
        d.open -= 1
        self.team_open[self.case_team[c]] -= 1
        self.assign(c, 1, now)
        if self.h is None:
            self.draft(c, now)
        else:
            self.book_hearing(c, now)

    def draft_or_convert(self, c: int, now: float) -> None:
        """Without hearings: the case is ready after its procedural waiting and goes to the desk."""
        if self.convert[c] and not self.stage2[c]:
            self._job(c, CONVERSION, self.effort[c] * self.conv_share, now)
        else:
            self.draft(c, now)

    # --- the agenda and the run -------------------------------------------------------------
    def _do(self, kind: int, c: int, now: float) -> None:
        if kind == READY_FOR_HEARING:
            self.book_hearing(c, now)
        else:
            self.draft(c, now)               # settled in preparation: the settlement papers

    def _loop(self) -> None:
        """Take every step in time order until the horizon.

        Two event lists are merged here. Desk work ending is SimPy's event list (ordered by time,
        then order of scheduling), stepped one event at a time. The agenda is four sources: filings and (without hearings) ready times,
        known before the run and walked by a pointer each; staff moves, likewise; steps whose
        time the run decides, in a heap; and hearings, in a book of lists per day (all held at
        midday, so a day's hearings come in the order they were booked). Ties within the agenda
        go by kind, then as scheduled.

        When desk work ends at the same time as agenda steps, the work ends first (the case
        closes, the judge is free), then the agenda's steps due by then are taken, and only then
        does the judge take the next job: a judge who finishes work on a day sees that day's
        filings and staff moves first, so a judge who leaves today does not pick up one more
        case because the events happened to tie.
        """
        heap = self.heap
        peek, step = self.env.peek, self.env.step
        fil_t, rdy_t, mv_t = self.fil_t, self.rdy_t, self.mv_t
        fi = ri = mi = 0
        n_days = self.n_days
        limit = self.T + HORIZON_SLACK       # work finishing at the horizon's last instant closes
        heappop = heapq.heappop
        job_case, job_kind, j_leaving = self.job_case, self.job_kind, self.j_leaving
        pend = None                          # the desk whose judge just finished, before dispatch
        pnow = 0.0
        while True:
            t = fil_t[fi]
            src = FILING
            x = rdy_t[ri]
            if x < t:
                t, src = x, READY
            x = mv_t[mi]
            if x < t:
                t, src = x, STAFF_MOVE
            if heap and heap[0][0] < t:
                t, src = heap[0][0], READY_FOR_HEARING
            hd = self.hday
            if hd < n_days and hd + HEARING_TIME < t:
                t, src = hd + HEARING_TIME, HEARING
            if pend is not None and t > pnow:
                if pend.queue:
                    self.dispatch(pend, pnow)
                pend = None
            if pend is None:
                te = self.next_end
                if t >= te:
                    if te >= limit:
                        break
                    step()                   # SimPy takes the work that ends first (work_ended)
                    self.next_end = peek()
                    jid, judge, pend = self.ended
                    self.now = self.env_now = pnow = te
                    c = job_case[jid]
                    if c >= 0:
                        if job_kind[jid] == CONVERSION:
                            self.move_converted(c, te)
                        else:
                            self.close(c, te)
                    if not j_leaving[judge]:  # a leaving judge is gone, not free again
                        pend.free.append(judge)
                    continue
                self.now = t
            now = self.now
            if src == FILING:
                fi += 1
                self.file(self.fil_c[fi - 1], now)
            elif src == HEARING:
                self._hold_hearings(hd, t, pend is not None)
            elif src == READY_FOR_HEARING:
                _, kind, _, c = heappop(heap)
                if kind == READY_FOR_HEARING:
                    self.book_hearing(c, now)
                else:
                    self.draft(c, now)       # settled in preparation: the settlement papers
            elif src == READY:
                ri += 1
                self.draft_or_convert(self.rdy_c[ri - 1], now)
            else:
                mi += 1
                self._staff_move(self.p.judge_moves[self.mv_k[mi - 1]], now)

    def _hold_hearings(self, hd: int, t: float, dispatch_due: bool) -> None:
        """Hold day ``hd``'s hearings in the order booked, while nothing else is due first.

        The agenda's steps and the heap are later (a hearing adds to neither), so only desk work
        ending by ``t`` (work of no hours) comes between two hearings; while a desk still waits
        to dispatch (``dispatch_due``), that work is not looked at and the day goes on."""
        hbook, hpos = self.hbook, self.hpos
        day = hbook[hd]
        k = hpos[hd]
        last = len(day)
        while True:
            c, ver = day[k]
            k += 1
            hpos[hd] = k
            self.hear(c, ver)
            if k >= last or (not dispatch_due and self.next_end <= t):
                break
        if k >= last:
            self._next_hearing_day(hd + 1)

    def _staff_move(self, mv: JudgeMove, now: float) -> None:
        """A judge joins (ramping up) or leaves a team as the plan's staff moves say."""
        if mv.delta > 0:
            self.judge_joins(mv.team, now, mv.ramp_days, mv.ramp_start_share)
        else:
            self.judge_leaves(mv.team, now)

    def _next_hearing_day(self, d: int) -> None:
        """Point the hearing book at the first day from ``d`` with hearings still to hold."""
        hbook, hpos, n = self.hbook, self.hpos, self.n_days
        while d < n and hpos[d] >= len(hbook[d]):
            d += 1
        self.hday = d

    def run(self) -> dict:
        """Simulate to the horizon and return the case and job arrays."""
        T = self.T
        file_t = np.maximum(np.asarray(self.file_t), 0.0)   # carried-over cases: on day 0
        self.fil_t, self.fil_c = _sorted_before(file_t, T)
        if self.h is None:
            ready = np.maximum(np.asarray(self.file_t) + np.asarray(self.wait) + np.asarray(self.excluded), 0.0)
            self.rdy_t, self.rdy_c = _sorted_before(ready, T)
        else:
            self.rdy_t, self.rdy_c = [INF], []
        self.mv_t, self.mv_k = _sorted_before(np.array([mv.t for mv in self.p.judge_moves], dtype=float), T)
        self.heap: list = []
        self.env = simpy.Environment()       # desk work ending: events of (job, judge, desk)
        self.ended: tuple = ()
        self.env_now = 0.0                   # SimPy's clock (env.now), kept by the loop
        self.next_end = INF                  # the first desk work to end (env.peek()), likewise
        self._seq = 0
        self.hbook: list[list] = [[] for _ in range(self.n_days)]
        self.hpos = [0] * self.n_days
        self.hday = self.n_days
        self.now = 0.0
        self._loop()
        return {
            "case_end": np.array(self.case_end), "proc": self.proc,
            "case_team": np.array(self.case_team, dtype=np.int32),
            "hearings": np.array(self.held, dtype=np.int32),
            "team": np.array(self.job_team, dtype=np.int32), "ready": np.array(self.job_ready),
            "start": np.array(self.job_start), "end": np.array(self.job_end), "hours": np.array(self.job_hours),
        }


def _sorted_before(t: np.ndarray, T: float) -> tuple[list, list]:
    """(times, indices) of the entries before ``T`` in time order (ties by index), times ending in inf."""
    order = np.argsort(t, kind="stable")
    order = order[t[order] < T]
    return t[order].tolist() + [INF], order.tolist()
