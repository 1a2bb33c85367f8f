"""The allocation advisor page: how to split the staff a court has, and how many more posts
would meet every target.

The search itself is :func:`sim.analysis.advisor.advise`; this page advises on **the plan on
the what-if page** (:func:`plan_on_screen`, the one seam with the app's state code), gathers
the totals (the plan's own by default) and the extra posts offered, runs the search with a
progress bar, and shows first how many more posts meet every target (with the plan there team
by team, what it gains per target and why this split), then the recommended split of the
staff given against the current one (paired differences with intervals), the runners-up, and
the curve of posts added vs figure. Either plan can be saved to the scenario store, where the
comparison page lists it.

Advice is kept in a server-wide cache keyed on every input (the search is deterministic for
its inputs and seed), and the last answer of the session in session state, so coming back to
the page or switching language is instant.
"""
from __future__ import annotations

import json
from typing import Any, Optional

import altair as alt
import pandas as pd
import streamlit as st

from sim.analysis.advisor import Advice, AdviceInputError, advise, check_inputs
from sim.analysis.advisor_table import advice_tables
from sim.analysis.runner import scenario_key
from sim.model.scenario import Scenario, ScenarioError, scenario_from_dict
from sim.store.scenario_store import ScenarioExists, StoreError
from sim.vocabulary.advisor_text import explanation_lines, more_lines, posts_text, rule_line
from sim.vocabulary.figure_format import (
    change_interval,
    figure_change,
    figure_interval,
    figure_label,
    figure_name,
    figure_value,
    target_text,
)
from sim.vocabulary.figure_registry import REGISTRY
from sim.vocabulary.safe_text import md_escape

from ..i18n import error_text, t, t_md, track_label
from ..runs.service import RUN_LOCK, LRUCache
from ..widgets import store_panel as SP
from ..widgets.button_action import button_action
from ..widgets.cards import verdict_cell
from ..widgets.downloads import XLSX_MIME
from ..widgets.layout import show_table
from ..widgets.scenario_choices import LAST_VALID

RESULT = "_adv_result"            # (inputs key, Advice) of the session's last answer
ERROR = "_adv_error"              # message of the last refused run (shown next to the inputs)
PENDING = "_adv_pending_save"     # {"name", "note"} waiting for an overwrite confirmation
MSG = "_adv_msg"                  # (kind, text) shown once under the save form
SHARE_OPTIONS = tuple(range(0, 101, 5))
MAX_SHARES = 6
DEFAULT_EXTRA = 10                # extra judge posts offered by default: the page answers "how many more?"
CURVE_FIGURES = ("within_limit_rate", "pending_end", "clearance_rate", "long_pending_end",
                 "overdue_pending_end", "disposition_days_mean")
SAVE_WHICH = "adv_save_which"     # which plan the save form saves: the recommended one or the one with more posts


# --- the plan to advise on ----------------------------------------------------------------

def plan_on_screen() -> tuple[Optional[Scenario], bool]:
    """The what-if page's plan as it is now, and whether it is the last valid one because the
    settings there have errors right now.

    This is the seam with the app's state code: the plan is what ``ui.widgets.inputs.current_data``
    builds from the what-if page's settings (kept in the session while another page is shown),
    or, while those have an error, the last valid plan that page showed. None when neither
    exists (cannot happen after the first load of the default scenario).
    """
    from ..widgets.inputs import current_data, ensure_loaded

    ensure_loaded()
    try:
        return scenario_from_dict(current_data()), False
    except ScenarioError:
        last = st.session_state.get(LAST_VALID)
        return (last[0], True) if last is not None else (None, True)


def _set_defaults(scn: Scenario) -> None:
    """Fill the inputs with the plan's own totals, horizon, replications and seed."""
    s = st.session_state
    for r in ("judges", "assistants", "clerks"):
        s[f"adv_{r}"] = sum(getattr(tm, r) for tm in scn.teams)
    s["adv_horizon"] = int(scn.horizon_months)
    s["adv_reps"] = max(2, int(scn.replications))
    s["adv_seed"] = int(scn.seed)
    s["adv_med"] = []
    s["_adv_defaults_for"] = scenario_key(scn)


# --- running -----------------------------------------------------------------------------------

