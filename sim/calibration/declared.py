"""What a file declares about its size, checked before any parser sees it.

A 1.6 KB workbook with a header in A1 and one cell at XFD1048576 is small and honest about its
file size, yet a spreadsheet reader builds the rectangle between its cells: 1,048,576 rows ×
16,384 columns, 512 GiB. A ``<sst uniqueCount="4000000000">`` makes it reserve 96 GB for shared
texts. So before a workbook is parsed, its zip and its XML are read here, cheaply and in
bounded memory, for what they claim:

- the zip: at most :attr:`Limits.max_members` parts, each part's and all parts' inflated size
  (at most 4 × the file-size limit together) and each large part's compression ratio
  (a "zip bomb" inflates a thousand times; real workbooks about 10 to 20);
- each worksheet of an XLSX: its ``<dimension ref>``, the highest row and column of any cell
  or row reference actually present, and so the rectangle the reader would build, against
  the row, column and cell limits;
- the shared-texts table's ``count`` and ``uniqueCount``.

For CSV the header line's columns and the number of lines give the table's shape. XLS and ODS
are not inspected (their declarations are binary or repeat counts that real files use freely);
like every format they are parsed in a child process under a memory and time limit
(:mod:`sim.model.sandbox`), which is what stops whatever this module does not see.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Optional

from ..model.errors import CodedError

#: inflated parts smaller than this may compress as well as they like (styles, themes)
RATIO_FREE_BYTES = 1 << 20
#: bytes read from the start of the shared-texts part to find its counts
SST_HEAD = 4096
_CHUNK = 1 << 20
_TAIL_MAX = 4096  # an unfinished tag carried into the next chunk; longer ones are not ours


@dataclass(frozen=True)
class Limits:
    """The bounds a table must fit (see the README, "Importing a court's own records")."""

    max_bytes: int
    max_rows: int
    max_columns: int
    max_cells: int
    max_ratio: int
    max_members: int


@dataclass
class Shape:
    """A table's size as far as it is known before parsing (None: not known)."""

    rows: Optional[int] = None
    columns: Optional[int] = None


class RecordsFileError(CodedError):
    """A file that cannot be used at all (unreadable, too large, no table); ``code`` + ``params``."""


def column_number(letters: str) -> int:
    """``A`` → 1, ``Z`` → 26, ``AA`` → 27, ``XFD`` → 16,384."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def column_letters(n: int) -> str:
    """Inverse of :func:`column_number`."""
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


# --- CSV ---------------------------------------------------------------------------------------

def csv_shape(data: bytes, delimiter_of_header: bytes, limits: Limits) -> Shape:
    """The lines and the header's columns of a CSV's bytes (an encoding's byte order aside:
    UTF-16 has NULs between the characters, which do not change the counts)."""
    first_end = data.find(b"\n")
    header = data if first_end < 0 else data[:first_end]
    shape = Shape(rows=data.count(b"\n") + (0 if data.endswith(b"\n") else 1),
                  columns=header.count(delimiter_of_header) + 1)
    check_shape(shape, limits)
    return shape


def check_shape(shape: Shape, limits: Limits, sheet: str = "", cell: str = "") -> None:
    """Raise :class:`RecordsFileError` when ``shape`` is over a limit: ``rec_too_many_rows``
    when only the rows are, else ``rec_sheet_too_large`` for a worksheet (naming its last
    cell), ``rec_too_many_columns`` or ``rec_table_too_large`` for a CSV."""
    rows, cols = shape.rows or 0, shape.columns or 0
    over_rows = rows > limits.max_rows + 1
    over_cols = cols > limits.max_columns
    over_cells = rows * cols > limits.max_cells
    if not (over_rows or over_cols or over_cells):
        return
    if over_rows and not over_cols and (not over_cells or not sheet):
        raise RecordsFileError("rec_too_many_rows", limit=limits.max_rows)
    params = dict(rows=rows, columns=cols, max_rows=limits.max_rows, max_columns=limits.max_columns,
                  max_cells=limits.max_cells)
    if sheet:
        raise RecordsFileError("rec_sheet_too_large", sheet=sheet, cell=cell, **params)
    if over_cols:
        raise RecordsFileError("rec_too_many_columns", line=1, columns=cols, limit=limits.max_columns)
    raise RecordsFileError("rec_table_too_large", **params)


# --- zip containers (XLSX, ODS) ------------------------------------------------------------------

def check_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    """The open zip, once its parts' declared sizes and ratios are within the limits."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise RecordsFileError("rec_bad_workbook", reason=str(exc)[:200]) from None
    if len(infos) > limits.max_members:
        raise RecordsFileError("rec_zip_members", count=len(infos), limit=limits.max_members)
    total = 0
    for i in infos:
        total += i.file_size
        ratio = i.file_size / max(i.compress_size, 1)
        if i.file_size > RATIO_FREE_BYTES and ratio > limits.max_ratio:
            raise RecordsFileError("rec_zip_ratio", member=i.filename[:80], ratio=ratio,
                                   size_mb=i.file_size / 2**20, limit=limits.max_ratio)
    if total > 4 * limits.max_bytes:  # XML inflates; 500,000 rows of a real export stay below this
        raise RecordsFileError("rec_too_large", size_mb=total / 2**20, limit_mb=4 * limits.max_bytes / 2**20)
    return z


def _chunks(z: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int):
    """The inflated part in chunks, never more than ``budget`` bytes (whatever it declared)."""
    got = 0
    try:
        with z.open(info) as fh:
            while True:
                chunk = fh.read(_CHUNK)
                if not chunk:
                    return
                got += len(chunk)
                if got > budget:
                    raise RecordsFileError("rec_too_large", size_mb=got / 2**20, limit_mb=budget / 2**20)
                yield chunk
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise RecordsFileError("rec_bad_workbook", reason=str(exc)[:200]) from None
    except Exception as exc:  # zlib.error and the like, from a damaged part
        if isinstance(exc, RecordsFileError):
            raise
        raise RecordsFileError("rec_bad_workbook", reason=str(exc)[:200]) from None


