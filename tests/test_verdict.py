"""The one verdict rule (sim.results.target_verdict) and its words (sim.figure_format)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from sim.analysis.results import REPLICATIONS_CAP, Stat, mean_ci, target_verdict
from sim.vocabulary.figure_format import figure_interval, verdict_note, verdict_text, verdict_word


def test_interval_clear_of_the_target_decides_on_the_mean() -> None:
    above = target_verdict(Stat(0.97, 0.96, 0.98, 20), 0.95, ">=")
    below = target_verdict(Stat(0.93, 0.92, 0.94, 20), 0.95, ">=")
    assert above["verdict"] == "met" and above["met"] is True and above["replications_needed"] is None
    assert below["verdict"] == "missed" and below["met"] is False
    # "at most": the other way round
    assert target_verdict(Stat(3.0, 2.0, 4.0, 20), 5, "<=")["verdict"] == "met"
    assert target_verdict(Stat(7.0, 6.0, 8.0, 20), 5, "<=")["verdict"] == "missed"


def test_the_baseline_case_is_undecided_not_missed() -> None:
    # 94.8 % [94.6 %, 95.1 %] against ≥ 95 %: the example
    v = target_verdict(Stat(0.948, 0.946, 0.951, 20), 0.95, ">=")
    assert v["verdict"] == "undecided" and v["met"] is False
    assert verdict_text("zh", "within_limit_rate", v) == "尚难判定（目标 ≥ 95.0%）"
    assert verdict_text("en", "within_limit_rate", v) == "undecided (target ≥ 95.0%)"
    assert "未达标" not in verdict_text("zh", "within_limit_rate", v)


def test_a_count_target_of_zero_on_a_small_mean_is_undecided() -> None:
    # long-pending: 0.3 cases on average, some replications 0, target ≤ 0
    s = mean_ci(np.array([0, 1, 0, 0, 1, 0, 0, 0, 1, 0], dtype=float))
    assert s.ci_low < 0 < s.ci_high
    v = target_verdict(s, 0, "<=")
    assert v["verdict"] == "undecided"
    assert figure_interval("zh", "long_pending_end", s.ci_low, s.ci_high).startswith("0.0 – ")
    # every replication 0: an interval of width 0 on the target meets it
    assert target_verdict(mean_ci(np.zeros(10)), 0, "<=")["verdict"] == "met"


def test_replications_needed_from_the_half_width() -> None:
    # half-width 0.002, gap 0.001, n 20: 20·(0.002/0.001)² = 80 in all, 60 more
    v = target_verdict(Stat(0.949, 0.947, 0.951, 20), 0.95, ">=")
    assert v["replications_needed"] == 80 and not v["needed_capped"]
    assert verdict_note("zh", v) == "95% 区间包含目标：约需共 80 次重复（再增加 60 次）才能判定"
    assert "80 replications (60 more)" in verdict_note("en", v)
    # a tiny gap asks for more than the cap: capped and said so
    far = target_verdict(Stat(0.9499, 0.94, 0.96, 20), 0.95, ">=")
    assert far["replications_needed"] == REPLICATIONS_CAP and far["needed_capped"]
    assert f"{REPLICATIONS_CAP:,}" in verdict_note("en", far) and "may not" in verdict_note("en", far)


def test_mean_on_the_target_cannot_be_decided() -> None:
    v = target_verdict(Stat(0.95, 0.94, 0.96, 20), 0.95, ">=")
    assert v["verdict"] == "undecided" and v["replications_needed"] is None
    assert verdict_note("en", v) == "the mean equals the target: cannot be decided by more replications"
    assert "无法判定" in verdict_note("zh", v)


def test_one_replication_has_no_interval_and_a_verdict_on_the_single_value() -> None:
    s = mean_ci(np.array([0.948]))
    assert s.n == 1 and s.mean == pytest.approx(0.948)
    assert math.isnan(s.ci_low) and math.isnan(s.ci_high)          # no zero-width interval
    assert figure_interval("en", "within_limit_rate", s.ci_low, s.ci_high) == "—"
    assert s.as_dict() == {"mean": pytest.approx(0.948), "ci_low": None, "ci_high": None}
    v = target_verdict(s, 0.95, ">=")
    assert v["verdict"] == "missed" and v["single_run"] and v["replications"] == 1
    assert verdict_note("en", v) == "one replication: judged on a single run, no interval"
    assert "仅 1 次重复" in verdict_note("zh", v)
    assert target_verdict(mean_ci(np.array([0.96])), 0.95, ">=")["verdict"] == "met"


def test_no_value_is_undecided_and_words_exist_in_both_languages() -> None:
    v = target_verdict(mean_ci(np.array([np.nan, np.nan])), 0.95, ">=")
    assert v["verdict"] == "undecided" and v["replications_needed"] is None
    assert verdict_note("zh", v) == "没有数值，无法判定"
    assert [verdict_word("zh", k) for k in ("met", "missed", "undecided")] == ["达标", "未达标", "尚难判定"]
    assert [verdict_word("en", k) for k in ("met", "missed", "undecided")] == ["met", "missed", "undecided"]
    assert verdict_note("en", target_verdict(Stat(0.97, 0.96, 0.98, 20), 0.95, ">=")) == ""
    with pytest.raises(ValueError):
        target_verdict(Stat(1, 0, 2, 5), 1, ">")
