"""``python -m sim advise``: the allocation advisor on the command line.

Exit status as in :mod:`sim.cli`: 0 on success, 2 on bad input with a one-line message.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any, Optional

from .cli import EXIT_OK, int_range
from .errors import short_repr
from .messages import render


def _shares(text: str) -> list[float]:
    out = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            v = float(part) if part.isascii() else float("x")
        except ValueError:
            v = float("nan")
        if not (math.isfinite(v) and 0 <= v <= 1):
            raise argparse.ArgumentTypeError(render("option_shares", {"option": "--mediation-shares",
                                                                      "value": short_repr(part)}))
        out.append(v)
    if not 1 <= len(out) <= 6:  # each share multiplies the search
        raise argparse.ArgumentTypeError(render("option_shares_count", {"option": "--mediation-shares", "limit": 6}))
    return out


def add_advise_command(subparsers: Any) -> None:
    """Register ``advise`` on the ``python -m sim`` sub-command parser."""
    a = subparsers.add_parser(
        "advise", help="find the best split of judges, assistants and clerks across the teams",
        description="Search splits of the given staff totals across the scenario's teams (and "
                    "optionally mediation shares) for the plan with the highest within-limit "
                    "rate that meets the other targets, or the fewest pending cases at the end. "
                    "Candidates are screened with a few replications and the best refined, all "
                    "with common random numbers.")
    a.add_argument("scenario", help="scenario YAML file or the name of a saved scenario")
    a.add_argument("--judges", required=True, type=int_range("--judges", 0, 5000), help="quota judges available")
    a.add_argument("--assistants", required=True, type=int_range("--assistants", 0, 5000), help="judge assistants available")
    a.add_argument("--clerks", required=True, type=int_range("--clerks", 0, 5000), help="clerks available")
    a.add_argument("--extra-posts", type=int_range("--extra-posts", 0, 50), default=0,
                   help="also show the figures with up to K more judges (staff added vs figure)")
    a.add_argument("--objective", choices=("within_limit_rate", "pending_end"), default="within_limit_rate",
                   help="maximise the within-limit rate (default) or minimise pending at the end")
    a.add_argument("--mediation-shares", type=_shares, metavar="S1,S2",
                   help="shares of disputes offered pre-filing mediation to try, e.g. 0.3,0.4")
    a.add_argument("--replications", "-n", type=int_range("--replications", 2, 1000),
                   help="replications for refined plans (default: the scenario's)")
    a.add_argument("--screen-replications", type=int_range("--screen-replications", 1, 50), default=3,
                   help="replications to screen each candidate (default 3)")
    a.add_argument("--top-k", type=int_range("--top-k", 1, 50), default=5, help="candidates refined (default 5)")
    a.add_argument("--seed", type=int_range("--seed", 0, 2**63 - 1), help="random seed (default: the scenario's)")
    a.add_argument("--workers", "-w", type=int_range("--workers", 1, 256), help="worker processes (default: all cores)")
    a.add_argument("--json", metavar="PATH|-", help="write the advice as JSON to PATH, or stdout with -")
    a.add_argument("--save", metavar="NAME", help="save the recommended plan in the scenario store under NAME")
    a.add_argument("--overwrite", action="store_true", help="with --save: replace a saved scenario of that name")
    a.add_argument("--dir", help="scenario store folder (default: $COURT_SIM_SCENARIO_DIR or scenarios/saved)")
    a.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    a.set_defaults(func=cmd_advise)


def _pct(v: Optional[float]) -> str:
    return "–" if v is None else f"{100 * v:.1f}%"


def _num(v: Optional[float]) -> str:
    return "–" if v is None else f"{v:,.0f}"


def _fig(name: str, st: dict) -> str:
    f = _pct if name.endswith("rate") or name.endswith("share") or name == "judge_utilisation" else _num
    if name == "clearance_rate":
        f = (lambda v: "–" if v is None else f"{v:.3f}")
    return f"{f(st['mean'])} [{f(st['ci_low'])}, {f(st['ci_high'])}]"


def _text(adv) -> str:
    d = adv.to_json_dict()
    obj = adv.objective
    lines = [f"{adv.base_name}: advice for {adv.totals['judges']} judges, {adv.totals['assistants']} assistants, "
             f"{adv.totals['clerks']} clerks; objective {obj}; seed {adv.seed}; "
             f"{len(adv.candidates)} plans simulated ({'every plan' if adv.exhaustive else 'fluid-guided search'}), "
             f"{adv.replications_run} replications, {adv.elapsed_seconds:.1f} s",
             "", f"recommended: {adv.best_plan.describe()}"]
    for t in d["best"]["teams"]:
        lines.append(f"  {t['team']:<20} {t['track']:<8} {t['judges']:>3} judges {t['assistants']:>3} assistants {t['clerks']:>3} clerks")
    for k in ("within_limit_rate", "pending_end", "clearance_rate", "long_pending_end", "disposition_days_mean"):
        st = d["best"]["summary"][k]
        tg = d["best"]["targets"].get(k)
        tt = "" if tg is None else ("  target met" if tg["met"] else "  target MISSED")
        lines.append(f"  {k:<24} {_fig(k, st)}{tt}")
    cur = d["current"]
    if cur and not cur["is_best"]:
        dd = cur["best_minus_current"][obj]
        f = _pct if obj == "within_limit_rate" else _num
        lines.append(f"vs the current plan ({cur['plan']['description']}): {obj} "
                     f"{'+' if (dd['mean'] or 0) >= 0 else ''}{f(dd['mean'])} [{f(dd['ci_low'])}, {f(dd['ci_high'])}] (paired)")
    elif cur:
        lines.append("the current plan is already the best found")
    if adv.runners_up:
        lines.append("runners-up within the best's interval (paired difference contains 0):")
        for r in adv.runners_up:
            lines.append(f"  {r['plan']['description']}: {obj} {_fig(obj, r['figures'][obj])}")
    else:
        lines.append("no runner-up is within the best's interval")
    if len(adv.staff_curve) > 1:
        lines.append("staff added vs figure:")
        for p in adv.staff_curve:
            to = f" (+1 {p['added_to']})" if p["added_to"] else ""
            lines.append(f"  +{p['added']} judges → {p['judges']}{to}: {obj} {_fig(obj, p['figures'][obj])}")
        for name, hit in adv.smallest_meeting.items():
            lines.append(f"  {name}: " + ("not met within the extra posts" if hit is None else
                                         f"met with {hit['judges']} judges (+{hit['added']})"))
    return "\n".join(lines) + "\n"


def cmd_advise(a: argparse.Namespace) -> int:
    """Run the advisor and print, write or save its answer."""
    from .advisor import advise, check_inputs
    from .cli import UserError, _load, _write

    scn = _load(a.scenario)
    check_inputs(scn, a.judges, a.assistants, a.clerks, a.extra_posts, a.mediation_shares, a.objective)
    bar = None
    cb = None
    if not a.quiet:
        from tqdm import tqdm

        bar = tqdm(total=1, desc="advisor", unit="rep", file=sys.stderr, leave=False)

        def cb(done: int, total: int) -> None:
            bar.total = max(total, done, 1)
            bar.n = done
            bar.refresh()
    store = None
    if a.save:
        from .store import ScenarioStore, normalise_name

        store = ScenarioStore(a.dir) if a.dir else ScenarioStore()
        # refuse a bad or taken name before spending a minute on the search
        name = normalise_name(a.save)
        if store.exists(name) and not a.overwrite:
            raise UserError("save_name_taken", name=name)
    try:
        adv = advise(scn, a.judges, a.assistants, a.clerks, extra_posts=a.extra_posts, objective=a.objective,
                     mediation_shares=a.mediation_shares, screen_replications=a.screen_replications,
                     refine_replications=a.replications, top_k=a.top_k, seed=a.seed, workers=a.workers,
                     progress=cb)
    finally:
        if bar:
            bar.close()
    if a.json:
        _write(a.json, json.dumps(adv.to_json_dict(), ensure_ascii=False, indent=2))
    if store is not None:
        saved = store.save(adv.best, a.save, note=f"allocation advisor: {adv.best_plan.describe()}",
                           overwrite=a.overwrite)
        print(f"saved the recommended plan as {saved.name!r} in {store.folder}", file=sys.stderr)
    if a.json != "-":
        sys.stdout.write(_text(adv))
    return EXIT_OK