@st.cache_resource(show_spinner=False)
def advice_cache() -> LRUCache:
    """The process-wide advice cache (the search is deterministic for its inputs)."""
    return LRUCache(max_entries=16)


def _inputs() -> dict[str, Any]:
    s = st.session_state
    return {"judges": s.get("adv_judges"), "assistants": s.get("adv_assistants"), "clerks": s.get("adv_clerks"),
            "extra_posts": int(s.get("adv_extra") or 0), "extra_assistants": int(s.get("adv_extra_assistants") or 0),
            "extra_clerks": int(s.get("adv_extra_clerks") or 0),
            "objective": s.get("adv_objective") or "within_limit_rate",
            "mediation_shares": sorted(float(x) / 100 for x in (s.get("adv_med") or [])) or None,
            "horizon": int(s.get("adv_horizon") or 12), "refine": int(s.get("adv_reps") or 2),
            "screen": int(s.get("adv_screen") or 2), "top_k": int(s.get("adv_topk") or 3),
            "seed": int(s.get("adv_seed") or 0)}


def inputs_key(base: Scenario, inp: dict[str, Any]) -> tuple:
    """Every parameter of the search: the scenario's hash plus the page's inputs."""
    return (scenario_key(base), inp["judges"], inp["assistants"], inp["clerks"], inp["extra_posts"],
            inp["extra_assistants"], inp["extra_clerks"], inp["objective"], tuple(inp["mediation_shares"] or ()),
            inp["refine"], inp["screen"], inp["top_k"], inp["seed"])


def _base(scn: Scenario, inp: dict[str, Any]) -> Scenario:
    return scn.model_copy(update={"horizon_months": inp["horizon"], "replications": inp["refine"],
                                  "seed": inp["seed"]})


def run_advice(lang: str, base: Scenario, inp: dict[str, Any], slot) -> Advice:
    """Advice from the cache, or a fresh search with a progress bar in ``slot``."""
    key = inputs_key(base, inp)
    hit = advice_cache().get(key)
    if hit is not None:
        return hit
    bar = slot.progress(0.0, text=t(lang, "adv.progress", done=0, total="…"))

    def progress(done: int, total: int) -> None:
        bar.progress(min(1.0, done / max(total, 1)), text=t(lang, "adv.progress", done=done, total=total))

    with RUN_LOCK:  # the engine's worker pool is shared with the other pages
        adv = advise(base, inp["judges"], inp["assistants"], inp["clerks"], extra_posts=inp["extra_posts"],
                     objective=inp["objective"], mediation_shares=inp["mediation_shares"],
                     screen_replications=inp["screen"], refine_replications=inp["refine"], top_k=inp["top_k"],
                     seed=inp["seed"], progress=progress, extra_assistants=inp["extra_assistants"],
                     extra_clerks=inp["extra_clerks"])
    slot.empty()
    advice_cache().put(key, adv)
    return adv


# --- tables and the chart -------------------------------------------------------------------

def _plan_text(lang: str, plan: dict) -> str:
    s, c = plan["simple"], plan["complex"]
    return t(lang, "adv.plan_text", sj=s["judges"], sa=s["assistants"], sc=s["clerks"], cj=c["judges"],
             ca=c["assistants"], cc=c["clerks"], med=f"{100 * plan['mediation_share']:.0f}%")


def teams_table(lang: str, adv: Advice) -> pd.DataFrame:
    """The recommended staffing team by team next to the scenario's current staffing."""
    cur = {tm["team"]: tm for tm in (adv.current or {}).get("teams", [])}
    rows = []
    for tm in adv.best.teams:
        c = cur.get(tm.name, {})
        row = {t(lang, "adv.col.team"): tm.name, t(lang, "adv.col.track"): track_label(lang, tm.track)}
        for r in ("judges", "assistants", "clerks"):
            now, new = c.get(r), getattr(tm, r)
            change = "" if now is None or now == new else f" ({new - now:+d})"
            row[t(lang, f"adv.col.{r}")] = f"{new}{change}"
            row[t(lang, f"adv.col.{r}_now")] = "—" if now is None else now
        row[t(lang, "adv.col.changes")] = len(tm.changes)
        rows.append(row)
    return pd.DataFrame(rows)


