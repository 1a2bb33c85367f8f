"""What the records show directly: demand, procedure mix, conversion, early endings, excluded
periods and the carried-over caseload, each with a 95 % range.

- **Demand** by month: a Poisson regression (log link, offset log days in the month) of the
  monthly filings on a linear trend and calendar-month effects (and a step in level where the
  records show one: the best month for it, kept when the likelihood ratio is far beyond
  chance, so that a new level is used rather than averaged with the old), with the overdispersion
  (Pearson χ² / degrees of freedom, at least 1) widening the covariance. Ranges come from
  400 draws of the coefficients from their asymptotic normal distribution. Batch filings (days
  flagged by :func:`sim.calibration.quality.detect_batches`) are taken out before the fit, so
  they do not bend the trend, and their volume is added back spread evenly over the year.
  With fewer than 13 full months the trend cannot be told from the season: growth is fixed at 0
  and marked unidentified; with fewer than 12 the profile is flat and unidentified too.
- **Shares** (procedure mix, conversion, settlement/withdrawal, public notice and appraisal)
  are binomial proportions with Wilson 95 % intervals. Early endings and excluded periods are
  counted over cases filed at least a year before the export where there are enough (a
  settlement closes faster and an appraisal or notice service slower, so among recent cases
  the closed ones over-represent the first and under-represent the others: censoring again).
- **The carried-over caseload** at a date is observed, not estimated: the cases filed before
  it and still open then, with their exact ages and whether each was past its limit.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional, Sequence

import numpy as np

from ..model.rules import allowed_days, has_extension
from ..model.scenario import Procedure, add_months, default_procedures
from .quality import BatchDay
from .records import Case

SIMPLE_TRACK = ("small_claims", "simple")
#: upper age edges (months) offered for the carried-over caseload's bands
AGE_EDGES = (1, 2, 3, 6, 12, 24, 36, 60, 120)
#: early endings are closing methods counted as settlement or withdrawal (调解 / 撤诉)
EARLY_ENDINGS = ("mediation", "withdrawal")
Z95 = 1.959964


def _round6(x: Optional[float]) -> Optional[float]:
    """A number for JSON, rounded to 6 places (None stays None)."""
    return None if x is None else round(float(x), 6)


@dataclass
class Param:
    """One estimated or fitted parameter, with its 95 % range and how it was obtained.

    ``method``: "observed" (counted exactly), "poisson" (the demand regression), "binomial"
    (a proportion), "simulation" (simulation-based fit, see :mod:`.fit`), "staffing" (the
    staffing table) or "template" (not in the data: the template scenario's value).
    ``identified`` is False when the data leave the parameter flat (its range is the whole
    search interval or it was not estimable at all).
    """

    key: str
    value: float
    low: Optional[float] = None
    high: Optional[float] = None
    method: str = "observed"
    identified: bool = True
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "value": _round6(self.value), "low": _round6(self.low),
                "high": _round6(self.high),
                "method": self.method, "identified": self.identified, **({"params": self.params} if self.params else {})}


def wilson(k: float, n: int) -> tuple[float, float, float]:
    """Proportion k/n and its Wilson 95 % interval ((0, 0, 1) for n = 0)."""
    if n <= 0:
        return 0.0, 0.0, 1.0
    p = k / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return p, max(0.0, centre - half), min(1.0, centre + half)


def share_param(key: str, k: float, n: int, **params: Any) -> Param:
    """A :class:`Param` for a proportion (unidentified when there is no case to count)."""
    p, lo, hi = wilson(k, n)
    return Param(key, p, lo, hi, "binomial", identified=n > 0, params={"count": k, "of": n, **params})


def original_procedure(c: Case) -> str:
    """The procedure a case was filed under (a 简转普 case started under simple procedure)."""
    return "simple" if c.converted else c.procedure


def track_of(procedure: str) -> str:
    """simple for small claims and simple procedure, complex for every other procedure."""
    return "simple" if procedure in SIMPLE_TRACK else "complex"


# --- demand ----------------------------------------------------------------------------------

@dataclass
class Demand:
    """Filings per year at the start date, growth, monthly profile (mean 1), a step in level
    (a factor from ``step_date`` on, or None), batch volume, and draws of them all from the
    regression's uncertainty (for the forecast's bands)."""

    filings_per_year: Param
    growth: Param
    profile: list[Param]
    batch_cases: int = 0
    batch_days: int = 0
    months_used: int = 0
    overdispersion: float = 1.0
    step: Optional[Param] = None
    step_date: Optional[dt.date] = None
    draws: list[dict[str, Any]] = field(default_factory=list)

    def draw(self, k: int) -> Optional[dict[str, Any]]:
        """The ``k``-th draw (cycling), or None without draws."""
        return self.draws[k % len(self.draws)] if self.draws else None


def _month_start(d: dt.date) -> dt.date:
    return dt.date(d.year, d.month, 1)


def fit_demand(cases: Sequence[Case], start: dt.date, end: dt.date, batches: Sequence[BatchDay] = (),
               draws: int = 400, seed: int = 1) -> Demand:
    """Poisson regression of monthly filings in the full months of [start, end] (see the module)."""
    months: list[dt.date] = []
    m = _month_start(start)
    while add_months(m, 1) - dt.timedelta(days=1) <= end:
        months.append(m)
        m = add_months(m, 1)
    index = {(d.year, d.month): i for i, d in enumerate(months)}
    y = np.zeros(len(months))
    for c in cases:
        i = index.get((c.filing.year, c.filing.month))
        if i is not None and c.filing >= start:
            y[i] += 1
    batch_excess = 0.0
    batch_days = 0
    for b in batches:
        i = index.get((b.date.year, b.date.month))
        if i is not None:
            extra = max(0.0, b.filed - b.expected)
            y[i] -= extra
            batch_excess += extra
            batch_days += 1
    return demand_from_counts(months, np.maximum(y, 0.0), start, end, batch_excess, batch_days, draws, seed)


def demand_from_counts(months: Sequence[dt.date], y: np.ndarray, start: dt.date, end: dt.date,
                       batch_excess: float = 0.0, batch_days: int = 0, draws: int = 400, seed: int = 1) -> Demand:
    """The demand regression (see the module) on monthly filings ``y`` of the months starting on
    ``months`` (from case records, or a court's monthly table alone)."""
    months = list(months)
    y = np.asarray(y, dtype=float)
    n = len(months)
    if n == 0 or y.sum() == 0:
        flat = [Param(f"demand.monthly_profile.{k}", 1.0, method="template", identified=False) for k in range(12)]
        return Demand(Param("filings_per_year", 0.0, 0.0, 0.0, "poisson", False), Param("growth", 0.0, method="template",
                      identified=False), flat, months_used=n)
    days = np.array([(add_months(d, 1) - d).days for d in months], dtype=float)
    t = np.array([((d - start).days + dd / 2) / 365.25 for d, dd in zip(months, days, strict=True)])
    cal = np.array([d.month - 1 for d in months])
    seen = sorted(set(cal.tolist()))
    with_season = n >= 12 and len(seen) == 12
    with_trend = n >= 13
    season_cols = seen[1:] if with_season else []
    offset = np.log(days)

    def design(trend: bool, step: Optional[int]) -> np.ndarray:
        cols = [np.ones(n)] + ([t] if trend else []) + [(cal == k).astype(float) for k in season_cols]
        if step is not None:
            cols.append((np.arange(n) >= step).astype(float))
        return np.column_stack(cols)

    X = design(with_trend, None)
    beta, mu = _poisson_glm(X, y, offset)
    step_at = None
    if n >= 2 * STEP_MIN_MONTHS:  # a step in level (a new source of filings, a rule change)?
        found = _step_search(y, offset, design, with_trend, np.ones(n, dtype=bool))
        if found is not None:
            # a step with the trend a year from either end is nearly the season (the trend's
            # rise and the step's fall cancel in every calendar month but one): it can fit one
            # odd month. A step is kept only when the records without the month the model
            # without a step misses most still show it, in the same place (give or take a month)
            worst = int(np.argmax(_unit_deviance(y, mu)))
            keep = np.arange(n) != worst
            again = _step_search(y, offset, design, with_trend, keep)
            if again is not None and abs(again[0] - found[0]) <= 1 and again[1] == found[1]:
                step_at, with_trend = found
                X = design(with_trend, step_at)
                beta, mu = _poisson_glm(X, y, offset)
    dof = max(n - X.shape[1], 1)
    phi = max(1.0, float(((y - mu) ** 2 / mu).sum() / dof)) if n > X.shape[1] else 1.0
    cov = phi * np.linalg.inv((X.T * mu) @ X + 1e-9 * np.eye(X.shape[1]))
    rng = np.random.default_rng(seed)
    B = np.vstack([beta, rng.multivariate_normal(beta, cov, size=draws, method="eigh")])
    years = (end - start).days / 365.25 if end > start else 1.0

    def derived(b: np.ndarray) -> tuple[float, float, np.ndarray, float]:
        prof = np.ones(12)
        if with_season:
            for j, k in enumerate(season_cols):
                prof[k] = math.exp(b[(2 if with_trend else 1) + j])
        g = math.exp(b[1]) - 1 if with_trend else 0.0
        per_day = math.exp(b[0])  # in January-equivalent units at the start date
        yearly = per_day * 365.25 * prof.mean() + batch_excess / years
        return yearly, g, prof / prof.mean(), (math.exp(b[-1]) if step_at is not None else 1.0)

    vals = [derived(b) for b in B]
    yearly = np.array([v[0] for v in vals])
    growth = np.array([v[1] for v in vals])
    profs = np.vstack([v[2] for v in vals])
    steps = np.array([v[3] for v in vals])
    lo, hi = 2.5, 97.5
    fp = Param("filings_per_year", yearly[0], *np.percentile(yearly[1:], [lo, hi]), "poisson")
    gp = Param("demand.annual_growth", growth[0], *np.percentile(growth[1:], [lo, hi]), "poisson") if with_trend else \
        Param("demand.annual_growth", 0.0, method="template", identified=False,
              params={"with_step": True} if step_at is not None else {})
    pp = [Param(f"demand.monthly_profile.{k}", profs[0, k], *np.percentile(profs[1:, k], [lo, hi]), "poisson")
          if with_season else Param(f"demand.monthly_profile.{k}", 1.0, method="template", identified=False)
          for k in range(12)]
    sp = None
    if step_at is not None:
        sp = Param("demand.step", steps[0], *np.percentile(steps[1:], [lo, hi]), "poisson",
                   params={"from": months[step_at].isoformat()})
    out = [{"filings_per_year": float(yearly[i]), "growth": float(growth[i]), "profile": profs[i].tolist(),
            "step": float(steps[i])} for i in range(1, len(B))]
    return Demand(fp, gp, pp, batch_cases=int(round(batch_excess)), batch_days=batch_days, months_used=n,
                  overdispersion=phi, step=sp, step_date=months[step_at] if step_at is not None else None, draws=out)


#: a step in the filing level is looked for with at least this many months on each side ...
STEP_MIN_MONTHS = 4
#: ... and kept when it lowers the information criterion (deviance over the overdispersion,
#: plus log(months) per coefficient) by more than this: far beyond chance for the best of some
#: twenty places
STEP_LR = 10.0
#: ... and it moves the level by at least this much (a smaller one is lost in the season)
STEP_MIN = 0.05


def _poisson_glm(X: np.ndarray, y: np.ndarray, offset: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients and fitted means of a Poisson regression with log link (IRLS)."""
    beta = np.zeros(X.shape[1])
    beta[0] = math.log(max(y.sum(), 1.0) / np.exp(offset).sum())
    for _ in range(50):
        eta = X @ beta + offset
        mu = np.exp(eta)
        z = eta - offset + (y - mu) / mu
        XtW = X.T * mu
        new = np.linalg.solve(XtW @ X + 1e-9 * np.eye(X.shape[1]), XtW @ z)
        done = np.max(np.abs(new - beta)) < 1e-10
        beta = new
        if done:
            break
    return beta, np.exp(X @ beta + offset)


def _unit_deviance(y: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """Each month's share of the Poisson deviance."""
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(y > 0, y * np.log(y / mu), 0.0)
    return 2 * (term - (y - mu))


def _deviance(y: np.ndarray, mu: np.ndarray) -> float:
    return float(_unit_deviance(y, mu).sum())


def _step_search(y: np.ndarray, offset: np.ndarray, design: Callable[[bool, Optional[int]], np.ndarray],
                 with_trend: bool, keep: np.ndarray) -> Optional[tuple[int, bool]]:
    """The best month for a step in level, with the trend and without it, over the months ``keep``:
    (month index, with the trend) when it lowers the information criterion by more than
    :data:`STEP_LR` and changes the level by at least :data:`STEP_MIN`; else None. Two years
    of records cannot tell a step up from a year's growth with a step down a year later: the
    simpler account (the step alone) is taken (Bayesian information criterion)."""
    n = int(keep.sum())
    yk, ok = y[keep], offset[keep]
    X0 = design(with_trend, None)[keep]
    _b0, mu0 = _poisson_glm(X0, yk, ok)
    cands = []
    for k in range(STEP_MIN_MONTHS, len(y) - STEP_MIN_MONTHS + 1):
        for trend in ((True, False) if with_trend else (False,)):
            Xs = design(trend, k)[keep]
            b, m = _poisson_glm(Xs, yk, ok)
            cands.append((_deviance(yk, m), Xs.shape[1], k, trend, b, m))
    if not cands:
        return None
    d_best = min(cands, key=lambda c: c[0])
    # the overdispersion left by the best model with a step (a step left out inflates it)
    phi1 = max(1.0, float(((yk - d_best[5]) ** 2 / d_best[5]).sum() / max(n - d_best[1], 1)))
    bic = [c[0] / phi1 + c[1] * math.log(n) for c in cands]
    j = int(np.argmin(bic))
    base = _deviance(yk, mu0) / phi1 + X0.shape[1] * math.log(n)
    if base - bic[j] > STEP_LR and abs(math.exp(cands[j][4][-1]) - 1) >= STEP_MIN:
        return cands[j][2], cands[j][3]
    return None


# --- shares ----------------------------------------------------------------------------------

def procedure_mix(filed: Sequence[Case]) -> dict[str, Param]:
    """Share of filings by original procedure. A converted case's record says 简转普, not whether
    it began under small claims or simple procedure; the model converts both alike, so the
    converted cases are shared between them in proportion to the cases of each that were not
    converted (all to simple procedure when there are none). Counted as simple procedure
    alone, they made the simple track look heavier than it was, and its judge time fit low."""
    n = len(filed)
    counts: dict[str, float] = {}
    for c in filed:
        if not c.converted:
            counts[c.procedure] = counts.get(c.procedure, 0) + 1
    converted = sum(c.converted for c in filed)
    if converted:
        plain = {p: counts.get(p, 0) for p in SIMPLE_TRACK}
        total = sum(plain.values())
        for p in SIMPLE_TRACK:
            share = plain[p] / total if total else float(p == "simple")
            if share:
                counts[p] = counts.get(p, 0) + converted * share
    return {p: share_param(f"case_types.{p}.share", k, n) for p, k in sorted(counts.items())}


def conversion(filed: Sequence[Case], export_date: Optional[dt.date] = None,
               settles_first: Optional[Mapping[str, float]] = None, min_cases: int = 50) -> Param:
    """The model's conversion rate (简转普) of simple-track filings, from the ones the records show.

    A case is converted at its first hearing, so the records show it only once it had one: the
    share is counted over the simple-track cases filed at least a year before the export (when
    there are ``min_cases``; ``export_date`` None: over all of them), nearly all heard by then.
    The model draws which cases would convert, and one that settles or is withdrawn before its
    hearing never does: ``settles_first`` gives, per simple-track procedure, the probability
    of that (its settlement rate × the share of settlements made in preparation), and the
    share converted is divided by one less their mean over the counted cases, range and all.
    """
    simple = [c for c in filed if track_of(original_procedure(c)) == "simple"]
    old = [c for c in simple if export_date is not None and c.filing <= export_date - dt.timedelta(days=365)]
    use = old if len(old) >= min_cases else simple
    k = sum(c.converted for c in use)
    p = share_param("triage.conversion_rate", k, len(use), old_only=use is old)
    first = sum((settles_first or {}).get(original_procedure(c), 0.0) for c in use) / max(len(use), 1)
    if first <= 0.0:
        return p
    reach = 1.0 - first
    return Param(p.key, min(p.value / reach, 1.0), min(p.low / reach, 1.0), min(p.high / reach, 1.0), p.method,
                 p.identified, params={**p.params, "settled_before_hearing": round(first, 4)})


def settled_cases(cases: Sequence[Case], procedure: str, export_date: dt.date, min_cases: int = 50
                  ) -> tuple[list[Case], bool]:
    """A procedure's closed cases to count a closing's kind over, and whether they are only the
    old ones: those filed at least a year before the export when at least ``min_cases`` such
    cases have closed, else all its closed cases. A case that ended early (a settlement) closes
    sooner and one with an appraisal or notice service later, so among recent filings the closed
    ones over-represent the first and under-represent the second: censoring at the export."""
    cut = export_date - dt.timedelta(days=365)
    mine = [c for c in cases if original_procedure(c) == procedure and c.closing is not None]
    old = [c for c in mine if c.filing <= cut]
    return (old, True) if len(old) >= min_cases else (mine, False)


def early_endings(cases: Sequence[Case], export_date: dt.date, min_cases: int = 50) -> dict[str, Param]:
    """Share of closed cases that ended by settlement or withdrawal, per original procedure,
    over the cases :func:`settled_cases` gives (of those with a closing method)."""
    out = {}
    for p in sorted({original_procedure(c) for c in cases}):
        use, old_only = settled_cases([c for c in cases if c.closing_method], p, export_date, min_cases)
        out[p] = share_param(f"case_types.{p}.settlement_rate", sum(c.closing_method in EARLY_ENDINGS for c in use),
                             len(use), old_only=old_only)
    return out


def excluded_rates(cases: Sequence[Case], notice_days: float, export_date: dt.date, min_cases: int = 50
                   ) -> dict[str, tuple[Param, Param]]:
    """Per original procedure, the share of closed cases with public-notice service (excluded
    days equal to the notice period) and with an appraisal (any other excluded days), over the
    cases :func:`settled_cases` gives: both hold a case open for months, so among recent
    filings few of them have closed yet."""
    out = {}
    for p in sorted({original_procedure(c) for c in cases}):
        closed, old_only = settled_cases(cases, p, export_date, min_cases)
        pn = sum(abs(c.excluded_days - notice_days) <= 1 for c in closed)
        ap = sum(c.excluded_days > 0 and abs(c.excluded_days - notice_days) > 1 for c in closed)
        out[p] = (share_param(f"case_types.{p}.public_notice_rate", pn, len(closed), old_only=old_only),
                  share_param(f"case_types.{p}.appraisal_rate", ap, len(closed), old_only=old_only))
    return out


# --- the carried-over caseload ---------------------------------------------------------------

@dataclass
class CarriedOver:
    """Cases open at the start of a day, by track and procedure, with ages and overdue counts."""

    date: dt.date
    by_track: dict[str, int]
    groups: list[dict[str, Any]]    # {track, procedure, share, overdue, age_profile: [{max_months, share}]}
    total: int = 0


def carried_over(cases: Sequence[Case], on: dt.date, procedures: Optional[Mapping[str, Procedure]] = None
                 ) -> CarriedOver:
    """The cases filed before ``on`` and not closed before it (the engine's 旧存 at ``on``)."""
    procs = dict(procedures or default_procedures())
    open_ = [c for c in cases if c.filing < on and (c.closing is None or c.closing >= on)]
    by_proc: dict[str, list[Case]] = {}
    for c in open_:
        by_proc.setdefault(c.governing_procedure, []).append(c)
    by_track = {"simple": 0, "complex": 0}
    for p, cs in by_proc.items():
        by_track[track_of(p)] += len(cs)
    groups = []
    last = on - dt.timedelta(days=1)
    for p, cs in sorted(by_proc.items()):
        track = track_of(p)
        ages = np.array([(on - c.filing).days / 30.4375 for c in cs])
        edges = [e for e in AGE_EDGES if e < ages.max()] + [next((e for e in AGE_EDGES if e >= ages.max()),
                                                                  float(math.ceil(ages.max())))]
        counts = np.histogram(ages, bins=[0.0] + [float(e) for e in edges])[0]
        bands = [{"max_months": float(e), "share": float(k) / len(cs)} for e, k in zip(edges, counts, strict=True) if k > 0]
        total = sum(b["share"] for b in bands)
        bands[-1]["share"] += 1.0 - total  # exact sum after rounding
        proc = procs.get(p)
        overdue = 0
        if proc is not None:
            ext = has_extension(proc)
            overdue = sum((last - c.filing).days - c.excluded_days > allowed_days(c.filing, proc, ext) for c in cs)
        groups.append({"track": track, "procedure": p, "share": len(cs) / by_track[track], "overdue": int(overdue),
                       "age_profile": bands})
    return CarriedOver(date=on, by_track=by_track, groups=groups, total=len(open_))


def truncate(cases: Sequence[Case], export_date: dt.date) -> list[Case]:
    """The records as they would have been exported on ``export_date``: later filings dropped,
    later closings not yet known (pending, so censored)."""
    import copy

    out = []
    for c in cases:
        if c.filing > export_date:
            continue
        if c.closing is not None and c.closing > export_date:
            c = copy.copy(c)
            c.closing = None
            c.closing_method = None
        out.append(c)
    return out
