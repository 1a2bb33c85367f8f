"""The HTML comparison report, and the store's command line."""
from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import html_text, raw_keys, scenario
from sim.analysis.compare import compare
from sim.report import charts_spec
from sim.report.html_report import LABELS, REPORT_FIGURES, comparison_html, report_chart_specs
from sim.store.scenario_store import ENV_VAR, ScenarioStore
from sim.vocabulary.figure_format import change_interval, figure_change, figure_name, verdict_word
from sim.vocabulary.figure_registry import COMPARED

ROOT = Path(__file__).resolve().parent.parent
NAMES = ["基准 <b>方案</b> & \"quotes\"", "方案甲：速裁团队扩编", "plan C <script>alert(1)</script>"]


@pytest.fixture(scope="module")
def cmp3():
    scns = [
        scenario(horizon_months=4),
        scenario(horizon_months=4, **{"teams.0.judges": 7}),
        scenario(horizon_months=4, **{"mediation.share_offered": 0.45}),
    ]
    scns = [s.model_copy(update={"name": n}) for s, n in zip(scns, NAMES, strict=True)]
    return compare(scns, replications=3, workers=1)


class _Collect(HTMLParser):
    """Gathers the text, the tags, and the text inside each chart figure."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.charts: list[list[str]] = []
        self._in_chart = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "figure" and "chart" in (a.get("class") or "").split():
            self.charts.append([])
            self._in_chart = 1
        elif self._in_chart and tag == "figure":
            self._in_chart += 1

    def handle_endtag(self, tag):
        if self._in_chart and tag == "figure":
            self._in_chart -= 1

    def handle_data(self, data):
        self.text.append(data)
        if self._in_chart:
            self.charts[-1].append(data)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_is_complete_escaped_self_contained_and_in_words(cmp3, lang):
    page = comparison_html(cmp3, lang=lang, notes={NAMES[1]: "两名法官 <i>note</i>"},
                           generated_at=dt.datetime(2025, 3, 1, 9, 30))
    p = _Collect()
    p.feed(page)
    text = "".join(p.text)
    for n in NAMES:
        assert html.escape(n, quote=True) in page      # escaped ...
        assert n in text                               # ... and shown as written
    assert "<script" not in page.lower() and "<b>方案</b>" not in page and "<i>note</i>" not in page
    assert "两名法官 <i>note</i>" in text
    # two charts, each naming every plan in its legend, titled as on the comparison page
    assert len(p.charts) == 2
    for chart, title in zip(p.charts, ("pending.title", "within.title"), strict=True):
        chart_text = "".join(chart)
        assert charts_spec.WORDS[lang][title] in chart_text
        assert all(n in chart_text for n in NAMES[:2])  # the third's long name is cut short by the legend
    # offline and printable: nothing fetched from anywhere, no address at all
    assert not re.search(r"https?://", page)
    assert not re.search(r"<(script|link|img|iframe|image)\b", page, re.I)
    assert "@import" not in page and "url(" not in page
    assert "@page { size: A4 landscape" in page
    # the figures, seed, replications, date, reference and targets
    L = LABELS[lang]
    for fig in REPORT_FIGURES:
        assert figure_name(lang, fig) in text
    assert {"within_limit_rate_simple", "within_limit_rate_complex", "overdue_pending_end_simple"} <= set(REPORT_FIGURES)
    assert str(cmp3.seed) in text and f"{L['replications']}: {cmp3.replications}" in text
    assert "2025-03-01 09:30" in text and L["reference"] in text
    # verdicts in words only: no mark standing for a word
    assert any(verdict_word(lang, v) in text for v in ("met", "missed", "undecided"))
    assert "✓" not in text and "✗" not in text
    assert L["what_differs"] in text
    # what differs, in words: the team's judges by the team's name, the rest counted
    team = cmp3.results[0].scenario.teams[0].name
    assert L["team_field"].format(team=team, field=L["field.judges"]) in text
    assert L["others"].format(n=1) in text
    assert raw_keys(cmp3, text) == []


def test_app_words_every_other_difference_for_the_report(cmp3):
    from sim.vocabulary.field_labels import label
    from ui.pages.compare import report_differences

    for lang in ("zh", "en"):
        diffs = report_differences(lang, cmp3)  # the engine's words (what_differs), teams left to the report
        assert [d.label for d in diffs] == [label(lang, "mediation.share_offered")]
        assert diffs[0].values == ("60%", "60%", "45%")  # the baseline offers 60 %, the third plan 45 %
        text = html_text(comparison_html(cmp3, lang=lang, differences=diffs))
        assert label(lang, "mediation.share_offered") in text and LABELS[lang]["others"].format(n=1) not in text
        assert raw_keys(cmp3, text) == []


def test_report_differences_and_intervals_match_the_comparison(cmp3):
    page = comparison_html(cmp3, lang="en")
    rows = {(r["figure"], r["scenario"]): r for r in cmp3.rows(COMPARED)}
    r = rows[("pending_end", NAMES[1])]
    assert f"{r['mean']:,.0f} cases" in page and figure_change("en", "pending_end", r["diff_mean"]) in page
    assert f"[{change_interval('en', 'pending_end', r['diff_ci_low'], r['diff_ci_high'])}]" in page
    wl = rows[("within_limit_rate", NAMES[0])]
    assert f"{100 * wl['mean']:.1f}%" in page
    with pytest.raises(ValueError):
        comparison_html(cmp3, lang="fr")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_charts_are_the_comparison_pages_specifications(cmp3, lang):
    # the report only resizes the app's charts and sets their font: the rest is the same spec
    for (name, build), chart in zip(charts_spec.COMPARISON_CHARTS, report_chart_specs(cmp3, lang), strict=True):
        app, printed = build(lang, cmp3).to_dict(), chart.to_dict()
        assert printed["height"] < app["height"]
        for spec in (app, printed):
            spec.pop("config", None)
            spec.pop("width", None)
            spec.pop("height", None)
        app_text = json.dumps(app, ensure_ascii=False, sort_keys=True)
        printed_text = json.dumps(printed, ensure_ascii=False, sort_keys=True)
        # the legend's label limit is the one size inside the encoding
        assert printed_text.replace('"labelLimit": 150', '"labelLimit": 0') == app_text, name  # app: no limit


def _cli(*args: str, folder: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, **{ENV_VAR: str(folder)})
    return subprocess.run([sys.executable, "-m", "sim", "scenarios", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, input=stdin)


def test_store_cli_list_save_show_delete(tmp_path):
    folder = tmp_path / "shared"
    base = str(ROOT / "scenarios" / "baseline.yaml")
    p = _cli("list", folder=folder)
    assert p.returncode == 0 and "no saved scenarios" in p.stdout

    p = _cli("save", base, "--name", "速裁团队扩编方案", "--note", "两名法官", folder=folder)
    assert p.returncode == 0, p.stderr
    p = _cli("save", base, "--name", "速裁团队扩编方案", folder=folder)
    assert p.returncode == 2 and "already exists" in p.stderr and "Traceback" not in p.stderr
    p = _cli("save", base, "--name", "速裁团队扩编方案", "--note", "改", "--overwrite", folder=folder)
    assert p.returncode == 0, p.stderr

    (folder / "corrupt.yaml").write_text("teams: [", encoding="utf-8")
    p = _cli("list", folder=folder)
    assert p.returncode == 0
    assert "速裁团队扩编方案" in p.stdout and "改" in p.stdout
    assert "UNREADABLE" in p.stdout and "corrupt.yaml" in p.stdout

    p = _cli("show", "速裁团队扩编方案", folder=folder)
    assert p.returncode == 0 and "name: 速裁团队扩编方案" in p.stdout and "teams:" in p.stdout

    p = _cli("rename", "速裁团队扩编方案", "方案甲", folder=folder)
    assert p.returncode == 0, p.stderr
    p = _cli("duplicate", "方案甲", "方案乙", folder=folder)
    assert p.returncode == 0, p.stderr

    # no terminal and no --yes: refuse, keep the file
    p = _cli("delete", "方案甲", folder=folder, stdin="")
    assert p.returncode == 2 and "--yes" in p.stderr
    assert ScenarioStore(folder).exists("方案甲")
    p = _cli("delete", "方案甲", "--yes", folder=folder)
    assert p.returncode == 0, p.stderr
    assert ScenarioStore(folder).names() == ["方案乙"]
    assert "方案甲" not in _cli("list", folder=folder).stdout


@pytest.mark.parametrize("args, message", [
    (("save", "BASE", "--name", "a\x01b"), "control"),
    (("save", "BASE", "--name", "x" * 300), "at most 120"),
    (("save", "NOFILE", "--name", "ok"), "cannot read"),
    (("save", "BADFILE", "--name", "ok"), "demand.disputes_per_year"),
    (("show", "../../etc/passwd"), "no saved scenario"),
    (("delete", "nothing", "--yes"), "no saved scenario"),
    (("rename", "nothing", "x"), "no saved scenario"),
])
def test_store_cli_bad_input_exits_2(tmp_path, args, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text((ROOT / "scenarios" / "baseline.yaml").read_text(encoding="utf-8")
                   .replace("disputes_per_year: 14300", "disputes_per_year: oops"), encoding="utf-8")
    subst = {"BASE": str(ROOT / "scenarios" / "baseline.yaml"), "NOFILE": str(tmp_path / "missing.yaml"),
             "BADFILE": str(bad)}
    p = _cli(*[subst.get(a, a) for a in args], folder=tmp_path / "store")
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert message in p.stderr and "Traceback" not in p.stderr
    assert not (tmp_path / "store").exists() or not list((tmp_path / "store").glob("*.yaml"))


def test_cli_compare_writes_the_same_report(tmp_path):
    out = tmp_path / "report.html"
    p = subprocess.run([sys.executable, "-m", "sim", "compare", "scenarios/weak-court.yaml",
                        "scenarios/weak-court-restaffing.yaml", "--set", "horizon_months=2", "-n", "2", "-w", "1",
                        "--quiet", "--lang", "en", "--html", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    page = out.read_text(encoding="utf-8")
    text = html_text(page)
    assert page.startswith("<!DOCTYPE html>") and "@page { size: A4 landscape" in page
    assert page.count('<figure class="chart"') == 2
    L = LABELS["en"]
    assert L["title"] in text and "weak court re-staffing itself" in text
    # the staffing changes are worded team by team; mediation's three parameters are counted
    assert L["team_field"].format(team="民事一庭", field=L["field.changes"]) in text
    assert L["others"].format(n=3) in text
    assert not re.search(r"\b(teams|mediation)\.[a-z0-9_.]+", text)
