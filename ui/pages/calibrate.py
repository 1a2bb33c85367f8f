"""用本院数据校准 / Calibrate to your court (issues 12 and 22).

Upload the court's case records (CSV in UTF-8 or GBK, XLSX; gzipped or not) with, optionally,
its monthly table and staffing — or only the monthly totals and staffing — or take the example
court in one click. Headers the importer does not know are mapped to fields in a mapping step.
The page shows the data-quality report, then the staffing timeline the fit will use, to check
and correct (:mod:`ui.calibrate_staffing`), then fits (with a progress bar) and shows the
results (:mod:`ui.calibrate_results`): the quality gate, every parameter with its range and what
the data cannot pin, the replay of the recorded months, the forecast from the export with bands
that hold the estimate's uncertainty and, on request, the out-of-sample check against four
naive forecasts. The calibrated court — the court as it stood at the export — is saved to the
scenario store (the uploaded records never are; a fit that failed the quality gate only after
the user confirms), from where the what-if page, the comparison and the advisor pick it. An
expander draws the sensitivity tornado for any scenario, with the fitted ranges as the swings
for the calibrated court.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Optional

import pandas as pd
import streamlit as st

from sim.calibration.calibrated import fitted_swings, forecast_scenario, origin_after
from sim.calibration.columns import REQUIRED, SYNONYMS, is_party_column, match_columns
from sim.calibration.fit import calibrate
from sim.calibration.gate import judge
from sim.calibration.monthly import compare_with_table, derive_monthly
from sim.calibration.readers import MAX_BYTES, read_table
from sim.calibration.records import import_cases
from sim.calibration.replay import forecast, out_of_sample, replay
from sim.calibration.totals import import_monthly, import_staffing
from sim.model.errors import CodedError, ScenarioError
from sim.report.calibration_spec import tornado_chart
from sim.store.scenario_store import ScenarioExists, StoreError
from sim.vocabulary.figure_format import figure_name
from sim.vocabulary.messages import render
from sim.vocabulary.safe_text import md_escape

from ..i18n import error_md, error_text, t, t_md
from ..widgets import scenario_choices as SC
from ..widgets import store_panel as SP
from ..widgets.button_action import button_action, forget
from ..widgets.widget_texts import uploader_texts
from . import calibrate_results as CR
from .calibrate_staffing import staffing_step

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "examples" / "court-records"
DATA = "_cal_data"        # {"cases": CaseImport, "monthly": ..., "staffing": ..., "source": str}
FIT = "_cal_fit"          # {"fit", "replay", "forecast", "oos", "gate", "scenario"}
MSG = "_cal_msg"          # (kind, text) shown once
HEADERS = "_cal_headers"  # {sha-256 of an upload: its header, or the error reading it gave}
TORNADO = "_cal_tornado"  # (choice, rows)
MAX_UPLOAD_MB = MAX_BYTES // 2**20  # the upload box's limit is the reader's (server.maxUploadSize allows it)
REPLAY_REPS = 8
FORECAST_MONTHS = 6
FORECAST_REPS = 20
TORNADO_REPS = 4
TORNADO_FIGURE = "within_limit_rate"


def _read(kind: str, data: bytes, mapping: Optional[dict] = None) -> Any:
    if kind == "cases":
        return import_cases(data, mapping)
    return import_monthly(data, mapping) if kind == "monthly" else import_staffing(data, mapping)


def _header(data: bytes) -> list[str]:
    """An upload's header row, read once per file (each read parses the file in a child
    process, and the mapping step is drawn on every rerun while the upload stays)."""
    key = hashlib.sha256(data).hexdigest()
    seen = st.session_state.setdefault(HEADERS, {})
    if key not in seen:
        try:
            seen[key] = read_table(data).header
        except CodedError as exc:
            seen[key] = exc
        while len(seen) > 6:  # three boxes, and the files just replaced
            seen.pop(next(iter(seen)))
    got = seen[key]
    if isinstance(got, CodedError):
        raise got
    return got


def _mapping_step(lang: str, kind: str, data: bytes) -> Optional[dict]:
    """A selectbox per required field the headers did not give; the mapping once all are chosen."""
    header = _header(data)
    cols, _errors = match_columns(kind, header)
    missing = [f for f in REQUIRED[kind] if f not in cols.index]
    if not missing:
        return {}
    st.warning(t(lang, "cal.map.intro", kind=t(lang, f"cal.kind.{kind}")))
    mapping: dict[str, str] = {}
    # party columns (原告, 被告, ...) are never read, so they are not offered as a field's column
    free = [h for h in header if h and h not in cols.header.values() and not is_party_column(h)]
    for f in missing:
        # the field in the user's words: its usual Chinese header, or its name in English
        words = SYNONYMS[kind][f][0] if lang == "zh" else f.replace("_", " ")
        pick = st.selectbox(t(lang, "cal.map.field", field=words, names=" / ".join(SYNONYMS[kind][f][1:4])),
                            options=[""] + free, key=f"cal_map_{kind}_{f}")
        if pick:
            mapping[pick] = f
    return mapping if len(mapping) == len(missing) else None


def _load_files(lang: str) -> None:
    """The data step: the example in one click, or uploads (with the mapping step when needed)."""
    # the button on its own line: in a narrow column its label was cut at 1024 px ("使用示例法…")
    button_action(t(lang, "cal.example"), "cal_example", _load_example, help=t(lang, "cal.example.help"),
                  type="primary")
    st.caption(t(lang, "cal.privacy"))
    ready = _uploads(lang)
    if ready is None:
        forget("cal_read")  # the button is not offered: the files it would read are gone or incomplete
        return
    ups, mappings = ready
    # an upload finishing just after this click stops the click's run: the read must outlive it
    button_action(t(lang, "cal.read"), "cal_read", lambda: _read_uploads(lang, ups, mappings))


def _uploads(lang: str) -> Optional[tuple[dict[str, Any], dict[str, Optional[dict]]]]:
    """The upload boxes, then the mapping step; (uploads, mappings) once the case records are
    there and every required column is known, else None."""
    types = ("csv", "xlsx", "xls", "gz", "txt")
    ups = {k: st.file_uploader(t(lang, f"cal.up.{k}"), type=list(types), key=f"cal_up_{k}",
                               help=t(lang, f"cal.up.{k}.help"), max_upload_size=MAX_UPLOAD_MB)
           for k in ("cases", "monthly", "staffing")}
    for k in ups:
        uploader_texts(lang, f"cal_up_{k}", MAX_UPLOAD_MB, types)
    if ups["cases"] is None and ups["monthly"] is None:
        return None
    # the mapping step stays on screen (outside the button) until every required column is chosen
    mappings: dict[str, Optional[dict]] = {}
    for kind, up in ups.items():
        if up is None:
            continue
        try:
            mappings[kind] = _mapping_step(lang, kind, up.getvalue())
        except CodedError as exc:
            st.error(md_escape(f"{up.name}: {exc.text(lang)}"))  # the file's name is the user's
            return None
    if any(m is None for m in mappings.values()):
        return None
    return ups, mappings


def _load_example() -> None:
    st.session_state[DATA] = {"cases": import_cases(EXAMPLE / "cases.xlsx"),
                              "monthly": import_monthly(EXAMPLE / "monthly.csv"),
                              "staffing": import_staffing(EXAMPLE / "staffing.csv"), "source": "example"}
    st.session_state.pop(FIT, None)


def _read_uploads(lang: str, ups: dict[str, Any], mappings: dict[str, Optional[dict]]) -> None:
    """Read every uploaded file; the first one refused is named in an error and nothing is kept."""
    got: dict[str, Any] = {"source": (ups["cases"] or ups["monthly"]).name}
    for kind, up in ups.items():
        if up is None:
            got[kind] = None
            continue
        try:
            got[kind] = _read(kind, up.getvalue(), mappings[kind] or None)
        except (CodedError, ScenarioError) as exc:
            msgs = [error_text(lang, e) for e in exc.errors] if isinstance(exc, ScenarioError) else [exc.text(lang)]
            st.error(md_escape(f"{up.name}: " + "; ".join(msgs)))
            return
    st.session_state[DATA] = got
    st.session_state.pop(FIT, None)


def _quality(lang: str, rep: Any, kind: str) -> None:
    st.markdown(t(lang, "cal.quality.line", kind=t(lang, f"cal.kind.{kind}"), read=rep.rows_read, kept=rep.rows_kept,
                  refused=rep.rows_refused))
    if not rep.counts:
        return
    rows = []
    for code, n, refused in rep.by_code():
        first = next(i for i in rep.issues if i.code == code)
        rows.append({t(lang, "cal.q.reason"): first.text(lang), t(lang, "cal.q.rows"): n,
                     t(lang, "cal.q.example"): f"{first.row} {first.column} {first.value or ''}".strip(),
                     t(lang, "cal.q.action"): t(lang, "cal.q.refused" if refused else "cal.q.kept")})
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    types = rep.facts.get("case_types_found") or {}
    if len(types) > 1:
        st.caption(t(lang, "cal.types"))
        st.dataframe(pd.DataFrame([{t(lang, "cal.types.code"): code, t(lang, "cal.types.rows"): v["rows"],
                                    t(lang, "cal.types.open"): v["open"],
                                    t(lang, "cal.types.months"): f"{v['first_month'] or '—'} – {v['last_month'] or '—'}",
                                    t(lang, "cal.types.kept"): t(lang, "cal.types.yes" if v["kept"] else "cal.types.no")}
                                   for code, v in sorted(types.items(), key=lambda kv: -kv[1]["rows"])]),
                     hide_index=True, width="stretch")


def _mismatches(lang: str, data: dict) -> None:
    """Months where the monthly table and the case records disagree."""
    if data.get("cases") is None or data.get("monthly") is None or not data["cases"].cases:
        return
    got = compare_with_table(derive_monthly(data["cases"].cases, data["cases"].export_date), data["monthly"].rows)
    if got:
        st.warning(t(lang, "cal.mismatch", n=len(got)))
        st.dataframe(pd.DataFrame([{t(lang, "cal.mismatch.month"): m["month"],
                                    t(lang, "cal.mismatch.figure"): figure_name(lang, {"pending": "pending_end"}.get(
                                        m["figure"], m["figure"])),
                                    t(lang, "cal.mismatch.table"): m["table"], t(lang, "cal.mismatch.row"): m["row"],
                                    t(lang, "cal.mismatch.records"): m["records"]} for m in got]),
                     hide_index=True, width="stretch")


def _fit(lang: str, data: dict, with_oos: bool, staffing: Any) -> None:
    """Fit, replay, forecast from the export and (on request) the out-of-sample check, with a
    progress bar; ``staffing``: the user's corrected timeline (None: as read)."""
    from sim.calibration.aggregate import calibrate_totals

    bar = st.progress(0.0, text=t(lang, "cal.fitting"))

    def cb(done: int, total: int) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=t(lang, "cal.fitting.n", done=done, total=total))

    def stage(key: str):
        def tick(done: int, total: int) -> None:
            bar.progress(min(done / max(total, 1), 1.0), text=t(lang, key))
        return tick

    cases = data.get("cases")
    stf = staffing if staffing is not None else data.get("staffing")
    try:
        fit = calibrate(cases, data["monthly"], stf, progress=cb) if cases is not None else \
            calibrate_totals(data["monthly"], stf, progress=cb)
        rp = replay(fit, fit.estimates.extra["monthly"].rows, REPLAY_REPS, progress=stage("cal.replay.running"))
        origin = origin_after(fit.estimates.extra["export_date"])
        fc = forecast(fit, cases.cases if cases is not None else [], origin, FORECAST_MONTHS, FORECAST_REPS,
                      progress=stage("cal.forecast.running"))
        oos = None
        if with_oos:
            bar.progress(0.0, text=t(lang, "cal.oos.running"))
            oos = out_of_sample(cases, fit, data["monthly"], stf, replications=REPLAY_REPS, progress=cb,
                                aggregate=cases is None)
    except (CodedError, ScenarioError) as exc:
        bar.empty()
        st.error(md_escape(exc.text(lang) if isinstance(exc, CodedError) else
                           "; ".join(error_text(lang, e) for e in exc.errors)))
        return
    bar.empty()
    gate = judge(fit, oos)
    st.session_state[FIT] = {"fit": fit, "replay": rp, "forecast": fc, "oos": oos, "gate": gate,
                             "scenario": forecast_scenario(fit, cases, gate=gate)}


