"""Every scenario field in words, Chinese and English: the catalogue behind "what differs".

A field is named by its *generic* path: list items and mapping entries are ``*``
(``teams.*.judges``, ``case_types.*.effort.mean``, ``procedures.*.limit_months``). Each entry
gives the Chinese and English label and the *kind* of value, which says how a value is written
(a fraction as a percentage, a date, a choice in words...). Targets take their names and
formats from the figure registry (:mod:`sim.figure_format`).

``tests/test_compare.py`` checks that every field of the scenario schema has an entry here, so
a new field cannot show up in a comparison as a raw key.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

from .figure_format import figure_name, figure_value

# generic path -> (zh, en, kind)
FIELDS: dict[str, tuple[str, str, str]] = {
    "name": ("方案名称", "Scenario name", "text"),
    "name_zh": ("方案名称（中文）", "Scenario name (Chinese)", "text"),
    "name_en": ("方案名称（英文）", "Scenario name (English)", "text"),
    "description": ("方案说明", "Description", "text"),
    "description_zh": ("方案说明（中文）", "Description (Chinese)", "text"),
    "description_en": ("方案说明（英文）", "Description (English)", "text"),
    "start_date": ("模拟开始日期", "Start date", "date"),
    "horizon_months": ("模拟期（月）", "Horizon (months)", "num"),
    "warmup_days": ("预热期（天，不计入结果）", "Warm-up (days, not reported)", "num"),
    "seed": ("随机种子", "Random seed", "num"),
    "replications": ("重复模拟次数", "Replications", "num"),
    "demand.disputes_per_year": ("每年诉至法院纠纷数（件/年）", "Disputes brought to the court per year", "num"),
    "demand.filings": ("按记录重放的收案", "Recorded filings replayed", "recorded_filings"),
    "demand.monthly_profile": ("各月收案权重（1 月至 12 月）", "Monthly filing weights (January to December)", "list"),
    "demand.annual_growth": ("纠纷量年增长率", "Yearly growth of disputes", "pct"),
    "demand.year_end_freeze_from_day": ("年底不收案起始日（12 月）", "Year-end filing freeze from (December)",
                                        "opt_num"),
    "mediation.share_offered": ("诉前调解分流率", "Mediation diversion rate", "pct"),
    "mediation.success_rate": ("诉前调解成功率", "Mediation success rate", "pct"),
    "mediation.duration.dist": ("诉前调解用时的分布", "Distribution of mediation time", "dist"),
    "mediation.duration.mean": ("诉前调解平均用时（天）", "Mean mediation time (days)", "num"),
    "mediation.duration.cv": ("调解用时变异系数", "Variation of mediation time (CV)", "num"),
    "mediation.max_days": ("诉前调解期限（天）", "Mediation period (days)", "num"),
    "mediation.mediators": ("可同时开展的调解数", "Mediations at once", "opt_num"),
    "case_types.*.name": ("名称", "Name", "text"),
    "case_types.*.label_zh": ("中文名称", "Chinese name", "text"),
    "case_types.*.label_en": ("英文名称", "English name", "text"),
    "case_types.*.share": ("占立案比例", "Share of filings", "pct"),
    "case_types.*.track": ("所属通道", "Track", "track"),
    "case_types.*.procedure": ("适用程序", "Procedure", "text"),
    "case_types.*.effort.dist": ("法官工时的分布", "Distribution of judge hours", "dist"),
    "case_types.*.effort.mean": ("每案法官工时（小时）", "Judge hours per case", "num"),
    "case_types.*.effort.cv": ("工时变异系数", "Variation of judge hours (CV)", "num"),
    "case_types.*.waiting.dist": ("程序等待时间的分布", "Distribution of procedural waiting", "dist"),
    "case_types.*.waiting.mean": ("程序等待（天）", "Procedural waiting (days)", "num"),
    "case_types.*.waiting.cv": ("等待时间变异系数", "Variation of waiting (CV)", "num"),
    "case_types.*.settlement_rate": ("调解撤诉率", "Settled or withdrawn", "pct"),
    "case_types.*.settlement_effort_factor": ("调撤案件工时占比", "Effort of a settled case", "pct"),
    "case_types.*.public_notice_rate": ("公告送达比例", "Public-notice service", "pct"),
    "case_types.*.appraisal_rate": ("鉴定比例", "Appraisal", "pct"),
    "triage.accuracy": ("分流准确率", "Triage accuracy", "pct"),
    "triage.conversion_rate": ("简转普比例", "Conversion to ordinary procedure", "pct"),
    "triage.misrouted_conversion_rate": ("误分繁案的简转普比例", "Conversion of misrouted complex cases", "pct"),
    "triage.conversion_effort_share": ("转换前已耗工作量", "Effort spent before conversion", "pct"),
    "procedures.*.label_zh": ("中文名称", "Chinese name", "text"),
    "procedures.*.label_en": ("英文名称", "English name", "text"),
    "procedures.*.limit_months": ("审限（月）", "Limit (months)", "num"),
    "procedures.*.limit_days": ("审限另加（天）", "Limit, extra days", "num"),
    "procedures.*.extension_months": ("经批准可延长（月）", "Approved extension (months)", "num"),
    "procedures.*.extension_days": ("经批准可延长（天）", "Approved extension (days)", "num"),
    "excluded.public_notice_days": ("公告送达期（天）", "Public-notice period (days)", "num"),
    "excluded.appraisal.dist": ("鉴定用时的分布", "Distribution of appraisal time", "dist"),
    "excluded.appraisal.mean": ("鉴定平均用时（天）", "Mean appraisal time (days)", "num"),
    "excluded.appraisal.cv": ("鉴定用时变异系数", "Variation of appraisal time (CV)", "num"),
    "teams.*.name": ("团队名称", "Team name", "text"),
    "teams.*.track": ("类别", "Track", "track"),
    "teams.*.judges": ("员额法官", "Quota judges", "num"),
    "teams.*.assistants": ("法官助理", "Judge assistants", "num"),
    "teams.*.clerks": ("书记员", "Clerks", "num"),
    "teams.*.changes": ("人员变动", "Staffing change", "changes"),
    "support.max_reduction": ("辅助人员最多可减少的法官工时", "Largest cut in judge hours by support staff", "pct"),
    "support.assistant_weight": ("法官助理的作用权重", "Weight of a judge assistant", "num"),
    "support.clerk_weight": ("书记员的作用权重", "Weight of a clerk", "num"),
    "support.scale": ("辅助人员配比尺度（人/法官）", "Support scale (staff per judge)", "num"),
    "calendar.hours_per_day": ("法官每日办案工时（小时）", "Judge case hours per working day", "num"),
    "calendar.working_weekdays": ("工作日", "Working days", "weekdays"),
    "calendar.public_holidays": ("法定节假日", "Public holidays", "holidays"),
    "calendar.holidays": ("另加休息日", "Further days off", "list"),
    "calendar.extra_working_days": ("另加上班日（调休等）", "Further days worked (swapped weekend days...)", "list"),
    "calendar.push_months": ("集中结案月份", "Closing-push months", "months"),
    "calendar.push_factor": ("冲刺月份产能倍数", "Capacity in push months (×)", "num"),
    "assignment": ("分案方式", "Case assignment", "assignment"),
    "queue_discipline": ("办案顺序", "Work order", "queue"),
    "initial_pending.simple": ("简案旧存（件）", "Carried-over simple cases", "num"),
    "initial_pending.complex": ("繁案旧存（件）", "Carried-over complex cases", "num"),
    "initial_pending.age_profile": ("旧存案件的案龄分布", "Age of the carried-over cases", "age_profile"),
    "initial_pending.groups": ("旧存案件按程序分组", "Carried-over cases by procedure", "pending_groups"),
    "initial_pending.cases": ("逐件列出的旧存案件", "Carried-over cases listed one by one", "open_cases"),
    "long_pending_months": ("长期未结界限（月）", "Long-pending threshold (months)", "num"),
    "docket.mode": ("分案到法官", "Cases to judges", "docket"),
    "docket.specialised": ("专业分案（法官按案件类型）", "Judges specialise by case type", "yes_no"),
    "docket.hand_over": ("法官离岗时案件移交", "Hand-over when a judge leaves", "hand_over"),
    "hearings.slots_per_week": ("每名法官每周庭审时段", "Hearing slots per judge a week", "num"),
    "hearings.slot_hours": ("每个庭审时段占用工时（小时）", "Judge hours per hearing slot", "num"),
    "hearings.notice_days": ("开庭传票提前天数", "Summons notice (days)", "num"),
    "hearings.adjournment_gap_days.dist": ("延期后再次开庭间隔的分布", "Distribution of the gap after an adjournment", "dist"),
    "hearings.adjournment_gap_days.mean": ("延期后再次开庭平均间隔（天）", "Mean gap after an adjournment (days)", "num"),
    "hearings.adjournment_gap_days.cv": ("延期间隔变异系数", "Variation of the adjournment gap (CV)", "num"),
    "hearings.settle_before_hearing": ("开庭前调撤的比例", "Settlements before the first hearing", "pct"),
    "hearings.panel_hours": ("合议庭其他成员每次开庭工时", "Other panel members' hours per hearing", "num"),
    "hearings.clerk_extra_slots": ("每名书记员增加的庭审时段（每周）", "Extra slots a week per clerk", "num"),
    "hearings.clerk_service_cut": ("书记员缩短送达时间的比例", "Service time saved by clerks", "pct"),
    "hearings.assistant_evidence_cut": ("法官助理缩短举证期的比例", "Evidence period saved by assistants", "pct"),
    "hearings.procedures.*.service_days.dist": ("送达用时的分布", "Distribution of service time", "dist"),
    "hearings.procedures.*.service_days.mean": ("送达平均用时（天）", "Mean service time (days)", "num"),
    "hearings.procedures.*.service_days.cv": ("送达用时变异系数", "Variation of service time (CV)", "num"),
    "hearings.procedures.*.answer_days": ("答辩期（天）", "Answer period (days)", "num"),
    "hearings.procedures.*.evidence_days": ("举证期（天）", "Evidence period (days)", "num"),
    "hearings.procedures.*.cases_per_slot": ("每个时段审理案件数", "Cases heard per slot", "num"),
    "hearings.procedures.*.adjournment_rate": ("延期开庭概率", "Chance of an adjournment", "pct"),
    "hearings.procedures.*.max_hearings": ("每案最多开庭次数", "Most hearings per case", "num"),
    "hearings.procedures.*.panel": ("合议庭审理", "Heard by a panel", "yes_no"),
}
for _fig in ("within_limit_rate", "within_limit_rate_simple", "within_limit_rate_complex", "clearance_rate",
             "long_pending_end", "overdue_pending_end", "overdue_pending_end_simple", "overdue_pending_end_complex",
             "pending_end", "disposition_days_mean", "mediation_resolution_share"):
    FIELDS[f"targets.{_fig}"] = ("", "", "target")

# groups of the comparison: section (first part of the path) -> (zh, en)
SECTIONS: dict[str, tuple[str, str]] = {
    "": ("运行设置", "Run settings"),
    "demand": ("案件来源", "Demand"),
    "mediation": ("诉前调解", "Pre-filing mediation"),
    "triage": ("繁简分流", "Triage"),
    "policy": ("分案与办案顺序", "Assignment and work order"),
    "initial_pending": ("旧存案件", "Carried-over caseload"),
    "targets": ("目标", "Targets"),
    "excluded": ("不计入审限的期间", "Periods outside the time limit"),
    "calendar": ("工作日历", "Working calendar"),
    "docket": ("分案到法官", "Cases to judges"),
    "hearings": ("开庭与排期", "Hearings and the hearing calendar"),
    "support": ("辅助人员的作用", "Effect of support staff"),
}

WORDS: dict[str, dict[str, dict[str, str]]] = {
    "zh": {
        "track": {"simple": "简案", "complex": "繁案"},
        "dist": {"lognormal": "对数正态", "gamma": "伽马", "exponential": "指数", "deterministic": "固定值"},
        "assignment": {"rotation": "轮案", "least_loaded": "均衡分案"},
        "queue": {"fifo": "先到先办", "edf": "审限先到期者先办"},
        "holidays": {"china": "中国法定节假日及调休", "none": "无（只按工作日）"},
        "docket": {"pooled": "团队共同办理（不分到法官）", "rotation": "轮案", "random": "随机分案",
                   "lightest": "分给在办案件最少的法官"},
        "hand_over": {"lightest": "移交在办案件最少的法官", "rotation": "依次移交"},
        "yes_no": {"True": "是", "False": "否"},
    },
    "en": {
        "track": {"simple": "simple", "complex": "complex"},
        "dist": {"lognormal": "lognormal", "gamma": "gamma", "exponential": "exponential", "deterministic": "fixed"},
        "assignment": {"rotation": "rotation", "least_loaded": "least loaded"},
        "queue": {"fifo": "first come, first served", "edf": "earliest deadline first"},
        "holidays": {"china": "China's public holidays and swapped days", "none": "none (working weekdays only)"},
        "docket": {"pooled": "the team as one queue", "rotation": "in turn", "random": "at random",
                   "lightest": "to the judge with the fewest open cases"},
        "hand_over": {"lightest": "to the lightest docket", "rotation": "in turn"},
        "yes_no": {"True": "yes", "False": "no"},
    },
}

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "none": "无", "unlimited": "不限", "no_team": "（无此团队）", "no_change": "（无此变动）",
        "no_item": "（无）", "yes": "有", "in_plan": "方案中有此项", "count": "共 {n} 项", "added": "增加 {items}", "removed": "去掉 {items}",
        "team": "团队“{name}”", "case_type": "案件类型“{name}”", "procedure": "程序“{name}”",
        "target": "目标：{figure}", "team_summary": "{track}，{judges} 名法官、{assistants} 名助理、{clerks} 名书记员",
        "change_when": "人员变动（{when}）", "from": "{start} 起", "from_to": "{start} 至 {end}",
        "change_staff": "{role} {n:+d}", "ramp": "新法官 {m} 个月达到满负荷（首日 {s}）",
        "roles.judges": "法官", "roles.assistants": "助理", "roles.clerks": "书记员",
        "weekday": "周{d}", "month": "{m}月", "age_band": "≤{m} 个月 {share}", "sep": "、", "clause": "；",
        "note": "（{note}）", "no_staff": "人员不变",
        "pending_group": "{track}·{procedure} {share}（已超审限 {overdue} 件）",
        "open_cases": "{n} 件（{judges} 名法官名下）",
    },
    "en": {
        "none": "none", "unlimited": "unlimited", "no_team": "(no such team)", "no_change": "(no such change)",
        "no_item": "(none)", "yes": "yes", "in_plan": "In the plan", "count": "{n} items", "added": "adds {items}", "removed": "drops {items}",
        "team": "Team “{name}”", "case_type": "Case type “{name}”", "procedure": "Procedure “{name}”",
        "target": "Target: {figure}",
        "team_summary": "{track}, {judges} judges, {assistants} assistants, {clerks} clerks",
        "change_when": "Staffing change ({when})", "from": "from {start}", "from_to": "{start} to {end}",
        "change_staff": "{role} {n:+d}", "ramp": "new judges reach full speed in {m} months ({s} on day one)",
        "roles.judges": "judges", "roles.assistants": "assistants", "roles.clerks": "clerks",
        "weekday": "{d}", "month": "{m}", "age_band": "≤{m} months {share}", "sep": ", ", "clause": "; ",
        "note": " ({note})", "no_staff": "no change in staff",
        "pending_group": "{track}, {procedure} {share} ({overdue} overdue)",
        "open_cases": "{n} cases (on {judges} judges' dockets)",
    },
}
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAYS_ZH = "一二三四五六日"
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: a list longer than this is written as its changes against the reference
LONG_LIST = 12


def text(lang: str, key: str, **kw: Any) -> str:
    """A phrase of this catalogue in ``lang`` (English for an unknown language)."""
    s = TEXT.get(lang, TEXT["en"])[key]
    return s.format(**kw) if kw else s


def generic(path: str) -> str:
    """``teams.2.judges`` -> ``teams.*.judges``; ``procedures.simple.limit_months`` ->
    ``procedures.*.limit_months``."""
    parts = path.split(".")
    if parts[0] in ("teams", "case_types", "procedures") and len(parts) > 1:
        parts[1] = "*"
    if parts[:2] == ["hearings", "procedures"] and len(parts) > 2:  # hearings.procedures.ordinary.answer_days
        parts[2] = "*"
    return ".".join(parts)


def kind_of(path: str) -> str:
    """How values of the field at ``path`` are written (``text`` for a field not catalogued)."""
    entry = FIELDS.get(generic(path))
    return entry[2] if entry else "text"


def label(lang: str, path: str) -> str:
    """The field's name in words (without the team, case type or procedure it belongs to)."""
    g = generic(path)
    if g.startswith("targets."):
        return text(lang, "target", figure=figure_name(lang, g.split(".", 1)[1]))
    entry = FIELDS.get(g)
    if entry is None:  # a field newer than this catalogue: its last part in words, never a dotted key
        return path.rsplit(".", 1)[-1].replace("_", " ")
    return entry[0] if lang == "zh" else entry[1]


