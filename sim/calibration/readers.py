"""Reading a court's export into a header and rows of cells, whatever its format.

Court case-management systems export CSV in UTF-8 (with or without a byte-order mark), in GBK
(Chinese Excel's default; read as GB18030, its superset), in UTF-16 when Excel saves "Unicode
text" (tab-separated), or XLSX/XLS workbooks. Any of them may arrive gzipped. The format is
detected from the bytes, never from the file name, and every input is bounded (file size,
decompressed size, rows, columns, cells) so that a huge or hostile file is refused with a clear
message before it is parsed: :mod:`sim.calibration.declared` reads what a file claims (a
workbook's zip, its sheets' references and dimensions, its shared texts; a CSV's lines and
columns) without parsing it. The parse itself then runs in a child process under a memory and a
time limit (:mod:`sim.model.sandbox`), so a file that still makes its parser allocate or loop
without end stops that child with a message naming the limit, never the server.
"""
from __future__ import annotations

import csv
import io
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from ..model.sandbox import SandboxError, run_isolated
from .declared import Limits, RecordsFileError, Shape, csv_shape, xlsx_shape, zip_shape

__all__ = ["MAX_BYTES", "MAX_CELLS", "MAX_COLUMNS", "MAX_FIELD", "MAX_ROWS", "RecordsFileError", "Source", "Table",
           "decode_text", "read_table"]

#: the largest file accepted, as stored and after decompression
MAX_BYTES = 50 * 1024 * 1024
#: the most data rows accepted in one file
MAX_ROWS = 500_000
#: the most columns of a table (a court's export has tens)
MAX_COLUMNS = 1_000
#: the most cells of a table's rectangle, rows × columns (500,000 rows of 20 columns)
MAX_CELLS = 10_000_000
#: a workbook part over 1 MB may inflate at most this many times (real ones: 10 to 20)
MAX_RATIO = 100
#: the most parts of a workbook's zip
MAX_MEMBERS = 1_000
#: csv fields longer than this are refused (a cell is a date, a name, a number, never a book)
MAX_FIELD = 10_000


def limits() -> Limits:
    """The limits above as they are now (a test may lower one)."""
    return Limits(max_bytes=MAX_BYTES, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS, max_cells=MAX_CELLS,
                  max_ratio=MAX_RATIO, max_members=MAX_MEMBERS)


@dataclass
class Table:
    """A file's first sheet: header cells and data rows (cells are str, float, date or None)."""

    header: list[str]
    rows: list[list[Any]]
    format: str                      # "csv" or "xlsx"/"xls"/"ods"
    encoding: str = ""               # for CSV: utf-8, utf-8-sig, gb18030, utf-16
    compressed: bool = False
    #: the spreadsheet row number of each data row (header = 1), as a user sees it in Excel
    row_numbers: list[int] = field(default_factory=list)


Source = Union[str, Path, bytes]


def _read_bytes(source: Source) -> bytes:
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    else:
        path = Path(source)
        try:
            if not path.is_file():
                raise RecordsFileError("rec_file_missing", file=str(path)) if not path.exists() else \
                    RecordsFileError("file_not_regular", kind="folder" if path.is_dir() else "special file")
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise RecordsFileError("rec_too_large", size_mb=size / 2**20, limit_mb=MAX_BYTES / 2**20)
            data = path.read_bytes()
        except OSError as exc:
            raise RecordsFileError("file_unreadable", reason=exc.strerror or str(exc)) from None
    if len(data) > MAX_BYTES:
        raise RecordsFileError("rec_too_large", size_mb=len(data) / 2**20, limit_mb=MAX_BYTES / 2**20)
    return data


