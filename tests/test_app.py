"""Headless tests of the what-if app with streamlit.testing.v1.AppTest.

Replications are set to 4 in most tests to keep each run around a second; the baseline's own
20-replication run happens once per test process (the results cache is process-wide).
"""
from __future__ import annotations

import io
import json
import re
import string
from pathlib import Path
from typing import Callable

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from helpers import control, judge_slider, open_sections
from sim.model.figures import FIGURES
from sim.model.scenario import load_scenario, load_yaml_text
from sim.vocabulary.export_text import word
from sim.vocabulary.figure_format import figure_name
from ui.i18n import STRINGS, t
from ui.widgets import controls as C
from ui.widgets import plan as P

APP = str(Path(__file__).resolve().parent.parent / "app.py")
BASELINE = Path(__file__).resolve().parent.parent / "scenarios" / "baseline.yaml"
REPS = 4


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception, at.exception
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _num(text: str) -> float:
    """'97.2%' → 0.972, '1,138 件' → 1138.0, '50.3 天' → 50.3."""
    m = re.search(r"-?[\d,]+(\.\d+)?", text)
    assert m, text
    v = float(m.group(0).replace(",", ""))
    return v / 100 if "%" in text else v


def _fig(at: AppTest, figure: str, lang: str = "zh") -> float:
    return _num(_metrics(at)[figure_name(lang, figure)])


def _charts(at: AppTest) -> list:
    return list(at.get("vega_lite_chart")) + list(at.get("arrow_vega_lite_chart"))


# --- translation table --------------------------------------------------------------------

def _placeholders(s: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(s) if f}


def test_both_languages_have_the_same_keys_and_placeholders():
    zh, en = STRINGS["zh"], STRINGS["en"]
    assert set(zh) == set(en), (set(zh) ^ set(en))
    for k in zh:
        # English may leave out a placeholder that only Chinese needs (e.g. a month number)
        if not k.startswith(("month.", "opt.")):
            assert _placeholders(zh[k]) == _placeholders(en[k]), k


def test_every_figure_and_control_has_a_label_and_help():
    for lang in ("zh", "en"):
        for fig in FIGURES:
            assert figure_name(lang, fig) and FIGURES[fig].definition(lang)
        data = load_scenario(BASELINE).model_dump(mode="json")
        for sp in C.specs_for(data):
            assert t(lang, f"ctl.{sp.label}") and t(lang, f"ctl.{sp.label}.help")


# --- the app ------------------------------------------------------------------------------

def test_app_loads_in_chinese_and_english_without_exceptions():
    at = _app()
    assert at.title[0].value == t("zh", "app.title")
    labels = [m.label for m in at.metric]
    # the overall within-limit rate, each track's beside it, then backlog, age, speed, capacity
    assert labels[:3] == ["审限内结案率", "简案审限内结案率", "繁案审限内结案率"]
    assert labels[3:6] == ["超审限未结案件数", "简案超审限未结案件数", "繁案超审限未结案件数"]
    assert len(labels) == 12
    # six charts plus staffing over time under the pending chart, and the case flow's picture
    # with its teams' pending cases by status under it
    assert len(_charts(at)) == 9
    for chart in _charts(at):
        spec = json.loads(chart.proto.spec)
        assert spec.get("title"), "every chart has a title"
    assert not at.error
    control(at, "selectbox", "lang").set_value("en").run()
    assert not at.exception, at.exception
    assert at.title[0].value == t("en", "app.title")
    assert [m.label for m in at.metric][0] == "Within-limit rate"
    assert "%" in _metrics(at)["Within-limit rate"]


def test_every_widget_has_a_key_and_help():
    at = _app()
    kinds = ("slider", "number_input", "selectbox", "multiselect", "date_input", "text_area", "button")
    n = 0
    for kind in kinds:
        for w in at.get(kind):
            n += 1
            assert w.key, f"{kind} {w.label!r} has no key"
            assert w.help, f"{kind} {w.label!r} has no help text"
    assert n > 40