def _number(v: float) -> str:
    if float(v) == int(v) and abs(v) < 1e15:
        return f"{int(v):,}"
    return f"{float(v):,.4g}" if abs(v) >= 1 else f"{float(v):.4g}"


def _pct(v: float) -> str:
    return f"{100 * float(v):.4g}%"


def value_text(lang: str, path: str, v: Any) -> str:
    """A scenario value of the field at ``path`` in words (never ``None`` or a raw structure)."""
    kind = kind_of(path)
    words = WORDS.get(lang, WORDS["en"])
    if v is None:
        if kind == "opt_num" and path.endswith("mediators"):
            return text(lang, "unlimited")
        return text(lang, "none")
    if kind == "target":
        return figure_value(lang, path.split(".", 1)[1], float(v))
    if kind == "pct" and isinstance(v, (int, float)):
        return _pct(v)
    if kind in ("num", "opt_num") and isinstance(v, (int, float)) and not isinstance(v, bool):
        return _number(v) if math.isfinite(float(v)) else str(v)
    if kind in ("track", "dist", "assignment", "queue", "holidays", "docket", "hand_over", "yes_no"):
        return words[kind].get(str(v), str(v))
    if kind == "pending_groups" and isinstance(v, list):
        return text(lang, "clause").join(
            text(lang, "pending_group", track=words["track"].get(str(g.get("track")), g.get("track")),
                 procedure=g.get("procedure"), share=_pct(g.get("share") or 0), overdue=_number(g.get("overdue") or 0))
            for g in v) or text(lang, "none")
    if kind == "open_cases" and isinstance(v, list):
        judges = {(g.get("team"), g.get("judge")) for g in v if g.get("judge")}
        return text(lang, "open_cases", n=_number(sum(len(g.get("filed") or ()) for g in v)),
                    judges=_number(len(judges))) if v else text(lang, "none")
    if kind == "recorded_filings" and isinstance(v, list):
        return text(lang, "count", n=_number(sum(len(g.get("filed") or ()) for g in v))) if v else text(lang, "none")
    if kind == "weekdays" and isinstance(v, list):
        return text(lang, "sep").join(_weekday(lang, int(d)) for d in v) or text(lang, "none")
    if kind == "months" and isinstance(v, list):
        return text(lang, "sep").join(_month(lang, int(m)) for m in v) or text(lang, "none")
    if kind == "age_profile" and isinstance(v, list):
        return text(lang, "clause").join(text(lang, "age_band", m=_number(b["max_months"]), share=_pct(b["share"]))
                                         for b in v) or text(lang, "none")
    if isinstance(v, list):
        return text(lang, "sep").join(_item(x) for x in v) or text(lang, "none")
    if isinstance(v, dict):  # not expected: sub-fields are compared one by one
        return text(lang, "clause").join(f"{label(lang, f'{path}.{k}')} {value_text(lang, f'{path}.{k}', x)}"
                                         for k, x in v.items())
    return _item(v)


