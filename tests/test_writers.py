"""The export layer's writers (sim.report.writers) on one table sized by hand: the XLSX columns'
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

import openpyxl

from sim.report.tables import Num, Table
from sim.report.writers import csv_bytes, xlsx_bytes

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
    assert (ws["A1"].fill.fgColor.rgb, ws["A1"].alignment.wrap_text) == ("FFEEEEEE", True)
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
