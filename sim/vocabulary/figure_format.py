"""How a figure is written, in Chinese or English: the one formatter of every surface.

The app's cards and tables, the charts' axis titles, the HTML report, the CSV files and the
command line call these functions, so "结收比 105.0%" or "+2.0 个百分点" reads the same wherever
it appears. Names, units and decimals come from :mod:`sim.vocabulary.figure_registry`.

Conventions: a missing value is an em dash; thousands are grouped with commas (as Chinese court
reports do); a share is a percentage with one decimal, and its change is in percentage points
(个百分点 / pp); every figure is ≥ 0, so a t-interval reaching below 0 is shown from 0.
"""
from __future__ import annotations

import math
from typing import Optional

from .figure_registry import REGISTRY, Figure

LANGS = ("zh", "en")
MISSING = "—"

# noun -> (Chinese with its measure word, English singular, English plural)
NOUNS: dict[str, tuple[str, str, str]] = {
    "team": ("个团队", "team", "teams"),
    "replication": ("次重复", "replication", "replications"),
    "judge": ("名员额法官", "judge", "judges"),
    "assistant": ("名法官助理", "assistant", "assistants"),
    "clerk": ("名书记员", "clerk", "clerks"),
    "plan": ("个方案", "plan", "plans"),
    "case": ("件", "case", "cases"),
}