def test_more_judges_in_the_busiest_team_improves_the_figures():
    at = _app()
    control(at, "number_input", "replications").set_value(REPS).run()
    # the busiest team is the one with the highest utilisation in the loaded scenario's results
    from ui.runs.service import cache_key, results_cache
    scn = load_scenario(BASELINE).model_copy(update={"replications": REPS})
    res = results_cache().get(cache_key(scn, REPS, scn.seed))
    assert res is not None, "the app's run should be in the cache"
    utils = [tm["utilisation"]["mean"] for tm in res.teams()]
    busiest = utils.index(max(utils))
    before = {f: _fig(at, f) for f in ("within_limit_rate", "pending_end", "judge_utilisation")}
    control(at, "toggle", C.KEEP_TOTALS).set_value(False).run()  # add judges, do not move them
    j = judge_slider(at, busiest).value
    judge_slider(at, busiest).set_value(j + 4).run()
    assert not at.exception, at.exception
    after = {f: _fig(at, f) for f in before}
    assert after["within_limit_rate"] >= before["within_limit_rate"]
    assert after["pending_end"] < before["pending_end"]
    # the card shows the change against the loaded scenario
    card = [m for m in at.metric if m.label == figure_name("zh", "pending_end")][0]
    assert card.delta and card.delta.startswith("-"), card.delta


def test_fewer_judges_in_a_simple_team_worsens_the_figures():
    at = _app()
    control(at, "number_input", "replications").set_value(REPS).run()
    before = {f: _fig(at, f) for f in ("within_limit_rate", "pending_end")}
    control(at, "toggle", C.KEEP_TOTALS).set_value(False).run()  # remove judges, do not move them
    judge_slider(at, 0).set_value(2).run()
    assert not at.exception, at.exception
    assert _fig(at, "pending_end") > before["pending_end"]
    assert _fig(at, "within_limit_rate") <= before["within_limit_rate"]
    # the team table follows the slider
    assert P.teams(at.session_state)[0]["judges"] == 2


def test_shares_not_summing_to_one_show_an_error_and_no_exception():
    at = _app()
    control(at, "number_input", "replications").set_value(REPS).run()
    first = load_scenario(BASELINE).case_types[0].share
    new = 0.75 if first < 0.5 else 0.25
    open_sections(at)
    control(at, "number_input", "ct_0_share").set_value(new * 100).run()
    assert not at.exception, at.exception
    msgs = [e.value for e in at.error]
    total = f"{(1 - first + new) * 100:.1f}%"
    assert any("100%" in m and total in m for m in msgs), (total, msgs)
    assert not any("Traceback" in m for m in msgs)
    # the last valid results stay on screen
    assert len(at.metric) == 12
    # dragging the simple-share slider rescales the shares and clears the error
    control(at, "slider", "simple_share").set_value(60.0).run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]


def test_removing_every_complex_team_shows_an_error_next_to_the_teams():
    at = _app()
    control(at, "selectbox", "lang").set_value("en").run()
    teams = [tm for tm in P.teams(at.session_state) if tm["track"] == "simple"]
    P.set_teams(at.session_state, teams)  # what deleting the complex rows in the table leaves
    at.run()
    assert not at.exception, at.exception
    msgs = [e.value for e in at.error]
    assert any("complex track but no team serves it" in m for m in msgs), msgs


def test_an_empty_team_name_is_an_error_not_a_crash():
    at = _app()
    teams = [dict(tm) for tm in P.teams(at.session_state)]
    teams[1]["name"] = None
    P.set_teams(at.session_state, teams)
    at.run()
    assert not at.exception, at.exception
    assert any("不能为空" in e.value for e in at.error)


def _download(at: AppTest, key: str, files: dict[str, Callable[[], bytes]]) -> bytes:
    btn = [b for b in at.get("download_button") if b.key == key]
    assert btn, f"no download button {key}"
    proto = btn[0].proto
    assert proto.deferred_file_id and not proto.url  # made when clicked (see ui.widgets.downloads)
    return files[proto.deferred_file_id]()  # what a click does


