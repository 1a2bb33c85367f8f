"""A province allocation in words, Chinese or English (the command line and the app's page).

Works on :meth:`sim.province.allocate.Allocation.to_json_dict` (plain data), so this layer
needs nothing above it. Figures are written by :mod:`sim.vocabulary.figure_format`.
"""
from __future__ import annotations

from typing import Any, Optional

from .figure_format import change_interval, counted, figure_change, figure_interval, figure_name, figure_value

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "objective.most_courts_meeting_targets": "达到全部目标的法院数最多",
        "objective.highest_lowest_within_limit_rate": "各院中最低的审限内结案率尽量高",
        "objective.fewest_long_pending": "全辖区长期未结案件最少",
        "courts": "{n} 个法院",
        "none": "无",
        "sep": "、",
        "head": "{province}：待分配 {pool}；目标：{objective}；随机种子 {seed}，{reps}（共同随机数）；"
                "在 {where} 上运行 {tasks} 个任务，用时 {sec} 秒",
        "objective_line": "全辖区目标值：推荐分配 {rec}（95% 区间 {ci}）；不增加时 {now}",
        "vs_rule": "较“{rule}”：{diff}（配对差值 95% 区间 {ci}）",
        "rule.even": "平均分配", "rule.caseload": "按收案量分配", "rule.recommended": "推荐分配", "rule.now": "不增加",
        "col.court": "法院", "col.posts": "推荐", "col.even": "平均", "col.caseload": "按收案量",
        "col.wlr": "审限内结案率 现状→推荐", "col.long": "长期未结 现状→推荐", "col.missed": "推荐后仍未达标",
        "arrow": "{a} → {b}",
        "reasons": "逐院说明：",
        "moved": "逐个分配之后又调整：{role}由“{src}”改给“{dst}”，目标值 {gain}",
        "given": "{court}：分得 {posts}；每个新增员额带来的审限内结案率变化依次为 {gains}",
        "given_min": "（其中 {posts} 为本院最少分配数）",
        "vs_rules": "与平均分配相比，{figure} {d_even}（{ci_even}），与按收案量分配相比 {d_case}（{ci_case}）",
        "at_max": "{court}：已达到本院可分配的上限，未再分配",
        "meets": "{court}：不增加员额也达到全部目标，新增员额在其他法院作用更大",
        "less_gain": "{court}：仍未达到 {missed}，但每个新增员额在其他法院对目标的作用更大，未分配",
        "sweep.head": "{province}：{tasks} 个任务（{courts} × {plans}），{reps}，随机种子 {seed}；运行于 {where}",
        "sweep.done": "本次运行 {ran} 个任务，跳过已完成的 {skipped} 个；结果共 {rows:,} 行，在 {out}（Parquet，每个任务一个文件）",
        "sweep.speed": "模拟 {cases:,.0f} 件纠纷，用时 {sec:.1f} 秒（每秒 {rate:,.0f} 件）",
        "sweep.query": "读取：pandas.read_parquet('{out}') 或 duckdb：SELECT * FROM '{out}/*.parquet'",
    },
    "en": {
        "objective.most_courts_meeting_targets": "most courts meeting all their targets",
        "objective.highest_lowest_within_limit_rate": "the highest lowest within-limit rate of any court",
        "objective.fewest_long_pending": "fewest long-pending cases across the courts",
        "courts": "{n} courts",
        "none": "none",
        "sep": ", ",
        "head": "{province}: {pool} to hand out; objective: {objective}; seed {seed}, {reps} (common random numbers); "
                "{tasks} tasks on {where}, {sec} s",
        "objective_line": "Objective: recommended allocation {rec} (95 % interval {ci}); with no new posts {now}",
        "vs_rule": "against “{rule}”: {diff} (paired 95 % interval {ci})",
        "rule.even": "spread evenly", "rule.caseload": "by caseload", "rule.recommended": "recommended",
        "rule.now": "no new posts",
        "col.court": "Court", "col.posts": "Recommended", "col.even": "Even", "col.caseload": "By caseload",
        "col.wlr": "Within-limit rate now → rec.", "col.long": "Long-pending now → rec.", "col.missed": "Still missed",
        "arrow": "{a} → {b}",
        "reasons": "Court by court:",
        "moved": "after handing out post by post, moved one of the {role} from “{src}” to “{dst}”: objective {gain}",
        "given": "{court}: gets {posts}; each new post moved its within-limit rate by {gains}",
        "given_min": " ({posts} of them its minimum)",
        "vs_rules": "against spreading evenly, {figure} {d_even} ({ci_even}); against by caseload {d_case} ({ci_case})",
        "at_max": "{court}: at the most it may receive; no further posts",
        "meets": "{court}: meets all its targets without new posts; the posts do more elsewhere",
        "less_gain": "{court}: still misses {missed}, but each post did more for the objective in other courts",
        "sweep.head": "{province}: {tasks} tasks ({courts} × {plans}), {reps}, seed {seed}; on {where}",
        "sweep.done": "ran {ran} tasks, skipped {skipped} already done; {rows:,} rows in {out} (Parquet, one file per task)",
        "sweep.speed": "simulated {cases:,.0f} disputes in {sec:.1f} s ({rate:,.0f} per second)",
        "sweep.query": "read with pandas.read_parquet('{out}') or duckdb: SELECT * FROM '{out}/*.parquet'",
    },
}


