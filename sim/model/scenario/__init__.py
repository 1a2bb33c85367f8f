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
from .schema import (MAX_STAFF, MAX_TEAMS, MAX_YEAR, MIN_YEAR, _PYDANTIC_CODES, AgeBand, Calendar, CaseType, Demand,
                     DistName, Distribution, Docket, ExcludedPeriods, Hearings, InitialPending, Mediation, Name,
                     PathError, PendingGroup, Procedure, ProcedureHearing, Scenario, StaffChange, StrictModel, Support,
                     Targets, Team, Text, Track, Triage, add_months, apply_overrides, default_procedures, dump_yaml,
                     errors_from_validation, json_schema, load_scenario, load_yaml_text, model_from_dict,
                     save_scenario, scenario_from_dict, scenario_to_dict)

__all__ = ["FieldError", "Scenario", "ScenarioError", "add_months", "apply_overrides", "dump_yaml", "json_schema",
           "load_scenario", "load_yaml_text", "save_scenario", "scenario_from_dict", "scenario_to_dict",
           # the sections, for code that builds or inspects part of a scenario
           "AgeBand", "Calendar", "CaseType", "Demand", "DistName", "Distribution", "Docket", "ExcludedPeriods",
           "Hearings", "InitialPending", "Mediation", "Name", "PendingGroup", "Procedure", "ProcedureHearing",
           "StaffChange", "Support", "Targets", "Team", "Text", "Track", "Triage", "default_procedures",
           # limits and the means other input schemas (province, training) share
           "MAX_STAFF", "MAX_TEAMS", "MAX_YEAR", "MIN_YEAR", "PathError", "StrictModel", "errors_from_validation",
           "model_from_dict", "_PYDANTIC_CODES"]
