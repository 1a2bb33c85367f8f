"""Warnings that a result may mislead (from the engine, see ``sim.caveats``), in the user's language."""
from __future__ import annotations

from typing import Any

import streamlit as st

from sim.results import Results

from .i18n import fmt_pct, t


def warning_message(lang: str, w: dict[str, Any]) -> str:
    """One engine warning as a sentence in ``lang``."""
    params = dict(w["params"])
    if "load" in params:
        params["load"] = fmt_pct(params["load"], 0)
    return t(lang, f"warn.{w['code']}", **params)


def render_warnings(lang: str, res: Results) -> None:
    """The warnings of a run, above its headline figures; nothing when there are none."""
    if not res.warnings:
        return
    lines = "\n".join(f"- {warning_message(lang, w)}" for w in res.warnings)
    st.warning(f"**{t(lang, 'warn.title')}**\n\n{lines}", icon=":material/warning:")
