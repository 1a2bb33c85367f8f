"""Side-by-side comparison of scenarios under common random numbers.

All scenarios run with one seed and one number of replications, so replication *r* of
every scenario sees the same disputes; the difference of each figure from the reference is
then paired replication by replication, and its interval reflects the plans, not the dice.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Optional, Sequence

from ..model.figures import FIGURES
from ..model.scenario import Scenario, scenario_to_dict
from .results import Results, _clean, paired_difference
from .runner import run


@dataclass
class Comparison:
    """Results of several scenarios run with the same seed and replications."""

    names: list[str]
    results: list[Results]
    reference: int
    seed: int
    replications: int

    def rows(self, figures: tuple[str, ...] = tuple(FIGURES)) -> list[dict[str, Any]]:
        """One row per (figure, scenario): mean, interval, paired difference from the reference."""
        ref = self.results[self.reference]
        out = []
        for fig in figures:
            for name, res in zip(self.names, self.results, strict=True):
                st = res.summary()[fig]
                d = paired_difference(res, ref, fig)
                tgt = res.targets().get(fig)
                out.append({
                    "figure": fig, "scenario": name, "reference": self.names[self.reference],
                    "mean": _clean(st.mean), "ci_low": _clean(st.ci_low), "ci_high": _clean(st.ci_high),
                    "diff_mean": _clean(d.mean), "diff_ci_low": _clean(d.ci_low), "diff_ci_high": _clean(d.ci_high),
                    "target": None if tgt is None else tgt["target"],
                    "met": None if tgt is None else tgt["met"],
                    "verdict": None if tgt is None else tgt["verdict"],
                })
        return out

    def differences(self) -> list[dict[str, Any]]:
        """Parameters whose values differ between the scenarios (dotted path → value per scenario)."""
        flat = [_flatten(scenario_to_dict(r.scenario)) for r in self.results]
        keys = sorted(set().union(*flat))
        out = []
        for k in keys:
            if k.split(".")[0] in _NOT_COMPARED:
                continue
            vals = [f.get(k) for f in flat]
            if any(v != vals[0] for v in vals[1:]):
                out.append({"field": k, "values": dict(zip(self.names, vals, strict=True))})
        return out

    def what_differs(self, lang: str) -> list["DiffGroup"]:
        """Every parameter that differs, in words, grouped by team (see :func:`what_differs`)."""
        return what_differs([r.scenario for r in self.results], lang, self.reference)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed, "replications": self.replications,
            "reference": self.names[self.reference], "scenarios": self.names,
            "rows": self.rows(), "differences": self.differences(),
            "procedures": {name: r.procedures() for name, r in zip(self.names, self.results, strict=True)},
            "warnings": {name: r.warnings for name, r in zip(self.names, self.results, strict=True)},
        }

    def to_json(self) -> str:
        return json.dumps(self.to_json_dict(), ensure_ascii=False, indent=2, default=str)


def _flatten(d: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(d, dict):
        for k, v in d.items():
            out.update(_flatten(v, f"{prefix}{k}."))
    elif isinstance(d, list) and d and all(isinstance(x, dict) for x in d):
        for i, v in enumerate(d):
            out.update(_flatten(v, f"{prefix}{i}."))
    else:
        out[prefix[:-1]] = d
    return out


# --- what differs, in words ------------------------------------------------------------------

#: fields a comparison never lists: its own settings (one seed and replications for all) and names
_NOT_COMPARED = ("name", "name_zh", "name_en", "description", "description_zh", "description_en", "seed",
                 "replications")


@dataclass
class DiffItem:
    """One parameter that differs: its stable ``key``, its ``label`` in words and one value per
    scenario, in words (the order of the scenarios compared)."""

    key: str
    label: str
    values: list[str]


@dataclass
class DiffGroup:
    """The differences of one team, case type, procedure or section of the settings.

    ``kind``: ``team`` | ``case_type`` | ``procedure`` | ``section``; ``title`` in words.
    """

    kind: str
    title: str
    items: list[DiffItem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _keyed(items: list[dict], key: str) -> dict[str, dict]:
    """List items by their name (first of a repeated name wins; names are unique when valid)."""
    out: dict[str, dict] = {}
    for x in items or []:
        out.setdefault(str(x.get(key)), x)
    return out


def _union_keys(dicts: Sequence[dict]) -> list[str]:
    """Keys in first-seen order over ``dicts`` (the reference first)."""
    return list(dict.fromkeys(k for d in dicts for k in d))


_ABSENT = object()  # a value of a scenario that lacks the whole entry (a case type, a procedure)


def _leaf_items(lang: str, path: str, key: str, values: list[Any], ref: int) -> list[DiffItem]:
    """Items for the sub-fields of ``path`` whose values differ (``values``: one per scenario,
    a dict of sub-fields, a value, or ``_ABSENT`` where the scenario lacks the entry)."""
    from ..vocabulary.field_labels import (
        FIELDS,
        LONG_LIST,
        generic,
        label,
        list_change_text,
        text,
        value_text,
    )

    present = [v for v in values if v is not _ABSENT]
    if present and all(isinstance(v, dict) for v in present) and generic(path) not in FIELDS:
        out: list[DiffItem] = []
        for k in _union_keys(present):
            sub = [_ABSENT if v is _ABSENT else v.get(k, _ABSENT) for v in values]
            out += _leaf_items(lang, f"{path}.{k}", f"{key}.{k}", sub, ref)
        return out
    if all(v == values[0] for v in values[1:]):
        return []
    texts = []
    for i, v in enumerate(values):
        r = values[ref]
        if v is _ABSENT:
            texts.append(text(lang, "no_item"))
        elif isinstance(v, list) and isinstance(r, list) and max(len(v), len(r)) > LONG_LIST:
            # a long list (holidays): the reference's length, the others' changes against it
            texts.append(text(lang, "count", n=len(v)) if i == ref else list_change_text(lang, path, v, r))
        else:
            texts.append(value_text(lang, path, v))
    return [DiffItem(key=key, label=label(lang, path), values=texts)]


def _entry_items(lang: str, coll: str, name: str, vals: list[Any], ref: int) -> list[DiffItem]:
    """The differences of one case type or procedure. One that some plans lack gets an item
    saying which plans have it; its fields are then compared among the plans that have it."""
    from ..vocabulary.field_labels import text

    absent = [v is _ABSENT for v in vals]
    if not any(absent):
        return _leaf_items(lang, f"{coll}.*", f"{coll}[{name}]", vals, ref)
    own = ref if not absent[ref] else absent.index(False)
    filled = [vals[own] if a else v for a, v in zip(absent, vals, strict=True)]
    items = [DiffItem(f"{coll}[{name}]", text(lang, "in_plan"),
                      [text(lang, "no_item") if a else text(lang, "yes") for a in absent])]
    for it in _leaf_items(lang, f"{coll}.*", f"{coll}[{name}]", filled, own):
        it.values = [text(lang, "no_item") if a else v for a, v in zip(absent, it.values, strict=True)]
        items.append(it)
    return items


def _procedure_label(lang: str, data: dict, key: str) -> str:
    proc = (data.get("procedures") or {}).get(key)
    if not isinstance(proc, dict):
        return key
    return (proc.get("label_zh") if lang == "zh" else proc.get("label_en")) or key


def _team_group(lang: str, name: str, teams: list[Optional[dict]], ref: int) -> Optional[DiffGroup]:
    from ..vocabulary.field_labels import change_text, change_when, team_summary, text

    g = DiffGroup("team", text(lang, "team", name=name))
    ref = ref if teams[ref] is not None else next(i for i, tm in enumerate(teams) if tm is not None)
    if any(tm is None for tm in teams):
        g.items.append(DiffItem(f"teams[{name}]", text(lang, "team", name=name),
                                [text(lang, "no_team") if tm is None else team_summary(lang, tm) for tm in teams]))
    else:
        for f in [k for k in teams[ref] if k not in ("name", "changes")]:
            g.items += _leaf_items(lang, f"teams.*.{f}", f"teams[{name}].{f}", [tm[f] for tm in teams], ref)
    # dated changes: one item per change that some scenario has and another does not
    sets = [[] if tm is None else [_canon(ch) for ch in tm.get("changes") or []] for tm in teams]
    for ch in _union_keys([dict.fromkeys(s) for s in sets]):
        have = [ch in s for s in sets]
        if all(have):
            continue
        c = dict(ch)
        g.items.append(DiffItem(f"teams[{name}].changes[{c.get('start')}~{c.get('end')}]",
                                text(lang, "change_when", when=change_when(lang, c)),
                                [change_text(lang, c) if h else text(lang, "no_change") for h in have]))
    return g if g.items else None


def _canon(ch: dict) -> tuple:
    """A dated change as a hashable, comparable value (field order fixed)."""
    return tuple(sorted((k, str(v) if v is not None else None) if k in ("start", "end") else (k, v)
                        for k, v in ch.items()))


def what_differs(scenarios: Sequence[Scenario], lang: str, reference: int = 0) -> list[DiffGroup]:
    """Every scenario parameter that differs between ``scenarios``, in words, grouped.

    Teams first (matched by name; a team one plan lacks is listed with its staff), each with its
    differing staff and every dated staffing change not shared by all; then the sections of the
    settings (demand, mediation, triage, ...), each case type (by name) and each procedure.
    Values are written in words in ``lang`` (percentages, dates, choices, "none"), never as raw
    keys or ``None``. The scenario's name, description, seed and replications are not compared
    (a comparison runs every plan with one seed and one number of replications).
    """
    from ..vocabulary.field_labels import SECTIONS, section_title, text

    datas = [scenario_to_dict(s) for s in scenarios]
    ref = reference if 0 <= reference < len(datas) else 0
    groups: list[DiffGroup] = []
    teams = [_keyed(d.get("teams") or [], "name") for d in datas]
    for name in _union_keys([teams[ref], *teams]):
        g = _team_group(lang, name, [t.get(name) for t in teams], ref)
        if g:
            groups.append(g)
    sections: dict[str, DiffGroup] = {}
    for key in _union_keys(datas):
        if key in _NOT_COMPARED or key in ("teams", "case_types", "procedures"):
            continue
        section = "policy" if key in ("assignment", "queue_discipline") else (key if key in SECTIONS else "")
        items = _leaf_items(lang, key, key, [d.get(key, _ABSENT) for d in datas], ref)
        if items:
            sections.setdefault(section, DiffGroup("section", section_title(lang, section))).items += items
    groups += [sections[s] for s in SECTIONS if s in sections]
    for kind, coll, key in (("case_type", "case_types", "name"), ("procedure", "procedures", None)):
        maps = [_keyed(d.get(coll) or [], key) if key else dict(d.get(coll) or {}) for d in datas]
        for name in _union_keys([maps[ref], *maps]):
            vals = [m.get(name, _ABSENT) for m in maps]
            own = next(v for v in (vals[ref], *vals) if v is not _ABSENT)  # a case type's or procedure's
            title = (own.get("label_zh") if lang == "zh" else own.get("label_en")) or name
            items = _entry_items(lang, coll, name, vals, ref)
            for it in items:
                if it.key.endswith("].procedure"):  # the procedure's own name, not its key
                    it.values = [_procedure_label(lang, datas[i], v) for i, v in enumerate(it.values)]
            if items:
                groups.append(DiffGroup(kind, text(lang, kind, name=title), items))
    return groups


def unique_names(names: list[str]) -> list[str]:
    """Make display names unique by numbering repeats."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        if n in seen:
            seen[n] += 1
            out.append(f"{n} ({seen[n]})")
        else:
            seen[n] = 1
            out.append(n)
    return out


def compare(scenarios: list[Scenario], reference: int = 0, replications: Optional[int] = None,
            seed: Optional[int] = None, workers: Optional[int] = None,
            progress: Optional[Callable[[int, int], None]] = None,
            runner: Callable[..., Results] = run) -> Comparison:
    """Run every scenario with the reference's seed and replications (unless given) and compare.

    ``progress(done, total)`` counts replications over all scenarios.
    ``runner`` lets the app pass a cached version of :func:`sim.analysis.runner.run`.
    """
    if not 1 <= len(scenarios):
        raise ValueError("compare needs at least one scenario")
    if not 0 <= reference < len(scenarios):
        raise ValueError(f"reference must be 0 to {len(scenarios) - 1}")
    ref = scenarios[reference]
    n = ref.replications if replications is None else replications
    s = ref.seed if seed is None else seed
    total = n * len(scenarios)
    results = []
    for i, scn in enumerate(scenarios):
        cb = None
        if progress:
            def cb(done: int, _tot: int, base: int = i * n) -> None:
                progress(base + done, total)
        results.append(runner(scn, replications=n, seed=s, workers=workers, progress=cb))
    return Comparison(unique_names([x.name for x in scenarios]), results, reference, s, n)
