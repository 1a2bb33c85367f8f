"""Page-wide layout rules, so every page reads at 1440×900, at 1024×768 and on a 390 px phone.

At 1024 px a 480 px sidebar left the eight cards 84 px each ("审…"). The sidebar keeps its
width on a wide screen (and stays resizable by dragging its edge) but never takes more than
a share of the window; the cards are a wrapping row whose items keep a readable width, so
they fall into rows of four, three or two as the page narrows; a metric's label and value
wrap instead of being cut with an ellipsis. The sidebar (at most 39 % of the window) and its
sections keep little side padding, so that the team table shows its name and staff columns
whole at 1024 px in Chinese and English (the cards still get two to a row).

Below 1280 px the main area drops most of its side padding (Streamlit's 5 rem each side left
a 1024 px window 465 px for the figures), charts are a wrapping row like the cards (two side
by side only where each gets :data:`CHART_MIN_PX`), and a button's label wraps onto a second
line rather than ending in "…". On a phone (below :data:`PHONE_PX`) the title is smaller and
the plan bar (:mod:`ui.plan_bar`) is shown above the figures.
"""
from __future__ import annotations

import streamlit as st

#: narrowest card: "审限内结案率", "94.8%" and "尚难判定（目标 ≥ 95.0%）" fit, wrapped
CARD_MIN_PX = 200
#: narrowest chart that sits beside another: a month axis of 24 labels and a title fit
CHART_MIN_PX = 380
#: below this window width Streamlit lays the sidebar over the page (and stacks columns)
PHONE_PX = 640

CSS = f"""
<style>
section[data-testid="stSidebar"] {{ max-width: 39vw !important; min-width: 300px !important; }}
section[data-testid="stSidebar"] [data-testid="stSidebarContent"] {{
  padding-left: 0.75rem !important; padding-right: 0.75rem !important;
}}
section[data-testid="stSidebar"] [data-testid="stExpanderDetails"] {{
  padding-left: 0.4rem !important; padding-right: 0.4rem !important;
}}
@media (max-width: 1279.98px) {{
  .stMainBlockContainer {{ padding-left: 1.5rem !important; padding-right: 1.5rem !important; }}
}}
@media (max-width: {PHONE_PX - 0.02}px) {{
  section[data-testid="stSidebar"] {{ max-width: 88vw !important; }}
  .stMainBlockContainer {{ padding-left: 0.75rem !important; padding-right: 0.75rem !important;
                           padding-top: 3.5rem !important; }}
  .stMainBlockContainer h1 {{ font-size: 1.6rem !important; }}
}}
@media (min-width: {PHONE_PX}px) {{ .st-key-plan_bar {{ display: none !important; }} }}
.st-key-cards > div {{ flex: 1 1 {CARD_MIN_PX}px !important; min-width: {CARD_MIN_PX}px !important; }}
.st-key-cards [data-testid="stMetricLabel"] *,
.st-key-cards [data-testid="stMetricValue"] * {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}}
.st-key-cards [data-testid="stMetricValue"] {{ font-size: 1.9rem; }}
.st-key-charts > div {{ flex: 1 1 {CHART_MIN_PX}px !important; min-width: min(100%, {CHART_MIN_PX}px) !important; }}
button .stMarkdownEllipsis, button .stMarkdownEllipsis *,
a[data-testid^="stBaseLinkButton"] .stMarkdownEllipsis, a[data-testid^="stBaseLinkButton"] .stMarkdownEllipsis * {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}}
button[data-testid^="stBaseButton"], a[data-testid^="stBaseLinkButton"] {{ height: auto !important; }}
</style>
"""


def apply_layout() -> None:
    """Add the layout rules to the page (an invisible element; call once per run)."""
    st.html(CSS)
