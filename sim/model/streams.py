"""Random streams and distributions.

One independent NumPy generator per source of randomness, spawned from
``SeedSequence(seed, spawn_key=(replication,))`` in a fixed order, so that the same stream
always feeds the same activity. Draws are made in blocks, indexed by dispute, and turned into
values by inverse CDFs of uniforms: two scenarios run with the same seed see the same
disputes with the same "luck" (common random numbers), and changing a mean moves every
case's value monotonically instead of reshuffling them.
"""
from __future__ import annotations

import numpy as np
from scipy import special

from .scenario import Distribution

STREAMS = (
    "arrivals",      # unit-rate Poisson process of disputes
    "mediation",     # offered?, success?, duration
    "case_type",     # type of each filing
    "triage",        # correctly routed?, converted?
    "effort",        # judge effort
    "waiting",       # procedural waiting
    "excluded",      # public notice?, appraisal?, appraisal length
    "settlement",    # settled or withdrawn?
    "initial",       # carried-over pending caseload
    "assignment",    # random assignment to a judge (随机分案)
    "hearings",      # settlement stage, adjournments and their gaps
)


def make_streams(seed: int, replication: int) -> dict[str, np.random.Generator]:
    """Independent generators, one per name in :data:`STREAMS`, for one replication."""
    root = np.random.SeedSequence(entropy=seed, spawn_key=(replication,))
    children = root.spawn(len(STREAMS))
    return {name: np.random.Generator(np.random.PCG64(ss)) for name, ss in zip(STREAMS, children, strict=True)}


def inverse_cdf(dist: Distribution, u: np.ndarray) -> np.ndarray:
    """Values of ``dist`` at uniform quantiles ``u`` in (0, 1)."""
    u = np.asarray(u, dtype=float)
    m = dist.mean
    if dist.dist == "deterministic" or m == 0:
        return np.full(u.shape, float(m))
    if dist.dist == "exponential":
        return -m * np.log1p(-u)
    cv = dist.cv
    if cv == 0:
        return np.full(u.shape, float(m))
    if dist.dist == "lognormal":
        s2 = np.log1p(cv * cv)
        mu = np.log(m) - s2 / 2
        return np.exp(mu + np.sqrt(s2) * special.ndtri(u))
    if dist.dist == "gamma":
        k = 1.0 / (cv * cv)
        return special.gammaincinv(k, u) * (m / k)
    raise ValueError(f"unknown distribution {dist.dist!r}")


def uniforms(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` uniforms in the open interval (0, 1)."""
    u = rng.random(n)
    # rng.random is in [0, 1); 0 would give an infinite lognormal/gamma quantile at the low end
    return np.where(u <= 0.0, np.finfo(float).tiny, u)
