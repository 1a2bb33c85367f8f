"""The command line's words in Chinese and English, its default language, and aligned tables.

Figure names, units and formats come from :mod:`sim.vocabulary.figure_format` (as in the app and the
report); this module holds only the sentences around them. Columns are aligned by display
width, so a Chinese character (two terminal columns) does not push a table out of line.
"""
from __future__ import annotations

import os
from typing import Mapping, Optional, Sequence

from ..vocabulary.figure_format import LANGS, figure_name, verdict_note
from ..vocabulary.text_width import display_width

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "lang.help": "输出语言：zh（中文）或 en（英文）；默认取自 LC_ALL / LC_MESSAGES / LANG",
        "run.head": "{name}：{reps}，随机种子 {seed}，{start} 至 {end}，用时 {sec} 秒",
        "col.figure": "指标", "col.mean": "平均值", "col.ci": "95% 置信区间", "col.target": "目标",
        "col.scenario": "方案", "col.diff": "较基准", "col.diff_ci": "较基准的 95% 置信区间",
        "col.assumption": "假设",
        "col.verdict": "判定",
        "run.procedures": "按审判程序（审限内结案率按所属类别的目标判定）：",
        "col.procedure": "审判程序", "col.track": "类别", "col.closed": "结案数", "col.overdue": "超审限未结",
        "run.single": "仅 1 次重复：没有置信区间，达标与否按这一次的结果判断",
        "doubtful": "（存疑：见警告）",
        "warning": "警告：{text}",
        "plaus.col.scenario": "方案", "plaus.col.check": "检验", "plaus.col.value": "平均值 [95% 置信区间]",
        "plaus.col.expected": "应在", "plaus.col.result": "结果",
        "plaus.ok": "符合", "plaus.out": "超出范围",
        "plaus.name.simple_procedure_share": "简易程序适用率（含小额诉讼）",
        "plaus.growth": "{figure}：末月 − 首月",
        "plaus.ordinary_minus_simple": "{figure}：普通程序 − 简易程序",
        "plaus.vs_reference": "{figure}：调整配置后 − 薄弱法院",
        "plaus.above_zero.growth": "> 0（持续增加）", "plaus.above_zero.ordinary_minus_simple": "> 0（简易程序更快）",
        "plaus.above_zero.vs_reference": "> 0（更好）", "plaus.below_zero.vs_reference": "< 0（更好）",
        "cmp.head": "随机种子 {seed}；{reps}（共同随机数）；“较基准”为与基准方案逐次配对的差值",
        "cmp.reference": "（基准）",
        "cmp.differs": "方案参数差异：",
        "cmp.differs.item": "{label}：{values}",
        "cmp.no_differences": "各方案参数相同（名称、随机种子、重复次数除外）。",
        "sens.head": "{name}：每项假设分别下调、上调 {pct}%（相同随机种子 {seed}，{reps}）；表中为与原方案的配对变化",
        "sens.down": "{figure} −{pct}%", "sens.up": "+{pct}%",
        "assumption.effort": "每案法官工时",
        "assumption.waiting": "程序等待天数",
        "assumption.demand": "纠纷量",
        "assumption.mediation_success": "诉前调解成功率",
        "assumption.hours_per_day": "法官每日办案工时",
        "assumption.settlement": "调解撤诉率",
        "assumption.support": "辅助人员的作用",
        "validate.ok": "通过：{path} 是有效的方案文件（{name}；{teams}，{judges}）",
        "adv.head": "{name}：在 {judges}、{assistants}、{clerks} 范围内寻找配置；目标：{objective}；"
                    "随机种子 {seed}；模拟了 {plans}（{how}），{reps}，用时 {sec} 秒",
        "adv.how.exhaustive": "逐一模拟所有方案", "adv.how.fluid": "按流体近似引导搜索",
        "adv.best": "推荐配置：{plan}",
        "adv.why": "说明：",
        "adv.plan_text": "简案 {sj} 名法官 / {sa} 名助理 / {sc} 名书记员，繁案 {cj} 名法官 / {ca} 名助理 / {cc} 名书记员，诉前调解分流 {med}",
        "track.simple": "简案", "track.complex": "繁案",
        "adv.vs_current": "与现行配置（{plan}）相比：{figure} {diff}（{ci}，配对比较）",
        "adv.current_is_best": "现行配置已是找到的最优配置",
        "adv.runners": "与最优配置差异不显著的备选配置（配对差值的区间包含 0）：",
        "adv.no_runners": "没有与最优配置差异不显著的备选配置",
        "adv.more": "还需要增加多少（可增加：{offer}）：",
        "adv.more.added": "增加", "adv.more.judges": "员额法官", "adv.more.assistants": "法官助理",
        "adv.more.clerks": "书记员",
        "adv.saved": "推荐配置已保存为 {name!r}，位于 {folder}",
        "adv.note": "配置建议器：{plan}",
    },
    "en": {
        "lang.help": "output language: zh (Chinese) or en (English); default from LC_ALL / LC_MESSAGES / LANG",
        "run.head": "{name}: {reps}, seed {seed}, {start} to {end}, {sec} s",
        "col.figure": "Figure", "col.mean": "Mean", "col.ci": "95 % interval", "col.target": "Target",
        "col.scenario": "Scenario", "col.diff": "vs reference", "col.diff_ci": "95 % interval of the difference",
        "col.assumption": "Assumption",
        "col.verdict": "Verdict",
        "run.procedures": "By procedure (each within-limit rate judged against its track's target):",
        "col.procedure": "Procedure", "col.track": "Track", "col.closed": "Closed", "col.overdue": "Overdue pending",
        "run.single": "one replication: no interval; verdicts are judged on a single run",
        "doubtful": " (doubtful: see warnings)",
        "warning": "warning: {text}",
        "plaus.col.scenario": "Scenario", "plaus.col.check": "Check", "plaus.col.value": "Mean [95 % interval]",
        "plaus.col.expected": "Expected", "plaus.col.result": "Result",
        "plaus.ok": "ok", "plaus.out": "OUT OF RANGE",
        "plaus.name.simple_procedure_share": "Simple procedure share (incl. small claims)",
        "plaus.growth": "{figure}: last month − first month",
        "plaus.ordinary_minus_simple": "{figure}: ordinary − simple procedure",
        "plaus.vs_reference": "{figure}: re-staffed − weak court",
        "plaus.above_zero.growth": "> 0 (a growing tail)", "plaus.above_zero.ordinary_minus_simple": "> 0 (simple faster)",
        "plaus.above_zero.vs_reference": "> 0 (better)", "plaus.below_zero.vs_reference": "< 0 (better)",
        "cmp.head": "seed {seed}; {reps} (common random numbers); \u201cvs reference\u201d is the difference from "
                    "the reference, paired replication by replication",
        "cmp.reference": " (reference)",
        "cmp.differs": "What differs:",
        "cmp.differs.item": "{label}: {values}",
        "cmp.no_differences": "The scenarios have the same parameters (apart from name, seed and replications).",
        "sens.head": "{name}: each assumption moved down and up by {pct} % (same seed {seed}, {reps}); "
                     "paired change from the base",
        "sens.down": "{figure} −{pct}%", "sens.up": "+{pct}%",
        "assumption.effort": "judge hours per case",
        "assumption.waiting": "procedural waiting",
        "assumption.demand": "disputes per year",
        "assumption.mediation_success": "mediation success rate",
        "assumption.hours_per_day": "judge hours per day",
        "assumption.settlement": "settlement rates",
        "assumption.support": "support staff effect",
        "validate.ok": "ok: {path} is a valid scenario ({name}; {teams}, {judges})",
        "adv.head": "{name}: advice for {judges}, {assistants}, {clerks}; objective: {objective}; seed {seed}; "
                    "{plans} simulated ({how}), {reps}, {sec} s",
        "adv.how.exhaustive": "every plan", "adv.how.fluid": "fluid-guided search",
        "adv.best": "Recommended: {plan}",
        "adv.why": "In short:",
        "adv.plan_text": "simple {sj} judges / {sa} assistants / {sc} clerks, complex {cj} judges / {ca} assistants / "
                         "{cc} clerks, mediation {med}",
        "track.simple": "simple", "track.complex": "complex",
        "adv.vs_current": "vs the current plan ({plan}): {figure} {diff} ({ci}, paired)",
        "adv.current_is_best": "The current plan is already the best found.",
        "adv.runners": "Runners-up within the best's interval (paired difference contains 0):",
        "adv.no_runners": "No runner-up is within the best's interval.",
        "adv.more": "How many more ({offer} offered):",
        "adv.more.added": "added", "adv.more.judges": "judges", "adv.more.assistants": "assistants",
        "adv.more.clerks": "clerks",
        "adv.saved": "saved the recommended plan as {name!r} in {folder}",
        "adv.note": "allocation advisor: {plan}",
    },
}


