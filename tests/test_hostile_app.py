"""Hostile uploads in the app (issue 21 part 1): the page answers with a message and carries on,
and the next session (another user of the same server) is not affected.

AppTest runs the page in this process, as the server would: before the parse moved to a child
process, the XFD1048576 workbook aborted the whole test run (SIGABRT), as it took the Streamlit
server down. The real server in a real browser: tests/test_browser_hostile.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from helpers import ROOT, app_on
from sim.calibration import readers
from sim.model import sandbox
from sim.store.scenario_store import ENV_VAR, ScenarioStore
from test_hostile_files import SST, UNREFERENCED, XFD

EXAMPLE = ROOT / "scenarios" / "examples" / "court-records"
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def store_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "saved"
    monkeypatch.setenv(ENV_VAR, str(folder))
    return folder


def _page(lang: str, page: str) -> AppTest:
    return app_on(lang, page, timeout=600)


def _errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


@pytest.mark.parametrize("lang, name, data, words", [
    ("zh", "xfd.xlsx", XFD, ["xfd.xlsx", "1,048,576 行 × 16,384 列", "XFD1048576", "最多读取 500,000 行"]),
    ("en", "sst.xlsx", SST, ["sst.xlsx", "4,000,000,000 shared texts", "at most 10,000,000"]),
    ("en", "unreferenced.xlsx", UNREFERENCED, ["unreferenced.xlsx", "reading the file was stopped",
                                               "3,072 MB", "500,000 rows"]),
], ids=["xfd", "sst", "unreferenced"])
def test_a_hostile_workbook_on_the_calibration_page_is_a_message(store_dir, lang, name, data, words) -> None:
    at = _page(lang, "calibrate")
    at.file_uploader(key="cal_up_cases").set_value((name, data, MIME)).run()
    assert not at.exception, at.exception
    errs = _errors(at)
    for w in words:
        assert w in errs, (w, errs)
    assert "cal_read" not in [b.key for b in at.button]  # nothing to read
    # the same session goes on: a real file in the same box is read
    real = (EXAMPLE / "cases.xlsx").read_bytes()
    at.file_uploader(key="cal_up_cases").set_value(("cases.xlsx", real, MIME)).run()
    assert not at.exception and not at.error, (at.exception, _errors(at))
    at.button(key="cal_read").click().run()
    assert not at.exception and not at.error, _errors(at)
    assert any("7123" in m.value for m in at.markdown)  # the quality line: the example has 7,123 rows


def test_the_next_user_is_not_affected(store_dir) -> None:
    """One session's stopped parse leaves the server to the others: a second session reads the
    example court and a third the what-if page, with figures."""
    bad = _page("zh", "calibrate")
    bad.file_uploader(key="cal_up_cases").set_value(("unreferenced.xlsx", UNREFERENCED, MIME)).run()
    assert "读取文件已中止" in _errors(bad)
    other = _page("zh", "calibrate")
    other.button(key="cal_example").click().run()
    assert not other.exception and not other.error
    assert any("拒绝 8 行" in m.value for m in other.markdown)
    third = _page("zh", "whatif")
    assert len(third.metric) == 12  # the eight headline cards and the four per-track ones


def test_a_scenario_upload_whose_parse_is_stopped_is_a_message(store_dir, monkeypatch) -> None:
    """The store's upload goes through the scenario loader's child: at a limit no parse can
    meet, the upload box says so and nothing is saved; at the real limit the same file saves."""
    at = _page("en", "whatif")
    # a text no other test parses (parsed texts are kept by their hash and not parsed again)
    text = (ROOT / "scenarios" / "weak-court.yaml").read_bytes() + b"\n# test_hostile_app: store\n"
    real = sandbox.SECONDS
    monkeypatch.setattr(sandbox, "SECONDS", 0.001)
    at.file_uploader(key="store_upload").set_value(("weak.yaml", text, "application/x-yaml")).run()
    assert not at.exception, at.exception
    assert "reading the file was stopped after 0.001 s" in _errors(at), _errors(at)
    assert ScenarioStore(store_dir).list() == []
    monkeypatch.setattr(sandbox, "SECONDS", real)
    at.file_uploader(key="store_upload").set_value(("weak2.yaml", text, "application/x-yaml")).run()
    assert not at.exception and not at.error, _errors(at)
    assert [e.ok for e in ScenarioStore(store_dir).list()] == [True]


def test_a_province_upload_whose_parse_is_stopped_is_a_message(store_dir, monkeypatch) -> None:
    at = _page("zh", "province")
    text = (ROOT / "scenarios" / "provinces" / "three-courts.yaml").read_bytes() + b"\n# test_hostile_app: province\n"
    monkeypatch.setattr(sandbox, "SECONDS", 0.001)
    at.file_uploader(key="prov_upload").set_value(("p.yaml", text, "application/x-yaml")).run()
    assert not at.exception, at.exception
    assert "读取文件已中止" in _errors(at) and "0.001 秒" in _errors(at), _errors(at)


def test_the_declared_limits_stated_in_the_docs_are_the_code_s() -> None:
    readme = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")  # "Importing a court's own records"
    for figure in (f"{readers.MAX_ROWS:,}", f"{readers.MAX_COLUMNS:,}", f"{readers.MAX_CELLS:,}",
                   f"{readers.MAX_RATIO}", f"{sandbox.MEMORY_MB:,} MB", f"{sandbox.SECONDS:g} s"):
        assert figure in readme, figure
