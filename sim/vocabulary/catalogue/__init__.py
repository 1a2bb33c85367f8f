"""Every word a person sees, one catalogue per language: ``zh.toml`` and ``en.toml`` beside this file.

The app (:mod:`ui.i18n`), the command line, the reports and the engine's messages all read their
words from here; the modules that write sentences (:mod:`sim.vocabulary.messages`,
:mod:`sim.vocabulary.field_labels`, ``advisor_text``, ``calibration_text``, ``export_text``,
``province_text``, the glossary and the figure registry) keep their functions and take the words
from a *section* of the catalogue. A section is a flat table ``key -> text``; both files have the
same sections and keys (tests/test_i18n.py checks, and that the placeholders match).

A section ``<name>_same_as_<other>`` lists keys of ``<name>`` whose words are those of a key of
``<other>`` in both languages (a control named like the scenario field it sets): the phrase is
written once, under ``<other>``.

The files are read once per process and cached; the returned dicts are shared, not copies.
"""
from __future__ import annotations

import functools
import tomllib
from pathlib import Path

LANGS: tuple[str, ...] = ("zh", "en")
_DIR = Path(__file__).resolve().parent
_SAME = "_same_as_"


@functools.cache
def _raw(lang: str) -> dict[str, dict[str, str]]:
    if lang not in LANGS:
        raise KeyError(f"no catalogue for language {lang!r}")
    with open(_DIR / f"{lang}.toml", "rb") as fh:
        return tomllib.load(fh)


@functools.cache
def section(lang: str, name: str) -> dict[str, str]:
    """The section ``name`` of the ``lang`` catalogue (a KeyError for an unknown one: a silent
    empty section would show raw keys to users)."""
    raw = _raw(lang)
    out = dict(raw[name])
    for table, refs in raw.items():
        if table.startswith(name + _SAME):
            other = section(lang, table[len(name + _SAME):])
            out.update({key: other[ref] for key, ref in refs.items()})
    return out


def sections(lang: str) -> list[str]:
    """The names of the sections of the ``lang`` catalogue (the cross-references excluded)."""
    return [name for name in _raw(lang) if _SAME not in name]


def by_lang(name: str) -> dict[str, dict[str, str]]:
    """``{lang: section}`` for every language: the shape of the old per-module word tables."""
    return {lang: section(lang, name) for lang in LANGS}


def nested(lang: str, name: str) -> dict[str, dict[str, str]]:
    """A section whose keys are ``group.key`` as ``{group: {key: text}}``."""
    out: dict[str, dict[str, str]] = {}
    for key, text in section(lang, name).items():
        group, _, item = key.partition(".")
        out.setdefault(group, {})[item] = text
    return out


def nested_by_lang(name: str) -> dict[str, dict[str, dict[str, str]]]:
    """:func:`nested` for every language."""
    return {lang: nested(lang, name) for lang in LANGS}


def pairs(name: str) -> dict[str, tuple[str, str]]:
    """A section as ``{key: (zh, en)}`` (the shape of tables that give both languages side by side)."""
    zh, en = section("zh", name), section("en", name)
    return {key: (zh[key], en[key]) for key in zh}


def term(name: str, key: str) -> tuple[str, str, str, str]:
    """``(name zh, name en, definition zh, definition en)`` of ``key`` in section ``name`` (its keys
    ``KEY.name`` and ``KEY.definition``): the four words a figure or a glossary term is made of."""
    zh, en = section("zh", name), section("en", name)
    return zh[f"{key}.name"], en[f"{key}.name"], zh[f"{key}.definition"], en[f"{key}.definition"]
