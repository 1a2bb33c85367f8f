"""One vocabulary: every figure has one name per language and one format on every surface.

Each figure is rendered through the app's card and table, the charts' axis titles, the HTML
report, the CSV files (engine and app download) and the command line's text, in Chinese and
English, and each surface must show the registry's name and the formatter's value.
"""
from __future__ import annotations

import csv
import html
import io
import json

import pytest
from streamlit.testing.v1 import AppTest

from helpers import scenario
from sim.analysis.compare import compare
from sim.cli.main import _compare_text, _summary_text
from sim.cli.text import display_width, table
from sim.report import charts_spec
from sim.report.html_report import comparison_html
from sim.report.tables_run import run_csv
from sim.vocabulary.export_text import word
from sim.vocabulary.figure_format import (
    change_interval,
    counted,
    figure_change,
    figure_interval,
    figure_label,
    figure_name,
    figure_value,
    target_text,
)
from sim.vocabulary.figure_registry import HEADLINE, REGISTRY
from ui.i18n import t
from ui.widgets import charts
from ui.widgets.cards import all_figures_table, delta_colour
from ui.widgets.downloads import results_csv

LANGS = ("zh", "en")
ALL = tuple(REGISTRY)


@pytest.fixture(scope="module")
def cmp2():
    scns = [scenario(horizon_months=2), scenario(horizon_months=2, **{"teams.0.judges": 6})]
    scns = [s.model_copy(update={"name": n}) for s, n in zip(scns, ("A", "B"), strict=True)]
    return compare(scns, replications=2, workers=1)


def test_registry_is_complete_and_names_are_distinct():
    assert len(ALL) == 26
    for lang in LANGS:
        names = [figure_name(lang, k) for k in ALL]
        assert len(set(names)) == len(names), "two figures share a name"
    for k, f in REGISTRY.items():
        assert f.key == k and f.name_zh != f.name_en and f.definition_zh and f.definition_en
        assert f.kind in ("count", "rate", "ratio", "days", "per_judge") and f.better in ("higher", "lower", None)
        assert f.percent == (f.kind in ("rate", "ratio"))
    # the Supreme People's Court's terms (model.md)
    assert REGISTRY["within_limit_rate"].name_zh == "审限内结案率"
    assert REGISTRY["clearance_rate"].name_zh == "结收比"
    assert REGISTRY["long_pending_share"].name_zh == "超12个月未结案件比"
    assert REGISTRY["mediation_resolution_share"].name_zh == "诉前调解成功案件数占诉至法院纠纷数的比例"
    assert REGISTRY["closures_per_judge"].name_zh.startswith("法官人均结案")


def test_formats():
    assert figure_value("zh", "clearance_rate", 1.05) == "105.0%" == figure_value("en", "clearance_rate", 1.05)
    assert figure_change("zh", "within_limit_rate", 0.02) == "+2.0 个百分点"
    assert figure_change("en", "within_limit_rate", -0.116) == "-11.6 pp"
    assert figure_change("zh", "clearance_rate", 0.05) == "+5.0 个百分点"
    assert figure_value("zh", "pending_end", 2164) == "2,164 件"
    assert figure_value("en", "pending_end", 2164) == "2,164 cases"
    assert figure_value("en", "long_pending_end", 1) == "1 case"
    assert figure_value("en", "pending_avg", 0.4) == "0.4 cases"
    assert figure_value("en", "disposition_days_mean", 74.25) == "74.2 days"
    assert figure_value("zh", "within_limit_rate", None) == "—"
    assert figure_interval("zh", "overdue_pending_end", -1.2, 26) == "0 – 26 件"      # never below 0
    assert figure_interval("en", "within_limit_rate", 0.946, 0.951) == "94.6% – 95.1%"
    assert change_interval("zh", "within_limit_rate", -0.01, 0.03) == "-1.0 – +3.0 个百分点"
    assert figure_change("en", "pending_end", 0.01) == "±0 cases"
    assert target_text("zh", "within_limit_rate", 0.95) == "≥ 95.0%"
    assert target_text("en", "long_pending_end", 0) == "≤ 0 cases"
    assert [counted("en", n, "team") for n in (1, 2)] == ["1 team", "2 teams"]
    assert counted("en", 1, "replication") == "1 replication" and counted("zh", 20, "replication") == "20 次重复"
    with pytest.raises(ValueError):
        figure_value("fr", "pending_end", 1)


