"""Planted text and hostile files in a real browser (issue 21 parts 1, 2 and 4).

Debian's Chromium driven by Playwright. Planted text, ``[x](http://planted.invalid)
![](http://planted.invalid/t.png) <img src=http://planted.invalid/i.png>``, goes in through each
way a user can give the app text: the address (``lang``, ``s``, ``c``, ``e``), a saved scenario's
name, note and description and its teams' names, an uploaded scenario's name, an uploaded file's
name, records' team and judge names and headers, a province file's name, description and courts,
an exercise's title and a training group's name. On every page each reaches, no element links
to or shows an image from the planted host and the browser asks it for nothing
(``page.on("request")``). A control page draws the same text unescaped once, so the checks are
seen to catch it. The server itself survives a hostile workbook (the calibration page answers
with a message, a second browser's page works) and an address Streamlit would drop whole is cut
by the browser and named. Screenshots: ``tests/artifacts/browser_hostile_*.png``.
"""
from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
import yaml

from browser_support import ARTIFACTS, ROOT, app_server, browser_page, wait_until_no_run
from sim.model.scenario import load_scenario, scenario_from_dict, scenario_to_dict
from sim.store.scenario_store import ENV_VAR, ScenarioStore
from test_hostile_files import XFD

pytestmark = pytest.mark.usefixtures("needs_browser")

HOST = "planted.invalid"
PLANTED = ("[x](http://planted.invalid) ![](http://planted.invalid/t.png) "
           "<img src=http://planted.invalid/i.png>")
#: the same for fields of at most 60 characters (team names, court names)
LINK_IMG = "[x](http://planted.invalid)![](http://planted.invalid/t.png)"
IMG_TAG = "<img src=http://planted.invalid/i.png>"
LOAD_MS = 300_000

#: elements that would show the planted host: a link, an image, a source of any kind
_PLANTED_JS = """(host) => Array.from(document.querySelectorAll('a[href], img, [src], [srcset], link[href]'))
  .filter(e => ['href', 'src', 'srcset'].some(a => (e.getAttribute(a) || '').includes(host)))
  .map(e => e.outerHTML.slice(0, 200))"""


def _to_planted(url: str) -> bool:
    """A request to the planted host, or for a path a planted relative link names (the page's own
    address, whose query holds the planted text, is neither)."""
    from urllib.parse import urlparse

    u = urlparse(url)
    return HOST in (u.hostname or "") or HOST in u.path


