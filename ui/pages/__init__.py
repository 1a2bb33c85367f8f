"""The app's pages, one module per task, each with ``page(lang)``; ``ui/navigation.py`` routes
them with ``st.navigation`` (each at its own address: ``/compare``, ``/advisor`` …).

Session-state names every page may use to move the browser to another page.
"""
from __future__ import annotations

import streamlit as st

#: session state: the page this run draws (its address path; ``whatif`` for the default page)
PAGE = "page"
#: session state: a page to open on the next run (set by a callback, or before ``st.rerun``)
GOTO = "_goto"


def go(page: str) -> None:
    """Open ``page`` (its address path) on the next run; in a callback, that is the run it causes."""
    st.session_state[GOTO] = page
