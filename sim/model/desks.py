"""A judge's desk: where judge work queues and is done on the working clock.

A *desk* is the queue of judge work with the judges who take from it: the whole team in the
pooled mode (the next free judge takes the next job: an M/M/c queue), one judge in the docket
modes (a case stays with its presiding judge: c single-server queues). With hearings a desk also
keeps the judge's slot book: hearing slots booked per day, with a skip list to the first day
that has room (:func:`first_free`).

:class:`DeskWork` is the part of :class:`sim.model.court.Court` that puts a job on a desk
(drafting a judgment, the work of a conversion, a panel member's hours), hands it to a free
judge in queue order (first come, or earliest deadline) and times its end on the working clock.
Work that ends is an event on SimPy's event list; the court takes it in :meth:`Court._loop`.
"""
from __future__ import annotations

import heapq
from bisect import bisect_left
from collections import deque

from simpy.events import Event, Timeout

INF = float("inf")

# job kinds on a desk
JUDGMENT, CONVERSION, PANEL = 0, 1, 2
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


class DeskWork:
    """Desk work of the court: jobs, their queues and their timing (a part of ``Court``).

    Uses the court's case lists (``state``, ``job_of``, ``case_desk``, deadlines), its judges'
    ramp-up (``j_join``, ``j_ramp``, ``j_share``), the working clock (``cum``, ``hrs``,
    ``total_work``) and its SimPy environment for work ending (``env``, ``ended``).
    """

    def _open_job_book(self) -> None:
        """Empty lists of jobs: one row per job, in the order the jobs were created."""
        self.job_team: list[int] = []
        self.job_ready: list[float] = []
        self.job_start: list[float] = []
        self.job_end: list[float] = []
        self.job_hours: list[float] = []
        self.job_case: list[int] = []
        self.job_kind: list[int] = []
        self.job_hours_req: list[float] = []

    def _new_queue(self):
        """A desk's queue: first come first served (deque) or earliest deadline first (heap)."""
        return [] if self.edf else deque()

    def _job(self, c: int, kind: int, hours: float, now: float, desk: Desk | None = None) -> None:
        d = self.case_desk[c] if desk is None else desk
        job_team = self.job_team
        jid = len(job_team)
        job_team.append(d.team)
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

    def _remove_queued(self, d: Desk, jid: int) -> None:
        if self.edf:
            d.queue[:] = [x for x in d.queue if x[1] != jid]
            heapq.heapify(d.queue)
        else:
            d.queue = deque(x for x in d.queue if x[0] != jid)

    def work_ended(self, ev: Event) -> None:
        """SimPy's callback when desk work ends: the court's loop takes it from here."""
        self.ended = ev.value

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
            # the end of the work is an event on SimPy's event list: the judge contends for
            # nothing else, and the list orders ends that tie by the order they were scheduled
            # (``env_now`` is SimPy's clock, kept by the loop, which alone steps SimPy; reading
            # it there spares a property call per job)
            Timeout(self.env, end - self.env_now, (jid, judge, d)).callbacks.append(self.work_ended)
            if end < self.next_end:
                self.next_end = end
        self.job_end[jid] = end if end <= self.T else INF


def first_free(nxt: list, d: int) -> int:
    """The first day at or after ``d`` that is not full (path compression on the way)."""
    root = d
    while nxt[root] != root:
        root = nxt[root]
    while nxt[d] != root:
        nxt[d], d = root, nxt[d]
    return root
