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

Tables (:func:`show_table`) keep the columns a reader needs in view: the grid scrolls sideways
when it is wider than the page, so the label column is pinned, the columns that answer "met or
not" (value, target, verdict) come right after it, and every column is as wide as its longest
text (or, for a column of long texts, as wide as given, its texts on two or more lines), so
nothing in it ends in "…" and no column is wider than its words.
"""
from __future__ import annotations

import math
from typing import Any, Optional, Sequence

import pandas as pd
import streamlit as st

#: narrowest card: "审限内结案率", "94.8%" and "尚难判定（目标 ≥ 95.0%）" fit, wrapped (on a phone,
#: in smaller type, two cards a row)
CARD_MIN_PX, CARD_MIN_PHONE_PX = 200, 160
#: narrowest chart that sits beside another: a month axis of 24 labels and a title fit
CHART_MIN_PX = 380
#: below this window width Streamlit lays the sidebar over the page (and stacks columns)
PHONE_PX = 640
#: a step a finger hits (WCAG 2.5.5's 44 CSS px), and one team's place in the plan bar
TOUCH_PX, BAR_ITEM_PX = 44, 168

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
@media (max-width: {PHONE_PX - 0.02}px) {{
  section[data-testid="stSidebar"] {{ max-width: 88vw !important; }}
  .stMainBlockContainer {{ padding-left: 0.75rem !important; padding-right: 0.75rem !important;
                           padding-top: 3.5rem !important; }}
  .stMainBlockContainer h1 {{ font-size: 1.6rem !important; }}
  /* two cards a row: the rate and the clearance side by side above the plan bar */
  .st-key-cards > div {{ flex: 1 1 {CARD_MIN_PHONE_PX}px !important; min-width: {CARD_MIN_PHONE_PX}px !important; }}
  .st-key-cards [data-testid="stMetricValue"] {{ font-size: 1.45rem !important; }}
}}
@media (max-width: {PHONE_PX - 0.02}px) {{
  /* the plan bar stays at the foot of the screen, the figures scroll above it */
  .st-key-plan_bar {{ position: fixed !important; left: 0; right: 0; bottom: 0; z-index: 999; margin: 0 !important;
    background: #ffffff; border-top: 1px solid rgba(49, 51, 63, 0.2); box-shadow: 0 -2px 8px rgba(0, 0, 0, 0.08);
    padding: 0.35rem 0.75rem 0.6rem !important; gap: 0.2rem !important; }}
  .st-key-plan_bar_teams {{ flex-wrap: nowrap !important; overflow-x: auto !important; padding-bottom: 0.2rem; }}
  .st-key-plan_bar_teams > div {{ flex: 0 0 {BAR_ITEM_PX}px !important; }}
  .st-key-plan_bar input {{ min-height: {TOUCH_PX}px; }}
  .st-key-plan_bar button[data-testid^="stNumberInputStep"] {{ min-width: {TOUCH_PX}px !important;
    min-height: {TOUCH_PX}px !important; }}
  .stMainBlockContainer {{ padding-bottom: 12rem !important; }}
}}
</style>
"""


#: a table cell's padding, and a header's (its sort and menu icons), in pixels
CELL_PAD_PX, HEAD_PAD_PX = 24, 36
#: a row of one line, and each further line of wrapped text (the grid wraps only rows taller than 64 px)
LINE_PX, ROW_PAD_PX, MIN_WRAP_ROW_PX = 21, 24, 66
ONE_LINE_ROW_PX, HEADER_ROW_PX = 35, 38  # Streamlit's own row and header heights
MAX_LINES = 4


def text_px(text: str) -> int:
    """About how wide ``text`` is in a table at the app's 14 px font: a Chinese character or a
    full-width sign 14 px, anything else 8 px."""
    return sum(14 if ord(ch) >= 0x2E80 else 8 for ch in text)


def show_table(df: pd.DataFrame, *, key: Optional[str] = None, first: Sequence[str] = (),
               pin: Sequence[str] = (), wrap: Optional[dict[str, int]] = None, height: Any = "auto") -> None:
    """``df`` as a grid that keeps its key columns in view on a narrow page.

    ``key``: the grid's key; it is drawn in a container keyed ``tbl_<key>``. ``first``: the columns to show right after the pinned ones, in this order (the rest follow
    in the frame's order); ``pin``: columns that stay in view while the grid scrolls sideways
    (the label); ``wrap``: ``{column: most pixels}`` for columns whose longer texts go onto
    more lines rather than widen the column (every row is then as high as the most lines
    needed, at most :data:`MAX_LINES`); ``height``: as ``st.dataframe``'s, or ``"all"`` for
    every row in view.
    """
    wrap = {c: px for c, px in (wrap or {}).items() if c in df.columns}
    cols = [str(c) for c in df.columns]
    order = [c for c in pin if c in cols] + [c for c in first if c in cols and c not in pin]
    order += [c for c in cols if c not in order]
    config, lines = {}, 1
    for c in cols:
        need = max([text_px(c) + HEAD_PAD_PX] + [text_px(str(v)) + CELL_PAD_PX for v in df[c].tolist()])
        if c in wrap and need > wrap[c]:
            lines = max(lines, min(MAX_LINES, math.ceil((need - CELL_PAD_PX) / (wrap[c] - CELL_PAD_PX))))
            need = wrap[c]
        config[c] = st.column_config.Column(width=need, pinned=c in pin)
    row = max(MIN_WRAP_ROW_PX, LINE_PX * lines + ROW_PAD_PX) if lines > 1 else ONE_LINE_ROW_PX
    extra = {"row_height": row} if lines > 1 else {}
    if height == "all":  # every row in view, no scrolling inside the grid
        height = HEADER_ROW_PX + row * len(df) + 3
    # a keyed grid sits in a container keyed "tbl_<key>" (a read-only grid's own key is not on
    # the page, and tests find the table by it)
    with st.container(key=f"tbl_{key}") if key else st.container():
        st.dataframe(df, key=key, hide_index=True, width="stretch", height=height, column_order=order,
                     column_config=config, **extra)


def apply_layout() -> None:
    """Add the layout rules to the page (an invisible element; call once per run)."""
    st.html(CSS)
