"""The calibrated court as a scenario for what-ifs: from the month after the records, forward.

It starts on the first day after the export date (the first of the next month when the
export ends a month), with the cases still pending at the export date as its carried-over
caseload (their ages and overdue counts observed), the staffing of the last recorded month,
demand continuing with its fitted growth and profile, and every fitted value. It is a normal
scenario: validated by the loader, saved to the store, picked on the what-if page, in the
comparison and by the advisor.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from ..model.scenario import Scenario, load_yaml_text, dump_yaml
from .build import build_scenario, last_month_start
from .estimate import carried_over
from .fit import Fit
from .records import CaseImport

#: months the calibrated scenario runs for by default
FORECAST_MONTHS = 24


def _describe(fit: Fit, imp: CaseImport, lang: str) -> str:
    e = fit.estimates
    end = e.extra["export_date"].isoformat()
    start = e.start.isoformat()
    cases = len(imp.cases)
    if lang == "zh":
        return (f"由本院 {cases} 件案件记录（{start} 至 {end}）校准：收案水平、趋势和季节性、程序构成、简转普率、"
                f"调解撤诉率、扣除审限情形、旧存案件及其案龄、各团队逐月人员均取自记录；法官工时和送达等准备时间"
                f"由模拟拟合（以模板 {fit.template.name} 的庭审结构为基础）。起点为导出日之后，旧存为导出日时的未结案件。")
    return (f"Calibrated to {cases} case records of this court ({start} to {end}): filing level, trend and season, "
            f"procedure mix, conversion, settlement and withdrawal, excluded periods, the carried-over caseload with "
            f"its ages and each team's staffing by month come from the records; judge hours and preparation times "
            f"were fitted by simulation (on the hearing structure of the template {fit.template.name}). It starts "
            f"after the export date, with the cases pending then carried over.")


def forecast_scenario(fit: Fit, imp: CaseImport, months: int = FORECAST_MONTHS, name: Optional[str] = None,
                      replications: int = 20) -> Scenario:
    """The calibrated court from the day after the export, for ``months`` months (see the module)."""
    e = fit.estimates
    export = e.extra["export_date"]
    start = (export + dt.timedelta(days=1)).replace(day=1) if (export + dt.timedelta(days=1)).day == 1 else \
        export + dt.timedelta(days=1)
    carried = carried_over(imp.cases, start, fit.template.procedures)
    scn = build_scenario(e, fit.template, {k: p.value for k, p in fit.multipliers.items()},
                         name=name or "本院校准方案 (calibrated court)", start=start, months=months, carried=carried,
                         staffing_from=last_month_start(e), replications=replications,
                         description=_describe(fit, imp, "en"))
    scn = scn.model_copy(update={"description_zh": _describe(fit, imp, "zh"), "description_en": _describe(fit, imp, "en")})
    # through the normal loader: what is saved is exactly what loads back
    return load_yaml_text(dump_yaml(scn), own=True)


def fitted_swings(fit: Fit) -> dict[str, float]:
    """Relative steps for :func:`sim.analysis.sensitivity.sensitivity` from the fitted ranges:
    each assumption is moved by the half-width of its 95 % range relative to its value (judge
    effort: the wider of the two tracks'), within (0.01, 0.9)."""
    def rel(ps: list) -> Optional[float]:
        ws = [(p.high - p.low) / (2 * p.value) for p in ps if p.identified and p.low is not None and p.value > 0]
        return min(max(max(ws), 0.01), 0.9) if ws else None

    e = fit.estimates
    out = {"effort": rel([fit.multipliers["effort_simple"], fit.multipliers["effort_complex"]]),
           "demand": rel([e.filings_per_year]), "mediation_success": rel([e.mediation_success]),
           "settlement": rel(list(e.settlement.values()))}
    return {k: v for k, v in out.items() if v is not None}
