"""The case-flow model: one replication.

What needs no queue is computed directly from blocks of random numbers (the dispute stream,
pre-filing mediation, triage, effort, preparation, settlements, adjournments, excluded
periods); the part where cases contend for judges, hearing slots and desk time runs in
:class:`sim.model.court.Court` on SimPy's event list.

The result is a :class:`Records` of NumPy arrays (one row per dispute, case and judge job)
from which :mod:`sim.model.figures` computes every reported figure.
"""
from __future__ import annotations

import gc
import heapq
from dataclasses import dataclass

import numpy as np

from .court import MAX_HEARINGS, Court
from .prepared import TRACKS, Prepared
from .streams import inverse_cdf, make_streams, uniforms

INF = float("inf")
MONTH_DAYS = 30.4375


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
    converted: np.ndarray          # drawn to convert (简转普); it does only if still open at its hearing
    first_track: np.ndarray
    settled: np.ndarray            # drawn to settle or be withdrawn rather than judged
    team: np.ndarray               # team that holds (or closed) the case; -1 if never assigned
    hearings: np.ndarray           # hearings held
    # judge jobs (a converted case has two)
    job_team: np.ndarray
    job_ready_t: np.ndarray
    job_start_t: np.ndarray        # inf when not started
    job_end_t: np.ndarray          # inf when not finished
    job_hours: np.ndarray          # judge working hours the job occupies (drafting, conversion, panel work)


def converted_cases(p: Prepared, r: Records) -> np.ndarray:
    """The cases converted to ordinary procedure (简转普) by the end of the run: drawn to convert
    and now under ordinary procedure (one that settled before its hearing, or is still waiting
    for it, never converted)."""
    return r.converted & (r.proc == p.proc_names.index("ordinary"))


def _gaps(p: Prepared, u: np.ndarray) -> np.ndarray:
    """Calendar days from an adjourned hearing to the earliest next one."""
    h = p.scenario.hearings
    if h is None:
        return np.zeros_like(u)
    return inverse_cdf(h.adjournment_gap_days, u)


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


