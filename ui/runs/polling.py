"""How often a page redraws its preliminary figures: one budget for the whole server.

While a setting's replications run, each session's cards are a fragment that Streamlit reruns
every few tenths of a second. Each rerun is a script run in the server process (the client
sends every widget's value, the cards are drawn again), and the server's runs and its sending
of messages share one interpreter. Six sessions redrawing twice a second kept it so busy that
its sending fell seconds behind, and Streamlit then dropped drawn figures unsent when the next
rerun began (measured in ``benchmarks/app_latency.py``: most of six sessions' redraws were lost
and first figures took up to a minute).

So the interval grows with the number of sessions waiting at once: ``poll`` for a session
alone, ``poll`` × n for n sessions (at most ``poll_max``), which keeps the server's redraws at
about 1 / ``poll`` a second in all, however many sessions wait. And when ``busy`` or more
sessions wait at once, a page draws its charts with the final figures only, not from the first
replications as well: building and sending a dozen charts per session held the first figures
of the others back by most of a second (six sessions: worst first figures 3.5 s with the
preliminary charts, 2.6 s without).

The knobs (``poll``, ``poll_max``, ``forget``, ``busy``, ``together``) are in
:mod:`sim.analysis.run_settings`; the sessions counted are this server process's, so they are
kept here, in the module.
"""
from __future__ import annotations

import threading
import time

from sim.analysis.run_settings import settings

_LOCK = threading.Lock()
_WAITING: dict[str, float] = {}   # session -> when it last drew preliminary figures
_STARTED: dict[str, float] = {}   # session -> when its last page run started


def interval(session: str) -> float:
    """Seconds between ``session``'s redraws; counts it as waiting from now.

    Sessions whose page runs started within ``together`` seconds count too: a page whose
    figures were run ahead draws them at the start of its run, before the sessions that moved
    at the same moment have reached the point where they say they wait.
    """
    cfg = settings()
    now = time.monotonic()
    with _LOCK:
        _WAITING[session] = now
        for k in [k for k, v in _WAITING.items() if now - v > cfg.forget]:
            del _WAITING[k]
        for k in [k for k, v in _STARTED.items() if now - v > cfg.together]:
            del _STARTED[k]
        n = len(_WAITING.keys() | _STARTED.keys())
    return min(cfg.poll_max, cfg.poll * n)


def started(session: str) -> None:
    """A page run of ``session`` that may draw preliminary figures has started."""
    with _LOCK:
        _STARTED[session] = time.monotonic()


def still_waiting(session: str) -> None:
    """``session`` waits for figures or redrew its preliminary ones (counts it from now)."""
    with _LOCK:
        _WAITING[session] = time.monotonic()


def done(session: str) -> None:
    """``session`` shows final figures: it no longer counts."""
    with _LOCK:
        _WAITING.pop(session, None)
        _STARTED.pop(session, None)


def busy() -> bool:
    """Whether so many sessions wait at once that preliminary charts are left out."""
    return waiting() >= settings().busy


def waiting() -> int:
    """How many sessions are counted as waiting now."""
    forget = settings().forget
    now = time.monotonic()
    with _LOCK:
        return sum(1 for v in _WAITING.values() if now - v <= forget)
