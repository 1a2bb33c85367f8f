"""The advisor's explanation in words, Chinese or English: sentences a court president can repeat.

:func:`sim.advisor.explain` gives the reasons as data; :func:`explanation_lines` writes them,
for the app's advisor page and the command line alike. Figures are written by
:mod:`sim.figure_format` (names, units, percentage points, intervals), as everywhere else.
"""
from __future__ import annotations

from typing import Any

from .figure_format import (change_interval, counted, figure_change, figure_interval, figure_name, figure_value,
                            target_text, verdict_word)

#: what the advisor can optimise among the plans that miss the fewest targets (the per-track rates
#: too: a court may ask for the complex track's)
OBJECTIVES = ("within_limit_rate", "pending_end", "within_limit_rate_simple", "within_limit_rate_complex")

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "track.simple": "简案", "track.complex": "繁案",
        "role.judges": "员额法官", "role.assistants": "法官助理", "role.clerks": "书记员",
        "sep": "、", "clause": "；", "and": "、",
        "bottleneck": "瓶颈：现行配置下“{team}”（{track}）的法官利用率最高，为 {util}；按推荐配置为 {util_new}。",
        "moves": "推荐配置调整：{items}。",
        "move": "“{team}”（{track}）{changes}",
        "change": "{role} {delta}（{now}→{new}）",
        "no_moves": "推荐配置与现行的团队人员相同。",
        "mediation": "诉前调解分流率由 {now} 调为 {new}。",
        "why": "理由：{tracks}；{figure}较现行配置变化 {diff}（配对差值 95% 区间 {ci}）。",
        "why_track": "{track}法官利用率 {now}→{new}",
        "worse": "变差的指标：{items}。",
        "worse_item": "{figure} {diff}（{ci}{sure}）",
        "not_sure": "，与 0 无显著差异",
        "no_worse": "没有指标变差。",
        "target_met": "目标（{figure} {target}）：推荐配置为 {mean}，以现有人员可以达到。",
        "target_reach": "目标（{figure} {target}）：推荐配置为 {mean}，以现有人员达不到；增加 {posts}"
                        "（共 {judges} 名员额法官）可以达到。",
        "target_none": "目标（{figure} {target}）：推荐配置为 {mean}，以现有人员达不到；{tried}",
        "target_tried": "在可增加的 {n} 个编制内仍达不到。",
        "target_untried": "可填写“可增加的员额”等，求需要增加多少编制。",
        "missed": "推荐配置仍未达到的其他目标：{items}。",
        "missed_item": "{figure} {target}（为 {mean}）",
        "gains": "各项目标（现行 → 推荐）：{items}。",
        "gain_item": "{figure} {now} → {new}（{diff}，配对 95% 区间 {ci}），目标 {target}：{verdict}",
        "posts_none": "不增加编制",
        "posts_add": "增加 {posts}",
        "more_none_needed": "不需要增加：以现有人员，推荐配置已达到全部 {n} 项目标。",
        "more_every": "增加 {posts}（共 {totals}）可达到全部 {n} 项目标；{below}。",
        "more_below_every": "{posts}时仍有目标未达到",
        "more_every_none": "在可增加的编制（{offer}）内达不到全部目标；增加 {posts}时仍未达到：{unmet}。",
        "more_target": "{figure} {target}：{answer}",
        "more_hit_now": "以现有人员即可达到",
        "more_hit": "增加 {posts}可达到",
        "more_hit_none": "在可增加的编制内达不到（增加 {posts}时为 {mean}，{verdict}）",
        "more_plan": "增加 {posts}时的配置（与推演页上的方案相比）：{items}。",
        "more_gains": "这一配置的各项目标（推演页上的方案 → 该配置）：{items}。",
        "more_why": "为什么这样分：{tracks}。",
        "more_neck": "现行配置下最忙的“{team}”（{track}）法官利用率 {util} → {util_new}",
        "more_runner": "同样的总数，次优的分法（{plan}）{figure}为 {mean}，差 {diff}（配对 95% 区间 {ci}）。",
        "more_runner_none": "同样的总数下，没有其他分法进入精算。",
        "more_below": "{posts}时：{items}。",
        "more_below_item": "{figure} {mean}（95% 区间 {ci}），{verdict}",
        "more_rule": "“达到”指 {reps}（各方案共用相同的随机数）的 95% 置信区间整体位于目标一侧；平均值达到而区间仍包含"
                     "目标的记为“尚难判定”，不算达到。已完整搜索的增加数：{searched}；每个总数都重新优化了各团队的分配。",
        "more_extended": "（该点由较少编制时的最优配置加上新增编制得到，比同一总数完整搜索的结果更好。）",
        "plan": "简案团队 法官 {js} / 助理 {as_} / 书记员 {cs}，繁案团队 法官 {jc} / 助理 {ac} / 书记员 {cc}，"
                "诉前调解分流率 {med}",
        "advised": "配置建议器为“{base}”推荐的人员配置（优化目标：{figure}）：{plan}。各团队的名称、审判类别和"
                   "人员变动计划不变。",
        "original": "原方案说明：",
        # the answer's tables (sim.analysis.advisor_table): titles and column headers
        "tbl.answer": "还需要增加多少", "tbl.teams": "各团队人员", "tbl.figures": "主要指标",
        "tbl.curve": "增加编制与各项目标",
        "tbl.team": "团队", "tbl.track": "审判方向",
        "tbl.judges_now": "员额法官（现有）", "tbl.assistants_now": "法官助理（现有）", "tbl.clerks_now": "书记员（现有）",
        "tbl.judges_best": "员额法官（建议）", "tbl.assistants_best": "法官助理（建议）", "tbl.clerks_best": "书记员（建议）",
        "tbl.judges_more": "员额法官（增加 {added} 个编制）", "tbl.assistants_more": "法官助理（增加 {added} 个编制）",
        "tbl.clerks_more": "书记员（增加 {added} 个编制）",
        "tbl.figure": "指标", "tbl.target": "目标", "tbl.current": "现有配置", "tbl.best": "建议配置",
        "tbl.low": "建议配置 95% 区间下限", "tbl.high": "建议配置 95% 区间上限", "tbl.diff": "差值（建议 − 现有）",
        "tbl.diff_low": "差值 95% 区间下限", "tbl.diff_high": "差值 95% 区间上限", "tbl.verdict": "是否达标",
        "tbl.added": "增加编制（个）", "tbl.add_judges": "其中员额法官", "tbl.add_assistants": "其中法官助理",
        "tbl.add_clerks": "其中书记员", "tbl.judges": "员额法官合计", "tbl.assistants": "法官助理合计",
        "tbl.clerks": "书记员合计", "tbl.reps": "重复次数",
        "tbl.low_of": "{figure} 95% 区间下限", "tbl.high_of": "{figure} 95% 区间上限", "tbl.verdict_of": "{figure} 是否达标",
        "tbl.objective": "目标项", "tbl.every": "全部目标",
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
        "worse": "What gets worse: {items}.",
        "worse_item": "{figure} {diff} ({ci}{sure})",
        "not_sure": "; not distinguishable from 0",
        "no_worse": "No figure gets worse.",
        "target_met": "Target ({figure} {target}): the recommended plan reaches {mean}, so it is reachable with "
                      "the staff given.",
        "target_reach": "Target ({figure} {target}): the recommended plan reaches {mean}, so it is not reachable "
                        "with the staff given; {posts} more ({judges} judges in all) reach it.",
        "target_none": "Target ({figure} {target}): the recommended plan reaches {mean}, so it is not reachable "
                       "with the staff given; {tried}",
        "target_tried": "nor within the {n} extra posts offered.",
        "target_untried": "offer extra posts to see how many would reach it.",
        "missed": "Other targets the recommended plan still misses: {items}.",
        "missed_item": "{figure} {target} (reaches {mean})",
        "gains": "Targets (current → recommended): {items}.",
        "gain_item": "{figure} {now} → {new} ({diff}, paired 95 % interval {ci}), target {target}: {verdict}",
        "posts_none": "no extra posts",
        "posts_add": "+{posts}",
        "more_none_needed": "None: with the staff given, the recommended plan meets all {n} targets.",
        "more_every": "{posts} more ({totals} in all) meet all {n} targets; {below}.",
        "more_below_every": "with {posts} some target is still not met",
        "more_every_none": "Not every target can be met within the {offer} offered; with {posts} more "
                           "these are still not met: {unmet}.",
        "more_target": "{figure} {target}: {answer}",
        "more_hit_now": "met with the staff given",
        "more_hit": "met with {posts} more",
        "more_hit_none": "not met within the posts offered ({mean} with {posts} more, {verdict})",
        "more_plan": "The plan with {posts} more (against the plan on the what-if page): {items}.",
        "more_gains": "Its targets (plan on the what-if page → this plan): {items}.",
        "more_why": "Why this split: {tracks}.",
        "more_neck": "“{team}” ({track} track), the busiest under the current plan, goes from {util} to {util_new} "
                     "judge utilisation",
        "more_runner": "With the same totals, the next-best split ({plan}) gives {figure} {mean}, {diff} "
                       "(paired 95 % interval {ci}).",
        "more_runner_none": "With the same totals, no other split reached the refined round.",
        "more_below": "With {posts}: {items}.",
        "more_below_item": "{figure} {mean} (95 % interval {ci}), {verdict}",
        "more_rule": "“Met” means the 95 % interval over {reps} (the same random numbers for every plan) lies on the "
                     "target's side; a mean on the right side with the target inside its interval is “undecided”, "
                     "not met. Totals of extra posts searched in full: {searched}; each re-optimises the split "
                     "across the teams.",
        "more_extended": "(This point is the best plan of a smaller total with the extra posts added, which beat the "
                         "full search at the same total.)",
        "and": " and ",
        "plan": "simple track {js} judges / {as_} assistants / {cs} clerks, complex track {jc} judges / "
                "{ac} assistants / {cc} clerks, pre-filing mediation {med}",
        "advised": "Staffing recommended by the allocation advisor for “{base}” (objective: {figure}): {plan}. "
                   "Teams keep their names, tracks and dated changes.",
        "original": "Original description: ",
        # the answer's tables (sim.analysis.advisor_table): titles and column headers
        "tbl.answer": "How many more", "tbl.teams": "Staff by team", "tbl.figures": "Headline figures",
        "tbl.curve": "Posts added and targets",
        "tbl.team": "Team", "tbl.track": "Track",
        "tbl.judges_now": "Judges (now)", "tbl.assistants_now": "Assistants (now)", "tbl.clerks_now": "Clerks (now)",
        "tbl.judges_best": "Judges (advised)", "tbl.assistants_best": "Assistants (advised)",
        "tbl.clerks_best": "Clerks (advised)",
        "tbl.judges_more": "Judges (+{added} posts)", "tbl.assistants_more": "Assistants (+{added} posts)",
        "tbl.clerks_more": "Clerks (+{added} posts)",
        "tbl.figure": "Figure", "tbl.target": "Target", "tbl.current": "Current plan", "tbl.best": "Advised plan",
        "tbl.low": "Advised plan, 95 % interval low", "tbl.high": "Advised plan, 95 % interval high",
        "tbl.diff": "Difference (advised − current)", "tbl.diff_low": "Difference, 95 % interval low",
        "tbl.diff_high": "Difference, 95 % interval high", "tbl.verdict": "Verdict",
        "tbl.added": "Posts added", "tbl.add_judges": "of which judges", "tbl.add_assistants": "of which assistants",
        "tbl.add_clerks": "of which clerks", "tbl.judges": "Judges in all", "tbl.assistants": "Assistants in all",
        "tbl.clerks": "Clerks in all", "tbl.reps": "Replications",
        "tbl.low_of": "{figure}, 95 % interval low", "tbl.high_of": "{figure}, 95 % interval high",
        "tbl.verdict_of": "{figure}, verdict",
        "tbl.objective": "Target on", "tbl.every": "Every target",
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


