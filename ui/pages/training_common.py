"""What the training page's group and trainer views share: the server-wide evaluator (identical
plans run once for every session of the server), the session store, the exercise of a session,
and the standings table in words."""
from __future__ import annotations

from typing import Optional

import pandas as pd
import streamlit as st

from sim.model.errors import ScenarioError
from sim.model.scenario import Scenario
from sim.training import trainer_code
from sim.training.exercise import Exercise, find_exercise
from sim.training.handout import ranking_rows
from sim.training.scoring import PlanEvaluator, Standings
from sim.training.session import SessionError, TrainingStore
from sim.vocabulary.safe_text import md_escape

from ..i18n import error_text, t, t_md
from ..runs.service import cache_key, results_cache

TRAINER_ENV = trainer_code.ENV
GROUP = "_tr_group"        # {"code", "gid", "token", "name"} of the group this browser joined as
TRAINER = "_tr_trainer"    # True once the trainer code was entered
SESSION = "_tr_session"    # the trainer's current session code
MSG = "_tr_msg"            # a one-shot message after an action
#: seconds between a group page's checks for the trainer's reveal (a class sees it within this)
WATCH_SECONDS = 3


@st.cache_resource(show_spinner=False)
def evaluator() -> PlanEvaluator:
    """One evaluator per server: a plan already run for any group is not run again, nor one a
    group's what-if page has run (see :func:`page_results`)."""
    return PlanEvaluator(lookup=page_results)


def page_results(scn: Scenario) -> Optional[dict]:
    """Every figure per replication of ``scn`` if the what-if page of any session of this server
    has its final results (a group's plan, or the starting plan every group's page runs as its
    reference), else None."""
    res = results_cache().get(cache_key(scn, scn.replications, scn.seed))
    return None if res is None else res.summary_reps


def store() -> TrainingStore:
    """The sessions' folder (``COURT_SIM_TRAINING_DIR`` or scenarios/training)."""
    return TrainingStore()


def session_stamp(code: str) -> Optional[tuple[bool, int]]:
    """:meth:`TrainingStore.stamp` of session ``code``, or None when it cannot be read (the page
    itself says why on its next full run)."""
    try:
        return store().stamp(code)
    except SessionError:
        return None


def reveal_changed(code: str, seen: Optional[tuple[bool, int]]) -> bool:
    """True when what the trainer changes of a group's page (the reveal, the answer) differs
    from ``seen``, the stamp the page was drawn with."""
    return session_stamp(code) != seen


def watch(code: str, seen: Optional[tuple[bool, int]]) -> None:
    """A group page's timer fragment (training page and what-if page): rerun the whole page once
    the trainer has revealed (or hidden again, or recomputed the answer)."""
    if reveal_changed(code, seen):
        st.rerun(scope="app")


def watch_reveal(code: str) -> None:
    """Register :func:`watch` on this page. The stamp is taken before anything else is drawn,
    so a reveal while the page draws is not missed; the group need not click anything."""
    st.fragment(watch, run_every=WATCH_SECONDS)(code, session_stamp(code))


def problems_text(lang: str, problems: list) -> str:
    """An exercise file's problems in ``lang``, each after the field it is in."""
    return "; ".join((f"{p.path}: " if p.path else "") + error_text(lang, p) for p in problems)


def session_exercise(lang: str, code: str) -> Optional[tuple[Exercise, Scenario]]:
    """The exercise of session ``code`` and its starting scenario, or None (the reason shown)."""
    try:
        info = store().session(code)
        entry = find_exercise(info.exercise)
    except (SessionError, ScenarioError) as exc:
        st.error(md_escape(error_text(lang, exc.errors[0] if isinstance(exc, ScenarioError) else exc)))
        return None
    if not entry.ok:
        st.error(t_md(lang, "tr.exercise_bad", name=entry.file.name, reason=problems_text(lang, entry.problems)))
        return None
    return entry.exercise, entry.start


def standings_table(lang: str, ex: Exercise, start: Scenario, st_: Standings, revealed: bool) -> pd.DataFrame:
    """The ranking in words, one row per group, then the starting plan (and, once revealed or for
    the trainer, the best answer)."""
    rows = ranking_rows(ex, start, st_, lang)
    if not revealed:
        rows = [r for r in rows if r["rank"] or not r["plan"]]  # the answer is the only unranked row with a plan
    cols = ("rank", "group", "plan", "mean", "interval", "vs_start", "vs_best", "verdict")
    df = pd.DataFrame([{t(lang, f"tr.col.{c}"): r[c] for c in cols} | {t(lang, "tr.col.tied"): "=" if r["tied"] else ""}
                       for r in rows])
    return df
