"""Text a user controls is shown as text (issue 21 part 2): the one escape, and every surface
that draws such text in Markdown or HTML.

The escape's effect in a real browser (each kind of element, and the literal text a reader
sees) is tests/test_browser_hostile.py; here, the escape on its own, the reports and handouts
(HTML, autoescaped), and the app's pages in AppTest, whose elements hold the Markdown source:
planted text must reach them only escaped.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import yaml

from helpers import ROOT, app_on
from sim.model.scenario import load_scenario, scenario_from_dict, scenario_to_dict
from sim.store.scenario_store import ENV_VAR, ScenarioStore
from sim.vocabulary.safe_text import html_escape, md_escape, md_escape_all

HOST = "planted.invalid"
PLANTED = ("[x](http://planted.invalid) ![](http://planted.invalid/t.png) "
           "<img src=http://planted.invalid/i.png>")
LINK_IMG = "[x](http://planted.invalid)![](http://planted.invalid/t.png)"
IMG_TAG = "<img src=http://planted.invalid/i.png>"

#: planted Markdown that survived: a link or image opener, an HTML tag, a bare scheme
_UNESCAPED = re.compile(r"(?<!\\)\[[^\]\n]*(?<!\\)\]\(|(?<!\\)<img|(?<!\\)<a\b|http://planted")


def unescaped(text: str) -> list[str]:
    """The planted constructs ``text`` (Markdown source) still holds, unescaped."""
    return _UNESCAPED.findall(text)


def test_the_detector_sees_what_it_must() -> None:
    assert unescaped(PLANTED) and unescaped(LINK_IMG) and unescaped(IMG_TAG)
    assert unescaped(md_escape(PLANTED)) == []


# --- the escape ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("[x](http://a.b)", "\\[x\\](http\u2060://a.b)"),
    ("![](u)", "!\\[\\](u)"),
    ("<img src=x>", "\\<img src=x\\>"),
    ("**b** *i* `c` ~~s~~ $m$ a|b &amp;", "\\*\\*b\\*\\* \\*i\\* \\`c\\` \\~\\~s\\~\\~ \\$m\\$ a\\|b \\&amp;"),
    ("_x_ share_offered", "\\_x\\_ share_offered"),
    ("# h", "\\# h"), ("- a", "\\- a"), ("+ a", "\\+ a"), ("> q", "\\> q"), ("= =", "\\= ="),
    ("12. a", "12\\. a"), ("3) a", "3\\) a"),
    ("    code", "\u00a0\u00a0\u00a0\u00a0code"),
    ("a\nb", "a  \nb"), ("a\r\nb", "a  \nb"),
    (":red[x] :blue", "\\:red\\[x\\] \\:blue"),
    ("saved:甲方案 teams.0.judges: 9", "saved:甲方案 teams.0.judges: 9"),
    ("www.x.cn a@b.cn :smile:", "www\u2060.x.cn a@\u2060b.cn \\:\u2060smile:"),
    ("2025-01-01 (x) 3.5% 甲、乙", "2025-01-01 (x) 3.5% 甲、乙"),
    ("a\\b", "a\\\\b"),
    (None, ""), (12.5, "12.5"),
])
def test_md_escape(text, expected) -> None:
    assert md_escape(text) == expected


def test_md_escape_all_leaves_numbers_to_their_formats() -> None:
    out = md_escape_all({"name": "[a](b)", "n": 1234, "share": 0.5})
    assert out == {"name": "\\[a\\](b)", "n": 1234, "share": 0.5}
    assert "{n:,}".format(**out) == "1,234"


def test_html_escape() -> None:
    assert html_escape('<img src="x" onerror=\'y\'>&') == "&lt;img src=&quot;x&quot; onerror=&#x27;y&#x27;&gt;&amp;"
    assert html_escape(None) == ""


# --- reports and handouts (HTML) -------------------------------------------------------------------

class _Refs(HTMLParser):
    """Every tag of a page, and each attribute that points somewhere."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.refs += [v or "" for k, v in attrs if k in ("href", "src", "srcset", "xlink:href", "action", "style")]


def _assert_inert(page: str) -> None:
    refs = _Refs()
    refs.feed(page)
    assert not [r for r in refs.refs if HOST in r]
    assert "script" not in refs.tags and "iframe" not in refs.tags
    assert "&lt;img src=http://planted.invalid/i.png&gt;" in page or "&lt;img" in page  # shown, as text


