"""The words of the exported tables (CSV, XLSX) and the Word brief, in Chinese and English.

Figure names, units and verdicts come from :mod:`sim.vocabulary.figure_format`; this module holds
the sheet names, column headers and the few values that are words (是/否, 全期).
"""
from __future__ import annotations

from . import catalogue
from .figure_format import check_lang

WORDS: dict[str, dict[str, str]] = catalogue.by_lang("export")


def word(lang: str, key: str, **params: object) -> str:
    """The export's word for ``key`` in ``lang``, with ``params`` filled in."""
    text = WORDS[check_lang(lang)][key]
    return text.format(**params) if params else text
