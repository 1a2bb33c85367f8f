"""Plain data into a validated model, every problem a coded :class:`FieldError` naming its field."""
from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import FieldError, ScenarioError, field_error
from .base import _PathError
from .schema import Scenario


def _dotted(loc: tuple) -> str:
    return ".".join(str(p) for p in loc)


def _lookup(data: Any, loc: tuple) -> Any:
    cur = data
    for p in loc:
        try:
            cur = cur[p]
        except (KeyError, IndexError, TypeError):
            return None
    return cur


# pydantic's error types -> (our code, {our parameter: pydantic's context key})
_PYDANTIC_CODES: dict[str, tuple[str, dict[str, str]]] = {
    "missing": ("missing", {}),
    "extra_forbidden": ("extra_forbidden", {}),
    "greater_than_equal": ("ge", {"limit": "ge"}),
    "greater_than": ("gt", {"limit": "gt"}),
    "less_than_equal": ("le", {"limit": "le"}),
    "less_than": ("lt", {"limit": "lt"}),
    "string_too_short": ("string_too_short", {"min_length": "min_length"}),
    "string_too_long": ("string_too_long", {"max_length": "max_length"}),
    "too_short": ("list_too_short", {"min_length": "min_length"}),
    "too_long": ("list_too_long", {"max_length": "max_length"}),
    "literal_error": ("literal_error", {"expected": "expected"}),
    "int_type": ("integer_expected", {}),
    "int_parsing": ("integer_expected", {}),
    "int_from_float": ("integer_expected", {}),
    "int_parsing_size": ("integer_expected", {}),
    "float_type": ("number_expected", {}),
    "float_parsing": ("number_expected", {}),
    "finite_number": ("finite_number", {}),
    "date_type": ("date_invalid", {}),
    "date_parsing": ("date_invalid", {}),
    "date_from_datetime_parsing": ("date_invalid", {}),
    "date_from_datetime_inexact": ("date_invalid", {}),
    "dict_type": ("mapping_expected", {}),
    "model_type": ("mapping_expected", {}),
    "model_attributes_type": ("mapping_expected", {}),
    "list_type": ("list_expected", {}),
    "string_type": ("text_expected", {}),
    "bool_type": ("bool_expected", {}),
    "bool_parsing": ("bool_expected", {}),
}


def _errors_from_validation(exc: ValidationError, data: Any) -> list[FieldError]:
    """pydantic's errors as coded :class:`FieldError` (include_input=False: nothing is serialised)."""
    out: list[FieldError] = []
    for e in exc.errors(include_url=False):
        loc = tuple(e.get("loc", ()))
        ctx = e.get("ctx") or {}
        err = ctx.get("error")
        if isinstance(err, _PathError):
            loc = loc + err.loc
            out.append(FieldError(path=_dotted(loc), value=err.value, code=err.code, params=err.params,
                                  message=err.message))
            continue
        kind = e.get("type", "")
        value = e.get("input", _lookup(data, loc))
        if kind in _PYDANTIC_CODES:
            code, keys = _PYDANTIC_CODES[kind]
            params = {ours: ctx.get(theirs) for ours, theirs in keys.items()}
            if kind == "extra_forbidden":
                value = _lookup(data, loc)
            out.append(field_error(_dotted(loc), code, None if kind == "missing" else value, **params))
            continue
        msg = str(e.get("msg", "invalid value"))
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        out.append(FieldError(path=_dotted(loc), value=value, code="invalid", params={"detail": msg}))
    return out


#: public name for other input files validated the same way (the province file, training exercises)
errors_from_validation = _errors_from_validation


def scenario_from_dict(data: Any) -> Scenario:
    """Validate plain data into a :class:`Scenario`, or raise :class:`ScenarioError`."""
    return model_from_dict(Scenario, data)


_M = typing.TypeVar("_M", bound=BaseModel)


def model_from_dict(cls: type[_M], data: Any) -> _M:
    """Validate plain data into ``cls`` (a scenario or another input of the engine, such as a
    training exercise), or raise :class:`ScenarioError` with every problem coded."""
    if not isinstance(data, dict):
        raise ScenarioError.one("", "scenario_not_mapping", type=type(data).__name__)
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_errors_from_validation(exc, data)) from None
    except RecursionError:  # pragma: no cover - the loader bounds nesting; data built in code might not
        raise ScenarioError.one("", "yaml_depth", limit=50, line=0, column=0) from None
