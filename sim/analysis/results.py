"""Results over replications: means, 95 % confidence intervals, paired differences.

A :class:`Results` keeps every replication's figures, so two results run with the same seed
can be compared replication by replication (common random numbers): the paired difference's
interval is then much narrower than the two intervals side by side.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np
from scipy.special import stdtrit  # t quantiles without importing scipy.stats (slow to import)

from ..model.caveats import UNDERMINE_TARGETS, result_warnings
from ..model.figures import AGE_BANDS, FIGURES
from ..model.scenario import Scenario, scenario_to_dict
from ..vocabulary.figure_registry import REGISTRY


@dataclass
class Stat:
    """Mean with a two-sided 95 % t interval over replications (NaN replications skipped)."""

    mean: float
    ci_low: float
    ci_high: float
    n: int

    def as_dict(self) -> dict[str, float | None]:
        return {"mean": _clean(self.mean), "ci_low": _clean(self.ci_low), "ci_high": _clean(self.ci_high)}


def _clean(x: float) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def mean_ci(values: np.ndarray, level: float = 0.95) -> Stat:
    """Mean and t-interval of the finite values.

    One value has no interval (NaN ends, shown as a dash and written as null): a zero-width
    "95 % interval" from a single run would claim a certainty it does not have.
    """
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    n = len(v)
    if n == 0:
        return Stat(float("nan"), float("nan"), float("nan"), 0)
    m = float(v.mean())
    if n == 1:
        return Stat(m, float("nan"), float("nan"), 1)
    sd = float(v.std(ddof=1))
    h = float(stdtrit(n - 1, 0.5 + level / 2)) * sd / math.sqrt(n)
    return Stat(m, m - h, m + h, n)


def _ci_array(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column-wise mean and 95 % interval of a (replications, k) array."""
    cols = [mean_ci(values[:, j]) for j in range(values.shape[1])]
    return (np.array([c.mean for c in cols]), np.array([c.ci_low for c in cols]),
            np.array([c.ci_high for c in cols]))


