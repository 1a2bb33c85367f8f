"""The one export layer's data: tables of typed cells that every CSV, XLSX and Word file is written from.

Builders (:mod:`sim.report.tables_run` for runs and comparisons, :mod:`sim.report.tables_studies`
for the advisor, the province allocation, training standings and calibration) turn results into
:class:`Table` objects in the reader's language; :mod:`sim.report.writers` writes them. So every
export of the app and of the command line shares one set of rules:

- a number is a :class:`Num`: a number in every format (never text), a share stored as a
  fraction and shown in per cent (CSV writes the per cent, since its header says "（%）"),
  rounded to the figure's decimals (as on screen);
- everything else is text, and text that a spreadsheet would read as a formula (starting with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is kept as text by the writers
  (:func:`formula_safe` for CSV and Word; a quote-prefixed string cell in XLSX);
- headers and values are in the reader's language (:mod:`sim.vocabulary.export_text`).
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Optional, Union

from ..vocabulary.figure_format import figure_label, verdict_word
from ..vocabulary.figure_registry import REGISTRY


@dataclass(frozen=True)
class Num:
    """A number cell: ``value`` (None or NaN: empty), shown with ``decimals`` digits; ``percent``:
    a share in [0, 1] shown in per cent (XLSX keeps the fraction under a ``0.0%`` format)."""

    value: Optional[float]
    decimals: int = 0
    percent: bool = False

    @property
    def present(self) -> bool:
        """Whether there is a number to write (NumPy's numbers count; None, NaN and booleans do not)."""
        v = self.value
        return isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(v)

    def rounded(self) -> Optional[float]:
        """The value as the files hold it: a share as a fraction to ``decimals + 2`` digits (94.8 % is
        0.948), any other number to ``decimals`` digits; None when missing."""
        if not self.present:
            return None
        x = round(float(self.value), self.decimals + (2 if self.percent else 0))
        return x + 0.0  # no "-0.0"

    def csv_text(self) -> str:
        """The number as a CSV holds it: a share in per cent (its header says so), no grouping."""
        x = self.rounded()
        if x is None:
            return ""
        shown = 100 * x if self.percent else x
        return f"{shown + 0.0:.{self.decimals}f}"


Cell = Union[str, Num, None]


@dataclass
class Table:
    """One table: ``name`` (the XLSX sheet's name: at most 31 characters, none of ``[]:*?/\\``),
    ``columns`` (headers, text) and ``rows`` (one cell per column)."""

    name: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.name) > 31 or any(ch in self.name for ch in "[]:*?/\\"):
            raise ValueError(f"not a sheet name: {self.name!r}")

    def add(self, *cells: Cell) -> None:
        """Append a row (exactly one cell per column)."""
        if len(cells) != len(self.columns):
            raise ValueError(f"{self.name}: {len(cells)} cells for {len(self.columns)} columns")
        self.rows.append(list(cells))


#: the first characters that make a spreadsheet read a cell as a formula (or, for tab and CR,
#: that Excel and WPS strip before reading one)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def needs_guard(text: str) -> bool:
    """Whether a text cell would start a formula in a spreadsheet."""
    return bool(text) and text.startswith(FORMULA_STARTS)


def formula_safe(text: str) -> str:
    """``text`` as a CSV or Word cell: with a leading apostrophe when it would start a formula
    (the usual guard: a spreadsheet shows such a cell as text)."""
    return "'" + text if needs_guard(text) else text


# --- cells that every builder writes alike ---------------------------------------------------

def figure_num(key: str, x: Optional[float]) -> Num:
    """A figure's value as a number cell with the figure's own decimals and unit (registry)."""
    f = REGISTRY[key]
    decimals = f.decimals
    # a time-average count below 10 (0.4 cases waiting) would read as 0: one decimal more, as on screen
    if f.kind == "count" and x is not None and math.isfinite(x) and abs(x) < 10 and x != round(x):
        decimals += 1
    return Num(x, decimals, f.percent)


def figure_column(lang: str, key: str) -> str:
    """A figure's name with its unit, as a column header or a row label: '审限内结案率（%）'."""
    return figure_label(lang, key)


def verdict_cell(lang: str, tgt: Optional[dict]) -> Cell:
    """'达标' / '未达标' / '尚难判定' (words, never a mark alone); empty without a target."""
    return None if tgt is None else verdict_word(lang, tgt["verdict"])
