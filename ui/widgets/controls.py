"""Sidebar controls as data: which widget edits which scenario field, in which unit.

Each control has a stable widget key. The plan's values, in the units the controls show, live
in one object in the session (:mod:`ui.widgets.plan`), which is built from a scenario's plain data and
back through the conversions here, then goes through ``sim.model.scenario.scenario_from_dict``.
Keeping this mapping in one table lets validation errors (dotted field paths) be shown next to
the control that edits the field.
"""
from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Optional

from sim.model.errors import FieldError

Path = tuple  # of str | int

# session-state keys that are not widgets
LOADED = "_loaded_data"       # plain data of the scenario as loaded (the comparison reference)
LOAD_GEN = "_load_gen"        # bumped on every load, so fixed-row editors start afresh

TEAM_FIELDS = ("name", "track", "judges", "assistants", "clerks")
STAFF_ROLES = ("judges", "assistants", "clerks")
KEEP_TOTALS = "keep_totals"   # toggle: moving staff into a team takes them from the others
TAKE_FROM = "take_from"       # where they come from: PROPORTIONAL or a team's index
PROPORTIONAL = "proportional"


@dataclass(frozen=True)
class Spec:
    """One control.

    kind: int | float | pct (fraction shown as %) | opt_int | opt_float | opt_pct (None allowed)
          | select | multiselect | date | dates_text | bool
    widget: number | slider | select | multiselect | date | text_area | toggle
    label: i18n key stem (``ctl.<label>`` and ``ctl.<label>.help``)
    """

    key: str
    path: Path
    kind: str
    label: str
    widget: str = "number"
    min: Any = None
    max: Any = None
    step: Any = None
    options: tuple = ()
    group: str = ""
    label_kw: dict = field(default_factory=dict)

    @property
    def dotted(self) -> str:
        return ".".join(str(p) for p in self.path)


def _pct(key, path, label, group, lo=0.0, hi=100.0, step=1.0, widget="slider") -> Spec:
    return Spec(key, path, "pct", label, widget, lo, hi, step, group=group)


DISTS = ("lognormal", "gamma", "exponential", "deterministic")