def _recorded_arrivals(p: Prepared, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Recorded filings (``demand.filings``) as arrival times in time order, each at a uniform
    time within its filing day, with the index of its procedure; dates before the origin left out."""
    days, procs = [], []
    for g in p.scenario.demand.filings:
        d = np.array([(x - p.origin).days for x in g.filed], dtype=float)
        days.append(d)
        procs.append(np.full(len(d), p.proc_names.index(g.procedure)))
    t = np.concatenate(days) + rng.random(sum(len(d) for d in days))
    proc = np.concatenate(procs)
    keep = t >= 0
    order = np.argsort(t[keep], kind="stable")
    return t[keep][order], proc[keep][order]


def _types_of(p: Prepared, proc: np.ndarray, u: np.ndarray) -> np.ndarray:
    """A case type for each recorded filing: among the types of its procedure by their shares
    (among all types when none has that procedure)."""
    scn = p.scenario
    out = np.zeros(len(proc), dtype=int)
    for k in np.unique(proc):
        sel = proc == k
        types = [i for i, c in enumerate(scn.case_types) if c.procedure == p.proc_names[k]] or \
            list(range(len(scn.case_types)))
        w = np.cumsum([scn.case_types[i].share for i in types])
        w = w / w[-1] if w[-1] > 0 else np.linspace(1 / len(types), 1.0, len(types))
        out[sel] = np.array(types)[np.minimum(np.searchsorted(w, u[sel], side="right"), len(types) - 1)]
    return out


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
        for a, d in zip(arr, du, strict=True):
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
    recorded = scn.demand.filings
    if recorded:  # a court's own filings replayed: filed as recorded, no mediation before
        arrival, rec_proc = _recorded_arrivals(p, rs["arrivals"])
        offered, med_end, resolved = (np.zeros(len(arrival), dtype=bool), np.full(len(arrival), INF),
                                      np.zeros(len(arrival), dtype=bool))
    else:
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
    if recorded:
        ctype = _types_of(p, rec_proc[f_idx], u_type[f_idx])
    new = _case_attributes(p, ctype, u_route[f_idx], u_conv[f_idx], u_eff[f_idx], u_wait[f_idx],
                           u_pn[f_idx], u_ap[f_idx], u_apd[f_idx], u_set[f_idx])
    new["file_t"] = file_all[f_idx]

    init = _initial_pending(p, rs["initial"])
    cases = {k: np.concatenate([init[k], new[k]]) for k in new}
    n_init = len(init["file_t"])
    if "listed_team" in init:  # listed open cases start on their team and judge (court.Court.place_listed)
        cases["listed_team"], cases["listed_seat"] = init["listed_team"], init["listed_seat"]
    initial_flag = np.zeros(len(cases["file_t"]), dtype=bool)
    initial_flag[:n_init] = True

    # the event loop allocates many short-lived tuples and events; the cyclic collector's
    # passes over them cost ~10 % and free nothing until the run ends
    nc = len(cases["file_t"])
    hr, asg = rs["hearings"], rs["assignment"]
    draws = {"stage": uniforms(hr, nc), "when": uniforms(hr, nc), "adjourn": hr.random((nc, MAX_HEARINGS)),
             "gap": _gaps(p, uniforms(hr, nc * MAX_HEARINGS).reshape(nc, MAX_HEARINGS)),
             "assign": asg.random((nc, 2))}
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        jobs = Court(p, cases, draws).run()
    finally:
        if gc_was_on:
            gc.enable()
    return Records(
        arrival_t=arrival, mediated=offered, mediation_end_t=med_end, resolved=resolved,
        file_t=cases["file_t"], end_t=jobs["case_end"], proc=jobs["proc"], excluded=cases["excluded"],
        initial=initial_flag, converted=cases["convert"], first_track=cases["track"], settled=cases["settled"],
        team=jobs["case_team"],
        hearings=jobs["hearings"],
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
        ex = np.where(pn, scn.excluded.public_notice_days, 0.0)
        # the appraisal's length only where there is one: its (gamma) quantile is the costliest
        # draw of a replication, and most cases have no appraisal
        ex[ap] += inverse_cdf(scn.excluded.appraisal, u_apd[sel][ap])
        excluded[sel] = ex
        effort[sel] *= np.where(settled[sel], ct.settlement_effort_factor, 1.0)
    service = np.zeros(m)
    if scn.hearings is not None:
        for k, name in enumerate(p.proc_names):
            sel = proc == k
            if sel.any():
                service[sel] = inverse_cdf(scn.hearings.for_procedure(name).service_days, u_wait[sel])
    return {"type": ctype, "track": track, "proc": proc, "convert": convert, "effort": effort,
            "wait": waiting, "excluded": excluded, "settled": settled, "service": service}


def _age_bands(profile) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lower, upper, share) of an age profile, in days."""
    hi = np.array([b.max_months for b in profile]) * MONTH_DAYS
    lo = np.concatenate([[0.0], hi[:-1]])
    return lo, hi, np.array([b.share for b in profile], dtype=float)


def _ages_within(profile, lo_cut: np.ndarray, hi_cut: np.ndarray, u_band: np.ndarray, u_pos: np.ndarray,
                 fallback_days: float) -> np.ndarray:
    """Ages (days) from a piecewise-uniform age profile restricted to [lo_cut, hi_cut] per case.

    Each band keeps the share of its mass inside the window; a case whose window holds none of
    the profile's mass gets an age uniform over [lo_cut, lo_cut + fallback_days].
    """
    lo, hi, share = _age_bands(profile)
    a = np.maximum(lo[None, :], lo_cut[:, None])
    b = np.minimum(hi[None, :], hi_cut[:, None])
    w = share[None, :] * np.clip(b - a, 0, None) / (hi - lo)[None, :]
    tot = w.sum(axis=1)
    ok = tot > 0
    cum = np.cumsum(w, axis=1) / np.where(ok, tot, 1.0)[:, None]
    band = np.minimum((cum < u_band[:, None]).sum(axis=1), len(share) - 1)
    rows = np.arange(len(u_band))
    age = a[rows, band] + (b[rows, band] - a[rows, band]) * u_pos
    return np.where(ok, age, lo_cut + fallback_days * u_pos)


def _initial_pending(p: Prepared, rng: np.random.Generator) -> dict:
    """The carried-over caseload, by track and procedure.

    A track with groups is split by them (each its own procedure, age profile and number of
    cases already overdue); a track without groups is split by its case types' shares under
    the caseload's age profile with none overdue. A case that is not overdue gets an age drawn
    from its profile cut at its extended limit, so its clock starts within the limit.
    """
    scn = p.scenario
    ip = scn.initial_pending
    if ip.cases:
        return _listed_pending(p, rng)
    counts = ip.group_counts()
    # (track, procedure or None, count, overdue, profile)
    plan = []
    for track_i, track in enumerate(TRACKS):
        gs = [(g, n) for g, n in zip(ip.groups, counts, strict=True) if g.track == track]
        if gs:
            plan += [(track_i, g.procedure, n, g.overdue, g.age_profile or ip.age_profile) for g, n in gs]
        else:
            plan.append((track_i, None, getattr(ip, track), 0, ip.age_profile))
    parts = []
    for track_i, proc_name, count, overdue, profile in plan:
        if count == 0:
            continue
        types = [k for k, c in enumerate(scn.case_types) if p.type_track[k] == track_i
                 and (proc_name is None or c.procedure == proc_name)]
        if not types:
            types = [k for k in range(len(scn.case_types)) if p.type_track[k] == track_i]
        if not types:
            # a track with pending cases but no case type: use the court's overall mix
            types = list(range(len(scn.case_types)))
        w = np.array([scn.case_types[k].share for k in types], dtype=float)
        w = w / w.sum() if w.sum() > 0 else np.full(len(types), 1 / len(types))
        u = rng.random((8, count))
        ctype = np.array(types)[np.minimum(np.searchsorted(np.cumsum(w), u[0], side="right"), len(types) - 1)]
        attrs = _case_attributes(p, ctype, np.ones(count) * -1.0, u[3], u[4], u[5], u[6], u[7], rng.random(count),
                                 rng.random(count))
        # carried over: on its track, past triage and any conversion
        attrs["track"] = np.full(count, track_i)
        if proc_name is not None:
            attrs["proc"] = np.full(count, p.proc_names.index(proc_name))
        attrs["convert"] = np.zeros(count, dtype=bool)
        # the shortest extended limit of the case's procedure over the possible filing dates
        limit = p.allowed_ext[attrs["proc"], : -p.first_filing_day].min(axis=1).astype(float)
        late = np.zeros(count, dtype=bool)
        late[:overdue] = True          # which cases are overdue is immaterial: draws are iid
        lo_cut = np.where(late, p.allowed_ext[attrs["proc"]].max(axis=1) + 1.0, 0.0)
        hi_cut = np.where(late, np.inf, limit)
        age_days = _ages_within(profile, lo_cut, hi_cut, u[1], u[2], fallback_days=90.0)
        # an overdue case's clock must be past its limit whatever its excluded days
        attrs["excluded"] = np.where(late, 0.0, attrs["excluded"])
        attrs["file_t"] = -age_days
        parts.append(attrs)
    keys = ("type", "track", "proc", "convert", "effort", "wait", "excluded", "file_t", "settled", "service")
    if not parts:
        return {k: np.zeros(0, dtype=float if k in ("effort", "wait", "excluded", "file_t", "service") else
                            (bool if k in ("convert", "settled") else int)) for k in keys}
    return {k: np.concatenate([q[k] for q in parts]) for k in keys}


def _types_for(p: Prepared, procedure: str, track_i: int) -> list[int]:
    """Case types a listed case of ``procedure`` may be: those under its procedure, else those of
    its track, else all."""
    scn = p.scenario
    return ([k for k, c in enumerate(scn.case_types) if c.procedure == procedure]
            or [k for k in range(len(scn.case_types)) if p.type_track[k] == track_i]
            or list(range(len(scn.case_types))))


def _listed_pending(p: Prepared, rng: np.random.Generator) -> dict:
    """The open cases listed one by one (``initial_pending.cases``): each with its own filing date
    and excluded days, its procedure and the track of that procedure; what the records do not
    say (case type within the procedure, effort, preparation, settlement) is drawn as for a new
    filing. ``listed_team``/``listed_seat`` say where each case starts: the team's index (−1:
    not a team of the scenario, assigned like a new filing) and the judge's seat in it (named
    judges in the order of their names; −1: no judge named)."""
    scn = p.scenario
    names = [t.name for t in scn.teams]
    seats: dict[str, dict[str, int]] = {}
    for g in scn.initial_pending.cases:
        if g.judge is not None:
            seats.setdefault(g.team, {})[g.judge] = 0
    for judges in seats.values():
        for k, j in enumerate(sorted(judges)):
            judges[j] = k
    parts = []
    u = rng.random((8, sum(len(g.filed) for g in scn.initial_pending.cases)))
    at = 0
    for g in scn.initial_pending.cases:
        n = len(g.filed)
        w = u[:, at:at + n]
        at += n
        track_i = TRACKS.index(scn.procedure_track(g.procedure))
        types = _types_for(p, g.procedure, track_i)
        share = np.array([scn.case_types[k].share for k in types], dtype=float)
        share = share / share.sum() if share.sum() > 0 else np.full(len(types), 1 / len(types))
        ctype = np.array(types)[np.minimum(np.searchsorted(np.cumsum(share), w[0], side="right"), len(types) - 1)]
        attrs = _case_attributes(p, ctype, np.full(n, -1.0), w[1], w[2], w[3], w[4], w[5], w[6], w[7])
        proc = p.proc_names.index(g.procedure)
        attrs["track"] = np.full(n, track_i)
        attrs["convert"] = np.zeros(n, dtype=bool)   # carried over: past any conversion
        if scn.hearings is not None and np.any(attrs["proc"] != proc):
            attrs["service"] = inverse_cdf(scn.hearings.for_procedure(g.procedure).service_days, w[3])
        attrs["proc"] = np.full(n, proc)
        attrs["file_t"] = np.array([(d - p.origin).days for d in g.filed], dtype=float)
        attrs["excluded"] = np.array(g.excluded_days, dtype=float) if g.excluded_days else np.zeros(n)
        team = names.index(g.team) if g.team in names else -1
        attrs["listed_team"] = np.full(n, team, dtype=np.int64)
        seat = seats[g.team][g.judge] if team >= 0 and g.judge is not None else -1
        attrs["listed_seat"] = np.full(n, seat, dtype=np.int64)
        parts.append(attrs)
    return {k: np.concatenate([q[k] for q in parts]) for k in parts[0]}
