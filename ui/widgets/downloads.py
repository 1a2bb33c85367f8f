"""Downloads: the current scenario as YAML and the results as CSV and Excel (monthly and whole
horizon), both from the export layer (:mod:`sim.report.writers`), as the command line writes them."""
from __future__ import annotations

import re
from typing import Optional

import streamlit as st

from sim.analysis.results import Results
from sim.model.scenario import Scenario, dump_yaml
from sim.report.tables_run import run_csv, run_xlsx

from ..i18n import t


def scenario_yaml(scn: Scenario) -> str:
    """The scenario file a user downloads: exactly what ``load_yaml_text`` reads back."""
    return dump_yaml(scn)


def results_csv(lang: str, res: Results) -> str:
    """The run's CSV (:func:`sim.report.tables_run.run_csv_table`): headers and words in ``lang``,
    shares in per cent, UTF-8 text starting with a byte-order mark so that Excel on Chinese
    Windows opens it correctly."""
    return run_csv(res, lang)


def results_xlsx(lang: str, res: Results) -> bytes:
    """The run's workbook (:func:`sim.report.tables_run.run_tables`)."""
    return run_xlsx(res, lang)


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def slug(name: str) -> str:
    s = re.sub(r"[^\w\-]+", "_", name, flags=re.UNICODE).strip("_")
    return s[:60] or "scenario"


def render_downloads(lang: str, scn: Optional[Scenario], res: Optional[Results]) -> None:
    """Two download buttons side by side (the YAML one only when the settings are valid).

    Every download in the app is made when clicked (``data`` a function), not on each rerun: a
    file made on a run is dropped by Streamlit a run or two later, and the browser checks each
    button's file as it is drawn, so the page's quick reruns (preliminary figures, a refresh)
    left 404s in the console; files made on click are also no work for the runs nobody clicks.
    """
    c1, c2, c3 = st.columns(3)
    with c1:
        if scn is not None:
            st.download_button(t(lang, "dl.yaml"), data=lambda: scenario_yaml(scn).encode("utf-8"),
                               file_name=f"{slug(scn.name)}.yaml", mime="application/x-yaml",
                               key="dl_yaml", help=t(lang, "dl.yaml.help"), width="stretch", on_click="ignore")
        else:
            st.info(t(lang, "dl.invalid"))
    with c2:
        if res is not None:
            st.download_button(t(lang, "dl.csv"), data=lambda: results_csv(lang, res).encode("utf-8"),
                               file_name=f"{slug(res.scenario.name)}_results.csv", mime="text/csv",
                               key="dl_csv", help=t(lang, "dl.csv.help"), width="stretch", on_click="ignore")
    with c3:
        if res is not None:
            st.download_button(t(lang, "dl.xlsx"), data=lambda: results_xlsx(lang, res),
                               file_name=f"{slug(res.scenario.name)}_results.xlsx", mime=XLSX_MIME,
                               key="dl_xlsx", help=t(lang, "dl.xlsx.help"), width="stretch", on_click="ignore")