def test_downloads_hold_the_current_scenario_and_results(captured_downloads):
    at = _app()
    control(at, "number_input", "replications").set_value(REPS).run()
    judge_slider(at, 0).set_value(7).run()
    control(at, "slider", "med_share").set_value(55.0).run()
    assert not at.exception, at.exception
    scn = load_yaml_text(_download(at, "dl_yaml", captured_downloads).decode("utf-8"))
    assert scn.teams[0].judges == 7
    assert scn.replications == REPS
    assert abs(scn.mediation.share_offered - 0.55) < 1e-9
    raw = _download(at, "dl_csv", captured_downloads)
    assert raw.startswith(b"\xef\xbb\xbf")                    # the BOM Excel needs for the Chinese
    df = pd.read_csv(io.StringIO(raw.decode("utf-8-sig")), dtype=str)
    code = word("zh", "code")
    total = df[(df[word("zh", "period")] == word("zh", "total")) & (df[code] == "within_limit_rate")]
    assert len(total) == 1
    # in per cent, as the header "审限内结案率（%）" says, rounded as the card shows it
    assert abs(float(total[word("zh", "mean")].iloc[0]) / 100 - _fig(at, "within_limit_rate")) < 0.0006
    months = set(df[word("zh", "period")]) - {word("zh", "total")}
    assert len(months) == 24
    # the workbook: the same figure as a number under a per-cent format
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(_download(at, "dl_xlsx", captured_downloads)))
    ws = wb[word("zh", "sheet.summary")]
    head = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[head.index(word("zh", "code"))].value == "within_limit_rate")
    cell = row[head.index(word("zh", "mean"))]
    assert cell.number_format == "0.0%" and abs(cell.value - _fig(at, "within_limit_rate")) < 0.0006


def test_picking_a_scenario_and_reset_restore_the_file_values():
    at = _app()
    control(at, "number_input", "replications").set_value(REPS).run()
    judge_slider(at, 0).set_value(9).run()
    assert P.teams(at.session_state)[0]["judges"] == 9
    at.button(key="reset").click().run()
    assert not at.exception, at.exception
    assert judge_slider(at, 0).value == load_scenario(BASELINE).teams[0].judges
    assert control(at, "number_input", "replications").value == load_scenario(BASELINE).replications
    assert control(at, "selectbox", "scenario_file").value == "baseline.yaml"


def test_every_other_scenario_file_can_be_picked():
    at = _app()
    assert len(control(at, "selectbox", "scenario_file").options) == len(list(BASELINE.parent.glob("*.yaml")))
    names = sorted(p.name for p in BASELINE.parent.glob("*.yaml") if p.name != BASELINE.name)
    assert names, "the built-in scenarios besides the baseline are missing"
    for name in names:
        control(at, "selectbox", "scenario_file").set_value(name).run()
        assert not at.exception, (name, at.exception)
        assert not at.error, (name, [e.value for e in at.error])
        # the scenario named in the page's language (not "相对薄弱法院 (weak court under pressure)")
        assert any(load_scenario(BASELINE.parent / name).name_in("zh") in m.value for m in at.markdown)
        assert not any(load_scenario(BASELINE.parent / name).name_in("en") in m.value for m in at.markdown)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_engine_errors_are_rendered_from_their_code_not_passed_through(lang) -> None:
    """Validation errors reach the app as codes and are rendered in its language (issue 9)."""
    from sim.model.scenario import ScenarioError, scenario_from_dict, scenario_to_dict
    from sim.vocabulary.messages import render
    from ui.i18n import error_text

    data = scenario_to_dict(load_scenario(BASELINE))
    data["teams"][0]["judges"] = 900
    data["teams"][1]["name"] = ""
    data["case_types"][0]["share"] = 0.9
    with pytest.raises(ScenarioError) as exc:
        scenario_from_dict(data)
    codes = {e.code for e in exc.value.errors}
    assert {"le", "string_too_short"} <= codes
    for e in exc.value.errors:
        out = error_text(lang, e)
        assert e.code != "invalid" and out == render(e.code, e.params, lang)
        assert (out == e.message) == (lang == "en")


# --- moving judges instead of adding them (issue 11 part 3) ----------------------------------