def say(lang: str, key: str, **kw: Any) -> str:
    """One sentence of :data:`TEXT` in ``lang``."""
    return TEXT[lang][key].format(**kw)


def posts_text(lang: str, posts: "list[int] | tuple[int, ...]") -> str:
    """'3 名员额法官、1 名书记员' / '3 judges, 1 clerk'; 'none' / '无' when there are none."""
    parts = [counted(lang, int(n), noun) for n, noun in zip(posts, ("judge", "assistant", "clerk"), strict=True) if n]
    return say(lang, "sep").join(parts) if parts else say(lang, "none")


def _objective_figure(objective: str) -> Optional[str]:
    return {"highest_lowest_within_limit_rate": "within_limit_rate",
            "fewest_long_pending": "long_pending_end"}.get(objective)


def objective_value(lang: str, objective: str, x: Optional[float]) -> str:
    """The objective's value: a number of courts, a within-limit rate or long-pending cases."""
    fig = _objective_figure(objective)
    if fig:
        return figure_value(lang, fig, x)
    return "—" if x is None else say(lang, "courts", n=f"{x:.1f}")


def objective_change(lang: str, objective: str, d: Optional[float], lo: Optional[float] = None,
                     hi: Optional[float] = None) -> tuple[str, str]:
    """A paired difference of the objective and its interval, as text."""
    fig = _objective_figure(objective)
    if fig:
        return figure_change(lang, fig, d), change_interval(lang, fig, lo, hi)
    if d is None:
        return "—", "—"
    ci = "—" if lo is None or hi is None else f"{lo:+.2f} – {hi:+.2f}"
    return say(lang, "courts", n=f"{d:+.2f}"), ci