def figures_table(lang: str, adv: Advice) -> pd.DataFrame:
    """Headline figures: recommended vs current, with the paired difference and the targets."""
    best = {k: v.as_dict() for k, v in adv.best_results.summary().items()}
    tg = adv.best_results.targets()
    cur = adv.current or {}
    rows = []
    for fig in dict.fromkeys([*CURVE_FIGURES, *adv.targets, "judge_utilisation"]):
        b = best.get(fig) or {}
        c = (cur.get("figures") or {}).get(fig) or {}
        d = (cur.get("best_minus_current") or {}).get(fig) or {}
        target = tg.get(fig)
        rows.append({
            t(lang, "adv.col.figure"): figure_name(lang, fig),
            t(lang, "adv.col.best"): f"{figure_value(lang, fig, b.get('mean'))}（{figure_interval(lang, fig, b.get('ci_low'), b.get('ci_high'))}）"
            if lang == "zh" else f"{figure_value(lang, fig, b.get('mean'))} ({figure_interval(lang, fig, b.get('ci_low'), b.get('ci_high'))})",
            t(lang, "adv.col.current"): figure_value(lang, fig, c.get("mean")),
            t(lang, "adv.col.diff"): figure_change(lang, fig, d.get("mean")) or "—",
            t(lang, "adv.col.diff_ci"): change_interval(lang, fig, d.get("ci_low"), d.get("ci_high")),
            t(lang, "adv.col.target"): "—" if target is None else
            target_text(lang, fig, target['target']),
            t(lang, "adv.col.met"): "—" if target is None else verdict_cell(lang, target),
        })
    return pd.DataFrame(rows)


def runners_table(lang: str, adv: Advice) -> pd.DataFrame:
    """Runners-up: plans whose paired interval against the best contains 0."""
    obj = adv.objective
    rows = []
    for r in adv.runners_up:
        f, d = r["figures"][obj], r.get("diff_vs_best") or {}
        rows.append({
            t(lang, "adv.col.plan"): _plan_text(lang, r["plan"]),
            figure_name(lang, obj): figure_value(lang, obj, f["mean"]),
            t(lang, "adv.col.ci"): figure_interval(lang, obj, f["ci_low"], f["ci_high"]),
            t(lang, "adv.col.diff_best"): change_interval(lang, obj, d.get("ci_low"), d.get("ci_high")),
            t(lang, "adv.col.feasible"): t(lang, "adv.yes" if r["feasible"] else "adv.no"),
            t(lang, "adv.col.reps"): r["replications"],
        })
    return pd.DataFrame(rows)


def curve_frame(lang: str, adv: Advice, figure: str) -> pd.DataFrame:
    """One row per total of extra posts searched: the posts added, the figure's mean and
    interval, the target's verdict, and whether it is the fewest posts meeting that target."""
    rows = []
    hit = (adv.smallest_meeting or {}).get(figure)
    for p in adv.staff_curve:
        f = p["figures"].get(figure) or {}
        tg = p["targets"].get(figure)
        rows.append({"added": p["added"], "judges": p["totals"]["judges"],
                     "posts": posts_text(lang, p["mix"]) if p["added"] else t(lang, "adv.curve.none_added"),
                     "plan": _plan_text(lang, p["plan"]),
                     "mean": f.get("mean"), "lo": f.get("ci_low"), "hi": f.get("ci_high"),
                     "status": t(lang, "adv.curve.no_target") if tg is None else verdict_cell(lang, tg),
                     "smallest": bool(hit is not None and hit["added"] == p["added"])})
    return pd.DataFrame(rows)


