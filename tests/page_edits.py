"""Editing the what-if page in AppTest as a user does, and what to check it against.

- :func:`edit_table` edits a data editor (the team table, the season table, the dated staffing
  changes) the way the browser does: it sends the editor's edit state (``edited_rows``,
  ``added_rows``, ``deleted_rows``) as the widget's value, so the page's own ``on_change``
  handler runs, and sends it again on every later run for as long as that editor is drawn
  (the browser keeps it; an editor whose data changed is a new widget and starts afresh).
  AppTest itself cannot edit a data editor (``set_value`` raises), and writing the state into
  ``session_state`` does not call the handler.
- :func:`page_scenario` / :func:`page_results`: the scenario the page ran and its results.
- :func:`direct` runs a scenario straight through ``sim.analysis.runner.run`` (the expectation),
  and :func:`assert_page_runs` checks the page's plan, its figures and two headline cards against
  a direct run of the scenario the test expects.
"""
from __future__ import annotations

import json
import re
from typing import Any, Optional

from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from sim.analysis.results import Results
from sim.analysis.runner import run
from sim.model.scenario import Scenario, scenario_to_dict

_STATES = "_page_edits_states"   # attribute of the AppTest: editor id -> edit state sent


def _editor(at: AppTest, key: str):
    """The data editor the page gave ``key`` (a prefix ending in ``*`` matches the start)."""
    match = (lambda k: (k or "").startswith(key[:-1])) if key.endswith("*") else (lambda k: k == key)
    found = [e for e in at.get("data_editor") if match(e.key)]
    assert len(found) == 1, f"one data editor keyed {key!r} expected, found {[e.key for e in at.get('data_editor')]}"
    return found[0]


def _merged(old: dict, new: dict) -> dict:
    """The editor's state after ``new`` is made on top of ``old`` (the frontend accumulates)."""
    rows = {str(k): dict(v) for k, v in (old.get("edited_rows") or {}).items()}
    for k, v in (new.get("edited_rows") or {}).items():
        rows.setdefault(str(k), {}).update(v)
    return {"edited_rows": rows,
            "added_rows": list(old.get("added_rows") or []) + list(new.get("added_rows") or []),
            "deleted_rows": sorted(set(old.get("deleted_rows") or []) | set(new.get("deleted_rows") or []))}


def _install(at: AppTest) -> dict[str, str]:
    """Make every later run of ``at`` send the editors' states (once per AppTest)."""
    states = getattr(at, _STATES, None)
    if states is not None:
        return states
    states = {}
    setattr(at, _STATES, states)
    cls_run = type(at)._run   # the class's run (tests/conftest.py wraps it to wait for final figures)

    def _run(widget_state=None, timeout=None):
        ws = widget_state if widget_state is not None else at._tree.get_widget_states()
        keep = [w for w in ws.widgets if w.id not in states]
        del ws.widgets[:]
        ws.widgets.extend(keep)
        ws.widgets.extend(WidgetState(id=i, string_value=s) for i, s in states.items())
        out = cls_run(at, ws, timeout)
        drawn = {e.proto.id for e in at.get("data_editor")}
        for i in [i for i in states if i not in drawn]:   # a new widget now: the browser forgets it
            del states[i]
        return out

    at._run = _run  # type: ignore[method-assign]
    return states


def edit_table(at: AppTest, key: str, edits: Optional[dict] = None, *, added: Optional[list[dict]] = None,
               deleted: Optional[list[int]] = None) -> AppTest:
    """Edit the data editor keyed ``key`` and run: ``edits`` {row: {column: value}} (rows as
    drawn), ``added`` new rows {column: value}, ``deleted`` row numbers. Returns ``at``."""
    states = _install(at)
    ed = _editor(at, key)
    old = json.loads(states.get(ed.proto.id, "{}"))
    new = _merged(old, {"edited_rows": edits or {}, "added_rows": added or [], "deleted_rows": deleted or []})
    states[ed.proto.id] = json.dumps(new, ensure_ascii=False)
    at.run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest, key: str):
    """The data editor's table as drawn (a pandas DataFrame)."""
    return _editor(at, key).value


# --- what the page ran, and what it should have run -------------------------------------------

def page_scenario(at: AppTest) -> Scenario:
    """The scenario whose final figures the page shows."""
    from ui.scenario_choices import LAST_VALID

    return at.session_state[LAST_VALID][0]


def page_results(at: AppTest) -> Results:
    """The results the page shows (final)."""
    from ui.scenario_choices import LAST_VALID

    return at.session_state[LAST_VALID][1]


def direct(scn: Scenario) -> Results:
    """``scn`` run straight through the engine, with its own replications and seed."""
    return run(scn, replications=scn.replications, seed=scn.seed, workers=1)


def plain(scn: Scenario) -> dict[str, Any]:
    """A scenario as plain data, for comparing two plans field by field."""
    return scenario_to_dict(scn)


def card_number(at: AppTest, label: str) -> float:
    """The number on the headline card labelled ``label``: '1,162 件' → 1162, '97.2%' → 0.972."""
    text = next(m.value for m in at.metric if m.label == label)
    m = re.search(r"-?[\d,]+(\.\d+)?", text)
    assert m, text
    v = float(m.group(0).replace(",", ""))
    return v / 100 if "%" in text else v


def assert_page_runs(at: AppTest, expected: Scenario, lang: str = "zh") -> Results:
    """The page's plan is ``expected`` field by field, its figures are those of a direct run of
    ``expected`` (same seed: identical, replication by replication), and the pending and
    within-limit cards show the direct run's means. Returns the direct run."""
    import numpy as np
    import pytest

    from sim.vocabulary.figure_format import figure_name

    assert not at.exception, at.exception
    got = page_scenario(at)
    want, have = plain(expected), plain(got)
    diff = {k: (have.get(k), want.get(k)) for k in set(want) | set(have) if have.get(k) != want.get(k)}
    assert not diff, f"the page ran another plan (page, expected): {diff}"
    res = direct(expected)
    page = page_results(at)
    for fig, reps in res.summary_reps.items():
        assert np.array_equal(page.summary_reps[fig], reps, equal_nan=True), fig
    s = res.summary()
    assert card_number(at, figure_name(lang, "pending_end")) == pytest.approx(s["pending_end"].mean, abs=0.5)
    assert card_number(at, figure_name(lang, "within_limit_rate")) == pytest.approx(s["within_limit_rate"].mean,
                                                                                 abs=0.0005)
    return res