def summary_lines(a: dict[str, Any], lang: str) -> list[str]:
    """The head line and the objective against the two rules."""
    obj = a["objective"]
    lines = [say(lang, "head", province=a["province"], pool=posts_text(lang, [a["pool"][r] for r in
                                                                            ("judges", "assistants", "clerks")]),
                 objective=say(lang, f"objective.{obj}"), seed=a["seed"],
                 reps=counted(lang, a["replications"], "replication"), where=a["where"], tasks=a["tasks_run"],
                 sec=f"{a['seconds']:.1f}")]
    st = a["objective_stats"]
    lo, hi = st["recommended"]["ci_low"], st["recommended"]["ci_high"]
    fig = _objective_figure(obj)
    if lo is None or hi is None:
        ci = "—"
    else:
        ci = figure_interval(lang, fig, lo, hi) if fig else f"{lo:.2f} – {hi:.2f}"
    lines.append(say(lang, "objective_line", rec=objective_value(lang, obj, st["recommended"]["mean"]), ci=ci,
                     now=objective_value(lang, obj, st["now"]["mean"])))
    for rule in ("even", "caseload", "now"):
        d = a["objective_diffs"][rule]
        diff, dci = objective_change(lang, obj, d["mean"], d["ci_low"], d["ci_high"])
        lines.append("  " + say(lang, "vs_rule", rule=say(lang, f"rule.{rule}"), diff=diff, ci=dci))
    roles = {"judges": "judge", "assistants": "assistant", "clerks": "clerk"}
    for m in a.get("moves", []):
        noun = counted(lang, 2, roles[m["role"]]).split(" ", 1)[1]   # the role's name, plural in English
        lines.append("  " + say(lang, "moved", role=noun, src=m["from"], dst=m["to"],
                                gain=objective_change(lang, obj, m["objective_gain"])[0]))
    return lines


def court_table(a: dict[str, Any], lang: str) -> tuple[list[str], list[list[str]]]:
    """Header and one row per court: posts under each rule, headline figures, targets still missed."""
    header = [say(lang, f"col.{k}") for k in ("court", "posts", "even", "caseload", "wlr", "long", "missed")]
    rows = []
    for row in a["court_rows"]:
        f = row["figures"]
        arrow = {k: say(lang, "arrow", a=figure_value(lang, k, f[k]["now"]["mean"]),
                        b=figure_value(lang, k, f[k]["recommended"]["mean"]))
                 for k in ("within_limit_rate", "long_pending_end")}
        rows.append([row["court"], posts_text(lang, row["posts"]["recommended"]), posts_text(lang, row["posts"]["even"]),
                     posts_text(lang, row["posts"]["caseload"]), arrow["within_limit_rate"], arrow["long_pending_end"],
                     say(lang, "sep").join(figure_name(lang, k) for k in row["missed_recommended"]) or say(lang, "none")])
    return header, rows


def reason_lines(a: dict[str, Any], lang: str) -> list[str]:
    """Why each court got what it got, one or two lines per court."""
    lines = [say(lang, "reasons")]
    for reason, row in zip(a["reasons"], a["court_rows"], strict=True):
        code = reason["code"]
        if code == "given":
            gains = say(lang, "sep").join(figure_change(lang, "within_limit_rate", g) for g in reason["gains"])
            text = say(lang, "given", court=reason["court"], posts=posts_text(lang, reason["posts"]), gains=gains)
            if any(reason["minimum"]):
                text += say(lang, "given_min", posts=posts_text(lang, reason["minimum"]))
        elif code == "less_gain":
            text = say(lang, "less_gain", court=reason["court"],
                       missed=say(lang, "sep").join(figure_name(lang, k) for k in reason["missed"]))
        else:
            text = say(lang, code, court=reason["court"])
        lines.append("  " + text)
        f = row["figures"]["within_limit_rate"]
        if row["posts"]["recommended"] != row["posts"]["even"] or row["posts"]["recommended"] != row["posts"]["caseload"]:
            lines.append("    " + say(lang, "vs_rules", figure=figure_name(lang, "within_limit_rate"),
                                        d_even=figure_change(lang, "within_limit_rate", f["vs_even"]["mean"]),
                                        ci_even=change_interval(lang, "within_limit_rate", f["vs_even"]["ci_low"],
                                                                f["vs_even"]["ci_high"]),
                                        d_case=figure_change(lang, "within_limit_rate", f["vs_caseload"]["mean"]),
                                        ci_case=change_interval(lang, "within_limit_rate", f["vs_caseload"]["ci_low"],
                                                                f["vs_caseload"]["ci_high"])))
    return lines
