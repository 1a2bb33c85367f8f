"""The case-flow model: one replication as a SimPy simulation.

What needs no queue is computed directly from blocks of random numbers (the dispute stream,
pre-filing mediation, triage, effort, procedural waiting, excluded periods); only the part
where cases contend for judges runs on SimPy's event list. A team is a count of free judges
and a queue; a case that becomes ready, and a judge who finishes, are callbacks on SimPy
timeouts, so a case costs about two events (see ``shared/design/performance.md``).

The result is a :class:`Records` of NumPy arrays (one row per dispute, case and judge job)
from which :mod:`sim.model.figures` computes every reported figure.
"""
from __future__ import annotations

import gc
import heapq
from collections import deque
from dataclasses import dataclass

import numpy as np
import simpy

from .prepared import Prepared
from .streams import inverse_cdf, make_streams, uniforms

INF = float("inf")
HORIZON_SLACK = 1e-7  # days; lets events at exactly the horizon's end run


@dataclass
class Records:
    """What one replication produced. Times are days from the simulation origin."""

    # disputes (arrivals before pre-filing mediation)
    arrival_t: np.ndarray
    mediated: np.ndarray           # sent to pre-filing mediation
    mediation_end_t: np.ndarray    # inf when not mediated
    resolved: np.ndarray           # resolved in mediation, never filed
    # cases (formal filings and the carried-over pending caseload)
    file_t: np.ndarray
    end_t: np.ndarray              # inf while pending
    proc: np.ndarray               # index into Prepared.proc_names, after any conversion
    excluded: np.ndarray           # days excluded from the clock, starting at filing
    initial: np.ndarray            # carried over at the start
    converted: np.ndarray
    first_track: np.ndarray
    team: np.ndarray               # team that holds (or closed) the case; -1 if never assigned
    # judge jobs (a converted case has two)
    job_team: np.ndarray
    job_ready_t: np.ndarray
    job_start_t: np.ndarray        # inf when not started
    job_end_t: np.ndarray          # inf when not finished
    job_hours: np.ndarray          # judge working hours the job occupies


def _arrivals(p: Prepared, rng: np.random.Generator) -> np.ndarray:
    """Non-homogeneous Poisson arrivals by time-rescaling a unit-rate process."""
    total = p.intensity_cum[-1]
    n_guess = int(total + 6 * np.sqrt(total) + 20)
    s = np.cumsum(rng.standard_exponential(n_guess))
    while s[-1] < total:  # rare: extend the same stream
        s = np.concatenate([s, s[-1] + np.cumsum(rng.standard_exponential(n_guess))])
    s = s[s < total]
    days = np.arange(len(p.intensity_cum), dtype=float)
    return np.interp(s, p.intensity_cum, days)


def _mediation(p: Prepared, arrival: np.ndarray, rng: np.random.Generator):
    med = p.scenario.mediation
    n = len(arrival)
    u_off, u_ok, u_dur = uniforms(rng, n), uniforms(rng, n), uniforms(rng, n)
    offered = u_off < med.share_offered
    ok = u_ok < med.success_rate
    dur = np.minimum(inverse_cdf(med.duration, u_dur), med.max_days)
    end = np.full(n, INF)
    idx = np.flatnonzero(offered)
    if med.mediators is None:
        end[idx] = arrival[idx] + dur[idx]
    else:
        # FIFO multi-server queue in arrival order. The mediation period (max_days) runs from
        # the dispute's arrival, so time spent waiting for a mediator uses it up; a dispute
        # whose period ends first is filed then, unresolved.
        free = [0.0] * med.mediators
        arr, du = arrival[idx].tolist(), dur[idx].tolist()
        out, in_time = [], []
        limit = med.max_days
        for a, d in zip(arr, du):
            f = free[0]
            s = a if a > f else f
            stop = a + limit
            if s >= stop:
                out.append(stop)
                in_time.append(False)
                continue
            e = s + d
            done = e <= stop + 1e-9
            e = e if done else stop
            heapq.heapreplace(free, e)
            out.append(e)
            in_time.append(done)
        end[idx] = out
        ok[idx] &= np.array(in_time, dtype=bool)
    resolved = offered & ok
    return offered, end, resolved


