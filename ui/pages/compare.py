"""The comparison page: 2 to 6 scenarios side by side under common random numbers.

Scenarios come from three places: the built-in files in scenarios/, the saved scenarios of the
store, and the what-if page's current (possibly unsaved) settings. All run with one seed and
one number of replications through :func:`sim.analysis.compare.compare`; each run goes through the
app's server-wide results cache (ui/runs/service.py), so a scenario already seen on the what-if page,
or in an earlier comparison, costs nothing, and revisiting the page is instant.
"""
from __future__ import annotations

import time
from typing import Any, Optional

import pandas as pd
import streamlit as st

from sim.analysis.compare import Comparison, compare, unique_names
from sim.analysis.dask_runner import scheduler_from_env
from sim.analysis.results import Results
from sim.analysis.runner import run
from sim.model.scenario import Scenario, ScenarioError
from sim.report.charts_spec import pending_chart, within_limit_chart
from sim.report.html_report import Difference, comparison_html_bytes
from sim.store.scenario_store import StoreError
from sim.vocabulary.figure_format import (
    change_interval,
    figure_change,
    figure_interval,
    figure_name,
    figure_value,
    target_text,
    verdict_mark,
)
from sim.vocabulary.figure_registry import COMPARED

from ..i18n import fmt_number, t, t_md
from ..runs.service import cache_key, get_results, results_cache
from ..widgets import scenario_choices as SC
from ..widgets import store_panel as SP
from ..widgets.cards import verdict_cell
from ..widgets.chart_spec import draw_chart
from ..widgets.downloads import DOCX_MIME, XLSX_MIME, slug
from ..widgets.layout import show_table
from ..widgets.scenario_choices import Choice
from ..widgets.widget_texts import placeholder

MIN_PICK, MAX_PICK = 2, 6


# --- what can be picked ---------------------------------------------------------------------

def choices(lang: str) -> dict[str, Choice]:
    """Built-in scenarios, then saved ones (unreadable ones too, with the reason), then the
    what-if page's current settings."""
    return SC.choices(lang)


def load_choice(c: Choice) -> Scenario:
    """The scenario behind a choice; raises ScenarioError / StoreError with the reason."""
    return SC.load_choice(c.id)


def validate(lang: str, picked: list[str], ref: Optional[str]) -> list[str]:
    """What is wrong with the selection, as sentences saying what to change (empty: fine)."""
    errs = []
    if len(picked) < MIN_PICK:
        errs.append(t(lang, "cmp.need_two", n=len(picked)))
    if len(picked) > MAX_PICK:
        errs.append(t(lang, "cmp.too_many", n=len(picked), k=len(picked) - MAX_PICK))
    if picked and ref not in picked:
        errs.append(t(lang, "cmp.ref_missing"))
    return errs


# --- running --------------------------------------------------------------------------------

def _cached_runner(scn: Scenario, replications: int, seed: int, workers: Any = None, progress: Any = None) -> Results:
    """``sim.analysis.runner.run`` through the app's results cache (shared with the what-if page).

    With ``COURT_SIM_DASK_SCHEDULER`` set, what is not cached runs on that Dask cluster
    (``run`` sends its replications there) instead of this server's shared pool.
    """
    if scheduler_from_env():
        cache = results_cache()
        key = cache_key(scn, replications, seed)
        hit = cache.get(key)
        if hit is None:
            hit = run(scn, replications=replications, seed=seed, progress=progress)
            cache.put(key, hit)
        return hit
    return get_results(scn, replications, seed, progress).results


def run_comparison(lang: str, scns: list[Scenario], labels: list[str], reference: int,
                   replications: Optional[int], seed: Optional[int], slot) -> tuple[Comparison, bool, float]:
    """Compare with a progress bar in ``slot`` when anything must be simulated."""
    ref = scns[reference]
    n = ref.replications if replications is None else int(replications)
    s = ref.seed if seed is None else int(seed)
    cache = results_cache()
    cached = all(cache.get(cache_key(x, n, s)) is not None for x in scns)
    bar = None if cached else slot.progress(0.0, text=t(lang, "cmp.progress", done=0, total=n * len(scns)))

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.progress(min(1.0, done / total), text=t(lang, "cmp.progress", done=done, total=total))

    t0 = time.perf_counter()
    cmp = compare(scns, reference=reference, replications=n, seed=s, progress=progress, runner=_cached_runner)
    slot.empty()
    # the picker's names (unique), not the files' own: two saved copies of one plan stay apart
    cmp.names = unique_names(labels)
    return cmp, cached, time.perf_counter() - t0


