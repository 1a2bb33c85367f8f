"""The app's state in the address (issue 11 part 6): a refresh or a copied link restores the page,
the scenario, the edits and the comparison's picks; a bad or tampered link never crashes."""
from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from helpers import control, judge_slider
from sim.model.scenario import load_scenario, scenario_to_dict
from sim.store.scenario_store import ENV_VAR, ScenarioStore
from ui import address as A
from ui.i18n import t

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
REPS = 4


def _fresh(params: dict | None = None) -> AppTest:
    """A new session (a refresh, or a link opened elsewhere) with the address's parameters."""
    at = AppTest.from_file(APP, default_timeout=240)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def _address(at: AppTest) -> dict:
    return {k: v for k, v in at.query_params.items()}


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _warnings(at: AppTest) -> str:
    """The warnings as a reader sees them: the link's values are escaped in the Markdown source
    (sim/vocabulary/safe_text.md_escape), so the escapes and word joiners are taken out."""
    import re

    return re.sub(r"\\(.)", r"\1", "\n".join(str(w.value) for w in at.warning)).replace("\u2060", "")


def _enc(diff: dict) -> str:
    return A.encode_edits(diff)


@pytest.fixture
def store_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "saved"
    monkeypatch.setenv(ENV_VAR, str(folder))
    return folder


# --- encoding ------------------------------------------------------------------------------------

def test_the_unedited_scenario_has_no_edits_and_an_edit_round_trips():
    data = scenario_to_dict(load_scenario(ROOT / "scenarios" / "baseline.yaml"))
    assert A.differences(data, data) == {}
    edited = json.loads(json.dumps(data))
    edited["teams"][0]["judges"] += 2
    edited["mediation"]["share_offered"] = 0.5
    edited["calendar"]["holidays"] = ["2025-10-01"]
    diff = A.differences(data, edited)
    assert diff == {"teams.0.judges": data["teams"][0]["judges"] + 2, "mediation.share_offered": 0.5,
                    "calendar.holidays": ["2025-10-01"]}
    enc = A.encode_edits(diff)
    assert enc and len(enc) < 200 and all(ch.isalnum() or ch in "-_" for ch in enc)
    assert A.decode_edits(enc) == diff


def test_a_removed_team_is_one_difference_holding_the_new_list():
    data = scenario_to_dict(load_scenario(ROOT / "scenarios" / "baseline.yaml"))
    edited = json.loads(json.dumps(data))
    edited["teams"].pop()
    assert A.differences(data, edited) == {"teams": edited["teams"]}


@pytest.mark.parametrize("bad", ["!!!", "eNq", "AAAA", base64.urlsafe_b64encode(zlib.compress(b"[1,2]")).decode(),
                                 base64.urlsafe_b64encode(zlib.compress(b"x" * 10_000_000)).decode(),
                                 # nesting json cannot read, numbers no control can show
                                 base64.urlsafe_b64encode(zlib.compress(b'{"a":' + b"[" * 60_000 + b"]" * 60_000 + b"}")).decode(),
                                 base64.urlsafe_b64encode(zlib.compress(b'{"teams.0.judges": 1e999}')).decode(),
                                 base64.urlsafe_b64encode(zlib.compress(b'{"teams.0.judges": NaN}')).decode()])
def test_undecodable_edits_raise_value_error(bad):
    with pytest.raises(ValueError):
        A.decode_edits(bad)


# --- a refresh restores the state ---------------------------------------------------------------

def test_a_refresh_restores_the_edits_the_page_and_the_figures():
    at = _fresh()
    assert _address(at) == {}  # nothing edited: a bare address
    control(at, "number_input", "replications").set_value(REPS).run()
    j = judge_slider(at, 0).value
    judge_slider(at, 0).set_value(j + 2).run()
    assert not at.exception, at.exception
    addr = _address(at)
    assert set(addr) == {A.EDITS}
    edits = A.decode_edits(addr[A.EDITS])
    assert edits["replications"] == REPS and edits["teams.0.judges"] == j + 2
    # staff totals kept (the default): the two judges came from other teams, and those moves are kept too
    loaded = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    moved = {k: v for k, v in edits.items() if k.startswith("teams.") and k != "teams.0.judges"}
    assert moved and sum(loaded.teams[int(k.split(".")[1])].judges - v for k, v in moved.items()) == 2
    figures = _metrics(at)

    again = _fresh(addr)  # the refresh: a new session with the same address
    assert judge_slider(again, 0).value == j + 2
    assert control(again, "number_input", "replications").value == REPS
    assert _metrics(again) == figures  # the same plan: the same figures, deltas included
    assert not again.warning
    assert _address(again) == addr


