"""The province page (issue 14): hand out a pool of new posts across a district's courts.

Pick a province file from ``scenarios/provinces/`` (the example of 12 basic courts is first,
so it is one click away: press the button), optionally change the pool, objective and
replications, and the allocation runs (:func:`sim.province.allocate.allocate`): on the Dask
cluster named by ``COURT_SIM_DASK_SCHEDULER`` when it is set, else on this server's own pool
of worker processes. The answer shows every court in one table (posts under the recommended
allocation and the two simple rules, headline figures now and after, the targets missed now
and still missed), the reasons court by court, and downloads as CSV and a one-page HTML report.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from sim.model.errors import ScenarioError
from sim.province.allocate import Allocation
from sim.province.cluster import ClusterError, DaskRunner, LocalRunner, scheduler_from_env
from sim.province.spec import OBJECTIVES, LoadedProvince, load_province, province_from_data
from sim.report.province_report import province_html
from sim.report.tables_studies import allocation_csv, allocation_xlsx
from sim.vocabulary.figure_format import figure_name
from sim.vocabulary.province_text import court_table, reason_lines, summary_lines
from sim.vocabulary.safe_text import md_escape

from ..i18n import error_text, t, t_md
from ..runs.service import RUN_LOCK
from ..widgets.button_action import button_action
from ..widgets.downloads import XLSX_MIME
from ..widgets.widget_texts import uploader_texts

FOLDER = Path(__file__).resolve().parents[2] / "scenarios" / "provinces"
EXAMPLE = "example.yaml"
RESULT = "_prov_result"      # (inputs key, allocation as data) of the session's last answer


def province_files() -> list[str]:
    """Province files shipped in ``scenarios/provinces/``, the example first."""
    names = sorted(p.name for p in FOLDER.glob("*.yaml"))
    return sorted(names, key=lambda n: n != EXAMPLE)


def _load(upload: Any, picked: str) -> tuple[LoadedProvince, str]:
    """The uploaded province file (its courts' scenario files looked up next to the shipped
    ones, or saved scenarios by name) or else the one picked; and a name for the widgets' keys."""
    if upload is None:
        return load_province(FOLDER / picked), picked
    import hashlib

    from sim.model.loader import MAX_BYTES, decode_text, parse_yaml

    data = upload.getvalue()
    if len(data) > MAX_BYTES:
        raise ScenarioError.one("", "file_too_large", upload.name, size_mb=len(data) / 1e6,
                                limit_mb=MAX_BYTES / 1e6)
    name = f"upload-{hashlib.sha256(data).hexdigest()[:12]}"
    return province_from_data(parse_yaml(decode_text(data), upload.name), FOLDER, upload.name), name


def _problems(lang: str, exc: ScenarioError) -> str:
    """Each problem of the uploaded file as a Markdown list item, its words shown as text."""
    return "\n".join(f"- {md_escape(e.path)}: {md_escape(e.text(lang))}" for e in exc.errors)


def _runner():
    """Dask when a scheduler is configured (the same runner as the command line), else the local pool."""
    return DaskRunner() if scheduler_from_env() else LocalRunner()


def run_allocation(prov: LoadedProvince, reps: int, objective: str, lang: str) -> "Allocation":
    """The allocation, with a progress bar (one search at a time per server)."""
    from sim.province.allocate import allocate

    bar = st.progress(0.0, text=t(lang, "prov.running", done=0, total="…"))

    def progress(done: int, total: int) -> None:
        bar.progress(min(1.0, done / max(total, 1)), text=t(lang, "prov.running", done=done, total=total))
    runner = _runner()
    try:
        with RUN_LOCK:
            alloc = allocate(prov, runner, replications=reps, objective=objective, progress=progress)
    finally:
        runner.close()
        bar.empty()
    return alloc


def _table(data: dict[str, Any], lang: str) -> pd.DataFrame:
    header, rows = court_table(data, lang)
    df = pd.DataFrame(rows, columns=header)
    sep = "、" if lang == "zh" else ", "
    df.insert(len(header) - 1, t(lang, "prov.col.missed_now"),
              [sep.join(figure_name(lang, k) for k in r["missed_now"]) or t(lang, "prov.none")
               for r in data["court_rows"]])
    return df


