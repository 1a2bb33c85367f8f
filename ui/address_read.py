"""The address as the app reads it: bounded before anything is parsed, with what was left out.

The address is the one input every visitor can be handed by someone else. Streamlit passes the
page the whole query string, and drops it entirely, without a word, beyond 1,000 parameters or
512 Ki characters; below that, a 100 KB value was parsed, compared with every scenario's name
and echoed into a warning, which took the page 13 to 25 s to settle. So the raw query string is
read here, within stated limits, before any value is looked at:

- at most :data:`MAX_QUERY_CHARS` characters are read (so at most a few thousand parameters,
  split and looked at in a few milliseconds);
- each parameter's value has a longest length (:data:`MAX_CHARS`); a longer one is ignored
  whole (a cut scenario name or edit would name something else), not cut and used;
- at most :data:`MAX_PICKS` comparison picks (``c``) are read, the first ones;
- unknown parameters are left to Streamlit (``embed``, ``embed_options``) and otherwise unread.

What was left out comes back as ``(code, params)`` items for the page's "part of the link was
ignored" message, each echoed value cut to :data:`ECHO_CHARS` characters.

An address Streamlit drops whole never reaches the server (not even in the run context, the
WebSocket's headers or ``st.context.url``): only the browser has it. For that case alone,
:data:`CUT_SCRIPT` runs in the page (drawn when a session's first address is empty): if the
browser's address is over Streamlit's limits, it opens the same page with the address cut to
the parameters read here, plus ``cut=<parameters>.<characters>`` saying how much there was,
and the page says so. The script holds no value from the address: it only counts and cuts.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Optional
from urllib.parse import unquote_plus

#: characters of the raw query string read (a link the app writes is under 2,200)
MAX_QUERY_CHARS = 8_000
#: parameters the browser keeps of an address Streamlit would drop (under Streamlit's 1,000,
#: with the note it adds, so the cut address is never dropped again)
MAX_FIELDS = 200
#: comparison picks read (the comparison takes at most 6)
MAX_PICKS = 6
#: the longest value of each parameter the app reads
MAX_CHARS = {"lang": 8, "p": 32, "s": 260, "e": 2_000, "c": 260, "cr": 260, "cn": 12, "cs": 12,
             "k": 4, "kf": 4, "x": 200, "xc": 64}
#: characters of an ignored value shown in the message
ECHO_CHARS = 40
_PICK = re.compile(r"(?:^|&)c=")
#: what Streamlit passes on to the app (``streamlit.runtime.state.query_params``): beyond
#: either, the whole address is dropped
STREAMLIT_FIELDS, STREAMLIT_CHARS = 1000, 512 * 1024
_CUT = re.compile(r"(?:^|&)cut=(\d{1,9})\.(\d{1,12})\.(\d{1,9})$")
#: run in the browser when the server got no address (see the module docstring)
CUT_SCRIPT = f"""<script>(() => {{
  const q = window.location.search.slice(1);
  if (!q || (q.split("&").length <= {STREAMLIT_FIELDS} && q.length <= {STREAMLIT_CHARS})) return;
  const all = q.split("&");
  const kept = q.slice(0, {MAX_QUERY_CHARS}).split("&").slice(0, {MAX_FIELDS})
    .filter(p => p && !p.startsWith("cut=")).join("&");
  const cut = "cut=" + all.length + "." + q.length + "." + all.filter(p => p.startsWith("c=")).length;
  window.location.replace(window.location.pathname + "?" + (kept ? kept + "&" : "") + cut);
}})();</script>"""


def echo(value: str) -> str:
    """A value as the message shows it: at most :data:`ECHO_CHARS` characters."""
    return value if len(value) <= ECHO_CHARS else value[:ECHO_CHARS] + "…"


class Address:
    """The address's parameters within the limits: ``get``, ``get_all`` and ``in`` as
    ``st.query_params`` has them; ``ignored`` lists what was left out as ``(key, params)``
    for the catalogue's ``url.cut.<key>`` texts."""

    def __init__(self, pairs: Iterable[tuple[str, str]], ignored: list[tuple[str, dict[str, Any]]]):
        self._values: dict[str, list[str]] = {}
        for k, v in pairs:
            self._values.setdefault(k, []).append(v)
        self.ignored = ignored

    def __contains__(self, key: str) -> bool:
        return key in self._values

    def get(self, key: str, default: Optional[str] = None) -> Optional[str]:
        """The last value of ``key`` (as ``st.query_params`` gives it), or ``default``."""
        vals = self._values.get(key)
        return vals[-1] if vals else default

    def get_all(self, key: str) -> list[str]:
        """Every value of ``key`` in order."""
        return list(self._values.get(key, []))

    def keys(self) -> list[str]:
        """The parameters read."""
        return list(self._values)


def read(raw: str) -> Address:
    """The bounded reading of a raw query string (``a=1&b=2``, with or without ``?``)."""
    ignored: list[tuple[str, dict[str, Any]]] = []
    raw = raw[1:] if raw.startswith("?") else raw
    dropped = _CUT.search(raw[-64:])  # the browser's note on an address Streamlit would drop
    if dropped:
        raw = raw[: len(raw) - 64 + dropped.start()] if len(raw) > 64 else raw[: dropped.start()]
        ignored.append(("dropped", {"n": int(dropped.group(1)), "chars": int(dropped.group(2)),
                                    "limit": STREAMLIT_FIELDS, "read": MAX_FIELDS}))
    # counted on the whole string (at C speed), so the message says how much there was
    n_picks = len(_PICK.findall(raw))
    if dropped:
        n_picks = max(n_picks, int(dropped.group(3)))
    cut = len(raw) > MAX_QUERY_CHARS
    if cut:
        ignored.append(("length", {"n": len(raw), "limit": MAX_QUERY_CHARS}))
        raw = raw[:MAX_QUERY_CHARS]
    fields = raw.split("&") if raw else []
    pairs: list[tuple[str, str]] = []
    picks = 0
    for i, field in enumerate(fields):
        if not field:
            continue
        k, _, v = field.partition("=")
        key = unquote_plus(k, errors="replace")
        limit = MAX_CHARS.get(key)
        if limit is None:
            continue  # Streamlit's own (embed) or unknown: not the app's to read
        value = unquote_plus(v, errors="replace")
        if len(value) > limit:
            # the value the length cut ran through was longer still: "8,000+ characters"
            plus = "+" if cut and i == len(fields) - 1 else ""
            ignored.append(("long", {"param": key, "n": len(value), "plus": plus, "limit": limit, "v": echo(value)}))
            continue
        if key == "c":
            picks += 1
            if picks > MAX_PICKS:
                continue
        pairs.append((key, value))
    if n_picks > MAX_PICKS:
        ignored.append(("picks", {"n": n_picks, "k": n_picks - MAX_PICKS, "limit": MAX_PICKS}))
    return Address(pairs, ignored)


def raw_query() -> Optional[str]:
    """The query string the browser sent for this session (None when there is no session)."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx
    except ImportError:  # pragma: no cover - older Streamlit
        return None
    ctx = get_script_run_ctx()
    return getattr(ctx, "query_string", None) if ctx is not None else None
