"""How wide a text is on a terminal or in a spreadsheet column: East Asian wide and full-width
characters take two columns. The command line aligns its tables and the XLSX writer sizes its
columns with it, so a Chinese name fits in both."""
from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    """Columns ``text`` takes: wide and full-width characters two, the others one."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)
