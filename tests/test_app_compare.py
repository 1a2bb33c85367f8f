"""Headless tests of saved scenarios and the comparison page (issue 4) with AppTest.

The store is pointed at a temporary folder through ``COURT_SIM_SCENARIO_DIR`` (set before each
AppTest is created), so the tests never touch scenarios/saved. Scenarios to compare are saved
with a 6-month horizon and 3 replications to keep each comparison well under a few seconds.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from helpers import app_on, control, judge_slider, open_page
from sim.model.scenario import load_scenario
from sim.store.scenario_store import ENV_VAR, ScenarioStore
from sim.vocabulary.figure_format import figure_name, verdict_word
from sim.vocabulary.messages import render
from ui.i18n import t

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PLANS = ("方案A 现状", "方案B 速裁加两名法官", "Plan C more mediation")


def _short(**changes):
    scn = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    return scn.model_copy(update={"horizon_months": 6, "replications": 3, **changes})


@pytest.fixture
def store_dir(tmp_path, monkeypatch) -> Path:
    """An empty store folder the app uses for this test only."""
    folder = tmp_path / "saved"
    monkeypatch.setenv(ENV_VAR, str(folder))
    return folder


@pytest.fixture
def three_plans(store_dir) -> Path:
    """Three short plans saved in the store: as is, two more simple-case judges, more mediation."""
    s = ScenarioStore(store_dir)
    a = _short()
    teams = [tm.model_copy(update={"judges": tm.judges + 2}) if i == 0 else tm for i, tm in enumerate(a.teams)]
    s.save(a, PLANS[0], note="现状")
    s.save(a.model_copy(update={"teams": teams}), PLANS[1], note="速裁团队增加 2 名法官")
    s.save(a.model_copy(update={"mediation": a.mediation.model_copy(update={"share_offered": 0.75})}), PLANS[2])
    return store_dir


def _app(lang: str = "zh", page: str = "whatif") -> AppTest:
    return app_on(lang, page)


def _saved_ids(*names: str) -> list[str]:
    return [f"saved:{n}" for n in names]


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in list(at.get("vega_lite_chart")) + list(at.get("arrow_vega_lite_chart"))]


def _texts(els) -> str:
    return "\n".join(str(e.value) for e in els)


# --- comparison page ------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_comparison_of_three_scenarios_has_a_row_each_and_zero_difference_for_the_reference(three_plans, lang):
    at = _app(lang, page="compare")
    control(at, "multiselect", "cmp_pick").set_value(_saved_ids(*PLANS)).run()
    control(at, "selectbox", "cmp_ref").set_value(f"saved:{PLANS[1]}").run()
    assert not at.exception, at.exception
    assert not at.error, _texts(at.error)

    table = at.dataframe[0].value
    scn_col, diff_col, ci_col = t(lang, "cmp.col.scenario"), t(lang, "cmp.col.diff"), t(lang, "cmp.col.diff_ci")
    ref_label = t(lang, "cmp.ref_mark", name=PLANS[1])
    assert set(table[scn_col]) == {PLANS[0], ref_label, PLANS[2]}
    n_fig = len(table) // 3
    assert n_fig >= 8 and len(table) == 3 * n_fig
    ref_rows = table[table[scn_col] == ref_label]
    assert len(ref_rows) == n_fig
    # the reference against itself: exactly zero, interval included
    # (shares in percentage points, other figures with their unit: '±0.0 个百分点', '±0 件', '±0.0 days')
    assert all(re.fullmatch(r"±0(\.0)?( \D+)?", d) for d in ref_rows[diff_col]), list(ref_rows[diff_col])
    assert all("±0" in d for d in ref_rows[ci_col])
    # two more judges in the busiest team: the others are not all zero
    others = table[table[scn_col] != ref_label]
    assert any(not d.startswith("±0") for d in others[diff_col])
    # targets in words, not colour alone
    status = set(table[t(lang, "cmp.col.status")])
    assert status & {"✓ " + verdict_word(lang, "met"), "✗ " + verdict_word(lang, "missed"),
                      "? " + verdict_word(lang, "undecided")}

    # common random numbers, stated with the seed and replications actually used
    info = _texts(at.info)
    assert "**3**" in info and str(_short().seed) in info

    charts = _charts(at)
    assert len(charts) == 2
    for spec in charts:
        enc = (spec.get("encoding") or spec["layer"][0]["encoding"])
        assert enc["color"]["field"] == "scenario" and "tooltip" in enc
        # one colour (and one dash pattern) per scenario, all different
        assert enc["color"]["scale"]["domain"] == list(PLANS)
        assert len(set(enc["color"]["scale"]["range"])) == 3
        assert enc["strokeDash"]["field"] == "scenario"

    # what differs names the changed parameters in words
    from sim.vocabulary.field_labels import label

    diffs = at.dataframe[1].value
    params = diffs.iloc[:, 1].tolist()
    assert label(lang, "teams.*.judges") in params, params
    assert label(lang, "mediation.share_offered") in params, params
    assert list(diffs.columns[2:]) == list(PLANS)
    assert not any("." in x and " " not in x for x in params)  # words, never a dotted key

    # both exports are offered
    labels = [b.label for b in at.get("download_button")]
    assert t(lang, "cmp.dl.csv") in labels and t(lang, "cmp.dl.html") in labels


def test_comparison_csv_and_report_hold_the_three_scenarios(three_plans):
    """Both exports of the comparison page hold the three plans with the figures of direct runs
    (the reference's seed and replications). Named for the report too, the test used to read the
    CSV only: a report that left a plan out, or showed another plan's figures, passed."""
    from helpers import html_text
    from sim.analysis.compare import compare
    from sim.analysis.runner import run
    from sim.report.html_report import comparison_html_bytes
    from ui.pages.compare import comparison_csv, report_differences

    s = ScenarioStore(three_plans)
    plans = [s.load(n) for n in PLANS]
    cmp = compare(plans, reference=0, workers=1)
    ref = plans[0]
    pending = {n: float(run(p, replications=ref.replications, seed=ref.seed, workers=1).summary()["pending_end"].mean)
               for n, p in zip(PLANS, plans, strict=True)}
    assert len({round(v) for v in pending.values()}) == 3, "the plans' figures differ, so a mix-up shows"

    text = comparison_csv("zh", cmp)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    # the plans side by side: each plan's mean column, the reference marked
    assert rows[0][:2] == ["指标", "目标"]
    means = [f"{PLANS[0]}（基准）：平均值"] + [f"{p}：平均值" for p in PLANS[1:]]
    assert [h for h in rows[0] if h.endswith("：平均值")] == means
    row = next(r for r in rows if r[0].startswith(figure_name("zh", "pending_end")))
    got = {n: float(row[rows[0].index(h)].replace(",", "")) for n, h in zip(PLANS, means, strict=True)}
    assert got == pytest.approx(pending, abs=0.5)

    report = html_text(comparison_html_bytes(cmp, lang="zh", differences=report_differences("zh", cmp)).decode("utf-8"))
    for name in PLANS:
        assert name in report, name
    for mean in pending.values():
        assert f"{round(mean):,}" in report, (mean, "each plan's pending caseload at the end, as a whole number")


def test_the_selection_is_checked_before_anything_runs(three_plans):
    ScenarioStore(three_plans).save(_short(), "Plan D as is")  # seven to pick, one too many
    at = _app("en", page="compare")
    control(at, "multiselect", "cmp_pick").set_value(_saved_ids(PLANS[0])).run()
    assert not at.exception
    assert t("en", "cmp.need_two", n=1) in _texts(at.info)
    assert not at.dataframe
    everything = control(at, "multiselect", "cmp_pick").options
    assert len(everything) >= 7  # three built-in courts (not the M/M/c check) and four saved plans
    assert not [o for o in everything if "mmc" in o]
    ids = [f"builtin:{p.name}" for p in sorted((ROOT / "scenarios").glob("*.yaml"))] + _saved_ids(*PLANS)
    ids.append("saved:Plan D as is")
    control(at, "multiselect", "cmp_pick").set_value(ids).run()
    assert not at.exception
    assert t("en", "cmp.too_many", n=len(ids), k=len(ids) - 6) in _texts(at.error)
    assert not at.dataframe


def test_a_corrupt_file_is_listed_with_its_error_and_cannot_be_compared(three_plans):
    (three_plans / "broken.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    at = _app("en", page="compare")
    bad = [o for o in control(at, "multiselect", "cmp_pick").options if "cannot be read" in o]
    assert len(bad) == 1
    control(at, "multiselect", "cmp_pick").set_value(["saved:broken", f"saved:{PLANS[0]}"]).run()
    assert not at.exception
    assert "broken" in _texts(at.error)
    assert not at.dataframe


# --- saved scenarios on the what-if page ----------------------------------------------------

def _save(at: AppTest, name: str, note: str = "") -> AppTest:
    at.text_input(key="store_save_name").set_value(name)
    control(at, "text_area", "store_save_note").set_value(note)
    return at.button(key="store_save").click().run()


def _saved_table(at: AppTest):
    names = t(at.session_state["lang"], "store.col.name")
    for df in at.sidebar.dataframe:
        if names in df.value.columns:
            return df.value
    return None


def test_saving_the_current_scenario_lists_it_and_offers_it_for_comparison(store_dir):
    at = _app("zh")
    control(at, "number_input", "horizon_months").set_value(6).run()
    _save(at, "速裁团队扩编方案", "简案团队加两名法官")
    assert not at.exception, at.exception
    assert t("zh", "store.saved", name="速裁团队扩编方案") in _texts(at.success)

    table = _saved_table(at)
    assert table is not None and table.iloc[0].tolist()[:2] == ["速裁团队扩编方案", "简案团队加两名法官"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", table.iloc[0, 2])
    # the file holds the edited scenario, not the loaded one
    assert ScenarioStore(store_dir).load("速裁团队扩编方案").horizon_months == 6
    # offered in the what-if picker and on the comparison page
    assert t("zh", "store.picker.saved", name="速裁团队扩编方案") in control(at, "selectbox", "scenario_file").options
    open_page(at, "compare")
    at.run()
    assert not at.exception
    assert t("zh", "pick.opt.saved", name="速裁团队扩编方案") in control(at, "multiselect", "cmp_pick").options
    # and the edit survived the visit to the other page
    open_page(at, "whatif")
    at.run()
    assert control(at, "number_input", "horizon_months").value == 6


def test_saving_over_an_existing_name_asks_first(store_dir):
    at = _app("en")
    _save(at, "Plan A", "first")
    _save(at, "Plan A", "second")
    assert not at.exception
    ask = t("en", "store.overwrite.ask", name="Plan A")
    assert ask in _texts(at.warning)
    assert ScenarioStore(store_dir).get("Plan A").note == "first"  # nothing written yet
    at.button(key="store_overwrite_no").click().run()
    assert ask not in _texts(at.warning)
    assert ScenarioStore(store_dir).get("Plan A").note == "first"
    _save(at, "Plan A", "second")
    at.button(key="store_overwrite_yes").click().run()
    assert not at.exception
    assert ScenarioStore(store_dir).get("Plan A").note == "second"


def test_delete_needs_confirmation_and_load_rename_duplicate_work(three_plans):
    at = _app("en")
    s = ScenarioStore(three_plans)
    control(at, "selectbox", "store_pick").set_value(PLANS[1]).run()
    at.button(key="store_load").click().run()
    assert not at.exception
    assert control(at, "selectbox", "scenario_file").value == f"saved:{PLANS[1]}"
    assert control(at, "number_input", "horizon_months").value == 6
    assert judge_slider(at, 0).value == _short().teams[0].judges + 2  # the plan's two extra judges

    at.button(key="store_duplicate").click().run()
    assert f"{PLANS[1]} (copy)" in s.names()
    at.text_input(key="store_rename_to").set_value("Plan B2")
    at.button(key="store_rename").click().run()
    assert "Plan B2" in s.names() and f"{PLANS[1]} (copy)" not in s.names()

    control(at, "selectbox", "store_pick").set_value(PLANS[0]).run()
    at.button(key="store_delete").click().run()
    assert not at.exception
    assert t("en", "store.delete.ask", name=PLANS[0]) in _texts(at.warning)
    assert PLANS[0] in s.names()  # not yet
    at.button(key="store_delete_no").click().run()
    assert PLANS[0] in s.names()
    at.button(key="store_delete").click().run()
    at.button(key="store_delete_yes").click().run()
    assert not at.exception
    assert PLANS[0] not in s.names()
    assert t("en", "store.deleted", name=PLANS[0]) in _texts(at.success)


def test_an_invalid_or_oversized_upload_shows_a_message_and_saves_nothing(store_dir):
    at = _app("en")
    at.file_uploader(key="store_upload").set_value(("bad.yaml", b"name: [unclosed\n", "application/x-yaml")).run()
    assert not at.exception, at.exception
    assert "“bad.yaml” is not a valid scenario file" in _texts(at.error)
    at.file_uploader(key="store_upload").set_value(
        ("wrong.yaml", b"name: x\nhorizon_months: -3\n", "application/x-yaml")).run()
    assert not at.exception
    assert "wrong.yaml" in _texts(at.error)
    at.file_uploader(key="store_upload").set_value(("big.yaml", b"#" * 1_100_000, "application/x-yaml")).run()
    assert not at.exception
    assert render("too_large", {"size_mb": 1.1, "limit_mb": 1.0}, "en") in _texts(at.error)
    assert ScenarioStore(store_dir).list() == []

    good = (ROOT / "scenarios" / "weak-court.yaml").read_bytes()
    at.file_uploader(key="store_upload").set_value(("weak.yaml", good, "application/x-yaml")).run()
    assert not at.exception
    assert ScenarioStore(store_dir).names() == [load_scenario(ROOT / "scenarios" / "weak-court.yaml").name]


def test_a_corrupt_file_in_the_folder_is_listed_and_the_page_still_works(three_plans):
    (three_plans / "broken.yaml").write_text("teams: 3\n", encoding="utf-8")
    at = _app("en")
    table = _saved_table(at)
    assert table is not None and len(table) == 4
    status = table[t("en", "store.col.status")].tolist()
    assert sum(s.startswith("⚠") for s in status) == 1
    control(at, "selectbox", "store_pick").set_value("broken").run()
    assert not at.exception
    assert at.button(key="store_load").disabled
    assert any("cannot be read" in e for e in _texts(at.error).splitlines())


def test_every_store_and_comparison_control_has_help_in_both_languages(three_plans):
    for lang in ("zh", "en"):
        at = _app(lang)
        for w in (list(at.sidebar.button) + list(at.sidebar.text_input) + list(at.sidebar.selectbox)):
            if str(w.key or "").startswith("store_"):
                assert w.help, w.key
        open_page(at, "compare")
        at.run()
        for key in ("cmp_pick",):
            assert control(at, "multiselect", key).help
        for key in ("cmp_reps", "cmp_seed"):
            assert control(at, "number_input", key).help
        assert control(at, "selectbox", "cmp_ref").help


def test_the_picked_scenarios_are_still_picked_after_a_visit_to_the_what_if_page(three_plans):
    at = _app("en", page="compare")
    control(at, "multiselect", "cmp_pick").set_value(_saved_ids(*PLANS[:2])).run()
    control(at, "selectbox", "cmp_ref").set_value(f"saved:{PLANS[1]}").run()
    control(at, "number_input", "cmp_reps").set_value(2).run()
    open_page(at, "whatif")
    at.run()
    open_page(at, "compare")
    at.run()
    assert not at.exception
    assert control(at, "multiselect", "cmp_pick").value == _saved_ids(*PLANS[:2])
    assert control(at, "selectbox", "cmp_ref").value == f"saved:{PLANS[1]}"
    assert control(at, "number_input", "cmp_reps").value == 2
    assert at.dataframe  # and the comparison is shown again (from the cache)
