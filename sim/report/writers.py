"""Writers of the export layer: :class:`sim.report.tables.Table` objects as CSV and XLSX bytes.

Every table export of the app and the command line goes through these two functions, so the
rules hold everywhere (Excel and WPS on Chinese Windows are the readers):

- **CSV**: UTF-8 with a byte-order mark (without it Excel reads the Chinese as GBK and garbles
  it), CRLF line ends, numbers as plain numbers (a share in per cent, as its header says),
  and text that would start a formula with a leading apostrophe (:func:`sim.report.tables.formula_safe`).
- **XLSX** (XlsxWriter): one sheet per table, header row bold and frozen, columns wide enough for
  their Chinese text; numbers are number cells with number formats (``0.0%`` for shares, kept
  as fractions; ``#,##0`` or ``#,##0.0`` otherwise), text is always written as a string cell (never
  parsed as a formula or a number). Text that would start a formula also gets Excel's
  ``quotePrefix`` style rather than an apostrophe in the value: the cell holds exactly the name
  the user typed (copied, looked up or compared it is still that name), it is a string cell so
  nothing evaluates it on opening, and the quote prefix keeps it text when someone edits the cell
  and presses Enter, which would otherwise make Excel or WPS parse it as a formula.
"""
from __future__ import annotations

import csv
import io
from typing import Sequence

from ..vocabulary.text_width import display_width
from .tables import Num, Table, formula_safe, needs_guard

BOM = "\ufeff"
# column widths in Excel's character units (a CJK character counts two); a header wider than
# HEADER_WIDTH wraps rather than widening its column (a plan's name heads several columns)
MIN_WIDTH, MAX_WIDTH, HEADER_WIDTH = 6, 60, 16


def csv_text(table: Table) -> str:
    """The table as CSV text, starting with the byte-order mark."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([formula_safe(h) for h in table.columns])
    for row in table.rows:
        w.writerow([_csv_cell(c) for c in row])
    return BOM + buf.getvalue()


def csv_bytes(table: Table) -> bytes:
    """:func:`csv_text` encoded as UTF-8 (the BOM is its first three bytes, EF BB BF)."""
    return csv_text(table).encode("utf-8")


def _csv_cell(c) -> str:
    if c is None:
        return ""
    if isinstance(c, Num):
        return c.csv_text()
    return formula_safe(str(c))


def _num_format(n: Num) -> str:
    if n.percent:
        return "0" + ("." + "0" * n.decimals if n.decimals else "") + "%"
    return "#,##0" + ("." + "0" * n.decimals if n.decimals else "")


def _shown(c) -> str:
    """What a cell shows, to size its column."""
    if c is None:
        return ""
    if isinstance(c, Num):
        x = c.rounded()
        if x is None:
            return ""
        return f"{100 * x:,.{c.decimals}f}%" if c.percent else f"{x:,.{c.decimals}f}"
    return str(c)


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """The tables as one workbook, a sheet each, in order."""
    import xlsxwriter

    buf = io.BytesIO()
    # strings_to_numbers/formulas/urls off: a text cell is text, whatever it looks like
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                   "strings_to_urls": False})
    head = wb.add_format({"bold": True, "bg_color": "#EEEEEE", "border": 1, "text_wrap": True, "valign": "top"})
    head_guarded = wb.add_format({"bold": True, "bg_color": "#EEEEEE", "border": 1, "text_wrap": True,
                                  "valign": "top", "quote_prefix": True})
    guarded = wb.add_format({"quote_prefix": True})
    formats: dict[str, object] = {}

    def fmt(n: Num):
        key = _num_format(n)
        if key not in formats:
            formats[key] = wb.add_format({"num_format": key})
        return formats[key]

    used: set[str] = set()
    for table in tables:
        name = table.name
        k = 2
        while name.lower() in used:  # sheet names are unique regardless of case
            suffix = f" ({k})"
            name, k = table.name[:31 - len(suffix)] + suffix, k + 1
        used.add(name.lower())
        ws = wb.add_worksheet(name)
        widths = [min(display_width(h), HEADER_WIDTH) for h in table.columns]
        for j, h in enumerate(table.columns):
            ws.write_string(0, j, h, head_guarded if needs_guard(h) else head)
        for i, row in enumerate(table.rows, start=1):
            for j, c in enumerate(row):
                if c is None:
                    continue
                if isinstance(c, Num):
                    x = c.rounded()
                    if x is not None:
                        ws.write_number(i, j, x, fmt(c))
                else:
                    text = str(c)
                    if needs_guard(text):
                        ws.write_string(i, j, text, guarded)
                    else:
                        ws.write_string(i, j, text)
                widths[j] = max(widths[j], max((display_width(x) for x in _shown(c).split("\n")), default=0))
        cols = [min(MAX_WIDTH, max(MIN_WIDTH, w + 2)) for w in widths]
        for j, w in enumerate(cols):
            ws.set_column(j, j, w)
        # the header row tall enough for its wrapped lines (Excel does not grow a row by itself)
        lines = max((-(-display_width(h) // max(1, int(w) - 1)) for h, w in zip(table.columns, cols)), default=1)
        ws.set_row(0, 15 * max(1, lines))
        ws.freeze_panes(1, 0)
        # printed: A4 landscape, one page wide, the header on every page
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        if table.rows:
            ws.autofilter(0, 0, len(table.rows), len(table.columns) - 1)
    wb.close()
    return buf.getvalue()
