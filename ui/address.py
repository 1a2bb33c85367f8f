"""The state pages share, in the address bar, so a refresh restores it and a copied link shares it.

The page itself is the address's path (``/compare``, ``/advisor`` …: ``ui/navigation.py``);
the query parameters carry what outlives a page (each left out when it has its default value,
to keep links short):

- ``lang``: ``zh`` (default) or ``en``;
- ``s``: the scenario picked on the what-if page: a file in scenarios/ (``baseline.yaml``,
  default) or a saved scenario (``saved:<name>``);
- ``e``: the edits, i.e. the differences between the what-if settings and the picked scenario
  as ``{dotted path: value}``, JSON, zlib-compressed, URL-safe base64 (at most
  :data:`MAX_EDITS` characters: more edits than that are left out, and the page says so);
- ``c`` (repeated), ``cr``, ``cn``, ``cs``: the comparison's picks, reference, replications
  and seed;
- ``x``: a training group's session code, group id and token (``CODE.gid.token``), while this
  browser works on an exercise (see :mod:`ui.pages.training_whatif`): a refresh comes back to the same
  group and exercise, with the plan's edits in ``e`` (relative to the exercise's starting
  scenario, so ``s`` is left out). The token is what lets the group submit: a link with it is
  the group's own, like its browser session; ``xc``: the group's date choice when its exercise
  has one (``<month>:<team>`` for a secondment, ``f:<day>`` or ``f:-`` for the year-end freeze);
- ``k``: ``0`` when "keep staff totals fixed" is off (on, the default for a loaded scenario, is
  left out); ``kf``: the team (its index) moved staff are taken from, when not all the others
  in proportion (the default).

Old links named the page with ``p`` (``?p=compare``) and presenter mode with ``view=present``:
:func:`restore` returns that page, which the navigation opens at its own path.

A link is read once, on a session's first run, before any widget is drawn. Anything in it that
cannot be used (unknown page, missing scenario, undecodable or invalid edits, unknown picks) is
ignored: the page opens with the defaults for that part and a message naming what was ignored.
Only valid settings are written back, so a refresh never restores an invalid state.
"""
from __future__ import annotations

import base64
import binascii
import copy
import json
import re
import zlib
from typing import Any, Optional

import streamlit as st

from sim.model.scenario import ScenarioError, scenario_from_dict
from sim.vocabulary.safe_text import md_escape

from .address_read import CUT_SCRIPT, Address, echo, raw_query, read
from .i18n import LANGS, error_text, t
from .pages import training_common as TC
from .widgets import controls as C
from .widgets import plan as P
from .widgets import store_panel as SP
from .widgets.scenario_choices import (
    BUILTIN,
    CURRENT,
    DEFAULT_SCENARIO,
    current_scenario,
    scenario_files,
)

LANG, SCN, EDITS = "lang", "s", "e"
PAGE, VIEW = "p", "view"  # old links' page (``?p=compare``, ``?view=present``): read, never written
PICKS, REF, REPS, SEED = "c", "cr", "cn", "cs"
KEEP, TAKE = "k", "kf"
GROUP, CHOICE = "x", "xc"
KEYS = (LANG, SCN, EDITS, PICKS, REF, REPS, SEED, KEEP, TAKE, GROUP, CHOICE)
OLD_KEYS = (PAGE, VIEW)
MAX_EDITS = 1800            # characters of the encoded edits (links stay well under 2,000 + the rest)
MAX_JSON = 256_000          # bytes an encoded edit may expand to (a link is not a zip bomb)
NOTICE = "_url_notice"      # (message, the address it was shown for)
READ = "_url_read"          # set once the session's first address has been read
TOO_LONG = "_url_too_long"  # True while the edits do not fit in the address
CMP_KEPT = "_cmp_kept"      # ui.pages.compare keeps the comparison's choices here
DEFAULT_LANG = "zh"
_TEAM_CHANGES = re.compile(r"teams\.\d+\.changes")  # a team's dated changes: one value


# --- the edits: differences from the loaded scenario ------------------------------------------

def _plain(x: Any) -> Any:
    """JSON's view of a value (dates as ISO text, tuples as lists), to compare like with like."""
    return json.loads(json.dumps(x, default=str))


