"""The page as Streamlit's frontend keeps it, without drawing: the element tree and the widgets'
values. Used by :mod:`st_session` (a session without a browser).

- The tree comes from ``delta`` messages, by delta path; each node is tagged with the script run
  (and fragment) that drew it. A new block keeps the children it had until they are stale; a new
  element replaces whatever was at its path. When a run finishes, what it did not draw again is
  removed (a fragment run: only inside its fragments), as the frontend's ``clearStaleNodes``.
- A widget's value is the one the script set (``set_value``), else its default, when it is
  first drawn; then whatever the user (the caller) gave it. Widgets no longer drawn are
  forgotten, as the frontend's ``removeInactive``. Every value goes with each rerun.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from streamlit.proto.Block_pb2 import Block
from streamlit.proto.Delta_pb2 import Delta
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.NumberInput_pb2 import NumberInput
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState

Path = tuple[int, ...]
#: widgets whose value this client knows how to hold; others (buttons, uploads, data editors,
#: chat input, selections in charts) have none until the user acts, and are left out
SETTABLE = ("slider", "date_input", "checkbox", "color_picker", "multiselect", "selectbox", "radio",
            "number_input", "text_input", "text_area", "time_input")


@dataclass
class Node:
    """One element or block of the page, with the run (and fragment) that last drew it."""
    proto: Element | Block
    run_id: str
    fragment_id: str

    @property
    def is_block(self) -> bool:
        return isinstance(self.proto, Block)

    @property
    def kind(self) -> str:
        """The element's type ("slider", "metric", ...), or "block"."""
        return "block" if self.is_block else self.proto.WhichOneof("type")

    @property
    def widget(self) -> Any:
        """The element's inner proto (a Slider, a Metric, ...), or None for a block."""
        return None if self.is_block else getattr(self.proto, self.kind)

    @property
    def key(self) -> Optional[str]:
        """The user key given in the script (``key=``), from the element's or block's id
        (``$$ID-<hash>-<key>``; "None" when none was given)."""
        ident = getattr(self.proto if self.is_block else self.widget, "id", "")
        user = ident.split("-", 2)[-1] if ident.startswith("$$ID-") else None
        return None if user in (None, "None") else user


def widget_state(el: Element) -> Optional[WidgetState]:
    """The value the frontend holds for a widget when it is drawn: the one the script set, else
    the default; a state without a value for an empty one (a number or text box, a choice with
    no pick: the server reads None). None for an element that is not a :data:`SETTABLE` widget."""
    kind = el.WhichOneof("type")
    w = getattr(el, kind)
    if kind not in SETTABLE or not getattr(w, "id", ""):
        return None
    if kind == "slider" and w.type == Slider.SELECT_SLIDER:  # the options' texts, not indices
        value: Any = list(w.raw_value) if w.set_value else [w.options[int(i)] for i in w.default]
    elif kind in ("slider", "date_input"):
        value = list(w.value if w.set_value else w.default)
    elif kind in ("checkbox", "color_picker"):
        value = w.value if w.set_value else w.default
    elif kind == "multiselect":
        value = list(w.raw_values) if w.set_value else [w.options[i] for i in w.default]
    elif kind in ("selectbox", "radio"):  # the option's text is the value sent
        if w.set_value:
            value = w.raw_value if w.HasField("raw_value") else None
        else:
            value = w.options[w.default] if w.HasField("default") and 0 <= w.default < len(w.options) else None
    else:  # number and text boxes: optional value and default
        name = "value" if w.set_value else "default"
        value = getattr(w, name) if w.HasField(name) else None
    return new_state(kind, w, value)


def new_state(kind: str, widget: Any, value: Any) -> WidgetState:
    """A widget state holding ``value`` in the field Streamlit uses for a widget of ``kind``
    (``widget``: its proto); None: no value."""
    ws = WidgetState(id=widget.id)
    if value is None:
        return ws
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    if kind == "slider" and widget.type == Slider.SELECT_SLIDER:
        ws.string_array_value.data[:] = [str(v) for v in values]
    elif kind == "slider":
        ws.double_array_value.data[:] = [float(v) for v in values]
    elif kind in ("date_input", "multiselect"):
        ws.string_array_value.data[:] = values
    elif kind == "checkbox":
        ws.bool_value = bool(value)
    elif kind == "number_input" and widget.data_type == NumberInput.INT:
        ws.int_value = int(value)
    elif kind == "number_input":
        ws.double_value = float(value)
    else:
        ws.string_value = str(value)
    return ws


class Page:
    """The element tree and the widgets' values of one session (not thread-safe: the session
    holds its lock around every call)."""

    def __init__(self) -> None:
        self.tree: dict[Path, Node] = {}
        self.widgets: dict[str, WidgetState] = {}  # widget id -> the value the next rerun sends

    def apply(self, path: Path, delta: Delta, run_id: str) -> Optional[Node]:
        """Put a delta's block or element at ``path``; returns the new node (None for others)."""
        which = delta.WhichOneof("type")
        if which == "add_block":  # a container: its children stay until they are stale
            node = self.tree[path] = Node(delta.add_block, run_id, delta.fragment_id)
            return node
        if which != "new_element":
            return None  # new_transient (toasts): not part of the tree
        for p in [p for p in self.tree if len(p) > len(path) and p[:len(path)] == path]:
            del self.tree[p]
        node = self.tree[path] = Node(delta.new_element, run_id, delta.fragment_id)
        ws = widget_state(delta.new_element)
        if ws is not None and (ws.id not in self.widgets or node.widget.set_value):
            self.widgets[ws.id] = ws
        return node

    def clear_stale(self, run_id: str, fragment_ids: tuple[str, ...]) -> None:
        """Remove what the finished run ``run_id`` did not draw again (a fragment run: only
        inside its fragments); a stale block stays while something fresh is inside it. Then
        forget the values of widgets no longer drawn."""
        def stale(n: Node) -> bool:
            return n.run_id != run_id and (not fragment_ids or n.fragment_id in fragment_ids)

        for p in sorted(self.tree, key=len, reverse=True):  # children before their blocks
            n = self.tree[p]
            if stale(n) and not (n.is_block and any(len(q) > len(p) and q[:len(p)] == p for q in self.tree)):
                del self.tree[p]
        shown = {n.widget.id for n in self.tree.values() if n.kind in SETTABLE}
        self.widgets = {k: v for k, v in self.widgets.items() if k in shown}

    def find(self, key: str) -> Optional[tuple[Path, Node]]:
        """The element or block the script gave ``key`` (the first in page order), if drawn."""
        hits = sorted((p, n) for p, n in self.tree.items() if n.key == key)
        return hits[0] if hits else None

    def metric(self, key: str) -> Optional[str]:
        """Text of the first metric inside the block keyed ``key`` (e.g. a card), if drawn."""
        blocks = [p for p, n in self.tree.items() if n.is_block and n.key == key]
        for p, n in sorted(self.tree.items()):
            if n.kind == "metric" and any(p[:len(b)] == b for b in blocks):
                return n.widget.body
        return None

    def keyed_ancestor(self, path: Path) -> Optional[str]:
        """The key of the nearest block around ``path`` that has one."""
        for n in range(len(path) - 1, 0, -1):
            node = self.tree.get(path[:n])
            if node is not None and node.key:
                return node.key
        return None
