"""Why the advisor recommends what it does, as plain data (no words: any language renders it,
see :func:`sim.vocabulary.advisor_text.explanation_lines` and ``more_lines``).

Two answers are explained: the best split of the staff given (:func:`explain`), and the
fewest extra posts that meet every target (:func:`explain_more`). Both say, per target, what
the plan gains against the plan on screen (paired differences over the same replications),
which team is the bottleneck and how the split takes load off it, and what the next-best
split would have given.
"""
from __future__ import annotations

from typing import Any, Optional

from ..model.scenario import Scenario
from ..vocabulary.figure_registry import REGISTRY
from .advisor_plan import TRACKS, plan_dict, team_moves, teams_of
from .advisor_search import Candidate, MoreSearch, Point, Settings, Store, paired, stat
from .results import Results

#: figures checked for "what gets worse", in the order they are reported
WORSE_CHECKED = ("within_limit_rate", "pending_end", "clearance_rate", "overdue_pending_end", "long_pending_end",
                 "disposition_days_mean", "mediation_resolution_share")


def track_utilisation(res: Results) -> dict[str, Optional[float]]:
    """Judge utilisation per track: the teams' utilisation weighted by their average judges."""
    out: dict[str, Optional[float]] = {}
    for track in TRACKS:
        rows = [t for t in res.teams() if t["track"] == track and t["utilisation"]["mean"] is not None]
        w = sum(t["judges"] for t in rows)
        out[track] = (sum(t["utilisation"]["mean"] * t["judges"] for t in rows) / w) if w > 0 else None
    return out


def bottleneck(cur_res: Results, new_res: Results) -> Optional[dict[str, Any]]:
    """The team with the highest judge utilisation under the current plan, and its utilisation
    under the new one."""
    busy = [t for t in cur_res.teams() if t["utilisation"]["mean"] is not None]
    if not busy:
        return None
    neck = max(busy, key=lambda t: t["utilisation"]["mean"])
    util_new = {t["team"]: t["utilisation"]["mean"] for t in new_res.teams()}
    return {"team": neck["team"], "track": neck["track"], "utilisation": neck["utilisation"]["mean"],
            "utilisation_recommended": util_new.get(neck["team"])}