def _save(lang: str, res: dict) -> None:
    scn = res["scenario"]
    st.subheader(t(lang, "cal.save"))
    st.caption(t(lang, "cal.save.caption", start=scn.start_date.isoformat(), months=scn.horizon_months))
    name = st.text_input(t(lang, "cal.save.name"), value=t(lang, "cal.save.default"), key="cal_save_name")
    over = st.checkbox(t(lang, "cal.save.overwrite"), key="cal_save_over")
    confirmed = res["gate"].ok or st.checkbox(t(lang, "cal.save.confirm_poor"), key="cal_save_poor")
    if st.button(t(lang, "cal.save.button"), key="cal_save", type="primary", disabled=not confirmed):
        try:
            saved = SP.store().save(scn.model_copy(update={"name": name.strip() or scn.name}), name, overwrite=over)
            st.session_state[MSG] = ("success", t_md(lang, "cal.save.done", name=saved.name))
        except ScenarioExists:
            st.session_state[MSG] = ("warning", t_md(lang, "cal.save.exists", name=name))
        except (StoreError, ScenarioError) as exc:
            st.session_state[MSG] = ("error", md_escape(exc.text(lang) if isinstance(exc, StoreError) else
                                                        "; ".join(error_text(lang, e) for e in exc.errors)))
    msg = st.session_state.pop(MSG, None)
    if msg:
        getattr(st, msg[0])(msg[1])