def curve_chart(lang: str, adv: Advice, figure: str) -> alt.LayerChart:
    """Posts added vs figure: the band and mean at each total searched, the target, and the
    fewest posts meeting it."""
    df = curve_frame(lang, adv, figure)
    fmt = ".1%" if REGISTRY[figure].percent else ",.1f"
    tips = [alt.Tooltip("added:Q", title=t(lang, "adv.curve.added"), format="d"),
            alt.Tooltip("posts:N", title=t(lang, "adv.curve.posts")),
            alt.Tooltip("plan:N", title=t(lang, "adv.col.plan")),
            alt.Tooltip("mean:Q", title=t(lang, "chart.mean"), format=fmt),
            alt.Tooltip("lo:Q", title=t(lang, "chart.ci_low"), format=fmt),
            alt.Tooltip("hi:Q", title=t(lang, "chart.ci_high"), format=fmt),
            alt.Tooltip("status:N", title=t(lang, "adv.col.met"))]
    x = alt.X("added:Q", title=t(lang, "adv.curve.added"), axis=alt.Axis(format="d", tickMinStep=1),
              scale=alt.Scale(zero=False, nice=False, padding=12))
    band = alt.Chart(df).mark_area(opacity=0.2, color="#1f5fa8").encode(
        x=x, y=alt.Y("lo:Q", title=figure_label(lang, figure), axis=alt.Axis(format=fmt), scale=alt.Scale(zero=False)), y2=alt.Y2("hi:Q"),
        tooltip=tips)
    err = alt.Chart(df).mark_rule(color="#1f5fa8").encode(x=x, y=alt.Y("lo:Q"), y2=alt.Y2("hi:Q"), tooltip=tips)
    line = alt.Chart(df).mark_line(color="#1f5fa8").encode(x=x, y=alt.Y("mean:Q"), tooltip=tips)
    statuses = [verdict_cell(lang, {"verdict": v}) for v in ("met", "missed", "undecided")]
    statuses.append(t(lang, "adv.curve.no_target"))
    # the fewest posts meeting the target are drawn larger: a size in pixels per row, not a
    # size scale over a true/false field (Vega-Lite warns about size on an unsorted discrete field)
    df = df.assign(marker=df["smallest"].map({True: 320, False: 70}))
    pts = alt.Chart(df).mark_point(filled=True).encode(
        x=x, y=alt.Y("mean:Q"), tooltip=tips,
        color=alt.Color("status:N", title=t(lang, "adv.col.met"), scale=alt.Scale(
            domain=statuses, range=["#2a9d8f", "#c0392b", "#e67e22", "#1f5fa8"]),
            legend=alt.Legend(orient="top", labelLimit=0)),
        shape=alt.Shape("smallest:N", legend=None, scale=alt.Scale(domain=[False, True], range=["circle", "diamond"])),
        size=alt.Size("marker:Q", legend=None, scale=None))
    layers = [band, err, line, pts]
    tgt = adv.targets.get(figure)
    if tgt is not None:
        tdf = pd.DataFrame({"target": [float(tgt)], "label": [t(lang, "chart.target")]})
        layers.append(alt.Chart(tdf).mark_rule(strokeDash=[6, 4], color="#c0392b", size=2).encode(
            y=alt.Y("target:Q"), tooltip=[alt.Tooltip("target:Q", title=t(lang, "chart.target"), format=fmt)]))
    small = df[df["smallest"]]
    if len(small):
        n = int(small["added"].iloc[0])
        sdf = pd.DataFrame({"added": [n], "label": [t(lang, "adv.curve.smallest_label", n=n)]})
        layers.append(alt.Chart(sdf).mark_rule(strokeDash=[2, 3], color="#2a9d8f", size=2).encode(
            x=alt.X("added:Q", scale=alt.Scale(zero=False, nice=False, padding=12)),
            tooltip=[alt.Tooltip("label:N", title=t(lang, "adv.curve.smallest"))]))
        layers.append(alt.Chart(sdf).mark_text(align="left", dx=5, dy=-6, color="#2a9d8f", baseline="bottom").encode(
            x=alt.X("added:Q", scale=alt.Scale(zero=False, nice=False, padding=12)), y=alt.YValue(14), text=alt.Text("label:N")))
    return alt.layer(*layers).properties(title=t(lang, "adv.curve.title", figure=figure_name(lang, figure)), height=300)


def answer_table(lang: str, adv: Advice) -> pd.DataFrame:
    """Per target (every target first): the fewest extra posts searched that meet it, and the
    best plan there."""
    rows = []
    items = [(t(lang, "adv.col.every"), "", adv.fewest)]
    items += [(figure_name(lang, f), target_text(lang, f, v), (adv.smallest_meeting or {}).get(f))
              for f, v in adv.targets.items()]
    for name, target, hit in items:
        if hit is None:
            answer = t(lang, "adv.smallest.none", k=posts_text(lang, adv.offer))
        elif hit["added"] == 0:
            answer = t(lang, "adv.smallest.now")
        else:
            answer = t(lang, "adv.smallest.hit", posts=posts_text(lang, hit["mix"]), judges=hit["totals"]["judges"])
        rows.append({t(lang, "adv.col.figure"): name, t(lang, "adv.col.target"): target,
                     t(lang, "adv.col.smallest"): answer,
                     t(lang, "adv.col.plan"): "—" if hit is None else _plan_text(lang, hit["plan"])})
    return pd.DataFrame(rows)


