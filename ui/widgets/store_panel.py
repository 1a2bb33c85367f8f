"""Saved scenarios on the what-if page: save, list, load, rename, duplicate, delete, upload, download.

The panel is an expander in the what-if sidebar, so a user saves the scenario they are editing
without leaving the page. Every action that changes files runs in a button callback: callbacks
run before the script, so the scenario picker (drawn above the panel) already lists the result,
and loading may set the plan (which the controls are then drawn from). Saving is the exception:
its callback only asks, and the page run saves the plan it has just built from every change
that came with the click (:func:`save_if_asked`), before drawing anything of the plan, so what
is saved is exactly what the page then shows. Outcomes are kept as a one-shot message in session
state and shown on the next run.

Saving over an existing name, overwriting by upload and deleting all go through a confirm step
held in session state (``PENDING``), never silently.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import pandas as pd
import streamlit as st

from sim.model.errors import FieldError, field_error
from sim.model.scenario import Scenario, scenario_to_dict
from sim.store.scenario_store import (
    InvalidScenarioFile,
    SavedScenario,
    ScenarioExists,
    ScenarioStore,
    StoreError,
    UnreadableEntry,
)
from sim.vocabulary.messages import os_reason
from sim.vocabulary.messages import render as render_message
from sim.vocabulary.safe_text import md_escape

from ..i18n import error_text as engine_error_text
from ..i18n import t, t_md
from . import plan as P
from .widget_texts import uploader_texts

SAVED_PREFIX = "saved:"   # scenario-picker values of saved scenarios ("saved:<name>")
MSG = "_store_msg"        # (kind, text) shown once: "success" | "error" | "info"
PENDING = "_store_pending"  # a step waiting for confirmation: {"kind": "overwrite"|"upload"|"delete", ...}
UPLOAD_SEEN = "_store_upload_seen"  # file id of the upload already handled (reruns keep the file)
SAVE_ASKED = "_store_save_asked"    # True from a press of "save" until the page run saves


def store() -> ScenarioStore:
    """The scenario store; the folder is read from ``$COURT_SIM_SCENARIO_DIR`` on every call,
    so tests (and a training-room server) can point it elsewhere."""
    return ScenarioStore()


def is_saved(option: Optional[str]) -> bool:
    """True for a scenario-picker value that names a saved scenario."""
    return isinstance(option, str) and option.startswith(SAVED_PREFIX)


def saved_name(option: str) -> str:
    """The saved scenario's name inside a picker value."""
    return option[len(SAVED_PREFIX):]


def picker_options(current: Optional[str] = None) -> list[str]:
    """Picker values of every readable saved scenario (plus ``current`` if it has disappeared,
    so the picker keeps showing what is loaded rather than jumping to another scenario)."""
    try:
        out = [SAVED_PREFIX + e.name for e in store().list() if e.ok]
    except (OSError, StoreError):  # an unreachable shared folder must not break the what-if page
        out = []
    if is_saved(current) and current not in out:
        out.append(current)  # type: ignore[arg-type]
    return out


def picker_label(lang: str, option: str) -> str:
    """How a saved scenario appears in the what-if page's picker."""
    name = saved_name(option)
    try:
        there = store().exists(name)
    except (OSError, StoreError):
        there = False
    return t(lang, "store.picker.saved" if there else "store.picker.gone", name=name)


def load_saved(option: str) -> Optional[list[FieldError]]:
    """Load a saved scenario into the what-if controls; on failure keep the state, return errors."""
    name = saved_name(option)
    try:
        scn = store().load(name)
    except UnreadableEntry as exc:
        return exc.problems or [field_error("", exc.code, **exc.params)]
    except InvalidScenarioFile as exc:
        return exc.errors
    except StoreError as exc:
        return [field_error("", exc.code, **exc.params)]
    P.load(st.session_state, scenario_to_dict(scn))
    st.session_state[P.LOADED_FILE] = option
    st.session_state.pop("_load_errors", None)
    return None


# --- messages -----------------------------------------------------------------------------

def problems_text(lang: str, errors: list[FieldError]) -> str:
    """Field problems in the user's language, each with the field it belongs to."""
    return "; ".join((f"{e.path}: " if e.path else "") + engine_error_text(lang, e) for e in errors)


