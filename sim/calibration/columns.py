"""Which column is which: header synonyms in Chinese and English, and the user's own mapping.

A court's export names its columns in its own way (立案日期, 收案日期, 立案时间, "Filing date"...).
Headers are compared after normalising (full-width to half-width, case, spaces, underscores
and a trailing unit in brackets removed), first against the user's mapping, then against the
synonyms below. Party columns (当事人, 原告, 被告, ...) are recognised only so that they are never
read: their cells are dropped when the row is parsed, and they cannot be mapped to a field.
Every other unrecognised column is ignored too: only the columns the model needs are kept.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Optional, Sequence

from ..model.errors import FieldError, field_error

#: the fields of each kind of file, and the header names that mean them
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "cases": {
        "case_number": ("案号", "案件编号", "案件号", "casenumber", "caseno", "caseid", "case"),
        "filing_date": ("立案日期", "立案时间", "收案日期", "收案时间", "立案日", "filingdate", "filed", "filedon",
                        "dateoffiling", "filing"),
        "closing_date": ("结案日期", "结案时间", "审结日期", "结案日", "closingdate", "closed", "closedon",
                         "dateofclosing", "dispositiondate", "closing"),
        "procedure": ("适用程序", "审理程序", "程序", "程序类型", "procedure", "proceduretype", "track"),
        "team": ("审判团队", "团队", "承办部门", "承办庭室", "审判庭", "庭室", "部门", "team", "division", "department",
                 "chamber"),
        "judge": ("承办法官", "承办人", "主审法官", "审判长", "法官", "judge", "presidingjudge", "assignedjudge"),
        "closing_method": ("结案方式", "结案方式名称", "结案类型", "closingmethod", "disposition", "outcome",
                           "howclosed"),
        "extended": ("延长审限", "是否延长审限", "审限延长", "extended", "extension", "extensiongranted"),
        "excluded_days": ("扣除审限天数", "扣除天数", "审限扣除天数", "不计入审限天数", "扣除审限", "excludeddays",
                          "excluded", "suspendeddays"),
        "converted": ("简转普", "是否简转普", "转普通程序", "converted", "convertedtoordinary",
                      "convertedfromsimple"),
        "hearings": ("开庭次数", "庭审次数", "hearings", "numberofhearings", "hearingcount"),
    },
    "monthly": {
        "month": ("月份", "统计月份", "年月", "月", "month", "period"),
        "procedure": ("适用程序", "程序", "procedure"),
        "carried_over": ("旧存", "旧存案件", "旧存数", "旧存案件数", "上月未结", "上月未结数", "上期未结", "上期未结数",
                         "期初未结", "期初未结数", "月初未结", "carriedover", "carryover", "openingpending",
                         "pendingstart"),
        "filed": ("新收", "新收案件", "新收数", "新收案件数", "收案", "收案数", "收案件数", "受理", "受理数", "受理案件数",
                  "filed", "filings", "received", "intake"),
        "closed": ("结案", "已结", "结案数", "结案件数", "已结数", "已结案数", "已结案件数", "审结", "审结数", "审结案件数",
                   "closed", "closings", "disposed", "dispositions"),
        "pending": ("未结", "未结案件", "未结数", "未结案数", "未结案件数", "期末未结", "期末未结数", "月末未结", "月末未结数",
                    "存案", "pending", "pendingend", "closingpending"),
        "within_limit": ("审限内结案", "审限内结案数", "审限内结案件数", "审限内结案数量", "withinlimit", "closedwithinlimit",
                         "withinlimitclosures"),
        "mediation_received": ("诉前调解", "诉前调解受理", "诉前调解收案", "委派调解", "mediationreceived",
                               "prefilingmediation", "mediations"),
        "mediation_settled": ("诉前调解成功", "调解成功", "诉前调解成功数", "mediationsettled", "mediationsuccess"),
    },
    "staffing": {
        "month": ("月份", "统计月份", "年月", "month", "period"),
        "team": ("审判团队", "团队", "部门", "庭室", "team", "division"),
        "judges": ("员额法官", "员额法官数", "员额法官人数", "法官", "法官数", "法官人数", "judges", "quotajudges"),
        "assistants": ("法官助理", "法官助理数", "法官助理人数", "助理", "助理数", "assistants", "judgeassistants"),
        "clerks": ("书记员", "书记员数", "书记员人数", "clerks"),
    },
}

#: fields a file of each kind cannot do without
REQUIRED: dict[str, tuple[str, ...]] = {
    "cases": ("filing_date", "closing_date", "procedure"),
    "monthly": ("month", "filed", "closed"),
    "staffing": ("month", "judges"),
}

#: headers that hold parties' names or personal data: never read, never mappable
PARTY_WORDS = ("当事人", "原告", "被告", "上诉人", "申请人", "第三人", "被执行人", "申请执行人", "代理人", "律师",
               "身份证", "电话", "住址", "地址", "party", "parties", "plaintiff", "defendant", "appellant",
               "respondent", "applicant", "claimant", "lawyer", "counsel", "idnumber", "phone", "address")


def normalise_header(text: str) -> str:
    """A header as compared: NFKC, lower case, no spaces/underscores/hyphens/dots, no "(unit)" tail."""
    t = unicodedata.normalize("NFKC", str(text)).strip().lower()
    t = re.sub(r"[(\[][^)\]]*[)\]]$", "", t)  # "扣除天数(天)", "Excluded days (days)"
    return re.sub(r"[\s_\-.:/·]+", "", t)


def is_party_column(header: str) -> bool:
    """True for a column naming a party or holding personal data (never read)."""
    h = normalise_header(header)
    return any(w in h for w in PARTY_WORDS)


@dataclass
class Columns:
    """Where each field is in the file, and what was left out."""

    index: dict[str, int]                               # field -> column index
    header: dict[str, str]                              # field -> the file's own header
    ignored: list[str] = field(default_factory=list)    # unrecognised headers (not read)
    party: list[str] = field(default_factory=list)      # party/personal-data headers (never read)


def match_columns(kind: str, header: list[str], mapping: Optional[Mapping[str, Optional[str]]] = None
                  ) -> tuple[Columns, list[FieldError]]:
    """Assign the file's columns to fields of ``kind`` ("cases", "monthly", "staffing").

    ``mapping`` maps the file's header (as written) to a field name, or to ``None`` to ignore
    the column. Returns the assignment and every file-level problem (an unknown field in the
    mapping, a mapped column missing from the file, two columns for one field, a required
    field with no column).
    """
    fields = SYNONYMS[kind]
    lookup = {normalise_header(s): f for f, names in fields.items() for s in (f, *names)}
    errors: list[FieldError] = []
    user: dict[str, Optional[str]] = {}
    norm_header = [normalise_header(h) for h in header]
    for col, target in (mapping or {}).items():
        key = normalise_header(col)
        if target is not None and target not in fields:
            errors.append(field_error("mapping", "rec_mapping_field", target, column=str(col),
                                      allowed=", ".join(fields)))
            continue
        if key not in norm_header:
            errors.append(field_error("mapping", "rec_mapping_column", str(col), column=str(col)))
            continue
        if target is not None and is_party_column(col):
            errors.append(field_error("mapping", "rec_mapping_party", str(col), column=str(col)))
            continue
        user[key] = target
    cols = Columns(index={}, header={})
    for i, (raw, key) in enumerate(zip(header, norm_header, strict=True)):
        if not key:
            continue
        if key in user:
            target = user[key]
        elif is_party_column(raw):
            cols.party.append(raw)
            continue
        else:
            target = lookup.get(key)
        if target is None:
            cols.ignored.append(raw)
            continue
        if target in cols.index:
            errors.append(field_error("columns", "rec_duplicate_column", raw, column=raw,
                                      other=cols.header[target], field=target))
            continue
        cols.index[target] = i
        cols.header[target] = raw
    for f in REQUIRED[kind]:
        if f not in cols.index:
            errors.append(field_error("columns", "rec_missing_column", None, field=f,
                                      names=" / ".join(fields[f][:3])))
    return cols, errors


def project(rows: Sequence[Sequence[Any]], row_numbers: Sequence[int], cols: Columns
            ) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each row cut down to the matched fields, as (spreadsheet row number, {field: cell}).

    This is the only place a data row is looked at: cells of party columns and of unrecognised
    columns are never copied out. Rows with nothing in the matched fields are skipped.
    """
    idx = list(cols.index.items())
    for n, raw in zip(row_numbers, rows, strict=True):
        width = len(raw)
        row = {f: (raw[i] if i < width else None) for f, i in idx}
        if any(v is not None and (not isinstance(v, str) or v.strip()) for v in row.values()):
            yield n, row
