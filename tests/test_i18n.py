"""The language catalogues (sim/vocabulary/catalogue/{zh,en}.toml): the same sections and keys in
Chinese and English with the same placeholders, every key of the app's section used somewhere."""
from __future__ import annotations

import re
import string
import tomllib

from helpers import ROOT
from sim.model.scenario import load_scenario, scenario_to_dict
from sim.vocabulary import catalogue
from ui.i18n import DYNAMIC_KEYS, STRINGS
from ui.widgets.controls import specs_for

ZH, EN = catalogue.section("zh", "ui"), catalogue.section("en", "ui")


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


def test_every_section_has_the_same_keys_in_both_languages() -> None:
    assert catalogue.sections("zh") == catalogue.sections("en")
    for name in catalogue.sections("zh"):
        zh, en = catalogue.section("zh", name), catalogue.section("en", name)
        assert (name, sorted(set(zh) - set(en))) == (name, []), "keys only in Chinese"
        assert (name, sorted(set(en) - set(zh))) == (name, []), "keys only in English"
        assert all(isinstance(v, str) for v in [*zh.values(), *en.values()]), name


def test_both_languages_fill_in_the_same_placeholders() -> None:
    def fields(s: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(s) if f}
    bad = [(name, k) for name in catalogue.sections("zh")
           for k, zh in catalogue.section("zh", name).items() if fields(zh) != fields(catalogue.section("en", name)[k])]
    # a month is a number in Chinese and a name in English (sim.report.charts_spec.month_label fills both)
    assert bad == [("report_charts", "month.label")]


def test_a_control_named_like_its_field_shows_the_fields_words() -> None:
    # one phrase, one key: the label of "ctl.seed" is written once, as the field "seed"
    from sim.vocabulary.field_labels import label
    assert (ZH["ctl.seed"], EN["ctl.seed"]) == ("随机种子", "Random seed")
    assert (label("zh", "seed"), label("en", "seed")) == ("随机种子", "Random seed")
    for lang in ("zh", "en"):
        with open(ROOT / f"sim/vocabulary/catalogue/{lang}.toml", "rb") as fh:
            raw = tomllib.load(fh)
        assert raw["ui_same_as_fields"]["ctl.seed"] == "seed" and "ctl.seed" not in raw["ui"]
        fields = {(catalogue.section("zh", "fields")[k], catalogue.section("en", "fields")[k])
                  for k in raw["fields"]}
        twice = [k for k in raw["ui"] if not k.endswith(".help") and (ZH[k], EN[k]) in fields]
        assert twice == [], "a phrase of the app written again: refer to its field (ui_same_as_fields)"


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
