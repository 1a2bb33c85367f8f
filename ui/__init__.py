"""Streamlit user interface of the caseload simulator (the engine lives in ``sim/``)."""