def test_better_direction_drives_targets_and_card_colours():
    for k, f in REGISTRY.items():
        assert delta_colour(k) == {"higher": "normal", "lower": "inverse", None: "off"}[f.better]
    assert REGISTRY["within_limit_rate"].target_direction == ">="
    assert REGISTRY["long_pending_end"].target_direction == "<="


def test_wide_characters_keep_columns_aligned():
    assert display_width("审限内结案率") == 12 and display_width("Pending") == 7
    lines = table(["指标", "x"], [["审限内结案率", "1"], ["Pending", "22"]], right=(1,))
    assert len({display_width(line) for line in lines}) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_every_surface_shows_one_name_and_one_format(cmp2, lang):
    res = cmp2.results[0]
    summ = res.summary()
    value = {k: figure_value(lang, k, summ[k].mean) for k in ALL}
    interval = {k: figure_interval(lang, k, summ[k].ci_low, summ[k].ci_high) for k in ALL}

    # the app's detail table
    tbl = all_figures_table(lang, res)
    assert list(tbl[t(lang, "tbl.figure")]) == [figure_name(lang, k) for k in ALL]
    assert list(tbl[t(lang, "tbl.mean")]) == [value[k] for k in ALL]
    assert list(tbl[t(lang, "tbl.ci")]) == [interval[k] for k in ALL]

    # the charts' axis titles (what-if and comparison pages)
    def titles(chart) -> str:
        return json.dumps(chart.to_dict(), ensure_ascii=False)
    for chart, k in ((charts.pending_chart(lang, res), "pending_end"),
                     (charts.within_limit_chart(lang, res), "within_limit_rate"),
                     (charts.utilisation_chart(lang, res), "judge_utilisation"),
                     (charts_spec.pending_chart(lang, cmp2), "pending_end"),
                     (charts_spec.within_limit_chart(lang, cmp2), "within_limit_rate")):
        assert f'"title": "{figure_label(lang, k)}"' in titles(chart)

    # the HTML report, with every figure as a row
    page = html.unescape(comparison_html(cmp2, lang=lang, figures=ALL))
    rows = {(r["figure"], r["scenario"]): r for r in cmp2.rows(ALL)}
    for k in ALL:
        assert f"<th scope=\"row\">{figure_name(lang, k)}</th>" in page
        assert f"<b>{value[k]}</b>" in page and f"[{interval[k]}]" in page
        d = rows[(k, "B")]
        assert f"{figure_change(lang, k, d['diff_mean'])} [{change_interval(lang, k, d['diff_ci_low'], d['diff_ci_high'])}]" in page

    # the CSV files: the engine's (command line --csv) and the app's download
    code, name = word(lang, "code"), word(lang, "figure")
    for text in (run_csv(res, lang), results_csv(lang, res)):
        data = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        assert {r[code]: r[name] for r in data if r[code] in REGISTRY} == {k: figure_label(lang, k) for k in ALL}

    # the command line: run and compare
    out = _summary_text(res, lang)
    for k in ALL:
        line = next(x for x in out.splitlines() if x.startswith(figure_name(lang, k) + " "))
        assert value[k] in line and interval[k] in line
    out = _compare_text(cmp2, 0, lang)
    for k in ("within_limit_rate", "pending_end"):
        d = rows[(k, "B")]
        assert figure_name(lang, k) in out and figure_change(lang, k, d["diff_mean"]) in out


def _cards_app(lang: str) -> None:
    import streamlit as st

    from helpers import scenario as scn
    from sim.analysis.runner import run
    from ui.widgets.cards import render_cards

    res = run(scn(horizon_months=2), replications=2, workers=1)
    st.session_state["res"] = res
    render_cards(st.session_state.get("lang", "zh"), res, None)


@pytest.mark.parametrize("lang", LANGS)
def test_cards_show_the_registry_name_value_and_definition(lang):
    at = AppTest.from_function(_cards_app, args=(lang,), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    res = at.session_state["res"]
    summ = res.summary()
    cards = {m.label: m for m in at.metric}
    # one card per figure of the registry's headline list, in its order (issue 24)
    assert [m.label for m in at.metric] == [figure_name(lang, k) for k in HEADLINE]
    for k in HEADLINE:
        m = cards[figure_name(lang, k)]
        assert m.value == figure_value(lang, k, summ[k].mean)
        assert m.help == REGISTRY[k].definition(lang)
