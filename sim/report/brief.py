"""A comparison as a one-page Word brief (DOCX) for a meeting: ``compare --docx`` and the
comparison page's download.

On one A4 landscape page: the plans (names and notes), the headline and per-track figures of each
plan (mean, 95 % interval, verdict against its target, and the paired change from the reference
with its interval), what differs between the plans in words, the advisor's reasons when the
brief is made from an advisor's answer, and the date, seed and replications. Words come from
:mod:`sim.vocabulary.figure_format` (figures, verdicts) and :mod:`sim.vocabulary.export_text`.
Every table cell goes through :func:`sim.report.tables.formula_safe`, so a plan named
``=HYPERLINK(...)`` pasted from the brief into a spreadsheet stays text.

:func:`comparison_brief` gathers the content (plain data, tested without Word);
:func:`docx_bytes` lays it out with python-docx.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence

from ..vocabulary import catalogue
from ..vocabulary.figure_format import (
    change_interval,
    check_lang,
    figure_change,
    figure_interval,
    figure_name,
    figure_value,
    target_text,
    verdict_word,
)
from ..vocabulary.figure_registry import HEADLINE
from .tables import formula_safe

#: the brief's rows: the registry's headline figures (each track's beside the overall ones) but the
#: closures per judge, so that the brief holds on one page (the HTML report has all twelve)
BRIEF_FIGURES = tuple(f for f in HEADLINE if f != "closures_per_judge")
#: differences listed by name on the page; more are counted (the app's page lists them all)
MAX_DIFFERENCES = 6
MAX_REASONS = 8
#: from this many plans on, the page is set denser: the change without its interval (the
#: workbook and the HTML report have it), fewer differences by name, the plans on one line
DENSE_PLANS = 4

WORDS: dict[str, dict[str, str]] = catalogue.by_lang("report_brief")


@dataclass
class Brief:
    """What the brief says (every text already in its language)."""

    lang: str
    title: str
    meta: list[tuple[str, str]]                    # (label, value): date, seed, replications, horizon
    plans: list[tuple[str, str]]                   # (name with "(reference)", note)
    header: list[str]                              # figure, target, one column per plan
    rows: list[list[str]]                          # figure name, target, per plan "value [interval] verdict\nchange"
    differences: list[tuple[str, list[str]]] = field(default_factory=list)
    more_differences: int = 0
    reasons: list[str] = field(default_factory=list)
    note: str = ""


def comparison_brief(cmp: Any, lang: str = "zh", notes: Optional[Mapping[str, str]] = None,
                     reasons: Sequence[str] = (), generated: Optional[dt.datetime] = None,
                     figures: Sequence[str] = BRIEF_FIGURES, title: Optional[str] = None) -> Brief:
    """The brief of a :class:`sim.analysis.compare.Comparison` in ``lang``.

    ``notes``: a note per plan name (as saved); ``reasons``: the advisor's reasons in sentences
    (:func:`sim.vocabulary.advisor_text.explanation_lines`), shown when given.
    """
    W = WORDS[check_lang(lang)]
    notes = dict(notes or {})
    when = (generated or dt.datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M")
    ref = cmp.results[cmp.reference]
    horizon = f"{ref.month_labels[0]} – {ref.month_labels[-1]}" if ref.month_labels else ""
    plans = [(f"{k + 1}. {name}" + (f" ({W['reference']})" if k == cmp.reference else ""), notes.get(name, ""))
             for k, name in enumerate(cmp.names)]
    by = {(r["figure"], r["scenario"]): r for r in cmp.rows(tuple(figures))}
    dense = len(cmp.names) >= DENSE_PLANS
    most = MAX_DIFFERENCES // 2 if dense else MAX_DIFFERENCES
    rows = []
    for fig in figures:
        targets = list(dict.fromkeys(r["target"] for n in cmp.names if (r := by[(fig, n)])["target"] is not None))
        row = [figure_name(lang, fig), " / ".join(target_text(lang, fig, t) for t in targets) or W["no_target"]]
        for k, name in enumerate(cmp.names):
            r = by[(fig, name)]
            text = figure_value(lang, fig, r["mean"])
            iv = figure_interval(lang, fig, r["ci_low"], r["ci_high"])
            if r["ci_low"] is not None and r["ci_high"] is not None:
                text += f"（{iv}）" if lang == "zh" else f" ({iv})"
            if r["verdict"]:
                text += " " + verdict_word(lang, r["verdict"])
            if k != cmp.reference:
                change = figure_change(lang, fig, r["diff_mean"])
                text += "\n" + (W["change_short"].format(change=change) if dense else W["change"].format(
                    change=change, interval=change_interval(lang, fig, r["diff_ci_low"], r["diff_ci_high"])))
            row.append(text)
        rows.append(row)
    diffs = [(it.label if g.kind == "section" else f"{g.title} · {it.label}", list(it.values))
             for g in cmp.what_differs(lang) for it in g.items]
    return Brief(
        lang=lang, title=title or W["title"],
        meta=[(W["generated"], when), (W["seed"], str(cmp.seed)), (W["replications"], str(cmp.replications)),
              (W["horizon"], horizon)],
        plans=plans, header=[W["figure"], W["target"], *(_short(f"{k + 1}. {name}") for k, name in enumerate(cmp.names))],
        rows=rows, differences=diffs[:most], more_differences=max(0, len(diffs) - most),
        reasons=list(reasons)[:MAX_REASONS], note=W["crn"])


def _short(text: str, most: int = 32) -> str:
    """A plan's name for a column header: cut with an ellipsis past ``most`` characters."""
    return text if len(text) <= most else text[:most - 1] + "…"


