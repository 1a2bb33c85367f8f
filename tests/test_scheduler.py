"""The app's job registry and scheduler (sim.analysis.scheduler.Scheduler): shared runs, fairness, exactness."""
from __future__ import annotations

import threading

import numpy as np
import pytest

from helpers import scenario
from sim.analysis.runner import run
from sim.analysis.scheduler import Scheduler


def _tiny(**changes):
    return scenario(**{"horizon_months": 2, **changes})


@pytest.fixture
def sched():
    s = Scheduler(workers=2, first=2, quick=1, autostart=False)
    yield s
    s.close()


def test_two_requests_for_one_setting_share_one_run(sched):
    scn = _tiny()
    done: list = []
    a = sched.submit("k", scn, 4, 7, on_done=done.append)
    b = sched.submit("k", scn, 4, 7, on_done=done.append)
    assert a is b
    sched.start()
    res = a.result(timeout=120)
    assert [r for k, r in sched.dispatch_log if k == "k"] == [0, 1, 2, 3]  # each replication once
    assert len(done) == 1 and done[0] is res
    # a third request after the end attaches to the finished job too: no new run
    assert sched.submit("k", scn, 4, 7) is a
    assert len(sched.dispatch_log) == 4


def test_first_replications_of_new_jobs_go_first_then_round_robin(sched):
    """Job A (10 replications) was first; B and C arrive: each gets its first one (``quick``),
    then its second (``first``), before A's remainder; then the remainders alternate."""
    a = sched.submit("A", _tiny(), 10, 1)
    b = sched.submit("B", _tiny(**{"teams.0.judges": 9}), 5, 1)
    c = sched.submit("C", _tiny(**{"teams.0.judges": 10}), 5, 1)
    order = []
    with sched._lock:  # the policy alone, without the pool: hand out everything in turn
        while True:
            job = sched.pick()
            if job is None:
                break
            order.append((job.key, job._take()))
    assert order[:6] == [("A", 0), ("B", 0), ("C", 0), ("A", 1), ("B", 1), ("C", 1)]
    rest = [k for k, _ in order[6:]]
    assert rest[:6] == ["A", "B", "C", "A", "B", "C"]       # round-robin, not A's eight first
    assert sorted(order) == sorted([("A", r) for r in range(10)] + [("B", r) for r in range(5)]
                                   + [("C", r) for r in range(5)])
    for j in (a, b, c):  # leave the jobs consistent for close()
        j.error = RuntimeError("not run")


def test_jobs_nobody_asks_about_yield_to_the_others(sched):
    a = sched.submit("A", _tiny(), 6, 1)
    b = sched.submit("B", _tiny(**{"teams.0.judges": 9}), 6, 1)
    with sched._lock:
        for _ in range(4):  # the first replications of both
            sched.pick()._take()
        a.last_asked -= 3600  # the session that wanted A moved on
        picks = [sched.pick() for _ in range(2)]
        for j in picks:
            j._take()
    assert [j.key for j in picks] == ["B", "B"]
    for j in (a, b):
        j.error = RuntimeError("not run")


def test_preliminary_snapshots_grow_and_the_final_equals_a_direct_run(sched):
    scn = _tiny()
    job = sched.submit("k", scn, 6, 11)
    sched.start()
    assert job.wait(2, timeout=120)
    early = job.snapshot(2)
    assert early is not None and 2 <= early.replications <= 6
    final = job.result(timeout=120)
    direct = run(scn, replications=6, seed=11, workers=1)
    assert final.replications == 6
    for fig, v in direct.summary_reps.items():
        np.testing.assert_array_equal(final.summary_reps[fig], v)
    # the preliminary figures are the first replications of the final ones
    for fig, v in early.summary_reps.items():
        np.testing.assert_array_equal(v, final.summary_reps[fig][:early.replications])


