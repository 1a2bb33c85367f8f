"""The command line's words in Chinese and English, its default language, and aligned tables.

Figure names, units and formats come from :mod:`sim.vocabulary.figure_format` (as in the app and the
report); this module holds only the sentences around them. Columns are aligned by display
width, so a Chinese character (two terminal columns) does not push a table out of line.
"""
from __future__ import annotations

import os
from typing import Mapping, Optional, Sequence

from ..vocabulary import catalogue
from ..vocabulary.figure_format import LANGS, figure_name, verdict_note
from ..vocabulary.text_width import display_width

TEXT: dict[str, dict[str, str]] = catalogue.by_lang("cli")


def say(lang: str, key: str, **kw: object) -> str:
    """The sentence ``key`` in ``lang`` with its placeholders filled in (KeyError if unknown)."""
    s = TEXT[lang][key]
    return s.format(**kw) if kw else s


def default_lang(env: Optional[Mapping[str, str]] = None) -> str:
    """'zh' when the locale (first set of LC_ALL, LC_MESSAGES, LANG) is Chinese, else 'en'."""
    env = os.environ if env is None else env
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def lang_choice(text: str) -> str:
    """An argparse type for ``--lang``: zh or en."""
    import argparse

    if text not in LANGS:
        raise argparse.ArgumentTypeError(f"--lang must be one of {', '.join(LANGS)}, got {text!r}")
    return text


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` display columns (right-aligned if ``right``)."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def table(header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> list[str]:
    """Lines of a table whose columns line up in a terminal, two spaces apart."""
    widths = [max(display_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return ["  ".join(pad(cell, widths[i], i in right) for i, cell in enumerate(r)).rstrip()
            for r in [header, *rows]]


def verdict_notes(lang: str, targets: dict, prefix: str = "") -> list[str]:
    """One line per undecided target: why, and how many replications would likely decide it."""
    sep = "：" if lang == "zh" else ": "
    return [f"  {prefix}{figure_name(lang, k)}{sep}{verdict_note(lang, v)}" for k, v in targets.items()
            if v["verdict"] == "undecided"]