def differences(loaded: dict, edited: dict) -> dict[str, Any]:
    """``{dotted path: value}`` of ``edited`` where it differs from ``loaded``.

    Dicts and equal-length lists are compared item by item; a list whose length changed (teams
    added or removed) is one difference holding the whole new list.
    """
    out: dict[str, Any] = {}
    whole = {sp.dotted for sp in C.specs_for(loaded)}  # one control edits the whole value

    def walk(a: Any, b: Any, path: str) -> None:
        if path in whole or _TEAM_CHANGES.fullmatch(path):
            if a != b:
                out[path] = b
        elif isinstance(a, dict) and isinstance(b, dict):
            for k, v in b.items():
                sub = f"{path}.{k}" if path else str(k)
                if k in a:
                    walk(a[k], v, sub)
                else:
                    out[sub] = v
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                walk(x, y, f"{path}.{i}")
        elif a != b:
            out[path] = b

    walk(_plain(loaded), _plain(edited), "")
    return out


def encode_edits(diff: dict[str, Any]) -> str:
    """The differences as compressed, URL-safe base64 ("" when there are none)."""
    if not diff:
        return ""
    blob = json.dumps(diff, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(zlib.compress(blob, 9)).decode("ascii").rstrip("=")


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number a control can show")


def _finite(text: str) -> float:
    """A JSON number as a float, refusing ones too large to be finite (``1e999``)."""
    v = float(text)
    if v != v or v in (float("inf"), float("-inf")):
        raise ValueError(f"{text} is not a finite number")
    return v


def decode_edits(text: str) -> dict[str, Any]:
    """Inverse of :func:`encode_edits`; raises ValueError for anything that is not such a text."""
    if len(text) > 4 * MAX_EDITS:
        raise ValueError("too long")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        d = zlib.decompressobj()
        blob = d.decompress(raw, MAX_JSON)
        if d.unconsumed_tail:
            raise ValueError("too large")
        out = json.loads(blob.decode("utf-8"), parse_constant=_no_constant, parse_float=_finite)
    except (binascii.Error, zlib.error, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        # RecursionError: a few hundred bytes of "[[[[…" decompress to nesting json cannot read
        raise ValueError(str(exc)) from exc
    if not isinstance(out, dict) or not all(isinstance(k, str) for k in out):
        raise ValueError("not a table of fields")
    return out


def _editable(path: str, loaded: dict) -> bool:
    """Whether the what-if page has a control for ``path`` (anything else in a link is refused)."""
    parts = path.split(".")
    if path in {sp.dotted for sp in C.specs_for(loaded)}:
        return True
    if parts[0] == "teams":
        if len(parts) == 1:
            return True
        return (len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(loaded.get("teams") or [])
                and parts[2] in C.TEAM_FIELDS + ("changes",))
    if path == "demand.monthly_profile":
        return True
    return (len(parts) == 3 and ".".join(parts[:2]) == "demand.monthly_profile" and parts[2].isdigit()
            and int(parts[2]) < 12)


def _set(data: dict, path: str, value: Any) -> None:
    parts: list[Any] = [int(p) if p.isdigit() else p for p in path.split(".")]
    C._set(data, tuple(parts), copy.deepcopy(value))


def _in_range(sp: C.Spec, value: Any) -> bool:
    """Whether the control can show ``value`` (Streamlit refuses values outside its range)."""
    if sp.widget == "toggle":
        return isinstance(value, bool)
    try:
        w = C.to_widget(sp, value)
    except (TypeError, ValueError, OverflowError):
        return False
    if w is None:
        return sp.kind.startswith("opt_")
    if sp.widget in ("number", "slider"):
        return isinstance(w, (int, float)) and not isinstance(w, bool) and sp.min <= w <= sp.max
    if sp.widget == "select":
        return w in sp.options
    if sp.widget == "multiselect":
        return isinstance(w, list) and all(x in sp.options for x in w)
    return True


def apply_edits(lang: str, loaded: dict, diff: dict[str, Any]) -> tuple[dict, list[str]]:
    """``loaded`` with the edits the controls can show and the model accepts; the rest, in words."""
    data = copy.deepcopy(loaded)
    ignored: list[str] = []
    specs = {sp.dotted: sp for sp in C.specs_for(loaded)}
    kept: dict[str, Any] = {}
    for path, value in diff.items():
        if not _editable(path, loaded):
            ignored.append(t(lang, "url.unknown_field", field=path))
            continue
        sp = specs.get(path)
        if sp is not None and not _in_range(sp, value):
            ignored.append(t(lang, "url.out_of_range", field=_name(lang, path, loaded), v=value, lo=sp.min, hi=sp.max))
            continue
        kept[path] = value
    for path, value in kept.items():
        _set(data, path, value)
    try:
        scenario_from_dict(data)
    except ScenarioError as exc:
        ignored += [t(lang, "url.bad_field", field=_name(lang, e.path, loaded) if e.path else "—",
                      msg=error_text(lang, e)) for e in exc.errors]
        return copy.deepcopy(loaded), ignored
    except Exception as exc:  # a tampered value of a type the model's checks did not expect
        ignored.append(t(lang, "url.bad_field", field="—", msg=error_text(lang, exc)))
        return copy.deepcopy(loaded), ignored
    if not _teams_fit(data):
        ignored.append(t(lang, "url.out_of_range", field="teams", v="…", lo=0, hi=500))
        return copy.deepcopy(loaded), ignored
    return data, ignored


def _name(lang: str, path: str, loaded: dict) -> str:
    """A field in words with its dotted path, e.g. "速裁团队 · 法官（teams.0.judges）"."""
    from sim.vocabulary.field_labels import FIELDS, generic, label

    words = path
    parts = path.split(".")
    try:
        if generic(path) in FIELDS or generic(path).startswith("targets."):
            words = label(lang, path)
            if parts[0] in ("teams", "case_types") and len(parts) > 2:  # whose field: the team's, the type's
                words = f"{loaded[parts[0]][int(parts[1])]['name']} · {words}"
    except (KeyError, IndexError, ValueError, TypeError):
        words = path
    return path if words == path else (f"{words}（{path}）" if lang == "zh" else f"{words} ({path})")


def _sep(lang: str) -> str:
    return "；" if lang == "zh" else "; "


def _teams_fit(data: dict) -> bool:
    """Team sizes the team table can show (0 to 500)."""
    for tm in data.get("teams") or []:
        for f in ("judges", "assistants", "clerks"):
            v = tm.get(f)
            if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 500:
                return False
    return True


def load_edited(state: Any, loaded: dict, edited: dict) -> None:
    """Make ``edited`` the what-if plan while ``loaded`` stays the reference."""
    P.load(state, edited)
    state[C.LOADED] = copy.deepcopy(loaded)
    rows = copy.deepcopy(P.teams(state))
    for i, tm in enumerate(rows):  # keep the slider's range the loaded scenario gives
        if i < len(loaded.get("teams") or []):
            tm["slider_max"] = max(tm["slider_max"], C.slider_max(int(loaded["teams"][i]["judges"])))
    P.set_teams(state, rows)


# --- reading the address ----------------------------------------------------------------------

def _int(text: Optional[str], lo: int, hi: int) -> Optional[int]:
    try:
        v = int(str(text))
    except (TypeError, ValueError):
        return None
    return v if lo <= v <= hi else None


def restore(pages: list[str]) -> Optional[str]:
    """On a session's first run, put the address's state into session state (before any widget).

    What cannot be used is left at its default and named in a message (see :func:`notice`).
    Returns the page an old link names (``?p=compare``, ``?view=present``; one of ``pages``),
    for the navigation to open at its own path; else None.
    """
    s = st.session_state
    if s.get(READ):
        return None
    s[READ] = True
    q = _address()
    if not any(k in q for k in KEYS + OLD_KEYS) and not q.ignored:
        if not q.keys():  # Streamlit may have dropped an address over its limits: the browser checks
            st.html(CUT_SCRIPT, unsafe_allow_javascript=True)
        return None
    if q.ignored:  # take what was left out out of the address bar too (write() puts back the rest)
        st.query_params.clear()
    lang = q.get(LANG, DEFAULT_LANG)
    msgs: list[str] = [t(lang if lang in LANGS else DEFAULT_LANG, f"url.cut.{key}", **params)
                       for key, params in q.ignored]
    if lang not in LANGS:
        msgs.append(t(DEFAULT_LANG, "url.bad_lang", v=lang))
        lang = DEFAULT_LANG
    s["lang"] = lang

    page = "present" if q.get(VIEW) == "present" else q.get(PAGE)
    if page is not None and page not in pages:
        msgs.append(t(lang, "url.bad_page", v=page, allowed=", ".join(pages)))
        page = None

    from .widgets.inputs import ensure_loaded, load_file

    scn_ok = True
    pick = q.get(SCN)
    if GROUP in q and _restore_group(lang, q.get(GROUP), q.get(CHOICE), msgs):
        pick = None  # the exercise's starting scenario is loaded; the edits are relative to it
    if pick is not None:
        known = pick in scenario_files() or SP.is_saved(pick)
        errs = load_file(pick) if known else ["unknown"]
        if errs:
            scn_ok = False
            msgs.append(t(lang, "url.bad_scenario", v=echo(pick)))
    ensure_loaded()

    text = q.get(EDITS)
    if text and scn_ok:
        loaded = s[C.LOADED]
        try:
            diff = decode_edits(text)
        except ValueError:
            msgs.append(t(lang, "url.bad_edits", why=t(lang, "url.undecodable")))
        else:
            edited, bad = apply_edits(lang, loaded, diff)
            if bad:
                msgs.append(t(lang, "url.bad_edits", why=_sep(lang).join(bad)))
            if edited != loaded:
                load_edited(s, loaded, edited)

    msgs += _restore_keep_totals(lang, q)
    msgs += _restore_comparison(lang, q)
    if msgs:
        s[NOTICE] = (t(lang, "url.ignored", items=_sep(lang).join(msgs)), None)
    return page


def _address() -> Address:
    """The session's first address, read within the limits of :mod:`ui.address_read` (from the
    raw query string, which Streamlit drops whole past 1,000 parameters)."""
    raw = raw_query()
    if raw is None:  # no session context: the parameters Streamlit parsed
        from urllib.parse import urlencode

        raw = urlencode([(k, v) for k in st.query_params for v in st.query_params.get_all(k)])
    return read(raw)


def _restore_group(lang: str, text: str, choice: Optional[str], msgs: list[str]) -> bool:
    """Come back to the training group ``CODE.gid.token`` names, with its exercise's start in
    the controls and its date ``choice``; False (and a message) when the link's group cannot be
    used."""
    from sim.training.exercise import find_exercise
    from sim.training.session import SessionError

    from .pages import training_whatif as TW

    parts = (text or "").split(".")
    try:
        if len(parts) != 3:
            raise SessionError("ses_not_yours")
        store = TC.store()
        group = store.group(parts[0], parts[1], parts[2])
        info = store.session(parts[0])
        entry = find_exercise(info.exercise)
    except (SessionError, ScenarioError) as exc:
        msgs.append(t(lang, "trw.url_bad", why=error_text(lang, exc.errors[0] if isinstance(exc, ScenarioError) else exc)))
        return False
    if not entry.ok:
        msgs.append(t(lang, "trw.url_bad", why=TC.problems_text(lang, entry.problems)))
        return False
    st.session_state[TC.GROUP] = {"code": info.code, "gid": group.id, "token": parts[2], "name": group.name}
    TW.load(info.code, entry.exercise, entry.start)
    if choice is not None and not TW.restore_choices(entry.exercise, entry.start, choice):
        msgs.append(t(lang, "trw.url_bad_choice", v=echo(choice)))
    return True


def _restore_keep_totals(lang: str, q: Address) -> list[str]:
    """The keep-totals toggle and where moved staff come from (after the scenario and edits,
    whose loading resets both to their defaults)."""
    s = st.session_state
    msgs: list[str] = []
    keep = q.get(KEEP)
    if keep is not None:
        if keep in ("0", "1"):
            P.set_value(s, C.KEEP_TOTALS, keep == "1")
        else:
            msgs.append(t(lang, "spd.url.bad_keep", v=keep))
    take = q.get(TAKE)
    if take is not None:
        n_teams = len(P.teams(s))
        if _int(take, 0, n_teams - 1) is not None and P.value(s, C.KEEP_TOTALS, True):
            P.set_value(s, C.TAKE_FROM, str(int(take)))
        else:
            msgs.append(t(lang, "spd.url.bad_take", v=take, hi=n_teams - 1))
    return msgs


def _restore_comparison(lang: str, q: Address) -> list[str]:
    """The comparison's picks, reference, replications and seed (into the page's kept choices)."""
    picks = [p for p in q.get_all(PICKS) if p]
    if not picks and not any(k in q for k in (REF, REPS, SEED)):
        return []
    from .pages.compare import MAX_PICK

    msgs: list[str] = []
    files = set(scenario_files())
    try:
        saved = {e.name for e in SP.store().list() if e.ok}
    except OSError:
        saved = set()
    good: list[str] = []
    for p in picks:
        ok = ((p.startswith(BUILTIN) and p[len(BUILTIN):] in files)
              or (SP.is_saved(p) and SP.saved_name(p) in saved)
              or (p == CURRENT and current_scenario() is not None))
        if ok and p not in good and len(good) < MAX_PICK:
            good.append(p)
        else:
            msgs.append(t(lang, "url.bad_pick", v=echo(p)))
    kept: dict[str, Any] = {"cmp_pick": good}
    ref = q.get(REF)
    if ref is not None:
        if ref in good:
            kept["cmp_ref"] = ref
        else:
            msgs.append(t(lang, "url.bad_pick", v=echo(ref)))
    for key, name, lo, hi, widget in ((REPS, "cmp.reps", 2, 500, "cmp_reps"), (SEED, "cmp.seed", 0, 2**31 - 1, "cmp_seed")):
        if key in q:
            v = _int(q.get(key), lo, hi)
            if v is None:
                msgs.append(t(lang, "url.bad_number", name=t(lang, name), v=q.get(key), lo=lo, hi=hi))
            else:
                kept[widget] = v
    st.session_state[CMP_KEPT] = kept
    return msgs


# --- writing the address ----------------------------------------------------------------------

def current_params() -> dict[str, Any]:
    """The address parameters for the session's state now (defaults left out)."""
    from .widgets.inputs import current_data

    s = st.session_state
    out: dict[str, Any] = {}
    if s.get("lang", DEFAULT_LANG) != DEFAULT_LANG:
        out[LANG] = s["lang"]
    group = s.get(TC.GROUP)  # a training group working on its exercise
    loaded_file = s.get(P.LOADED_FILE)
    if group:
        from .pages.training_whatif import choices_text

        out[GROUP] = f"{group['code']}.{group['gid']}.{group['token']}"
        if choices_text() is not None:
            out[CHOICE] = choices_text()
    elif loaded_file and loaded_file != DEFAULT_SCENARIO:
        out[SCN] = loaded_file
    if C.LOADED in s and P.PLAN in s:
        data = current_data()
        try:
            scenario_from_dict(data)
            valid = True
        except ScenarioError:
            valid = False
        if valid:
            enc = encode_edits(differences(s[C.LOADED], data))
            s[TOO_LONG] = len(enc) > MAX_EDITS
            if enc and not s[TOO_LONG]:
                out[EDITS] = enc
        elif EDITS in st.query_params:  # keep the last valid edits while the settings are invalid
            out[EDITS] = st.query_params[EDITS]
        if not P.value(s, C.KEEP_TOTALS, True):
            out[KEEP] = "0"
        elif P.value(s, C.TAKE_FROM, C.PROPORTIONAL) != C.PROPORTIONAL:
            out[TAKE] = str(P.value(s, C.TAKE_FROM))
    kept = s.get(CMP_KEPT) or {}
    if kept.get("cmp_pick"):
        out[PICKS] = list(kept["cmp_pick"])
        if kept.get("cmp_ref") in kept["cmp_pick"]:
            out[REF] = kept["cmp_ref"]
    for key, widget in ((REPS, "cmp_reps"), (SEED, "cmp_seed")):
        if kept.get(widget) is not None:
            out[key] = str(int(kept[widget]))
    return out


def write() -> None:
    """Make the address match the state (only the parameters that changed are sent; an old
    link's page parameter goes: the page is the path now)."""
    want = current_params()
    q = st.query_params
    for k in KEYS + OLD_KEYS:
        have = q.get_all(k)
        v = want.get(k)
        if v is None:
            if have:
                del q[k]
        elif (v if isinstance(v, list) else [v]) != have:
            q[k] = v
    s = st.session_state
    note = s.get(NOTICE)
    if note is not None and note[1] is None:  # remember the address the message belongs to
        s[NOTICE] = (note[0], tuple(sorted((k, str(v)) for k, v in want.items())))


def notice() -> None:
    """The message naming what the link's ignored parts were, while the address is unchanged."""
    note = st.session_state.get(NOTICE)
    if note is None:
        return
    msg, shown_for = note
    if shown_for is not None and shown_for != tuple(sorted((k, str(v)) for k, v in
                                                          current_params_cached().items())):
        st.session_state.pop(NOTICE, None)
        return
    st.warning(md_escape(msg), icon=":material/link_off:")  # it echoes the link's values: text only


def current_params_cached() -> dict[str, Any]:
    """The parameters as last written (what the address shows now)."""
    return {k: (v if len(v) != 1 or k == PICKS else v[0]) for k in KEYS if (v := st.query_params.get_all(k))}
