"""Translation lookup and the app's language-dependent formatting (months, weekdays, tracks).

The strings themselves are the section ``ui`` of the catalogue of each language
(``sim/vocabulary/catalogue/zh.toml``, the default, and ``en.toml``); figure names, units and
number formats are the engine's
(:mod:`sim.vocabulary.figure_format`), shared with the report and the command line. The translation of the
engine's validation messages stays at the end of this module.
"""
from __future__ import annotations

import math
from typing import Any

from sim.report import charts_spec
from sim.vocabulary import catalogue
from sim.vocabulary.messages import render_error
from sim.vocabulary.safe_text import md_escape, md_escape_all

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
LANG_NAMES = {"zh": "中文", "en": "English"}

#: the app's words, language -> key -> text (read once from the catalogue)
STRINGS: dict[str, dict[str, str]] = catalogue.by_lang("ui")

#: Keys the code builds from a value (``t(lang, f"opt.track.{track}")``), so a search for the
#: key's text finds no use. tests/test_i18n.py checks that each exists in both catalogues and
#: that every other key is used literally. (Controls' ``ctl.<label>`` keys come from
#: ``ui.widgets.controls.specs_for`` and are checked against it.)
DYNAMIC_KEYS: tuple[str, ...] = (
    *(f"nav.{p}" for p in ("whatif", "compare", "advisor", "calibrate", "province", "training", "glossary", "present")),
    *(f"url.cut.{k}" for k in ("dropped", "length", "long", "picks")),  # ui.address_read names them
    *(f"prov.objective.{o}" for o in ("most_courts_meeting_targets", "highest_lowest_within_limit_rate",
                                      "fewest_long_pending")),
    *(f"cal.kind.{k}" for k in ("cases", "monthly", "staffing")),
    *(f"cal.up.{k}{h}" for k in ("cases", "monthly", "staffing") for h in ("", ".help")),
    *(f"cal.assume.{k}" for k in ("effort", "waiting", "demand", "mediation_success", "hours_per_day", "settlement",
                                  "support")),
    *(f"gl.kind.{k}" for k in ("figure", "term")),
    *(f"chart.within.{s}" for s in ("all", "simple", "complex")),
    *(f"tr.col.{c}" for c in ("rank", "group", "plan", "mean", "interval", "vs_start", "vs_best", "verdict")),
    *(f"opt.track.{x}" for x in ("simple", "complex")),
    *(f"opt.track_short.{x}" for x in ("simple", "complex")),
    *(f"opt.assignment.{x}" for x in ("rotation", "least_loaded")),
    *(f"opt.queue.{x}" for x in ("fifo", "edf")),
    *(f"opt.dist.{x}" for x in ("lognormal", "gamma", "exponential", "deterministic")),
    *(f"chart.{x}.caption" for x in ("pending", "within", "flow", "age", "util", "funnel")),
    *(f"chart.stage.{x}" for x in ("disputes", "mediated", "resolved", "filed")),
    *(f"store.{x}.help" for x in ("overwrite.yes", "overwrite.no", "delete.yes", "delete.no")),
    *(f"staff.role.{x}" for x in ("judges", "assistants", "clerks")),
    *(f"adv.objective.{x}" for x in ("within_limit_rate", "pending_end")),
    *(f"adv.col.{x}{now}" for x in ("judges", "assistants", "clerks") for now in ("", "_now")),
    *(f"adv.stage.{x}" for x in ("refined", "raced", "screened")),
    *(f"app.establishment.{r}.{d}" for r in ("judges", "assistants", "clerks") for d in ("more", "fewer")),
    *(f"spd.opt.mode.{m}" for m in ("pooled", "rotation", "random", "lightest")),
    *(f"spd.opt.hand_over.{m}" for m in ("lightest", "rotation")),
)

_WEEKDAYS = {"zh": ("一", "二", "三", "四", "五", "六", "日"),
             "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def t(lang: str, key: str, **kw: Any) -> str:
    """The string ``key`` in ``lang`` with ``{placeholders}`` filled in.

    A missing key raises KeyError: a silent fallback would show raw keys to users.
    """
    s = STRINGS[lang if lang in STRINGS else DEFAULT_LANG][key]
    return s.format(**kw) if kw else s


def t_md(lang: str, key: str, **kw: Any) -> str:
    """:func:`t` for Markdown (``st.markdown``, captions, alerts, titles, labels, help texts):
    the catalogue's own text keeps its Markdown, every text parameter is shown as the characters
    it is (a user's name, a value from the address, a file's name: see
    :func:`sim.vocabulary.safe_text.md_escape`). Numbers and dates keep their formats."""
    return t(lang, key, **md_escape_all(kw))


def fmt_number(x: float | None, digits: int = 0) -> str:
    """Thousands separators and fixed decimals; an em dash for a missing value.

    Both languages group thousands with commas (as Chinese court reports do).
    """
    if x is None or not math.isfinite(x):
        return "—"
    return f"{x:,.{digits}f}"


def fmt_pct(x: float | None, digits: int = 1) -> str:
    """A fraction 0..1 as a percentage."""
    if x is None or not math.isfinite(x):
        return "—"
    return f"{x * 100:.{digits}f}%"


def month_label(lang: str, ym: str) -> str:
    """'2025-01' as '2025年1月' or 'Jan 2025': the engine's, so the report's charts read alike."""
    return charts_spec.month_label(lang, ym)


def weekday_label(lang: str, d: int) -> str:
    """ISO weekday 1..7 as a short name."""
    return t(lang, "opt.weekday", d=_WEEKDAYS[lang][d - 1])


def month_name(lang: str, m: int) -> str:
    """Calendar month 1..12."""
    return t(lang, "opt.month", m=m if lang == "zh" else charts_spec.MONTHS_EN[m - 1])


def track_label(lang: str, track: str) -> str:
    """'simple' / 'complex' in court terms."""
    return t(lang, f"opt.track.{track}")


def scenario_label(lang: str, data: dict) -> str:
    """A scenario's name in ``lang`` (its ``name_zh``/``name_en`` if set, else its name), from
    the plan's data as the controls hold it."""
    return (data.get("name_zh") if lang == "zh" else data.get("name_en")) or data.get("name") or ""


def case_type_label(lang: str, ct: dict) -> str:
    """A case type's name in ``lang`` (its ``label_zh``/``label_en`` if set, else its name),
    from the plan's data as the controls hold it."""
    return (ct.get("label_zh") if lang == "zh" else ct.get("label_en")) or ct.get("name") or ""


def track_short(lang: str, track: str) -> str:
    """'简案' / '繁案': the team table is narrow."""
    return t(lang, f"opt.track_short.{track}")


def error_text(lang: str, err: Any) -> str:
    """Any error in ``lang``: an engine error (a FieldError, a ScenarioError's problems, a
    store/advisor error with ``code`` and ``params``), a file that could not be read, or an
    unexpected fault by its type, from the catalogue's messages
    (:func:`sim.vocabulary.messages.error_code`): an exception's own English text never reaches
    the page."""
    return render_error(err, lang)


def error_md(lang: str, err: Any) -> str:
    """:func:`error_text` for Markdown: the message echoes what the user gave (a name, a value,
    a file), so all of it is shown as text."""
    return md_escape(render_error(err, lang))