def test_an_old_link_to_the_comparison_page_restores_its_picks(store_dir):
    """Links written before the pages had paths name the page with ``?p=``: they still open it."""
    s = ScenarioStore(store_dir)
    base = load_scenario(ROOT / "scenarios" / "baseline.yaml").model_copy(update={"horizon_months": 3, "replications": 3})
    s.save(base, "甲方案")
    s.save(base.model_copy(update={"seed": 5}), "乙方案")
    params = {A.PAGE: "compare", A.PICKS: ["saved:甲方案", "saved:乙方案"], A.REF: "saved:乙方案", A.REPS: "3"}
    at = _fresh(params)
    assert at.session_state["page"] == "compare"
    assert control(at, "multiselect", "cmp_pick").value == ["saved:甲方案", "saved:乙方案"]
    assert control(at, "selectbox", "cmp_ref").value == "saved:乙方案"
    assert control(at, "number_input", "cmp_reps").value == 3
    assert not at.warning and not at.error
    assert at.dataframe  # the comparison ran
    addr = _address(at)  # the page is the address's path now: the old link's ?p= is gone
    assert A.PAGE not in addr and addr[A.REF] == "saved:乙方案" and addr[A.REPS] == "3"
    assert addr[A.PICKS] == ["saved:甲方案", "saved:乙方案"]


def test_a_link_to_a_saved_scenario_opens_it_with_its_edits(store_dir):
    scn = load_scenario(ROOT / "scenarios" / "baseline.yaml").model_copy(update={"name": "丙方案", "replications": 3,
                                                                           "horizon_months": 3})
    ScenarioStore(store_dir).save(scn, "丙方案")
    at = _fresh({A.SCN: "saved:丙方案", A.EDITS: _enc({"teams.1.judges": 3})})
    assert control(at, "selectbox", "scenario_file").value == "saved:丙方案"
    assert judge_slider(at, 1).value == 3
    # nothing ignored; the only note is that the link's plan has other staff totals than the saved one
    notes = [w.value for w in at.warning]
    assert len(notes) <= 1 and all("员额法官编制" in n for n in notes), notes
    assert t("zh", "app.edited") in "\n".join(c.value for c in at.caption)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_english_in_the_link(lang):
    at = _fresh({A.LANG: lang} if lang != "zh" else {})
    assert at.title[0].value == t(lang, "app.title")


# --- bad or tampered links ----------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("params,names", [
    ({A.PAGE: "admin"}, ["admin"]),
    ({A.SCN: "../../etc/passwd", A.EDITS: _enc({"teams.0.judges": 9})}, ["../../etc/passwd"]),
    ({A.SCN: "saved:nobody"}, ["saved:nobody"]),
    ({A.EDITS: "not-base64-at-all!"}, []),
    ({A.EDITS: _enc({"teams.0.judges": -4})}, ["teams.0.judges", "速裁团队"]),
    ({A.EDITS: _enc({"teams.0.judges": "lots"})}, ["teams.0.judges"]),
    ({A.EDITS: _enc({"demand.disputes_per_year": 10**9})}, ["demand.disputes_per_year"]),
    ({A.EDITS: _enc({"__class__": 1, "teams.9.judges": 3})}, ["__class__", "teams.9.judges"]),
    ({A.EDITS: _enc({"assignment": "bribery"})}, ["assignment"]),
    ({A.EDITS: _enc({"teams.0.judges": 10**400, "demand.disputes_per_year": 1e300})},
     ["teams.0.judges", "demand.disputes_per_year"]),
    ({A.SEED: "9" * 5000, A.REPS: "-3", A.PAGE: "compare", A.PICKS: ["x"] * 200}, ["x"]),
    ({A.PAGE: "compare", A.PICKS: ["builtin:nope.yaml"], A.REPS: "1e9"}, ["builtin:nope.yaml", "1e9"]),
])
def test_a_tampered_link_opens_the_default_with_a_message_naming_what_was_ignored(lang, params, names):
    at = _fresh({**params, A.LANG: lang} if lang != "zh" else params)
    assert not at.exception
    msg = _warnings(at)
    assert t(lang, "url.ignored", items="").rstrip() in msg, msg
    for name in names:
        assert name in msg, (name, msg)
    if A.EDITS in params:  # nothing of the rejected edits reached the controls
        base = load_scenario(ROOT / "scenarios" / "baseline.yaml")
        assert judge_slider(at, 0).value == base.teams[0].judges
        assert control(at, "selectbox", "assignment").value == base.assignment
    if params.get(A.PAGE) not in ("compare",):
        assert at.metric  # the default page still shows its figures


def test_one_bad_edit_does_not_take_the_good_ones_with_it():
    at = _fresh({A.EDITS: _enc({"teams.0.judges": 9, "no.such.field": 1})})
    assert judge_slider(at, 0).value == 9
    assert "no.such.field" in _warnings(at)


def test_the_message_goes_once_the_user_changes_something():
    at = _fresh({A.PAGE: "admin"})
    assert at.warning
    control(at, "number_input", "replications").set_value(REPS).run()
    at.run()
    assert not at.warning