def gains(store: Store, cfg: Settings, new: Candidate, cur: Candidate, new_verdicts: dict[str, dict[str, Any]],
          cur_verdicts: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Per target: the plan on screen and the new plan (mean and interval), the paired
    difference (new − on screen) and both verdicts."""
    out = []
    for f, target in cfg.targets.items():
        out.append({"figure": f, "target": target, "direction": REGISTRY[f].target_direction,
                    "current": stat(store, cur, f).as_dict(), "new": stat(store, new, f).as_dict(),
                    "diff": paired(store, new, cur, f).as_dict(),
                    "verdict_current": cur_verdicts[f]["verdict"], "verdict_new": new_verdicts[f]["verdict"]})
    return out


def worse_figures(diffs: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Every checked figure whose paired difference goes the wrong way, and whether its 95 %
    interval excludes 0."""
    worse = []
    for f in WORSE_CHECKED:
        d = diffs.get(f)
        if not d or d.get("mean") is None or REGISTRY[f].better not in ("higher", "lower"):
            continue
        good = 1.0 if REGISTRY[f].better == "higher" else -1.0
        if good * d["mean"] < 0:
            lo, hi = d.get("ci_low"), d.get("ci_high")
            sure = lo is not None and hi is not None and (hi < 0 if good > 0 else lo > 0)
            worse.append({"figure": f, "diff": d, "significant": bool(sure)})
    return worse


def explain(base: Scenario, store: Store, cfg: Settings, cur: Candidate, best: Candidate, best_scn: Scenario,
            more: MoreSearch) -> dict[str, Any]:
    """The best split of the staff given, explained.

    - ``bottleneck``: the team with the highest judge utilisation under the current plan, with
      its utilisation there and under the recommended plan.
    - ``moves``: per team whose staff change, the current and recommended judges, assistants
      and clerks (and their differences); ``mediation``: the share offered before and after.
    - ``track_utilisation``: judge utilisation per track, current and recommended (the reason
      for the moves: load is taken off the busier track).
    - ``objective_diff``: the objective's paired difference (recommended − current).
    - ``gains``: every target, current and recommended, with the paired difference and verdicts.
    - ``worse``: every headline figure whose mean gets worse, with its paired difference and
      whether the 95 % interval excludes 0.
    - ``target``: the objective's target, whether the recommended plan meets it with the staff
      given, and if not, the fewest extra posts found to meet it (None: not within them).
    - ``missed``: the other targets the recommended plan does not meet, with its mean.
    """
    n = cfg.refine
    cur_res, best_res = store.results(cur.key, cur.level), store.results(best.key, n)
    obj = cfg.objective
    diffs = {f: paired(store, best, cur, f).as_dict() for f in set(WORSE_CHECKED) | set(cfg.targets) | {obj}}
    p0 = more.points[0]
    cur_v = {f: v for f, v in cur_res.targets().items()}
    summ = best_res.summary()
    tg = best_res.targets()
    target = None
    if obj in cfg.targets:
        hit = more.fewest(lambda p: p.meets(obj))
        met = p0.meets(obj)
        target = {"figure": obj, "target": cfg.targets[obj], "mean": summ[obj].mean, "ci_low": summ[obj].ci_low,
                  "ci_high": summ[obj].ci_high, "met": met, "extra_posts_tried": more.K,
                  "reached_with": None if met or hit is None else _reach(hit)}
    return {
        "objective": obj,
        "bottleneck": bottleneck(cur_res, best_res),
        "moves": team_moves(base, best_scn),
        "mediation": {"current": base.mediation.share_offered, "new": best_scn.mediation.share_offered},
        "track_utilisation": {"current": track_utilisation(cur_res), "recommended": track_utilisation(best_res)},
        "objective_diff": diffs.get(obj),
        "gains": gains(store, cfg, best, cur, p0.verdicts, cur_v),
        "worse": worse_figures(diffs),
        "target": target,
        "missed": [{"figure": f, "target": v["target"], "mean": summ[f].mean, "verdict": v["verdict"]}
                   for f, v in tg.items() if f != obj and not v["met"]],
    }


def _reach(p: Point) -> dict[str, Any]:
    """Where a point is: the extra posts, their mix and the totals of the plan."""
    return {"added": p.added, "mix": dict(zip(("judges", "assistants", "clerks"), p.mix)),
            "judges": p.cand.plan.total("judges"), "totals": p.cand.plan.totals()}


def explained_point(more: MoreSearch, cfg: Settings) -> tuple[Point, str]:
    """The point the answer explains, and why that one: where every target is met first
    ("every"); else where the objective's target is ("objective"); else the most posts
    searched ("most")."""
    every = more.fewest(lambda p: p.meets_all)
    if every is not None:
        return every, "every"
    hit = more.fewest(lambda p: p.meets(cfg.objective)) if cfg.objective in cfg.targets else None
    if hit is not None:
        return hit, "objective"
    return more.points[max(more.points)], "most"


def _unmet(store: Store, cfg: Settings, p: Point) -> list[dict[str, Any]]:
    """The targets a point does not meet: target, verdict, mean and interval."""
    return [{"figure": f, "target": cfg.targets[f], "verdict": v["verdict"], **stat(store, p.cand, f, cfg.refine).as_dict()}
            for f, v in p.verdicts.items() if v["verdict"] != "met"]


def explain_more(base: Scenario, store: Store, cfg: Settings, cur: Candidate, more: MoreSearch) -> dict[str, Any]:
    """The fewest extra posts that meet every target, explained.

    - ``offer``: the extra posts offered per role; ``replications``: how many replications
      decide each verdict (common random numbers); ``searched``: the totals searched in full.
    - ``every``: where every target is met first (None: not within the posts offered), and
      ``targets``: the same per target.
    - ``point``: the point explained (where every target is met; else where the objective's
      target is; else the most posts searched) with ``why`` saying which: the teams it
      changes against the plan on screen (``moves``), what it gains per target (``gains``),
      the track utilisation before and after, the next-best split at that total and its
      paired difference on the objective (``runner_up``), and the total below it searched
      with the targets it does not meet (``below``); ``most``: the most posts searched and
      the targets they still do not meet.
    """
    n = cfg.refine
    every = more.fewest(lambda p: p.meets_all)
    per_target = {f: more.fewest(lambda p, f=f: p.meets(f)) for f in cfg.targets}
    obj = cfg.objective
    p, why = explained_point(more, cfg)
    cur_res = store.results(cur.key, cur.level)
    cur_v = cur_res.targets()
    res = store.results(p.cand.key, n)
    point: dict[str, Any] = {
        "why": why, **_reach(p), "source": p.source, "plan": plan_dict(p.cand.plan), "teams": teams_of(p.cand.scenario),
        "moves": team_moves(base, p.cand.scenario),
        "gains": gains(store, cfg, p.cand, cur, p.verdicts, cur_v),
        "track_utilisation": {"current": track_utilisation(cur_res), "new": track_utilisation(res)},
        "bottleneck": bottleneck(cur_res, res),
        "unmet": _unmet(store, cfg, p),
        "runner_up": None, "below": None,
    }
    search = next((s for m, s in p.searches if m == p.mix), None)
    alt = search.runner_up if search is not None else None
    if alt is not None and alt.key != p.cand.key:
        d = paired(store, alt, p.cand, obj)
        point["runner_up"] = {"plan": plan_dict(alt.plan), "teams": teams_of(alt.scenario), "replications": min(alt.level, n),
                              "mean": stat(store, alt, obj).mean, "diff": d.as_dict()}
    low = more.below(p)
    if low is not None:
        point["below"] = {**_reach(low), "unmet": _unmet(store, cfg, low)}
    most = more.points[max(more.points)]
    return {
        "objective": obj,
        "offer": dict(more.offer),
        "replications": n,
        "searched": sorted(more.points),
        "every": None if every is None else _reach(every),
        "most": {**_reach(most), "unmet": _unmet(store, cfg, most)},
        "targets": {f: {"target": cfg.targets[f], "hit": None if q is None else _reach(q)} for f, q in per_target.items()},
        "point": point if more.K > 0 or every is not None else None,
    }