def check_lang(lang: str) -> str:
    """``lang`` if it is supported, else a ValueError naming the allowed values."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    return lang


def figure(key: str) -> Figure:
    """The registry entry of ``key`` (KeyError for an unknown figure: never guess a name)."""
    return REGISTRY[key]


def figure_name(lang: str, key: str) -> str:
    """'审限内结案率' / 'Within-limit rate'."""
    return REGISTRY[key].name(check_lang(lang))


def figure_unit(lang: str, key: str) -> str:
    """The unit as written after a plural number: '%', '件', 'cases', '天', 'days'."""
    f = REGISTRY[key]
    return f.unit_zh if check_lang(lang) == "zh" else f.unit_en_plural


def figure_label(lang: str, key: str) -> str:
    """Name and unit for an axis title or a CSV column: '审限内结案率（%）', 'Cases filed (cases)'."""
    unit = figure_unit(lang, key)
    return f"{figure_name(lang, key)}（{unit}）" if lang == "zh" else f"{figure_name(lang, key)} ({unit})"


def _finite(x: Optional[float]) -> bool:
    return x is not None and math.isfinite(x)


def _digits(f: Figure, x: float) -> int:
    # a time-average count below 10 (0.4 cases waiting) would read as 0: one decimal more
    if f.kind == "count" and abs(x) < 10 and x != round(x):
        return f.decimals + 1
    return f.decimals


def _unit_after(lang: str, f: Figure, number: str) -> str:
    """``number`` followed by the unit, singular in English when the number is exactly 1."""
    if f.percent:
        return f"{number}%"
    if lang == "zh":
        return f"{number} {f.unit_zh}"
    one = number.lstrip("+-±") == "1"
    return f"{number} {f.unit_en if one else f.unit_en_plural}"


def _number(f: Figure, x: float, digits: Optional[int] = None) -> str:
    x = max(0.0, float(x))
    if f.percent:
        return f"{100 * x:.{f.decimals}f}"
    return f"{x:,.{_digits(f, x) if digits is None else digits}f}"


def figure_value(lang: str, key: str, x: Optional[float]) -> str:
    """'94.8%', '2,164 件', '2,164 cases', '1 case', '74.2 天', '333 件/人·年'; an em dash if missing."""
    check_lang(lang)
    if not _finite(x):
        return MISSING
    f = REGISTRY[key]
    return _unit_after(lang, f, _number(f, x))


def figure_interval(lang: str, key: str, lo: Optional[float], hi: Optional[float]) -> str:
    """An interval with its unit written once: '94.6% – 95.1%', '18 – 26 件', '73.0 – 75.3 days'."""
    check_lang(lang)
    if not (_finite(lo) and _finite(hi)):
        return MISSING
    f = REGISTRY[key]
    if f.percent:
        return f"{figure_value(lang, key, lo)} – {figure_value(lang, key, hi)}"
    digits = max(_digits(f, max(0.0, lo)), _digits(f, hi))  # both ends alike: '0.0 – 1.1', not '0 – 1.1'
    return _range_unit(lang, f, f"{_number(f, lo, digits)} – {_number(f, hi, digits)}")


def _range_unit(lang: str, f: Figure, numbers: str) -> str:
    # a range takes the plural in English ("0 – 1 cases")
    return f"{numbers} {f.unit_zh if lang == 'zh' else f.unit_en_plural}"


def _change_number(f: Figure, d: float) -> str:
    if f.percent:
        s = f"{100 * d:+.{f.decimals}f}"
    elif f.kind == "count":
        # a change of a few cases keeps a decimal (averages over replications); no change is '±0'
        digits = 0 if abs(d) >= 10 or round(abs(d), 1) == 0 else 1
        s = f"{d:+,.{digits}f}"
    else:
        s = f"{d:+,.{f.decimals}f}"
    # a change that rounds to zero has no sign: ±0.0
    return "±" + s[1:] if float(s.replace(",", "")) == 0 else s


def _change_unit(lang: str, f: Figure, number: str) -> str:
    if f.percent:
        return f"{number} 个百分点" if lang == "zh" else f"{number} pp"
    return _unit_after(lang, f, number)


def figure_change(lang: str, key: str, d: Optional[float]) -> str:
    """A signed change: '+2.0 个百分点' / '+2.0 pp' for shares, '+1,335 件', '-3.5 days'."""
    check_lang(lang)
    if not _finite(d):
        return MISSING
    f = REGISTRY[key]
    return _change_unit(lang, f, _change_number(f, d))


def change_interval(lang: str, key: str, lo: Optional[float], hi: Optional[float]) -> str:
    """The interval of a change, unit once: '-1.0 – +3.0 个百分点', '+12 – +40 cases'."""
    check_lang(lang)
    if not (_finite(lo) and _finite(hi)):
        return MISSING
    f = REGISTRY[key]
    numbers = f"{_change_number(f, lo)} – {_change_number(f, hi)}"
    return _change_unit(lang, f, numbers) if f.percent else _range_unit(lang, f, numbers)


def target_text(lang: str, key: str, target: Optional[float]) -> str:
    """'≥ 95.0%', '≤ 0 件': the target with the direction that meets it."""
    if not _finite(target):
        return MISSING
    sign = "≥" if REGISTRY[key].target_direction == ">=" else "≤"
    return f"{sign} {figure_value(lang, key, target)}"


def counted(lang: str, n: int, noun: str) -> str:
    """'5 个团队' / '1 team' / '20 replications': a number with its noun, plural right."""
    zh, one, many = NOUNS[noun]
    if check_lang(lang) == "zh":
        return f"{n:,} {zh}"
    return f"{n:,} {one if n == 1 else many}"


# --- verdicts against targets -------------------------------------------------------------
# The decision is :func:`sim.results.target_verdict`; these write it. ``tgt`` is its dict
# (as in ``Results.targets()`` and the JSON), so every surface says the same words.
_VERDICT_WORDS = {
    "zh": {"met": "达标", "missed": "未达标", "undecided": "尚难判定"},
    "en": {"met": "met", "missed": "missed", "undecided": "undecided"},
}
_VERDICT_NOTES = {
    "zh": {
        "needed": "95% 区间包含目标：约需共 {total} 次重复（再增加 {more} 次）才能判定",
        "capped": "95% 区间包含目标：{cap} 次重复也可能无法判定",
        "equal": "平均值恰好等于目标：增加重复也无法判定",
        "no_value": "没有数值，无法判定",
        "single": "仅 1 次重复：按这一次的结果判断，没有置信区间",
    },
    "en": {
        "needed": "the 95 % interval contains the target: about {total} replications ({more} more) would likely decide it",
        "capped": "the 95 % interval contains the target: even {cap} replications may not decide it",
        "equal": "the mean equals the target: cannot be decided by more replications",
        "no_value": "no value: cannot be decided",
        "single": "one replication: judged on a single run, no interval",
    },
}


_VERDICT_MARKS = {"met": "✓", "missed": "✗", "undecided": "?"}


def verdict_mark(verdict: str) -> str:
    """A mark for tables beside the word (never the only signal): ✓, ✗ or ?."""
    return _VERDICT_MARKS[verdict]


def verdict_word(lang: str, verdict: str) -> str:
    """'达标' / '未达标' / '尚难判定'; 'met' / 'missed' / 'undecided'."""
    return _VERDICT_WORDS[check_lang(lang)][verdict]


def verdict_text(lang: str, key: str, tgt: dict) -> str:
    """The verdict with its target: '尚难判定（目标 ≥ 95.0%）', 'missed (target ≤ 0 cases)'."""
    word, target = verdict_word(lang, tgt["verdict"]), target_text(lang, key, tgt["target"])
    return f"{word}（目标 {target}）" if lang == "zh" else f"{word} (target {target})"


def verdict_note(lang: str, tgt: dict) -> str:
    """Why a verdict is what it is, when that needs saying ('' for a plain met or missed).

    Undecided: how many replications would likely decide it (or that none would); one
    replication: that the verdict rests on a single run.
    """
    notes = _VERDICT_NOTES[check_lang(lang)]
    if tgt["verdict"] == "undecided":
        needed, n = tgt.get("replications_needed"), tgt.get("replications") or 0
        if needed is None:
            return notes["equal"] if n else notes["no_value"]
        if tgt.get("needed_capped"):
            return notes["capped"].format(cap=f"{needed:,}")
        return notes["needed"].format(total=f"{needed:,}", more=f"{needed - n:,}")
    if tgt.get("single_run"):
        return notes["single"]
    return ""
