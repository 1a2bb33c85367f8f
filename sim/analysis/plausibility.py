"""Built-in courts against published figures (``shared/design/model.md``, "Published figures").

``python -m sim plausibility [SCENARIO...]`` runs each scenario and prints its figures next to
the range a court of its kind should land in. The built-in files have their own ranges: the
baseline is a typical basic court; the weak court misses its targets plausibly; its re-staffing
must do visibly better than the weak court (same seed, paired by replication). Any other file is
checked against the typical basic court's ranges.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Literal, Optional

from .results import Results, Stat, mean_ci, paired_difference

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
BUILT_IN = ("baseline", "weak-court", "weak-court-restaffing")

#: what a check measures: the figure's mean, its growth from the first to the last month, the
#: mean disposition days under ordinary minus simple procedure, or the paired difference from
#: the reference scenario
Measure = Literal["value", "growth", "ordinary_minus_simple", "vs_reference"]
#: what the measure should be: within [low, high], at most high, at least low, above 0, below 0
Expect = Literal["between", "at_most", "at_least", "above_zero", "below_zero"]

#: figures that are not headline figures, and the registry figure of the same kind they are
#: formatted as (a share like a share, days like days)
FORMAT_AS = {"simple_procedure_share": "mediation_resolution_share"}


@dataclass
class Check:
    """One figure, what it should be, and whether it is (surfaces put it in words)."""

    scenario: str
    figure: str
    measure: Measure
    value: Stat
    expect: Expect
    low: Optional[float] = None
    high: Optional[float] = None

    @property
    def ok(self) -> bool:
        """Whether the mean is where it should be."""
        m = self.value.mean  # NaN (no case closed) fails every test
        if self.expect == "between":
            return self.low <= m <= self.high
        if self.expect == "at_most":
            return m <= self.high
        if self.expect == "at_least":
            return m >= self.low
        return m > 0 if self.expect == "above_zero" else m < 0

    @property
    def registry_key(self) -> str:
        """The figure of the registry its numbers are formatted as."""
        return FORMAT_AS.get(self.figure, self.figure)


def _summary(res: Results, fig: str) -> Stat:
    return mean_ci(res.summary_reps[fig])


def _detail(res: Results, fig: str) -> Stat:
    return mean_ci(res.detail_reps[fig])


# (figure, how to read it, expectation, low, high)
TYPICAL: list[tuple[str, Callable[[Results, str], Stat], Expect, Optional[float], Optional[float]]] = [
    ("disposition_days_mean", _summary, "between", 25, 60),
    ("within_limit_rate", _summary, "between", 0.95, 0.99),
    ("closures_per_judge", _summary, "between", 250, 400),
    ("long_pending_share", _summary, "at_most", None, 0.005),          # almost none
    ("mediation_resolution_share", _summary, "between", 0.25, 0.45),
    ("simple_procedure_share", _detail, "at_least", 0.75, None),       # simple + small claims
    ("extension_rate", _summary, "at_most", None, 0.30),               # no court reports more
]
WEAK: list[tuple[str, Callable[[Results, str], Stat], Expect, Optional[float], Optional[float]]] = [
    ("within_limit_rate", _summary, "between", 0.85, 0.94),
    ("extension_rate", _summary, "at_most", None, 0.30),               # even a weak court's
]


def _growing_tail(name: str, res: Results) -> Check:
    lp = res.monthly_reps["long_pending_end"]
    return Check(name, "long_pending_end", "growth", mean_ci(lp[:, -1] - lp[:, 0]), "above_zero")


def _simple_faster(name: str, res: Results) -> Check:
    d = mean_ci(res.detail_reps["disposition_days_ordinary"] - res.detail_reps["disposition_days_simple"])
    return Check(name, "disposition_days_mean", "ordinary_minus_simple", d, "above_zero")


def _values(name: str, res: Results, table: list) -> list[Check]:
    return [Check(name, fig, "value", read(res, fig), expect, lo, hi) for fig, read, expect, lo, hi in table]


def checks_for(name: str, res: Results, reference: Optional[Results] = None) -> list[Check]:
    """The plausibility checks of one result (``reference``: the weak court, for its re-staffing)."""
    kind = name if name in BUILT_IN else "baseline"
    if kind == "baseline":
        return _values(name, res, TYPICAL) + [_simple_faster(name, res)]
    if kind == "weak-court":
        return _values(name, res, WEAK) + [_growing_tail(name, res)]
    if reference is None:
        raise ValueError("the re-staffing check needs the weak court's results")
    return [Check(name, fig, "vs_reference", paired_difference(res, reference, fig), expect)
            for fig, expect in (("within_limit_rate", "above_zero"), ("long_pending_end", "below_zero"),
                                ("pending_end", "below_zero"), ("disposition_days_mean", "below_zero"))]


def run_checks(paths: list[str], replications: int = 10, workers: Optional[int] = None,
               progress: Optional[Callable[[int, int], None]] = None) -> list[Check]:
    """Run each scenario (the weak court too when its re-staffing is checked) and check it."""
    from ..model.scenario import load_scenario
    from .runner import run

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

    for stem, path in zip(stems, paths, strict=True):
        res = result(stem, path)
        ref = None
        if stem == "weak-court-restaffing":
            ref = result("weak-court", str(Path(path).with_name("weak-court.yaml")))
        out += checks_for(stem, res, ref)
    return out


def all_ok(checks: list[Check]) -> bool:
    """Whether every check passed."""
    return bool(checks) and all(c.ok for c in checks)


def default_paths() -> list[str]:
    """The built-in scenario files that have ranges."""
    return [str(SCENARIOS / f"{n}.yaml") for n in BUILT_IN]
