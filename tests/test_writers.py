"""The export layer's cells and writers (sim.report.tables, sim.report.writers) on tables sized by hand: the XLSX columns'
widths, the header row's height, its look, the printing set-up and the sheets' names.

Written for the mutation testing of issue 25 (docs/mutation.md): ``test_exports.py`` reads back
values, formats and the guard against formulas, but a workbook whose columns were too narrow
for their Chinese, whose header row hid its second line, that printed portrait over several
pages wide, or that lost a sheet to a name clash, passed it.

Widths are in Excel's character units, a CJK character counting two (XlsxWriter stores each
width plus its padding, 0.7109375): a column is as wide as its widest cell or its header (a
header counts at most 16), plus 2, between 6 and 60.
"""
from __future__ import annotations

import io
import math

import numpy as np
import openpyxl
import pytest

from sim.report.tables import Num, Table, figure_column, figure_num, needs_guard, verdict_cell
from sim.report.writers import csv_bytes, xlsx_bytes
from sim.vocabulary.export_text import word

PAD = 0.7109375


def _sized() -> Table:
    t = Table("表一", ["名称", "比例（%）", "一个很长很长的列标题文字", "数"])
    t.add("甲\n乙丙丁", Num(0.9512, 1, True), Num(12345.678, 1), None)
    t.add("x" * 70, Num(None, 1, True), Num(-3, 0), "ab")
    return t


def test_columns_as_wide_as_their_text_and_the_header_row_as_tall_as_its_lines():
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([_sized()])))["表一"]
    # A: 70 x's (a cell's widest line counts: "乙丙丁" is 6) → capped at 60; B: the header "比例（%）"
    # 9 beats "95.1%" 5 → 11; C: the header's 24 counts 16, beating "12,345.7" 8 → 18; D: "ab" 2 → 6
    assert {k: v.width for k, v in ws.column_dimensions.items()} == {
        "A": 60 + PAD, "B": 11 + PAD, "C": 18 + PAD, "D": 6 + PAD}
    # C's header, 24 wide in a column of 18 (17 usable), wraps onto 2 lines of 15 points
    assert ws.row_dimensions[1].height == 30
    assert (ws["C2"].value, ws["C2"].number_format) == (12345.7, "#,##0.0")
    assert ws["D2"].value is None and ws["B3"].value is None
    # the same table as CSV: an empty cell is empty, a cell's line break stays inside its quotes
    assert csv_bytes(_sized()).decode("utf-8") == (
        "\ufeff名称,比例（%）,一个很长很长的列标题文字,数\r\n"
        "\"甲\n乙丙丁\",95.1,12345.7,\r\n" + "x" * 70 + ",,-3,ab\r\n")


def test_a_number_or_text_wider_than_its_header_widens_its_column_as_it_is_shown():
    t = Table("宽", ["率", "数", "文", "行"])
    t.add(Num(0.999, 1, True), Num(1234567.891, 2), "aaaa bbbb ccc", "甲\n乙丙丁")
    t.add(None, Num(5, 0), None, "z")  # an empty cell leaves the rest of its row alone
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([t])))["宽"]
    # "99.9%" is 5 wide → 7; "1,234,567.89" 12 → 14; "aaaa bbbb ccc" 13 → 15; "乙丙丁", the widest line, 6 → 8
    assert {k: v.width for k, v in ws.column_dimensions.items()} == {
        "A": 7 + PAD, "B": 14 + PAD, "C": 15 + PAD, "D": 8 + PAD}
    assert (ws["A3"].value, ws["B3"].value, ws["C3"].value, ws["D3"].value) == (None, 5, None, "z")
    assert ws.row_dimensions[1].height in (None, 15)  # one line of header: Excel's own 15 points


def test_a_long_header_row_is_as_tall_as_its_longest_header_wrapped():
    # a header counts at most 16 towards its column (18 wide, 17 usable): 36 wide needs 3 lines,
    # 34 wide exactly 2
    three, two = Table("三", ["审" * 18]), Table("二", ["审" * 17])
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([three, two, Table("无", [])])))
    assert wb["三"].column_dimensions["A"].width == 18 + PAD
    assert (wb["三"].row_dimensions[1].height, wb["二"].row_dimensions[1].height) == (45, 30)
    assert wb["无"].row_dimensions[1].height in (None, 15)  # a table without columns: one line


def test_the_header_row_looks_like_one_and_the_sheet_prints_on_a4_landscape_one_page_wide():
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([_sized()])))["表一"]
    a1 = ws["A1"]
    assert (a1.font.b, a1.fill.fgColor.rgb, a1.border.left.style, a1.border.bottom.style) == (
        True, "FFEEEEEE", "thin", "thin")
    assert (a1.alignment.wrap_text, a1.alignment.vertical, a1.quotePrefix) == (True, "top", False)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:D3"
    ps = ws.page_setup
    assert (ps.paperSize, ps.orientation, ps.fitToHeight) == (9, "landscape", 0)  # 9: A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ps.fitToWidth in (None, 1)  # 1 is Excel's default
    assert ws.print_title_rows == "$1:$1"


