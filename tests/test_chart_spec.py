"""The app draws charts from their Vega-Lite specification, built without schema validation
(ui/widgets/chart_spec.py): every chart must still be valid, and must draw exactly what
``st.altair_chart`` would draw for it (same specification, same data)."""
from __future__ import annotations

import io

import pyarrow as pa
import pytest
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from helpers import scenario
from sim.analysis.compare import compare
from sim.analysis.runner import run
from sim.report.charts_spec import pending_chart as cmp_pending
from sim.report.charts_spec import within_limit_chart as cmp_within
from sim.report.flow_spec import flow_charts
from ui.widgets import charts as C
from ui.widgets.chart_spec import _Specs, vega_lite_spec


@pytest.fixture(scope="module")
def res():
    return run(scenario("weak-court", horizon_months=3), replications=2, workers=1)


def _charts(res) -> dict:
    out = {}
    for lang in ("zh", "en"):
        for name, fn in C.CHARTS:
            out[f"{name}-{lang}"] = fn(lang, res)
        out[f"aligned-{lang}"] = C.aligned_pending_chart(lang, res)
        out[f"staffing-{lang}"] = C.staffing_chart(lang, res)
        picture, status = flow_charts(res.flow(), res.team_names, res.team_tracks, 1, "M2", lang, 600, 340)
        out[f"flow-{lang}"], out[f"flow_status-{lang}"] = picture, status
    return out


def _rows(data) -> list:
    """A dataset's rows, whether inline records or Arrow bytes.

    Streamlit's own conversion also sends a filtered frame's index (``__index_level_0__``), a
    field no chart uses; it is left out of the comparison.
    """
    if isinstance(data, (bytes, bytearray)):
        data = pa.ipc.open_stream(io.BytesIO(data)).read_all().to_pylist()
    return [{k: v for k, v in row.items() if not k.startswith("__index_level_")} for row in data]


def _canonical(spec: dict) -> tuple:
    """The spec with dataset names replaced by their order of first use, and the datasets' rows."""
    spec = dict(spec)
    datasets = spec.pop("datasets", {}) or {}
    names: dict[str, str] = {}

    def walk(x):
        if isinstance(x, dict):
            if set(x) == {"name"} and x["name"] in datasets:
                names.setdefault(x["name"], f"d{len(names)}")
                return {"name": names[x["name"]]}
            return {k: walk(v) for k, v in x.items()}
        if isinstance(x, list):
            return [walk(v) for v in x]
        return x

    body = walk(spec)
    rows = {names[k]: _rows(v) for k, v in datasets.items() if k in names}
    return body, rows


def test_every_chart_is_valid_vega_lite(res):
    for chart in _charts(res).values():
        chart.to_dict(validate=True)  # raises on a schema error


def test_the_spec_is_what_streamlit_would_draw(res):
    for name, chart in _charts(res).items():
        ours = _canonical(vega_lite_spec(chart))
        theirs = _canonical(_convert_altair_to_vega_lite_spec(chart))
        assert ours == theirs, name


def test_comparison_charts_too():
    a = scenario("weak-court", horizon_months=3)
    b = scenario("weak-court", horizon_months=3, **{"teams.0.judges": a.teams[0].judges + 1})
    b = b.model_copy(update={"name": "B"})
    cmp = compare([a, b], replications=2, workers=1)
    for fn in (cmp_pending, cmp_within):
        chart = fn("zh", cmp)
        chart.to_dict(validate=True)
        assert _canonical(vega_lite_spec(chart)) == _canonical(_convert_altair_to_vega_lite_spec(chart))


def test_a_spec_is_built_once_per_result_and_view(res):
    specs = _Specs(max_entries=2)
    built = []

    def build():
        built.append(1)
        return C.pending_chart("zh", res)

    first = specs.get(res, ("pending", "zh"), build)
    assert specs.get(res, ("pending", "zh"), build) is first and len(built) == 1
    specs.get(res, ("pending", "en"), build)
    specs.get(res, ("within", "zh"), build)  # the oldest entry goes
    specs.get(res, ("pending", "zh"), build)
    assert len(built) == 4


def test_another_result_never_gets_a_kept_spec(res):
    """Keyed on the results object itself: an equal-looking key from another object misses."""
    specs = _Specs()
    other = run(scenario("weak-court", horizon_months=3), replications=1, workers=1)
    a = specs.get(res, ("pending", "zh"), lambda: C.pending_chart("zh", res))
    b = specs.get(other, ("pending", "zh"), lambda: C.pending_chart("zh", other))
    assert _canonical(a) != _canonical(b)
