"""A province allocation as a one-page, self-contained HTML report (A4 landscape, no scripts).

Built from the allocation's plain data (``Allocation.to_json_dict()``) and the same sentences
as the command line (:mod:`sim.vocabulary.province_text`), so the handout says what the screen
and the terminal say. Every value is escaped by the template.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import jinja2

from ..vocabulary.province_text import court_table, reason_lines, summary_lines

TITLE = {"zh": "全省员额配置建议", "en": "Allocation of new posts across the courts"}
GENERATED = {"zh": "生成时间", "en": "Generated"}

_TEMPLATE = jinja2.Environment(autoescape=True).from_string("""<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }} · {{ province }}</title>
<style>
@page { size: A4 landscape; margin: 10mm; }
body { font-family: "Noto Sans CJK SC", "Noto Sans", sans-serif; font-size: 10px; margin: 0; color: #222; }
h1 { font-size: 16px; margin: 0 0 4px; }
p { margin: 2px 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { border: 1px solid #bbb; padding: 1px 5px; text-align: left; }
th { background: #eee; }
/* the reasons in two columns, a court's lines kept together: twelve courts fit under the table */
.reasons { columns: 2; column-gap: 14px; font-size: 9px; }
.reasons div { break-inside: avoid; margin: 0 0 2px; }
.reasons p { margin: 0; }
.reasons p + p { margin-left: 10px; color: #444; }
.meta { color: #555; }
</style></head><body>
<h1>{{ title }} · {{ province }}</h1>
<p class="meta">{{ generated_label }}: {{ generated }}</p>
{% for line in summary %}<p>{{ line }}</p>{% endfor %}
<table><thead><tr>{% for h in header %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>
<p>{{ reasons_head }}</p>
<div class="reasons">{% for court in reasons %}<div>{% for line in court %}<p>{{ line }}</p>{% endfor %}</div>{% endfor %}</div>
</body></html>
""")


def province_html(data: dict[str, Any], lang: str = "zh") -> str:
    """The allocation ``data`` (``Allocation.to_json_dict()``) as one HTML page in ``lang``."""
    header, rows = court_table(data, lang)
    lines = reason_lines(data, lang)
    courts: list[list[str]] = []
    for line in lines[1:]:   # a court's reason, then its comparison with the rules (indented deeper)
        if line.startswith("    ") and courts:
            courts[-1].append(line.strip())
        else:
            courts.append([line.strip()])
    return _TEMPLATE.render(lang=lang, title=TITLE[lang], province=data["province"], generated_label=GENERATED[lang],
                            generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"), summary=summary_lines(data, lang),
                            header=header, rows=rows, reasons_head=lines[0].strip(), reasons=courts)
