"""Texts Streamlit draws itself, in the page's language.

Where Streamlit lets them be set, they are set: a multiselect's placeholder (:func:`placeholder`,
instead of "Choose options"), and its "Select all" is turned
off (``select_all=False``: it cannot be worded, and picking every option at once is never what
our pages want).

Streamlit 1.67 hard-codes the rest in its frontend, with no parameter (its own issue
streamlit/streamlit#13500 asks for one for the file uploader): the file uploader's "Upload"
button and its "1MB per file • YAML, YML" line, the "Press Enter to apply" / "Press Enter to
submit form" / "Press Ctrl+Enter to apply" hint under a text box, and the keyboard's "Skip to
main content" link. On the Chinese page these
are replaced by narrowly scoped CSS: the English is hidden (``visibility``, so it is neither seen
nor read out) and the Chinese drawn in its place (``::after``). Each rule names the widget it is
for (a file uploader by its key, with that uploader's own limit and file types) and Streamlit's
stable test ids, so it cannot reach anything else; the English page keeps Streamlit's own words.
"""
from __future__ import annotations

from typing import Sequence

import streamlit as st

from .i18n import t

#: the hint under a text box: Streamlit's first InputInstructions span (the second, when the box
#: has a most length, is the "3/40" count, kept as it is)
_HINT = '[data-testid="InputInstructions"] > span:first-child'


def placeholder(lang: str) -> str:
    """What an empty multiselect says ("请选择（可多选）" / "Choose options")."""
    return t(lang, "ui.choose_many")


def _css_text(text: str) -> str:
    """``text`` as a CSS string (quotes and backslashes escaped; our own catalogue's words)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _replace(selector: str, text: str) -> str:
    """CSS that hides ``selector``'s own text and draws ``text`` in its place."""
    return (f"{selector} {{ visibility: hidden; position: relative; }}\n"
            f"{selector}::after {{ content: {_css_text(text)}; visibility: visible; position: absolute; left: 0; "
            f"top: 0; white-space: nowrap; }}\n")


def page_texts(lang: str) -> None:
    """On the Chinese page, the text boxes' hints in Chinese (call once per run)."""
    if lang != "zh":
        return
    css = (_replace(_HINT, t(lang, "ui.enter_apply"))
           + _replace(f'[data-testid="stForm"] {_HINT}', t(lang, "ui.enter_submit"))
           + _replace(f'.stTextArea {_HINT}', t(lang, "ui.ctrl_enter_apply"))
           # the link a keyboard user meets first (shown only while it has the focus): its own
           # place and look are kept, so its English is made 0 px rather than moved
           + '[data-testid="stSkipToContent"] { font-size: 0 !important; }\n'
           + f'[data-testid="stSkipToContent"]::after {{ content: {_css_text(t(lang, "ui.skip"))}; font-size: 1rem; }}\n')
    st.html(f"<style>{css}</style>")


def uploader_texts(lang: str, key: str, max_mb: int, types: Sequence[str]) -> None:
    """On the Chinese page, the button and the limit line of the file uploader ``key`` (which
    takes files up to ``max_mb`` MB of ``types``) in Chinese. Call next to the uploader."""
    if lang != "zh":
        return
    zone = f'.st-key-{key} [data-testid="stFileUploaderDropzone"]'
    line = t(lang, "ui.upload_limit", mb=max_mb, types="、".join(x.upper() for x in types))
    css = (_replace(f'{zone} button [data-testid="stMarkdownContainer"] p', t(lang, "ui.upload"))
           + f'{zone} [data-testid="stFileUploaderDropzoneInstructions"] {{ position: relative; min-width: 12rem; }}\n'
           + f'{zone} [data-testid="stFileUploaderDropzoneInstructions"] > * {{ visibility: hidden; }}\n'
           + f'{zone} [data-testid="stFileUploaderDropzoneInstructions"]::after {{ content: {_css_text(line)}; '
             'visibility: visible; position: absolute; left: 0; right: 0; top: 50%; transform: translateY(-50%); '
             'font-size: 0.875rem; line-height: 1.3; opacity: 0.6; white-space: normal; }\n')
    st.html(f"<style>{css}</style>")
