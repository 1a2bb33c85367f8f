"""Addresses bounded (issue 21 part 4): values and pick lists over a stated length are cut
before anything is parsed, and the page says what was ignored.

The reading itself (ui/address_read.py) is checked on raw query strings; the page in AppTest,
whose session gets the raw query string as a browser's would. How long the page takes to
settle is measured in a real browser by benchmarks/address_bounds.py (a figure, not a test);
the browser's own cut of an address Streamlit drops whole is in tests/test_browser_hostile.py.
"""
from __future__ import annotations

from urllib.parse import quote

import pytest
from streamlit.testing.v1 import AppTest

from helpers import ROOT
from ui.address_read import (
    ECHO_CHARS,
    MAX_CHARS,
    MAX_FIELDS,
    MAX_PICKS,
    MAX_QUERY_CHARS,
    STREAMLIT_FIELDS,
    read,
)


def test_a_value_over_its_length_is_ignored_whole_and_echoed_short() -> None:
    a = read("lang=en&s=" + "y" * 300 + "&p=compare")
    assert a.get("lang") == "en" and a.get("p") == "compare" and "s" not in a
    [(what, params)] = a.ignored
    assert what == "long" and params["param"] == "s" and params["n"] == 300 and params["limit"] == MAX_CHARS["s"]
    assert params["v"] == "y" * ECHO_CHARS + "…" and params["plus"] == ""


def test_values_are_measured_after_decoding() -> None:
    name = "速裁团队扩编方案" * 10  # 80 characters, 720 once percent-encoded
    a = read("s=" + quote("saved:" + name))
    assert a.get("s") == "saved:" + name and not a.ignored


def test_only_the_first_picks_are_read_and_the_rest_counted() -> None:
    a = read("&".join(f"c=builtin:{i}.yaml" for i in range(30)))
    assert a.get_all("c") == [f"builtin:{i}.yaml" for i in range(MAX_PICKS)]
    assert ("picks", {"n": 30, "k": 30 - MAX_PICKS, "limit": MAX_PICKS}) in a.ignored


def test_an_address_of_4000_picks_is_counted_whole_and_read_in_part() -> None:
    raw = "&".join(["c=builtin:baseline.yaml"] * 4000)
    a = read(raw)
    kinds = {k: p for k, p in a.ignored}
    assert kinds["length"] == {"n": len(raw), "limit": MAX_QUERY_CHARS}
    assert kinds["picks"]["n"] == 4000  # counted on the whole address, read within its first 8,000 characters
    assert len(a.get_all("c")) == MAX_PICKS


def test_the_value_the_length_cut_runs_through_says_plus() -> None:
    a = read("lang=" + "x" * 100_000)
    kinds = dict(a.ignored)
    assert kinds["long"]["plus"] == "+" and kinds["long"]["n"] == MAX_QUERY_CHARS - len("lang=")


def test_parameters_after_a_long_pick_list_are_still_read() -> None:
    a = read("&".join(["c=x"] * 300) + "&lang=en&cn=5")
    assert a.get("lang") == "en" and a.get("cn") == "5" and len(a.get_all("c")) == MAX_PICKS


def test_the_browsers_cut_stays_under_streamlits_limit() -> None:
    """The script keeps at most MAX_FIELDS parameters and adds one: Streamlit passes that on,
    so the cut address is never cut (and reloaded) again."""
    from ui.address_read import CUT_SCRIPT, STREAMLIT_CHARS

    assert MAX_FIELDS + 1 < STREAMLIT_FIELDS and MAX_QUERY_CHARS + 64 < STREAMLIT_CHARS
    assert f".slice(0, {MAX_FIELDS})" in CUT_SCRIPT and f".slice(0, {MAX_QUERY_CHARS})" in CUT_SCRIPT


def test_unknown_parameters_are_not_read_and_not_reported() -> None:
    a = read("embed=true&utm_source=x&lang=en")
    assert a.keys() == ["lang"] and not a.ignored


def test_the_browsers_note_on_a_dropped_address() -> None:
    a = read("c=x0&c=x1&cut=4000.30889.3998")
    assert a.get_all("c") == ["x0", "x1"] and "cut" not in a
    kinds = dict(a.ignored)
    assert kinds["dropped"] == {"n": 4000, "chars": 30889, "limit": STREAMLIT_FIELDS, "read": MAX_FIELDS}
    assert kinds["picks"]["n"] == 3998


# --- the page ----------------------------------------------------------------------------------

def _page(query: dict, lang: str = "zh") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def _warning(at: AppTest) -> str:
    return "\n".join(w.value for w in at.warning)


@pytest.mark.parametrize("key, value, words", [
    ("lang", "x" * 100_000, ["100,005", "8,000", "lang"]),
    ("s", "saved:" + "y" * 5_000, ["5,006", "260", "saved"]),
    ("e", "z" * 3_000, ["3,000", "2,000"]),
    ("x", "a." * 1_000, ["2,000", "200"]),
], ids=["lang", "s", "e", "x"])
def test_a_long_value_is_named_in_the_message_and_the_page_opens(key, value, words) -> None:
    at = _page({key: value})
    text = _warning(at)
    for w in words:
        assert w in text, (w, text)
    assert value[:ECHO_CHARS + 1] not in text.replace("\\", "")  # echoed short, not whole
    assert len(text) < 600
    assert at.session_state["lang"] == "zh"
    assert key not in at.query_params  # the address bar no longer holds it


def test_an_address_of_many_picks_reads_the_first_six_and_says_so() -> None:
    at = _page({"p": "compare", "c": [f"builtin:{f}" for f in ("baseline.yaml", "weak-court.yaml")] * 20})
    text = _warning(at)
    assert "40 个比较方案中的 34 个" in text, text
    assert at.session_state["_cmp_kept"]["cmp_pick"] == ["builtin:baseline.yaml", "builtin:weak-court.yaml"]
