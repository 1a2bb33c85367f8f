"""The strict base of every section: numbers that are numbers, dates in range, names that are
what they look like, and validators' errors that name their field (:class:`PathError`)."""
from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from typing import Annotated, Any, Literal, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from ...vocabulary.safe_text import describe_chars, refused_in_name

Track = Literal["simple", "complex"]
DistName = Literal["exponential", "lognormal", "gamma", "deterministic"]

MAX_TEAMS = 30


def _no_control_chars(v: str) -> str:
    # YAML cannot round-trip some control characters (NEL, U+0085, reads back as a line break)
    bad = [c for c in v if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F or c in "\u2028\u2029"]
    if bad:
        raise _PathError((), None, "control_chars", chars=", ".join(f"U+{ord(c):04X}" for c in bad[:3]))
    return v


def _name_chars(v: str) -> str:
    # a name is what it looks like: no control character, no right-to-left override (U+202E)
    # or other invisible format character that reorders or hides what follows it
    bad = refused_in_name(v)
    if bad:
        raise _PathError((), None, "name_chars", chars=describe_chars(bad))
    return v


Text = Annotated[str, AfterValidator(_no_control_chars)]
#: the name of a scenario, a team, a case type or a procedure's label
Name = Annotated[str, AfterValidator(_name_chars)]
MAX_STAFF = 500


#: years a scenario's dates may fall in: the working calendar and statutory clocks are modelled
#: for present-day courts; a date far outside would only be a typing mistake (9999-06-01)
MIN_YEAR, MAX_YEAR = 2000, 2100


@functools.lru_cache(maxsize=None)
def _field_kind(cls: type, name: str) -> Optional[tuple[bool, type]]:
    """(is a list, scalar type) for number and date fields, else None."""
    ann = cls.model_fields[name].annotation if name in cls.model_fields else None
    if typing.get_origin(ann) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        ann = args[0] if len(args) == 1 else None
    many = typing.get_origin(ann) is list
    if many:
        ann = (typing.get_args(ann) or (None,))[0]
    return (many, ann) if ann in (int, float, dt.date) else None


def _strict_scalar(kind: type, v: Any, loc: tuple) -> Any:
    """Refuse what pydantic's lax mode would coerce: true as 1, '8' as 8, 0 as 1970-01-01."""
    if kind is dt.date:
        if isinstance(v, str):
            try:
                v = dt.date.fromisoformat(v.strip())
            except ValueError:
                raise _PathError(loc, v, "date_invalid") from None
        if isinstance(v, dt.date):
            if not MIN_YEAR <= v.year <= MAX_YEAR:
                raise _PathError(loc, v, "date_range", min_year=MIN_YEAR, max_year=MAX_YEAR)
            return v
        if v is not None:
            raise _PathError(loc, v, "date_invalid")
        return v
    word = "integer" if kind is int else "number"
    if isinstance(v, bool):
        raise _PathError(loc, v, "bool_not_number", kind=word)
    if isinstance(v, str):
        raise _PathError(loc, v, "text_not_number", kind=word)
    return v


class _Strict(BaseModel):
    # inf/nan are refused everywhere: no figure or target of the model can be infinite, and
    # JSON has no way to write them
    model_config = ConfigDict(extra="forbid", validate_assignment=False, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _strict_types(cls, v: Any, info: ValidationInfo) -> Any:
        kind = _field_kind(cls, info.field_name) if info.field_name else None
        if kind is None:
            return v
        many, base = kind
        if many:
            return [_strict_scalar(base, x, (i,)) for i, x in enumerate(v)] if isinstance(v, list) else v
        return _strict_scalar(base, v, ())


class Distribution(_Strict):
    """A positive random quantity given by name, mean and coefficient of variation.

    ``exponential`` ignores ``cv`` (it is always 1); ``deterministic`` always returns the mean.
    """

    dist: DistName = Field("lognormal", description="Distribution family.")
    mean: float = Field(..., ge=0, le=100_000, description="Mean value.")
    cv: float = Field(0.5, ge=0, le=10, description="Coefficient of variation (sd / mean).")


def add_months(d: dt.date, months: int) -> dt.date:
    """Calendar-month arithmetic; a day that does not exist becomes the month's last day."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    import calendar as _cal

    day = min(d.day, _cal.monthrange(year, month)[1])
    return dt.date(year, month, day)


class _PathError(ValueError):
    """A validator's error with its code and parameters, and the field (below the one being
    validated) it belongs to."""

    def __init__(self, loc: tuple, value: Any, code: str, **params: Any):
        from ...vocabulary.messages import render

        self.loc = tuple(loc)
        self.value = value
        self.code = code
        self.params = params
        self.message = render(code, params, "en")
        super().__init__(self.message)


#: public name for other input files validated the same way (the province file, training exercises)
PathError = _PathError
# public name for other input schemas of the engine (training exercises): the same strict
# number handling and the same coded field errors as a scenario
StrictModel = _Strict
