"""An engine failure reaches the page as a sentence of the catalogue in the page's language,
never as the exception's own (English) text."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
SECRET = "boom at /srv/court/secret/runner.py line 12"


@pytest.mark.parametrize("lang, words", [("zh", "模拟未能完成：程序内部出错（RuntimeError）"),
                                         ("en", "The simulation could not finish: An internal fault (RuntimeError)")])
def test_a_run_that_fails_is_a_message_of_the_catalogue(monkeypatch, lang: str, words: str) -> None:
    import ui.pages.whatif

    def broken(*a, **k):
        raise RuntimeError(SECRET)
    monkeypatch.setattr(ui.pages.whatif, "attach", broken)
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    shown = [e.value for e in at.error]
    assert any(words in e for e in shown), shown
    assert not any("boom" in e or "/srv/" in e for e in shown), shown
