"""Structured input errors: a stable ``code``, the field ``path`` and ``params`` to fill in.

Every validation and input problem the engine reports (scenario fields, the safe YAML loader,
the scenario store, the advisor's inputs, the command line's options) is a :class:`FieldError`
or an exception carrying ``code`` and ``params``. The words are not here: each surface renders
the code in its user's language from one catalogue per language (:mod:`sim.vocabulary.messages`), so
rewording a message can never break a translation, and nothing parses an English message.
"""
from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, Field, model_validator

#: characters shown in an error for an offending value (the value itself may be huge)
VALUE_CHARS = 60


def printable(text: str) -> str:
    """``text`` with line and paragraph separators and control characters as ``\\uXXXX`` escapes,
    so a name or value printed on one line stays on one line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" for c in text)


def short_repr(value: Any, limit: int = VALUE_CHARS) -> str:
    """A one-line rendering of ``value`` of at most about ``limit`` characters.

    Cheap for any input: containers are walked only as far as the budget allows (never
    serialised whole and then cut), nesting is shown to three levels, and every string is
    escaped with :func:`printable`.
    """
    out: list[str] = []
    budget = [limit]

    def put(s: str) -> bool:
        if budget[0] <= 0:
            return False
        if len(s) > budget[0]:
            s = s[: max(budget[0], 0)] + "…"
        out.append(s)
        budget[0] -= len(s)
        return budget[0] > 0

    def walk(v: Any, depth: int) -> bool:
        if isinstance(v, str):
            return put('"' + printable(v[: limit + 1]) + '"')
        if isinstance(v, bool) or v is None:
            return put({True: "true", False: "false", None: "null"}[v])
        if isinstance(v, (int, float)):
            return put(repr(v) if not isinstance(v, int) or abs(v) < 10 ** 30 else "<a number of "
                       f"{len(str(abs(v))) if abs(v) < 10 ** 4000 else 'over 4000'} digits>")
        if isinstance(v, (list, tuple)):
            if depth >= 3:
                return put("[…]")
            if not put("["):
                return False
            for i, x in enumerate(v):
                if (i and not put(", ")) or not walk(x, depth + 1):
                    return False
            return put("]")
        if isinstance(v, dict):
            if depth >= 3:
                return put("{…}")
            if not put("{"):
                return False
            for i, (k, x) in enumerate(v.items()):
                if (i and not put(", ")) or not walk(k, depth + 1) or not put(": ") or not walk(x, depth + 1):
                    return False
            return put("}")
        return put(printable(str(v)[: limit + 1]))

    walk(value, 0)
    text = "".join(out)
    if budget[0] <= 0 and not text.endswith("…"):
        text += "…"
    return text


class FieldError(BaseModel):
    """One problem: where (dotted ``path``, "" = the whole input), what was given, and why.

    ``code`` is stable and ``params`` fills its message (see :mod:`sim.vocabulary.messages`); ``message``
    is the English rendering, kept for logs and callers that only want a string.
    """

    path: str = ""
    value: Any = None
    code: str = "invalid"
    params: dict[str, Any] = Field(default_factory=dict)
    message: str = ""

    @model_validator(mode="after")
    def _fill_message(self) -> "FieldError":
        if not self.message:
            from ..vocabulary.messages import render

            self.message = render(self.code, self.params, "en")
        elif self.code == "invalid" and "detail" not in self.params:
            self.params = {**self.params, "detail": self.message}
        return self

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (path and value not included)."""
        from ..vocabulary.messages import render

        return render(self.code, self.params, lang)

    def line(self, lang: str = "en") -> str:
        """One line for the command line: ``path: message (got value)``."""
        from ..vocabulary.messages import render

        where = self.path or render("where_scenario", {}, lang)
        got = "" if self.value is None and self.code not in _SHOW_NULL else \
            " " + render("got", {"value": short_repr(self.value)}, lang)
        msg = self.text(lang)
        if self.params.get("origin") == "set":  # a --set value, not the file, is at fault
            msg = render("from_set", {"message": msg}, lang)
        return printable(f"{printable(where)}: {msg}{got}")

    def __str__(self) -> str:
        return self.line("en")


_SHOW_NULL = {"text_expected", "number_expected", "integer_expected", "date_invalid"}


def field_error(path: str, code: str, value: Any = None, **params: Any) -> FieldError:
    """A :class:`FieldError` for ``code`` with ``params``."""
    return FieldError(path=path, value=value, code=code, params=params)


def _rebuilt(cls: type, args: tuple, state: dict) -> BaseException:
    """An exception of ``cls`` with ``args`` and attributes ``state``, without calling its
    ``__init__`` (whose parameters differ from class to class)."""
    exc = cls.__new__(cls, *args)
    exc.args = args
    exc.__dict__.update(state)
    return exc


class _Pickles:
    """Errors that pickle whole (code, params, errors, any attribute), so an error raised while
    a file is parsed in a child process (:mod:`sim.model.sandbox`) is raised again, unchanged,
    in the parent. Exception's own pickling calls ``cls(*args)`` with the English text."""

    def __reduce__(self) -> tuple:
        return (_rebuilt, (type(self), self.args, dict(self.__dict__)))  # type: ignore[attr-defined]


class ScenarioError(_Pickles, ValueError):
    """Raised for an invalid scenario or input; ``errors`` lists every field-level problem."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))

    @classmethod
    def one(cls, path: str, code: str, value: Any = None, **params: Any) -> "ScenarioError":
        """An error with a single problem."""
        return cls([field_error(path, code, value, **params)])


class CodedError(_Pickles, Exception):
    """Base of the engine's other user-facing errors: ``code`` + ``params``; ``str()`` is English."""

    code = "invalid"

    def __init__(self, code: Optional[str] = None, **params: Any):
        if code is not None:
            self.code = code
        self.params = params
        from ..vocabulary.messages import render

        super().__init__(render(self.code, params, "en"))

    def text(self, lang: str = "en") -> str:
        """The message in ``lang``."""
        from ..vocabulary.messages import render

        return render(self.code, self.params, lang)
