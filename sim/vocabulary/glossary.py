"""The glossary (术语): every reported figure and the court terms the simulator uses, each with
its definition in Chinese and English.

Figures come from :mod:`sim.vocabulary.figure_registry` (the same source their names on every
surface come from), so the glossary can never disagree with a card or a report. Court terms are
defined here, in the words of ``shared/design/model.md`` ("The flow of one case", "Statutory
time limits", "How a case is heard", "Randomness and statistics").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from . import catalogue
from .figure_registry import REGISTRY

Kind = Literal["figure", "term"]


@dataclass(frozen=True)
class Entry:
    """One glossary entry: the term in both languages and its definition in both."""

    kind: Kind
    key: str
    zh: str
    en: str
    definition_zh: str
    definition_en: str

    def term(self, lang: str) -> str:
        """The term in ``lang``."""
        return self.zh if lang == "zh" else self.en

    def definition(self, lang: str) -> str:
        """The definition in ``lang``."""
        return self.definition_zh if lang == "zh" else self.definition_en


def _t(key: str, zh: str, en: str, dzh: str, den: str) -> Entry:
    return Entry("term", key, zh, en, dzh, den)


TERMS: tuple[Entry, ...] = (
    _t("quota_judge", *catalogue.term("glossary", "quota_judge")),
    _t("assistant", *catalogue.term("glossary", "assistant")),
    _t("clerk", *catalogue.term("glossary", "clerk")),
    _t("team", *catalogue.term("glossary", "team")),
    _t("prefiling_mediation", *catalogue.term("glossary", "prefiling_mediation")),
    _t("filing", *catalogue.term("glossary", "filing")),
    _t("triage", *catalogue.term("glossary", "triage")),
    _t("conversion", *catalogue.term("glossary", "conversion")),
    _t("statutory_limit", *catalogue.term("glossary", "statutory_limit")),
    _t("extension", *catalogue.term("glossary", "extension")),
    _t("excluded_period", *catalogue.term("glossary", "excluded_period")),
    _t("assignment", *catalogue.term("glossary", "assignment")),
    _t("hearing", *catalogue.term("glossary", "hearing")),
    _t("adjournment", *catalogue.term("glossary", "adjournment")),
    _t("panel", *catalogue.term("glossary", "panel")),
    _t("judgment", *catalogue.term("glossary", "judgment")),
    _t("settlement", *catalogue.term("glossary", "settlement")),
    _t("carried_over", *catalogue.term("glossary", "carried_over")),
    _t("year_end_freeze", *catalogue.term("glossary", "year_end_freeze")),
    _t("secondment", *catalogue.term("glossary", "secondment")),
    _t("crn", *catalogue.term("glossary", "crn")),
    _t("interval", *catalogue.term("glossary", "interval")),
    _t("replication", *catalogue.term("glossary", "replication")),
)


def entries() -> list[Entry]:
    """Every figure of the registry (report order), then every court term."""
    figures = [Entry("figure", f.key, f.name_zh, f.name_en, f.definition_zh, f.definition_en)
               for f in REGISTRY.values()]
    return figures + list(TERMS)


__all__ = ["Entry", "TERMS", "entries"]
