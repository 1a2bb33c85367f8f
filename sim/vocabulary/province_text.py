"""A province allocation in words, Chinese or English (the command line and the app's page).

Works on :meth:`sim.province.allocate.Allocation.to_json_dict` (plain data), so this layer
needs nothing above it. Figures are written by :mod:`sim.vocabulary.figure_format`.
"""
from __future__ import annotations

from typing import Any, Optional

from . import catalogue
from .figure_format import (
    change_interval,
    counted,
    figure_change,
    figure_interval,
    figure_name,
    figure_value,
)

TEXT: dict[str, dict[str, str]] = catalogue.by_lang("province")


def say(lang: str, key: str, **kw: Any) -> str:
    """One sentence of :data:`TEXT` in ``lang``."""
    return TEXT[lang][key].format(**kw)


def posts_text(lang: str, posts: "list[int] | tuple[int, ...]") -> str:
    """'3 名员额法官、1 名书记员' / '3 judges, 1 clerk'; 'none' / '无' when there are none."""
    parts = [counted(lang, int(n), noun) for n, noun in zip(posts, ("judge", "assistant", "clerk"), strict=True) if n]
    return say(lang, "sep").join(parts) if parts else say(lang, "none")


def _objective_figure(objective: str) -> Optional[str]:
    return {"highest_lowest_within_limit_rate": "within_limit_rate",
            "fewest_long_pending": "long_pending_end"}.get(objective)


def objective_value(lang: str, objective: str, x: Optional[float]) -> str:
    """The objective's value: a number of courts, a within-limit rate or long-pending cases."""
    fig = _objective_figure(objective)
    if fig:
        return figure_value(lang, fig, x)
    return "—" if x is None else say(lang, "courts", n=f"{x:.1f}")


def objective_change(lang: str, objective: str, d: Optional[float], lo: Optional[float] = None,
                     hi: Optional[float] = None) -> tuple[str, str]:
    """A paired difference of the objective and its interval, as text."""
    fig = _objective_figure(objective)
    if fig:
        return figure_change(lang, fig, d), change_interval(lang, fig, lo, hi)
    if d is None:
        return "—", "—"
    ci = "—" if lo is None or hi is None else f"{lo:+.2f} – {hi:+.2f}"
    return say(lang, "courts", n=f"{d:+.2f}"), ci


def summary_lines(a: dict[str, Any], lang: str) -> list[str]:
    """The head line and the objective against the two rules."""
    obj = a["objective"]
    lines = [say(lang, "head", province=a["province"], pool=posts_text(lang, [a["pool"][r] for r in
                                                                            ("judges", "assistants", "clerks")]),
                 objective=say(lang, f"objective.{obj}"), seed=a["seed"],
                 reps=counted(lang, a["replications"], "replication"), where=a["where"], tasks=a["tasks_run"],
                 sec=f"{a['seconds']:.1f}")]
    st = a["objective_stats"]
    lo, hi = st["recommended"]["ci_low"], st["recommended"]["ci_high"]
    fig = _objective_figure(obj)
    if lo is None or hi is None:
        ci = "—"
    else:
        ci = figure_interval(lang, fig, lo, hi) if fig else f"{lo:.2f} – {hi:.2f}"
    lines.append(say(lang, "objective_line", rec=objective_value(lang, obj, st["recommended"]["mean"]), ci=ci,
                     now=objective_value(lang, obj, st["now"]["mean"])))
    for rule in ("even", "caseload", "now"):
        d = a["objective_diffs"][rule]
        diff, dci = objective_change(lang, obj, d["mean"], d["ci_low"], d["ci_high"])
        lines.append("  " + say(lang, "vs_rule", rule=say(lang, f"rule.{rule}"), diff=diff, ci=dci))
    roles = {"judges": "judge", "assistants": "assistant", "clerks": "clerk"}
    for m in a.get("moves", []):
        noun = counted(lang, 2, roles[m["role"]]).split(" ", 1)[1]   # the role's name, plural in English
        lines.append("  " + say(lang, "moved", role=noun, src=m["from"], dst=m["to"],
                                gain=objective_change(lang, obj, m["objective_gain"])[0]))
    return lines


def court_table(a: dict[str, Any], lang: str) -> tuple[list[str], list[list[str]]]:
    """Header and one row per court: posts under each rule, headline figures, targets still missed."""
    header = [say(lang, f"col.{k}") for k in ("court", "posts", "even", "caseload", "wlr", "long", "missed")]
    rows = []
    for row in a["court_rows"]:
        f = row["figures"]
        arrow = {k: say(lang, "arrow", a=figure_value(lang, k, f[k]["now"]["mean"]),
                        b=figure_value(lang, k, f[k]["recommended"]["mean"]))
                 for k in ("within_limit_rate", "long_pending_end")}
        rows.append([row["court"], posts_text(lang, row["posts"]["recommended"]), posts_text(lang, row["posts"]["even"]),
                     posts_text(lang, row["posts"]["caseload"]), arrow["within_limit_rate"], arrow["long_pending_end"],
                     say(lang, "sep").join(figure_name(lang, k) for k in row["missed_recommended"]) or say(lang, "none")])
    return header, rows


def reason_lines(a: dict[str, Any], lang: str) -> list[str]:
    """Why each court got what it got, one or two lines per court."""
    lines = [say(lang, "reasons")]
    for reason, row in zip(a["reasons"], a["court_rows"], strict=True):
        code = reason["code"]
        if code == "given":
            gains = say(lang, "sep").join(figure_change(lang, "within_limit_rate", g) for g in reason["gains"])
            text = say(lang, "given", court=reason["court"], posts=posts_text(lang, reason["posts"]), gains=gains)
            if any(reason["minimum"]):
                text += say(lang, "given_min", posts=posts_text(lang, reason["minimum"]))
        elif code == "less_gain":
            text = say(lang, "less_gain", court=reason["court"],
                       missed=say(lang, "sep").join(figure_name(lang, k) for k in reason["missed"]))
        else:
            text = say(lang, code, court=reason["court"])
        lines.append("  " + text)
        f = row["figures"]["within_limit_rate"]
        if row["posts"]["recommended"] != row["posts"]["even"] or row["posts"]["recommended"] != row["posts"]["caseload"]:
            lines.append("    " + say(lang, "vs_rules", figure=figure_name(lang, "within_limit_rate"),
                                        d_even=figure_change(lang, "within_limit_rate", f["vs_even"]["mean"]),
                                        ci_even=change_interval(lang, "within_limit_rate", f["vs_even"]["ci_low"],
                                                                f["vs_even"]["ci_high"]),
                                        d_case=figure_change(lang, "within_limit_rate", f["vs_caseload"]["mean"]),
                                        ci_case=change_interval(lang, "within_limit_rate", f["vs_caseload"]["ci_low"],
                                                                f["vs_caseload"]["ci_high"])))
    return lines
