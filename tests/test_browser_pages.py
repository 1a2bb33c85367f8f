"""The pages at their own addresses in a real browser (issue 24.1): a link to ``/compare`` opens
the comparison, the menu moves between pages, and a link written before the pages had paths
(``?p=compare``, ``?view=present``) still lands on its page, now at its path."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from browser_support import app_server, browser_page, wait_until_no_run
from ui.i18n import t

pytestmark = pytest.mark.usefixtures("needs_browser")

TIMEOUT_MS = 240_000
#: each page's path and the heading it shows (the catalogue's key), written out here
PAGES = [("", "app.title"), ("compare", "cmp.title"), ("advisor", "adv.title"), ("calibrate", "cal.title"),
         ("province", "prov.title"), ("training", "tr.title"), ("glossary", "gl.title")]


def _heading(page, lang: str, key: str) -> None:
    page.locator("h1").filter(has_text=t(lang, key)).first.wait_for(timeout=TIMEOUT_MS)
    wait_until_no_run(page, TIMEOUT_MS)


def test_each_page_opens_at_its_own_path_and_the_menu_moves_between_them():
    with app_server() as url, browser_page(1440, 900) as (page, errors):
        for path, key in PAGES:
            page.goto(f"{url}/{path}?lang=en")
            _heading(page, "en", key)
            assert urlsplit(page.url).path.rstrip("/") == ("/" + path if path else ""), page.url
            assert page.locator("[data-testid=stException]").count() == 0, path
        # the menu: one link per task (presenter mode is not one), each to its path
        links = page.locator("[data-testid=stSidebarNavLink]")
        assert links.count() == len(PAGES)
        links.filter(has_text=t("en", "nav.glossary")).first.click()
        _heading(page, "en", "gl.title")
        assert urlsplit(page.url).path == "/glossary"
        assert parse_qs(urlsplit(page.url).query).get("lang") == ["en"]  # shared state follows
        assert not errors, errors


def test_an_old_page_link_lands_on_the_page_at_its_path():
    with app_server() as url, browser_page(1440, 900) as (page, errors):
        page.goto(f"{url}/?p=compare&lang=en")
        _heading(page, "en", "cmp.title")
        page.wait_for_url(lambda u: urlsplit(u).path == "/compare", timeout=60_000)
        query = parse_qs(urlsplit(page.url).query)
        assert "p" not in query and query.get("lang") == ["en"], page.url
        page.goto(f"{url}/?view=present&s=weak-court.yaml")
        page.locator(".st-key-pr_figure [data-testid=stMetricValue]").wait_for(timeout=TIMEOUT_MS)
        page.wait_for_url(lambda u: urlsplit(u).path == "/present", timeout=60_000)
        assert parse_qs(urlsplit(page.url).query).get("s") == ["weak-court.yaml"]
        assert not errors, errors