def simulate(p: Prepared, replication: int, seed: int | None = None) -> Records:
    """Run one replication of the prepared scenario and return its records."""
    scn = p.scenario
    rs = make_streams(scn.seed if seed is None else seed, replication)
    T = p.end

    # --- disputes and pre-filing mediation (no capacity contention with judges)
    arrival = _arrivals(p, rs["arrivals"])
    offered, med_end, resolved = _mediation(p, arrival, rs["mediation"])
    n = len(arrival)
    file_all = np.where(offered, med_end, arrival)
    for a, b, release in p.freeze_windows:
        file_all = np.where((file_all >= a) & (file_all < b), release, file_all)
    # per-dispute attributes, drawn for every dispute so the same dispute keeps its draws
    u_type = uniforms(rs["case_type"], n)
    u_route, u_conv = uniforms(rs["triage"], n), uniforms(rs["triage"], n)
    u_eff = uniforms(rs["effort"], n)
    u_wait = uniforms(rs["waiting"], n)
    ex = rs["excluded"]
    u_pn, u_ap, u_apd = uniforms(ex, n), uniforms(ex, n), uniforms(ex, n)
    u_set = uniforms(rs["settlement"], n)

    filed = (~resolved) & (file_all < T)
    f_idx = np.flatnonzero(filed)
    cum_share = np.cumsum([c.share for c in scn.case_types])
    ctype = np.minimum(np.searchsorted(cum_share / cum_share[-1], u_type[f_idx], side="right"), len(cum_share) - 1)
    new = _case_attributes(p, ctype, u_route[f_idx], u_conv[f_idx], u_eff[f_idx], u_wait[f_idx],
                           u_pn[f_idx], u_ap[f_idx], u_apd[f_idx], u_set[f_idx])
    new["file_t"] = file_all[f_idx]

    init = _initial_pending(p, rs["initial"])
    cases = {k: np.concatenate([init[k], new[k]]) for k in new}
    n_init = len(init["file_t"])
    initial_flag = np.zeros(len(cases["file_t"]), dtype=bool)
    initial_flag[:n_init] = True

    # the event loop allocates many short-lived tuples and events; the cyclic collector's
    # passes over them cost ~10 % and free nothing until the run ends
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        jobs = _run_queues(p, cases, rs["assignment"])
    finally:
        if gc_was_on:
            gc.enable()
    return Records(
        arrival_t=arrival, mediated=offered, mediation_end_t=med_end, resolved=resolved,
        file_t=cases["file_t"], end_t=jobs["case_end"], proc=jobs["proc"], excluded=cases["excluded"],
        initial=initial_flag, converted=cases["convert"], first_track=cases["track"], team=jobs["case_team"],
        job_team=jobs["team"], job_ready_t=jobs["ready"], job_start_t=jobs["start"],
        job_end_t=jobs["end"], job_hours=jobs["hours"],
    )


