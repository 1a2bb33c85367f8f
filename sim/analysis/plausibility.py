"""Built-in courts against published figures (``shared/design/model.md``, "Published figures").

``python -m sim plausibility [SCENARIO...]`` runs each scenario and prints its figures next to
the range a court of its kind should land in. The built-in files have their own ranges: the
baseline is a typical basic court; the weak court misses its targets plausibly; its re-staffing
must do visibly better than the weak court (same seed, paired by replication). Any other file is
checked against the typical basic court's ranges.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional



from .results import Results, Stat, mean_ci, paired_difference

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
BUILT_IN = ("baseline", "weak-court", "weak-court-restaffing")


@dataclass
class Check:
    """One figure, what it should be, and whether it is."""

    scenario: str
    figure: str
    value: Stat
    expected: str
    ok: bool


def _summary(res: Results, fig: str) -> Stat:
    return mean_ci(res.summary_reps[fig])


def _detail(res: Results, fig: str) -> Stat:
    return mean_ci(res.detail_reps[fig])


def _between(lo: float, hi: float) -> Callable[[Stat], bool]:
    return lambda s: lo <= s.mean <= hi


# (figure label, how to read it, expected text, test)
TYPICAL = [
    ("disposition_days_mean", _summary, "25–60 days", _between(25, 60)),
    ("within_limit_rate", _summary, "95–99 %", _between(0.95, 0.99)),
    ("closures_per_judge", _summary, "250–400 a year", _between(250, 400)),
    ("long_pending_share", _summary, "≤ 0.5 % (almost none)", lambda s: s.mean <= 0.005),
    ("mediation_resolution_share", _summary, "25–45 %", _between(0.25, 0.45)),
    ("simple_procedure_share", _detail, "≥ 75 % (simple + small claims)", lambda s: s.mean >= 0.75),
]
WEAK = [
    ("within_limit_rate", _summary, "85–94 %", _between(0.85, 0.94)),
]


def _growing_tail(name: str, res: Results) -> Check:
    lp = res.monthly_reps["long_pending_end"]
    growth = mean_ci(lp[:, -1] - lp[:, 0])
    return Check(name, "long_pending_end: last month − first month", growth, "> 0 (a growing tail)", growth.mean > 0)


def _simple_faster(name: str, res: Results) -> Check:
    d = mean_ci(res.detail_reps["disposition_days_ordinary"] - res.detail_reps["disposition_days_simple"])
    return Check(name, "disposition days: ordinary − simple procedure", d, "> 0 (simple faster)", d.mean > 0)


def checks_for(name: str, res: Results, reference: Optional[Results] = None) -> list[Check]:
    """The plausibility checks of one result (``reference``: the weak court, for its re-staffing)."""
    out: list[Check] = []
    kind = name if name in BUILT_IN else "baseline"
    if kind == "baseline":
        for fig, read, text, test in TYPICAL:
            s = read(res, fig)
            out.append(Check(name, fig, s, text, bool(test(s))))
        out.append(_simple_faster(name, res))
    elif kind == "weak-court":
        for fig, read, text, test in WEAK:
            s = read(res, fig)
            out.append(Check(name, fig, s, text, bool(test(s))))
        out.append(_growing_tail(name, res))
    else:
        if reference is None:
            raise ValueError("the re-staffing check needs the weak court's results")
        for fig, better in (("within_limit_rate", 1), ("long_pending_end", -1), ("pending_end", -1),
                            ("disposition_days_mean", -1)):
            d = paired_difference(res, reference, fig)
            out.append(Check(name, f"{fig}: re-staffed − weak court", d,
                             "> 0 (better)" if better > 0 else "< 0 (better)", better * d.mean > 0))
    return out


def run_checks(paths: list[str], replications: int = 10, workers: Optional[int] = None,
               progress: Optional[Callable[[int, int], None]] = None) -> list[Check]:
    """Run each scenario (the weak court too when its re-staffing is checked) and check it."""
    from .runner import run
    from ..model.scenario import load_scenario

    stems = [Path(p).stem for p in paths]
    out: list[Check] = []
    done: dict[str, Results] = {}

    def result(stem: str, path: str) -> Results:
        if stem not in done:
            scn = load_scenario(path)
            done[stem] = run(scn, replications=replications, workers=workers)
            if progress:
                progress(len(done), len(paths))
        return done[stem]

    for stem, path in zip(stems, paths):
        res = result(stem, path)
        ref = None
        if stem == "weak-court-restaffing":
            ref = result("weak-court", str(Path(path).with_name("weak-court.yaml")))
        out += checks_for(stem, res, ref)
    return out


def _fmt(fig: str, s: Stat) -> str:
    rate = any(k in fig for k in ("rate", "share")) and "days" not in fig
    scale, unit, digits = (100.0, " %", 2 if "long_pending_share" in fig else 1) if rate else (1.0, "", 1)
    if not math.isfinite(s.mean):
        return "–"
    return f"{s.mean * scale:,.{digits}f}{unit} [{s.ci_low * scale:,.{digits}f}, {s.ci_high * scale:,.{digits}f}]"


def checks_text(checks: list[Check]) -> str:
    """The checks as a table: scenario, figure, mean [95 % interval], expected, ok."""
    lines = [f"{'scenario':<24}{'figure':<50}{'mean [95% interval]':<30}{'expected':<32}"]
    for c in checks:
        lines.append(f"{c.scenario:<24}{c.figure:<50}{_fmt(c.figure, c.value):<30}{c.expected:<32}"
                     f"{'ok' if c.ok else 'OUT OF RANGE'}")
    return "\n".join(lines) + "\n"


def all_ok(checks: list[Check]) -> bool:
    """Whether every check passed."""
    return bool(checks) and all(c.ok for c in checks)


def default_paths() -> list[str]:
    """The built-in scenario files that have ranges."""
    return [str(SCENARIOS / f"{n}.yaml") for n in BUILT_IN]