def specs_for(data: dict) -> list[Spec]:
    """Every control for a scenario's plain data (case types and procedures vary in number)."""
    s: list[Spec] = [
        Spec("disputes_per_year", ("demand", "disputes_per_year"), "int", "disputes_per_year", "number", 0, 500_000, 100, group="demand"),
        Spec("annual_growth", ("demand", "annual_growth"), "pct", "annual_growth", "number", -50.0, 100.0, 1.0, group="demand"),
        Spec("freeze_day", ("demand", "year_end_freeze_from_day"), "opt_int", "freeze_day", "number", 1, 31, 1, group="demand"),
        _pct("med_share", ("mediation", "share_offered"), "med_share", "mediation"),
        _pct("med_success", ("mediation", "success_rate"), "med_success", "mediation"),
        Spec("med_mediators", ("mediation", "mediators"), "opt_int", "med_mediators", "number", 1, 2000, 1, group="mediation"),
        Spec("med_max_days", ("mediation", "max_days"), "int", "med_max_days", "number", 1, 365, 1, group="mediation"),
        _pct("triage_accuracy", ("triage", "accuracy"), "triage_accuracy", "triage"),
        _pct("conversion_rate", ("triage", "conversion_rate"), "conversion_rate", "triage", step=0.5),
        _pct("misrouted_conversion_rate", ("triage", "misrouted_conversion_rate"), "misrouted_conversion_rate", "triage"),
        _pct("conversion_effort_share", ("triage", "conversion_effort_share"), "conversion_effort_share", "triage"),
        Spec("assignment", ("assignment",), "select", "assignment", "select", options=("rotation", "least_loaded"), group="policy"),
        Spec("queue_discipline", ("queue_discipline",), "select", "queue_discipline", "select", options=("fifo", "edf"), group="policy"),
        Spec("init_simple", ("initial_pending", "simple"), "int", "init_simple", "number", 0, 200_000, 50, group="pending"),
        Spec("init_complex", ("initial_pending", "complex"), "int", "init_complex", "number", 0, 200_000, 50, group="pending"),
        Spec("long_pending_months", ("long_pending_months",), "int", "long_pending_months", "number", 1, 60, 1, group="pending"),
        Spec("tgt_within_limit_rate", ("targets", "within_limit_rate"), "opt_pct", "tgt_within_limit_rate", "number", 0.0, 100.0, 0.5, group="targets"),
        Spec("tgt_within_limit_rate_simple", ("targets", "within_limit_rate_simple"), "opt_pct", "tgt_within_limit_rate_simple", "number", 0.0, 100.0, 0.5, group="targets"),
        Spec("tgt_within_limit_rate_complex", ("targets", "within_limit_rate_complex"), "opt_pct", "tgt_within_limit_rate_complex", "number", 0.0, 100.0, 0.5, group="targets"),
        Spec("tgt_clearance_rate", ("targets", "clearance_rate"), "opt_pct", "tgt_clearance_rate", "number", 0.0, 500.0, 1.0, group="targets"),
        Spec("tgt_long_pending_end", ("targets", "long_pending_end"), "opt_float", "tgt_long_pending_end", "number", 0.0, 1e6, 1.0, group="targets"),
        Spec("tgt_overdue_pending_end", ("targets", "overdue_pending_end"), "opt_float", "tgt_overdue_pending_end", "number", 0.0, 1e6, 1.0, group="targets"),
        Spec("tgt_overdue_pending_end_simple", ("targets", "overdue_pending_end_simple"), "opt_float", "tgt_overdue_pending_end_simple", "number", 0.0, 1e6, 1.0, group="targets"),
        Spec("tgt_overdue_pending_end_complex", ("targets", "overdue_pending_end_complex"), "opt_float", "tgt_overdue_pending_end_complex", "number", 0.0, 1e6, 1.0, group="targets"),
        Spec("tgt_pending_end", ("targets", "pending_end"), "opt_float", "tgt_pending_end", "number", 0.0, 1e6, 10.0, group="targets"),
        Spec("tgt_disposition_days_mean", ("targets", "disposition_days_mean"), "opt_float", "tgt_disposition_days_mean", "number", 0.0, 3650.0, 1.0, group="targets"),
        Spec("tgt_mediation_resolution_share", ("targets", "mediation_resolution_share"), "opt_pct", "tgt_mediation_resolution_share", "number", 0.0, 100.0, 0.5, group="targets"),
        Spec("start_date", ("start_date",), "date", "start_date", "date", group="run"),
        Spec("horizon_months", ("horizon_months",), "int", "horizon_months", "number", 1, 120, 1, group="run"),
        Spec("replications", ("replications",), "int", "replications", "number", 1, 200, 1, group="run"),
        Spec("seed", ("seed",), "int", "seed", "number", 0, 2**53 - 1, 1, group="run"),
        # advanced: durations
        Spec("med_dur_mean", ("mediation", "duration", "mean"), "float", "med_dur_mean", "number", 0.0, 365.0, 1.0, group="durations"),
        Spec("med_dur_cv", ("mediation", "duration", "cv"), "float", "med_dur_cv", "number", 0.0, 10.0, 0.1, group="durations"),
        Spec("appr_mean", ("excluded", "appraisal", "mean"), "float", "appr_mean", "number", 0.0, 3650.0, 5.0, group="durations"),
        Spec("appr_cv", ("excluded", "appraisal", "cv"), "float", "appr_cv", "number", 0.0, 10.0, 0.1, group="durations"),
        Spec("public_notice_days", ("excluded", "public_notice_days"), "float", "public_notice_days", "number", 0.0, 365.0, 1.0, group="durations"),
        # advanced: calendar
        Spec("cal_hours", ("calendar", "hours_per_day"), "float", "cal_hours", "number", 0.5, 16.0, 0.5, group="calendar"),
        Spec("cal_weekdays", ("calendar", "working_weekdays"), "multiselect", "cal_weekdays", "multiselect", options=tuple(range(1, 8)), group="calendar"),
        Spec("cal_push_months", ("calendar", "push_months"), "multiselect", "cal_push_months", "multiselect", options=tuple(range(1, 13)), group="calendar"),
        Spec("cal_push_factor", ("calendar", "push_factor"), "float", "cal_push_factor", "number", 1.0, 2.0, 0.05, group="calendar"),
        Spec("cal_holidays", ("calendar", "holidays"), "dates_text", "cal_holidays", "text_area", group="calendar"),
        # advanced: support staff
        _pct("sup_max_reduction", ("support", "max_reduction"), "sup_max_reduction", "support", 0.0, 90.0),
        Spec("sup_assistant_weight", ("support", "assistant_weight"), "float", "sup_assistant_weight", "number", 0.0, 5.0, 0.1, group="support"),
        Spec("sup_clerk_weight", ("support", "clerk_weight"), "float", "sup_clerk_weight", "number", 0.0, 5.0, 0.1, group="support"),
        Spec("sup_scale", ("support", "scale"), "float", "sup_scale", "number", 0.1, 20.0, 0.1, group="support"),
    ]
    s += _docket_specs(data) + _hearing_specs(data)
    procs = tuple(sorted((data.get("procedures") or {}).keys()))
    for i, _ct in enumerate(data.get("case_types") or []):
        g = f"ct{i}"
        s += [
            Spec(f"ct_{i}_share", ("case_types", i, "share"), "pct", "ct.share", "number", 0.0, 100.0, 0.5, group=g),
            Spec(f"ct_{i}_track", ("case_types", i, "track"), "select", "ct.track", "select", options=("simple", "complex"), group=g),
            Spec(f"ct_{i}_procedure", ("case_types", i, "procedure"), "select", "ct.procedure", "select", options=procs, group=g),
            Spec(f"ct_{i}_effort_dist", ("case_types", i, "effort", "dist"), "select", "ct.effort_dist", "select", options=DISTS, group=g),
            Spec(f"ct_{i}_effort_mean", ("case_types", i, "effort", "mean"), "float", "ct.effort_mean", "number", 0.0, 1000.0, 0.5, group=g),
            Spec(f"ct_{i}_effort_cv", ("case_types", i, "effort", "cv"), "float", "ct.effort_cv", "number", 0.0, 10.0, 0.1, group=g),
            Spec(f"ct_{i}_waiting_dist", ("case_types", i, "waiting", "dist"), "select", "ct.waiting_dist", "select", options=DISTS, group=g),
            Spec(f"ct_{i}_waiting_mean", ("case_types", i, "waiting", "mean"), "float", "ct.waiting_mean", "number", 0.0, 3650.0, 1.0, group=g),
            Spec(f"ct_{i}_waiting_cv", ("case_types", i, "waiting", "cv"), "float", "ct.waiting_cv", "number", 0.0, 10.0, 0.1, group=g),
            _pct(f"ct_{i}_settlement_rate", ("case_types", i, "settlement_rate"), "ct.settlement_rate", g, widget="number"),
            _pct(f"ct_{i}_settlement_effort_factor", ("case_types", i, "settlement_effort_factor"), "ct.settlement_effort_factor", g, 1.0, 100.0, widget="number"),
            _pct(f"ct_{i}_public_notice_rate", ("case_types", i, "public_notice_rate"), "ct.public_notice_rate", g, step=0.5, widget="number"),
            _pct(f"ct_{i}_appraisal_rate", ("case_types", i, "appraisal_rate"), "ct.appraisal_rate", g, step=0.5, widget="number"),
        ]
    for p in procs:
        g = f"proc_{p}"
        for fld, hi in (("limit_months", 60), ("limit_days", 3650), ("extension_months", 60), ("extension_days", 3650)):
            s.append(Spec(f"proc_{p}_{fld}", ("procedures", p, fld), "int", f"proc.{fld}", "number", 0, hi, 1, group=g))
    return s