def table_text(lang: str, key: str, **kw: Any) -> str:
    """A title or column header of the answer's tables (or a track's name) in ``lang``."""
    return _t(lang, key, **kw)


def posts_text(lang: str, mix: dict[str, int]) -> str:
    """Extra posts in words: "9 名员额法官" / "3 judges and 2 assistants" ("不增加编制" for none)."""
    parts = [counted(lang, int(mix.get(r, 0)), noun) for r, noun in
             (("judges", "judge"), ("assistants", "assistant"), ("clerks", "clerk")) if mix.get(r)]
    if not parts:
        return _t(lang, "posts_none")
    return _t(lang, "sep").join(parts[:-1]) + _t(lang, "and") + parts[-1] if len(parts) > 1 else parts[0]


def totals_text(lang: str, totals: dict[str, int]) -> str:
    """Staff of every role in words: "20 名员额法官、6 名法官助理、8 名书记员"."""
    return _t(lang, "sep").join(counted(lang, int(totals[r]), noun) for r, noun in
                                (("judges", "judge"), ("assistants", "assistant"), ("clerks", "clerk")))


def _moves_text(lang: str, moves: list[dict[str, Any]]) -> str:
    items = []
    for m in moves:
        changes = _t(lang, "sep").join(
            _t(lang, "change", role=_t(lang, f"role.{r}"), delta=_signed(d), now=m["current"][r], new=m["new"][r])
            for r, d in m["delta"].items() if d)
        items.append(_t(lang, "move", team=m["team"], track=_t(lang, f"track.{m['track']}"), changes=changes))
    return _t(lang, "clause").join(items)


