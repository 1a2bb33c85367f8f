"""The what-if app: ``streamlit run app.py`` opens on scenarios/baseline.yaml with results.

Thin by design: it composes the page from ``ui/`` and holds no model logic.
"""
from __future__ import annotations

import streamlit as st

from ui.page import main

st.set_page_config(page_title="法院案件流转模拟 · Court caseload simulator", page_icon="⚖️", layout="wide",
                   initial_sidebar_state="expanded")
main()
