"""How the command line reports bad input: one line per problem on stderr, exit status 2.

Messages come from the engine's catalogues (:mod:`sim.vocabulary.messages`) in the command line's
language: :func:`cli_lang` reads ``--lang`` when the parser has it (else English), so adding the
option is all a language switch needs.
"""
from __future__ import annotations

import sys
from typing import Any, Optional, TextIO

from ..model.errors import CodedError, ScenarioError, printable
from ..vocabulary.messages import DEFAULT_LANG, LANGS, render, render_error

EXIT_OK, EXIT_BAD_INPUT = 0, 2


class UserError(CodedError):
    """A mistake in the command line's input (``code`` + ``params``), reported without a traceback."""


def cli_lang(args: Any = None) -> str:
    """The language of the command line's messages: ``args.lang`` if given, else the locale's."""
    from .text import default_lang

    lang = getattr(args, "lang", None)
    return lang if lang in LANGS else default_lang()


def error_lines(exc: BaseException, lang: str = DEFAULT_LANG) -> list[str]:
    """The lines (without "error: ") that report ``exc``: one per field problem."""
    errors = getattr(exc, "errors", None)
    if isinstance(exc, ScenarioError) or (isinstance(errors, list) and errors and hasattr(errors[0], "line")):
        source = getattr(exc, "source", "")
        where = f"{printable(source)}: " if source else ""
        return [where + e.line(lang) for e in errors]  # type: ignore[union-attr]
    if isinstance(exc, CodedError):
        return [exc.text(lang)]
    return [render_error(exc, lang)]


def print_errors(exc: BaseException, lang: str = DEFAULT_LANG, stream: Optional[TextIO] = None) -> int:
    """Print ``exc`` as ``error: ...`` lines (each kept on one line) and return exit status 2."""
    out = stream or sys.stderr
    for line in error_lines(exc, lang):
        print("error: " + " ".join(printable(line).split("\n")), file=out)
    return EXIT_BAD_INPUT


def fail(code: str, lang: str = DEFAULT_LANG, **params: Any) -> int:
    """Print one coded message as an error line; returns exit status 2."""
    print("error: " + printable(render(code, params, lang)), file=sys.stderr)
    return EXIT_BAD_INPUT
