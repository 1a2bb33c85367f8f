"""What every period's figures of one replication share: per-case derived arrays, and the month
each case's (and job's, and dispute's) times fall in.

Periods are as :mod:`sim.model.figures` defines them: filed in [a, b) when ``a <= file_t < b``,
closed when ``a < end_t <= b``, pending at b when ``file_t < b < end_t``. The month indices are
found with the same comparisons (``searchsorted``), so a month's mask is one comparison.
"""
from __future__ import annotations

import numpy as np

from .caseflow import Records
from .prepared import Prepared


class CaseTimes:
    """Per-case arrays derived once per replication and shared by every period's figures."""

    def __init__(self, p: Prepared, r: Records):
        self.file_t = r.file_t
        self.end_t = r.end_t
        self.fday = np.floor(r.file_t)
        idx = np.clip(self.fday.astype(np.int64) - p.first_filing_day, 0, p.allowed_base.shape[1] - 1)
        self.base = p.allowed_base[r.proc, idx]
        self.ext = np.where(p.proc_has_ext[r.proc], p.allowed_ext[r.proc, idx], self.base)
        self.has_ext = p.proc_has_ext[r.proc]
        # the per-track figures' split (sim.model.tracks): True for a simple-track case
        self.simple = p.proc_track[r.proc] == 0
        closed = np.isfinite(r.end_t)
        self.closed = closed
        cday = np.where(closed, np.ceil(np.where(closed, r.end_t, 1)) - 1, np.nan)
        self.disp = cday - self.fday
        self.clock = self.disp - r.excluded
        self.excluded = r.excluded
        # the reported month each time falls in (-1 before the first, len(edges) - 1 after the
        # last), by the same comparisons as the period definitions above, so a month's masks
        # are one comparison each and are shared by every figure that needs them
        edges = p.month_edges
        self.edges = edges
        self.file_m = np.searchsorted(edges, r.file_t, "right") - 1       # a <= file_t < b
        self.end_m = np.searchsorted(edges, r.end_t, "left") - 1          # a < end_t <= b
        self.start_m = np.searchsorted(edges, r.job_start_t, "right") - 1
        self.arrival_m = np.searchsorted(edges, r.arrival_t, "right") - 1
        self.mediation_end_m = np.searchsorted(edges, r.mediation_end_t, "right") - 1
        self._pending: dict[int, np.ndarray] = {}

    def pending(self, k: int) -> np.ndarray:
        """Cases pending at month edge ``k`` (``file_t < edges[k] < end_t``)."""
        m = self._pending.get(k)
        if m is None:
            m = self._pending[k] = (self.file_m < k) & (self.end_m >= k)
        return m


def in_months(ix: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Which entries of a month index fall in months ``lo`` to ``hi - 1``."""
    return (ix == lo) if hi == lo + 1 else ((ix >= lo) & (ix < hi))
