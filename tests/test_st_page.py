"""``tests/st_page.py``: the page a protocol session keeps, on deltas built by hand (no server).

What is checked is what the frontend does and the latency benchmark relies on: a widget's
value is its default, or the one the script set, or the one given since; a finished run
removes what it did not draw again, a fragment run only inside its fragment; a card's figure
is found by the key of the block around it.
"""
from __future__ import annotations

from streamlit.proto.Delta_pb2 import Delta
from streamlit.proto.NumberInput_pb2 import NumberInput
from streamlit.proto.Slider_pb2 import Slider

from st_page import Page, new_state, widget_state


def _slider(key: str, default: float, value: float | None = None, fragment: str = "") -> Delta:
    d = Delta(fragment_id=fragment)
    s = d.new_element.slider
    s.id, s.min, s.max, s.step = f"$$ID-abc123-{key}", 0, 40, 1
    s.default[:] = [default]
    if value is not None:
        s.value[:], s.set_value = [value], True
    return d


def _block(key: str = "", fragment: str = "") -> Delta:
    d = Delta(fragment_id=fragment)
    d.add_block.vertical.SetInParent()
    if key:
        d.add_block.id = f"$$ID-def456-{key}"
    return d


def _metric(text: str, fragment: str = "") -> Delta:
    d = Delta(fragment_id=fragment)
    d.new_element.metric.body = text
    return d


def test_a_widgets_value_is_its_default_then_what_the_script_or_the_user_set():
    page = Page()
    page.apply((1, 0), _slider("judges_0", 11), "run1")
    sid = "$$ID-abc123-judges_0"
    assert list(page.widgets[sid].double_array_value.data) == [11.0]
    page.widgets[sid] = new_state("slider", page.find("judges_0")[1].widget, 12)  # the user moves it
    page.apply((1, 0), _slider("judges_0", 11), "run2")  # drawn again with the same default
    assert list(page.widgets[sid].double_array_value.data) == [12.0]
    page.apply((1, 0), _slider("judges_0", 11, value=9), "run3")  # the script sets it
    assert list(page.widgets[sid].double_array_value.data) == [9.0]


def test_empty_boxes_send_no_value_and_whole_numbers_go_as_integers():
    d = Delta()
    n = d.new_element.number_input
    n.id, n.data_type = "$$ID-aa-seed", NumberInput.INT
    n.default = 7
    assert widget_state(d.new_element).WhichOneof("value") == "int_value"
    n.ClearField("default")
    assert widget_state(d.new_element).WhichOneof("value") is None  # the server reads None
    d2 = Delta()
    sb = d2.new_element.selectbox
    sb.id, sb.default = "$$ID-bb-lang", 1
    sb.options[:] = ["中文", "English"]
    assert widget_state(d2.new_element).string_value == "English"


def test_a_select_slider_holds_its_options_text_not_an_index():
    """A select slider is drawn as a Slider proto; Streamlit reads its state as the options'
    texts (a number there stops the page run with a TypeError on the server)."""
    d = Delta()
    s = d.new_element.slider
    s.id, s.type = "$$ID-cc-flow_month", Slider.SELECT_SLIDER
    s.options[:] = ["2026-01", "2026-02", "2026-03"]
    s.default[:] = [2]
    assert list(widget_state(d.new_element).string_array_value.data) == ["2026-03"]
    s.raw_value[:], s.set_value = ["2026-02"], True
    assert list(widget_state(d.new_element).string_array_value.data) == ["2026-02"]
    assert list(new_state("slider", s, "2026-01").string_array_value.data) == ["2026-01"]


def test_a_finished_run_removes_what_it_did_not_draw_again_a_fragment_run_only_its_own():
    page = Page()
    page.apply((1, 0), _slider("judges_0", 11), "full1")
    page.apply((1, 1), _slider("judges_1", 5), "full1")
    page.apply((0, 2), _block(fragment="F"), "full1")
    page.apply((0, 2, 0), _block("prelim", fragment="F"), "full1")
    page.apply((0, 2, 1), _block("card_pending_end", fragment="F"), "full1")
    page.apply((0, 2, 1, 0), _metric("2,250 件", fragment="F"), "full1")
    assert page.metric("card_pending_end") == "2,250 件" and page.keyed_ancestor((0, 2, 1, 0)) == "card_pending_end"

    # the fragment reruns: new figure, still preliminary; nothing outside it is touched
    page.apply((0, 2, 0), _block("prelim", fragment="F"), "frag1")
    page.apply((0, 2, 1, 0), _metric("2,243 件", fragment="F"), "frag1")
    page.clear_stale("frag1", ("F",))
    assert page.find("judges_1") is not None and page.find("prelim") is not None
    assert page.metric("card_pending_end") == "2,243 件"

    # a full run without the fragment and without judges_1: both go, and judges_1's value too
    page.apply((1, 0), _slider("judges_0", 11), "full2")
    page.apply((0, 2), _block(), "full2")
    page.apply((0, 2, 0), _block("card_pending_end"), "full2")
    page.apply((0, 2, 0, 0), _metric("1,448 件"), "full2")
    page.clear_stale("full2", ())
    assert page.find("prelim") is None and page.find("judges_1") is None
    assert page.metric("card_pending_end") == "1,448 件"
    assert set(page.widgets) == {"$$ID-abc123-judges_0"}