def _totals(at: AppTest) -> dict[str, int]:
    return C.staff_totals(P.teams(at.session_state))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_keep_totals_moves_judges_and_support_staff_between_teams(lang):
    at = _app()
    if lang == "en":
        control(at, "selectbox", "lang").set_value("en").run()
    control(at, "number_input", "replications").set_value(REPS).run()
    loaded = load_scenario(BASELINE)
    est = {r: sum(getattr(tm, r) for tm in loaded.teams) for r in C.STAFF_ROLES}
    assert control(at, "toggle", C.KEEP_TOTALS).value is True  # on for a loaded scenario
    assert control(at, "selectbox", C.TAKE_FROM).value == C.PROPORTIONAL
    j0 = loaded.teams[0].judges
    judge_slider(at, 0).set_value(j0 + 2).run()
    assert not at.exception, at.exception
    teams = P.teams(at.session_state)
    assert teams[0]["judges"] == j0 + 2 and _totals(at) == est
    # the other sliders show where the two judges came from
    others = [judge_slider(at, i).value for i in range(1, len(teams))]
    assert sum(loaded.teams[i].judges for i in range(1, len(teams))) - sum(others) == 2
    assert not [w for w in at.warning if t(lang, "app.establishment", items="")[:4] in w.value]
    # from one named team, as far as it can give (never below 0: a complex team keeps its track staffed)
    control(at, "selectbox", C.TAKE_FROM).set_value("1").run()
    before = [tm["judges"] for tm in P.teams(at.session_state)]
    judge_slider(at, 0).set_value(30).run()  # the top of the slider: more than team 1 has
    after = [tm["judges"] for tm in P.teams(at.session_state)]
    assert after[1] == 0 and after[0] == before[0] + before[1] and after[2:] == before[2:]
    assert judge_slider(at, 0).value == after[0] and _totals(at) == est


def test_move_staff_keeps_totals_floors_and_proportions():
    """The rule behind the sliders and the team table (judges, assistants, clerks alike)."""
    teams = [{"name": "速裁", "track": "simple", "judges": 4, "assistants": 2, "clerks": 3},
             {"name": "一庭", "track": "complex", "judges": 4, "assistants": 2, "clerks": 3},
             {"name": "二庭", "track": "complex", "judges": 2, "assistants": 1, "clerks": 2}]
    both = ("simple", "complex")
    out, got = C.move_staff(teams, 0, "judges", 7, C.PROPORTIONAL, both)
    assert got == 7 and [tm["judges"] for tm in out] == [7, 2, 1] and teams[0]["judges"] == 4  # input kept
    # the complex track keeps one judge however many are asked for
    out, got = C.move_staff(teams, 0, "judges", 30, C.PROPORTIONAL, both)
    assert got == 9 and sum(tm["judges"] for tm in out[1:]) == 1
    # ...unless it receives no cases
    out, got = C.move_staff(teams, 0, "judges", 30, C.PROPORTIONAL, ("simple",))
    assert got == 10 and [tm["judges"] for tm in out] == [10, 0, 0]
    # one named team, never below 0; assistants have no track floor
    out, got = C.move_staff(teams, 1, "assistants", 9, 2, both)
    assert got == 3 and [tm["assistants"] for tm in out] == [2, 3, 0]
    # lowering gives back to the chosen team(s)
    out, got = C.move_staff(teams, 0, "clerks", 0, C.PROPORTIONAL, both)
    assert got == 0 and [tm["clerks"] for tm in out] == [0, 5, 3]
    for role in C.STAFF_ROLES:
        for src in (C.PROPORTIONAL, 1, 2):
            for new in range(0, 12):
                out, _ = C.move_staff(teams, 0, role, new, src, both)
                assert C.staff_totals(out) == C.staff_totals(teams)
                assert all(tm[role] >= 0 for tm in out)


def test_keep_totals_off_adds_posts_and_says_so_next_to_the_figures():
    at = _app()
    control(at, "number_input", "replications").set_value(REPS).run()
    control(at, "toggle", C.KEEP_TOTALS).set_value(False).run()
    j0 = judge_slider(at, 0).value
    judge_slider(at, 0).set_value(j0 + 2).run()
    assert not at.exception, at.exception
    notice = [w.value for w in at.warning if "员额法官编制" in w.value]
    assert len(notice) == 1 and "比原方案多 2 个员额法官编制" in notice[0], [w.value for w in at.warning]
    control(at, "selectbox", "lang").set_value("en").run()
    notice = [w.value for w in at.warning if "establishment" in w.value]
    assert len(notice) == 1 and "2 quota-judge posts beyond the establishment" in notice[0]
    # back to the establishment: no notice
    judge_slider(at, 0).set_value(j0).run()
    assert not [w for w in at.warning if "establishment" in w.value]
