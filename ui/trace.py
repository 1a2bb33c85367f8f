"""Timestamps of a page run's steps, for ``benchmarks/app_latency.py`` (off unless asked for).

With ``COURT_SIM_TRACE=FILE`` in the server's environment, each page run appends one line per
step to FILE: wall-clock time, session, step. The benchmark lines them up with the moments it
pressed a key in the browser, which splits a move's latency into the browser's part (sending
the move, drawing the figures) and the server's (the page run, waiting for replications).
"""
from __future__ import annotations

import json
import os
import threading
import time

_LOCK = threading.Lock()


def mark(step: str) -> None:
    """Record ``step`` of the current session's page run (nothing unless tracing is on)."""
    path = os.environ.get("COURT_SIM_TRACE")
    if not path:
        return
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    line = json.dumps({"t": time.time(), "session": ctx.session_id if ctx else "", "step": step})
    with _LOCK, open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