def _item(x: Any) -> str:
    if isinstance(x, (dt.date, dt.datetime)):
        return x.isoformat()
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, (int, float)):
        return _number(x)
    return str(x)


def _weekday(lang: str, d: int) -> str:
    if lang == "zh":
        return text(lang, "weekday", d=_WEEKDAYS_ZH[d - 1] if 1 <= d <= 7 else d)
    return _WEEKDAYS_EN[d - 1] if 1 <= d <= 7 else str(d)


def _month(lang: str, m: int) -> str:
    if lang == "zh":
        return text(lang, "month", m=m)
    return _MONTHS_EN[m - 1] if 1 <= m <= 12 else str(m)


def list_change_text(lang: str, path: str, value: list, reference: list) -> str:
    """A long list written as what it adds to and drops from the reference's."""
    added = [x for x in value if x not in reference]
    removed = [x for x in reference if x not in value]
    parts = []
    if added:
        parts.append(text(lang, "added", items=value_text(lang, path, added)))
    if removed:
        parts.append(text(lang, "removed", items=value_text(lang, path, removed)))
    return text(lang, "clause").join(parts) or value_text(lang, path, value)


def change_when(lang: str, ch: dict) -> str:
    """'2025-03-01 起' / '2025-03-01 至 2025-08-31': when a dated staffing change applies."""
    start = _item(ch.get("start"))
    end = ch.get("end")
    return text(lang, "from", start=start) if end is None else text(lang, "from_to", start=start, end=_item(end))


