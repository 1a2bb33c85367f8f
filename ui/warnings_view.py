"""Warnings that a result may mislead (from the engine, see ``sim.model.caveats``), in the user's language."""
from __future__ import annotations

import streamlit as st

from sim.analysis.results import Results
from sim.vocabulary.messages import render_warning
from sim.vocabulary.safe_text import md_escape

from .i18n import t


def render_warnings(lang: str, res: Results) -> None:
    """The warnings of a run, above its headline figures; nothing when there are none."""
    if not res.warnings:
        return
    lines = "\n".join(f"- {md_escape(render_warning(w, lang))}" for w in res.warnings)  # they name teams
    st.warning(f"**{t(lang, 'warn.title')}**\n\n{lines}", icon=":material/warning:")