# --- the table ------------------------------------------------------------------------------

def comparison_table(lang: str, cmp: Comparison, figures: tuple[str, ...] = COMPARED) -> pd.DataFrame:
    """Every figure set side by side (the registry's COMPARED), one row per scenario: mean, interval,
    paired difference, target."""
    ref_name = cmp.names[cmp.reference]
    rows = []
    for r in cmp.rows(figures):
        fig = r["figure"]
        tgt = next((res.targets().get(fig) for name, res in zip(cmp.names, cmp.results, strict=True) if name == r["scenario"]), None)
        if tgt is None:
            target, status = "—", "—"
        else:
            target = target_text(lang, fig, tgt['target'])
            status = verdict_cell(lang, tgt)
        rows.append({
            t(lang, "cmp.col.figure"): figure_name(lang, fig),
            t(lang, "cmp.col.scenario"): t(lang, "cmp.ref_mark", name=r["scenario"]) if r["scenario"] == ref_name
            else r["scenario"],
            t(lang, "cmp.col.mean"): figure_value(lang, fig, r["mean"]),
            t(lang, "cmp.col.ci"): figure_interval(lang, fig, r["ci_low"], r["ci_high"]),
            t(lang, "cmp.col.diff"): figure_change(lang, fig, r["diff_mean"]) or "—",
            t(lang, "cmp.col.diff_ci"): change_interval(lang, fig, r["diff_ci_low"], r["diff_ci_high"]),
            t(lang, "cmp.col.target"): target,
            t(lang, "cmp.col.status"): status,
        })
    return pd.DataFrame(rows)


def targets_lines(lang: str, cmp: Comparison) -> list[str]:
    """'**Plan A**: 3 of 4 targets met — ✓ 审限内结案率, ✗ 长期未结案件 …' per scenario."""
    out = []
    for name, res in zip(cmp.names, cmp.results, strict=True):
        tg = res.targets()
        if not tg:
            out.append(t_md(lang, "cmp.targets.none", name=name))
            continue
        items = ", ".join(f"{verdict_mark(v['verdict'])} {figure_name(lang, f)}" for f, v in tg.items())
        count = {k: sum(v["verdict"] == k for v in tg.values()) for k in ("met", "undecided")}
        out.append(t_md(lang, "cmp.targets.line", name=name, met=count["met"], undecided=count["undecided"],
                        total=len(tg), items=items))
    return out


# --- what differs ---------------------------------------------------------------------------

def differences_table(lang: str, cmp: Comparison) -> pd.DataFrame:
    """Every parameter that differs, in words, grouped by team then section: one row per
    parameter, one column per scenario (from the engine's :meth:`Comparison.what_differs`)."""
    rows = []
    for g in cmp.what_differs(lang):
        for it in g.items:
            row = {t(lang, "cmp.diffs.group"): g.title, t(lang, "cmp.diffs.param"): it.label}
            row.update(zip(cmp.names, it.values, strict=True))
            rows.append(row)
    return pd.DataFrame(rows)


def report_differences(lang: str, cmp: Comparison) -> list[Difference]:
    """The parameters outside the teams that differ, in the engine's words (each case type's and
    procedure's fields under its name), for the HTML report, which words the staffing itself."""
    return [Difference(it.label if g.kind == "section" else f"{g.title} · {it.label}", tuple(it.values))
            for g in cmp.what_differs(lang) if g.kind != "team" for it in g.items]


# --- exports --------------------------------------------------------------------------------

def comparison_csv(lang: str, cmp: Comparison) -> str:
    """The comparison's CSV with the plans side by side (:func:`sim.report.tables_run.comparison_table`),
    in ``lang``: UTF-8 with a byte-order mark so that Excel on Chinese Windows opens it correctly."""
    from sim.report.tables_run import comparison_csv as export_csv

    return export_csv(cmp, lang)


def comparison_xlsx(lang: str, cmp: Comparison) -> bytes:
    """The comparison's workbook (:func:`sim.report.tables_run.comparison_tables`)."""
    from sim.report.tables_run import comparison_xlsx as export_xlsx

    return export_xlsx(cmp, lang)