def _tornado(lang: str) -> None:
    """Sensitivity tornado for any scenario; the calibrated court's swings are its fitted ranges."""
    from sim.analysis.sensitivity import ASSUMPTIONS, sensitivity

    with st.expander(t(lang, "cal.tornado")):
        opts = {k: c.label for k, c in SC.choices(lang, readable_only=True).items()}
        res = st.session_state.get(FIT)
        if res is not None:
            opts = {"_calibrated": t(lang, "cal.tornado.calibrated"), **opts}
        pick = st.selectbox(t(lang, "cal.tornado.pick"), options=list(opts), format_func=lambda k: opts[k],
                            key="cal_tornado_pick")
        st.caption(t(lang, "cal.tornado.caption", reps=TORNADO_REPS))
        if st.button(t(lang, "cal.tornado.run"), key="cal_tornado_run"):
            try:
                scn = res["scenario"] if pick == "_calibrated" else SC.load_choice(pick)
            except (ScenarioError, StoreError) as exc:
                st.error(error_md(lang, exc))
                return
            swings = fitted_swings(res["fit"]) if pick == "_calibrated" else {}
            bar = st.progress(0.0)
            sens = sensitivity(scn, replications=TORNADO_REPS, deltas=swings,
                               progress=lambda d, n: bar.progress(min(d / n, 1.0)))
            bar.empty()
            st.session_state[TORNADO] = (pick, sens.rows(), {k: sens.step(k) for k in ASSUMPTIONS})
        got = st.session_state.get(TORNADO)
        if got and got[0] == pick:
            names = {k: t(lang, f"cal.assume.{k}", pct=f"{got[2][k] * 100:.0f}") for k in ASSUMPTIONS}
            st.altair_chart(tornado_chart(lang, got[1], TORNADO_FIGURE, names), width="stretch")


def page(lang: str) -> None:
    """The calibration page."""
    st.title(t(lang, "cal.title"))
    st.caption(t(lang, "cal.intro"))
    _load_files(lang)
    data = st.session_state.get(DATA)
    if data is not None:
        st.subheader(t(lang, "cal.quality"))
        src = t(lang, "cal.source.example") if data["source"] == "example" else data["source"]
        st.caption(t_md(lang, "cal.source", name=src))
        for kind in ("cases", "monthly", "staffing"):
            if data.get(kind) is not None:
                _quality(lang, data[kind].report, kind)
        _mismatches(lang, data)
        if data.get("cases") is not None and not data["cases"].cases:
            st.error(render("rec_no_rows", {}, lang))
        else:
            usable, staffing = staffing_step(lang, data)
            if usable:
                with_oos = st.checkbox(t(lang, "cal.oos"), key="cal_oos", help=t(lang, "cal.oos.help"))
                button_action(t(lang, "cal.fit"), "cal_fit", lambda: _fit(lang, data, with_oos, staffing),
                              type="primary", help=t(lang, "cal.fit.help"))
    res = st.session_state.get(FIT)
    if res is not None:
        CR.show(lang, res)
        _save(lang, res)
    _tornado(lang)