def error_text(lang: str, exc: BaseException) -> str:
    """A store error (or any other) in the user's language, rendered from its ``code`` and ``params``
    by the engine's message catalogue (the field problems of an invalid file one by one)."""
    if isinstance(exc, InvalidScenarioFile):
        return render_message("invalid_scenario", {"file": exc.source or "?", "errors": problems_text(lang, exc.errors)}, lang)
    if isinstance(exc, UnreadableEntry) and exc.problems:
        return render_message("unreadable", {**exc.params, "reason": problems_text(lang, exc.problems)}, lang)
    return engine_error_text(lang, exc)


def entry_error(lang: str, e: SavedScenario) -> str:
    """Why a listed file cannot be read, in the user's language."""
    return problems_text(lang, e.problems) if e.problems else (e.error or "?")


def _flash(kind: str, text: str) -> None:
    # every outcome names a saved scenario or echoes a file's content: shown as text
    st.session_state[MSG] = (kind, md_escape(text))


def _show_flash() -> None:
    msg = st.session_state.pop(MSG, None)
    if msg:
        kind, text = msg
        getattr(st, kind)(text)


def fmt_saved_at(stamp: str) -> str:
    """'2025-03-01T14:05:09+08:00' → '2025-03-01 14:05' (local time as saved)."""
    try:
        return dt.datetime.fromisoformat(stamp).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return stamp or "—"


# --- callbacks ----------------------------------------------------------------------------

def _ask_save() -> None:
    st.session_state[SAVE_ASKED] = True


def save_if_asked(lang: str, scn: Optional[Scenario]) -> None:
    """Save ``scn`` (the plan this page run has built from every change that came with the
    click; None when it is invalid) if "save" was pressed since the last run. Called before
    the picker and the panel are drawn, so both list the plan saved."""
    if not st.session_state.pop(SAVE_ASKED, False):
        return
    if scn is None:
        _flash("error", t(lang, "store.save.invalid"))
        return
    name = st.session_state.get("store_save_name") or ""
    note = st.session_state.get("store_save_note") or ""
    st.session_state.pop(PENDING, None)
    try:
        saved = store().save(scn, name, note)
    except ScenarioExists as exc:
        # ask first: the scenario travels with the pending step, so confirming saves what was shown
        st.session_state[PENDING] = {"kind": "overwrite", "name": exc.name, "scenario": scn, "note": note}
        return
    except StoreError as exc:
        _flash("error", error_text(lang, exc))
        return
    _flash("success", t(lang, "store.saved", name=saved.name))


def _on_confirm_overwrite(lang: str) -> None:
    p = st.session_state.pop(PENDING, None) or {}
    try:
        if p.get("kind") == "overwrite":
            saved = store().save(p["scenario"], p["name"], p.get("note", ""), overwrite=True)
            _flash("success", t(lang, "store.saved", name=saved.name))
        elif p.get("kind") == "upload":
            saved = store().upload(p["data"], overwrite=True, source=p.get("file", "upload"))
            _flash("success", t(lang, "store.uploaded", name=saved.name))
    except StoreError as exc:
        _flash("error", error_text(lang, exc))


def _on_cancel() -> None:
    st.session_state.pop(PENDING, None)


def _picked() -> Optional[str]:
    return st.session_state.get("store_pick")


def _on_load(lang: str) -> None:
    name = _picked()
    if not name:
        return
    errs = load_saved(SAVED_PREFIX + name)
    if errs:
        _flash("error", problems_text(lang, errs))
        return
    _flash("success", t(lang, "store.loaded", name=name))


def _on_rename(lang: str) -> None:
    old, new = _picked(), (st.session_state.get("store_rename_to") or "")
    if not old:
        return
    try:
        saved = store().rename(old, new)
    except StoreError as exc:
        _flash("error", error_text(lang, exc))
        return
    # the what-if page may have this scenario loaded: keep its picker pointing at it
    if st.session_state.get(P.LOADED_FILE) == SAVED_PREFIX + old:
        st.session_state[P.LOADED_FILE] = SAVED_PREFIX + saved.name
    st.session_state["store_pick"] = saved.name
    st.session_state["store_rename_to"] = ""
    _flash("success", t(lang, "store.renamed", old=old, new=saved.name))