DOCKET_MODES = ("pooled", "rotation", "random", "lightest")
HAND_OVER = ("lightest", "rotation")


def _docket_specs(data: dict) -> list[Spec]:
    """How cases reach judges (分案到法官): pooled team queue or each judge's own docket."""
    if data.get("docket") is None:
        return []
    return [
        Spec("docket_mode", ("docket", "mode"), "select", "spd_docket_mode", "select", options=DOCKET_MODES, group="policy"),
        Spec("docket_specialised", ("docket", "specialised"), "bool", "spd_docket_specialised", "toggle", group="policy"),
        Spec("docket_hand_over", ("docket", "hand_over"), "select", "spd_docket_hand_over", "select", options=HAND_OVER,
             group="policy"),
    ]


def _hearing_specs(data: dict) -> list[Spec]:
    """The hearing calendar, adjournments and preparation (none when the scenario has no hearings)."""
    h = data.get("hearings")
    if h is None:
        return []
    g = "hearings"
    s = [
        Spec("h_slots_per_week", ("hearings", "slots_per_week"), "int", "spd_h_slots_per_week", "number", 1, 20, 1, group=g),
        Spec("h_slot_hours", ("hearings", "slot_hours"), "float", "spd_h_slot_hours", "number", 0.5, 8.0, 0.5, group=g),
        Spec("h_notice_days", ("hearings", "notice_days"), "float", "spd_h_notice_days", "number", 0.0, 60.0, 1.0, group=g),
        Spec("h_gap_mean", ("hearings", "adjournment_gap_days", "mean"), "float", "spd_h_gap_mean", "number",
             0.0, 365.0, 1.0, group=g),
        _pct("h_settle_before", ("hearings", "settle_before_hearing"), "spd_h_settle_before", g, widget="number"),
        Spec("h_panel_hours", ("hearings", "panel_hours"), "float", "spd_h_panel_hours", "number", 0.0, 40.0, 0.5, group=g),
        Spec("h_clerk_extra_slots", ("hearings", "clerk_extra_slots"), "float", "spd_h_clerk_extra_slots", "number",
             0.0, 10.0, 0.5, group=g),
        _pct("h_clerk_service_cut", ("hearings", "clerk_service_cut"), "spd_h_clerk_service_cut", g, 0.0, 90.0, widget="number"),
        _pct("h_assistant_evidence_cut", ("hearings", "assistant_evidence_cut"), "spd_h_assistant_evidence_cut", g,
             0.0, 90.0, widget="number"),
    ]
    for p in sorted((h.get("procedures") or {}).keys()):
        gp, base = f"hear_{p}", ("hearings", "procedures", p)
        s += [
            _pct(f"hp_{p}_adjournment_rate", base + ("adjournment_rate",), "spd_hp_adjournment_rate", gp, 0.0, 90.0,
                 widget="number"),
            Spec(f"hp_{p}_max_hearings", base + ("max_hearings",), "int", "spd_hp_max_hearings", "number", 1, 4, 1, group=gp),
            Spec(f"hp_{p}_cases_per_slot", base + ("cases_per_slot",), "float", "spd_hp_cases_per_slot", "number",
                 1.0, 50.0, 1.0, group=gp),
            Spec(f"hp_{p}_service_mean", base + ("service_days", "mean"), "float", "spd_hp_service_mean", "number",
                 0.0, 365.0, 1.0, group=gp),
            Spec(f"hp_{p}_answer_days", base + ("answer_days",), "float", "spd_hp_answer_days", "number", 0.0, 365.0, 1.0,
                 group=gp),
            Spec(f"hp_{p}_evidence_days", base + ("evidence_days",), "float", "spd_hp_evidence_days", "number",
                 0.0, 365.0, 1.0, group=gp),
            Spec(f"hp_{p}_panel", base + ("panel",), "bool", "spd_hp_panel", "toggle", group=gp),
        ]
    return s


