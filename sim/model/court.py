"""The court at work during one replication: assignment, dockets, hearings, judgments.

:class:`Court` is the event loop, written as the court's own steps: a case is filed and
assigned (:meth:`Court.file`, :meth:`Court.assign`), prepared, booked into its judge's next free
hearing slot (:meth:`Court.book_hearing`), heard (:meth:`Court.hear`), adjourned
(:meth:`Court.adjourn`) or settled, drafted on the judge's desk (:meth:`Court.draft`) and closed
(:meth:`Court.close`); a judge who leaves hands the docket on (:meth:`Court.hand_over_docket`).

What needs no queue is arithmetic, not events (see ``shared/design/performance.md``): the
preparation period is a sum of drawn periods, and a hearing is booked by scanning the judge's
slot book (an array indexed by day, with a pointer to the first day that may have room) at the
moment the case is ready. The only events are the ends of desk work, on a heap ordered as a
discrete-event list orders them (time, then order of scheduling); every other step (filing,
readiness, a hearing day, a staff move) is on an agenda merged with them in time order
(:meth:`Court._loop`), so it costs no event of its own. (The court used SimPy's event list
for the desk work until it cost a third of a replication: a timeout object, a scheduling call
and a callback per job, for an event that is only a time and a job. The heap orders the same
events identically, so the results did not change by a bit.)

A *desk* is where judge work queues: the whole team in the pooled mode (the next free judge
takes the next job: an M/M/c queue), one judge in the docket modes (a case stays with its
presiding judge: c single-server queues).
"""
from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from collections import deque

import numpy as np

from .prepared import Prepared

INF = float("inf")
HORIZON_SLACK = 1e-7  # days; lets events at exactly the horizon's end run
HEARING_TIME = 0.5    # a hearing is held at midday of its day
MAX_HEARINGS = 4      # the most hearings a case can have (ProcedureHearing.max_hearings)

# job kinds on a desk
JUDGMENT, CONVERSION, PANEL = 0, 1, 2
# agenda steps, in the order they are taken when due at the same time
FILING, READY, STAFF_MOVE, READY_FOR_HEARING, SETTLED_IN_PREPARATION, HEARING = range(6)
# case states (for hand-over)
PREPARING, BOOKED, QUEUED, AT_DESK, CLOSED, UNHEARD = range(6)


class Desk:
    """A queue of judge work with its judges and, with hearings, its slot book."""

    __slots__ = ("team", "free", "queue", "open", "cases", "used", "cap", "first_free", "active", "order",
                 "specialty", "judge")

    def __init__(self, team: int, cap: list, n_days: int, order: int, first_free: list | None = None):
        self.team = team
        self.free: list[int] = []            # free judges (ids)
        self.queue = None                     # deque (FIFO) or heap (EDF) of waiting jobs
        self.open = 0                         # open cases on this docket (for the lightest docket)
        self.cases: set[int] = set()          # open case ids (for hand-over)
        self.used = [0.0] * n_days if cap is not None else None  # hearing slots booked per day
        self.cap = cap                        # hearing slots available per day
        # skip list over full days: following first_free[d] links from d reaches the first day
        # at or after d with room (union-find with path compression), so booking into a long
        # calendar costs about as much as booking into an empty one
        self.first_free = None
        if cap is not None:
            self.first_free = (list(first_free) if first_free is not None else
                               [d + 1 if cap[d] <= 1e-9 else d for d in range(n_days)] + [n_days])
        self.active = True
        self.order = order                    # arrival order (the most recent judge leaves first)
        self.specialty = -1                   # case type index, -1 = any
        self.judge = -1                       # the judge of a docket desk