class Watch:
    """Every request the browser makes to the planted host, and what the page shows."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url) if _to_planted(r.url) else None)

    def planted_elements(self) -> list[str]:
        return self.page.evaluate(_PLANTED_JS, HOST)

    def assert_clean(self, where: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"browser_hostile_{where}.png"), full_page=True)
        assert self.planted_elements() == [], where
        assert self.requests == [], (where, self.requests)


def _wait_text(page, text: str) -> None:
    """Wait until a reader sees ``text`` (the escape's word joiners are invisible)."""
    page.wait_for_function("(t) => document.body.innerText.replaceAll('\\u2060', '').includes(t)", arg=text,
                           timeout=LOAD_MS)


CARDS = ".st-key-card_within_limit_rate [data-testid='stMetricValue']"  # the what-if page's figures


def _open(page, url: str, ready: str) -> None:
    """Open ``url`` and wait for ``ready`` (a CSS selector when it starts with ".", else text)."""
    page.goto(url, timeout=LOAD_MS)
    (page.locator(ready) if ready.startswith(".") else page.get_by_text(ready)).first.wait_for(timeout=LOAD_MS)
    wait_until_no_run(page, LOAD_MS)


# --- the escape itself, in every kind of element ---------------------------------------------------

def test_md_escape_is_literal_in_every_markdown_element() -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with app_server(script="tests/safe_text_page.py") as url, browser_page() as (page, errors):
        w = Watch(page)
        _open(page, url + "/?raw=1", "drawn")  # the control: drawn as it is
        assert w.planted_elements() and w.requests, "the checks did not see the unescaped text"
        page.goto("about:blank")
        w.requests.clear()
        _open(page, url, "drawn")
        w.assert_clean("escape")
        from safe_text_page import LINES
        from safe_text_page import PLANTED as CORPUS

        def shown(key: str) -> str:  # what a reader sees (the word joiners are invisible)
            return page.locator(f".st-key-{key} [data-testid='stMarkdownContainer']").first.inner_text() \
                .replace("\u2060", "").replace("\u00a0", " ")
        assert shown("literal") == CORPUS
        assert shown("lines").split("\n") == LINES.split("\n")  # each line as typed, headings and lists too
        assert page.locator("h1, h2, h3").filter(has_text="heading").count() == 0
        assert page.locator(".st-key-literal code, .st-key-literal strong, .st-key-literal em, "
                            ".st-key-literal del, .st-key-literal .katex, .st-key-literal table").count() == 0
        assert not [e for e in errors if "planted" in e]


# --- every way in, in the app ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def planted_app(tmp_path_factory):
    """The app with a shared folder holding a planted scenario, a planted exercise and a session
    with a planted group."""
    root = tmp_path_factory.mktemp("planted")
    store_dir, ex_dir, tr_dir = root / "saved", root / "exercises", root / "training"
    ex_dir.mkdir()
    base = scenario_to_dict(load_scenario(ROOT / "scenarios" / "baseline.yaml"))
    base["description"] = base["description_zh"] = base["description_en"] = PLANTED
    base["teams"][0]["name"], base["teams"][1]["name"] = LINK_IMG, IMG_TAG
    base["horizon_months"], base["replications"] = 3, 2
    ScenarioStore(store_dir).save(scenario_from_dict(base), PLANTED, note=PLANTED)
    ex = yaml.safe_load((ROOT / "scenarios" / "exercises" / "three-extra-judges.yaml").read_text(encoding="utf-8"))
    ex["title"] = {"zh": PLANTED, "en": PLANTED}
    ex["brief"] = {"zh": PLANTED, "en": PLANTED}
    (ex_dir / "planted.yaml").write_text(yaml.safe_dump(ex, allow_unicode=True), encoding="utf-8")
    env = {ENV_VAR: str(store_dir), "COURT_SIM_EXERCISE_DIR": str(ex_dir), "COURT_SIM_TRAINING_DIR": str(tr_dir),
           "COURT_SIM_TRAINER_CODE": "trainer-code"}
    import os

    from sim.training.session import TrainingStore as SessionStore

    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        sessions = SessionStore(tr_dir)
        code = sessions.create("planted")
        gid, token = sessions.join(code, "[x](http://planted.invalid)")
    finally:
        for k, v in old.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with app_server(env=env) as url:
        yield {"url": url, "group": f"{code}.{gid}.{token}", "root": root}


def test_planted_text_through_the_address_and_the_saved_scenario(planted_app) -> None:
    url = planted_app["url"]
    with browser_page(1440, 900) as (page, errors):
        w = Watch(page)
        # the address: every value echoed in "part of the link was ignored"
        q = urlencode({"lang": PLANTED, "s": PLANTED, "c": PLANTED, "e": PLANTED})
        _open(page, f"{url}/?{q}", "链接")
        _wait_text(page, "[x](http://planted.invalid)")  # echoed, as its characters
        w.assert_clean("address")
        # the saved scenario: its name in the scenario line, its teams in the sliders and tables,
        # its description, and the store's list with its note
        _open(page, f"{url}/?s={quote('saved:' + PLANTED)}", CARDS)
        page.get_by_text("方案说明").first.click()
        w.assert_clean("saved")
        # the comparison with it picked: names in the table, the targets' lines and the legends
        q = urlencode([("p", "compare"), ("c", "saved:" + PLANTED), ("c", "builtin:baseline.yaml"), ("cn", "2")])
        _open(page, f"{url}/?{q}", "共同随机数")
        w.assert_clean("compare")
        assert not [e for e in errors if HOST in e]


def test_planted_text_through_uploads(planted_app, tmp_path) -> None:
    url = planted_app["url"]
    with browser_page(1440, 900) as (page, errors):
        w = Watch(page)
        # an uploaded scenario whose name is planted
        scn = scenario_to_dict(load_scenario(ROOT / "scenarios" / "weak-court.yaml"))
        scn["name"] = PLANTED + " (upload)"
        up = tmp_path / "upload.yaml"
        up.write_text(yaml.safe_dump(scn, allow_unicode=True), encoding="utf-8")
        _open(page, url, CARDS)
        page.get_by_text("已保存方案").first.click()
        page.locator(".st-key-store_upload input[type=file]").set_input_files(str(up))
        page.get_by_text("(upload)").first.wait_for(timeout=LOAD_MS)
        wait_until_no_run(page, LOAD_MS)
        w.assert_clean("upload_scenario")
        # records with planted team and judge names and headers, then a workbook named with a link
        rows = ["案号,立案日期,结案日期,适用程序,承办部门,承办人," + LINK_IMG.replace(",", ""),
                f"（2025）豫0403民初1号,2025-01-02,2025-02-03,简易程序,{LINK_IMG},{IMG_TAG},x"]
        rec = tmp_path / "records.csv"
        rec.write_text("\n".join(rows) + "\n", encoding="utf-8")
        bad = tmp_path / "![x](planted.invalid).xlsx"
        bad.write_bytes(XFD)
        _open(page, f"{url}/calibrate", "用本院数据校准")
        box = page.locator(".st-key-cal_up_cases input[type=file]")
        box.set_input_files(str(bad))
        page.get_by_text("XFD1048576").first.wait_for(timeout=LOAD_MS)  # the server answered
        wait_until_no_run(page, LOAD_MS)
        w.assert_clean("upload_workbook")
        box.set_input_files(str(rec))
        page.locator(".st-key-cal_read button").first.wait_for(timeout=LOAD_MS)
        wait_until_no_run(page, LOAD_MS)
        page.locator(".st-key-cal_read button").first.click()
        page.get_by_text("数据质量报告").first.wait_for(timeout=LOAD_MS)
        wait_until_no_run(page, LOAD_MS)
        w.assert_clean("records")
        # a province file whose name, description and courts are planted
        prov = yaml.safe_load((ROOT / "scenarios" / "provinces" / "three-courts.yaml").read_text(encoding="utf-8"))
        prov["name"], prov["description_zh"], prov["description_en"] = PLANTED, PLANTED, PLANTED
        prov["courts"][0]["name"] = LINK_IMG
        pf = tmp_path / "province.yaml"
        pf.write_text(yaml.safe_dump(prov, allow_unicode=True), encoding="utf-8")
        _open(page, f"{url}/province", "员额")
        page.locator(".st-key-prov_upload input[type=file]").set_input_files(str(pf))
        _wait_text(page, "[x](http://planted.invalid)")
        wait_until_no_run(page, LOAD_MS)
        w.assert_clean("province")
        assert not [e for e in errors if HOST in e]


def test_planted_exercise_title_and_group_name(planted_app) -> None:
    url = planted_app["url"]
    with browser_page(1440, 900) as (page, errors):
        w = Watch(page)
        # the group's own page: the exercise's title and brief, the group's name
        _open(page, f"{url}/?x={planted_app['group']}", CARDS)
        _wait_text(page, "[x](http://planted.invalid)")
        w.assert_clean("group")
        _open(page, f"{url}/training", "培训")
        w.assert_clean("training")
        assert not [e for e in errors if HOST in e]


# --- the server survives, and an address Streamlit would drop is named ------------------------------

def test_a_hostile_workbook_leaves_the_server_to_the_others(planted_app, tmp_path) -> None:
    url = planted_app["url"]
    from test_hostile_files import UNREFERENCED

    bad = tmp_path / "unreferenced.xlsx"
    bad.write_bytes(UNREFERENCED)  # what the declared checks cannot see: the parse's child stops
    with browser_page(1024, 768) as (page, errors):
        other = page.context.browser.new_context(viewport={"width": 1024, "height": 768}).new_page()  # another user
        _open(page, f"{url}/calibrate", "用本院数据校准")
        page.locator(".st-key-cal_up_cases input[type=file]").set_input_files(str(bad))
        page.get_by_text("读取文件已中止").first.wait_for(timeout=LOAD_MS)
        page.screenshot(path=str(ARTIFACTS / "browser_hostile_stopped.png"), full_page=True)
        _open(other, url, CARDS)  # another user: the server is up and draws the what-if page
        page.get_by_text("使用示例法院数据").first.click()  # and the first user goes on
        page.get_by_text("数据质量报告").first.wait_for(timeout=LOAD_MS)
        assert page.locator("[data-testid='stException']").count() == 0


def test_an_address_streamlit_would_drop_whole_is_cut_and_named(planted_app) -> None:
    url = planted_app["url"]
    with browser_page(1440, 900) as (page, errors):
        q = "lang=en&" + "&".join(f"c=x{i}" for i in range(3000))
        page.goto(f"{url}/?{q}", timeout=LOAD_MS)
        page.get_by_text("3,001 parts").first.wait_for(timeout=LOAD_MS)
        wait_until_no_run(page, LOAD_MS)
        text = page.locator("[data-testid='stAlert']").filter(has_text="3,001 parts").first.inner_text()
        assert "more than the 1,000" in text and "2,994 of the 3,000 comparison picks" in text, text
        assert len(page.url) < 2_500  # the address bar holds the cut address, not the 30 KB one
        page.screenshot(path=str(ARTIFACTS / "browser_hostile_dropped.png"), full_page=True)
