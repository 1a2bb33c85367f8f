"""The engine's messages by error code, one table per language, and :func:`render`.

The words are the catalogue's sections ``messages`` and ``message_words``
(``sim/vocabulary/catalogue/{zh,en}.toml``).

The command line and the app both render a :class:`sim.model.errors.FieldError` (or any error with
``code`` and ``params``) through :func:`render`, so a message reads the same on both surfaces
and each language has its own words; no surface parses an English message.

Parameters named ``track``, ``role`` and ``kind`` are words of the model (``simple``,
``judges``, ``integer``) and are translated from the catalogue's ``WORDS``; ``needs`` is a list
of ``[track, n]`` pairs (the advisor's per-track minimums) rendered as a list in words. A
``reason`` that is the operating system's text of an error number ("Permission denied") is
written in the page's language too (``WORDS[lang]["reason"]``, by the number's name).

No exception reaches a person as its own text: :func:`error_code` gives any exception a code and
parameters (an exception that has none is said by what it is: a file that could not be read, or
an unexpected fault named by its type).
"""
from __future__ import annotations

import errno
import os
import string
from typing import Any, Mapping, Optional

from .. import catalogue

CATALOGUES: dict[str, dict[str, str]] = catalogue.by_lang("messages")
WORDS: dict[str, dict[str, dict[str, str]]] = catalogue.nested_by_lang("message_words")
LANGS = ("en", "zh")
#: the command line's language until it gets a ``--lang`` option
DEFAULT_LANG = "en"


class _Formatter(string.Formatter):
    """``str.format`` that never fails: a missing parameter shows as "?", a value that does not
    fit its format spec (text where a number was expected) is shown as it is."""

    def get_value(self, key: Any, args: Any, kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, str):
            return kwargs.get(key, "?")
        return args[key] if key < len(args) else "?"

    def format_field(self, value: Any, format_spec: str) -> str:
        try:
            return super().format_field(value, format_spec)
        except (ValueError, TypeError):
            return str(value)


_FMT = _Formatter()


#: the operating system's text of each error number -> the number's name ("Permission denied" -> EACCES)
_OS_REASONS: dict[str, str] = {os.strerror(n): name for n, name in sorted(errno.errorcode.items())}


def _localise(params: Mapping[str, Any], lang: str) -> dict[str, Any]:
    words = WORDS.get(lang, WORDS["en"])
    out = dict(params)
    for key in ("track", "role", "kind"):
        v = out.get(key)
        if isinstance(v, str) and v in words.get(key, {}):
            out[key] = words[key][v]
    reason = out.get("reason")
    if isinstance(reason, str):  # an error number's name (or the system's English text of it)
        name = reason if reason in words.get("reason", {}) or hasattr(errno, reason) else _OS_REASONS.get(reason)
        if name in words.get("reason", {}):
            out["reason"] = words["reason"][name]
        elif name:
            out["reason"] = os.strerror(getattr(errno, name))
    needs = out.get("needs")
    if isinstance(needs, (list, tuple)):
        cat = CATALOGUES.get(lang, CATALOGUES["en"])
        items = [_FMT.format(cat["_need_item"], track=words["track"].get(str(tr), tr), n=n)
                 for tr, n in needs]
        out["needs"] = cat["_and"].join(items)
    return out


def render(code: str, params: Optional[Mapping[str, Any]] = None, lang: str = DEFAULT_LANG) -> str:
    """The message of ``code`` in ``lang`` with ``params`` filled in.

    An unknown language falls back to English; an unknown code to the generic ``invalid``
    message (its ``detail`` parameter, if any, is the engine's own English text).
    """
    cat = CATALOGUES.get(lang, CATALOGUES[DEFAULT_LANG])
    template = cat.get(code)
    if template is None:
        template = cat["invalid"]
    return _FMT.format(template, **_localise(params or {}, lang))


def os_reason(err: BaseException) -> str:
    """The ``reason`` parameter of a message about a file ``err``: the name of its error number
    (``EACCES``; :func:`render` writes it in the page's language), ``bad_path`` for a path the
    system cannot take (a ValueError: a NUL in it), never the exception's text (which carries
    the server's paths and is English)."""
    if isinstance(err, OSError):
        return errno.errorcode.get(err.errno or 0) or err.strerror or "?"
    return "bad_path"


def error_code(err: Any) -> tuple[str, dict[str, Any]]:
    """The code and parameters of any error: its own for a coded error (a FieldError, a StoreError,
    an AdviceInputError...); ``os_error`` with the file's name and the reason for a file that could
    not be read or written (``os_error_file`` when it names the file); ``unexpected`` with the exception's type for anything else (a fault of
    the program: its English text is for the log, not for the page)."""
    code = getattr(err, "code", None)
    if isinstance(code, str):
        return code, dict(getattr(err, "params", None) or {})
    if isinstance(err, OSError):
        reason = os_reason(err)
        if err.filename:  # the name only: a server's folders are not the page's business
            return "os_error_file", {"file": os.path.basename(str(err.filename)), "reason": reason}
        return "os_error", {"reason": reason}
    return "unexpected", {"kind": type(err).__name__}


def render_error(err: Any, lang: str = DEFAULT_LANG) -> str:
    """The message of any error in ``lang`` (see :func:`error_code`); a scenario's several problems
    (a ScenarioError's ``errors``) one after the other."""
    problems = getattr(err, "errors", None)
    if getattr(err, "code", None) is None and isinstance(problems, list) and problems:
        return render("_sep_problems", {}, lang).join(render_error(e, lang) for e in problems)
    code, params = error_code(err)
    return render(code, params, lang)


#: a warning parameter that is a value of a figure, formatted through the figure registry
_WARNING_FIGURES = {"load": "judge_utilisation"}


def render_warning(w: Mapping[str, Any], lang: str = DEFAULT_LANG) -> str:
    """A warning that a result may mislead (``{"code", "params"}`` from :mod:`sim.model.caveats`) in
    ``lang``; its figure values are formatted by the registry like every other figure."""
    from ..figure_format import figure_value

    params = dict(w.get("params") or {})
    for name, figure in _WARNING_FIGURES.items():
        if isinstance(params.get(name), (int, float)):
            params[name] = figure_value(lang, figure, params[name])
    return render(f"caveat_{w['code']}", params, lang)


def codes() -> list[str]:
    """Every error code of the catalogues (internal pieces starting with ``_`` excluded)."""
    return sorted(k for k in CATALOGUES["en"] if not k.startswith("_"))