def comparison_docx(lang: str, cmp: Comparison, notes: dict[str, str]) -> bytes:
    """The one-page Word brief of the comparison (:mod:`sim.report.brief`), with the advisor's
    reasons when one of the plans is the advisor's answer on screen (:func:`advisor_reasons`)."""
    from sim.report.brief import comparison_brief, docx_bytes

    return docx_bytes(comparison_brief(cmp, lang, notes=notes, reasons=advisor_reasons(lang, cmp)))


def advisor_reasons(lang: str, cmp: Comparison) -> list[str]:
    """The reasons of the advisor's last answer in this session when its recommended plan is one of
    the compared plans (same settings, whatever it was saved as); none otherwise."""
    from sim.model.scenario import scenario_to_dict
    from sim.vocabulary.advisor_text import explanation_lines

    from .advisor import RESULT

    got = st.session_state.get(RESULT)
    adv = got[1] if isinstance(got, tuple) and len(got) == 2 else None
    if adv is None or not getattr(adv, "explanation", None):
        return []

    def settings(scn: Scenario) -> dict:
        d = scenario_to_dict(scn)
        for k in ("name", "description", "description_zh", "description_en"):
            d.pop(k, None)
        return d
    best = settings(adv.best)
    if not any(settings(r.scenario) == best for r in cmp.results):
        return []
    return explanation_lines(adv.explanation, lang)


# --- the page -------------------------------------------------------------------------------

KEEP = "_cmp_kept"  # the page's choices, kept outside widget state
CONTROL_KEYS = ("cmp_pick", "cmp_ref", "cmp_reps", "cmp_seed")


def _restore() -> None:
    """Bring back the choices after a visit to another page.

    Streamlit forgets the values of widgets a run does not draw, so without this the picked
    scenarios would be gone each time the user comes back from the what-if page.
    """
    state = st.session_state
    kept = state.get(KEEP) or {}
    for k in CONTROL_KEYS:
        if k not in state and k in kept:
            state[k] = kept[k]


def _controls(lang: str, opts: dict[str, Choice]) -> tuple[list[str], Optional[str], Optional[int], Optional[int]]:
    state = st.session_state
    _restore()
    # a saved scenario deleted or renamed since it was picked simply drops out of the selection
    if "cmp_pick" in state:
        state["cmp_pick"] = [k for k in state["cmp_pick"] if k in opts]
    st.multiselect(t(lang, "cmp.pick"), options=list(opts), format_func=lambda k: opts[k].label, key="cmp_pick",
                   help=t(lang, "cmp.pick.help"), placeholder=placeholder(lang), select_all=False)
    picked = list(state.get("cmp_pick") or [])
    ref_opts = picked or list(opts)
    if state.get("cmp_ref") not in ref_opts:
        state["cmp_ref"] = ref_opts[0] if ref_opts else None
    c1, c2, c3 = st.columns([2, 1, 1])
    c1.selectbox(t(lang, "cmp.ref"), options=ref_opts, format_func=lambda k: opts[k].label, key="cmp_ref",
                 help=t(lang, "cmp.ref.help"))
    reps = c2.number_input(t(lang, "cmp.reps"), min_value=2, max_value=500, step=1, value=None, key="cmp_reps",
                           help=t(lang, "cmp.reps.help"))
    seed = c3.number_input(t(lang, "cmp.seed"), min_value=0, max_value=2**31 - 1, step=1, value=None, key="cmp_seed",
                           help=t(lang, "cmp.seed.help"))
    state[KEEP] = {k: state.get(k) for k in CONTROL_KEYS}
    return picked, state.get("cmp_ref"), reps, seed


