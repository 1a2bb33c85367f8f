"""The calibration page in AppTest (issue 12 part 5): the example court in one click, its quality
report, the fit with ranges, the replay charts, saving, and the saved court on the what-if page;
the tornado for a built-in scenario; Chinese and English.

The store is a temporary folder (``COURT_SIM_SCENARIO_DIR`` set before each AppTest).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from helpers import control, judge_slider, open_page
from sim.store.scenario_store import ENV_VAR, ScenarioStore
from ui.i18n import t

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


@pytest.fixture
def store_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "saved"
    monkeypatch.setenv(ENV_VAR, str(folder))
    return folder


def _page(lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=900)
    at.session_state["lang"] = lang
    open_page(at, "calibrate")
    at.run()
    assert not at.exception, at.exception
    return at


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def test_example_fit_replay_save_then_what_if(store_dir):
    at = _page("zh")
    assert at.title[0].value == t("zh", "cal.title")
    at.button(key="cal_example").click().run()
    assert not at.exception and not at.error
    quality = [m.value for m in at.markdown if "读取" in m.value]
    assert len(quality) == 3 and "拒绝 8 行" in quality[0]  # the example's deliberately bad rows
    assert any("未知" in str(df.value) or "不存在" in str(df.value) or "早于" in str(df.value)
               for df in at.dataframe)  # the reasons, by row

    # the staffing timeline to check before fitting: the example's staffing table, month by month
    assert any("人员时间线" in s.value for s in at.subheader)
    assert any("人员来自上传的人员表" in c.value for c in at.caption)

    at.button(key="cal_fit").click().run()
    assert not at.exception and not at.error, (at.exception, at.error)
    assert at.success and "拟合通过质量检查" in at.success[0].value  # the quality gate first
    params = next(df.value for df in at.dataframe if "参数" in df.value.columns)
    assert "95% 范围" in params.columns and "简案团队每案法官工时（倍数）" in set(params["参数"])
    assert any("数据无法确定的参数" in i.value for i in at.info)
    charts = _charts(at)
    assert len(charts) == 6  # one replay chart per figure, in tabs, and the forecast's two
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in charts[0]["layer"]]
    assert marks == ["area", "line"]  # the band, then actual and simulated
    scores = [m.value for m in at.markdown if "实际值落在 95% 区间内的月份" in m.value]
    assert len(scores) == 4

    # a fit the quality gate calls far off must be confirmed before it is saved as "our court"
    from sim.calibration.gate import Gate

    res = at.session_state["_cal_fit"]
    passed = res["gate"]
    assert not at.button(key="cal_save").disabled
    res["gate"] = Gate(False, [{"code": "gate_chi2", "params": {"chi2": 300.0, "dof": 30, "ratio": 10.0,
                                                                 "limit": 5.0}}])
    at.session_state["_cal_fit"] = res
    at.run()
    assert at.error and at.error[0].value.startswith("【拟合较差")
    assert at.button(key="cal_save").disabled
    at.checkbox(key="cal_save_poor").check().run()
    assert not at.button(key="cal_save").disabled
    res["gate"] = passed
    at.session_state["_cal_fit"] = res
    at.run()

    at.text_input(key="cal_save_name").set_value("本院校准测试").run()
    at.button(key="cal_save").click().run()
    assert any("本院校准测试" in s.value for s in at.success)
    saved = ScenarioStore(store_dir).load("本院校准测试")
    assert saved.start_date.isoformat() == "2027-01-01"

    open_page(at, "whatif")
    at.run()
    control(at, "selectbox", "scenario_file").set_value("saved:本院校准测试").run()
    assert not at.exception, at.exception
    assert control(at, "number_input", "horizon_months").value == saved.horizon_months
    assert judge_slider(at, 0).value == saved.teams[0].judges


def test_english_page_and_tornado_for_a_builtin_scenario(store_dir):
    """The English page, and the tornado for the weak court (the 24-month weak court moves the
    within-limit rate; the M/M/c check, used before, is always within the limit, so every bar was
    0 and any order passed). Planted bug caught: the tornado's bars sorted by name."""
    at = _page("en")
    assert at.title[0].value == "Calibrate to your court"
    assert at.button(key="cal_example").label == "Use the example court"
    # the quick M/M/c check is not offered as a court (it lives in scenarios/checks/)
    assert "builtin:mmc-check.yaml" not in control(at, "selectbox", "cal_tornado_pick").options
    control(at, "selectbox", "cal_tornado_pick").set_value("builtin:weak-court.yaml").run()
    at.button(key="cal_tornado_run").click().run()
    assert not at.exception, at.exception
    chart = at.get("vega_lite_chart")[-1]
    assert json.loads(chart.proto.spec)["mark"]["type"] == "bar"
    import pyarrow as pa

    df = pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_pandas()
    assert set(df["direction"]) == {"down", "up"}
    assert "Judge hours per case ±10%" in set(df["assumption"])  # a built-in scenario: ±10 % swings
    # the largest swing on top: the bars' order is by each assumption's largest change (down or
    # up), worked out here from the bars themselves; planted bug caught: sorted by name (the
    # precondition makes sure the names' order is not already the order by swing)
    swing = {a: max(abs(c) for c in g["change"]) for a, g in df.groupby("assumption")}
    by_swing = sorted(swing, key=lambda a: -swing[a])
    assert len(set(swing.values())) == len(swing) and by_swing != sorted(swing)
    assert json.loads(chart.proto.spec)["encoding"]["y"]["sort"] == by_swing