def _planted_scenario(name: str = PLANTED):
    data = scenario_to_dict(load_scenario(ROOT / "scenarios" / "baseline.yaml"))
    data["name"], data["description"] = name, PLANTED
    data["teams"][0]["name"], data["teams"][1]["name"] = LINK_IMG, IMG_TAG
    data["horizon_months"], data["replications"] = 2, 2
    return scenario_from_dict(data)


def test_the_comparison_report_shows_planted_names_as_text() -> None:
    from sim.analysis.compare import compare
    from sim.report.html_report import comparison_html

    base = load_scenario(ROOT / "scenarios" / "baseline.yaml").model_copy(update={"horizon_months": 2, "replications": 2})
    cmp = compare([base, _planted_scenario()], replications=2, workers=1)
    assert PLANTED in cmp.names
    for lang in ("zh", "en"):
        page = comparison_html(cmp, lang=lang, notes={PLANTED: PLANTED})
        _assert_inert(page)
        assert "[x](http://planted.invalid)" in page  # the name as its characters


def test_the_training_handout_shows_planted_titles_and_group_names_as_text(tmp_path) -> None:
    from sim.training.exercise import exercise_from_dict, starting_scenario
    from sim.training.handout import handout_html
    from sim.training.plan import plan_from_dict, starting_plan
    from sim.training.scoring import PlanEvaluator, standings
    from sim.training.session import TrainingStore

    ex = exercise_from_dict({
        "title": {"zh": PLANTED, "en": PLANTED}, "brief": {"zh": PLANTED, "en": PLANTED},
        "debrief": {"zh": PLANTED, "en": PLANTED}, "scenario": "weak-court.yaml", "seed": 3, "replications": 2,
        "horizon_months": 2, "limits": {"change": ["judges", "assistants", "clerks"], "extra": {"judges": 1}},
        "deciding": {"figure": "pending_end", "target": 500}})
    start = starting_scenario(ex)
    store = TrainingStore(tmp_path)
    code = store.create("x")
    gid, tok = store.join(code, "[x](http://planted.invalid)")
    plan = starting_plan(ex, start).model_dump()
    plan["teams"][start.teams[0].name]["judges"] += 1
    store.submit(code, gid, tok, plan_from_dict(plan), ex, start)
    store.join(code, IMG_TAG[:40])  # a group still waiting, named with a tag
    st = standings(ex, start, store, code, PlanEvaluator(workers=1))
    for lang in ("zh", "en"):
        page = handout_html(ex, start, st, code, lang, revealed=True)
        _assert_inert(page)
        assert "[x](http://planted.invalid)" in page


# --- the app, in AppTest -----------------------------------------------------------------------------

def _markdown_sources(at) -> list[str]:
    """The Markdown source of every element that reads Markdown, labels and help texts included."""
    out: list[str] = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "title", "header", "subheader",
                 "toast", "exception"):
        out += [e.value for e in getattr(at, kind, [])]
    for kind in ("metric", "button", "checkbox", "toggle", "slider", "select_slider", "text_input", "text_area",
                 "number_input", "selectbox", "multiselect", "radio", "date_input", "expander", "tabs"):
        for e in getattr(at, kind, []):
            out += [str(getattr(e, a)) for a in ("label", "help") if getattr(e, a, None)]
    return out


@pytest.fixture
def planted_store(tmp_path, monkeypatch):
    folder = tmp_path / "saved"
    ScenarioStore(folder).save(_planted_scenario(), PLANTED, note=PLANTED)
    monkeypatch.setenv(ENV_VAR, str(folder))
    return folder


def test_the_what_if_page_with_a_planted_saved_scenario(planted_store) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.query_params["s"] = "saved:" + PLANTED
    at.run()
    assert not at.exception, at.exception
    sources = _markdown_sources(at)
    assert any("\\[x\\](http\u2060://planted.invalid)" in s for s in sources)  # the scenario line, escaped
    assert [s for s in sources if unescaped(s)] == []


def test_the_store_panel_messages_and_questions(planted_store) -> None:
    at = app_on("en", "whatif")
    at.text_input(key="store_save_name").set_value(PLANTED)
    at.button(key="store_save").click().run()  # the name is taken: the page asks first
    at.button(key="store_save").click().run()
    sources = _markdown_sources(at)
    assert any("already" in s.lower() or "overwrite" in s.lower() for s in sources)
    assert [s for s in sources if unescaped(s)] == []