def _on_duplicate(lang: str) -> None:
    name = _picked()
    if not name:
        return
    try:
        saved = store().duplicate(name, copy_word=t(lang, "store.copy_word"))
    except StoreError as exc:
        _flash("error", error_text(lang, exc))
        return
    st.session_state["store_pick"] = saved.name
    _flash("success", t(lang, "store.duplicated", name=saved.name))


def _on_delete_ask() -> None:
    if _picked():
        st.session_state[PENDING] = {"kind": "delete", "name": _picked()}


def _on_delete_confirm(lang: str) -> None:
    p = st.session_state.pop(PENDING, None) or {}
    if p.get("kind") != "delete":
        return
    try:
        store().delete(p["name"])
    except StoreError as exc:
        _flash("error", error_text(lang, exc))
        return
    st.session_state.pop("store_pick", None)
    _flash("success", t(lang, "store.deleted", name=p["name"]))


def handle_upload(lang: str, filename: str, data: bytes) -> None:
    """Save an uploaded file, or ask before overwriting, or say what is wrong with it."""
    st.session_state.pop(PENDING, None)
    try:
        saved = store().upload(data, source=filename)
    except ScenarioExists as exc:
        st.session_state[PENDING] = {"kind": "upload", "name": exc.name, "data": bytes(data), "file": filename}
        return
    except StoreError as exc:
        _flash("error", error_text(lang, exc))
        return
    except Exception as exc:  # noqa: BLE001 - a file this odd must still end in a message, never a traceback
        _flash("error", error_text(lang, exc))
        return
    _flash("success", t(lang, "store.uploaded", name=saved.name))


def _on_upload(lang: str) -> None:
    f = st.session_state.get("store_upload")
    if f is None:
        return
    fid = getattr(f, "file_id", None) or f"{f.name}:{f.size}"
    if st.session_state.get(UPLOAD_SEEN) == fid:
        return
    st.session_state[UPLOAD_SEEN] = fid
    handle_upload(lang, f.name, f.getvalue())


# --- rendering ----------------------------------------------------------------------------

def saved_table(lang: str, entries: list) -> pd.DataFrame:
    """The saved list as a table: name, note, date, and whether the file can be read."""
    return pd.DataFrame({
        t(lang, "store.col.name"): [e.name for e in entries],
        t(lang, "store.col.note"): [e.note for e in entries],
        t(lang, "store.col.saved_at"): [fmt_saved_at(e.saved_at) for e in entries],
        t(lang, "store.col.status"): [t(lang, "store.status.ok") if e.ok else
                                      t(lang, "store.status.bad", error=entry_error(lang, e)) for e in entries],
    })


def _raw(lang: str, s: ScenarioStore, entry: SavedScenario) -> None:
    """The start of an unreadable file as plain text, so the user can see what is wrong."""
    try:
        text, cut = s.raw_text(entry.name)
    except StoreError as exc:
        st.caption(md_escape(error_text(lang, exc)))
        return
    with st.popover(t(lang, "store.raw"), width="stretch"):
        st.code(text, language=None)
        if cut:
            st.caption(t(lang, "store.raw.cut"))


def _confirm(lang: str, ask: str, yes: tuple[str, str, Any], no: tuple[str, str]) -> None:
    st.warning(ask, icon=":material/help:")
    c1, c2 = st.columns(2)
    c1.button(t(lang, yes[0]), key=yes[1], on_click=yes[2], args=(lang,), type="primary",
              help=t(lang, yes[0] + ".help"), width="stretch")
    c2.button(t(lang, no[0]), key=no[1], on_click=_on_cancel, help=t(lang, no[0] + ".help"), width="stretch")