# --- saving --------------------------------------------------------------------------------

def _to_save(adv: Advice) -> Scenario:
    """The plan the save form saves: the recommended split of the staff given, or the plan with
    the extra posts the answer names."""
    if st.session_state.get(SAVE_WHICH) == "more" and adv.more_best is not None:
        return adv.more_best
    return adv.best


def _save(lang: str, adv: Advice, overwrite: bool = False) -> None:
    s = st.session_state
    name = (s.get("adv_save_name") or "").strip()
    note = s.get("adv_save_note") or ""
    s.pop(PENDING, None)
    try:
        saved = SP.store().save(_to_save(adv), name, note, overwrite=overwrite)
    except ScenarioExists:
        s[PENDING] = {"name": name}
        return
    except StoreError as exc:
        s[MSG] = ("error", md_escape(SP.error_text(lang, exc)))
        return
    s[MSG] = ("success", t_md(lang, "adv.save.done", name=saved.name))


def _on_save(lang: str, overwrite: bool = False) -> None:
    got = st.session_state.get(RESULT)
    if got is not None:
        _save(lang, got[1], overwrite)


def _on_cancel() -> None:
    st.session_state.pop(PENDING, None)


# --- the page --------------------------------------------------------------------------------

def _inputs_section(lang: str, scn: Scenario) -> None:
    """The totals, the extra posts offered, the objective, mediation shares and run settings."""
    c1, c2, c3 = st.columns(3)
    c1.number_input(t(lang, "adv.judges"), min_value=0, max_value=5000, step=1, key="adv_judges",
                    help=t(lang, "adv.judges.help"))
    c2.number_input(t(lang, "adv.assistants"), min_value=0, max_value=5000, step=1, key="adv_assistants",
                    help=t(lang, "adv.assistants.help"))
    c3.number_input(t(lang, "adv.clerks"), min_value=0, max_value=5000, step=1, key="adv_clerks",
                    help=t(lang, "adv.clerks.help"))
    e1, e2, e3 = st.columns(3)
    e1.number_input(t(lang, "adv.extra"), min_value=0, max_value=50, step=1, value=DEFAULT_EXTRA, key="adv_extra",
                    help=t(lang, "adv.extra.help"))
    e2.number_input(t(lang, "adv.extra_assistants"), min_value=0, max_value=50, step=1, value=0,
                    key="adv_extra_assistants", help=t(lang, "adv.extra_assistants.help"))
    e3.number_input(t(lang, "adv.extra_clerks"), min_value=0, max_value=50, step=1, value=0,
                    key="adv_extra_clerks", help=t(lang, "adv.extra_clerks.help"))


def _settings_section(lang: str, scn: Scenario) -> None:
    c5, c6 = st.columns(2)
    c5.radio(t(lang, "adv.objective"), options=["within_limit_rate", "pending_end"], key="adv_objective",
             format_func=lambda o: t(lang, f"adv.objective.{o}"), help=t(lang, "adv.objective.help"))
    c6.multiselect(t(lang, "adv.med"), options=list(SHARE_OPTIONS), key="adv_med", max_selections=MAX_SHARES,
                   select_all=False, format_func=lambda v: f"{v}%", help=t(lang, "adv.med.help"),
                   placeholder=t(lang, "adv.med.placeholder",
                                 share=f"{100 * scn.mediation.share_offered:.0f}%"))
    # keyed: unkeyed, it closed again whenever a changed setting redrew the page above it
    with st.expander(t(lang, "adv.run_settings"), key="adv_run_settings"):
        # two rows: five columns leave each label a few characters wide at 1024 px
        r1, r2, r3 = st.columns(3)
        r4, r5, _ = st.columns(3)
        r1.number_input(t(lang, "adv.horizon"), min_value=1, max_value=120, step=1, key="adv_horizon",
                        help=t(lang, "adv.horizon.help"))
        r2.number_input(t(lang, "adv.reps"), min_value=2, max_value=200, step=1, key="adv_reps",
                        help=t(lang, "adv.reps.help"))
        r3.number_input(t(lang, "adv.screen"), min_value=1, max_value=50, step=1, value=2, key="adv_screen",
                        help=t(lang, "adv.screen.help"))
        r4.number_input(t(lang, "adv.topk"), min_value=1, max_value=20, step=1, value=3, key="adv_topk",
                        help=t(lang, "adv.topk.help"))
        r5.number_input(t(lang, "adv.seed"), min_value=0, max_value=2**31 - 1, step=1, key="adv_seed",
                        help=t(lang, "adv.seed.help"))