def say(lang: str, key: str, **kw: object) -> str:
    """The sentence ``key`` in ``lang`` with its placeholders filled in (KeyError if unknown)."""
    s = TEXT[lang][key]
    return s.format(**kw) if kw else s


def default_lang(env: Optional[Mapping[str, str]] = None) -> str:
    """'zh' when the locale (first set of LC_ALL, LC_MESSAGES, LANG) is Chinese, else 'en'."""
    env = os.environ if env is None else env
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def lang_choice(text: str) -> str:
    """An argparse type for ``--lang``: zh or en."""
    import argparse

    if text not in LANGS:
        raise argparse.ArgumentTypeError(f"--lang must be one of {', '.join(LANGS)}, got {text!r}")
    return text


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` display columns (right-aligned if ``right``)."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def table(header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> list[str]:
    """Lines of a table whose columns line up in a terminal, two spaces apart."""
    widths = [max(display_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return ["  ".join(pad(cell, widths[i], i in right) for i, cell in enumerate(r)).rstrip()
            for r in [header, *rows]]


def verdict_notes(lang: str, targets: dict, prefix: str = "") -> list[str]:
    """One line per undecided target: why, and how many replications would likely decide it."""
    sep = "：" if lang == "zh" else ": "
    return [f"  {prefix}{figure_name(lang, k)}{sep}{verdict_note(lang, v)}" for k, v in targets.items()
            if v["verdict"] == "undecided"]
