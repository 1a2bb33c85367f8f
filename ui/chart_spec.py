"""Draw Altair charts through their Vega-Lite specification, built once per result and language.

Why not ``st.altair_chart``: it validates every chart against the Vega-Lite JSON schema on
every page run. Our charts are fixed in code (their schema validity is tested once, in
``tests/test_chart_spec.py``), and on this app that validation was most of the cost of drawing
the page: the charts took longer than the sliders, the cards and the table together. Here a
chart is turned into its specification without validation, kept for as long as the results it
shows are the ones on the page, and drawn with ``st.vega_lite_chart``, which shows exactly what
``st.altair_chart`` shows for the same chart.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Optional

import altair as alt
import streamlit as st

#: what Altair's default theme adds to every chart, and Streamlit's own conversion leaves out
#: (it draws with the theme "none" and sizes charts itself)
_DEFAULT_THEME_VIEW = {"continuousWidth": 300, "continuousHeight": 300}
MAX_SPECS = 96  # charts of a few dozen results (six per result and language, plus the flow frames)


def vega_lite_spec(chart: Any) -> dict:
    """The Vega-Lite specification Streamlit would draw for ``chart``, without schema validation."""
    spec = chart.to_dict(validate=False)
    if alt.theme.active == "default":
        view = spec.get("config", {}).get("view")
        if isinstance(view, dict):
            for k, v in _DEFAULT_THEME_VIEW.items():
                if view.get(k) == v:
                    del view[k]
            if not view:
                del spec["config"]["view"]
            if not spec["config"]:
                del spec["config"]
    return spec


def _arrow_datasets(spec: dict) -> dict:
    """The spec with its inline datasets already in the Arrow form Streamlit sends (done once)."""
    from streamlit import dataframe_util

    if isinstance(spec.get("datasets"), dict):
        spec["datasets"] = {name: dataframe_util.convert_anything_to_arrow_bytes(values)
                            for name, values in spec["datasets"].items()}
    return spec


class _Specs:
    """Specifications keyed on (the results object, what is drawn); thread-safe, bounded.

    The results object itself is held with its entry, so its ``id`` cannot be reused by another
    object while the entry lives.
    """

    def __init__(self, max_entries: int = MAX_SPECS):
        self._d: "OrderedDict[tuple, tuple[object, dict]]" = OrderedDict()
        self._lock = threading.Lock()
        self.max_entries = max_entries

    def get(self, owner: object, what: tuple, build: Callable[[], Any], title: bool = True) -> dict:
        key = (id(owner), title) + what
        with self._lock:
            hit = self._d.get(key)
            if hit is not None and hit[0] is owner:
                self._d.move_to_end(key)
                return hit[1]
        spec = _arrow_datasets(vega_lite_spec(build()))  # outside the lock: others keep drawing
        if not title:
            spec.pop("title", None)
        with self._lock:
            self._d[key] = (owner, spec)
            self._d.move_to_end(key)
            while len(self._d) > self.max_entries:
                self._d.popitem(last=False)
        return spec


@st.cache_resource(show_spinner=False)
def _specs() -> _Specs:
    return _Specs()


def draw_chart(owner: object, what: tuple, build: Callable[[], Any], *, where: Optional[Any] = None,
               key: Optional[str] = None, width: Any = "stretch", title: bool = True) -> None:
    """Draw the chart ``build()`` makes from ``owner`` (the results it shows), built once.

    ``what`` names the chart within ``owner`` and must hold everything else the chart depends
    on (the language, a month shown, a size); ``where`` is a container (default: here).
    ``title=False`` leaves the chart's own title out, where the page says it already (presenter
    mode's slide heading), so that it is not said twice.
    """
    spec = _specs().get(owner, what, build, title)
    (where or st).vega_lite_chart(spec, width=width, key=key)