# --- conversion between scenario values and widget values ---------------------------------

def _get(data: Any, path: Path) -> Any:
    cur = data
    for p in path:
        cur = cur[p]
    return cur


def _set(data: Any, path: Path, value: Any) -> None:
    cur = data
    for p in path[:-1]:
        if isinstance(cur, dict) and cur.get(p) is None:
            cur[p] = {}
        cur = cur[p]
    cur[path[-1]] = value


def to_widget(spec: Spec, value: Any) -> Any:
    """Scenario value → the value the widget shows (percent for fractions, int for counts)."""
    k = spec.kind
    if k in ("pct", "opt_pct"):
        return None if value is None else round(float(value) * 100, 4)
    if k in ("int", "opt_int"):
        return None if value is None else int(round(float(value)))
    if k in ("float", "opt_float"):
        return None if value is None else float(value)
    if k == "date":
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    if k == "dates_text":
        return "\n".join(str(d) for d in (value or []))
    if k == "multiselect":
        return list(value or [])
    if k == "bool":
        return bool(value)
    return value


def from_widget(spec: Spec, value: Any) -> tuple[Any, Optional[str]]:
    """Widget value → scenario value, plus a bad-date token if the text could not be parsed."""
    k = spec.kind
    if k in ("pct", "opt_pct"):
        return (None if value is None else float(value) / 100.0), None
    if k == "date":
        return (value.isoformat() if isinstance(value, dt.date) else value), None
    if k == "dates_text":
        out = []
        for tok in str(value or "").replace(",", "\n").split():
            try:
                out.append(dt.date.fromisoformat(tok.strip()).isoformat())
            except ValueError:
                return None, tok
        return out, None
    return value, None


# --- teams -------------------------------------------------------------------------------

def slider_max(judges: int) -> int:
    """Upper end of a team's judge slider: roomy, and fixed while the slider moves."""
    return max(30, 2 * int(judges))


def teams_from_data(data: dict) -> list[dict]:
    """Canonical team rows (staff changes kept, hidden from the table)."""
    out = []
    for tm in data.get("teams") or []:
        row = {f: tm.get(f) for f in TEAM_FIELDS}
        row["changes"] = copy.deepcopy(tm.get("changes") or [])
        row["slider_max"] = slider_max(int(tm.get("judges") or 0))
        out.append(row)
    return out


def judge_key(i: int) -> str:
    """Control key of team ``i``'s judge slider (the widget key it is drawn under now:
    :func:`ui.widgets.plan.control_key`)."""
    return f"judges_{i}"