def test_an_uploaded_scenario_named_with_a_link(planted_store) -> None:
    at = app_on("zh", "whatif")
    scn = scenario_to_dict(load_scenario(ROOT / "scenarios" / "weak-court.yaml"))
    scn["name"] = LINK_IMG
    at.file_uploader(key="store_upload").set_value(("p.yaml", yaml.safe_dump(scn, allow_unicode=True).encode(),
                                                    "application/x-yaml")).run()
    assert not at.exception
    sources = _markdown_sources(at)
    assert any("planted" in s for s in sources) and [s for s in sources if unescaped(s)] == []


def test_the_address_notice_echoes_values_as_text() -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    for k in ("lang", "s", "c", "e", "p"):
        at.query_params[k] = LINK_IMG
    at.run()
    assert not at.exception
    notice = "\n".join(w.value for w in at.warning)
    assert "planted" in notice and unescaped(notice) == []


def test_the_comparison_page_with_planted_names(planted_store) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    at.query_params["p"] = "compare"
    at.query_params["c"] = ["saved:" + PLANTED, "builtin:baseline.yaml"]
    at.query_params["cn"] = "2"
    at.run()
    assert not at.exception, at.exception
    sources = _markdown_sources(at)
    assert any("planted" in s for s in sources) and [s for s in sources if unescaped(s)] == []


def test_the_province_page_with_a_planted_file(planted_store) -> None:
    at = app_on("zh", "province")
    prov = yaml.safe_load((ROOT / "scenarios" / "provinces" / "three-courts.yaml").read_text(encoding="utf-8"))
    prov["name"], prov["description_zh"] = PLANTED, PLANTED
    prov["courts"][0]["name"] = LINK_IMG
    at.file_uploader(key="prov_upload").set_value(("p.yaml", yaml.safe_dump(prov, allow_unicode=True).encode(),
                                                   "application/x-yaml")).run()
    assert not at.exception, at.exception
    sources = _markdown_sources(at)
    assert any("planted" in s for s in sources) and [s for s in sources if unescaped(s)] == []
    prov["courts"][1][LINK_IMG] = 1  # an unknown field: its path, the file's own key, is in the message
    at.file_uploader(key="prov_upload").set_value(("q.yaml", yaml.safe_dump(prov, allow_unicode=True).encode(),
                                                   "application/x-yaml")).run()
    errs = "\n".join(e.value for e in at.error)
    assert "planted" in errs and unescaped(errs) == []


def test_the_calibration_page_echoes_a_planted_file_name() -> None:
    from test_hostile_files import XFD

    at = app_on("zh", "calibrate")
    at.file_uploader(key="cal_up_cases").set_value((LINK_IMG + ".xlsx", XFD, "application/octet-stream")).run()
    errs = "\n".join(e.value for e in at.error)
    assert "planted" in errs and unescaped(errs) == []


def test_a_group_named_with_a_link_on_its_page_and_the_trainers(tmp_path, monkeypatch) -> None:
    from sim.training.session import TrainingStore as SessionStore

    ex_dir, tr_dir = tmp_path / "exercises", tmp_path / "training"
    ex_dir.mkdir()
    ex = yaml.safe_load((ROOT / "scenarios" / "exercises" / "three-extra-judges.yaml").read_text(encoding="utf-8"))
    ex["title"] = ex["brief"] = ex["debrief"] = {"zh": PLANTED, "en": PLANTED}
    (ex_dir / "planted.yaml").write_text(yaml.safe_dump(ex, allow_unicode=True), encoding="utf-8")
    for k, v in {"COURT_SIM_EXERCISE_DIR": ex_dir, "COURT_SIM_TRAINING_DIR": tr_dir, ENV_VAR: tmp_path / "s",
                 "COURT_SIM_TRAINER_CODE": "code"}.items():
        monkeypatch.setenv(k, str(v))
    store = SessionStore(tr_dir)
    code = store.create("planted")
    gid, token = store.join(code, "[x](http://planted.invalid)")
    store.reveal(code, True)
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    at.query_params["x"] = f"{code}.{gid}.{token}"
    at.run()
    assert not at.exception, at.exception
    sources = _markdown_sources(at)
    assert sum("planted" in s for s in sources) >= 2  # the title and the group's name
    assert [s for s in sources if unescaped(s)] == []
    at.session_state["page"] = "training"
    at.run()
    sources = _markdown_sources(at)
    assert any("planted" in s for s in sources) and [s for s in sources if unescaped(s)] == []
