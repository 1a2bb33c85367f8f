"""Cells of a court's export (issue 12 part 1): dates in every common form, case numbers, procedures."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.calibration.parse import (
    CellError,
    parse_case_number,
    parse_closing_method,
    parse_count,
    parse_date,
    parse_flag,
    parse_month,
    parse_procedure,
)

DATES = st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2099, 12, 31))


@given(DATES)
def test_every_common_date_form_reads_the_same_day(d: dt.date) -> None:
    forms = [d.isoformat(), f"{d.year}/{d.month}/{d.day}", f"{d.year}.{d.month}.{d.day}",
             f"{d.year}年{d.month}月{d.day}日", f"{d.year}{d.month:02d}{d.day:02d}", f"{d.isoformat()} 09:30:00",
             f"{d.year}-{d.month}-{d.day}", d.isoformat().translate(str.maketrans("0123456789-", "０１２３４５６７８９－")),
             d, dt.datetime(d.year, d.month, d.day, 10, 5)]
    for f in forms:
        assert parse_date(f) == d, f
    serial = (d - dt.date(1899, 12, 30)).days
    if 20000 <= serial < 80000:
        assert parse_date(float(serial)) == d
        assert parse_date(str(serial)) == d


@pytest.mark.parametrize("bad", ["2024-02-30", "2023-13-01", "2024/0/5", "明天", "2024年3月", "1234567", 3.0,
                                 "45356.5x", float("nan")])
def test_impossible_or_unreadable_dates_are_refused(bad) -> None:
    with pytest.raises(CellError) as e:
        parse_date(bad)
    assert e.value.code == "rec_date_unparseable"


@pytest.mark.parametrize("empty", [None, "", "  ", "-", "/", "无"])
def test_an_empty_date_is_none(empty) -> None:
    assert parse_date(empty) is None


def test_excel_serial_dates() -> None:
    assert parse_date(45356.0) == dt.date(2024, 3, 5)
    assert parse_date(45356) == dt.date(2024, 3, 5)
    assert parse_date("45356") == dt.date(2024, 3, 5)


@pytest.mark.parametrize("text,ym", [("2024-03", (2024, 3)), ("2024/3", (2024, 3)), ("2024年3月", (2024, 3)),
                                     ("2024年03月份", (2024, 3)), ("202403", (2024, 3)), ("2024-03-01", (2024, 3)),
                                     (dt.date(2024, 3, 1), (2024, 3))])
def test_months(text, ym) -> None:
    assert parse_month(text) == ym


def test_bad_month() -> None:
    for bad in ("2024-13", "三月", "2024"):
        with pytest.raises(CellError):
            parse_month(bad)


PROVINCES = st.sampled_from(list("京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔滇藏陕甘青宁新") + ["最高法"])
TYPES = st.sampled_from(["民初", "民终", "民特", "刑初", "行初", "执", "执恢", "执保", "民申"])
BRACKETS = st.sampled_from([("（", "）"), ("(", ")"), ("〔", "〕"), ("[", "]"), ("【", "】")])


@settings(max_examples=300)
@given(year=st.integers(1990, 2100), prov=PROVINCES, digits=st.sampled_from(["", "01", "0403", "71", "7101"]),
       code=TYPES, seq=st.integers(1, 9_999_999), br=BRACKETS)
def test_case_numbers_parse_in_every_bracket_style(year, prov, digits, code, seq, br) -> None:
    text = f"{br[0]}{year}{br[1]}{prov}{digits}{code}{seq}号"
    n = parse_case_number(text)
    assert (n.year, n.court, n.type_code, n.sequence) == (year, prov + digits, code, seq)
    assert str(n) == f"（{year}）{prov}{digits}{code}{seq}号"
    assert parse_case_number(str(n)) == n  # the canonical form reads back


def test_case_number_categories_and_refusals() -> None:
    assert parse_case_number("（2024）豫0403民初1234号").category == "civil_first"
    assert parse_case_number("(2024)豫03民终12号").category == "civil_appeal"
    assert parse_case_number("（2024）豫0403执1号").category == "enforcement"
    assert parse_case_number("（2024）豫0403民初1234号之一").sequence == 1234
    assert parse_case_number("") is None
    for bad in ("2024豫0403民初1234号", "（2024）X0403民初1234号", "（2024）豫0403民初号", "（24）豫0403民初1号",
                "（2024）豫0403民初1234"):
        with pytest.raises(CellError) as e:
            parse_case_number(bad)
        assert e.value.code == "rec_case_number"


@pytest.mark.parametrize("text,out", [("简易程序", ("simple", False)), ("普通程序", ("ordinary", False)),
                                      ("小额诉讼程序", ("small_claims", False)), ("速裁", ("simple", False)),
                                      ("简转普", ("ordinary", True)), ("Small claims", ("small_claims", False)),
                                      ("ordinary", ("ordinary", False)), ("二审", ("second_instance", False))])
def test_procedures(text, out) -> None:
    assert parse_procedure(text) == out


def test_procedure_refusals() -> None:
    for text, code in (("", "rec_procedure_missing"), ("特别程序", "rec_procedure_unknown")):
        with pytest.raises(CellError) as e:
            parse_procedure(text)
        assert e.value.code == code


def test_closing_methods_flags_counts() -> None:
    assert [parse_closing_method(t) for t in ("判决", "调解", "撤诉", "驳回起诉", "准予撤诉", "调解撤诉", "移送", "")] == \
        ["judgment", "mediation", "withdrawal", "dismissal", "withdrawal", "withdrawal", "transfer", None]
    assert [parse_flag(t) for t in ("是", "否", "Y", "n", "1", 0.0, None, "")] == [True, False, True, False, True,
                                                                                   False, None, None]
    assert parse_count("1,234") == 1234 and parse_count(12.0) == 12 and parse_count("30天") == 30
    for bad in ("12.5", "-1", "abc", 1e9):
        with pytest.raises(CellError):
            parse_count(bad, 10**6)