def page(lang: str) -> None:
    """The comparison page (at ``/compare``: ui/navigation.py)."""
    st.title(t(lang, "cmp.title"))
    st.caption(t(lang, "cmp.intro"))
    opts = choices(lang)
    picked, ref, reps, seed = _controls(lang, opts)

    problems = validate(lang, picked, ref)
    scns: list[Scenario] = []
    for k in picked:
        c = opts[k]
        if c.error:
            problems.append(t_md(lang, "cmp.unreadable", name=c.short, error=c.error))
            continue
        try:
            scns.append(load_choice(c))
        except ScenarioError as exc:
            problems.append(t_md(lang, "cmp.unreadable", name=c.short, error=SP.problems_text(lang, exc.errors)))
        except StoreError as exc:
            problems.append(t_md(lang, "cmp.unreadable", name=c.short, error=SP.error_text(lang, exc)))
        except OSError as exc:
            problems.append(t_md(lang, "cmp.unreadable", name=c.short, error=SP.error_text(lang, exc)))
    if problems:
        (st.info if len(picked) < MIN_PICK and len(problems) == 1 else st.error)(
            "\n\n".join(problems), icon=":material/info:")
        return

    slot = st.empty()  # the progress bar's fixed place, so nothing below jumps while it runs
    try:
        cmp, cached, seconds = run_comparison(lang, scns, [opts[k].short for k in picked], picked.index(ref),
                                              reps, seed, slot)
    except Exception as exc:  # an engine failure must end in a message, not a traceback
        slot.empty()
        st.error(t_md(lang, "cmp.run_failed", msg=SP.error_text(lang, exc)))
        return

    timing = t(lang, "cmp.timing_cached") if cached else t(lang, "cmp.timing", sec=fmt_number(seconds, 1))
    st.info(t_md(lang, "cmp.crn", n=len(cmp.names), seed=cmp.seed, reps=cmp.replications, ref=cmp.names[cmp.reference])
            + f"  \n{timing}", icon=":material/shuffle:")

    st.subheader(t(lang, "cmp.table.header"))
    st.caption(t(lang, "cmp.table.caption"))
    show_table(comparison_table(lang, cmp), key="cmp_table", pin=[t(lang, "cmp.col.figure")],
               first=[t(lang, f"cmp.col.{c}") for c in ("scenario", "mean", "target", "status", "diff")],
               # at 1024 px: the figure, plan, value, target and verdict in 576 px, on two lines
               wrap={t(lang, f"cmp.col.{c}"): px for c, px in (("figure", 164), ("scenario", 130), ("mean", 96),
                                                                 ("status", 96))}, height="all")
    st.markdown(f"**{t(lang, 'cmp.targets.header')}**")
    st.markdown("\n".join(f"- {line}" for line in targets_lines(lang, cmp)))

    st.subheader(t(lang, "cmp.charts.header"))
    draw_chart(cmp, ("compare", "pending", lang), lambda: pending_chart(lang, cmp), key="cmp_chart_pending")
    st.caption(t(lang, "cmp.chart.pending.caption"))
    draw_chart(cmp, ("compare", "within", lang), lambda: within_limit_chart(lang, cmp), key="cmp_chart_within")
    st.caption(t(lang, "cmp.chart.within.caption"))

    st.subheader(t(lang, "cmp.diffs.header"))
    diffs = differences_table(lang, cmp)
    if diffs.empty:
        st.markdown(t(lang, "cmp.diffs.none"))
    else:
        st.dataframe(diffs, hide_index=True, width="stretch", key="cmp_diffs")

    st.subheader(t(lang, "cmp.dl.header"))
    notes = {name: opts[k].note for name, k in zip(cmp.names, picked, strict=True) if opts[k].note}
    stem = slug("_vs_".join(cmp.names))[:60]
    # two rows of two: four buttons in one row are cut at 1024 px with the sidebar open
    c1, c3 = st.columns(2)
    c4, c2 = st.columns(2)
    # made when clicked, and without a rerun (on_click="ignore"): see ui.widgets.downloads.render_downloads
    c1.download_button(t(lang, "cmp.dl.csv"), data=lambda: comparison_csv(lang, cmp).encode("utf-8"),
                       file_name=f"comparison_{stem}.csv", mime="text/csv", key="cmp_dl_csv",
                       help=t(lang, "cmp.dl.csv.help"), width="stretch", on_click="ignore")
    c3.download_button(t(lang, "cmp.dl.xlsx"), data=lambda: comparison_xlsx(lang, cmp),
                       file_name=f"comparison_{stem}.xlsx", mime=XLSX_MIME, key="cmp_dl_xlsx",
                       help=t(lang, "cmp.dl.xlsx.help"), width="stretch", on_click="ignore")
    c4.download_button(t(lang, "cmp.dl.docx"), data=lambda: comparison_docx(lang, cmp, notes),
                       file_name=f"comparison_{stem}.docx", mime=DOCX_MIME, key="cmp_dl_docx",
                       help=t(lang, "cmp.dl.docx.help"), width="stretch", on_click="ignore")
    c2.download_button(t(lang, "cmp.dl.html"),
                       data=lambda: comparison_html_bytes(cmp, lang=lang, notes=notes,
                                                          differences=report_differences(lang, cmp)),
                       file_name=f"comparison_{stem}.html", mime="text/html", key="cmp_dl_html",
                       help=t(lang, "cmp.dl.html.help"), width="stretch", on_click="ignore")