def _targets_text(lang: str, scn: Scenario) -> str:
    from sim.analysis.advisor_search import targets_of

    items = [f"{figure_name(lang, f)} {target_text(lang, f, v)}" for f, v in targets_of(scn).items()]
    return t(lang, "adv.sep").join(items) if items else t(lang, "adv.no_targets")


def page(lang: str) -> None:
    """The advisor page: the plan on screen, inputs, run button, then how many more posts and
    the recommended plan, and how they were found."""
    s = st.session_state
    st.title(t(lang, "adv.title"))
    st.caption(t(lang, "adv.intro"))
    scn, invalid = plan_on_screen()
    if scn is None:
        st.info(t(lang, "adv.no_plan"))
        return
    with st.container(key="adv_base"):
        st.markdown(t_md(lang, "adv.base", name=scn.name_in(lang), teams=len(scn.teams), j=sum(tm.judges for tm in scn.teams),
                      a=sum(tm.assistants for tm in scn.teams), c=sum(tm.clerks for tm in scn.teams)))
        st.caption(t(lang, "adv.targets", targets=_targets_text(lang, scn)))
        if invalid:
            st.warning(t(lang, "adv.base_invalid"))
    if s.get("_adv_defaults_for") != scenario_key(scn) or "adv_judges" not in s:
        _set_defaults(scn)
    _inputs_section(lang, scn)
    err_slot = st.container()
    _settings_section(lang, scn)

    inp = _inputs()
    base = _base(scn, inp)
    key = inputs_key(base, inp)
    problem = None
    try:
        check_inputs(base, inp["judges"], inp["assistants"], inp["clerks"], inp["extra_posts"],
                     inp["mediation_shares"], inp["objective"], inp["extra_assistants"], inp["extra_clerks"])
    except AdviceInputError as exc:
        problem = error_text(lang, exc)
    with err_slot:
        if problem:
            st.error(md_escape(problem), icon=":material/warning:")
    st.caption(t(lang, "adv.honesty", reps=inp["refine"]))

    def search() -> bool:
        """The search for the fields as they are; True when it failed (its error shown)."""
        if problem is not None:
            return False  # the fields were made invalid since the click: the error above says why
        slot = st.empty()
        try:
            adv = run_advice(lang, base, inp, slot)
        except AdviceInputError as exc:
            slot.empty()
            with err_slot:
                st.error(md_escape(error_text(lang, exc)), icon=":material/warning:")
            return True
        except Exception as exc:  # an engine failure must not show a traceback
            slot.empty()
            st.error(t_md(lang, "adv.failed", msg=error_text(lang, exc)))
            return True
        s[RESULT] = (key, adv)
        s.pop(PENDING, None)
        s["adv_save_name"] = t(lang, "adv.save.default_name", name=scn.name_in(lang))[:80]
        s["adv_save_note"] = t(lang, "adv.save.default_note", plan=_plan_text(lang, _plan_dict(adv)))[:500]
        return False
    # a field changed during the search stops the click's run: the search must outlive it
    # (and then answers for the fields as they are now)
    if button_action(t(lang, "adv.run"), "adv_run", search, type="primary", disabled=problem is not None,
                     help=t(lang, "adv.run.help")):
        return
    if problem is None and advice_cache().get(key) is not None and (s.get(RESULT) or (None,))[0] != key:
        s[RESULT] = (key, advice_cache().get(key))  # seen before (this or another session): show at once

    got = s.get(RESULT)
    if got is None:
        st.info(t(lang, "adv.not_run"))
        return
    if got[0] != key:
        st.warning(t(lang, "adv.stale"))
    render_advice(lang, got[1])