# a cell's or a row's reference ``r="B12"`` / ``r="12"`` (any attribute order, any prefix)
_REF = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?(?:c|row)\s[^>]*?\br\s*=\s*["\']\$?([A-Za-z]{0,4})\$?(\d{1,12})["\']')
# the same as written by Excel, WPS, LibreOffice and openpyxl (``r`` first, no prefix): a chunk
# whose every ``<c `` matches these is read at the regular expressions' speed, not per match
_FAST_COL = re.compile(rb'<c r="([A-Z]{1,4})\d')
_FAST_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,4}(\d{1,12})"')
_FAST_ROW = re.compile(rb'<row r="(\d{1,12})"')
_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\s[^>]*?\bref\s*=\s*["\']([^"\']{1,64})["\']')
_AREA = re.compile(r"\$?([A-Za-z]{1,4})\$?(\d{1,12})(?::\$?([A-Za-z]{1,4})\$?(\d{1,12}))?$")
_SST = re.compile(rb'\b(count|uniqueCount)\s*=\s*["\'](\d{1,20})["\']')


def _area(ref: str) -> Optional[tuple[int, int, str]]:
    """Rows, columns and last cell of a ``<dimension ref="A1:M200">`` (None if unreadable)."""
    m = _AREA.match(ref.strip())
    if not m:
        return None
    c1, r1 = column_number(m.group(1)), int(m.group(2))
    c2, r2 = (column_number(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
    return abs(r2 - r1) + 1, abs(c2 - c1) + 1, f"{column_letters(max(c1, c2))}{max(r1, r2)}"


def _references(body: bytes, rows_seen: set[bytes], cols_seen: set[bytes]) -> None:
    """Add the rows and columns referenced in ``body`` (whole tags only) to the two sets."""
    cols = _FAST_COL.findall(body)
    if len(cols) == body.count(b"<c ") and b":c " not in body and b":row " not in body and b"<c\t" not in body \
            and b"<c\n" not in body and b"<c\r" not in body:
        cols_seen.update(cols)
        rows_seen.update(_FAST_CELL_ROW.findall(body))
        rows_seen.update(_FAST_ROW.findall(body))
        return
    for letters, digits in _REF.findall(body):  # attributes in another order, prefixes, odd spacing
        cols_seen.add(letters)
        rows_seen.add(digits)


def _sheet_shape(z: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> Shape:
    """The rectangle a reader would build for one worksheet: from its first to its last row and
    column referenced, and its declared dimension; raises when over the limits."""
    sheet = info.filename.rsplit("/", 1)[-1].rsplit(".", 1)[0][:40]
    rows_seen: set[bytes] = set()
    cols_seen: set[bytes] = set()
    tail = b""
    for chunk in _chunks(z, info, 4 * limits.max_bytes):
        buf = tail + chunk
        cut = buf.rfind(b"<")
        if cut < 0 or len(buf) - cut > _TAIL_MAX:
            cut = len(buf)
        body, tail = buf[:cut], buf[cut:]
        if not rows_seen and not cols_seen:
            dim = _DIMENSION.search(body)
            if dim is not None:
                area = _area(dim.group(1).decode("ascii", "replace"))
                if area is not None:
                    check_shape(Shape(area[0], area[1]), limits, sheet=sheet, cell=area[2])
        _references(body, rows_seen, cols_seen)
    _references(tail, rows_seen, cols_seen)
    rows = [int(r) for r in rows_seen]
    cols = [column_number(c.decode("ascii")) for c in cols_seen if c] or [1]
    if not rows:
        return Shape(0, 0)
    last = f"{column_letters(max(cols))}{max(rows)}"
    # the rectangle a reader builds runs from the first referenced cell to the last ...
    span = Shape(rows=max(rows) - min(rows) + 1, columns=max(cols) - min(cols) + 1)
    check_shape(span, limits, sheet=sheet, cell=last)
    # ... and no reference may lie beyond the last row or column read, wherever the first is
    if max(rows) > limits.max_rows + 1 or max(cols) > limits.max_columns:
        check_shape(Shape(rows=max(rows), columns=max(cols)), limits, sheet=sheet, cell=last)
    return span


def xlsx_shape(data: bytes, limits: Limits) -> Shape:
    """Check an XLSX's zip, every worksheet and its shared texts; the largest sheet's shape."""
    z = check_zip(data, limits)
    with z:
        biggest = Shape(0, 0)
        for info in z.infolist():
            name = info.filename.lower()
            if name.endswith("sharedstrings.xml"):
                head = b""
                for chunk in _chunks(z, info, 4 * limits.max_bytes):
                    head += chunk
                    if len(head) >= SST_HEAD:
                        break
                tag_end = head.find(b">", head.find(b"sst"))
                for what, n in _SST.findall(head[: tag_end if tag_end > 0 else SST_HEAD]):
                    if int(n) > limits.max_cells:
                        raise RecordsFileError("rec_shared_strings", count=int(n), limit=limits.max_cells)
            elif "worksheets/" in name and name.endswith(".xml"):
                s = _sheet_shape(z, info, limits)
                if (s.rows or 0) * (s.columns or 0) > (biggest.rows or 0) * (biggest.columns or 0):
                    biggest = s
        return biggest


def zip_shape(data: bytes, limits: Limits) -> Shape:
    """An ODS (or any zip container): the zip's parts only; its table's shape is not known."""
    check_zip(data, limits).close()
    return Shape()
