"""The advisor's explanation in words, Chinese or English: sentences a court president can repeat.

:func:`sim.advisor.explain` gives the reasons as data; :func:`explanation_lines` writes them,
for the app's advisor page and the command line alike. Figures are written by
:mod:`sim.figure_format` (names, units, percentage points, intervals), as everywhere else.
"""
from __future__ import annotations

from typing import Any

from .figure_format import change_interval, figure_change, figure_name, figure_value, target_text

#: what the advisor can optimise (the per-track rates too: a court may ask for the complex track's)
OBJECTIVES = ("within_limit_rate", "pending_end", "within_limit_rate_simple", "within_limit_rate_complex")

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "track.simple": "简案", "track.complex": "繁案",
        "role.judges": "员额法官", "role.assistants": "法官助理", "role.clerks": "书记员",
        "sep": "、", "clause": "；",
        "bottleneck": "瓶颈：现行配置下“{team}”（{track}）的法官利用率最高，为 {util}；按推荐配置为 {util_new}。",
        "moves": "推荐配置调整：{items}。",
        "move": "“{team}”（{track}）{changes}",
        "change": "{role} {delta}（{now}→{new}）",
        "no_moves": "推荐配置与现行的团队人员相同。",
        "mediation": "诉前调解分流率由 {now} 调为 {new}。",
        "why": "理由：{tracks}；{figure}较现行配置变化 {diff}（配对差值 95% 区间 {ci}）。",
        "why_track": "{track}法官利用率 {now}→{new}",
        "extra": "第 {k} 个增加的员额法官编制给{track}的“{team}”（共 {judges} 名）：{figure} {value}。",
        "worse": "变差的指标：{items}。",
        "worse_item": "{figure} {diff}（{ci}{sure}）",
        "not_sure": "，与 0 无显著差异",
        "no_worse": "没有指标变差。",
        "target_met": "目标（{figure} {target}）：推荐配置为 {mean}，以现有人员可以达到。",
        "target_reach": "目标（{figure} {target}）：推荐配置为 {mean}，以现有人员达不到；增加 {added} 个员额法官编制"
                        "（共 {judges} 名）可以达到。",
        "target_none": "目标（{figure} {target}）：推荐配置为 {mean}，以现有人员达不到；{tried}",
        "target_tried": "在试过的 {n} 个增加的员额内仍达不到。",
        "target_untried": "可在“增加的员额”中试算需要增加多少员额。",
        "missed": "推荐配置仍未达到的其他目标：{items}。",
        "missed_item": "{figure} {target}（为 {mean}）",
        "plan": "简案团队 法官 {js} / 助理 {as_} / 书记员 {cs}，繁案团队 法官 {jc} / 助理 {ac} / 书记员 {cc}，"
                "诉前调解分流率 {med}",
        "advised": "配置建议器为“{base}”推荐的人员配置（优化目标：{figure}）：{plan}。各团队的名称、审判类别和"
                   "人员变动计划不变。",
        "original": "原方案说明：",
    },
    "en": {
        "track.simple": "simple", "track.complex": "complex",
        "role.judges": "judges", "role.assistants": "assistants", "role.clerks": "clerks",
        "sep": ", ", "clause": "; ",
        "bottleneck": "Bottleneck: under the current plan “{team}” ({track} track) has the highest judge "
                      "utilisation, {util}; {util_new} under the recommended plan.",
        "moves": "The recommended plan moves: {items}.",
        "move": "“{team}” ({track}) {changes}",
        "change": "{role} {delta} ({now}→{new})",
        "no_moves": "The recommended plan keeps every team's staff as it is.",
        "mediation": "Mediation diversion goes from {now} to {new}.",
        "why": "Why: {tracks}; the {figure} changes by {diff} against the current plan (paired 95 % interval {ci}).",
        "why_track": "judge utilisation on the {track} track {now}→{new}",
        "extra": "Extra judge post {k} goes to “{team}” ({track} track, {judges} judges in all): {figure} {value}.",
        "worse": "What gets worse: {items}.",
        "worse_item": "{figure} {diff} ({ci}{sure})",
        "not_sure": "; not distinguishable from 0",
        "no_worse": "No figure gets worse.",
        "target_met": "Target ({figure} {target}): the recommended plan reaches {mean}, so it is reachable with "
                      "the staff given.",
        "target_reach": "Target ({figure} {target}): the recommended plan reaches {mean}, so it is not reachable "
                        "with the staff given; {added} extra judge posts ({judges} judges) reach it.",
        "target_none": "Target ({figure} {target}): the recommended plan reaches {mean}, so it is not reachable "
                       "with the staff given; {tried}",
        "target_tried": "nor within the {n} extra posts tried.",
        "target_untried": "try extra posts to see how many would reach it.",
        "missed": "Other targets the recommended plan still misses: {items}.",
        "missed_item": "{figure} {target} (reaches {mean})",
        "plan": "simple track {js} judges / {as_} assistants / {cs} clerks, complex track {jc} judges / "
                "{ac} assistants / {cc} clerks, pre-filing mediation {med}",
        "advised": "Staffing recommended by the allocation advisor for “{base}” (objective: {figure}): {plan}. "
                   "Teams keep their names, tracks and dated changes.",
        "original": "Original description: ",
    },
}