def _plan_dict(adv: Advice) -> dict:
    p = adv.best_plan
    return {"simple": {"judges": p.judges[0], "assistants": p.assistants[0], "clerks": p.clerks[0]},
            "complex": {"judges": p.judges[1], "assistants": p.assistants[1], "clerks": p.clerks[1]},
            "mediation_share": p.mediation_share}


def _bullets(lines: list[str]) -> str:
    """Sentences as a Markdown list, each shown as text: they name teams, which users name."""
    return "\n".join(f"- {md_escape(line)}" for line in lines)


def render_more(lang: str, adv: Advice) -> None:
    """How many more posts meet every target: the answer in sentences, per target, the curve."""
    st.subheader(t(lang, "adv.more"))
    if not any(adv.offer.values()):
        st.info(t(lang, "adv.curve.need_extra"))
        return
    with st.container(border=True, key="adv_more"):
        lines = more_lines(adv.more_explanation, lang)
        if lines:
            st.markdown(f"**{md_escape(lines[0])}**")
            st.markdown(_bullets(lines[1:]))
        st.caption(rule_line(adv.more_explanation, lang))
    st.dataframe(answer_table(lang, adv), hide_index=True, width="stretch", key="adv_answer")
    figs = list(dict.fromkeys([*adv.targets, *(f for f in CURVE_FIGURES if f in adv.staff_curve[0]["figures"])]))
    if st.session_state.get("adv_curve_fig") not in (None, *figs):  # a figure an earlier answer had
        st.session_state.pop("adv_curve_fig")
    st.selectbox(t(lang, "adv.curve.figure"), options=figs, format_func=lambda f: figure_name(lang, f),
                 key="adv_curve_fig", help=t(lang, "adv.curve.figure.help"))
    fig = st.session_state.get("adv_curve_fig") or adv.objective
    st.altair_chart(curve_chart(lang, adv, fig), width="stretch", key="adv_curve_chart")
    st.caption(t(lang, "adv.curve.caption"))


