"""The calibrated court as a scenario for what-ifs: the court as it stood at the export, forward.

It starts on the first day after the export date (the first of the next month when the
export ends a month), with the cases open at the export each on its judge's docket (their
filing dates, procedures and excluded days from the records), the judges in post at the
export (a judge whose new cases had stopped has left; the staffing table's last month when
there is one), demand continuing with its fitted level, growth, season and any step, and
every fitted value (a value the data leave open at the template's value inside its range,
said so in the description with its range). A fit that failed the quality gate
(:mod:`.gate`) says so first in the description. It is a normal scenario: validated by the
loader, saved to the store, picked on the what-if page, in the comparison and by the advisor.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from ..model.scenario import Scenario, dump_yaml, load_yaml_text
from ..vocabulary.calibration_text import gate_text, open_values_text
from .build import build_scenario
from .fit import Fit
from .gate import Gate
from .records import CaseImport
from .state import state_on

#: months the calibrated scenario runs for by default
FORECAST_MONTHS = 24


def origin_after(export: dt.date) -> dt.date:
    """The first day of the forecast: the day after the export (the next month's first day
    when the export ends a month)."""
    return export + dt.timedelta(days=1)


def _describe(fit: Fit, imp: Optional[CaseImport], lang: str, gate: Optional[Gate]) -> str:
    e = fit.estimates
    end = e.extra["export_date"].isoformat()
    start = e.start.isoformat()
    lead = (gate_text(lang, gate) + " ") if gate is not None and not gate.ok else ""
    opened = open_values_text(lang, fit)
    if imp is None:  # monthly totals only
        if lang == "zh":
            return (f"{lead}由本院逐月汇总数（{start} 至 {end}，收案、结案、未结及人员）校准：收案水平、趋势和季节性取自"
                    f"收案数，法官工时由人手不足月份的结案数拟合，旧存取自未结数；程序构成和旧存案件的案龄分布无法得知，"
                    f"按模板 {fit.template.name} 假定。{opened}")
        return (f"{lead}Calibrated to this court's monthly totals ({start} to {end}: filed, closed, pending and "
                f"staffing): filing level, trend and season from the filings, judge time from the closings of the "
                f"months short of judges, the carried-over caseload from the pending count; the procedure mix and "
                f"the ages of the carried-over cases are not known and are assumed from the template "
                f"{fit.template.name}. {opened}")
    cases = len(imp.cases)
    if lang == "zh":
        return (f"{lead}由本院 {cases} 件案件记录（{start} 至 {end}）校准：收案水平、趋势和季节性、程序构成、简转普率、"
                f"调解撤诉率、扣除审限情形、各团队逐月法官人数均取自记录；法官工时和送达等准备时间由模拟拟合"
                f"（以模板 {fit.template.name} 的庭审结构为基础）。起点为导出日之后：导出日时的每一件未结案件都在其承办"
                f"法官名下，法官为导出日在岗的法官。{opened}")
    return (f"{lead}Calibrated to {cases} case records of this court ({start} to {end}): filing level, trend and "
            f"season, procedure mix, conversion, settlement and withdrawal, excluded periods and each team's judges "
            f"by month come from the records; judge hours and preparation times were fitted by simulation (on the "
            f"hearing structure of the template {fit.template.name}). It starts after the export date with every "
            f"case open then on its presiding judge's docket, and the judges in post at the export. {opened}")


def forecast_scenario(fit: Fit, imp: Optional[CaseImport], months: int = FORECAST_MONTHS, name: Optional[str] = None,
                      replications: int = 20, gate: Optional[Gate] = None) -> Scenario:
    """The calibrated court from the day after the export, for ``months`` months (see the module)."""
    e = fit.estimates
    export = e.extra["export_date"]
    start = origin_after(export)
    state = state_on(e, imp.cases if imp is not None else [], start, fit.template.procedures)
    scn = build_scenario(e, fit.template, fit.values(), name=name or "本院校准方案 (calibrated court)", start=start,
                         months=months, state=state, hold_staffing=True, replications=replications,
                         description=_describe(fit, imp, "en", gate))
    scn = scn.model_copy(update={"description_zh": _describe(fit, imp, "zh", gate),
                                 "description_en": _describe(fit, imp, "en", gate)})
    # through the normal loader: what is saved is exactly what loads back
    return load_yaml_text(dump_yaml(scn), own=True)


def fitted_swings(fit: Fit) -> dict[str, float]:
    """Relative steps for :func:`sim.analysis.sensitivity.sensitivity` from the fitted ranges:
    each assumption is moved by the half-width of its 95 % range relative to its value (judge
    effort: the wider of the two tracks'), within (0.01, 0.9)."""
    def rel(ps: list) -> Optional[float]:
        ws = [(p.high - p.low) / (2 * p.value) for p in ps if p.low is not None and p.value > 0]
        return min(max(max(ws), 0.01), 0.9) if ws else None

    e = fit.estimates
    out = {"effort": rel([fit.multipliers["effort_simple"], fit.multipliers["effort_complex"]]),
           "demand": rel([e.filings_per_year]), "mediation_success": rel([e.mediation_success]),
           "settlement": rel(list(e.settlement.values()))}
    return {k: v for k, v in out.items() if v is not None}
