"""A comparison as a one-page, self-contained HTML report to hand out at a meeting.

Everything is inline: hand-written SVG charts, CSS, no scripts, no web fonts, no links, so the
file opens offline and prints on one landscape A4 page. Lines differ by dash pattern as well as
colour and targets say met/missed in words with a mark, so a black-and-white printout still
reads. Text is Chinese by default (``lang="en"`` for English); the page's labels live in
:data:`LABELS` below, figure names and formats in :mod:`sim.vocabulary.figure_format`. Every piece of user text is escaped.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import math
from typing import Any, Callable, Mapping, Optional, Sequence

import numpy as np

from ..analysis.compare import HEADLINE, Comparison
from ..vocabulary.figure_format import change_interval, figure_change, figure_interval, figure_name, figure_value, target_text

# Okabe–Ito: distinguishable with the common colour-vision deficiencies
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
DASHES = ("", "7 4", "2 3", "10 3 2 3", "4 4", "1 2")

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "方案比较报告", "generated": "生成时间", "seed": "随机种子", "replications": "重复次数",
        "horizon": "模拟期间", "reference": "基准", "figure": "指标", "target": "目标",
        "met": "达标", "missed": "未达标", "diff": "较基准", "what_differs": "方案参数差异",
        "no_differences": "各方案参数相同。", "scenarios": "比较方案", "note": "备注",
        "more": "另有 {n} 项未列出", "target_line": "目标",
        "chart_pending": "每月末未结案件数", "chart_within": "每月审限内结案率",
        "crn": "各方案使用相同的随机种子和重复次数（共同随机数），差异反映方案本身而非随机波动。"
               "“较基准”为与基准方案逐次配对的差值；方括号内为 95% 置信区间。",
        "no_data": "无数据",
    },
    "en": {
        "title": "Scenario comparison", "generated": "Generated", "seed": "Seed", "replications": "Replications",
        "horizon": "Horizon", "reference": "reference", "figure": "Figure", "target": "Target",
        "met": "met", "missed": "missed", "diff": "vs reference", "what_differs": "What differs",
        "no_differences": "The scenarios have the same parameters.", "scenarios": "Scenarios", "note": "Note",
        "more": "and {n} more not shown", "target_line": "target",
        "chart_pending": "Pending cases at month end", "chart_within": "Monthly within-limit rate",
        "crn": "All scenarios ran with the same seed and replications (common random numbers), so the "
               "differences are the plans', not chance. \u201cvs reference\u201d is the difference from the "
               "reference paired replication by replication; brackets give 95 % confidence intervals.",
        "no_data": "no data",
    },
}

def _labels(lang: str) -> dict[str, str]:
    if lang not in LABELS:
        raise ValueError(f"lang must be one of {sorted(LABELS)}, got {lang!r}")
    return LABELS[lang]


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


# --- charts --------------------------------------------------------------------------------
def _nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (steps of 1, 2 or 5 × 10^k)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return [0.0, 1.0]
    if hi <= lo:
        hi = lo + (abs(lo) * 0.1 or 1.0)
    raw = (hi - lo) / max(n - 1, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    t = start
    while t <= hi + step * 1e-9:
        ticks.append(round(t, 12))
        t += step
    if ticks[-1] < hi:
        ticks.append(round(t, 12))
    return ticks


def line_chart_svg(x_labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]],
                   title: str = "", y_format: Callable[[float], str] = lambda v: f"{v:,.0f}",
                   zero_based: bool = True, target: Optional[float] = None, target_label: str = "target",
                   y_max: Optional[float] = None, width: int = 560, height: int = 250) -> str:
    """An inline SVG line chart: one ``<path class="series">`` per series, gaps at NaN.

    ``series`` is (name, values aligned with ``x_labels``); series *i* uses colour and dash
    pattern *i*. ``target`` draws a labelled horizontal reference line; ``y_max`` caps the axis
    (1 for rates, which cannot exceed 100 %).
    """
    ml, mr, mt, mb = 58, 24, 26 if title else 10, 34
    pw, ph = width - ml - mr, height - mt - mb
    n = len(x_labels)
    vals = [np.asarray(v, dtype=float) for _, v in series]
    finite = np.concatenate([v[np.isfinite(v)] for v in vals]) if vals else np.array([])
    if target is not None:
        finite = np.append(finite, target)
    lo = float(finite.min()) if finite.size else 0.0
    hi = float(finite.max()) if finite.size else 1.0
    if zero_based:
        lo = min(0.0, lo)
    else:
        pad = (hi - lo) * 0.08 or abs(hi) * 0.02 or 0.01
        lo, hi = lo - pad, hi + pad
    capped = y_max is not None and finite.size > 0 and float(finite.max()) <= y_max
    if capped:
        hi = min(hi, y_max)
    ticks = _nice_ticks(lo, hi)
    if capped and ticks[-1] > y_max:
        ticks = [t for t in ticks if t < y_max] + [y_max]
    y0, y1 = ticks[0], ticks[-1]

    def sx(i: float) -> float:
        return ml + (pw / 2 if n <= 1 else pw * i / (n - 1))

    def sy(v: float) -> float:
        return mt + ph - (v - y0) / (y1 - y0) * ph

    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
           f'aria-label="{_e(title)}" preserveAspectRatio="xMidYMid meet">']
    if title:
        out.append(f"<title>{_e(title)}</title>")
        out.append(f'<text x="{ml}" y="16" class="ct">{_e(title)}</text>')
    for t in ticks:
        y = sy(t)
        out.append(f'<line x1="{ml}" x2="{ml + pw}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        out.append(f'<text x="{ml - 5}" y="{y + 3.5:.1f}" class="yl">{_e(y_format(t))}</text>')
    step = max(1, math.ceil(n / 12))
    for i in range(0, n, step):
        out.append(f'<text x="{sx(i):.1f}" y="{mt + ph + 14}" class="xl">{_e(x_labels[i])}</text>')
        out.append(f'<line x1="{sx(i):.1f}" x2="{sx(i):.1f}" y1="{mt + ph}" y2="{mt + ph + 4}" class="axis"/>')
    out.append(f'<line x1="{ml}" x2="{ml + pw}" y1="{mt + ph}" y2="{mt + ph}" class="axis"/>')
    if target is not None and math.isfinite(target):
        y = sy(target)
        out.append(f'<line x1="{ml}" x2="{ml + pw}" y1="{y:.1f}" y2="{y:.1f}" class="target"/>')
        out.append(f'<text x="{ml + pw - 2}" y="{y - 3:.1f}" class="tl">{_e(target_label)} {_e(y_format(target))}</text>')
    for k, ((name, _), v) in enumerate(zip(series, vals)):
        colour, dash = COLOURS[k % len(COLOURS)], DASHES[k % len(DASHES)]
        d, dots, run = [], [], []
        for i, x in enumerate(v[:n]):
            if math.isfinite(x):
                run.append((sx(i), sy(float(x))))
            if not math.isfinite(x) or i == min(len(v), n) - 1:
                if len(run) == 1:
                    dots.append(run[0])  # an isolated month would be invisible as a line
                if run:
                    d.append("M" + " L".join(f"{a:.1f},{b:.1f}" for a, b in run))
                run = []
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<path class="series" data-series="{_e(name)}" d="{" ".join(d)}" fill="none" '
                   f'stroke="{colour}" stroke-width="2"{dash_attr}><title>{_e(name)}</title></path>')
        for a, b in dots:
            out.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="2.5" fill="{colour}"/>')
    out.append("</svg>")
    return "".join(out)


def _swatch(k: int) -> str:
    colour, dash = COLOURS[k % len(COLOURS)], DASHES[k % len(DASHES)]
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<svg class="swatch" width="34" height="10" viewBox="0 0 34 10" aria-hidden="true">'
            f'<line x1="1" x2="33" y1="5" y2="5" stroke="{colour}" stroke-width="2.5"{dash_attr}/></svg>')


def _monthly_series(cmp: Comparison, fig: str) -> tuple[list[str], list[tuple[str, list[float]]]]:
    """Monthly means of ``fig`` per scenario on the union of their months."""
    months = sorted(set().union(*[r.month_labels for r in cmp.results]))
    pos = {m: i for i, m in enumerate(months)}
    series = []
    for name, res in zip(cmp.names, cmp.results):
        mean = res.monthly(fig)[0]
        v = [math.nan] * len(months)
        for lab, x in zip(res.month_labels, mean):
            v[pos[lab]] = float(x)
        series.append((name, v))
    return months, series


# --- the report ----------------------------------------------------------------------------
_CSS = """
@page { size: A4 landscape; margin: 9mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
       "Helvetica Neue", Arial, sans-serif; font-size: 10.5px; color: #111; margin: 0 auto;
       max-width: 1120px; padding: 8px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1 { font-size: 17px; margin: 0 0 2px; }
h2 { font-size: 12px; margin: 8px 0 3px; }
.meta, .crn { color: #333; margin: 0 0 3px; }
.crn { font-size: 9.5px; }
ul.scn { list-style: none; padding: 0; margin: 2px 0 4px; display: flex; flex-wrap: wrap; gap: 2px 18px; }
ul.scn li { white-space: nowrap; }
.swatch { vertical-align: middle; margin-right: 3px; }
.note { color: #444; white-space: pre-line; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #bbb; padding: 2px 4px; vertical-align: top; }
th { background: #eee; text-align: left; font-weight: 600; }
td.v { text-align: right; white-space: nowrap; }
.ci, .d { color: #444; font-size: 9.5px; }
.d { display: block; }
.ok { color: #0a5d1a; font-weight: 600; }
.bad { color: #9b1111; font-weight: 600; }
.ref { font-weight: normal; color: #555; }
.charts { display: flex; gap: 10px; page-break-inside: avoid; break-inside: avoid; }
.charts > div { flex: 1 1 0; min-width: 0; }
svg.chart text { font-size: 10px; fill: #222; }
svg.chart .ct { font-size: 11.5px; font-weight: 600; }
svg.chart .yl { text-anchor: end; }
svg.chart .xl { text-anchor: middle; font-size: 9px; }
svg.chart .tl { text-anchor: end; font-size: 9px; fill: #555; }
svg.chart .grid { stroke: #e3e3e3; stroke-width: 1; }
svg.chart .axis { stroke: #666; stroke-width: 1; }
svg.chart .target { stroke: #777; stroke-width: 1; stroke-dasharray: 3 3; }
ul.diffs { margin: 2px 0; padding-left: 16px; columns: 2; column-gap: 24px; font-size: 9.5px; }
ul.diffs li { break-inside: avoid; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 9.5px; }
@media print { body { max-width: none; padding: 0; } }
"""


def _short(v: Any, limit: int = 48) -> str:
    s = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def comparison_html(cmp: Comparison, lang: str = "zh", title: Optional[str] = None,
                    notes: Optional[Mapping[str, str]] = None, generated_at: Optional[dt.datetime] = None,
                    figures: Sequence[str] = HEADLINE, max_differences: int = 30) -> str:
    """The comparison as one self-contained HTML page (UTF-8 text).

    ``notes`` maps scenario names (as in ``cmp.names``) to a note shown under the name, e.g. the
    note it was saved with. ``figures`` are the table's rows (default: the headline figures).
    """
    L = _labels(lang)
    notes = dict(notes or {})
    when = (generated_at or dt.datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M")
    ttl = title or L["title"]
    ref_name = cmp.names[cmp.reference]
    months = sorted(set().union(*[r.month_labels for r in cmp.results]))
    rows = cmp.rows(tuple(figures))
    by = {(r["figure"], r["scenario"]): r for r in rows}

    h: list[str] = []
    h.append(f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
             f'<meta name="viewport" content="width=device-width, initial-scale=1">'
             f"<title>{_e(ttl)}</title><style>{_CSS}</style></head><body>")
    h.append(f"<h1>{_e(ttl)}</h1>")
    horizon = f"{months[0]} – {months[-1]}" if months else "–"
    h.append(f'<p class="meta">{_e(L["generated"])}: {_e(when)} · {_e(L["seed"])}: {cmp.seed} · '
             f'{_e(L["replications"])}: {cmp.replications} · {_e(L["horizon"])}: {_e(horizon)} · '
             f'{_e(L["reference"])}: <b>{_e(ref_name)}</b></p>')
    h.append(f'<p class="crn">{_e(L["crn"])}</p>')

    h.append(f'<ul class="scn" aria-label="{_e(L["scenarios"])}">')
    for k, name in enumerate(cmp.names):
        note = notes.get(name, "")
        ref = f' <span class="ref">({_e(L["reference"])})</span>' if k == cmp.reference else ""
        nt = f' — <span class="note">{_e(note)}</span>' if note else ""
        h.append(f"<li>{_swatch(k)}<b>{_e(name)}</b>{ref}{nt}</li>")
    h.append("</ul>")

    # headline table: one row per figure, one column per scenario
    h.append("<table><thead><tr>")
    h.append(f'<th>{_e(L["figure"])}</th><th>{_e(L["target"])}</th>')
    for k, name in enumerate(cmp.names):
        ref = f'<br><span class="ref">({_e(L["reference"])})</span>' if k == cmp.reference else ""
        h.append(f"<th>{_swatch(k)}{_e(name)}{ref}</th>")
    h.append("</tr></thead><tbody>")
    for fig in figures:
        targets = {r["target"] for n in cmp.names if (r := by.get((fig, n))) and r["target"] is not None}
        tgt = " / ".join(target_text(lang, fig, t) for t in sorted(targets))
        h.append(f'<tr><th scope="row">{_e(figure_name(lang, fig))}</th><td>{_e(tgt)}</td>')
        for k, name in enumerate(cmp.names):
            r = by[(fig, name)]
            cell = [f"<b>{_e(figure_value(lang, fig, r['mean']))}</b>"]
            if r["ci_low"] is not None and r["ci_high"] is not None:
                cell.append(f' <span class="ci">[{_e(figure_interval(lang, fig, r["ci_low"], r["ci_high"]))}]</span>')
            if k != cmp.reference:
                cell.append(f'<span class="d">{_e(L["diff"])} {_e(figure_change(lang, fig, r["diff_mean"]))} '
                            f'[{_e(change_interval(lang, fig, r["diff_ci_low"], r["diff_ci_high"]))}]</span>')
            if r["met"] is not None:
                cell.append(f'<span class="d ok">✓ {_e(L["met"])}</span>' if r["met"]
                            else f'<span class="d bad">✗ {_e(L["missed"])}</span>')
            h.append(f'<td class="v">{"".join(cell)}</td>')
        h.append("</tr>")
    h.append("</tbody></table>")

    # charts
    ref_targets = cmp.results[cmp.reference].scenario.targets
    x, s_pending = _monthly_series(cmp, "pending_end")
    _, s_within = _monthly_series(cmp, "within_limit_rate")
    h.append('<div class="charts"><div>')
    h.append(line_chart_svg(x, s_pending, title=L["chart_pending"], y_format=lambda v: f"{v:,.0f}",
                            target=ref_targets.pending_end, target_label=L["target_line"]))
    h.append("</div><div>")
    h.append(line_chart_svg(x, s_within, title=L["chart_within"], y_format=lambda v: f"{100 * v:.0f}%",
                            zero_based=False, target=ref_targets.within_limit_rate, target_label=L["target_line"],
                            y_max=1.0))
    h.append("</div></div>")

    # what differs
    diffs = cmp.differences()
    h.append(f'<h2>{_e(L["what_differs"])}</h2>')
    if not diffs:
        h.append(f"<p>{_e(L['no_differences'])}</p>")
    else:
        h.append('<ul class="diffs">')
        for d in diffs[:max_differences]:
            vals = "; ".join(f"{_e(n)} = {_e(_short(v))}" for n, v in d["values"].items())
            h.append(f"<li><code>{_e(d['field'])}</code>: {vals}</li>")
        if len(diffs) > max_differences:
            h.append(f"<li>{_e(L['more'].format(n=len(diffs) - max_differences))}</li>")
        h.append("</ul>")
    h.append("</body></html>")
    return "\n".join(h)


def comparison_html_bytes(cmp: Comparison, lang: str = "zh", **kwargs: Any) -> bytes:
    """:func:`comparison_html` encoded as UTF-8, ready for a download button."""
    return comparison_html(cmp, lang=lang, **kwargs).encode("utf-8")
