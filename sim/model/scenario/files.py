"""A scenario to and from text and files: YAML in and out (the safe, bounded loader), the JSON
Schema, and the command line's ``--set FIELD=VALUE`` overrides."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import ScenarioError
from ..loader import parse_yaml, parse_yaml_here, read_yaml_file
from .schema import Scenario
from .validation import scenario_from_dict


def scenario_to_dict(scn: Scenario) -> dict:
    """Plain, YAML/JSON-safe data (dates as ISO strings)."""
    return scn.model_dump(mode="json")


def load_yaml_text(text: str, *, own: bool = False) -> Scenario:
    """Parse YAML text with the safe, bounded loader (:mod:`sim.model.loader`) and validate it.

    The parse runs in a child process under a memory and a time limit; ``own=True`` is for text
    this program has just written itself (a saved file read back to check it loads exactly),
    which is parsed here, bounded as ever, without a child.
    """
    return scenario_from_dict(parse_yaml_here(text) if own else parse_yaml(text))


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario YAML file (regular files of at most 1 MB only)."""
    return scenario_from_dict(read_yaml_file(path))


def dump_yaml(scn: Scenario) -> str:
    """The scenario as YAML text, readable and round-trippable."""
    return yaml.safe_dump(scenario_to_dict(scn), allow_unicode=True, sort_keys=False, width=100)


def save_scenario(scn: Scenario, path: str | Path) -> None:
    """Write a scenario as YAML, atomically (a crash never leaves a half-written file)."""
    import os
    import tempfile

    p = Path(path)
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(dump_yaml(scn))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def json_schema() -> dict:
    """The JSON Schema of a scenario file."""
    return Scenario.model_json_schema()


def _parse_value(raw: str, path: str) -> Any:
    """A ``--set`` value, parsed by the same bounded loader as a file.

    Text that is not YAML at all (``a: b: c``) is taken as the string itself, and validation
    then says what the field wants; the loader's limits (depth, aliases, duplicate keys) apply.
    """
    try:
        return parse_yaml(raw, path)
    except ScenarioError as exc:
        if exc.errors and exc.errors[0].code in ("yaml_syntax", "yaml_tag"):
            return raw
        raise


def apply_overrides(data: dict, overrides: list[str]) -> dict:
    """Apply ``FIELD=VALUE`` overrides (dotted paths, list indices as numbers) to plain data.

    Values are parsed as YAML scalars or flow collections (``9``, ``0.3``, ``null``, ``[1,2]``).
    Raises :class:`ScenarioError` naming the path when it does not exist.
    """
    import copy

    out = copy.deepcopy(data)
    for item in overrides:
        if "=" not in item:
            raise ScenarioError.one(item, "override_format", item)
        path, raw = item.split("=", 1)
        parts = [p for p in path.strip().split(".") if p != ""]
        if not parts:
            raise ScenarioError.one(path, "override_empty_path", item)
        cur: Any = out
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            here = ".".join(parts[: i + 1])
            if isinstance(cur, list):
                if not (part.isascii() and part.isdigit()):
                    raise ScenarioError.one(here, "override_list_index", part)
                idx = int(part)
                if not 0 <= idx < len(cur):
                    raise ScenarioError.one(here, "override_index_range", idx, max=len(cur) - 1)
                if last:
                    cur[idx] = _parse_value(raw, here)
                else:
                    cur = cur[idx]
            elif isinstance(cur, dict):
                if last:
                    cur[part] = _parse_value(raw, here)
                else:
                    if part not in cur or cur[part] is None:
                        cur[part] = {}
                    cur = cur[part]
            else:
                raise ScenarioError.one(".".join(parts[:i]), "override_no_subfields", cur)
    return out
