"""The language catalogues: the same keys in Chinese and English, every key used somewhere."""
from __future__ import annotations

import re
import string

from helpers import ROOT
from sim.model.scenario import load_scenario, scenario_to_dict
from ui.widgets.controls import specs_for
from ui.i18n import DYNAMIC_KEYS, STRINGS
from ui.lang_en import EN
from ui.lang_zh import ZH


def _source() -> str:
    """Every file of the app that may look a key up (the catalogues themselves excluded)."""
    files = [ROOT / "app.py", *sorted((ROOT / "ui").rglob("*.py"))]
    return "\n".join(p.read_text(encoding="utf-8") for p in files if not p.name.startswith("lang_"))


def _control_keys() -> set[str]:
    """``ctl.<label>`` and its help for every control of every built-in scenario."""
    out = set()
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        for sp in specs_for(scenario_to_dict(load_scenario(path))):
            out |= {f"ctl.{sp.label}", f"ctl.{sp.label}.help"}
    return out


def test_both_languages_have_the_same_keys() -> None:
    assert STRINGS == {"zh": ZH, "en": EN}
    assert sorted(set(ZH) - set(EN)) == [], "keys only in Chinese"
    assert sorted(set(EN) - set(ZH)) == [], "keys only in English"


def test_both_languages_fill_in_the_same_placeholders() -> None:
    def fields(s: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(s) if f}
    bad = [k for k in ZH if fields(ZH[k]) != fields(EN[k])]
    assert bad == []  # (month labels are the engine's now: sim.report.charts_spec.month_label)


def test_every_key_is_used() -> None:
    src = _source()
    literal = {k for k in ZH if re.search(r"""["']""" + re.escape(k) + r"""["']""", src)}
    dynamic = set(DYNAMIC_KEYS) | _control_keys()
    assert sorted(set(ZH) - literal - dynamic) == [], "keys used nowhere: delete them or use them"


def test_the_dynamic_keys_exist_and_are_really_dynamic() -> None:
    src = _source()
    assert sorted(k for k in DYNAMIC_KEYS if k not in ZH) == []
    assert sorted(k for k in _control_keys() if k not in ZH) == []
    # a key that is written out in the code does not belong on the list
    assert [k for k in DYNAMIC_KEYS if f'"{k}"' in src] == []
