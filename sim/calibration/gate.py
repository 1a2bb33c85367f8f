"""The quality gate: whether a calibrated court is fit to be used as "our court".

A fit is **far off** when

- the fitted court does not reproduce its own records: χ² per degree of freedom above
  :data:`MAX_CHI2_PER_DOF` (at 1 the differences are what chance gives; a few times that is
  the usual overdispersion of a court's months; far above it, a month's closings or the
  disposition times are missed systematically), or
- out of sample, its forecast of the pending caseload or of the closings is much worse than
  the best naive forecast: a mean absolute percentage error above :data:`MAX_NAIVE_RATIO`
  times the best naive one's and above :data:`MIN_MAPE` (so that two excellent forecasts
  are not called poor because one is slightly less excellent).

A far-off fit is labelled so on the page, on the command line and in the scenario's
description, and saving it as the court's scenario needs the user's explicit confirmation
(the page's check box, ``calibrate --accept-poor-fit``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Optional

MAX_CHI2_PER_DOF = 5.0
MAX_NAIVE_RATIO = 1.5
MIN_MAPE = 0.10
#: out-of-sample figures the gate looks at
GATED = ("pending_end", "closed")


@dataclass
class Gate:
    """The verdict and its reasons (codes with parameters; words in the calibration text)."""

    ok: bool
    reasons: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "reasons": self.reasons}


def judge(fit: Any, oos: Optional[Any] = None) -> Gate:
    """The gate for ``fit`` (and its out-of-sample check ``oos``, when made)."""
    reasons = []
    chi = fit.chi2_per_dof
    if not math.isfinite(chi) or chi > MAX_CHI2_PER_DOF:
        reasons.append({"code": "gate_chi2", "params": {"chi2": round(fit.loss, 1), "dof": fit.degrees_of_freedom,
                                                        "ratio": round(chi, 1), "limit": MAX_CHI2_PER_DOF}})
    if oos is not None:
        for fig in GATED:
            d = oos.naive.get(fig)
            if not d or d["best_naive"] is None:
                continue
            model = d["scores"]["model"]["mape"]
            best = d["scores"][d["best_naive"]]["mape"]
            if math.isfinite(model) and model > MIN_MAPE and model > MAX_NAIVE_RATIO * best:
                reasons.append({"code": "gate_naive", "params": {"figure": fig, "model": model, "naive": best,
                                                                 "which": d["best_naive"]}})
    return Gate(ok=not reasons, reasons=reasons)
