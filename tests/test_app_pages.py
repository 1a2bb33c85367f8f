"""The pages behind st.navigation (issue 24.1) in AppTest: every page opens, an old ``?p=`` link
lands on its page, and a page module that fails to import stops the app with an error instead of
silently leaving the menu (as the old importlib menu did)."""
from __future__ import annotations

import sys

import pytest
from streamlit.testing.v1 import AppTest

from helpers import ROOT, open_page
from ui.i18n import t

APP = str(ROOT / "app.py")
#: each page's heading, written here from the catalogue's keys (the pages draw them)
TITLES = {"whatif": "app.title", "compare": "cmp.title", "advisor": "adv.title", "calibrate": "cal.title",
          "province": "prov.title", "training": "tr.title", "glossary": "gl.title"}
EXPECTED = ["whatif", "compare", "advisor", "calibrate", "province", "training", "glossary", "present"]


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def test_the_menu_lists_the_tasks_in_order():
    from ui.navigation import HIDDEN, names

    assert names() == EXPECTED
    assert HIDDEN == ("present",)  # opened from the trainer's view, not from the menu


@pytest.mark.parametrize("page", [p for p in EXPECTED if p in TITLES])
def test_an_old_page_link_opens_that_page(page):
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["p"] = page
    at.query_params["lang"] = "en"
    _ok(at.run())
    assert at.session_state["page"] == page
    assert at.title[0].value == t("en", TITLES[page])
    assert "p" not in at.query_params  # the page is the path now; the language stays shared
    assert at.query_params.get("lang") == "en"


def test_pages_move_between_each_other_in_one_session():
    at = AppTest.from_file(APP, default_timeout=300)
    _ok(open_page(at, "glossary").run())
    assert at.title[0].value == t("zh", "gl.title")
    _ok(open_page(at, "compare").run())
    assert at.title[0].value == t("zh", "cmp.title")
    _ok(at.run())  # a rerun stays on the page
    assert at.session_state["page"] == "compare" and at.title[0].value == t("zh", "cmp.title")


def test_an_unknown_old_page_link_says_so_and_opens_the_what_if_page():
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["p"] = "admin"
    _ok(at.run())
    assert at.session_state["page"] == "whatif"
    assert any("admin" in str(w.value) for w in at.warning)


@pytest.mark.parametrize("broken", ["ui.pages.glossary", "ui.pages.province"])
def test_a_page_that_fails_to_import_is_an_error_not_a_missing_page(broken, monkeypatch):
    # None in sys.modules makes the import fail, as a syntax error or a missing library would
    monkeypatch.setitem(sys.modules, broken, None)
    at = AppTest.from_file(APP, default_timeout=300)
    at.run()
    assert at.exception, "the app drew its pages without the broken one"
    assert broken in at.exception[0].message
