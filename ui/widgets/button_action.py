"""Buttons whose work is done even when a rerun replaces the run their click started.

A Streamlit button is True only in the script run its click starts. Any rerun asked meanwhile
(an upload that finishes just after the click, a second click, a changed field) stops that run,
and the next run sees the button False: the click was lost and the user saw nothing happen.
The CI caught it on the calibration page, where "read the files" was pressed while the last
upload was still finishing.

:func:`button_action` keeps the click in the session through the button's callback, which runs
before the script and so outlives the replaced run; the next run that draws the button does
the work (also after a page switch, when the user comes back). The request is cleared when the
work ends or fails, or when the user presses Streamlit's "Stop" (a ``StopException`` inside the
run): the work is then no longer wanted. It is kept when the run is replaced by a rerun (a
``RerunException``, which, like ``StopException``, is a ``BaseException`` and so passes
``except Exception`` untouched). One request at a time per session: a newer click replaces an
older one, as it does for a plain button.
"""
from __future__ import annotations

from typing import Any, Callable, Optional, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

PENDING = "_button_action"  # the key of the button whose work is asked for and not yet done
T = TypeVar("T")


def _ask(key: str) -> None:
    st.session_state[PENDING] = key


def button_action(label: str, key: str, work: Callable[[], T], **kwargs: Any) -> Optional[T]:
    """Draw the button ``key`` and run ``work`` in this run if it was pressed and not yet done;
    returns what ``work`` returned (None when it did not run).

    ``kwargs`` go to ``st.button`` (``help``, ``type``, ``disabled``...), except ``on_click``.
    """
    st.button(label, key=key, on_click=_ask, args=(key,), **kwargs)
    if st.session_state.get(PENDING) != key:
        return None
    try:
        out = work()
    except (Exception, StopException):
        forget(key)
        raise
    forget(key)
    return out


def forget(key: str) -> None:
    """Drop the request of button ``key`` (its work ran, failed, or can no longer run)."""
    if st.session_state.get(PENDING) == key:
        del st.session_state[PENDING]
