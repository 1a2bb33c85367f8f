"""Words for a calibration, in Chinese and English: parameter names, how each was obtained, its
value and range, the replay's scores and the verdict against the naive forecasts.

Shared by the command line (``python -m sim calibrate``), the HTML fit report and the app's
calibration page, so all three say the same thing. Parameters are named in words, never by a
dotted key; figures (filed, closed, pending, within-limit rate) by the figure registry.
"""
from __future__ import annotations

import math
from typing import Any, Mapping, Optional

from . import catalogue
from .field_labels import FIELDS, generic, label
from .figure_format import figure_name

PROCS: dict[str, dict[str, str]] = catalogue.by_lang("calibration_procedures")

NAMES: dict[str, dict[str, str]] = catalogue.by_lang("calibration_names")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")

WORDS: dict[str, dict[str, str]] = catalogue.by_lang("calibration")


def word(lang: str, key: str, **kw: Any) -> str:
    """A sentence of this module in ``lang``."""
    s = WORDS[lang][key]
    return s.format(**kw) if kw else s


def param_name(lang: str, key: str) -> str:
    """A parameter's name in words (``case_types.simple.share`` → 简易程序占收案比例).

    Scenario fields are named as everywhere else (:func:`sim.vocabulary.field_labels.label`);
    only what a calibration alone has (the fitted multiples, per-procedure rates, the
    season factors) is named here.
    """
    names = NAMES[lang]
    if key in names:
        return names[key]
    parts = key.split(".")
    if key.startswith("demand.monthly_profile."):
        k = int(parts[-1])
        return names["demand.monthly_profile"].format(month=k + 1 if lang == "zh" else MONTHS_EN[k])
    if parts[0] == "case_types" and len(parts) == 3 and f"case_types.{parts[2]}" in names:
        return names[f"case_types.{parts[2]}"].format(proc=PROCS[lang].get(parts[1], parts[1]))
    if generic(key) in FIELDS:  # a scenario field: the name the controls and messages give it
        return label(lang, key)
    return key


def _pct(x: Optional[float]) -> str:
    return "—" if x is None or not math.isfinite(x) else f"{x * 100:.1f}%"


def param_value(lang: str, key: str, x: Optional[float]) -> str:
    """A parameter's value: shares and growth as %, filings as a whole number, factors as ×."""
    if x is None or not math.isfinite(x):
        return "—"
    if key == "filings_per_year":
        return f"{x:,.0f}"
    if key.startswith("demand.monthly_profile") or key.startswith("fit."):
        return f"×{x:.2f}"
    return _pct(x)


def param_row(lang: str, p: Any) -> dict[str, str]:
    """One parameter as the words of a table row: name, value, range, how obtained."""
    rng = "—" if p.low is None else f"{param_value(lang, p.key, p.low)} – {param_value(lang, p.key, p.high)}"
    value = param_value(lang, p.key, p.value)
    if p.params.get("hours") is not None:
        value += word(lang, "hours", hours=f"{p.params['hours']:.1f}", low=f"{p.params['hours_low']:.1f}",
                      high=f"{p.params['hours_high']:.1f}")
    return {"name": param_name(lang, p.key), "value": value, "range": rng, "method": word(lang, f"method.{p.method}")}


def unidentified_text(lang: str, keys: list[str]) -> str:
    """The sentence listing what the data leave open."""
    sep = "、" if lang == "zh" else ", "
    return word(lang, "unidentified", names=sep.join(dict.fromkeys(param_name(lang, k) for k in keys)))


def score_text(lang: str, figure: str, coverage: float, mape: float) -> str:
    """How well the replay matches one figure."""
    return word(lang, "score", figure=figure_name(lang, figure), coverage=_pct(coverage), mape=_pct(mape))


def verdict_text(lang: str, figure: str, verdict: str, model: float, naive: Mapping[str, float]) -> str:
    """The plain verdict of the model against the two naive forecasts for one figure."""
    def f(x: float) -> str:
        return _pct(x) if math.isfinite(x) else word(lang, "na")

    return word(lang, f"oos.{verdict}", figure=figure_name(lang, figure), model=f(model),
                last_year=f(naive.get("same_month_last_year", math.nan)), last_month=f(naive.get("last_month", math.nan)))


def fit_summary(lang: str, fit: Any) -> str:
    """One line on the simulation fit's effort and result."""
    return word(lang, "fit.summary", n=fit.evaluations, reps=fit.reps, loss=f"{fit.loss:.1f}",
                dof=fit.degrees_of_freedom, sec=f"{fit.seconds:.0f}")


__all__ = ["fit_summary", "param_name", "param_row", "param_value", "score_text",
           "unidentified_text", "verdict_text", "word"]
