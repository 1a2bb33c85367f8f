"""The reduced model is an M/M/c queue: it must match Erlang C.

One team, exponential effort, Poisson filings, FIFO, a seven-day working week, no mediation,
no procedural waiting, a warm-up: mean wait, utilisation and mean queue length must fall within
the simulation's confidence interval of the formulas, over team sizes and loads up to 0.9.

Fifteen checks at 95 % would miss one in twenty by chance alone, so each check uses the 99 %
interval; seeds are fixed, so the test is reproducible.
"""
from __future__ import annotations

import math

import pytest

from helpers import scenario
from sim.analysis.results import mean_ci
from sim.analysis.runner import run


def erlang_c(c: int, lam: float, mu: float) -> tuple[float, float, float]:
    """(probability of waiting, mean wait Wq, utilisation) of an M/M/c queue."""
    a = lam / mu
    rho = a / c
    top = a ** c / math.factorial(c) / (1 - rho)
    pw = top / (sum(a ** k / math.factorial(k) for k in range(c)) + top)
    return pw, pw / (c * mu - lam), rho


def test_erlang_c_formula_by_hand() -> None:
    # M/M/1: P(wait) = rho, Wq = rho / (mu - lam)
    pw, wq, rho = erlang_c(1, 0.5, 1.0)
    assert pw == pytest.approx(0.5) and wq == pytest.approx(1.0) and rho == 0.5
    # M/M/2 at a = 1: C = (1/2 * 1/(1 - 1/2)) / (1 + 1 + 1) = 1/3, Wq = (1/3) / (2 - 1)
    pw, wq, _ = erlang_c(2, 1.0, 1.0)
    assert pw == pytest.approx(1 / 3) and wq == pytest.approx(1 / 3)


# (judges, load). Mean effort 8 h at 8 h a day: mu = 1 case per judge-day.
CASES = [(1, 0.5), (2, 0.75), (4, 0.8), (6, 0.9), (10, 0.7)]


@pytest.mark.parametrize("judges,load", CASES)
def test_mmc_matches_erlang_c(judges: int, load: float) -> None:
    lam = load * judges  # cases per day
    horizon = 36 if load >= 0.9 else 24
    scn = scenario("mmc-check", **{
        "teams.0.judges": judges,
        "demand.disputes_per_year": lam * 365.25,
        "horizon_months": horizon,
        "warmup_days": 365 if load >= 0.9 else 120,
    })
    res = run(scn, replications=30, seed=2025, workers=2)
    s = res.summary()
    _, wq, rho = erlang_c(judges, lam, 1.0)
    lq = lam * wq

    for name, expected in (("wait_days_mean", wq), ("judge_utilisation", rho), ("queue_avg", lq)):
        st = mean_ci(res.summary_reps[name], level=0.99)
        assert st.ci_low <= expected <= st.ci_high, (
            f"{name}: Erlang C {expected:.4f} outside the 99% interval [{st.ci_low:.4f}, {st.ci_high:.4f}] "
            f"(c={judges}, load={load})")
    # and the interval is tight enough for the check to mean something
    assert s["wait_days_mean"].ci_high - s["wait_days_mean"].ci_low < max(0.25 * wq, 0.05)
    assert s["judge_utilisation"].ci_high - s["judge_utilisation"].ci_low < 0.03