def test_many_threads_asking_at_once_get_one_job(sched):
    scn = _tiny()
    got = []
    threads = [threading.Thread(target=lambda: got.append(sched.submit("k", scn, 3, 5))) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len({id(j) for j in got}) == 1
    sched.start()
    got[0].result(timeout=120)
    assert sorted(r for _, r in sched.dispatch_log) == [0, 1, 2]


def test_an_engine_error_fails_the_job_not_the_scheduler(sched, monkeypatch):
    import sim.analysis.runner as R

    scn = _tiny()
    sched._breaks = 2  # run in this process, so the monkeypatched replication is the one used
    calls = {"n": 0}

    def boom(s, seed, r):
        calls["n"] += 1
        raise ValueError("broken model")

    monkeypatch.setattr(R, "run_replication", boom)
    job = sched.submit("bad", scn, 2, 1)
    sched.start()
    with pytest.raises(ValueError, match="broken model"):
        job.result(timeout=60)
    monkeypatch.undo()
    # a new request for the same setting runs again (the failed job is not kept)
    again = sched.submit("bad", scn, 2, 1)
    assert again is not job
    assert again.result(timeout=120).replications == 2


def test_a_new_setting_s_first_replication_does_not_wait_for_an_older_job(tmp_path):
    """With the bulk worker busy with an older job's replications, a new job's first one goes
    to the express worker at once: it is handed out before the older job's last replication."""
    from sim.analysis.lanes import BULK, EXPRESS

    s = Scheduler(workers=1, first=1, quick=1)
    assert s.express == 1
    try:
        a = s.submit("A", scenario(horizon_months=12), 8, 3)
        assert a.wait(2, timeout=120)
        b = s.submit("B", _tiny(), 2, 3)
        assert b.wait(1, timeout=120)
        assert not a.finished            # B's first figures came while A still ran
        s.wait_idle(timeout=300)
        log = list(zip(s.dispatch_log, s.lane_log, strict=True))
        assert log[0] == (("A", 0), EXPRESS)
        assert all(lane == BULK for (k, r), lane in log if r > 0)
        b0 = log.index((("B", 0), EXPRESS))
        assert b0 < log.index((("A", 7), BULK))
    finally:
        s.close()


def test_bulk_workers_run_at_a_lower_priority_than_the_express_worker():
    import os

    from sim.analysis.lanes import BULK, EXPRESS

    s = Scheduler(workers=1, autostart=False, bulk_nice=7)
    try:
        mine = os.nice(0)
        assert s._lanes.submit(EXPRESS, os.nice, 0).result(timeout=120) == mine
        assert s._lanes.submit(BULK, os.nice, 0).result(timeout=120) == min(mine + 7, 19)
    finally:
        s.close()


def test_without_the_express_worker_every_replication_goes_to_the_bulk_workers():
    from sim.analysis.lanes import BULK

    s = Scheduler(workers=2, express=False)
    try:
        s.submit("k", _tiny(), 3, 1).result(timeout=120)
        assert s.lane_log == [BULK] * 3
    finally:
        s.close()


def test_first_replications_wait_for_an_express_worker_rather_than_go_to_a_bulk_one():
    """A bulk worker runs at a low priority: a first replication it took would come long after
    the express workers' ones, so it leaves them and takes the rest."""
    from sim.analysis.lanes import BULK, EXPRESS

    s = Scheduler(workers=2, first=2, quick=1, autostart=False)
    try:
        s._busy[EXPRESS] = s.express          # both express workers are busy
        old = s.submit("old", _tiny(), 4, 1)
        old._take()                           # its first replication is running
        new = s.submit("new", _tiny(), 4, 1)
        job, lane = s._next()
        assert (job.key, lane) == ("old", BULK)   # not the new job's first replication
        job._take()
        new._take()                           # once an express worker took it ...
        job, lane = s._next()
        assert (job.key, lane) == ("new", BULK)   # ... its second goes to a bulk worker (first two first)
        s._busy[EXPRESS] = 0
        s2 = Scheduler(workers=2, first=2, quick=1, autostart=False, express=0)
        try:
            s2.submit("a", _tiny(), 2, 1)
            assert s2._next()[1] == BULK      # without express workers the bulk ones take everything
        finally:
            s2.close()
    finally:
        s.close()


# --- jobs run ahead of a request (the settings one slider step away) ------------------------

def _dispatch_all(s: Scheduler) -> list[tuple[str, int, str]]:
    """Hand out what the policy allows now, as the dispatcher would (without a pool)."""
    out = []
    while (nxt := s._next()) is not None:
        job, lane = nxt
        out.append((job.key, job._take(), lane))
        s._busy[lane] += 1
    return out


def test_a_job_run_ahead_runs_its_first_replication_only_when_no_request_has_work():
    from sim.analysis.lanes import AHEAD, BULK, EXPRESS

    s = Scheduler(workers=2, first=2, quick=1, autostart=False)
    try:
        a = s.submit("A", _tiny(), 4, 1)
        n = s.submit("N", _tiny(**{"teams.0.judges": 9}), 4, 1, ahead=1)
        m = s.submit("M", _tiny(**{"teams.0.judges": 10}), 4, 1, ahead=1)
        with s._lock:
            assert _dispatch_all(s) == [("A", 0, EXPRESS), ("A", 1, BULK), ("A", 2, BULK)]
            s._busy[EXPRESS], s._busy[BULK] = 0, 1     # A's first finished, and one more
            assert _dispatch_all(s) == [("A", 3, BULK)]   # a request's replications come first
            s._busy[BULK] = 1
            assert _dispatch_all(s) == []     # A still running: nothing runs ahead of it
            s._busy[BULK] = 0
            # idle: one replication ahead, the newest job's, on an express worker, the other left free
            assert _dispatch_all(s) == [("M", 0, AHEAD)]
            b = s.submit("B", _tiny(**{"teams.0.judges": 11}), 4, 1)   # a request meanwhile
            assert _dispatch_all(s) == [("B", 0, EXPRESS), ("B", 1, BULK), ("B", 2, BULK)]
            s._busy[AHEAD] = 0                # M's finished; B still runs: N waits
            assert _dispatch_all(s) == []
        assert not m._wants() and m.waiting_for_request and n._wants()
        for j in (a, n, m, b):
            j.error = RuntimeError("not run")
    finally:
        s.close()


def test_a_request_promotes_a_job_run_ahead_whose_first_figures_are_then_there_at_once():
    scn = _tiny(**{"teams.0.judges": 9})
    s = Scheduler(workers=2, first=2, quick=1)
    try:
        n = s.submit("N", scn, 3, 21, ahead=1)
        assert n.wait(1, timeout=120)
        assert s.wait_idle(timeout=1) and not s.busy()   # run ahead, nobody waits for the rest
        assert n.prefix == 1 and n.dispatched == 1
        got = s.submit("N", scn, 3, 21)
        assert got is n and not n.waiting_for_request
        assert got.snapshot(1) is not None            # the first figures, without a wait
        final = got.result(timeout=120)
        assert sorted(r for k, r in s.dispatch_log if k == "N") == [0, 1, 2]   # the first one not again
        direct = run(scn, replications=3, seed=21, workers=1)
        for fig, v in direct.summary_reps.items():
            np.testing.assert_array_equal(final.summary_reps[fig], v)
    finally:
        s.close()


def test_a_job_promoted_while_its_first_replication_runs_ahead_is_not_run_again():
    from sim.analysis.lanes import AHEAD, BULK

    s = Scheduler(workers=2, first=2, quick=1, autostart=False)
    try:
        done: list = []
        n = s.submit("N", _tiny(), 2, 1, ahead=1, on_done=done.append)
        with s._lock:
            assert _dispatch_all(s) == [("N", 0, AHEAD)]
        s.submit("N", _tiny(), 2, 1)              # the user moves there while it runs
        with s._lock:
            assert _dispatch_all(s) == [("N", 1, BULK)]   # its first goes on at express priority
        fig = {"x": 1.0}
        assert n._record(0, fig) == [] and n._record(0, fig) == []   # a repeat is ignored
        assert n._record(1, fig) == [done.append] and n.finished
    finally:
        s.close()


def test_only_the_latest_jobs_run_ahead_are_kept():
    from sim.analysis.run_settings import settings

    MAX_AHEAD = settings().max_ahead
    s = Scheduler(workers=1, autostart=False)
    try:
        for k in range(MAX_AHEAD + 3):
            s.submit(("N", k), _tiny(**{"teams.0.judges": 5 + k % 20, "seed": k}), 2, k, ahead=1)
        kept = [key for key in s._jobs]
        assert len(kept) == MAX_AHEAD and kept[0] == ("N", 3)
    finally:
        s.close()
