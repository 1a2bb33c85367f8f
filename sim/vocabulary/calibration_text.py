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
    if key.startswith("demand.monthly_profile") or key.startswith("fit.") or key == "demand.step":
        return f"×{x:.2f}"
    return _pct(x)


def param_row(lang: str, p: Any) -> dict[str, str]:
    """One parameter as the words of a table row: name, value, range, how obtained. A fitted
    value the data leave open is never shown as an estimate: its value cell says so, and its
    range is written open on the side the data did not close (≤ …, ≥ …)."""
    rng = "—" if p.low is None else f"{param_value(lang, p.key, p.low)} – {param_value(lang, p.key, p.high)}"
    if p.method == "simulation" and not p.identified:
        lo, hi = param_value(lang, p.key, p.low), param_value(lang, p.key, p.high)
        rng = f"≤ {hi}" if p.params.get("open_low") and not p.params.get("open_high") else \
            (f"≥ {lo}" if p.params.get("open_high") and not p.params.get("open_low") else f"{lo} – {hi}")
        return {"name": param_name(lang, p.key), "value": word(lang, "notpinned"), "range": rng,
                "method": word(lang, "method.simulation")}
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


def _num(lang: str, x: Optional[float], pct: bool = True) -> str:
    if x is None or not math.isfinite(x):
        return word(lang, "na")
    return _pct(x) if pct else f"{x:.2f}"


def naive_name(lang: str, key: str) -> str:
    """A naive forecast's name in words."""
    return word(lang, f"naive.{key}")


def verdict_text(lang: str, figure: str, cmp: Mapping[str, Any]) -> str:
    """The model against every naive forecast for one figure (``cmp``: :func:`sim.calibration.naive.compare`),
    in plain words: its error, which naive forecasts it beats and which it does not."""
    sc = cmp["scores"]
    sep = "、" if lang == "zh" else ", "

    def items(keys: list[str]) -> str:
        return sep.join(word(lang, "naive.item", name=naive_name(lang, k), mape=_num(lang, sc[k]["mape"])) for k in keys)

    kind = "all" if not cmp["loses_to"] else ("none" if not cmp["beats"] else "some")
    return word(lang, f"verdict.{kind}", figure=figure_name(lang, figure), model=_num(lang, sc["model"]["mape"]),
                mase=_num(lang, sc["model"]["mase"], pct=False), beats=items(cmp["beats"]),
                loses=items(cmp["loses_to"]))


def gate_text(lang: str, gate: Any, with_oos: bool = False) -> str:
    """The quality gate in words: the label and its reasons, or that the fit passes."""
    if gate.ok:
        return word(lang, "gate.ok", oos=word(lang, "gate.ok.oos") if with_oos else "")
    sep = "；" if lang == "zh" else "; "
    parts = []
    for r in gate.reasons:
        p = dict(r["params"])
        if r["code"] == "gate_naive":
            p.update(figure=figure_name(lang, p["figure"]), model=_pct(p["model"]), naive=_pct(p["naive"]),
                     which=naive_name(lang, p["which"]))
        parts.append(word(lang, r["code"], **p))
    return word(lang, "gate.head") + sep.join(parts) + ("。" if lang == "zh" else ".")


def open_values_text(lang: str, fit: Any) -> str:
    """The fitted values the data leave open, each with the range that fits and the value used."""
    lines = []
    for k, p in fit.multipliers.items():
        if p.identified or k == "push" or p.low is None:
            continue
        kw = dict(name=param_name(lang, p.key), low=param_value(lang, p.key, p.low),
                  high=param_value(lang, p.key, p.high), value=param_value(lang, p.key, p.value),
                  why=word(lang, f"why.{k}"))
        side = "low" if p.params.get("open_low") and not p.params.get("open_high") else \
            ("high" if p.params.get("open_high") and not p.params.get("open_low") else "both")
        lines.append(word(lang, f"open.{side}", **kw))
    return (word(lang, "open.head") + " " + " ".join(lines)) if lines else ""


def push_text(lang: str, fit: Any) -> str:
    """What the records say about a year-end closing push (empty when they cannot say)."""
    p = fit.multipliers.get("push")
    if p is None:
        return ""
    if p.low is None:
        return word(lang, "push.unknown")
    if p.low <= 1.0 + 1e-9:
        return word(lang, "push.none")
    return word(lang, "push.found", value=param_value(lang, p.key, p.value), low=param_value(lang, p.key, p.low),
                high=param_value(lang, p.key, p.high))


def step_text(lang: str, fit: Any) -> str:
    """The step in the filing level, when the records show one."""
    s = fit.estimates.demand.step
    if s is None:
        return ""
    return word(lang, "step.found", month=s.params["from"][:7], value=param_value(lang, s.key, s.value),
                low=param_value(lang, s.key, s.low), high=param_value(lang, s.key, s.high))


TRACK_WORDS = {"zh": {"simple": "简案团队", "complex": "繁案团队", "all": "全院"},
               "en": {"simple": "Simple-case teams", "complex": "Complex-case teams", "all": "The court"}}


def saturation_text(lang: str, fit: Any) -> list[str]:
    """Per track, the months it was short of judges (what pins its hours per case), or that it never was."""
    rows = fit.estimates.extra.get("tracks", [])
    sep = "、" if lang == "zh" else ", "
    out = []
    for track in ("simple", "complex", "all"):
        mine = [r for r in rows if r.track == track]
        if not mine:
            continue
        sat = [r.month for r in mine if r.saturated]
        name = TRACK_WORDS[lang][track]
        p = fit.multipliers.get("effort" if track == "all" else f"effort_{track}")
        if p is not None and p.method == "capacity":
            out.append(word(lang, "capacity.window", track=name, months=sep.join(p.params["months"]),
                            closed=p.params["closed"], low=param_value(lang, p.key, p.params["history_low"]),
                            high=param_value(lang, p.key, p.params["history_high"])))
        elif sat:
            out.append(word(lang, "saturated", track=name, months=sep.join(sat)))
        else:
            out.append(word(lang, "saturated.none", track=name))
    return out


def staffing_notes(lang: str, staffing: Any) -> list[str]:
    """Where the staffing came from and what was assumed, in words."""
    out = [word(lang, f"staff.source.{staffing.source}")]
    out += [word(lang, n) for n in staffing.notes if n not in ("staff_table_split",)]
    return out


def state_text(lang: str, state: Any) -> str:
    """The open cases a run starts from, in one sentence."""
    c = state.carried
    if state.table is None:
        return word(lang, "state.groups", date=state.date.isoformat())
    return word(lang, "state.line", date=state.date.isoformat(), simple=c.by_track.get("simple", 0),
                complex=c.by_track.get("complex", 0), without=state.unplaced_judges)


def fit_summary(lang: str, fit: Any) -> str:
    """One line on the simulation fit's effort and result."""
    return word(lang, "fit.summary", n=fit.evaluations, reps=fit.reps, loss=f"{fit.loss:.1f}",
                dof=fit.degrees_of_freedom, sec=f"{fit.seconds:.0f}")


__all__ = ["fit_summary", "gate_text", "naive_name", "open_values_text", "param_name", "param_row", "param_value",
           "push_text", "saturation_text", "score_text", "staffing_notes", "state_text", "step_text",
           "unidentified_text", "verdict_text", "word"]
