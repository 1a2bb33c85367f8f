"""Downloads: the current scenario as YAML and the results as CSV (monthly and whole horizon)."""
from __future__ import annotations

import io
import re
from typing import Optional

import pandas as pd
import streamlit as st

from sim.analysis.results import Results
from sim.model.scenario import Scenario, dump_yaml

from .i18n import t


def scenario_yaml(scn: Scenario) -> str:
    """The scenario file a user downloads: exactly what ``load_yaml_text`` reads back."""
    return dump_yaml(scn)


def results_csv(lang: str, res: Results) -> str:
    """The engine's long CSV (with each figure's name and unit next to its code) and translated headers.

    UTF-8 with a byte-order mark so that Excel on Chinese Windows opens it correctly.
    """
    df = pd.read_csv(io.StringIO(res.to_csv(lang)), dtype={"period": str})
    df["period"] = df["period"].replace({"total": t(lang, "dl.csv.total")})
    df = df.rename(columns={"period": t(lang, "dl.csv.period"), "figure": t(lang, "dl.csv.figure_code"),
                            "figure_name": t(lang, "dl.csv.figure"), "mean": t(lang, "dl.csv.mean"),
                            "ci_low": t(lang, "dl.csv.ci_low"), "ci_high": t(lang, "dl.csv.ci_high")})
    return "\ufeff" + df.to_csv(index=False)


def slug(name: str) -> str:
    s = re.sub(r"[^\w\-]+", "_", name, flags=re.UNICODE).strip("_")
    return s[:60] or "scenario"


def render_downloads(lang: str, scn: Optional[Scenario], res: Optional[Results]) -> None:
    """Two download buttons side by side (the YAML one only when the settings are valid)."""
    c1, c2 = st.columns(2)
    with c1:
        if scn is not None:
            st.download_button(t(lang, "dl.yaml"), data=scenario_yaml(scn).encode("utf-8"),
                               file_name=f"{slug(scn.name)}.yaml", mime="application/x-yaml",
                               key="dl_yaml", help=t(lang, "dl.yaml.help"), width="stretch", on_click="ignore")
        else:
            st.info(t(lang, "dl.invalid"))
    with c2:
        if res is not None:
            st.download_button(t(lang, "dl.csv"), data=results_csv(lang, res).encode("utf-8"),
                               file_name=f"{slug(res.scenario.name)}_results.csv", mime="text/csv",
                               key="dl_csv", help=t(lang, "dl.csv.help"), width="stretch", on_click="ignore")
