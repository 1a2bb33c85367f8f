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

from . import catalogue
from .figure_format import figure_name, figure_value

# generic path -> how its values are written; the words (zh, en) are the catalogue's section "fields"
_KINDS: dict[str, str] = {
    "name": "text",
    "name_zh": "text",
    "name_en": "text",
    "description": "text",
    "description_zh": "text",
    "description_en": "text",
    "start_date": "date",
    "horizon_months": "num",
    "warmup_days": "num",
    "seed": "num",
    "replications": "num",
    "demand.disputes_per_year": "num",
    "demand.filings": "recorded_filings",
    "demand.monthly_profile": "list",
    "demand.annual_growth": "pct",
    "demand.year_end_freeze_from_day": "opt_num",
    "mediation.share_offered": "pct",
    "mediation.success_rate": "pct",
    "mediation.duration.dist": "dist",
    "mediation.duration.mean": "num",
    "mediation.duration.cv": "num",
    "mediation.max_days": "num",
    "mediation.mediators": "opt_num",
    "case_types.*.name": "text",
    "case_types.*.label_zh": "text",
    "case_types.*.label_en": "text",
    "case_types.*.share": "pct",
    "case_types.*.track": "track",
    "case_types.*.procedure": "text",
    "case_types.*.effort.dist": "dist",
    "case_types.*.effort.mean": "num",
    "case_types.*.effort.cv": "num",
    "case_types.*.waiting.dist": "dist",
    "case_types.*.waiting.mean": "num",
    "case_types.*.waiting.cv": "num",
    "case_types.*.settlement_rate": "pct",
    "case_types.*.settlement_effort_factor": "pct",
    "case_types.*.public_notice_rate": "pct",
    "case_types.*.appraisal_rate": "pct",
    "triage.accuracy": "pct",
    "triage.conversion_rate": "pct",
    "triage.misrouted_conversion_rate": "pct",
    "triage.conversion_effort_share": "pct",
    "procedures.*.label_zh": "text",
    "procedures.*.label_en": "text",
    "procedures.*.limit_months": "num",
    "procedures.*.limit_days": "num",
    "procedures.*.extension_months": "num",
    "procedures.*.extension_days": "num",
    "excluded.public_notice_days": "num",
    "excluded.appraisal.dist": "dist",
    "excluded.appraisal.mean": "num",
    "excluded.appraisal.cv": "num",
    "teams.*.name": "text",
    "teams.*.track": "track",
    "teams.*.judges": "num",
    "teams.*.assistants": "num",
    "teams.*.clerks": "num",
    "teams.*.changes": "changes",
    "support.max_reduction": "pct",
    "support.assistant_weight": "num",
    "support.clerk_weight": "num",
    "support.scale": "num",
    "calendar.hours_per_day": "num",
    "calendar.working_weekdays": "weekdays",
    "calendar.public_holidays": "holidays",
    "calendar.holidays": "list",
    "calendar.extra_working_days": "list",
    "calendar.push_months": "months",
    "calendar.push_factor": "num",
    "assignment": "assignment",
    "queue_discipline": "queue",
    "initial_pending.simple": "num",
    "initial_pending.complex": "num",
    "initial_pending.age_profile": "age_profile",
    "initial_pending.groups": "pending_groups",
    "initial_pending.cases": "open_cases",
    "long_pending_months": "num",
    "docket.mode": "docket",
    "docket.specialised": "yes_no",
    "docket.hand_over": "hand_over",
    "hearings.slots_per_week": "num",
    "hearings.slot_hours": "num",
    "hearings.notice_days": "num",
    "hearings.adjournment_gap_days.dist": "dist",
    "hearings.adjournment_gap_days.mean": "num",
    "hearings.adjournment_gap_days.cv": "num",
    "hearings.settle_before_hearing": "pct",
    "hearings.panel_hours": "num",
    "hearings.clerk_extra_slots": "num",
    "hearings.clerk_service_cut": "pct",
    "hearings.assistant_evidence_cut": "pct",
    "hearings.procedures.*.service_days.dist": "dist",
    "hearings.procedures.*.service_days.mean": "num",
    "hearings.procedures.*.service_days.cv": "num",
    "hearings.procedures.*.answer_days": "num",
    "hearings.procedures.*.evidence_days": "num",
    "hearings.procedures.*.cases_per_slot": "num",
    "hearings.procedures.*.adjournment_rate": "pct",
    "hearings.procedures.*.max_hearings": "num",
    "hearings.procedures.*.panel": "yes_no",
}
_LABELS = catalogue.pairs("fields")
FIELDS: dict[str, tuple[str, str, str]] = {path: (*_LABELS[path], kind) for path, kind in _KINDS.items()}
for _fig in ("within_limit_rate", "within_limit_rate_simple", "within_limit_rate_complex", "clearance_rate",
             "long_pending_end", "overdue_pending_end", "overdue_pending_end_simple", "overdue_pending_end_complex",
             "pending_end", "disposition_days_mean", "mediation_resolution_share"):
    FIELDS[f"targets.{_fig}"] = ("", "", "target")

SECTIONS: dict[str, tuple[str, str]] = catalogue.pairs("field_sections")

WORDS: dict[str, dict[str, dict[str, str]]] = catalogue.nested_by_lang("field_words")

TEXT: dict[str, dict[str, str]] = catalogue.by_lang("field_text")
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
