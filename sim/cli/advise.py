"""``python -m sim advise``: the allocation advisor on the command line.

Exit status as in :mod:`sim.cli.main`: 0 on success, 2 on bad input with a one-line message.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from ..model.errors import short_repr
from ..vocabulary.advisor_text import (
    OBJECTIVES,
    explanation_lines,
    more_lines,
    plan_text,
    posts_text,
    rule_line,
)
from ..vocabulary.figure_format import (
    change_interval,
    counted,
    figure_change,
    figure_interval,
    figure_name,
    figure_value,
    target_text,
    verdict_word,
)
from ..vocabulary.figure_registry import HEADLINE, with_targets
from ..vocabulary.messages import render
from .arguments import add_lang, int_range, load_input, write_binary, write_output
from .errors import EXIT_OK, UserError
from .text import say, table, verdict_notes


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
                    "optionally mediation shares) for the plan that misses the fewest of the "
                    "scenario's targets with the highest within-limit rate (or the fewest pending "
                    "cases at the end); with extra posts offered, also the fewest extra posts whose "
                    "best plan meets every target, the split re-optimised at each total searched. "
                    "Candidates are screened with a few replications and the best refined, all "
                    "with common random numbers; a target counts as met when its 95 % interval "
                    "lies on the target's side.")
    a.add_argument("scenario", help="scenario file or saved name")
    a.add_argument("--judges", required=True, type=int_range("--judges", 0, 5000), help="quota judges available")
    a.add_argument("--assistants", required=True, type=int_range("--assistants", 0, 5000), help="judge assistants available")
    a.add_argument("--clerks", required=True, type=int_range("--clerks", 0, 5000), help="clerks available")
    a.add_argument("--extra-posts", type=int_range("--extra-posts", 0, 50), default=0,
                   help="extra judge posts that may be added: find the fewest extra posts whose best plan "
                        "meets every target (the split re-optimised at each total searched)")
    a.add_argument("--extra-assistants", type=int_range("--extra-assistants", 0, 50), default=0,
                   help="extra assistant posts that may be added as well (default 0)")
    a.add_argument("--extra-clerks", type=int_range("--extra-clerks", 0, 50), default=0,
                   help="extra clerk posts that may be added as well (default 0)")
    a.add_argument("--objective", choices=OBJECTIVES, default="within_limit_rate",
                   help="maximise the within-limit rate (default; or one track's: within_limit_rate_simple, "
                        "within_limit_rate_complex) or minimise pending at the end")
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
    a.add_argument("--xlsx", metavar="PATH", help="write the advice as an Excel workbook (XLSX) to PATH: staffing, "
                                                   "figures, reasons, the staff curve and every candidate")
    a.add_argument("--save", metavar="NAME", help="save the recommended plan in the scenario store under NAME")
    a.add_argument("--overwrite", action="store_true", help="with --save: replace a saved scenario of that name")
    a.add_argument("--dir", help="scenario store folder (default: $COURT_SIM_SCENARIO_DIR or scenarios/saved)")
    a.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    add_lang(a)
    a.set_defaults(func=cmd_advise)


def _fig(lang: str, name: str, st: dict) -> str:
    """'94.8%（94.6% – 95.1%）': a figure's mean and interval as everywhere else."""
    iv = figure_interval(lang, name, st["ci_low"], st["ci_high"])
    v = figure_value(lang, name, st["mean"])
    return f"{v}（{iv}）" if lang == "zh" else f"{v} ({iv})"


def _plan_text(lang: str, plan: dict) -> str:
    """A plan's staffing by track and its mediation share, in ``lang`` (as on the app's page)."""
    s, c = plan["simple"], plan["complex"]
    return say(lang, "adv.plan_text", sj=s["judges"], sa=s["assistants"], sc=s["clerks"], cj=c["judges"],
               ca=c["assistants"], cc=c["clerks"], med=f"{100 * plan['mediation_share']:.0f}%")


def _curve_table(lang: str, d: dict) -> list[str]:
    """One row per total of extra posts searched: the staff of the best plan there, and each
    target's figure with its verdict."""
    figs = list(d["targets"])
    head = [say(lang, "adv.more.added"), say(lang, "adv.more.judges"), say(lang, "adv.more.assistants"),
            say(lang, "adv.more.clerks")] + [figure_name(lang, f) for f in figs]
    rows = []
    for p in d["staff_curve"]:
        rows.append([f"+{p['added']}", str(p["totals"]["judges"]), str(p["totals"]["assistants"]),
                     str(p["totals"]["clerks"])]
                    + [f"{figure_value(lang, f, p['figures'][f]['mean'])} {verdict_word(lang, p['targets'][f]['verdict'])}"
                       for f in figs])
    return table(head, rows, right=(0, 1, 2, 3))


