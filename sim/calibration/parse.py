"""Parsing one cell: dates, months, case numbers (案号), procedures, closing methods, yes/no, counts.

Each parser returns the value or raises :class:`CellError` with a stable code; the importer
turns that into a line of the quality report naming the row and column. Text is NFKC-normalised
first, so full-width digits, brackets and letters (２０２４, （）) read like half-width ones.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Optional

#: Excel's day 0 for serial dates (the 1900 date system, after its fictitious 1900-02-29)
EXCEL_EPOCH = dt.date(1899, 12, 30)


class CellError(ValueError):
    """A cell that cannot be read: ``code`` names the reason (a quality-report code)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def text(cell: Any) -> str:
    """A cell as normalised text ("" for empty); a whole float from a workbook loses its ".0"."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return unicodedata.normalize("NFKC", str(cell)).strip()


def blank(cell: Any) -> bool:
    """True for an empty cell (None, "", spaces, or a lone dash or slash used for "none")."""
    return text(cell) in ("", "-", "—", "/", "无", "null", "NULL", "None", "nan", "NaN")


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$"),   # 2024-03-05, 2024/3/5, with a time
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?(?:.*)?$"),           # 2024年3月5日
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),                             # 20240305
)


def parse_date(cell: Any) -> Optional[dt.date]:
    """A date from a workbook date, an Excel serial number or a common Chinese date text.

    Accepted: 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305, a time after the date,
    Excel serials (45356 = 2024-03-05). Returns None for an empty cell; raises
    :class:`CellError` ("rec_date_unparseable") otherwise.

    >>> parse_date("2024年3月5日"), parse_date(45356.0)
    (datetime.date(2024, 3, 5), datetime.date(2024, 3, 5))
    """
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return _serial(float(cell))
    if blank(cell):
        return None
    t = text(cell)
    for pat in _DATE_PATTERNS:
        m = pat.match(t)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                raise CellError("rec_date_unparseable") from None
    if re.fullmatch(r"\d{5}(?:\.0+)?", t):  # a serial written out as text by a CSV export
        return _serial(float(t))
    raise CellError("rec_date_unparseable")


def _serial(x: float) -> dt.date:
    # 20000..80000 is 1954..2119: anything else is not a date a court's system wrote
    if not math.isfinite(x) or not 20000 <= x < 80000:
        raise CellError("rec_date_unparseable")
    return EXCEL_EPOCH + dt.timedelta(days=int(x))


_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2})?(?:[ T].*)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(?:\d{1,2}日)?(?:份)?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
)


def parse_month(cell: Any) -> Optional[tuple[int, int]]:
    """(year, month) from 2024-03, 2024/3, 2024年3月, 202403, a date, or an Excel serial."""
    if isinstance(cell, (dt.date, int, float)) and not isinstance(cell, bool):
        d = parse_date(cell)
        return (d.year, d.month) if d else None
    if blank(cell):
        return None
    t = text(cell)
    for pat in _MONTH_PATTERNS:
        m = pat.match(t)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            if 1 <= mo <= 12:
                return y, mo
            break
    raise CellError("rec_month_unparseable")


#: province abbreviations that open a court code (最高法 is the Supreme People's Court)
_PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔滇藏陕甘青宁新兵军"
_CASE_NO = re.compile(
    r"^[(\[【〔]\s*(\d{4})\s*[)\]】〕]\s*"           # (2024)
    rf"(最高法|[{_PROVINCES}])(\d{{0,6}})\s*"        # 豫0403
    r"([\u4e00-\u9fff]{1,6}?)\s*"                    # 民初
    r"(\d{1,7})\s*号(?:之[一二三四五六七八九十\d]+)?$")  # 1234号, 1234号之一

#: case-type codes and what they are (the codes a basic or intermediate court uses most)
CASE_TYPES: dict[str, str] = {
    "民初": "civil_first", "民终": "civil_appeal", "民特": "civil_special", "民再": "civil_retrial",
    "民申": "civil_petition", "民辖": "civil_jurisdiction", "民督": "civil_payment_order", "民催": "civil_notice",
    "刑初": "criminal_first", "刑终": "criminal_appeal", "行初": "admin_first", "行终": "admin_appeal",
    "执": "enforcement", "执恢": "enforcement", "执保": "enforcement", "执异": "enforcement", "执复": "enforcement",
    "财保": "preservation", "诉前调": "pre_filing_mediation",
}


@dataclass(frozen=True)
class CaseNumber:
    """A parsed case number: （year）court code + case-type code + sequence + 号."""

    year: int
    court: str
    type_code: str
    sequence: int

    def __str__(self) -> str:
        return f"（{self.year}）{self.court}{self.type_code}{self.sequence}号"

    @property
    def category(self) -> str:
        """What the case-type code says the case is (``civil_first``, ``enforcement``, ... or ``other``)."""
        return CASE_TYPES.get(self.type_code, "other")


def parse_case_number(cell: Any) -> Optional[CaseNumber]:
    """Parse （2024）豫0403民初1234号 with full- or half-width brackets (also 〔〕 and 【】).

    Returns None for an empty cell; raises :class:`CellError` ("rec_case_number") otherwise.

    >>> str(parse_case_number("(2024)豫0403民初1234号"))
    '（2024）豫0403民初1234号'
    """
    if blank(cell):
        return None
    t = text(cell).replace("〔", "(").replace("〕", ")")
    m = _CASE_NO.match(t)
    if not m:
        raise CellError("rec_case_number")
    year, prov, digits, code, seq = m.groups()
    if not 1949 <= int(year) <= 2200:
        raise CellError("rec_case_number")
    return CaseNumber(int(year), prov + digits, code, int(seq))


#: procedure words → the engine's procedure keys (sim.model.scenario.default_procedures);
#: civil speedy trial (速裁) runs under simple procedure; 简转普 is ordinary after conversion
_PROCEDURES = (
    ("简转普", ("ordinary", True)),
    ("小额", ("small_claims", False)), ("smallclaim", ("small_claims", False)),
    ("速裁", ("simple", False)), ("speedy", ("simple", False)), ("fasttrack", ("simple", False)),
    ("简易", ("simple", False)), ("simple", ("simple", False)), ("summary", ("simple", False)),
    ("普通", ("ordinary", False)), ("ordinary", ("ordinary", False)),
    ("二审", ("second_instance", False)), ("第二审", ("second_instance", False)),
    ("secondinstance", ("second_instance", False)), ("appeal", ("second_instance", False)),
    ("执行", ("enforcement", False)), ("enforcement", ("enforcement", False)),
)


def parse_procedure(cell: Any) -> tuple[str, bool]:
    """(procedure key, converted) from 简易程序 / 普通程序 / 小额诉讼程序 / 速裁 / 简转普 or English.

    Raises :class:`CellError` "rec_procedure_missing" when empty, "rec_procedure_unknown" when
    not recognised.
    """
    if blank(cell):
        raise CellError("rec_procedure_missing")
    t = re.sub(r"[\s_\-]+", "", text(cell).lower())
    for word, out in _PROCEDURES:
        if word in t:
            return out
    raise CellError("rec_procedure_unknown")


#: closing methods, checked in this order (驳回起诉 before 驳回; 撤诉 before 调解: 调解撤诉 is a withdrawal)
_CLOSINGS = (
    ("撤诉", "withdrawal"), ("withdraw", "withdrawal"),
    ("调解", "mediation"), ("mediat", "mediation"), ("settle", "mediation"),
    ("驳回起诉", "dismissal"), ("驳回", "dismissal"), ("dismiss", "dismissal"),
    ("判决", "judgment"), ("judg", "judgment"),
    ("移送", "transfer"), ("transfer", "transfer"),
    ("终结", "termination"), ("终止", "termination"), ("terminat", "termination"),
    ("其他", "other"), ("other", "other"),
)


#: words a closing-mode column holds for a case still open (not a closing mode)
_STILL_OPEN = ("未结", "未结案", "在审", "审理中", "在办", "pending", "open", "ongoing")


def parse_closing_method(cell: Any) -> Optional[str]:
    """judgment / mediation / withdrawal / dismissal / transfer / termination / other, or None if empty
    (or a word for a case still open: 未结, 在审, 审理中 ...).

    Raises :class:`CellError` "rec_closing_unknown" for a word not recognised.
    """
    if blank(cell):
        return None
    t = text(cell).lower()
    if t.replace(" ", "") in _STILL_OPEN:
        return None
    for word, out in _CLOSINGS:
        if word in t:
            return out
    raise CellError("rec_closing_unknown")


_YES = {"是", "有", "y", "yes", "true", "1", "√", "✓", "已延长", "延长", "t", "x"}
_NO = {"否", "无", "n", "no", "false", "0", "×", "✗", "未延长", "不延长", "f", ""}


def parse_flag(cell: Any) -> Optional[bool]:
    """是/否, yes/no, true/false, 1/0, √/×; None for an empty cell."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        return cell
    t = text(cell).lower()
    if t == "":
        return None
    if t in _YES:
        return True
    if t in _NO:
        return False
    raise CellError("rec_flag_unparseable")


def parse_count(cell: Any, hi: int = 10**7) -> Optional[int]:
    """A whole number from 0 to ``hi`` ("12", 12.0, "1,234"); None for an empty cell.

    A number with a fraction (12.5) is refused: counts and days in a court's records are whole.
    """
    if blank(cell):
        return None
    if isinstance(cell, bool):
        raise CellError("rec_count_invalid")
    if isinstance(cell, (int, float)):
        x = float(cell)
    else:
        t = text(cell).replace(",", "").replace("天", "").replace("次", "").replace("人", "").strip()
        try:
            x = float(t)
        except ValueError:
            raise CellError("rec_count_invalid") from None
    if not math.isfinite(x) or x != int(x) or not 0 <= x <= hi:
        raise CellError("rec_count_invalid")
    return int(x)