# --- Word ---------------------------------------------------------------------------------------

FONT_LATIN, FONT_EAST_ASIAN = "Calibri", "Microsoft YaHei"


def _font(run: Any, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT_LATIN
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), FONT_EAST_ASIAN)


def _para(doc: Any, text: str, size: float = 9, bold: bool = False, space_after: float = 2) -> Any:
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.space_before = Pt(0)
    _font(p.add_run(text), size, bold)
    return p


def _cell(cell: Any, text: str, size: float = 8, bold: bool = False) -> None:
    from docx.shared import Pt

    cell.text = ""
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    lines = formula_safe(text).split("\n")
    for i, line in enumerate(lines):
        if i:
            p.add_run().add_break()
        _font(p.add_run(line), size if i == 0 else size - 0.5, bold and i == 0)


def _table(doc: Any, header: list[str], rows: list[list[str]], widths_cm: list[float], size: float = 8) -> None:
    from docx.shared import Cm

    t = doc.add_table(rows=1 + len(rows), cols=len(header))
    t.style = "Table Grid"
    t.autofit = False
    for j, h in enumerate(header):
        _cell(t.rows[0].cells[j], h, size, bold=True)
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            _cell(t.rows[i].cells[j], v, size, bold=j == 0)
    # Word reads the cells' widths, LibreOffice the grid's: set both
    for j, w in enumerate(widths_cm):
        t.columns[j].width = Cm(w)
        for r in t.rows:
            r.cells[j].width = Cm(w)


def docx_bytes(brief: Brief) -> bytes:
    """The brief as a Word document on one A4 landscape page."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    doc = docx.Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(sec, side, Cm(1.3))
    sec.top_margin = sec.bottom_margin = Cm(0.8)
    usable = 29.7 - 2.6
    W = WORDS[brief.lang]

    _para(doc, brief.title, 13, bold=True, space_after=1)
    _para(doc, "   ·   ".join(f"{k}：{v}" if brief.lang == "zh" else f"{k}: {v}" for k, v in brief.meta), 8.5)
    _para(doc, brief.note, 7.5, space_after=3)
    _para(doc, W["plans"], 9.5, bold=True, space_after=1)
    plans = [formula_safe(name) + (f" — {note}" if note else "") for name, note in brief.plans]
    n = len(brief.header) - 2
    if n >= DENSE_PLANS:
        _para(doc, "；".join(plans) if brief.lang == "zh" else "; ".join(plans), 8, space_after=0)
    else:
        for line in plans:
            _para(doc, line, 8.5, space_after=0)
    _para(doc, "", 4, space_after=0)
    _para(doc, W["figures"], 9.5, bold=True, space_after=1)
    first, target = (4.0, 1.7) if n >= DENSE_PLANS else (5.0, 2.0)
    _table(doc, brief.header, brief.rows, [first, target] + [(usable - first - target) / max(n, 1)] * n,
           size=8 if n < DENSE_PLANS else 7)
    if brief.reasons:
        _para(doc, "", 3, space_after=0)
        _para(doc, W["reasons"], 9.5, bold=True, space_after=1)
        for line in brief.reasons:
            _para(doc, "• " + formula_safe(line), 8, space_after=0)
    _para(doc, "", 3, space_after=0)
    head = _para(doc, W["differs"], 9.5, bold=True, space_after=1)
    if brief.more_differences:  # on the heading's line: a line of its own pushed 6 plans onto a second page
        _font(head.add_run("   " + W["more"].format(n=brief.more_differences)), 7.5)
    if brief.differences:
        label_w = 8.0
        _table(doc, ["", *(str(k + 1) for k in range(n))], [[lab, *vals] for lab, vals in brief.differences],
               [label_w] + [(usable - label_w) / max(n, 1)] * n, size=7.5)
    else:
        _para(doc, W["none"], 8)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
