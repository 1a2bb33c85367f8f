"""The command line: output formats, exit codes, field-level messages, no tracebacks."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from helpers import ROOT

BASE = "scenarios/baseline.yaml"
FAST = ["--replications", "3", "--set", "horizon_months=3", "--quiet"]
SERIAL = ["--workers", "1"]


def sim(*args: str, locale: str = "C.UTF-8") -> subprocess.CompletedProcess:
    """``python -m sim ARGS`` under a fixed locale (it picks the default --lang)."""
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    env["LANG"] = locale
    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env=env)


def test_run_json_has_the_documented_shape() -> None:
    out = sim("run", BASE, *FAST, *SERIAL, "--json", "-")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"scenario", "seed", "replications", "summary", "monthly", "teams"} <= set(data)
    assert data["replications"] == 3 and len(data["monthly"]) == 3
    required = ["filed", "closed", "pending_end", "clearance_rate", "within_limit_rate", "extension_rate",
                "overdue_pending_end", "long_pending_end", "disposition_days_mean", "disposition_days_median",
                "disposition_days_p90", "wait_days_mean", "mediation_diversion_rate", "mediation_success_rate",
                "judge_utilisation", "closures_per_judge"]
    for k in required:
        st = data["summary"][k]
        assert set(st) == {"mean", "ci_low", "ci_high"}
        assert st["ci_low"] <= st["mean"] <= st["ci_high"]
    for k in ("within_limit_rate", "extension_rate", "mediation_diversion_rate", "mediation_success_rate",
              "judge_utilisation"):
        assert 0 <= data["summary"][k]["mean"] <= 1
    assert len(data["teams"]) == 5


def test_run_csv_and_seed_override(tmp_path) -> None:
    path = tmp_path / "out.csv"
    a = sim("run", BASE, *FAST, "--seed", "5", "--csv", str(path), "--workers", "1")
    assert a.returncode == 0, a.stderr
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")     # the BOM Excel on Chinese Windows needs
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert {r["Period"] for r in rows} == {"Total", "2025-01", "2025-02", "2025-03"}
    b = sim("run", BASE, *FAST, "--seed", "5", "--csv", "-", "--workers", "2")
    assert b.stdout == path.read_text(encoding="utf-8")   # serial == parallel, BOM and all
    assert "Within-limit rate" in a.stdout    # the human summary goes to stdout when files are written
    assert {r["Figure"] for r in rows if r["Figure code"] == "within_limit_rate"} == {"Within-limit rate (%)"}


def test_progress_bar_on_stderr() -> None:
    out = subprocess.run([sys.executable, "-m", "sim", "run", BASE, "--replications", "2", "--set", "horizon_months=2",
                          "--workers", "1", "--json", "-"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0
    assert "replications" in out.stderr and "2/2" in out.stderr
    json.loads(out.stdout)


@pytest.mark.parametrize("args,fragment", [
    (["run", BASE, "--set", "teams.0.judges=-3"], "teams.0.judges"),
    (["run", BASE, "--set", "mediation.share_offered=2"], "less than or equal to 1"),
    (["run", BASE, "--set", "teams.40.judges=3"], "index out of range"),
    (["run", "missing.yaml"], "no such file"),
    (["run", BASE, "--replications", "0"], "--replications must be from 1 to 1000"),
    (["run", BASE, "--workers", "many"], "--workers must be a whole number"),
    (["validate", "README.md"], "(scenario)"),
    (["compare", BASE, BASE, "--reference", "nope", "-n", "2", "--set", "horizon_months=1", "-q"], "--reference"),
])
def test_bad_input_exits_2_with_a_message_and_no_traceback(args, fragment) -> None:
    out = sim(*args)
    assert out.returncode == 2, out.stdout + out.stderr
    assert fragment in out.stderr
    assert "Traceback" not in out.stderr


def test_validate_and_help() -> None:
    ok = sim("validate", BASE)
    assert ok.returncode == 0 and "valid" in ok.stdout
    # each help names the command's own options, not just argparse's "usage" line
    own = {(): "sensitivity", ("run",): "--replications", ("compare",): "--reference",
           ("validate",): "--set", ("schema",): "JSON Schema", ("scenarios",): "rename"}
    for cmd, word in own.items():
        h = sim(*cmd, "--help")
        assert h.returncode == 0, h.stderr
        assert h.stdout.startswith("usage:") and word in h.stdout, (cmd, h.stdout)


def test_compare_reports_paired_differences() -> None:
    out = sim("compare", BASE, BASE, "--set", "horizon_months=3", "-n", "3", "-q", *SERIAL, "--json", "-")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    rows = [r for r in data["rows"] if r["figure"] == "within_limit_rate"]
    assert len(rows) == 2
    assert rows[1]["diff_mean"] == 0 and rows[1]["diff_ci_low"] == 0 and rows[1]["diff_ci_high"] == 0


def test_compare_speaks_chinese_and_english() -> None:
    args = ("compare", BASE, BASE, "--set", "horizon_months=2", "-n", "2", "-q", *SERIAL)
    zh = sim(*args, "--set", "teams.0.judges=6", "--lang", "zh")
    assert zh.returncode == 0, zh.stderr
    assert "审限内结案率" in zh.stdout and "个百分点" in zh.stdout and "件" in zh.stdout
    assert "within_limit_rate" not in zh.stdout and " pp" not in zh.stdout
    en = sim(*args, "--lang", "en")
    assert en.returncode == 0, en.stderr
    assert "within-limit rate" in en.stdout.lower() and " pp" in en.stdout and "2 replications" in en.stdout
    assert "审限内结案率" not in en.stdout


def test_lang_defaults_to_the_locale_and_json_keys_stay() -> None:
    args = ("run", BASE, "--set", "horizon_months=1", "-n", "1", "-q", *SERIAL)
    zh = sim(*args, locale="zh_CN.UTF-8")
    assert zh.returncode == 0, zh.stderr
    assert "审限内结案率" in zh.stdout and "1 次重复" in zh.stdout
    en = sim(*args, locale="en_GB.UTF-8")
    assert "Within-limit rate" in en.stdout and "1 replication," in en.stdout   # singular
    js = sim(*args, "--json", "-", locale="zh_CN.UTF-8")
    assert "within_limit_rate" in json.loads(js.stdout)["summary"]
    bad = sim(*args, "--lang", "fr")
    assert bad.returncode == 2 and "--lang must be one of zh, en" in bad.stderr


def test_default_lang_reads_lc_all_then_lc_messages_then_lang() -> None:
    from sim.cli.text import default_lang

    assert default_lang({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert default_lang({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert default_lang({"LC_MESSAGES": "zh_TW.UTF-8", "LANG": "C"}) == "zh"
    assert default_lang({}) == "en"


def test_run_and_compare_print_three_verdicts_and_json_carries_them() -> None:
    """Met, missed and undecided (the 95 % interval contains the target), in both languages."""
    first = json.loads(sim("run", BASE, *FAST, *SERIAL, "--json", "-").stdout)["summary"]["within_limit_rate"]
    assert first["ci_low"] < first["ci_high"]
    # a target inside the interval (half a half-width above the mean), one far below a figure,
    # one no run can reach
    inside = round(first["mean"] + (first["ci_high"] - first["ci_low"]) / 4, 6)
    targets = ("--set", f"targets.within_limit_rate={inside}", "--set", "targets.clearance_rate=0.01",
               "--set", "targets.pending_end=0", "--set", "targets.long_pending_end=null",
               "--set", "targets.within_limit_rate_simple=null", "--set", "targets.within_limit_rate_complex=null")
    data = json.loads(sim("run", BASE, *FAST, *SERIAL, *targets, "--json", "-").stdout)
    verdicts = {k: v["verdict"] for k, v in data["targets"].items()}
    assert verdicts == {"within_limit_rate": "undecided", "clearance_rate": "met", "pending_end": "missed"}
    # gap = half the half-width: about 3·2² = 12 replications would decide it
    needed = data["targets"]["within_limit_rate"]["replications_needed"]
    assert 11 <= needed <= 13, needed
    zh = sim("run", BASE, *FAST, *SERIAL, *targets, "--lang", "zh").stdout
    line = next(x for x in zh.splitlines() if x.startswith("审限内结案率"))
    assert line.endswith("尚难判定") and "未达标" not in line
    assert f"审限内结案率：95% 区间包含目标：约需共 {needed} 次重复（再增加 {needed - 3} 次）才能判定" in zh
    en = sim("run", BASE, *FAST, *SERIAL, *targets, "--lang", "en").stdout
    assert next(x for x in en.splitlines() if x.startswith("Clearance rate")).endswith("≥ 1.0% met")
    assert next(x for x in en.splitlines() if x.startswith("Pending cases at end")).endswith("≤ 0 cases missed")
    assert (f"Within-limit rate: the 95 % interval contains the target: about {needed} replications "
            f"({needed - 3} more) would likely decide it") in en

    cmp = sim("compare", BASE, BASE, *FAST, *SERIAL, *targets, "--lang", "en")
    assert cmp.returncode == 0, cmp.stderr
    assert "Verdict" in cmp.stdout and any(x.rstrip().endswith("undecided") for x in cmp.stdout.splitlines())
    assert "[1] Within-limit rate: the 95 %" in cmp.stdout and "[2] Within-limit rate: the 95 %" in cmp.stdout
    cmp_json = json.loads(sim("compare", BASE, BASE, *FAST, *SERIAL, *targets, "--json", "-").stdout)
    assert {r["verdict"] for r in cmp_json["rows"] if r["figure"] == "within_limit_rate"} == {"undecided"}


def test_one_replication_shows_no_interval_and_says_so() -> None:
    args = ("run", BASE, "--set", "horizon_months=2", "-n", "1", "-q", *SERIAL)
    en = sim(*args, "--lang", "en").stdout
    line = next(x for x in en.splitlines() if x.startswith("Within-limit rate"))
    assert " – " not in line and "—" in line                       # no zero-width interval
    assert "one replication: no interval; verdicts are judged on a single run" in en
    data = json.loads(sim(*args, "--json", "-").stdout)
    assert data["summary"]["within_limit_rate"]["ci_low"] is None
    assert data["targets"]["within_limit_rate"]["single_run"] is True
    assert data["targets"]["within_limit_rate"]["verdict"] in ("met", "missed")
    assert "仅 1 次重复" in sim(*args, "--lang", "zh").stdout


# --- issue 11 part 10: command-line details --------------------------------------------------

def test_scenarios_list_marks_the_built_in_scenarios(tmp_path) -> None:
    env_dir = tmp_path / "empty-store"
    out = sim("scenarios", "list", "--dir", str(env_dir))
    assert out.returncode == 0, out.stderr
    builtin = [line for line in out.stdout.splitlines() if line.startswith("built-in ")]
    shipped = sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml"))
    assert len(builtin) == len(shipped) and builtin[0].endswith("[scenarios/baseline.yaml]")
    assert all(any(f"[scenarios/{name}]" in line for line in builtin) for name in shipped)
    data = json.loads(sim("scenarios", "list", "--json", "--dir", str(env_dir)).stdout)
    assert sorted(os.path.basename(e["file"]) for e in data if e["builtin"]) == shipped
    assert all(e["builtin"] for e in data)  # the store folder is empty


def test_help_says_a_saved_name_works_too() -> None:
    for cmd in ("run", "compare", "validate", "sensitivity", "advise"):
        h = sim(cmd, "--help", locale="en_US.UTF-8")
        assert h.returncode == 0 and "scenario file or saved name" in " ".join(h.stdout.split()), cmd
        assert "YAML file" not in h.stdout.split("options:")[0], cmd


def test_validate_checks_every_file_and_names_each_problem(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nteams: 3\n", encoding="utf-8")
    out = sim("validate", BASE, str(bad), "README.md", "--lang", "en")
    assert out.returncode == 2
    assert out.stdout.count("ok: ") == 1 and BASE in out.stdout
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 4 and "Traceback" not in out.stderr
    assert [line.split(": ")[1] for line in lines] == [str(bad)] * 3 + ["README.md"]
    assert any("teams" in line for line in lines)
    good = sim("validate", BASE, "scenarios/weak-court.yaml")
    assert good.returncode == 0 and good.stdout.count("\n") == 2


def test_compare_refuses_a_single_scenario() -> None:
    for lang, word in (("en", "at least two scenarios"), ("zh", "至少需要两个方案")):
        out = sim("compare", BASE, "-n", "1", "-q", "--lang", lang)
        assert out.returncode == 2 and word in out.stderr and out.stdout == ""


def test_compare_lists_every_difference_in_words_grouped_by_team() -> None:
    weak, restaffed = "scenarios/weak-court.yaml", "scenarios/weak-court-restaffing.yaml"
    for lang, title, moved in (("zh", "团队“{}”", "法官 −1"), ("en", "Team “{}”", "judges −1")):
        team = title.format("民事二庭")
        out = sim("compare", weak, restaffed, "-n", "1", "--set", "horizon_months=1", "-q", *SERIAL, "--lang", lang)
        assert out.returncode == 0, out.stderr
        tail = out.stdout.split({"zh": "方案参数差异：", "en": "What differs:"}[lang])[1].splitlines()
        heads = [line.strip() for line in tail if line.startswith("  ") and not line.startswith("    ")]
        assert heads[:3] == [title.format(n) for n in ("速裁团队", "民事一庭", "民事二庭")]
        block = tail[tail.index("  " + team) + 1:]
        block = block[:next(i for i, line in enumerate(block) if not line.startswith("    "))]
        assert len(block) == 4 and sum(moved in line for line in block) == 1
        assert sum("[2]" in line for line in tail) == 9 + 3  # nine dated changes, three mediation settings
        assert "None" not in out.stdout and "teams." not in out.stdout and "mediation." not in out.stdout
