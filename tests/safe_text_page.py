"""A page that draws planted text in every kind of Streamlit element that reads Markdown, made
literal by :func:`sim.vocabulary.safe_text.md_escape` (tests/test_browser_hostile.py).

With ``?raw=1`` the same text is drawn as it is, once, in ``st.markdown``: the test's control,
which shows that its checks see a planted link, image and request when there is one.
"""
import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sim.vocabulary.safe_text import md_escape  # noqa: E402

PLANTED = ("[x](http://planted.invalid) ![](http://planted.invalid/t.png) <img src=http://planted.invalid/i.png> "
           "http://planted.invalid/bare www.planted.invalid a@planted.invalid <http://planted.invalid/auto> "
           "**bold** _em_ `code` ~~strike~~ $x^2$ :red[red] :blue :material/home: :smile: &lt;b&gt; | a | b | "
           "saved:甲方案 teams.0.judges: x_y 2025-01-01 (note) 3.5% \\[not a link\\]")
LINES = "# heading\n1. item\n- item\n> quote\n    code block\n---\n[ref]: http://planted.invalid/ref\n[ref]"

if __name__ == "__main__":
    if st.query_params.get("raw") == "1":
        st.markdown(PLANTED)
    else:
        safe, lines = md_escape(PLANTED), md_escape(LINES)
        st.title(safe)
        st.header(safe)
        st.subheader(safe)
        with st.container(key="literal"):
            st.markdown(safe)
        with st.container(key="lines"):
            st.markdown(lines)
        st.caption(safe)
        st.info(safe)
        st.warning(safe)
        st.error(safe)
        st.success(safe)
        st.metric(safe, 1, help=safe)
        st.button(safe, help=safe, key="b")
        st.checkbox(safe, key="c")
        st.slider(safe, 0, 10, key="s")
        st.text_input(safe, key="t", help=safe)
        st.radio(safe, [safe, "b"], key="r")
        st.selectbox("options", [PLANTED, "b"], key="sb")  # a select box's options are plain text
        with st.expander(safe, expanded=True):
            st.write("inside")
        t1, t2 = st.tabs([safe, "b"])
        t1.write("tab")
        st.toast(safe)
    st.caption("drawn")  # the page is done
