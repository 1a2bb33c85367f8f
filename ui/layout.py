"""Page-wide layout rules: a sidebar that leaves room for the figures, cards that wrap.

At 1024 px a 480 px sidebar left the eight cards 84 px each ("审…"). The sidebar keeps its
width on a wide screen (and stays resizable by dragging its edge) but never takes more than
a share of the window; the cards are a wrapping row whose items keep a readable width, so
they fall into rows of four, three or two as the page narrows; a metric's label and value
wrap instead of being cut with an ellipsis. The sidebar (at most 39 % of the window) and its
sections keep little side padding, so that the team table shows its name and staff columns
whole at 1024 px in Chinese and English (the cards still get two to a row).
"""
from __future__ import annotations

import streamlit as st

#: narrowest card: "审限内结案率", "94.8%" and "尚难判定（目标 ≥ 95.0%）" fit, wrapped
CARD_MIN_PX = 200

CSS = f"""
<style>
section[data-testid="stSidebar"] {{ max-width: 39vw !important; min-width: 300px !important; }}
section[data-testid="stSidebar"] [data-testid="stSidebarContent"] {{
  padding-left: 0.75rem !important; padding-right: 0.75rem !important;
}}
section[data-testid="stSidebar"] [data-testid="stExpanderDetails"] {{
  padding-left: 0.4rem !important; padding-right: 0.4rem !important;
}}
.st-key-cards > div {{ flex: 1 1 {CARD_MIN_PX}px !important; min-width: {CARD_MIN_PX}px !important; }}
.st-key-cards [data-testid="stMetricLabel"] *,
.st-key-cards [data-testid="stMetricValue"] * {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}}
.st-key-cards [data-testid="stMetricValue"] {{ font-size: 1.9rem; }}
</style>
"""


def apply_layout() -> None:
    """Add the layout rules to the page (an invisible element; call once per run)."""
    st.html(CSS)