def _text(adv, lang: str) -> str:
    """The advice in ``lang``: the recommended plan, its figures, runners-up and the staff curve."""
    d = adv.to_json_dict()
    obj = adv.objective
    obj_name = figure_name(lang, obj)
    lines = [say(lang, "adv.head", name=adv.base_name, judges=counted(lang, adv.totals["judges"], "judge"),
                 assistants=counted(lang, adv.totals["assistants"], "assistant"),
                 clerks=counted(lang, adv.totals["clerks"], "clerk"), objective=obj_name, seed=adv.seed,
                 plans=counted(lang, len(adv.candidates), "plan"),
                 how=say(lang, "adv.how.exhaustive" if adv.exhaustive else "adv.how.fluid"),
                 reps=counted(lang, adv.replications_run, "replication"), sec=f"{adv.elapsed_seconds:.1f}"),
             "", say(lang, "adv.best", plan=_plan_text(lang, d["best"]["plan"]))]
    why = explanation_lines(adv.explanation, lang)  # the reasons first, in sentences
    if why:
        lines += [say(lang, "adv.why"), *("  " + line for line in why), ""]
    lines += ["  " + line for line in table(
        ["", "", "", "", ""],
        [[t["team"], say(lang, f"track.{t['track']}"), counted(lang, t["judges"], "judge"),
          counted(lang, t["assistants"], "assistant"), counted(lang, t["clerks"], "clerk")]
         for t in d["best"]["teams"]], right=(2, 3, 4))[1:]]
    rows = []
    shown = with_targets(HEADLINE, d["targets"])  # every target too, whatever figure it is on
    for k in shown:
        st = d["best"]["summary"][k]
        tg = d["best"]["targets"].get(k)
        tt = "" if tg is None else f"{target_text(lang, k, tg['target'])} {verdict_word(lang, tg['verdict'])}"
        rows.append([figure_name(lang, k), figure_value(lang, k, st["mean"]),
                     figure_interval(lang, k, st["ci_low"], st["ci_high"]), tt])
    lines += ["  " + line for line in table(["", "", "", ""], rows, right=(1, 2))[1:]]
    lines += ["  " + line for line in verdict_notes(lang, {k: v for k, v in d["best"]["targets"].items()
                                                           if k in shown})]
    cur = d["current"]
    if cur and not cur["is_best"]:
        dd = cur["best_minus_current"][obj]
        lines.append(say(lang, "adv.vs_current", plan=_plan_text(lang, cur["plan"]), figure=obj_name,
                         diff=figure_change(lang, obj, dd["mean"]),
                         ci=change_interval(lang, obj, dd["ci_low"], dd["ci_high"])))
    elif cur:
        lines.append(say(lang, "adv.current_is_best"))
    if adv.runners_up:
        lines.append(say(lang, "adv.runners"))
        for r in adv.runners_up:
            lines.append(f"  {_plan_text(lang, r['plan'])}: {obj_name} {_fig(lang, obj, r['figures'][obj])}")
    else:
        lines.append(say(lang, "adv.no_runners"))
    offer = d["offer"]
    if any(offer.values()):
        lines += ["", say(lang, "adv.more", offer=posts_text(lang, offer))]
        lines += ["  " + line for line in more_lines(adv.more_explanation, lang)]
        lines += ["  " + line for line in _curve_table(lang, d)]
        lines.append("  " + rule_line(adv.more_explanation, lang))
    return "\n".join(lines) + "\n"


def cmd_advise(a: argparse.Namespace) -> int:
    """Run the advisor and print, write or save its answer."""
    from ..analysis.advisor import advise, check_inputs

    scn = load_input(a.scenario)
    check_inputs(scn, a.judges, a.assistants, a.clerks, a.extra_posts, a.mediation_shares, a.objective,
                 a.extra_assistants, a.extra_clerks)
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
        from ..store.scenario_store import ScenarioStore, normalise_name

        store = ScenarioStore(a.dir) if a.dir else ScenarioStore()
        # refuse a bad or taken name before spending a minute on the search
        name = normalise_name(a.save)
        if store.exists(name) and not a.overwrite:
            raise UserError("save_name_taken", name=name)
    try:
        adv = advise(scn, a.judges, a.assistants, a.clerks, extra_posts=a.extra_posts, objective=a.objective,
                     mediation_shares=a.mediation_shares, screen_replications=a.screen_replications,
                     refine_replications=a.replications, top_k=a.top_k, seed=a.seed, workers=a.workers,
                     progress=cb, extra_assistants=a.extra_assistants, extra_clerks=a.extra_clerks)
    finally:
        if bar:
            bar.close()
    if a.json:
        write_output(a.json, json.dumps(adv.to_json_dict(), ensure_ascii=False, indent=2))
    if a.xlsx:
        from ..report.tables_studies import advice_xlsx

        write_binary(a.xlsx, advice_xlsx(adv, a.lang))
    if store is not None:
        p = adv.best_plan
        saved = store.save(adv.best, a.save, note=say(a.lang, "adv.note", plan=plan_text(a.lang, p.judges, p.assistants, p.clerks, p.mediation_share)),
                           overwrite=a.overwrite)
        print(say(a.lang, "adv.saved", name=saved.name, folder=store.folder), file=sys.stderr)
    if "-" not in (a.json, a.xlsx):
        sys.stdout.write(_text(adv, a.lang))
    return EXIT_OK