def render(lang: str, scenario: Optional[Scenario], default_name: str = "") -> None:
    """The saved-scenarios expander (drawn inside the sidebar).

    ``scenario`` is the current edited scenario, or None while the settings are invalid.
    """
    pending = st.session_state.get(PENDING) or {}
    msg_waiting = MSG in st.session_state
    with st.expander(t(lang, "store.exp"), expanded=bool(pending) or msg_waiting):
        _show_flash()
        try:
            s = store()
            entries = s.list()
        except StoreError as exc:
            st.error(md_escape(error_text(lang, exc)))
            return
        except OSError as exc:
            st.error(md_escape(render_message("folder_unreadable", {"folder": str(s.folder),
                                                                    "reason": os_reason(exc)}, lang)))
            return
        st.caption(t(lang, "store.folder", folder=s.folder))

        # save
        st.markdown(f"**{t(lang, 'store.save.header')}**")
        if "store_save_name" not in st.session_state:
            st.session_state["store_save_name"] = default_name
        st.text_input(t(lang, "store.save.name"), key="store_save_name", max_chars=120,
                      help=t(lang, "store.save.name.help"))
        st.text_area(t(lang, "store.save.note"), key="store_save_note", height=68, max_chars=2000,
                     help=t(lang, "store.save.note.help"))
        if scenario is None:
            st.info(t(lang, "store.save.invalid"))
        st.button(t(lang, "store.save.button"), key="store_save", disabled=scenario is None,
                  on_click=_ask_save, help=t(lang, "store.save.button.help"), width="stretch")
        if pending.get("kind") == "overwrite":
            _confirm(lang, t_md(lang, "store.overwrite.ask", name=pending["name"]),
                     ("store.overwrite.yes", "store_overwrite_yes", _on_confirm_overwrite),
                     ("store.overwrite.no", "store_overwrite_no"))

        # list and actions
        st.markdown(f"**{t(lang, 'store.list.header', n=len(entries))}**")
        if not entries:
            st.caption(t(lang, "store.list.empty"))
        else:
            st.dataframe(saved_table(lang, entries), hide_index=True, width="stretch", key="store_table")
            names = [e.name for e in entries]
            if st.session_state.get("store_pick") not in names:
                st.session_state["store_pick"] = names[0]
            st.selectbox(t(lang, "store.pick"), options=names, key="store_pick", help=t(lang, "store.pick.help"))
            entry = next(e for e in entries if e.name == st.session_state["store_pick"])
            if not entry.ok:
                st.error(t_md(lang, "store.unreadable_action", error=entry_error(lang, entry)))
                _raw(lang, s, entry)
            c1, c2, c3 = st.columns(3)
            c1.button(t(lang, "store.load"), key="store_load", on_click=_on_load, args=(lang,), disabled=not entry.ok,
                      help=t(lang, "store.load.help"), width="stretch")
            c2.button(t(lang, "store.duplicate"), key="store_duplicate", on_click=_on_duplicate, args=(lang,),
                      disabled=not entry.ok, help=t(lang, "store.duplicate.help"), width="stretch")
            c3.button(t(lang, "store.delete"), key="store_delete", on_click=_on_delete_ask,
                      help=t(lang, "store.delete.help"), width="stretch")
            if pending.get("kind") == "delete":
                _confirm(lang, t_md(lang, "store.delete.ask", name=pending["name"]),
                         ("store.delete.yes", "store_delete_yes", _on_delete_confirm),
                         ("store.delete.no", "store_delete_no"))
            r1, r2 = st.columns([2, 1], vertical_alignment="bottom")
            r1.text_input(t(lang, "store.rename.to"), key="store_rename_to", max_chars=120,
                          help=t(lang, "store.rename.to.help"))
            r2.button(t(lang, "store.rename"), key="store_rename", on_click=_on_rename, args=(lang,),
                      help=t(lang, "store.rename.help"), width="stretch")
            try:
                data, fname = s.download(entry.name), s.download_filename(entry.name)
            except StoreError as exc:
                st.error(md_escape(error_text(lang, exc)))
            else:
                st.download_button(t(lang, "store.download"), data=lambda d=data: d, file_name=fname, mime="application/x-yaml",
                                   key="store_download", help=t(lang, "store.download.help"), width="stretch", on_click="ignore")

        # upload
        st.file_uploader(t(lang, "store.upload"), type=["yaml", "yml"], key="store_upload", max_upload_size=1,
                         on_change=_on_upload, args=(lang,), help=t(lang, "store.upload.help"))
        uploader_texts(lang, "store_upload", 1, ("yaml", "yml"))
        if pending.get("kind") == "upload":
            _confirm(lang, t_md(lang, "store.upload_overwrite.ask", name=pending["name"]),
                     ("store.overwrite.yes", "store_upload_yes", _on_confirm_overwrite),
                     ("store.overwrite.no", "store_upload_no"))
