"""The HTML comparison report, and the store's command line."""
from __future__ import annotations

import datetime as dt
import html
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import scenario
from sim.analysis.compare import HEADLINE, compare
from sim.vocabulary.figure_format import change_interval, figure_change, figure_name
from sim.report.html_report import LABELS, comparison_html, line_chart_svg
from sim.store.scenario_store import ENV_VAR, ScenarioStore

ROOT = Path(__file__).resolve().parent.parent
NAMES = ["基准 <b>方案</b> & \"quotes\"", "方案甲：速裁团队扩编", "plan C <script>alert(1)</script>"]


@pytest.fixture(scope="module")
def cmp3():
    scns = [
        scenario(horizon_months=4),
        scenario(horizon_months=4, **{"teams.0.judges": 7}),
        scenario(horizon_months=4, **{"mediation.share_offered": 0.6}),
    ]
    scns = [s.model_copy(update={"name": n}) for s, n in zip(scns, NAMES)]
    return compare(scns, replications=3, workers=1)


class _Collect(HTMLParser):
    """Counts charts and their series paths, and gathers text."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: list[list[str]] = []
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "svg" and "chart" in (a.get("class") or "").split():
            self.charts.append([])
        if tag == "path" and a.get("class") == "series":
            self.charts[-1].append(a["data-series"])

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_is_complete_escaped_and_self_contained(cmp3, lang):
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
    # one chart per figure, one line per scenario in each, in scenario order
    assert len(p.charts) == 2
    assert all(c == NAMES for c in p.charts)
    # offline and printable: nothing fetched from anywhere
    assert not re.search(r"https?://", page)
    assert not re.search(r"<(script|link|img|iframe)\b", page, re.I)
    assert "@import" not in page and "url(" not in page
    assert "@page" in page
    # the figures, seed, replications, date, reference and targets
    L = LABELS[lang]
    for fig in HEADLINE:
        assert figure_name(lang, fig) in text
    assert str(cmp3.seed) in text and f"{L['replications']}: {cmp3.replications}" in text
    assert "2025-03-01 09:30" in text and L["reference"] in text
    assert L["met"] in text and L["missed"] in text     # words, not colour alone
    assert "✓" in text and "✗" in text
    assert L["diff"] in text and L["what_differs"] in text
    assert "teams.0.judges" in text and "mediation.share_offered" in text


def test_report_differences_and_intervals_match_the_comparison(cmp3):
    page = comparison_html(cmp3, lang="en")
    rows = {(r["figure"], r["scenario"]): r for r in cmp3.rows(HEADLINE)}
    r = rows[("pending_end", NAMES[1])]
    assert f"{r['mean']:,.0f} cases" in page and figure_change("en", "pending_end", r["diff_mean"]) in page
    assert f"[{change_interval('en', 'pending_end', r['diff_ci_low'], r['diff_ci_high'])}]" in page
    wl = rows[("within_limit_rate", NAMES[0])]
    assert f"{100 * wl['mean']:.1f}%" in page
    with pytest.raises(ValueError):
        comparison_html(cmp3, lang="fr")


def test_line_chart_breaks_at_missing_months_and_shows_lone_points():
    svg = line_chart_svg(["a", "b", "c", "d", "e"], [("x", [1, 2, float("nan"), 4, 5]),
                                                      ("y", [float("nan"), 3, float("nan"), float("nan"), 1])],
                         title="t <&>")
    paths = re.findall(r'<path class="series" data-series="([^"]*)" d="([^"]*)"', svg)
    assert [p[0] for p in paths] == ["x", "y"]
    assert paths[0][1].count("M") == 2                   # a gap, not a line through the missing month
    assert svg.count("<circle") == 2                    # y's two isolated months stay visible
    assert "t &lt;&amp;&gt;" in svg
    tags = re.findall(r'<path class="series"[^>]*>', svg)
    assert "stroke-dasharray" not in tags[0] and "stroke-dasharray" in tags[1]  # told apart without colour


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
                   .replace("disputes_per_year: 12200", "disputes_per_year: oops"), encoding="utf-8")
    subst = {"BASE": str(ROOT / "scenarios" / "baseline.yaml"), "NOFILE": str(tmp_path / "missing.yaml"),
             "BADFILE": str(bad)}
    p = _cli(*[subst.get(a, a) for a in args], folder=tmp_path / "store")
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert message in p.stderr and "Traceback" not in p.stderr
    assert not (tmp_path / "store").exists() or not list((tmp_path / "store").glob("*.yaml"))
