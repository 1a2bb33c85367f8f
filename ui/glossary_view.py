"""The glossary page (术语 / Glossary): every figure and court term with its definition, in the
page's language, the other language's term beside it (a trainee reading an English report, or
the reverse, finds the word). Figures come from the figure registry, the source of every
figure's name in the app, so the two never disagree."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from sim.vocabulary.glossary import entries

from .i18n import t


def glossary_table(lang: str, query: str = "") -> pd.DataFrame:
    """Rows of the glossary in ``lang`` whose term (either language) or definition holds ``query``."""
    other = "en" if lang == "zh" else "zh"
    q = query.strip().casefold()
    rows = []
    for e in entries():
        if q and not any(q in s.casefold() for s in (e.zh, e.en, e.definition(lang))):
            continue
        rows.append({t(lang, "gl.col.term"): e.term(lang), t(lang, "gl.col.other"): e.term(other),
                     t(lang, "gl.col.kind"): t(lang, f"gl.kind.{e.kind}"),
                     t(lang, "gl.col.definition"): e.definition(lang)})
    return pd.DataFrame(rows)


def page(lang: str) -> None:
    """The glossary page: one entry a paragraph, the term, the other language's term and its
    kind on the first line, the definition under it. (A grid of four columns cut the
    definitions, the one column a reader comes for, at the page's edge; paragraphs wrap at any
    width.)"""
    st.title(t(lang, "gl.title"))
    st.caption(t(lang, "gl.caption"))
    query = st.text_input(t(lang, "gl.search"), key="gl_search")
    table = glossary_table(lang, query)
    if table.empty:
        st.info(t(lang, "gl.none"))
        return
    st.caption(t(lang, "gl.count", n=len(table)))
    cols = [t(lang, f"gl.col.{c}") for c in ("term", "other", "kind", "definition")]
    with st.container(key="glossary"):
        for term, other, kind, definition in table[cols].itertuples(index=False):
            st.markdown(f"**{term}** · {other} · {kind}  \n{definition}")