@dataclass
class Results:
    """Figures of N replications of one scenario."""

    scenario: Scenario
    seed: int
    replications: int
    month_labels: list[str]
    team_names: list[str]
    team_tracks: list[str]
    summary_reps: dict[str, np.ndarray]            # figure -> (reps,)
    monthly_reps: dict[str, np.ndarray]            # figure -> (reps, months)
    team_reps: dict[str, np.ndarray]               # utilisation/closed/judges -> (reps, teams)
    team_util_monthly_reps: np.ndarray             # (reps, teams, months)
    age_profile_reps: np.ndarray                   # (reps, bands)
    pending_start_reps: np.ndarray                 # (reps,)
    elapsed_seconds: float = 0.0
    # staff present per team per month (the same in every replication): rows of
    # sim.model.staffing.monthly_staff, team by team, months in order
    staffing: list[dict] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    # warnings that the figures may mislead (see sim.model.caveats): {"code": ..., "params": {...}}
    warnings: list[dict[str, Any]] = field(default_factory=list)
    # plausibility figures (sim.model.figures._detail) -> (reps,)
    detail_reps: dict[str, np.ndarray] = field(default_factory=dict)
    # the case flow month by month (sim.model.flow) -> (reps, months) or (reps, teams + 1, months)
    flow_reps: dict[str, np.ndarray] = field(default_factory=dict)
    # the horizon's time-limit counts per procedure (scenario order): closed, within, pending_end,
    # overdue_pending_end -> (reps, procedures); see :meth:`procedures`
    procedure_reps: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def from_replications(cls, scn: Scenario, seed: int, month_labels: list[str],
                          reps: list[dict], elapsed: float = 0.0,
                          staffing: Optional[list[dict]] = None) -> "Results":
        """Stack per-replication figure dicts (in replication order); ``staffing`` is the
        scenario's staff per team per month (:func:`sim.model.staffing.monthly_staff`)."""
        return cls(
            scenario=scn, seed=seed, replications=len(reps), month_labels=list(month_labels),
            team_names=[t.name for t in scn.teams], team_tracks=[t.track for t in scn.teams],
            summary_reps={k: np.array([r["summary"][k] for r in reps]) for k in FIGURES},
            monthly_reps={k: np.vstack([r["monthly"][k] for r in reps]) for k in FIGURES},
            team_reps={k: np.vstack([r["teams"][k] for r in reps]) for k in ("utilisation", "closed", "judges")},
            team_util_monthly_reps=np.stack([r["teams"]["utilisation_monthly"] for r in reps]),
            age_profile_reps=np.vstack([r["age_profile"] for r in reps]),
            pending_start_reps=np.array([r["flow"]["pending_start"] for r in reps], dtype=float),
            elapsed_seconds=elapsed, staffing=list(staffing or []),
            detail_reps={k: np.array([r["detail"][k] for r in reps]) for k in reps[0].get("detail", {})},
            flow_reps={k: np.stack([r["flow_monthly"][k] for r in reps]) for k in reps[0].get("flow_monthly", {})},
            procedure_reps={k: np.vstack([r["procedures"][k] for r in reps]) for k in reps[0].get("procedures", {})},
            warnings=(list(reps[0].get("warnings", [])) if reps else []) + result_warnings(
                [t.name for t in scn.teams], np.stack([r["teams"]["utilisation_monthly"] for r in reps])),
        )

    # --- views -------------------------------------------------------------------------
    def summary(self) -> dict[str, Stat]:
        """Every figure over the whole reported horizon."""
        return {k: mean_ci(v) for k, v in self.summary_reps.items()}

    def monthly(self, figure: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(mean, ci_low, ci_high) arrays of one figure by month."""
        return _ci_array(self.monthly_reps[figure])

    def flow(self) -> dict[str, np.ndarray]:
        """The case flow's monthly counts (:mod:`sim.model.flow`), mean over replications."""
        return {k: v.mean(axis=0) for k, v in self.flow_reps.items()}

    def teams(self) -> list[dict[str, Any]]:
        """Per team: track, average judges, closures and utilisation with intervals."""
        out = []
        for i, name in enumerate(self.team_names):
            out.append({
                "team": name, "track": self.team_tracks[i],
                "judges": float(self.team_reps["judges"][0, i]),
                "closed": mean_ci(self.team_reps["closed"][:, i]).as_dict(),
                "utilisation": mean_ci(self.team_reps["utilisation"][:, i]).as_dict(),
            })
        return out

    def age_profile(self) -> list[dict[str, Any]]:
        """Pending caseload at the end by age band (months)."""
        lower = (0,) + AGE_BANDS[:-1]
        out = []
        for j, (lo, hi) in enumerate(zip(lower, AGE_BANDS, strict=True)):
            label = f"{lo:g}-{hi:g}" if math.isfinite(hi) else f"{lo:g}+"
            out.append({"band_months": label, "from_months": lo, "to_months": _clean(hi),
                        **mean_ci(self.age_profile_reps[:, j]).as_dict()})
        return out

    def procedures(self) -> list[dict[str, Any]]:
        """The by-procedure table: per procedure that had a case closed or pending in any
        replication (scenario order), its track (:func:`sim.model.tracks.procedure_tracks`), the
        within-limit rate of its closed cases and its overdue pending cases at the end, with 95 %
        intervals, and the closed and pending counts. Each rate is judged against the target of
        its track (``targets``: the verdict dicts of :meth:`targets`, by figure)."""
        from ..model.tracks import procedure_tracks

        if not self.procedure_reps:
            return []
        tracks = procedure_tracks(self.scenario)
        track_targets = self.targets()
        closed, pending = self.procedure_reps["closed"], self.procedure_reps["pending_end"]
        out = []
        for j, name in enumerate(self.scenario.procedures):
            if not (closed[:, j].any() or pending[:, j].any()):
                continue
            proc = self.scenario.procedures[name]
            tr = tracks[name]
            rate_st = mean_ci(self.procedure_values(name, "within_limit_rate"))
            over_st = mean_ci(self.procedure_values(name, "overdue_pending_end"))
            verdicts = {}
            for fig, st in (("within_limit_rate", rate_st), ("overdue_pending_end", over_st)):
                tgt = track_targets.get(f"{fig}_{tr}")
                if tgt is not None:
                    verdicts[fig] = {**target_verdict(st, tgt["target"], REGISTRY[fig].target_direction),
                                     "doubtful": tgt["doubtful"], "target_figure": f"{fig}_{tr}"}
            out.append({"procedure": name, "label_zh": proc.label_zh or name, "label_en": proc.label_en or name,
                        "track": tr, "closed": mean_ci(closed[:, j]).as_dict(),
                        "pending_end": mean_ci(pending[:, j]).as_dict(),
                        "within_limit_rate": rate_st.as_dict(), "overdue_pending_end": over_st.as_dict(),
                        "targets": verdicts})
        return out

    def procedure_values(self, procedure: str, figure: str) -> np.ndarray:
        """One procedure's ``within_limit_rate`` (NaN in a replication that closed none of its
        cases) or ``overdue_pending_end``, replication by replication (for paired differences)."""
        j = list(self.scenario.procedures).index(procedure)
        if figure == "overdue_pending_end":
            return self.procedure_reps["overdue_pending_end"][:, j].astype(float)
        if figure != "within_limit_rate":
            raise ValueError(f"no by-procedure figure {figure!r}")
        closed, within = self.procedure_reps["closed"][:, j], self.procedure_reps["within"][:, j]
        return np.divide(within, closed, out=np.full(len(closed), np.nan), where=closed > 0)

    def targets(self) -> dict[str, dict[str, Any]]:
        """Each figure with a target and its verdict (see :func:`target_verdict`)."""
        out = {}
        s = self.summary()
        # a team without judges, or saturated, makes "met" unreliable: say so, never silently
        doubtful = any(w["code"] in UNDERMINE_TARGETS for w in self.warnings)
        for name, target in self.scenario.targets.model_dump().items():
            if target is None or name not in s:
                continue
            out[name] = {**target_verdict(s[name], target, REGISTRY[name].target_direction), "doubtful": doubtful}
        return out

    def to_json_dict(self) -> dict[str, Any]:
        """The command line's JSON: scenario, seed, replications, summary, monthly, teams, ..."""
        monthly = []
        cis = {k: self.monthly(k) for k in FIGURES}
        for j, lab in enumerate(self.month_labels):
            row: dict[str, Any] = {"month": lab}
            for k in FIGURES:
                m, lo, hi = cis[k]
                row[k] = {"mean": _clean(m[j]), "ci_low": _clean(lo[j]), "ci_high": _clean(hi[j])}
            monthly.append(row)
        return {
            "scenario": self.scenario.name,
            "seed": self.seed,
            "replications": self.replications,
            "warnings": self.warnings,
            "summary": {k: v.as_dict() for k, v in self.summary().items()},
            "monthly": monthly,
            "teams": self.teams(),
            "age_profile_end": self.age_profile(),
            "procedures": self.procedures(),
            "targets": self.targets(),
            "staffing": self.staffing,
            "elapsed_seconds": round(self.elapsed_seconds, 3),
            "scenario_parameters": scenario_to_dict(self.scenario),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_json_dict(), ensure_ascii=False, indent=2)


#: the most replications a verdict's estimate asks for (the command line's --replications limit)
REPLICATIONS_CAP = 1000

VERDICTS = ("met", "missed", "undecided")


def target_verdict(stat: Stat, target: float, direction: str) -> dict[str, Any]:
    """Whether a figure meets its target: "met", "missed" or "undecided". The one verdict rule.

    - One replication: no interval, so the verdict is on the single value (``single_run``).
    - Several: "undecided" when the 95 % interval contains the target (the mean could sit on
      either side of it with other dice); otherwise the side the mean is on. An interval of
      width 0 (every replication alike) decides on the mean.
    - For "undecided", ``replications_needed`` is the total number of replications that would
      likely decide it: the half-width shrinks as 1/sqrt(n), so it falls below
      |mean − target| at about n·(half-width / |mean − target|)². Capped at
      :data:`REPLICATIONS_CAP` (``needed_capped``); None when the mean equals the target or
      the figure has no value (it cannot be decided by more replications).

    Returns the JSON-ready dict every surface reads: ``target``, ``direction`` (">=" or
    "<="), ``verdict``, ``met`` (verdict == "met", kept for older readers), ``replications``,
    ``single_run``, ``replications_needed``, ``needed_capped``.
    """
    if direction not in (">=", "<="):
        raise ValueError(f"direction must be '>=' or '<=', got {direction!r}")
    m, n = stat.mean, stat.n
    needed: Optional[int] = None
    capped = False
    if n == 0 or not math.isfinite(m):
        verdict = "undecided"  # no value (e.g. a rate of no closed cases): nothing to judge
    else:
        meets = m >= target if direction == ">=" else m <= target
        half = (stat.ci_high - stat.ci_low) / 2 if n >= 2 else float("nan")
        inside = math.isfinite(half) and half > 0 and stat.ci_low <= target <= stat.ci_high
        if not inside:
            verdict = "met" if meets else "missed"
        else:
            verdict = "undecided"
            gap = abs(m - target)
            if gap > 0:
                need = math.ceil(n * (half / gap) ** 2)
                capped = need > REPLICATIONS_CAP
                needed = min(max(need, n + 1), REPLICATIONS_CAP)
    return {"target": target, "direction": direction, "verdict": verdict, "met": verdict == "met",
            "replications": n, "single_run": n == 1, "replications_needed": needed, "needed_capped": capped}


def paired_difference(a: Results, b: Results, figure: str) -> Stat:
    """Mean and 95 % interval of (a − b) for a summary figure, paired by replication.

    Valid as common random numbers only when both ran with the same seed; raises otherwise.
    """
    if a.seed != b.seed:
        raise ValueError("paired differences need both scenarios run with the same seed")
    n = min(a.replications, b.replications)
    return mean_ci(a.summary_reps[figure][:n] - b.summary_reps[figure][:n])


def paired_difference_monthly(a: Results, b: Results, figure: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, ci_low, ci_high) by month of (a − b), paired by replication."""
    if a.seed != b.seed:
        raise ValueError("paired differences need both scenarios run with the same seed")
    n = min(a.replications, b.replications)
    return _ci_array(a.monthly_reps[figure][:n] - b.monthly_reps[figure][:n])


def unpaired_difference(a: Results, b: Results, figure: str) -> Stat:
    """Welch interval of (a − b), ignoring the pairing: what independent runs would give."""
    x, y = a.summary_reps[figure], b.summary_reps[figure]
    x, y = x[np.isfinite(x)], y[np.isfinite(y)]
    d = float(x.mean() - y.mean())
    vx, vy = x.var(ddof=1) / len(x), y.var(ddof=1) / len(y)
    se = math.sqrt(vx + vy)
    if se == 0:
        return Stat(d, d, d, min(len(x), len(y)))
    df = (vx + vy) ** 2 / ((vx ** 2) / (len(x) - 1) + (vy ** 2) / (len(y) - 1))
    h = float(stdtrit(df, 0.975)) * se
    return Stat(d, d - h, d + h, min(len(x), len(y)))
