"""The province page (issue 14) with AppTest, on the quick three-court province.

The example of 12 courts is the page's default (one click away); the three-court file runs in
seconds, so the test reads the whole answer: every court in one table, reasons court by court,
and both downloads (CSV rows for every court, the one-page HTML report).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from helpers import control, open_page
from test_app import _download
from ui.i18n import t
from ui.pages import province as P

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
QUICK = "three-courts.yaml"


def _page(lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=600)
    at.session_state["lang"] = lang
    open_page(at, "province")
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_example_is_the_default_and_nothing_runs_before_the_button():
    assert P.province_files()[0] == "example.yaml" and QUICK in P.province_files()
    at = _page("zh")
    assert control(at, "selectbox", "prov_file").value == "example.yaml"
    assert any(t("zh", "prov.press_run") in i.value for i in at.info)
    assert "12 个法院" in "\n".join(c.value for c in at.caption)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_quick_province_gets_an_allocation_with_reasons(lang, monkeypatch, captured_downloads):
    monkeypatch.delenv("COURT_SIM_DASK_SCHEDULER", raising=False)
    at = _page(lang)
    control(at, "selectbox", "prov_file").set_value(QUICK).run()
    control(at, "number_input", f"prov_reps_{QUICK}").set_value(2).run()
    at.button(key="prov_run").click().run()
    assert not at.exception, at.exception
    [table] = at.dataframe
    df = table.value
    assert list(df.iloc[:, 0]) == ["山区法院", "林区法院", "河口法院"]
    assert t(lang, "prov.col.missed_now") in df.columns
    posts_col = df.columns[1]
    judges = sum(int(x.split()[0]) for x in df[posts_col] if x != t(lang, "prov.none"))
    assert judges == 4                                            # the whole pool, no more
    text = "\n".join(m.value for m in at.markdown)
    for court in ("山区法院", "林区法院", "河口法院"):
        assert text.count(court) >= 1                              # a reason for every court
    assert ("平均分配" in text) if lang == "zh" else ("spread evenly" in text)
    state = at.session_state[P.RESULT]
    alloc = state[1]
    from sim.report.tables_studies import allocation_csv

    csv_text = allocation_csv(alloc, lang)
    # a header, then a row per court and figure: the registry's headline (the courts' targets are among it)
    from sim.vocabulary.figure_registry import HEADLINE

    assert csv_text.startswith("\ufeff") and csv_text.count("\n") == 1 + 3 * len(HEADLINE) == 37
    # the page's buttons: the same CSV, and the workbook with one row per court and figure
    assert _download(at, "prov_dl_csv", captured_downloads).decode("utf-8") == csv_text
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(_download(at, "prov_dl_xlsx", captured_downloads)))
    assert wb.worksheets[0].max_row == 1 + 3 * len(HEADLINE)
    from sim.report.province_report import province_html

    html = province_html(alloc.to_json_dict(), lang)
    assert "<script" not in html and "山区法院" in html and "@page" in html


class _Upload:
    def __init__(self, name: str, data: bytes) -> None:
        self.name, self._data = name, data

    def getvalue(self) -> bytes:
        return self._data


def test_an_uploaded_province_is_read_like_a_file_and_its_problems_name_the_field():
    text = (ROOT / "scenarios" / "provinces" / QUICK).read_text(encoding="utf-8")
    prov, name = P._load(_Upload("mine.yaml", text.encode("utf-8")), "example.yaml")
    assert prov.names == ["山区法院", "林区法院", "河口法院"] and name.startswith("upload-")
    from sim.model.errors import ScenarioError

    with pytest.raises(ScenarioError) as exc:
        P._load(_Upload("bad.yaml", text.replace("pool:", "pools:").encode("utf-8")), "example.yaml")
    assert "pools" in [e.path for e in exc.value.errors]
    with pytest.raises(ScenarioError) as exc:
        P._load(_Upload("big.yaml", b"#" * 1_000_001), "example.yaml")
    assert exc.value.errors[0].code == "file_too_large"