def change_text(lang: str, ch: dict) -> str:
    """One dated staffing change in words: 'judges −1, assistants +2 (seconded …)'."""
    parts = [text(lang, "change_staff", role=text(lang, f"roles.{r}"), n=int(ch.get(r) or 0))
             for r in ("judges", "assistants", "clerks") if int(ch.get(r) or 0)]
    out = text(lang, "sep").join(parts).replace(" -", " −") or text(lang, "no_staff")
    if int(ch.get("judges") or 0) > 0 and float(ch.get("ramp_up_months") or 0) > 0:
        out += text(lang, "clause") + text(lang, "ramp", m=_number(float(ch["ramp_up_months"])),
                                           s=_pct(float(ch.get("ramp_start_share") or 0.5)))
    if ch.get("note"):
        out += text(lang, "note", note=ch["note"])
    return out


def team_summary(lang: str, team: dict) -> str:
    """'简案，4 名法官、2 名助理、3 名书记员'."""
    return text(lang, "team_summary", track=WORDS.get(lang, WORDS["en"])["track"].get(team["track"], team["track"]),
                judges=team["judges"], assistants=team["assistants"], clerks=team["clerks"])


def section_title(lang: str, section: str) -> str:
    """The name of a group of fields that belong to no team, case type or procedure."""
    zh, en = SECTIONS.get(section, SECTIONS[""])
    return zh if lang == "zh" else en
