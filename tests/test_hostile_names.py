"""Names (issue 21 part 5): control characters and characters that change the direction or the
visibility of text are refused in every name, with a message naming the character; they never
reach a file name.

A right-to-left override (U+202E) makes "报告\u202egpj.yaml" show as "报告lmay.jpg": a name is
what it looks like, so such characters are refused in saved scenarios' names, teams', case
types' and the scenario's own names, training groups' names, exercise titles and a province's
court names.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml

from helpers import ROOT, app_on
from sim.model.errors import ScenarioError
from sim.model.scenario import load_scenario, scenario_from_dict, scenario_to_dict
from sim.store.scenario_store import ENV_VAR, META_PREFIX, InvalidName, ScenarioStore, safe_filename
from sim.training.exercise import exercise_from_dict
from sim.training.session import SessionError, clean_name
from sim.vocabulary.safe_text import describe_chars, refused_in_name, without_refused

BASE = ROOT / "scenarios" / "baseline.yaml"

#: (character, how the message names it)
REFUSED = [("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"), ("\u202a", "U+202A LEFT-TO-RIGHT EMBEDDING"),
           ("\u202b", "U+202B RIGHT-TO-LEFT EMBEDDING"), ("\u202c", "U+202C POP DIRECTIONAL FORMATTING"),
           ("\u202d", "U+202D LEFT-TO-RIGHT OVERRIDE"), ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
           ("\u2067", "U+2067 RIGHT-TO-LEFT ISOLATE"), ("\u2068", "U+2068 FIRST STRONG ISOLATE"),
           ("\u2069", "U+2069 POP DIRECTIONAL ISOLATE"), ("\u200e", "U+200E LEFT-TO-RIGHT MARK"),
           ("\u200f", "U+200F RIGHT-TO-LEFT MARK"), ("\u061c", "U+061C ARABIC LETTER MARK"),
           ("\u200b", "U+200B ZERO WIDTH SPACE"), ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
           ("\x07", "U+0007 BELL"), ("\x1b", "U+001B ESCAPE"), ("\x85", "U+0085 NEXT LINE"),
           ("\u2028", "U+2028 LINE SEPARATOR"), ("\U000e0041", "U+E0041 TAG LATIN CAPITAL LETTER A")]
IDS = [w.split(" ", 1)[0] for _, w in REFUSED]


@pytest.mark.parametrize("char, words", REFUSED, ids=IDS)
def test_each_character_is_refused_and_named(char: str, words: str) -> None:
    assert refused_in_name(f"甲{char}乙") == [char]
    assert describe_chars([char]) == words
    assert without_refused(f"甲{char}乙") == "甲乙"


def test_ordinary_names_pass_untouched() -> None:
    for name in ("速裁团队扩编方案", "民一庭 (2)", "Team A – B", "家事·少年", "甲　乙", "张三丰的方案 #2", "ÉCOLE"):
        assert refused_in_name(name) == []
        assert without_refused(name) == name


def test_a_saved_scenario_name_with_an_override_is_refused_naming_it(tmp_path) -> None:
    store = ScenarioStore(tmp_path / "s")
    scn = load_scenario(BASE)
    with pytest.raises(InvalidName) as e:
        store.save(scn, "报告\u202egpj.yaml")
    assert e.value.code == "name_chars"
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in e.value.text("en") and "U+202E RIGHT-TO-LEFT OVERRIDE" in e.value.text("zh")
    assert "改变文字方向" in e.value.text("zh")
    store.save(scn, "好方案")
    with pytest.raises(InvalidName):
        store.rename("好方案", "坏\u2067方案")
    with pytest.raises(InvalidName):
        store.duplicate("好方案", "坏\u200f方案")
    assert [e.name for e in store.list()] == ["好方案"]


def test_an_old_file_with_such_a_name_is_listed_as_unreadable_and_can_be_renamed_or_deleted(tmp_path) -> None:
    """A file saved before the check (or copied in) keeps working as a file: its reason is
    shown, it can be renamed to a clean name or deleted, and its download name is clean."""
    folder = tmp_path / "s"
    folder.mkdir()
    text = BASE.read_text(encoding="utf-8")
    bad_name = "旧\u202e方案"
    data = yaml.safe_load(text)
    data["name"] = bad_name
    (folder / "old\u202elmay.yaml").write_text(
        META_PREFIX + json.dumps({"format": 1, "name": bad_name, "note": "", "saved_at": ""}) + "\n"
        + yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    store = ScenarioStore(folder)
    [entry] = store.list()
    assert not entry.ok and [p.code for p in entry.problems] == ["name_chars"]
    assert "\u202e" not in store.download_filename(bad_name)
    renamed = store.rename(bad_name, "新方案")
    assert renamed.name == "新方案" and "\u202e" not in renamed.file.name
    store.delete("新方案")
    assert store.list() == []


def test_file_names_never_hold_such_characters() -> None:
    for name in ("甲方案", "a b", "..", "CON", "x" * 120):
        assert refused_in_name(safe_filename(name)) == []


@pytest.mark.parametrize("field", ["teams.0.name", "case_types.0.name", "name"])
def test_scenario_names_refuse_them(field: str) -> None:
    data = scenario_to_dict(load_scenario(BASE))
    target, key = data, field.split(".")
    for k in key[:-1]:
        target = target[int(k)] if k.isdigit() else target[k]
    target[key[-1]] = "速裁\u202e团队"
    with pytest.raises(ScenarioError) as e:
        scenario_from_dict(data)
    [err] = e.value.errors
    assert (err.path, err.code) == (field, "name_chars")
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in err.line("zh")


def test_descriptions_keep_their_line_breaks() -> None:
    data = scenario_to_dict(load_scenario(BASE))
    data["description"] = "第一行\n第二行\t缩进"
    assert scenario_from_dict(data).description == "第一行\n第二行\t缩进"


def test_group_names_and_exercise_titles_refuse_them() -> None:
    with pytest.raises(SessionError) as e:
        clean_name("第一组\u2066")
    assert e.value.code == "ses_name_chars" and "U+2066 LEFT-TO-RIGHT ISOLATE" in e.value.text("zh")
    assert clean_name("第一  组") == "第一 组"
    data = yaml.safe_load((ROOT / "scenarios" / "exercises" / "three-extra-judges.yaml").read_text(encoding="utf-8"))
    data["title"]["en"] = "Three \u202eextra judges"
    with pytest.raises(ScenarioError) as e:
        exercise_from_dict(data)
    assert [(x.path, x.code) for x in e.value.errors] == [("title.en", "name_chars")]


def test_province_court_names_refuse_them() -> None:
    from sim.province.spec import province_from_data

    data = yaml.safe_load((ROOT / "scenarios" / "provinces" / "three-courts.yaml").read_text(encoding="utf-8"))
    data["courts"][0]["name"] = "一院\u202e"
    with pytest.raises(ScenarioError) as e:
        province_from_data(data, ROOT / "scenarios" / "provinces", "p.yaml")
    assert any(x.path == "courts.0.name" and x.code == "name_chars" for x in e.value.errors)


def test_the_command_line_says_which_character(tmp_path) -> None:
    env = {**os.environ, ENV_VAR: str(tmp_path / "s"), "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, "-m", "sim", "scenarios", "save", str(BASE), "--name", "方案\u202eAB"],
                       cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in p.stderr, p.stderr


def test_the_app_says_which_character(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "s"))
    at = app_on("zh", "whatif")
    at.text_input(key="store_save_name").set_value("报告\u202egpj.yaml")
    at.button(key="store_save").click().run()
    assert not at.exception, at.exception
    errs = "\n".join(e.value for e in at.error)
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in errs, errs
    assert ScenarioStore(tmp_path / "s").list() == []
