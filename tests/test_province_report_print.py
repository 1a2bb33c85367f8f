"""The province allocation's one-page report printed by Chromium: one A4 landscape page for the
12-court example, in Chinese and English. The allocation comes from a formula runner (the
report's layout is under test here, not the engine), with the example's real courts and pool.
"""
from __future__ import annotations

import pytest

from helpers import ROOT
from sim.province.allocate import allocate
from sim.province.spec import load_province
from sim.report.province_report import province_html
from test_province import FormulaRunner
from test_report_print import chromium, pdf_pages, print_pdf  # noqa: F401 (chromium is a fixture)

pytestmark = pytest.mark.usefixtures("needs_browser")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_twelve_court_report_prints_on_one_a4_landscape_page(chromium, lang):  # noqa: F811
    prov = load_province(ROOT / "scenarios" / "provinces" / "example.yaml")
    data = allocate(prov, FormulaRunner(), replications=3).to_json_dict()
    page_html = province_html(data, lang)
    assert pdf_pages(print_pdf(chromium, page_html, f"province_report_{lang}")) == 1
    assert all(name in page_html for name in prov.names)
    assert "<script" not in page_html and "http" not in page_html