def render_advice(lang: str, adv: Advice) -> None:
    """Everything the advisor found: how many more, then the best split of the staff given."""
    obj = adv.objective
    st.caption(t(lang, "adv.summary", plans=len(adv.candidates), reps=adv.replications_run,
                 sec=f"{adv.elapsed_seconds:.1f}", screen=adv.screen_replications, refine=adv.refine_replications,
                 how=t(lang, "adv.how.exhaustive" if adv.exhaustive else "adv.how.fluid"), seed=adv.seed,
                 months=adv.best.horizon_months, totals=len(adv.staff_curve)))
    render_more(lang, adv)
    st.subheader(t(lang, "adv.best"))
    b = adv.best_results.summary()[obj]
    with st.container(key="adv_best"):
        st.markdown(t(lang, "adv.best_line", plan=_plan_text(lang, _plan_dict(adv)), figure=figure_name(lang, obj),
                      mean=figure_value(lang, obj, b.mean), ci=figure_interval(lang, obj, b.ci_low, b.ci_high)))
        cur = adv.current or {}
        if cur.get("is_best"):
            st.success(t(lang, "adv.current_is_best"))
        elif cur:
            d = cur["best_minus_current"][obj]
            st.markdown(t(lang, "adv.vs_current", figure=figure_name(lang, obj),
                          diff=figure_change(lang, obj, d["mean"]) or "—",
                          ci=change_interval(lang, obj, d["ci_low"], d["ci_high"]), plan=_plan_text(lang, cur["plan"])))
            if not cur.get("within_totals", True):
                st.caption(t(lang, "adv.current_over_totals"))
        why = explanation_lines(adv.explanation, lang)
        if why:  # the reasons in sentences a president can repeat: bottleneck, moves, costs, target
            with st.container(border=True, key="adv_why"):
                st.markdown(f"**{t(lang, 'adv.why')}**")
                st.markdown(_bullets(why))
        st.dataframe(teams_table(lang, adv), hide_index=True, width="stretch", key="adv_teams")
    st.markdown(f"**{t(lang, 'adv.figures')}**")
    show_table(figures_table(lang, adv), key="adv_figures", pin=[t(lang, "adv.col.figure")],
               first=[t(lang, f"adv.col.{c}") for c in ("best", "target", "met")],
               wrap={t(lang, f"adv.col.{c}"): px for c, px in (("figure", 130), ("best", 170), ("met", 140))})
    st.caption(t(lang, "adv.figures.caption"))

    st.subheader(t(lang, "adv.runners"))
    if adv.runners_up:
        st.dataframe(runners_table(lang, adv), hide_index=True, width="stretch", key="adv_runners")
        st.caption(t(lang, "adv.runners.caption"))
    else:
        st.caption(t(lang, "adv.runners.none"))

    _save_section(lang, adv)
    with st.expander(t(lang, "adv.all")):
        rows = [{t(lang, "adv.col.rank"): r["rank"], t(lang, "adv.col.plan"): _plan_text(lang, r["plan"]),
                 figure_name(lang, obj): figure_value(lang, obj, r["figures"][obj]["mean"]),
                 t(lang, "adv.col.feasible"): t(lang, "adv.yes" if r["feasible"] else "adv.no"),
                 t(lang, "adv.col.reps"): r["replications"], t(lang, "adv.col.stage"): t(lang, f"adv.stage.{r['stage']}")}
                for r in adv.candidates]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="adv_candidates")
        st.caption(t(lang, "adv.ranking"))
    with st.expander(t(lang, "adv.tables")):
        for tb in advice_tables(adv, lang):  # the answer as tables, as the exports carry it
            st.markdown(f"**{tb.title}**")
            st.dataframe(pd.DataFrame(tb.rows, columns=tb.columns), hide_index=True, width="stretch",
                         key=f"adv_table_{tb.key}")
    d1, d2 = st.columns(2)
    d1.download_button(t(lang, "adv.dl.xlsx"), data=lambda: advice_xlsx(lang, adv), file_name="advice.xlsx",
                       mime=XLSX_MIME, key="adv_dl_xlsx", help=t(lang, "adv.dl.xlsx.help"), on_click="ignore",
                       width="stretch")
    d2.download_button(t(lang, "adv.download"), data=lambda: json.dumps(adv.to_json_dict(), ensure_ascii=False, indent=2),
                       file_name="advice.json", mime="application/json", key="adv_download",
                       help=t(lang, "adv.download.help"), on_click="ignore", width="stretch")


def advice_xlsx(lang: str, adv: Advice) -> bytes:
    """The advice as an Excel workbook (:func:`sim.report.tables_studies.advice_tables`): the staffing
    team by team, the figures, the reasons, the staff curve and every candidate, as tables."""
    from sim.report.tables_studies import advice_xlsx as export_xlsx

    return export_xlsx(adv, lang)


def _save_section(lang: str, adv: Advice) -> None:
    st.subheader(t(lang, "adv.save"))
    if adv.more_best is not None:
        added = adv.more_explanation["point"]["added"]
        labels = {"best": t(lang, "adv.save.which.best"), "more": t(lang, "adv.save.which.more", added=added)}
        st.radio(t(lang, "adv.save.which"), options=list(labels), key=SAVE_WHICH, horizontal=True,
                 format_func=labels.get, help=t(lang, "adv.save.which.help"))
    c1, c2 = st.columns([1, 2])
    c1.text_input(t(lang, "adv.save.name"), key="adv_save_name", max_chars=80, help=t(lang, "adv.save.name.help"))
    c2.text_input(t(lang, "adv.save.note"), key="adv_save_note", max_chars=500, help=t(lang, "adv.save.note.help"))
    pend = st.session_state.get(PENDING)
    if pend:
        st.warning(t_md(lang, "adv.save.exists", name=pend["name"]))
        a, b = st.columns(2)
        a.button(t(lang, "adv.save.overwrite"), key="adv_save_overwrite", on_click=_on_save, args=(lang, True),
                 help=t(lang, "adv.save.overwrite.help"))
        b.button(t(lang, "adv.save.cancel"), key="adv_save_cancel", on_click=_on_cancel,
                 help=t(lang, "adv.save.cancel.help"))
    else:
        st.button(t(lang, "adv.save.button"), key="adv_save", on_click=_on_save, args=(lang,),
                  help=t(lang, "adv.save.button.help"))
    msg = st.session_state.pop(MSG, None)
    if msg:
        getattr(st, msg[0])(msg[1])