def _once(real, exc):
    """``real``, except that its first call raises ``exc()`` (as Streamlit does inside a run)."""
    calls = []

    def wrapped(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise exc()
        return real(*args, **kwargs)
    return wrapped, calls


def _rerun():
    from helpers import rerun_exception

    return rerun_exception()


def test_a_click_whose_run_is_replaced_by_a_rerun_still_reads_the_files(store_dir, monkeypatch):
    """An upload finishing just after "read" was pressed asks for a rerun, which replaces the
    click's run (the CI's lost click): the run after it still reads, and later runs do not."""
    import ui.pages.calibrate as view
    import ui.widgets.button_action as pending

    wrapped, calls = _once(view.import_cases, _rerun)
    monkeypatch.setattr(view, "import_cases", wrapped)
    at = _page("zh")
    at.button(key="cal_example").click().run()  # the click's run, replaced by a rerun
    assert not at.exception, at.exception
    assert len(calls) == 2 and len([m for m in at.markdown if "读取" in m.value]) == 3
    assert pending.PENDING not in at.session_state
    at.run()
    assert len(calls) == 2  # read once, not again in every run


def test_a_read_stopped_by_the_user_is_not_done_later(store_dir, monkeypatch):
    """Streamlit's "Stop" stops the run with StopException: the read is no longer wanted."""
    from streamlit.runtime.scriptrunner_utils.exceptions import StopException

    import ui.pages.calibrate as view
    import ui.widgets.button_action as pending

    wrapped, calls = _once(view.import_cases, StopException)
    monkeypatch.setattr(view, "import_cases", wrapped)
    at = _page("zh")
    at.button(key="cal_example").click().run()
    assert len(calls) == 1 and pending.PENDING not in at.session_state
    at.run()
    assert len(calls) == 1 and not [m for m in at.markdown if "读取" in m.value]


def test_a_read_that_fails_is_not_asked_again(store_dir, monkeypatch):
    import ui.pages.calibrate as view
    import ui.widgets.button_action as pending

    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")
    monkeypatch.setattr(view, "import_cases", broken)
    at = _page("en")
    at.button(key="cal_example").click().run()
    assert at.exception and "disk gone" in at.exception[0].message
    assert pending.PENDING not in at.session_state
    at.run()
    assert not at.exception  # the failure was shown once; the page is usable again