def _case_attributes(p: Prepared, ctype, u_route, u_conv, u_eff, u_wait, u_pn, u_ap, u_apd, u_set) -> dict:
    """Track, procedure, effort, waiting and excluded days for cases of the given types."""
    scn = p.scenario
    m = len(ctype)
    own_track = p.type_track[ctype]
    routed_ok = u_route < scn.triage.accuracy
    track = np.where(routed_ok, own_track, 1 - own_track)
    proc = np.where(routed_ok, p.type_proc[ctype],
                    np.where(track == 0, p.proc_names.index("simple"), p.proc_names.index("ordinary")))
    conv_p = np.where(routed_ok, scn.triage.conversion_rate, scn.triage.misrouted_conversion_rate)
    convert = (track == 0) & (u_conv < conv_p)
    effort = np.empty(m)
    waiting = np.empty(m)
    excluded = np.zeros(m)
    settled = np.zeros(m, dtype=bool)
    for k, ct in enumerate(scn.case_types):
        sel = ctype == k
        if not sel.any():
            continue
        effort[sel] = inverse_cdf(ct.effort, u_eff[sel])
        waiting[sel] = inverse_cdf(ct.waiting, u_wait[sel])
        settled[sel] = u_set[sel] < ct.settlement_rate
        pn = u_pn[sel] < ct.public_notice_rate
        ap = u_ap[sel] < ct.appraisal_rate
        excluded[sel] = np.where(pn, scn.excluded.public_notice_days, 0.0) + np.where(
            ap, inverse_cdf(scn.excluded.appraisal, u_apd[sel]), 0.0)
        effort[sel] *= np.where(settled[sel], ct.settlement_effort_factor, 1.0)
    return {"type": ctype, "track": track, "proc": proc, "convert": convert, "effort": effort,
            "wait": waiting, "excluded": excluded}


def _initial_pending(p: Prepared, rng: np.random.Generator) -> dict:
    """The carried-over caseload: ages from the age profile, attributes as new cases."""
    scn = p.scenario
    ip = scn.initial_pending
    parts = []
    for track_i, count in enumerate((ip.simple, ip.complex)):
        if count == 0:
            continue
        types = [k for k, c in enumerate(scn.case_types) if p.type_track[k] == track_i]
        if not types:
            # a track with pending cases but no case type: use the track's most common behaviour
            types = list(range(len(scn.case_types)))
        w = np.array([scn.case_types[k].share for k in types], dtype=float)
        w = w / w.sum() if w.sum() > 0 else np.full(len(types), 1 / len(types))
        u = rng.random((8, count))
        ctype = np.array(types)[np.minimum(np.searchsorted(np.cumsum(w), u[0], side="right"), len(types) - 1)]
        lo = np.array([0.0] + [b.max_months for b in ip.age_profile[:-1]])
        hi = np.array([b.max_months for b in ip.age_profile])
        share = np.array([b.share for b in ip.age_profile])
        band = np.minimum(np.searchsorted(np.cumsum(share) / share.sum(), u[1], side="right"), len(share) - 1)
        age_days = (lo[band] + (hi[band] - lo[band]) * u[2]) * 30.4375
        attrs = _case_attributes(p, ctype, np.zeros(count), u[3], u[4], u[5], u[6], u[7], rng.random(count),
                                 rng.random(count))
        attrs["convert"] = np.zeros(count, dtype=bool)  # already past triage and any conversion
        attrs["file_t"] = -age_days
        parts.append(attrs)
    keys = ("type", "track", "proc", "convert", "effort", "wait", "excluded", "file_t")
    if not parts:
        return {k: np.zeros(0, dtype=float if k in ("effort", "wait", "excluded", "file_t") else
                            (bool if k == "convert" else int)) for k in keys}
    return {k: np.concatenate([q[k] for q in parts]) for k in keys}


class _Team:
    __slots__ = ("free", "queue", "assigned", "members")

    def __init__(self):
        self.free: list[int] = []          # free judge ids
        self.queue = None                   # deque (FIFO) or heap (EDF)
        self.assigned = 0                   # open cases assigned to the team (for least-loaded)
        self.members: set[int] = set()


