"""The calibration page's mapping step: a column per required field the headers did not give.

AppTest cannot upload files, so the step is run on the bytes of an upload directly (the browser
test of the page uploads the example's real files). Party columns are never offered.
"""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from helpers import control

CSV = ("案号,收到时间,完毕时间,审判方式,原告,承办部门\n"
       "（2025）豫0403民初1号,2025-01-02,2025-02-03,简易程序,张三,民一庭\n").encode("utf-8")


def _step(lang: str, data: bytes) -> None:
    import streamlit as st

    from ui.pages.calibrate import _mapping_step

    st.session_state["mapping"] = _mapping_step(lang, "cases", data)


@pytest.mark.parametrize("lang,words", [("zh", "立案日期"), ("en", "filing date")])
def test_unrecognised_headers_get_a_choice_each_and_party_columns_are_not_offered(lang, words):
    at = AppTest.from_function(_step, args=(lang, CSV), default_timeout=60).run()
    assert not at.exception, at.exception
    boxes = {b.key: b for b in at.selectbox}
    assert set(boxes) == {"cal_map_cases_filing_date", "cal_map_cases_closing_date", "cal_map_cases_procedure"}
    assert words in boxes["cal_map_cases_filing_date"].label and "filing_date" not in boxes["cal_map_cases_filing_date"].label
    for b in boxes.values():
        assert "原告" not in b.options  # never read, so never a field's column
        assert "收到时间" in b.options
    assert at.session_state["mapping"] is None  # nothing chosen yet: no mapping
    boxes["cal_map_cases_filing_date"].set_value("收到时间")
    boxes["cal_map_cases_closing_date"].set_value("完毕时间")
    at.run()
    assert at.session_state["mapping"] is None  # one still missing
    control(at, "selectbox", "cal_map_cases_procedure").set_value("审判方式").run()
    assert at.session_state["mapping"] == {"收到时间": "filing_date", "完毕时间": "closing_date",
                                           "审判方式": "procedure"}


def test_recognised_headers_need_no_mapping():
    ok = "案号,立案日期,结案日期,适用程序\n（2025）豫0403民初1号,2025-01-02,2025-02-03,简易程序\n".encode("utf-8")
    at = AppTest.from_function(_step, args=("zh", ok), default_timeout=60).run()
    assert not at.exception and not at.selectbox
    assert at.session_state["mapping"] == {}
