"""The scenario: one validated object that holds every parameter of the model.

A scenario is plain data (loaded from YAML with ``yaml.safe_load``), validated by
pydantic models that refuse unknown fields. Every validation problem is reported as a
:class:`FieldError` naming the dotted field path, the offending value and what is allowed,
so the app and the command line can show it next to the right control.

The schema lives in one module per section; every name is imported from here
(``from sim.model.scenario import Scenario``), so where a class lives is nobody else's business.
"""
from __future__ import annotations

from ..errors import FieldError, ScenarioError
from .base import (
                   MAX_STAFF,
                   MAX_TEAMS,
                   MAX_YEAR,
                   MIN_YEAR,
                   DistName,
                   Distribution,
                   Name,
                   PathError,
                   StrictModel,
                   Text,
                   Track,
                   add_months,
)
from .demand import MAX_RECORDED_FILINGS, CaseType, Demand, Mediation, RecordedFilings, Triage
from .files import (
                   apply_overrides,
                   dump_yaml,
                   json_schema,
                   load_scenario,
                   load_yaml_text,
                   save_scenario,
                   scenario_to_dict,
)
from .pending import (
                   MAX_LISTED_CASES,
                   SIMPLE_PROCEDURES,
                   AgeBand,
                   InitialPending,
                   OpenCases,
                   PendingGroup,
)
from .procedures import ExcludedPeriods, Hearings, Procedure, ProcedureHearing, default_procedures
from .schema import Scenario, Targets
from .teams import Calendar, Docket, StaffChange, Support, Team
from .validation import _PYDANTIC_CODES, errors_from_validation, model_from_dict, scenario_from_dict

__all__ = ["FieldError", "Scenario", "ScenarioError", "add_months", "apply_overrides", "dump_yaml", "json_schema",
           "load_scenario", "load_yaml_text", "save_scenario", "scenario_from_dict", "scenario_to_dict",
           # the sections, for code that builds or inspects part of a scenario
           "AgeBand", "Calendar", "CaseType", "Demand", "DistName", "Distribution", "Docket", "ExcludedPeriods",
           "Hearings", "InitialPending", "Mediation", "Name", "PendingGroup", "Procedure", "ProcedureHearing",
           "StaffChange", "Support", "Targets", "Team", "Text", "Track", "Triage", "default_procedures",
           "OpenCases", "RecordedFilings",
           # limits and the means other input schemas (province, training) share
           "MAX_STAFF", "MAX_TEAMS", "MAX_YEAR", "MIN_YEAR", "PathError", "StrictModel", "errors_from_validation",
           "model_from_dict", "_PYDANTIC_CODES", "MAX_LISTED_CASES", "MAX_RECORDED_FILINGS", "SIMPLE_PROCEDURES"]