def _gunzip(data: bytes) -> bytes:
    """Decompress gzip without ever holding more than the size limit (a gzip bomb stops early)."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = bytearray()
    try:
        buf = data
        while buf:
            out += d.decompress(buf, MAX_BYTES + 1 - len(out))
            if len(out) > MAX_BYTES:
                raise RecordsFileError("rec_too_large", size_mb=len(out) / 2**20, limit_mb=MAX_BYTES / 2**20)
            buf = d.unconsumed_tail
            if d.eof and d.unused_data:  # concatenated gzip members
                rest = d.unused_data
                d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                buf = rest
    except zlib.error as exc:
        raise RecordsFileError("rec_bad_gzip", reason=str(exc)) from None
    if not d.eof:
        raise RecordsFileError("rec_bad_gzip", reason="truncated (the stream ends early)")
    return bytes(out)


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read with.

    A byte-order mark decides (UTF-8 or UTF-16); otherwise strict UTF-8 is tried first (GBK
    bytes are almost never valid UTF-8), then GB18030, which covers GBK and GB2312.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise RecordsFileError("rec_encoding") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise RecordsFileError("rec_encoding") from None


def _delimiter(text: str) -> str:
    """Comma, tab or semicolon: whichever splits the header line into the most cells."""
    first = text.split("\n", 1)[0]
    return max((",", "\t", ";"), key=first.count)


def _csv_rows(text: str, lim: Limits) -> list[list[Any]]:
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[list[Any]] = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > lim.max_rows + 1:
                raise RecordsFileError("rec_too_many_rows", limit=lim.max_rows)
            if len(row) > lim.max_columns:
                raise RecordsFileError("rec_too_many_columns", line=reader.line_num, columns=len(row),
                                       limit=lim.max_columns)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise RecordsFileError("rec_field_too_long", line=reader.line_num, limit=MAX_FIELD) from None
        raise RecordsFileError("rec_bad_csv", line=reader.line_num, reason=str(exc)) from None
    return rows


def _sheet_rows(data: bytes, lim: Limits) -> list[list[Any]]:
    """The first sheet of a workbook, through python-calamine (XLSX, XLS, ODS)."""
    import python_calamine

    try:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not wb.sheet_names:
            raise RecordsFileError("rec_no_header")
        sheet = wb.get_sheet_by_index(0)
        if sheet.height > lim.max_rows + 1:
            raise RecordsFileError("rec_too_many_rows", limit=lim.max_rows)
        if sheet.width > lim.max_columns or sheet.height * sheet.width > lim.max_cells:
            raise RecordsFileError("rec_table_too_large", rows=sheet.height, columns=sheet.width,
                                   max_rows=lim.max_rows, max_columns=lim.max_columns, max_cells=lim.max_cells)
        return sheet.to_python(skip_empty_area=True)
    except RecordsFileError:
        raise
    except Exception as exc:  # calamine raises its own error types for damaged or encrypted files
        raise RecordsFileError("rec_bad_workbook", reason=str(exc)[:200]) from None


def _kind(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        return "ods" if b"mimetypeapplication/vnd.oasis" in data[:100] else "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    return "csv"


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def read_table(source: Source) -> Table:
    """Read a CSV/XLSX/XLS file (optionally gzipped) from a path or bytes into a :class:`Table`.

    The first non-empty row is the header. Entirely blank rows (Excel's trailing rows) are
    skipped. What the file declares is checked first (:mod:`sim.calibration.declared`); the
    parse runs in a child process under a memory and a time limit. Raises
    :class:`RecordsFileError` for a file that cannot be used at all, including one whose parse
    was stopped (``rec_parse_memory``, ``rec_parse_time``, ``rec_parse_crashed``; with
    ``_shape`` when its rows and columns are known).
    """
    data = _read_bytes(source)
    compressed = data.startswith(b"\x1f\x8b")
    if compressed:
        data = _gunzip(data)
    kind = _kind(data)
    lim = limits()
    shape = _declared(data, kind, lim)
    try:
        return run_isolated(parse_table, data, kind, compressed, lim)
    except SandboxError as exc:
        known = shape.rows is not None and shape.columns is not None
        extra = dict(rows=shape.rows, columns=shape.columns) if known else {}
        raise RecordsFileError(f"rec_{exc.code}" + ("_shape" if known else ""), **exc.params, **extra,
                               max_rows=lim.max_rows, max_columns=lim.max_columns, max_cells=lim.max_cells) from None


def _declared(data: bytes, kind: str, lim: Limits) -> Shape:
    """What the file says its size is, checked against the limits before any parser sees it."""
    if kind == "csv":
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: each ASCII delimiter is two bytes
            return csv_shape(data, b"," if data[2:200].count(b",") >= data[2:200].count(b"\t") else b"\t", lim)
        first = data[: data.find(b"\n")] if b"\n" in data else data
        return csv_shape(data, max((b",", b"\t", b";"), key=first.count), lim)
    if kind == "xlsx":
        return xlsx_shape(data, lim)
    if kind == "ods":
        return zip_shape(data, lim)
    return Shape()


def parse_table(data: bytes, kind: str, compressed: bool, lim: Limits) -> Table:
    """The parse itself (run by :func:`read_table` in a child process): decoded, uncompressed
    ``data`` of format ``kind`` into a :class:`Table`."""
    encoding = ""
    if kind == "csv":
        if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise RecordsFileError("rec_not_table")
        text, encoding = decode_text(data)
        raw = _csv_rows(text, lim)
    else:
        raw = _sheet_rows(data, lim)
    numbered = [(i + 1, r) for i, r in enumerate(raw) if not all(_blank(c) for c in r)]
    if not numbered:
        raise RecordsFileError("rec_no_header")
    (_, header), body = numbered[0], numbered[1:]
    if len(body) > lim.max_rows:
        raise RecordsFileError("rec_too_many_rows", limit=lim.max_rows)
    return Table(header=["" if c is None else str(c).strip() for c in header], rows=[r for _, r in body],
                 format=kind, encoding=encoding, compressed=compressed, row_numbers=[n for n, _ in body])
