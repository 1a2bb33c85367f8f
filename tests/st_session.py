"""A Streamlit session without a browser: the protocol a page speaks, without the drawing.

Used by ``benchmarks/app_latency.py`` (five of its six sessions at once, so that their drawing
does not take the server's CPU) and ``tests/test_st_session.py``. It talks to ``streamlit run``
over the websocket ``/_stcore/stream`` with Streamlit's own protobuf classes and behaves like
the frontend, so the server does the same work for it as for a page in a browser:

- opens the session with a ``rerun_script`` carrying the page's query string (and, after the
  first run, the page's script hash; the query string follows ``page_info_changed``, as the
  address bar does);
- keeps the page's element tree and every widget's value as the frontend does (see
  :mod:`st_page`) and sends all the values with each rerun;
- answers ``auto_rerun`` (a fragment's ``run_every``) with fragment reruns at that interval
  until a full run starts or ``stop_auto_rerun`` names the fragment;
- keeps a cache of cacheable messages and lists their hashes in each rerun, so the server may
  send ``ref_hash`` references to messages it already sent, which are resolved from the cache
  (kept for the session's life: the frontend drops entries unused for a few runs, which only
  makes the server send a few more messages in full).

Not handled (the app does not use them): file uploads, buttons (triggers), data-editor edits,
chat input, custom components, page navigation. Their widgets are left out of the states sent,
and the server keeps their previous values, as it does for a browser that never touched them.

``websockets`` (its threaded client) comes with Streamlit, which uses it itself; it is pinned in
requirements-dev.txt because this file imports it directly.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import ClientConnection, connect

from st_page import SETTABLE, Node, Page, Path, new_state, widget_state

FINISHED_OK = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
FINISHED_OK_NAMES = tuple(ForwardMsg.ScriptFinishedStatus.Name(s) for s in FINISHED_OK)


@dataclass
class Event:
    """Something seen, at ``t`` (``time.perf_counter``): a metric drawn inside the block keyed
    ``key`` (``value``: its text), or a finished run (``key`` "finished", ``value`` its status,
    ``prelim``: whether a block keyed ``prelim_key`` is still on the page after it)."""
    t: float
    key: str
    value: str
    prelim: bool = False
    run_id: str = ""


@dataclass
class _Run:
    run_id: str = ""
    fragment_ids: tuple[str, ...] = ()


@dataclass
class StSession:
    """One app session over the websocket, in a thread of its own (see the module's text).

    Use as a context manager, or call :meth:`open` and :meth:`close`.
    """
    url: str                      # http://host:port of ``streamlit run``
    query_string: str = ""        # the page's address after "?"
    prelim_key: str = "prelim"    # key of the block that marks preliminary figures
    locale: str = "zh-CN"
    session_id: str = ""
    events: list[Event] = field(default_factory=list, repr=False)
    runs_finished: int = 0
    references: int = 0           # messages the server sent as references to this cache
    exceptions: list[str] = field(default_factory=list)  # errors the page runs showed (uncaught)
    redraw_every: list[tuple[float, float]] = field(default_factory=list)  # (when, s) of each fragment timer set
    running: bool = False
    error: Optional[BaseException] = None

    def __post_init__(self) -> None:
        self._ws: Optional[ClientConnection] = None
        self._cond = threading.Condition()
        self._send_lock = threading.Lock()
        self._page = Page()
        self._cache: dict[str, ForwardMsg] = {}
        self._run = _Run()
        self._page_hash = ""
        self._auto: dict[str, tuple[float, threading.Event]] = {}  # fragment id -> interval, stop flag
        self._closed = threading.Event()
        self._reader: Optional[threading.Thread] = None

    # --- connection -------------------------------------------------------------------------

    def open(self) -> "StSession":
        """Connect and ask for the first run, as a page does when it loads."""
        ws_url = self.url.replace("http://", "ws://").replace("https://", "wss://").rstrip("/") + "/_stcore/stream"
        self._ws = connect(ws_url, subprotocols=["streamlit"], max_size=None, legacy=True)
        self._reader = threading.Thread(target=self._read, name="st-session", daemon=True)
        self._reader.start()
        self._rerun()
        return self

    def close(self) -> None:
        """Stop the fragment timers and close the websocket (the server ends the session)."""
        self._closed.set()
        with self._cond:
            for _, stop in self._auto.values():
                stop.set()
            self._auto.clear()
        if self._ws is not None:
            self._ws.close()
        if self._reader is not None:
            self._reader.join(timeout=10)

    def __enter__(self) -> "StSession":
        return self.open()

    def __exit__(self, *exc) -> None:
        self.close()

    def _send(self, msg: BackMsg) -> None:
        assert self._ws is not None, "open() the session first"
        with self._send_lock:
            self._ws.send(msg.SerializeToString())

    def _rerun(self, fragment_id: str = "", auto: bool = False) -> None:
        """A ``rerun_script`` with every widget's value, as the frontend sends one."""
        with self._cond:
            state = ClientState(query_string=self.query_string, page_script_hash=self._page_hash,
                                fragment_id=fragment_id, is_auto_rerun=auto)
            state.widget_states.widgets.extend(self._page.widgets.values())
            state.cached_message_hashes.extend(self._cache)
        state.context_info.locale = self.locale
        state.context_info.timezone = "UTC"
        state.context_info.url = f"{self.url}/?{self.query_string}" if self.query_string else f"{self.url}/"
        msg = BackMsg()
        msg.rerun_script.CopyFrom(state)
        self._send(msg)

    # --- what the page shows ----------------------------------------------------------------

    def find(self, key: str) -> Optional[tuple[Path, Node]]:
        """The element or block the script gave ``key`` (the first in page order), if drawn."""
        with self._cond:
            return self._page.find(key)

    def judge_slider(self, team: int) -> str:
        """The key team ``team``'s judge slider is drawn under now (``judges_<team>``, then
        ``judges_<team>__<n>`` each time the plan gives it a value it did not set:
        :func:`ui.widgets.plan.key_to_draw`)."""
        base = f"judges_{team}"
        with self._cond:
            keys = sorted(n.key for n in self._page.tree.values()
                          if n.key == base or (n.key or "").startswith(base + "__"))
        if len(keys) != 1:
            raise KeyError(f"team {team}'s judge slider: {keys or 'not on the page'}")
        return keys[0]

    def metric(self, key: str) -> Optional[str]:
        """Text of the metric inside the block keyed ``key`` (e.g. a card), if drawn."""
        with self._cond:
            return self._page.metric(key)

    def has(self, key: str) -> bool:
        """Whether an element or block keyed ``key`` is on the page."""
        return self.find(key) is not None

    def widget_states(self) -> dict[str, WidgetState]:
        """Every widget's value as the next rerun will send it, by widget id."""
        with self._cond:
            return dict(self._page.widgets)

    def cached_messages(self) -> int:
        """How many messages the session keeps for the server to refer to."""
        with self._cond:
            return len(self._cache)

    def wait(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Wait until ``predicate()`` (checked after each message) holds; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                if self.error is not None:
                    raise RuntimeError("the session's connection failed") from self.error
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.5))
        return True

    def wait_idle(self, timeout: float) -> bool:
        """Wait until a run has finished, none is running, no preliminary figures are shown and
        no fragment reruns itself (the page waits for nothing more)."""
        return self.wait(lambda: (self.runs_finished > 0 and not self.running and not self._has_prelim()
                                  and not self._auto), timeout)

    def wait_settled(self, t0: float, timeout: float) -> bool:
        """Wait until a run that ended after ``t0`` left no preliminary figures and none runs."""
        def settled() -> bool:
            return not self.running and any(e.t >= t0 and e.key == "finished" and not e.prelim
                                            and e.value in FINISHED_OK_NAMES for e in self.events)
        return self.wait(settled, timeout)

    def _has_prelim(self) -> bool:
        return any(n.key == self.prelim_key for n in self._page.tree.values())

    def figure_times(self, key: str, before: Optional[str], t0: float) -> tuple[float, float]:
        """Seconds from ``t0`` (a move sent) to the first metric in the block keyed ``key`` that
        differs from ``before``, and to the end of the first run after that one which left no
        preliminary marker on the page (NaN for what has not happened yet)."""
        first = final = float("nan")
        with self._cond:
            events = [e for e in self.events if e.t >= t0]
        for e in events:
            if e.key == key and e.value != before and first != first:
                first = e.t - t0
            if first == first and e.key == "finished" and not e.prelim and e.value in FINISHED_OK_NAMES:
                final = e.t - t0
                break
        return first, final

    def runs_lost(self, t0: float, t1: float) -> int:
        """Runs that ended between ``t0`` and ``t1`` (perf_counter) whose drawing the server
        dropped unsent: it tells a run was cut short, or its messages were still queued when
        the next run began, by ``FINISHED_EARLY_FOR_RERUN``."""
        with self._cond:
            return sum(1 for e in self.events if t0 <= e.t <= t1 and e.key == "finished"
                       and e.value == "FINISHED_EARLY_FOR_RERUN")

    # --- moving a widget --------------------------------------------------------------------

    def set_value(self, key: str, value) -> float:
        """Give the widget keyed ``key`` a new value and ask for a rerun, as the frontend does
        when the user moves it; returns ``time.perf_counter()`` just before sending."""
        hit = self.find(key)
        if hit is None:
            raise KeyError(f"no widget keyed {key!r} on the page")
        node = hit[1]
        if node.kind not in SETTABLE:
            raise TypeError(f"{key!r} is a {node.kind}, which this client cannot set")
        ws = new_state(node.kind, node.widget, value)
        with self._cond:
            self._page.widgets[ws.id] = ws
        t0 = time.perf_counter()
        self._rerun(node.fragment_id)
        return t0

    def slider_value(self, key: str) -> float:
        """The slider keyed ``key``'s current value (a one-thumb slider)."""
        hit = self.find(key)
        if hit is None:
            raise KeyError(f"no slider keyed {key!r} on the page")
        with self._cond:
            ws = self._page.widgets.get(hit[1].widget.id) or widget_state(hit[1].proto)
        return ws.double_array_value.data[0]

    def step_slider(self, key: str, steps: int) -> float:
        """Move a slider ``steps`` steps (like arrow keys: kept within its range); returns the
        time of sending, as :meth:`set_value`."""
        hit = self.find(key)
        if hit is None:
            raise KeyError(f"no slider keyed {key!r} on the page")
        s = hit[1].widget
        value = min(s.max, max(s.min, self.slider_value(key) + steps * s.step))
        return self.set_value(key, value)

    # --- messages from the server -----------------------------------------------------------

    def _read(self) -> None:
        assert self._ws is not None
        try:
            for data in self._ws:
                msg = ForwardMsg()
                msg.ParseFromString(data)
                now = time.perf_counter()
                with self._cond:
                    self._handle(msg, now)
                    self._cond.notify_all()
        except Exception as exc:  # noqa: BLE001 - kept for the waiting thread to raise
            if not self._closed.is_set():
                self.error = exc
        finally:
            with self._cond:
                self._cond.notify_all()

    def _handle(self, msg: ForwardMsg, now: float) -> None:
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":  # a message sent before: the cached copy, with this one's place
            cached = self._cache.get(msg.ref_hash)
            if cached is None:
                raise RuntimeError(f"the server referred to a message not in the cache: {msg.ref_hash}")
            full = ForwardMsg()
            full.CopyFrom(cached)
            full.metadata.CopyFrom(msg.metadata)
            msg, kind = full, cached.WhichOneof("type")
            self.references += 1
        elif msg.metadata.cacheable and msg.hash:
            self._cache[msg.hash] = msg
        if kind == "new_session":
            self._new_run(msg, now)
        elif kind == "delta":
            self._delta(msg, now)
        elif kind == "script_finished":
            self._finished(msg, now)
        elif kind == "session_status_changed":
            self.running = msg.session_status_changed.script_is_running
        elif kind == "page_info_changed":  # the script wrote st.query_params: the address changes
            self.query_string = msg.page_info_changed.query_string
        elif kind == "auto_rerun":
            self.redraw_every.append((now, msg.auto_rerun.interval))
            self._start_auto(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            for fid in msg.stop_auto_rerun.fragment_ids:
                self._stop_auto(fid)
        # page_config_changed, git info, logo, navigation, heartbeats: nothing a page without
        # drawing needs to keep

    def _new_run(self, msg: ForwardMsg, now: float) -> None:
        ns = msg.new_session
        if ns.initialize.session_id:
            self.session_id = ns.initialize.session_id
        self._page_hash = ns.page_script_hash or self._page_hash
        self._run = _Run(msg.metadata.run.script_run_id, tuple(msg.metadata.run.fragment_ids))
        self.running = True
        if not self._run.fragment_ids:  # a full run: the fragments' timers start again as drawn
            for fid in list(self._auto):
                self._stop_auto(fid)

    def _delta(self, msg: ForwardMsg, now: float) -> None:
        path: Path = tuple(msg.metadata.delta_path)
        node = self._page.apply(path, msg.delta, self._run.run_id)
        if node is not None and node.kind == "exception":  # the script stopped with an error
            self.exceptions.append(f"{node.widget.type}: {node.widget.message}")
        if node is not None and node.kind == "metric":  # a card's figure, say: note when it came
            owner = self._page.keyed_ancestor(path)
            if owner:
                self.events.append(Event(now, owner, node.widget.body, run_id=self._run.run_id))

    def _finished(self, msg: ForwardMsg, now: float) -> None:
        status = msg.script_finished
        run_id = msg.metadata.run.script_run_id or self._run.run_id
        if status in FINISHED_OK and (msg.metadata.run.fragment_ids or run_id == self._run.run_id):
            self._page.clear_stale(run_id, tuple(msg.metadata.run.fragment_ids))
        self.runs_finished += 1
        self.events.append(Event(now, "finished", ForwardMsg.ScriptFinishedStatus.Name(status),
                                 prelim=self._has_prelim(), run_id=run_id))

    def _start_auto(self, fragment_id: str, interval: float) -> None:
        if fragment_id in self._auto and self._auto[fragment_id][0] == interval:
            return  # as the frontend: the timer already running goes on
        self._stop_auto(fragment_id)
        stop = threading.Event()
        self._auto[fragment_id] = (interval, stop)

        def tick() -> None:  # setInterval: every ``interval`` s until stopped
            while not stop.wait(interval):
                if self._closed.is_set():
                    return
                try:
                    self._rerun(fragment_id, auto=True)
                except Exception:  # noqa: BLE001 - the connection closed: the reader reports it
                    return

        threading.Thread(target=tick, name="st-session-auto-rerun", daemon=True).start()

    def _stop_auto(self, fragment_id: str) -> None:
        timer = self._auto.pop(fragment_id, None)
        if timer is not None:
            timer[1].set()