def _t(lang: str, key: str, **kw: Any) -> str:
    s = TEXT[lang if lang in TEXT else "en"][key]
    return s.format(**kw) if kw else s


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def _signed(n: int) -> str:
    return f"+{n}" if n > 0 else f"−{-n}"


def plan_text(lang: str, judges: tuple, assistants: tuple, clerks: tuple, mediation_share: float) -> str:
    """A plan (simple, complex) in words: "简案团队 法官 9 / 助理 9 / 书记员 8，…"."""
    return _t(lang, "plan", js=judges[0], as_=assistants[0], cs=clerks[0], jc=judges[1], ac=assistants[1],
              cc=clerks[1], med=_pct(mediation_share))


def advised_description(base_name: str, base_description: str, objective: str, judges: tuple,
                        assistants: tuple, clerks: tuple, mediation_share: float) -> str:
    """The advised scenario's description, in Chinese then English (a saved scenario has one text).

    The original description follows, so the saved plan still says what court it is.
    """
    parts = [_t(lang, "advised", base=base_name, figure=figure_name(lang, objective),
                plan=plan_text(lang, judges, assistants, clerks, mediation_share)) for lang in ("zh", "en")]
    text = "\n\n".join(parts)
    if base_description:
        text += "\n\n" + _t("zh", "original").rstrip("：") + " / " + _t("en", "original") + base_description
    return text


def explanation_lines(expl: dict[str, Any], lang: str) -> list[str]:
    """The explanation of :func:`sim.advisor.explain` as sentences in ``lang`` ('zh' or 'en')."""
    if not expl:
        return []
    obj = expl["objective"]
    util = "judge_utilisation"
    lines = []
    b = expl.get("bottleneck")
    if b:
        lines.append(_t(lang, "bottleneck", team=b["team"], track=_t(lang, f"track.{b['track']}"),
                        util=figure_value(lang, util, b["utilisation"]),
                        util_new=figure_value(lang, util, b["utilisation_recommended"])))
    moves = expl.get("moves") or []
    if moves:
        items = []
        for m in moves:
            changes = _t(lang, "sep").join(
                _t(lang, "change", role=_t(lang, f"role.{r}"), delta=_signed(d), now=m["current"][r], new=m["new"][r])
                for r, d in m["delta"].items() if d)
            items.append(_t(lang, "move", team=m["team"], track=_t(lang, f"track.{m['track']}"), changes=changes))
        lines.append(_t(lang, "moves", items=_t(lang, "clause").join(items)))
    else:
        lines.append(_t(lang, "no_moves"))
    med = expl.get("mediation") or {}
    if med and abs(med["current"] - med["new"]) > 1e-9:
        lines.append(_t(lang, "mediation", now=_pct(med["current"]), new=_pct(med["new"])))
    tu = expl.get("track_utilisation") or {}
    d = expl.get("objective_diff")
    if moves and d:
        tracks = _t(lang, "clause").join(
            _t(lang, "why_track", track=_t(lang, f"track.{k}"), now=figure_value(lang, util, tu["current"][k]),
               new=figure_value(lang, util, tu["recommended"][k]))
            for k in ("simple", "complex") if tu.get("current", {}).get(k) is not None)
        lines.append(_t(lang, "why", tracks=tracks, figure=figure_name(lang, obj),
                        diff=figure_change(lang, obj, d["mean"]), ci=change_interval(lang, obj, d["ci_low"], d["ci_high"])))
    for p in expl.get("extra_posts") or []:
        lines.append(_t(lang, "extra", k=p["added"], team=p["team"] or "—",
                        track=_t(lang, f"track.{p['track']}") if p["track"] else "—", judges=p["judges"],
                        figure=figure_name(lang, obj), value=figure_value(lang, obj, p["mean"])))
    worse = expl.get("worse") or []
    if worse:
        lines.append(_t(lang, "worse", items=_t(lang, "clause").join(
            _t(lang, "worse_item", figure=figure_name(lang, w["figure"]),
               diff=figure_change(lang, w["figure"], w["diff"]["mean"]),
               ci=change_interval(lang, w["figure"], w["diff"]["ci_low"], w["diff"]["ci_high"]),
               sure="" if w["significant"] else _t(lang, "not_sure")) for w in worse)))
    else:
        lines.append(_t(lang, "no_worse"))
    tg = expl.get("target")
    if tg:
        kw = dict(figure=figure_name(lang, obj), target=target_text(lang, obj, tg["target"]),
                  mean=figure_value(lang, obj, tg["mean"]))
        if tg["met"]:
            lines.append(_t(lang, "target_met", **kw))
        elif tg["reached_with"]:
            lines.append(_t(lang, "target_reach", added=tg["reached_with"]["added"],
                            judges=tg["reached_with"]["judges"], **kw))
        else:
            tried = _t(lang, "target_tried", n=tg["extra_posts_tried"]) if tg["extra_posts_tried"] else \
                _t(lang, "target_untried")
            lines.append(_t(lang, "target_none", tried=tried, **kw))
    missed = expl.get("missed") or []
    if missed:
        lines.append(_t(lang, "missed", items=_t(lang, "clause").join(
            _t(lang, "missed_item", figure=figure_name(lang, m["figure"]), target=target_text(lang, m["figure"], m["target"]),
               mean=figure_value(lang, m["figure"], m["mean"])) for m in missed)))
    return lines