def _run_queues(p: Prepared, cases: dict, rng: np.random.Generator) -> dict:
    """Assignment to teams and judge work on SimPy's event list."""
    scn = p.scenario
    env = simpy.Environment()
    T = p.end
    clock = p.clock
    edf = scn.queue_discipline == "edf"
    least_loaded = scn.assignment == "least_loaded"
    conv_share = scn.triage.conversion_effort_share
    ordinary = p.proc_names.index("ordinary")

    n = len(cases["file_t"])
    file_t = cases["file_t"].tolist()
    ready_t = np.maximum(cases["file_t"] + cases["wait"] + cases["excluded"], 0.0)
    ready_l = ready_t.tolist()
    effort = cases["effort"].tolist()
    track = cases["track"].tolist()
    convert = cases["convert"].tolist()
    proc = cases["proc"].copy()
    # EDF key: the base deadline in simulation days (limit from filing plus excluded days)
    fday = np.floor(cases["file_t"]).astype(np.int64) - p.first_filing_day
    fday = np.clip(fday, 0, p.allowed_base.shape[1] - 1)
    deadline = (np.floor(cases["file_t"]) + p.allowed_base[proc, fday] + cases["excluded"]).tolist()
    ord_deadline = (np.floor(cases["file_t"]) + p.allowed_base[ordinary, fday] + cases["excluded"]).tolist()

    n_teams = len(scn.teams)
    teams = [_Team() for _ in range(n_teams)]
    for t in teams:
        t.queue = [] if edf else deque()
    track_teams = [[i for i in range(n_teams) if p.team_track[i] == k] for k in (0, 1)]
    rot = [[0.0] * n_teams, [0.0] * n_teams]
    sf = p.support_factor_day.tolist()       # Python lists: scalar access in the hot path
    sf_last = p.support_factor_day.shape[1] - 1
    judges_day = p.team_judges_day.tolist()

    # judges: speed ramps from `share` to 1 over `ramp` days after joining
    j_team: list[int] = []
    j_join: list[float] = []
    j_ramp: list[float] = []
    j_share: list[float] = []
    j_leaving: list[bool] = []

    def new_judge(team: int, t: float, ramp: float = 0.0, share: float = 1.0) -> int:
        jid = len(j_team)
        j_team.append(team)
        j_join.append(t)
        j_ramp.append(ramp)
        j_share.append(share)
        j_leaving.append(False)
        teams[team].members.add(jid)
        return jid

    for i, count in enumerate(p.initial_judges):
        for _ in range(count):
            teams[i].free.append(new_judge(i, 0.0))

    case_end = [INF] * n
    case_team = [-1] * n
    stage2 = [False] * n
    job_team: list[int] = []
    job_ready: list[float] = []
    job_start: list[float] = []
    job_end: list[float] = []
    job_hours: list[float] = []

    def pick_team(trk: int, now: float) -> int:
        cand = track_teams[trk]
        if len(cand) == 1:
            return cand[0]
        if least_loaded:
            best, best_load = cand[0], INF
            day = min(max(int(now), 0), sf_last)
            for i in cand:
                cap = judges_day[i][day]
                load = (teams[i].assigned + 1) / cap if cap > 0 else INF
                if load < best_load:
                    best, best_load = i, load
            return best
        # 轮案 per judge: smooth weighted round-robin over teams, weights = judges present today
        day = min(max(int(now), 0), sf_last)
        cur = rot[trk]
        total = 0.0
        best = cand[0]
        for i in cand:
            w = judges_day[i][day]
            cur[i] += w
            total += w
            if cur[i] > cur[best]:
                best = i
        cur[best] -= total
        return best

    def enqueue(c: int, team: int, now: float) -> None:
        tm = teams[team]
        jid = len(job_team)
        job_team.append(team)
        job_ready.append(now)
        job_start.append(INF)
        job_end.append(INF)
        job_hours.append(0.0)
        if tm.free and not tm.queue:
            start(c, jid, tm.free.pop(), now)
            return
        if edf:
            heapq.heappush(tm.queue, (ord_deadline[c] if stage2[c] else deadline[c], jid, c))
        else:
            tm.queue.append((jid, c))
        dispatch(team, now)

    def start(c: int, jid: int, judge: int, now: float) -> None:
        team = job_team[jid]
        work = effort[c]
        if convert[c] and not stage2[c]:
            work *= conv_share
        day = int(now)
        work *= sf[team][day if day < sf_last else sf_last]
        ramp = j_ramp[judge]
        if ramp > 0:
            age = now - j_join[judge]
            if age < ramp:
                share = j_share[judge]
                work /= share + (1.0 - share) * age / ramp
        end = clock.finish(now, work)
        job_start[jid] = now
        job_hours[jid] = work
        if end <= T:
            ev = simpy.events.Timeout(env, end - now, (c, jid, judge))
            ev.callbacks.append(on_finish)
        job_end[jid] = end if end <= T else INF

    def dispatch(team: int, now: float) -> None:
        """Give queued cases to the team's free judges."""
        tm = teams[team]
        while tm.free and tm.queue:
            if edf:
                _, jid, c = heapq.heappop(tm.queue)
            else:
                jid, c = tm.queue.popleft()
            start(c, jid, tm.free.pop(), now)

    def on_finish(ev) -> None:
        c, jid, judge = ev.value
        now = env.now
        team = job_team[jid]
        tm = teams[team]
        if convert[c] and not stage2[c]:
            # 简转普: the case moves to a complex team under ordinary procedure, same filing date
            stage2[c] = True
            proc[c] = ordinary
            tm.assigned -= 1
            nt = pick_team(1, now)
            case_team[c] = nt
            teams[nt].assigned += 1
            enqueue(c, nt, now)
        else:
            case_end[c] = now
            tm.assigned -= 1
        if j_leaving[judge]:
            tm.members.discard(judge)
        else:
            tm.free.append(judge)
        # filings, readiness and staff moves due by now come first, so a judge who leaves
        # today does not pick up one more case because the events happened to tie
        drain_agenda(now)
        dispatch(team, now)

    def judge_move(now: float, team: int, delta: int, ramp: float, share: float) -> None:
        tm = teams[team]
        if delta > 0:
            tm.free.append(new_judge(team, now, ramp, share))
            dispatch(team, now)
        else:
            if tm.free:
                j = tm.free.pop()
                tm.members.discard(j)
            else:
                busy = [j for j in tm.members if not j_leaving[j]]
                if busy:
                    j_leaving[min(busy)] = True

    # External agenda: filings (assignment), readiness (join a team's queue), staff moves.
    # Processed in time order by one chained timeout, which keeps SimPy's heap small.
    agenda = []
    order = np.argsort(cases["file_t"], kind="stable")
    if least_loaded:
        agenda.extend((file_t[c], 0, c) for c in order.tolist() if file_t[c] < T)
    else:
        for c in order.tolist():  # rotation needs no state: assign in filing order up front
            trk = track[c]
            case_team[c] = pick_team(trk, file_t[c])
            teams[case_team[c]].assigned += 1
    agenda.extend((ready_l[c], 1, c) for c in range(n) if ready_l[c] < T)
    for k, mv in enumerate(p.judge_moves):
        if mv.t < T:
            agenda.append((mv.t, 2, k))
    agenda.sort()
    pos = [0]

    def drain_agenda(now: float) -> None:
        i = pos[0]
        while i < len(agenda) and agenda[i][0] <= now:
            _, kind, x = agenda[i]
            i += 1
            pos[0] = i
            if kind == 1:
                enqueue(x, case_team[x], now)
            elif kind == 0:
                case_team[x] = pick_team(track[x], now)
                teams[case_team[x]].assigned += 1
            else:
                mv = p.judge_moves[x]
                judge_move(now, mv.team, mv.delta, mv.ramp_days, mv.ramp_start_share)

    def on_agenda(ev) -> None:
        now = env.now
        drain_agenda(now)
        i = pos[0]
        if i < len(agenda):
            nxt = simpy.events.Timeout(env, agenda[i][0] - now)
            nxt.callbacks.append(on_agenda)

    if agenda:
        first = simpy.events.Timeout(env, max(agenda[0][0], 0.0))
        first.callbacks.append(on_agenda)
    # work finishing at the horizon's last instant still closes within the horizon
    env.run(until=T + HORIZON_SLACK)

    return {
        "case_end": np.array(case_end), "proc": proc, "case_team": np.array(case_team, dtype=np.int32),
        "team": np.array(job_team, dtype=np.int32), "ready": np.array(job_ready),
        "start": np.array(job_start), "end": np.array(job_end), "hours": np.array(job_hours),
    }
