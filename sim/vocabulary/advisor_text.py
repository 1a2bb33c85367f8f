"""The advisor's explanation in words, Chinese or English: sentences a court president can repeat.

:func:`sim.advisor.explain` gives the reasons as data; :func:`explanation_lines` writes them,
for the app's advisor page and the command line alike. Figures are written by
:mod:`sim.figure_format` (names, units, percentage points, intervals), as everywhere else.
"""
from __future__ import annotations

from typing import Any

from . import catalogue
from .figure_format import (
    change_interval,
    counted,
    figure_change,
    figure_interval,
    figure_name,
    figure_value,
    target_text,
    verdict_word,
)

#: what the advisor can optimise among the plans that miss the fewest targets (the per-track rates
#: too: a court may ask for the complex track's)
OBJECTIVES = ("within_limit_rate", "pending_end", "within_limit_rate_simple", "within_limit_rate_complex")

TEXT: dict[str, dict[str, str]] = catalogue.by_lang("advisor")


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
