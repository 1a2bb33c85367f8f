"""The app: ``streamlit run app.py`` opens the what-if page on scenarios/baseline.yaml with results.

Thin by design: ``ui/navigation.py`` routes to the pages in ``ui/pages/``; no model logic here.

The ``__main__`` guard matters: the engine's worker processes (multiprocessing forkserver)
re-import the main module as ``__mp_main__``, and under Streamlit the main module is this
file. Without the guard every worker would draw the page again and the pool would break.
"""
from __future__ import annotations

if __name__ == "__main__":
    import streamlit as st

    from ui.navigation import main

    st.set_page_config(page_title="法院案件流转模拟 · Court caseload simulator", page_icon="⚖️", layout="wide",
                       initial_sidebar_state=480)  # px: room for the team table; ui/widgets/layout.py caps it on small windows
    main()
