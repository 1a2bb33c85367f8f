"""The fit report of a calibration as one self-contained HTML page (``calibrate --report``).

Every parameter with its value, range and how it was obtained, the parameters the data leave
open, the replay's scores with one chart per figure (the app's own Altair specifications,
exported to inline SVG as in :mod:`sim.report.html_report`) and the out-of-sample verdicts in
words. No scripts, no links: it opens offline.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import jinja2
from markupsafe import Markup

from ..vocabulary import catalogue
from ..vocabulary.calibration_text import fit_summary, param_row, score_text, unidentified_text, verdict_text, word
from ..vocabulary.figure_format import check_lang
from .calibration_spec import replay_chart
from .html_report import TEMPLATES, chart_svg

LABELS: dict[str, dict[str, str]] = catalogue.by_lang("report_calibration")


def render_report(fit: Any, rp: Any, cases: int, lang: str = "zh", oos: Optional[Any] = None) -> str:
    """The page for ``fit`` (:class:`sim.calibration.fit.Fit`), its replay ``rp`` and ``oos``."""
    lang = check_lang(lang)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True)
    e = fit.estimates
    charts = [Markup(chart_svg(replay_chart(lang, f, s.rows(), height=200).properties(width=640)))
              for f, s in rp.series.items()]
    verdicts = []
    if oos is not None:
        verdicts = [verdict_text(lang, f, v, oos.replay.series[f].mape, oos.naive[f]) for f, v in oos.verdicts.items()]
    return env.get_template("calibration_report.html.j2").render(
        lang=lang, L=LABELS[lang], start=e.start.isoformat(), end=e.extra["export_date"].isoformat(), cases=cases,
        generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        params=[param_row(lang, p) for p in fit.params()], fit_summary=fit_summary(lang, fit),
        unidentified=unidentified_text(lang, fit.unidentified()),
        scores=[score_text(lang, f, s.coverage, s.mape) for f, s in rp.series.items()], charts=charts,
        oos_head=word(lang, "oos.head", fit=e.months - oos.holdout, holdout=oos.holdout) if oos else "",
        verdicts=verdicts)