def test_a_header_that_would_start_a_formula_and_a_table_without_rows():
    t = Table("空", ["=x", "名称"])
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([t])))["空"]
    assert (ws["A1"].value, ws["A1"].data_type, ws["A1"].quotePrefix, ws["A1"].font.b) == ("=x", "s", True, True)
    assert (ws["A1"].fill.fgColor.rgb, ws["A1"].alignment.wrap_text, ws["A1"].alignment.vertical) == (
        "FFEEEEEE", True, "top")
    assert (ws["A1"].border.left.style, ws["A1"].border.top.style) == ("thin", "thin")
    assert not ws["B1"].quotePrefix
    assert ws.auto_filter.ref is None  # nothing to filter
    assert csv_bytes(t) == b"\xef\xbb\xbf'=x,\xe5\x90\x8d\xe7\xa7\xb0\r\n"


def test_sheet_names_stay_unique_regardless_of_case():
    tables = [Table("表一", ["a"]), Table("表一", ["a"]), Table("Sheet", ["a"]), Table("sheet", ["a"]),
              Table("表一", ["a"]), Table("n" * 31, ["a"]), Table("N" * 31, ["a"])]
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(tables)))
    assert wb.sheetnames == ["表一", "表一 (2)", "Sheet", "sheet (2)", "表一 (3)", "n" * 31, "N" * 27 + " (2)"]


def test_number_formats_by_decimals_and_per_cent():
    t = Table("数", ["a", "b", "c", "d"])
    t.add(Num(0.12345, 2, True), Num(0.5, 0, True), Num(1234.5, 2), Num(7, 0))
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([t])))["数"]
    assert [(c.value, c.number_format) for c in ws[2]] == [
        (0.1235, "0.00%"), (0.5, "0%"), (1234.5, "#,##0.00"), (7, "#,##0")]


# --- the cells (sim.report.tables) and the export's words (sim.vocabulary.export_text) -------------

def test_a_number_cell_holds_real_numbers_only_rounded_as_shown():
    assert Num(np.float64(1.5)).present and Num(np.int64(3)).present and Num(-2).present
    for v in (None, True, False, float("nan"), float("inf"), "1"):
        assert not Num(v).present, v
    assert Num(0.94856, 1, True).rounded() == 0.949          # a share keeps decimals + 2 digits
    assert Num(0.94856, 1).rounded() == 0.9
    assert Num(2.345, 2).rounded() == 2.35 and Num(True).rounded() is None
    z = Num(-0.0001, 1).rounded()
    assert z == 0 and math.copysign(1, z) == 1               # no "-0.0" in any file
    assert Num(-0.00001, 1, True).csv_text() == "0.0"
    assert Num(0.5, 0, True).csv_text() == "50" and Num(12, 2).csv_text() == "12.00"
    assert Num(np.int64(3), 0).csv_text() == "3" and Num(None, 2).csv_text() == ""


def test_a_table_names_the_sheet_name_or_row_it_refuses():
    Table("n" * 31, ["a"])
    Table("XLSX 表", ["a"])  # an X is a letter like any other
    with pytest.raises(ValueError, match=r"^not a sheet name: 'nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn'$"):
        Table("n" * 32, ["a"])
    for ch in "[]:*?/\\":
        with pytest.raises(ValueError, match="not a sheet name"):
            Table(f"a{ch}b", ["a"])
    t = Table("表", ["a", "b"])
    with pytest.raises(ValueError, match=r"^表: 3 cells for 2 columns$"):
        t.add("1", "2", "3")
    t.add("1", None)
    assert t.rows == [["1", None]]


@pytest.mark.parametrize("text,guard", [("", False), ("=", True), ("+1", True), ("-1", True), ("@a", True),
                                        ("\tx", True), ("\rx", True), ("a=1", False), (" =1", False)])
def test_which_text_would_start_a_formula(text, guard):
    assert needs_guard(text) is guard


def test_figure_cells_take_the_registry_s_decimals_one_more_for_a_small_average_count():
    assert figure_num("within_limit_rate", 0.9512) == Num(0.9512, 1, True)
    assert figure_num("pending_end", 4.5) == Num(4.5, 1, False)     # 4.5 cases would read as 4
    assert figure_num("pending_end", -4.5) == Num(-4.5, 1, False)   # a change of 4.5 cases too
    assert figure_num("pending_end", 9.99) == Num(9.99, 1, False)
    for x in (4.0, 10.5, 10.0, None, float("nan"), float("inf")):
        assert figure_num("pending_end", x).decimals == 0, x
    assert figure_num("disposition_days_mean", 4.25).decimals == 1   # not a count: its own decimals
    assert figure_column("zh", "within_limit_rate") == "审限内结案率（%）"
    assert figure_column("en", "pending_end") == "Pending cases at end (cases)"
    assert verdict_cell("zh", None) is None
    assert [verdict_cell("zh", {"verdict": v}) for v in ("met", "missed", "undecided")] == ["达标", "未达标", "尚难判定"]
    assert verdict_cell("en", {"verdict": "missed"}) == "missed"


def test_the_exports_words_in_each_language_with_their_parameters():
    assert (word("zh", "total"), word("en", "total")) == ("全期", "Total")
    assert word("zh", "fig_of", figure="审限内结案率（%）", procedure="小额诉讼") == "审限内结案率（%）：小额诉讼"
    assert word("zh", "plan_col", plan="甲", col="{x}") == "甲：{x}"  # a value is not read as a field
    with pytest.raises(ValueError, match="fr"):
        word("fr", "total")