def page(lang: str) -> None:
    """The province page: pick a province, run the allocation, read and export the answer."""
    s = st.session_state
    st.title(t(lang, "prov.title"))
    st.caption(t(lang, "prov.intro"))
    files = province_files()
    if not files:
        st.error(t(lang, "prov.no_files", folder=str(FOLDER)))
        return
    st.selectbox(t(lang, "prov.file"), options=files, key="prov_file", help=t(lang, "prov.file.help"))
    upload = st.file_uploader(t(lang, "prov.upload"), type=["yaml", "yml"], key="prov_upload",
                              help=t(lang, "prov.upload.help"), max_upload_size=1)
    uploader_texts(lang, "prov_upload", 1, ("yaml", "yml"))
    try:
        prov, name = _load(upload, s["prov_file"])
    except ScenarioError as exc:
        st.error(t(lang, "prov.load_failed", msg=_problems(lang, exc)))  # each problem escaped
        return
    spec = prov.spec
    desc = spec.description_zh if lang == "zh" else spec.description_en
    st.caption(t(lang, "prov.loaded", courts=len(prov.names), judges=spec.pool.judges,
                 assistants=spec.pool.assistants, clerks=spec.pool.clerks) + (f" {md_escape(desc)}" if desc else ""))
    c1, c2 = st.columns(2)
    reps = c1.number_input(t(lang, "prov.reps"), min_value=2, max_value=200, step=1, value=spec.replications,
                           key=f"prov_reps_{name}", help=t(lang, "prov.reps.help"))
    objective = c2.selectbox(t(lang, "prov.objective"), options=list(OBJECTIVES), index=OBJECTIVES.index(spec.objective),
                             key=f"prov_obj_{name}", format_func=lambda o: t(lang, f"prov.objective.{o}"),
                             help=t(lang, "prov.objective.help"))
    where = scheduler_from_env()
    st.caption(t_md(lang, "prov.where_dask", address=where) if where else t(lang, "prov.where_local"))
    key = (name, int(reps), objective, tuple(prov.names))

    def run() -> bool:
        """The allocation; True when the cluster failed (its error shown)."""
        try:
            s[RESULT] = (key, run_allocation(prov, int(reps), objective, lang))
        except ClusterError as exc:
            st.error(md_escape(error_text(lang, exc)))
            return True
        return False
    # a province file uploaded just before the click, or a changed field, stops the click's run
    if button_action(t(lang, "prov.run"), "prov_run", run, type="primary", help=t(lang, "prov.run.help")):
        return
    got = s.get(RESULT)
    if not got or got[0] != key:
        st.info(t(lang, "prov.press_run"))
        return
    alloc = got[1]
    data = alloc.to_json_dict()
    for line in summary_lines(data, lang):  # they name the province and its courts: text only
        st.markdown(md_escape(line.strip()))
    st.subheader(t(lang, "prov.courts"))
    st.dataframe(_table(data, lang), hide_index=True, width="stretch")
    st.subheader(t(lang, "prov.reasons"))
    st.markdown("\n".join(("  - " if line.startswith("    ") else "- ") + md_escape(line.strip())
                          for line in reason_lines(data, lang)[1:]))
    d1, d3, d2 = st.columns(3)
    # made when clicked, without a rerun: see ui.widgets.downloads.render_downloads (the CSV text holds its BOM)
    d1.download_button(t(lang, "prov.dl.csv"), data=lambda: allocation_csv(alloc, lang).encode("utf-8"), file_name="province-allocation.csv",
                       mime="text/csv", key="prov_dl_csv", help=t(lang, "prov.dl.csv.help"), on_click="ignore")
    d3.download_button(t(lang, "prov.dl.xlsx"), data=lambda: allocation_xlsx(alloc, lang), file_name="province-allocation.xlsx",
                       mime=XLSX_MIME, key="prov_dl_xlsx", help=t(lang, "prov.dl.xlsx.help"), on_click="ignore")
    d2.download_button(t(lang, "prov.dl.html"), data=lambda: province_html(data, lang).encode("utf-8"),
                       file_name="province-allocation.html", mime="text/html", key="prov_dl_html",
                       help=t(lang, "prov.dl.html.help"), on_click="ignore")