class Court:
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
        self.u_assign = draws["assign"].tolist()
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

        n_teams = len(scn.teams)
        self.n_teams = n_teams
        self.track_teams = [[i for i in range(n_teams) if p.team_track[i] == k] for k in (0, 1)]
        self.track_types = [[k for k, c in enumerate(scn.case_types) if p.type_track[k] == t] for t in (0, 1)]
        self.rot = [[0.0] * n_teams, [0.0] * n_teams]
        self.team_open = [0] * n_teams
        # judges: speed ramps from `share` to 1 over `ramp` days after joining
        self.j_join: list[float] = []
        self.j_ramp: list[float] = []
        self.j_share: list[float] = []
        self.j_leaving: list[bool] = []
        self.j_desk: list[Desk] = []
        # desks: pooled = one per team; dockets = one per judge, plus one without judge per team
        # that holds cases while the team has nobody (they wait: see the team_without_judges warning)
        self.team_desks: list[list[Desk]] = [[] for _ in range(n_teams)]
        self.orphans: list[Desk] = []
        self.turn = [0] * n_teams            # rotation pointer within each team
        self.type_turn: dict[tuple[int, int], int] = {}
        self.n_desks = 0
        self.free_days: dict[int, list] = {}  # a team's empty skip list, copied for each new desk
        for i in range(n_teams):
            if self.pooled:
                cap = None
                if self.h is not None:
                    cap = [s * j for s, j in zip(self.slots[i], self.judges_day[i])]
                d = self._new_desk(i, cap)
                self.team_desks[i].append(d)
                for _ in range(p.initial_judges[i]):
                    d.free.append(self._new_judge(d, 0.0))
                self.orphans.append(d)
            else:
                self.orphans.append(self._new_desk(i, None))
                self.orphans[i].active = False
                for _ in range(p.initial_judges[i]):
                    self.judge_joins(i, 0.0)

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
        # jobs
        self.job_team: list[int] = []
        self.job_ready: list[float] = []
        self.job_start: list[float] = []
        self.job_end: list[float] = []
        self.job_hours: list[float] = []
        self.job_case: list[int] = []
        self.job_kind: list[int] = []
        self.job_hours_req: list[float] = []

    # --- staff --------------------------------------------------------------------------
    def _new_desk(self, team: int, cap) -> Desk:
        d = Desk(team, cap, self.n_days, self.n_desks, self.free_days.get(team))
        if cap is not None and team not in self.free_days:
            self.free_days[team] = list(d.first_free)   # every judge of a team has the same slot days
        self.n_desks += 1
        d.queue = [] if self.edf else deque()
        return d

    def _new_judge(self, desk: Desk, t: float, ramp: float = 0.0, share: float = 1.0) -> int:
        jid = len(self.j_join)
        self.j_join.append(t)
        self.j_ramp.append(ramp)
        self.j_share.append(share)
        self.j_leaving.append(False)
        self.j_desk.append(desk)
        return jid

    def judge_joins(self, team: int, now: float, ramp: float = 0.0, share: float = 1.0) -> None:
        """A judge arrives: in a pooled team one more server; otherwise a new docket from today."""
        if self.pooled:
            d = self.team_desks[team][0]
            d.free.append(self._new_judge(d, now, ramp, share))
            self.dispatch(d, now)
            return
        cap = self.slots[team] if self.h is not None else None
        d = self._new_desk(team, cap)
        if cap is not None:
            for day in range(min(max(int(math.ceil(now)), 0), self.n_days)):
                d.first_free[day] = day + 1   # no hearings before the judge is here
        if self.specialised and self.track_types[self._team_track(team)]:
            types = self.track_types[self._team_track(team)]
            d.specialty = types[len(self.team_desks[team]) % len(types)]
        d.judge = self._new_judge(d, now, ramp, share)
        d.free.append(d.judge)
        self.team_desks[team].append(d)
        orphan = self.orphans[team]
        if orphan.cases:
            self.hand_over_docket(orphan, now)

    def judge_leaves(self, team: int, now: float) -> None:
        """A judge leaves (secondment ends, transfer): the most recent arrival of the team."""
        if self.pooled:
            d = self.team_desks[team][0]
            if d.free:
                self.j_leaving[d.free.pop()] = True   # gone
            else:
                busy = [j for j in range(len(self.j_desk)) if self.j_desk[j] is d and not self.j_leaving[j]
                        and j not in d.free]
                if busy:
                    self.j_leaving[min(busy)] = True
            return
        desks = [d for d in self.team_desks[team] if d.active]
        if not desks:
            return
        d = max(desks, key=lambda x: x.order)
        d.active = False
        self.team_desks[team].remove(d)
        if not d.free:
            self.j_leaving[d.judge] = True   # finishes the job at hand, then goes
        d.free.clear()
        self.hand_over_docket(d, now)

    def hand_over_docket(self, d: Desk, now: float) -> None:
        """Give every open case of a desk (but the one being drafted) to the team's remaining judges."""
        team = d.team
        for c in sorted(d.cases):
            st = self.state[c]
            if st == AT_DESK:
                continue                    # the leaving judge finishes it
            nd = self._pick_desk(c, team, self.hand_over_rule)
            d.cases.discard(c)
            d.open -= 1
            self._put_on(c, nd)
            if st == BOOKED:
                day, old = self.booked[c]
                if old is not None and day >= 0:
                    old.used[day] -= self.slot_cost[self.proc_l[c]]
                    old.first_free[day] = day
                self.version[c] += 1
                self.book_hearing(c, now)
            elif st == UNHEARD:
                self.book_hearing(c, now)
            elif st == QUEUED:
                jid = self.job_of[c]
                self._remove_queued(d, jid)
                self._enqueue(nd, jid, c, now)
        if d.queue:                         # panel work of a leaving judge goes with the docket
            rest = list(d.queue)
            d.queue.clear()
            for item in rest:
                jid = item[-2]
                self._enqueue(self._pick_desk(-1, team, "lightest"), jid, -1, now)

    def _remove_queued(self, d: Desk, jid: int) -> None:
        if self.edf:
            d.queue[:] = [x for x in d.queue if x[1] != jid]
            heapq.heapify(d.queue)
        else:
            d.queue = deque(x for x in d.queue if x[0] != jid)

    # --- assignment -----------------------------------------------------------------------
    def _team_track(self, team: int) -> int:
        return int(self.p.team_track[team])

    def pick_team(self, trk: int, now: float) -> int:
        """The team of a track that receives the case (轮案 over teams by judges present, or least loaded)."""
        cand = self.track_teams[trk]
        if len(cand) == 1:
            return cand[0]
        day = min(max(int(now), 0), self.last_day)
        if self.least_loaded:
            best, best_load = cand[0], INF
            for i in cand:
                cap = self.judges_day[i][day]
                load = (self.team_open[i] + 1) / cap if cap > 0 else INF
                if load < best_load:
                    best, best_load = i, load
            return best
        # smooth weighted round-robin over teams, weights = judges present today
        cur = self.rot[trk]
        total = 0.0
        best = cand[0]
        for i in cand:
            w = self.judges_day[i][day]
            cur[i] += w
            total += w
            if cur[i] > cur[best]:
                best = i
        cur[best] -= total
        return best

    def _pick_desk(self, c: int, team: int, rule: str) -> Desk:
        """The presiding judge's desk within a team, by ``rule`` (rotation, random, lightest)."""
        desks = self.team_desks[team]
        if self.pooled:
            return desks[0]
        if not desks:
            return self.orphans[team]
        if self.specialised and c >= 0:
            own = [d for d in desks if d.specialty == self.ctype[c]]
            if own:
                desks = own
        if rule == "lightest":
            return min(desks, key=lambda d: (d.open, d.order))
        if rule == "random":
            u = self.u_assign[c][1 if self.stage2[c] else 0] if c >= 0 else 0.5
            return desks[min(int(u * len(desks)), len(desks) - 1)]
        if self.specialised and c >= 0:
            key = (team, self.ctype[c])
            k = self.type_turn.get(key, 0)
            self.type_turn[key] = k + 1
        else:
            k = self.turn[team]
            self.turn[team] = k + 1
        return desks[k % len(desks)]

    def _put_on(self, c: int, d: Desk) -> None:
        self.case_desk[c] = d
        d.cases.add(c)
        d.open += 1

    def assign(self, c: int, trk: int, now: float) -> int:
        """分案: the team of the track, then the presiding judge within it; returns the team."""
        cand = self.track_teams[trk]
        team = cand[0] if len(cand) == 1 else self.pick_team(trk, now)
        self.case_team[c] = team
        self.team_open[team] += 1
        d = self.team_desks[team][0] if self.pooled else self._pick_desk(c, team, self.mode)
        self.case_desk[c] = d
        d.cases.add(c)
        d.open += 1
        return team

    # --- a case's way through the court ---------------------------------------------------
    def file(self, c: int, now: float) -> None:
        """Filing (or the first day for a carried-over case): assignment, then preparation."""
        team = self.assign(c, self.track[c], now)
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
        day = _first_free(nxt, min(max(int(math.ceil(earliest + self.notice)), 0), n))
        while day < n and used[day] + cost > cap[day] + 1e-9:
            day = _first_free(nxt, day + 1)
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

    # --- desk work ----------------------------------------------------------------------
    def _job(self, c: int, kind: int, hours: float, now: float, desk: Desk | None = None) -> None:
        d = self.case_desk[c] if desk is None else desk
        jid = len(self.job_team)
        self.job_team.append(d.team)
        self.job_ready.append(now)
        self.job_start.append(INF)
        self.job_end.append(INF)
        self.job_hours.append(0.0)
        self.job_case.append(c)
        self.job_kind.append(kind)
        self.job_hours_req.append(hours)
        if d.free and not d.queue:           # the usual case on a docket: straight to work
            if c >= 0:
                self.job_of[c] = jid
            self._start(d, jid, c, d.free.pop(), now)
        else:
            self._enqueue(d, jid, c, now)

    def _enqueue(self, d: Desk, jid: int, c: int, now: float) -> None:
        if c >= 0:
            self.state[c] = QUEUED
            self.job_of[c] = jid
        self.job_team[jid] = d.team
        if d.free and not d.queue:
            self._start(d, jid, c, d.free.pop(), now)
            return
        if self.edf:
            key = -INF if c < 0 else (self.ord_deadline[c] if self.stage2[c] else self.deadline[c])
            heapq.heappush(d.queue, (key, jid, c))
        else:
            d.queue.append((jid, c))
        if d.free:                           # freed by work ending now, before its own dispatch
            self.dispatch(d, now)

    def dispatch(self, d: Desk, now: float) -> None:
        """Give waiting jobs to the desk's free judges."""
        while d.free and d.queue:
            if self.edf:
                _, jid, c = heapq.heappop(d.queue)
            else:
                jid, c = d.queue.popleft()
            self._start(d, jid, c, d.free.pop(), now)

    def _start(self, d: Desk, jid: int, c: int, judge: int, now: float) -> None:
        team = d.team
        day = int(now)
        work = self.job_hours_req[jid] * self.desk_factor[team][day if day < self.last_day else self.last_day]
        ramp = self.j_ramp[judge]
        if ramp > 0:
            age = now - self.j_join[judge]
            if age < ramp:
                share = self.j_share[judge]
                work /= share + (1.0 - share) * age / ramp
        # WorkClock.finish inline (same arithmetic): the hottest few lines of the model
        cum, hrs = self.cum, self.hrs
        if now <= 0:
            target = work
        else:
            k = int(now)
            target = (self.total_work if k >= self.n_days else cum[k] + (now - k) * hrs[k]) + work
        if target > self.total_work:
            end = INF
        elif work <= 0:
            end = now
        else:
            k = bisect_left(cum, target) - 1
            end = k + (target - cum[k]) / hrs[k]
        self.job_start[jid] = now
        self.job_hours[jid] = work
        if c >= 0:
            self.state[c] = AT_DESK
        if end <= self.T:
            # timed as an event list keeps time: the time of the work that ended last plus the
            # delay (the same floating-point sum as before, so results stay identical)
            at = self.end_now + (end - self.end_now)
            heapq.heappush(self.ends, (at, self._eid, jid, judge, d))
            self._eid += 1
        self.job_end[jid] = end if end <= self.T else INF

    # --- the agenda and the run -------------------------------------------------------------
    def _do(self, kind: int, c: int, now: float) -> None:
        if kind == READY_FOR_HEARING:
            self.book_hearing(c, now)
        else:
            self.draft(c, now)               # settled in preparation: the settlement papers

    def _loop(self) -> None:
        """Take every step in time order until the horizon.

        Two event lists are merged here. Desk work ending is a heap ordered by (time, order of
        scheduling). The agenda is four sources: filings and (without hearings) ready times,
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
        heap, hbook, hpos, ends = self.heap, self.hbook, self.hpos, self.ends
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
                te = ends[0][0] if ends else INF
                if t >= te:
                    if te >= limit:
                        break
                    _, _, jid, judge, pend = heappop(ends)
                    self.now = self.end_now = pnow = te
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
                k = hpos[hd]
                c, ver = hbook[hd][k]
                hpos[hd] = k + 1
                if k + 1 >= len(hbook[hd]):
                    self._next_hearing_day(hd + 1)
                self.hear(c, ver)
            elif src == READY_FOR_HEARING:
                _, kind, _, c = heappop(heap)
                self._do(kind, c, now)
            elif src == READY:
                ri += 1
                self.draft_or_convert(self.rdy_c[ri - 1], now)
            else:
                mi += 1
                mv = self.p.judge_moves[self.mv_k[mi - 1]]
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

    def draft_or_convert(self, c: int, now: float) -> None:
        """Without hearings: the case is ready after its procedural waiting and goes to the desk."""
        if self.convert[c] and not self.stage2[c]:
            self._job(c, CONVERSION, self.effort[c] * self.conv_share, now)
        else:
            self.draft(c, now)

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
        self.ends: list = []                 # desk work ending: (time, order, job, judge, desk)
        self._eid = 0
        self.end_now = 0.0
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


def _first_free(nxt: list, d: int) -> int:
    """The first day at or after ``d`` that is not full (path compression on the way)."""
    root = d
    while nxt[root] != root:
        root = nxt[root]
    while nxt[d] != root:
        nxt[d], d = root, nxt[d]
    return root