def simple_share(data: dict) -> float:
    """Share of filings on the simple track, 0..1."""
    return float(sum(c["share"] for c in data.get("case_types") or [] if c.get("track") == "simple"))


def move_staff(teams: list[dict], i: int, role: str, new: int, source: Any,
               floor_tracks: tuple[str, ...] = ()) -> tuple[list[dict], int]:
    """Set team ``i``'s ``role`` to ``new`` keeping the court's total of that role fixed.

    The difference is taken from (or, when ``new`` is lower, given to) ``source``: another
    team's index, or :data:`PROPORTIONAL` for the other teams in proportion to the staff they
    have (one at a time from the team that has given the smallest share of its own so far;
    ties to the larger, then the earlier team). No team goes below 0, and for judges no
    track in ``floor_tracks`` (those that receive cases) goes below 1 judge. When the others
    cannot give that many, the move stops at what they can give. Returns a new team list and
    the value team ``i`` got. ``teams`` is not modified.
    """
    out = copy.deepcopy(teams)
    old = int(out[i][role] or 0)
    want = int(new) - old
    others = [k for k in range(len(out)) if k != i]
    if isinstance(source, int) or (isinstance(source, str) and source.isdigit()):
        donors = [int(source)] if int(source) in others else []
    else:
        donors = others
    if want == 0 or not donors:
        return out, old
    start = {k: int(out[k][role] or 0) for k in donors}

    def floor(k: int) -> int:
        # a donor may give judges only while its track keeps one for the cases it receives
        if role != "judges" or out[k]["track"] not in floor_tracks:
            return 0
        rest = sum(int(out[x]["judges"] or 0) for x in range(len(out)) if x != k and out[x]["track"] == out[k]["track"])
        return 0 if rest >= 1 else 1

    step = 1 if want > 0 else -1
    moved = 0
    for _ in range(abs(want)):
        if step > 0:
            can = [k for k in donors if int(out[k][role] or 0) > floor(k)]
        else:
            can = list(donors)
        if not can:
            break
        # one at a time to the team that has given (or received) the smallest share of its own
        # staff so far: over the whole move each gives in proportion to what it had
        def share(k: int) -> float:
            return (int(out[k][role] or 0) + 1) / (start[k] + 1)
        k = max(can, key=lambda k: (share(k), start[k], -k)) if step > 0 else \
            min(can, key=lambda k: (share(k), -start[k], k))
        out[k][role] = int(out[k][role] or 0) - step
        out[i][role] = int(out[i][role] or 0) + step
        moved += step
    return out, old + moved


def staff_totals(teams: list[dict]) -> dict[str, int]:
    """Judges, assistants and clerks over all teams (a blank cell counts 0)."""
    return {r: sum(int(tm.get(r) or 0) for tm in teams) for r in STAFF_ROLES}


# --- teams in the scenario -----------------------------------------------------------------

def team_data(teams: list[dict]) -> list[dict]:
    """The scenario's ``teams`` from the plan's team rows."""
    out = []
    for tm in teams:
        out.append({"name": "" if tm["name"] is None else str(tm["name"]), "track": tm["track"],
                    "judges": _int(tm["judges"]), "assistants": _int(tm["assistants"]), "clerks": _int(tm["clerks"]),
                    "changes": copy.deepcopy(tm.get("changes") or [])})
    return out


def _int(x: Any) -> Any:
    try:
        return int(x) if x is not None and float(x) == int(float(x)) else x
    except (TypeError, ValueError):
        return x


# --- error placement ----------------------------------------------------------------------

ANCHORS = ("teams", "case_types", "procedures", "demand.monthly_profile")
CHANGES_ANCHOR = "staff_changes"  # errors of dated staffing changes (teams.I.changes.J...)


def place_errors(errors: list[FieldError], specs: list[Spec]) -> dict[str, list[FieldError]]:
    """Group errors by the control (spec key or anchor) that edits the field; '' = general."""
    by_path = {sp.dotted: sp.key for sp in specs}
    out: dict[str, list[FieldError]] = {}
    for e in errors:
        parts = e.path.split(".") if e.path else []
        where = ""
        if len(parts) >= 3 and parts[0] == "teams" and parts[2] == "changes":
            out.setdefault(CHANGES_ANCHOR, []).append(e)  # shown next to the dated-changes table
            continue
        for n in range(len(parts), 0, -1):
            prefix = ".".join(parts[:n])
            if prefix in by_path:
                where = by_path[prefix]
                break
            if prefix in ANCHORS:
                where = prefix
                break
        out.setdefault(where, []).append(e)
    return out
