"""Every knob of the run service in one place: how runs are scheduled, waited for, redrawn and run ahead.

The values, what each does and why it is what it is: ``docs/runs.md``. The scheduler
(:mod:`sim.analysis.scheduler`) reads its knobs when it is made; the app's side
(:mod:`ui.runs`, the what-if page) reads :func:`settings` each time it needs one, so a value
read from the environment (``COURT_SIM_RUN_AHEAD``) is the one in force now, as before.

The session flags are the names of the keys in a browser session's state that the page's run
machinery keeps between its runs; they are listed here with the knobs so that one file says
everything the run path keeps and tunes (this module holds only their names: ``sim`` never
imports Streamlit).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Mapping, Optional

#: ``0`` turns running ahead off (the test suite does, except where it tests it)
RUN_AHEAD_ENV = "COURT_SIM_RUN_AHEAD"


@dataclass(frozen=True)
class SessionFlags:
    """Keys in a session's state that the page's runs leave for the next run of the same page."""

    inline: str = "_figures_inline"        # True while the figures' fragment runs inside a whole-page run
    shown_final: str = "_figures_final"    # False after a run that drew preliminary figures
    auto_rerun: str = "_auto_rerun"        # the next run is the one the figures' fragment asked for
    poll_every: str = "_poll_every"        # seconds between redraws the figures' fragment was drawn with
    one_shot_kept: str = "_one_shot_kept"  # one-shot messages kept for the fragment's final rerun
    ran_ahead_for: str = "_ran_ahead_for"  # the plan whose one-step neighbours this session has queued


@dataclass(frozen=True)
class RunSettings:
    """The run service's knobs (see docs/runs.md for each one's reason)."""

    # the scheduler (sim/analysis/scheduler.py)
    first_replications: int = 4     # replications of every new job that go ahead of older jobs' remainders
    quick_replications: int = 1     # of those, the ones every new job gets before any job gets more
    idle_after: float = 15.0        # s without anyone asking: the job then runs only when nothing else waits
    bulk_nice: int = 10             # how much lower the bulk workers' priority is (Unix nice)
    max_ahead: int = 24             # jobs run ahead that are kept (the oldest go)
    keep_finished: int = 32         # finished jobs the scheduler keeps (a second request attaches to them)
    # the app's results (ui/runs/service.py)
    preliminary: int = 1            # replications before figures are shown
    cache_entries: int = 64         # results (and advice) kept in memory per server process
    # the what-if page's wait for first figures
    first_wait: float = 8.0         # s a page run waits for the first replication before drawing
    wait_step: float = 0.1          # s between checks while waiting (each one a point where a new move stops the run)
    # the redraw budget (ui/runs/polling.py)
    poll: float = 0.5               # s between redraws for a session alone
    poll_max: float = 3.0           # the longest interval
    forget: float = 5.0             # s after its last redraw a session no longer counts as waiting
    busy: int = 3                   # sessions waiting at once from which preliminary charts are left out
    together: float = 0.5           # s: page runs started this close together count as moves made at once
    # running ahead (ui/runs/run_ahead.py)
    run_ahead: bool = True          # queue the plans one slider step away ($COURT_SIM_RUN_AHEAD=0: off)
    run_ahead_plans: int = 12       # at most this many plans queued per plan on screen
    flags: SessionFlags = field(default_factory=SessionFlags)

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "RunSettings":
        """The defaults, with what the environment sets (today only ``COURT_SIM_RUN_AHEAD``)."""
        e = os.environ if env is None else env
        return cls(run_ahead=e.get(RUN_AHEAD_ENV, "1").strip() != "0")


#: settings a test or a benchmark puts in force instead of the environment's (None: the environment's)
OVERRIDE: Optional[RunSettings] = None


def settings() -> RunSettings:
    """The settings in force now: ``OVERRIDE`` if set, else the defaults with the environment read now."""
    return OVERRIDE if OVERRIDE is not None else RunSettings.from_env()