def _gains_text(lang: str, gains: list[dict[str, Any]]) -> str:
    return _t(lang, "clause").join(
        _t(lang, "gain_item", figure=figure_name(lang, g["figure"]), now=figure_value(lang, g["figure"], g["current"]["mean"]),
           new=figure_value(lang, g["figure"], g["new"]["mean"]), diff=figure_change(lang, g["figure"], g["diff"]["mean"]) or "—",
           ci=change_interval(lang, g["figure"], g["diff"]["ci_low"], g["diff"]["ci_high"]),
           target=target_text(lang, g["figure"], g["target"]), verdict=verdict_word(lang, g["verdict_new"]))
        for g in gains)


def _utilisation_text(lang: str, tu: dict[str, Any], new_key: str) -> str:
    util = "judge_utilisation"
    return _t(lang, "clause").join(
        _t(lang, "why_track", track=_t(lang, f"track.{k}"), now=figure_value(lang, util, tu["current"][k]),
           new=figure_value(lang, util, tu[new_key][k]))
        for k in ("simple", "complex") if (tu.get("current") or {}).get(k) is not None)


def explanation_lines(expl: dict[str, Any], lang: str) -> list[str]:
    """The explanation of :func:`sim.analysis.advisor_explain.explain` as sentences in ``lang``."""
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
    lines.append(_t(lang, "moves", items=_moves_text(lang, moves)) if moves else _t(lang, "no_moves"))
    med = expl.get("mediation") or {}
    if med and abs(med["current"] - med["new"]) > 1e-9:
        lines.append(_t(lang, "mediation", now=_pct(med["current"]), new=_pct(med["new"])))
    tu = expl.get("track_utilisation") or {}
    d = expl.get("objective_diff")
    if moves and d:
        lines.append(_t(lang, "why", tracks=_utilisation_text(lang, tu, "recommended"), figure=figure_name(lang, obj),
                        diff=figure_change(lang, obj, d["mean"]), ci=change_interval(lang, obj, d["ci_low"], d["ci_high"])))
    if expl.get("gains"):
        lines.append(_t(lang, "gains", items=_gains_text(lang, expl["gains"])))
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
            lines.append(_t(lang, "target_reach", posts=posts_text(lang, tg["reached_with"]["mix"]),
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


def _offer_text(lang: str, offer: dict[str, int]) -> str:
    return posts_text(lang, offer) if any(offer.values()) else _t(lang, "posts_none")


def _posts_with(lang: str, added: int, mix: dict[str, int]) -> str:
    """"增加 9 名员额法官" / "+9 judges" when posts are added, "不增加编制" when none are."""
    return _t(lang, "posts_add", posts=posts_text(lang, mix)) if added else _t(lang, "posts_none")


def _unmet_text(lang: str, unmet: list[dict[str, Any]]) -> str:
    def one(u: dict[str, Any]) -> str:
        head = f"{figure_name(lang, u['figure'])} {target_text(lang, u['figure'], u['target'])}"
        value = figure_value(lang, u["figure"], u["mean"])
        return f"{head}（{value}）" if lang == "zh" else f"{head} ({value})"
    return _t(lang, "sep").join(one(u) for u in unmet)


def _headline(mx: dict[str, Any], lang: str) -> list[str]:
    """How many more posts meet every target (or that none are needed, or the posts offered do not)."""
    n, pt, every = len(mx["targets"]), mx.get("point"), mx.get("every")
    if every is not None and every["added"] == 0:
        return [_t(lang, "more_none_needed", n=n)]
    if every is not None:
        below = (pt or {}).get("below")
        return [_t(lang, "more_every", posts=posts_text(lang, every["mix"]), totals=totals_text(lang, every["totals"]), n=n,
                   below=_t(lang, "more_below_every", posts=_posts_with(lang, below["added"], below["mix"])) if below else "")]
    if pt is None:
        return []
    most = mx["most"]  # the most posts searched: what they still do not meet
    return [_t(lang, "more_every_none", offer=_offer_text(lang, mx["offer"]), posts=posts_text(lang, most["mix"]),
               unmet=_unmet_text(lang, most["unmet"]))]


def _target_lines(mx: dict[str, Any], lang: str) -> list[str]:
    """Per target: met with the staff given, with how many more posts, or not within those offered."""
    lines = []
    for f, tg in mx["targets"].items():
        hit = tg["hit"]
        if hit is not None:
            answer = _t(lang, "more_hit_now") if hit["added"] == 0 else _t(lang, "more_hit", posts=posts_text(lang, hit["mix"]))
        elif mx.get("point") is not None:
            u = next(x for x in mx["most"]["unmet"] if x["figure"] == f)
            answer = _t(lang, "more_hit_none", posts=posts_text(lang, mx["most"]["mix"]), mean=figure_value(lang, f, u["mean"]),
                        verdict=verdict_word(lang, u["verdict"]))
        else:
            continue  # no extra posts offered: the best plan's own verdicts say it
        lines.append(_t(lang, "more_target", figure=figure_name(lang, f), target=target_text(lang, f, tg["target"]),
                        answer=answer))
    return lines


def _point_lines(mx: dict[str, Any], lang: str) -> list[str]:
    """The plan the answer names: its moves, what it gains per target, why this split, the
    next-best split at the same total, and the total below it."""
    obj, pt = mx["objective"], mx["point"]
    lines = []
    if pt["moves"]:
        lines.append(_t(lang, "more_plan", posts=posts_text(lang, pt["mix"]), items=_moves_text(lang, pt["moves"])))
    if pt.get("source") == "extended":
        lines.append(_t(lang, "more_extended"))
    lines.append(_t(lang, "more_gains", items=_gains_text(lang, pt["gains"])))
    why = [_utilisation_text(lang, pt["track_utilisation"], "new")]
    b = pt.get("bottleneck")
    if b and b.get("utilisation_recommended") is not None:
        util = "judge_utilisation"
        why.append(_t(lang, "more_neck", team=b["team"], track=_t(lang, f"track.{b['track']}"),
                      util=figure_value(lang, util, b["utilisation"]), util_new=figure_value(lang, util, b["utilisation_recommended"])))
    lines.append(_t(lang, "more_why", tracks=_t(lang, "clause").join(w for w in why if w)))
    r = pt.get("runner_up")
    if r:
        p = r["plan"]
        plan = plan_text(lang, *((p["simple"][k], p["complex"][k]) for k in ("judges", "assistants", "clerks")),
                         p["mediation_share"])
        lines.append(_t(lang, "more_runner", plan=plan, figure=figure_name(lang, obj), mean=figure_value(lang, obj, r["mean"]),
                        diff=figure_change(lang, obj, r["diff"]["mean"]) or "—",
                        ci=change_interval(lang, obj, r["diff"]["ci_low"], r["diff"]["ci_high"])))
    else:
        lines.append(_t(lang, "more_runner_none"))
    low = pt.get("below")
    if low and low["unmet"]:
        lines.append(_t(lang, "more_below", posts=_posts_with(lang, low["added"], low["mix"]), items=_t(lang, "clause").join(
            _t(lang, "more_below_item", figure=figure_name(lang, u["figure"]), mean=figure_value(lang, u["figure"], u["mean"]),
               ci=figure_interval(lang, u["figure"], u["ci_low"], u["ci_high"]), verdict=verdict_word(lang, u["verdict"]))
            for u in low["unmet"])))
    return lines


def more_lines(mx: dict[str, Any], lang: str) -> list[str]:
    """The answer to "how many more posts?" (:func:`sim.analysis.advisor_explain.explain_more`)
    as sentences in ``lang``: the answer, each target's answer, the plan there team by team, what
    it gains per target, why this split and the total below it (:func:`rule_line` says what
    "met" means)."""
    if not mx or not mx.get("targets"):
        return []
    lines = _headline(mx, lang) + _target_lines(mx, lang)
    pt = mx.get("point")
    if pt is not None and pt["added"] > 0:
        lines += _point_lines(mx, lang)
    return lines


def rule_line(mx: dict[str, Any], lang: str) -> str:
    """What "met" means and which totals were searched (shown next to the answer)."""
    if not mx:
        return ""
    return _t(lang, "more_rule", reps=counted(lang, mx["replications"], "replication"),
              searched=_t(lang, "sep").join(str(k) for k in mx["searched"]))
