"""Small helpers shared by the engine tests."""
from __future__ import annotations

from pathlib import Path

from sim.model.scenario import (
    Scenario,
    apply_overrides,
    load_scenario,
    scenario_from_dict,
    scenario_to_dict,
)

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
CHECKS = SCENARIOS / "checks"  # scenarios for checking the engine, not offered to users as courts


def scenario(name: str = "baseline", **changes) -> Scenario:
    """A built-in (or check) scenario with dotted-path changes, e.g. ``scenario(**{"teams.0.judges": 9})``."""
    path = SCENARIOS / f"{name}.yaml"
    scn = load_scenario(path if path.exists() else CHECKS / f"{name}.yaml")
    if not changes:
        return scn
    data = apply_overrides(scenario_to_dict(scn), [f"{k}={v}" for k, v in changes.items()])
    return scenario_from_dict(data)


def app_on(lang: str = "zh", page: str = "whatif", timeout: float = 240):
    """The app (AppTest) run once in ``lang`` on ``page``, with no exception shown."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.session_state["lang"] = lang
    open_page(at, page)
    at.run()
    assert not at.exception, at.exception
    return at


def open_page(at, page: str):
    """Have an AppTest session open ``page`` (its address path, e.g. ``compare``) on its next run.

    AppTest has no menu to click: the app's own way to move a session to a page (``GOTO``,
    what a group's "go to the what-if page" sets) stands in for the click."""
    from ui.pages import GOTO

    at.session_state[GOTO] = page
    return at


def rerun_exception():
    """What Streamlit raises inside a page run that a newer rerun request replaces: the request
    names the page being drawn, as the browser's does after a widget change (one that named no
    page would open the default page of an app with st.navigation)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    from streamlit.runtime.scriptrunner_utils.exceptions import RerunException
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData

    ctx = get_script_run_ctx()
    return RerunException(RerunData(query_string=ctx.query_string, page_script_hash=ctx.page_script_hash))


def html_text(page: str) -> str:
    """The text of an HTML page (what a reader sees, entities decoded, no tags)."""
    from html.parser import HTMLParser

    parts: list[str] = []
    parser = HTMLParser()
    parser.handle_data = parts.append  # type: ignore[method-assign]
    parser.feed(page)
    return "".join(parts)


def raw_keys(cmp, text: str) -> list[str]:
    """Dotted scenario keys (``teams.0.judges``, ``mediation.share_offered``) that appear in ``text``."""
    import re

    from sim.analysis.compare import _flatten

    keys = set().union(*[_flatten(scenario_to_dict(r.scenario)) for r in cmp.results])
    return [k for k in keys if "." in k and k in text] + re.findall(r"\b[a-z_]+\.\d+\.[a-z_]+", text)


def captions(at) -> str:
    """Every caption of an AppTest page, one per line."""
    return "\n".join(str(c.value) for c in at.caption)


def replications_shown(at, lang: str, total: int, figure_card: str = "") -> int:
    """Replications a what-if page's figures come from: 0 (still waiting), k < total
    (preliminary) or total (final: any metric shown, or the card named ``figure_card`` when the
    page has other metrics, like a training group's counter)."""
    from ui.i18n import t

    text = captions(at)
    for k in range(1, total):
        if t(lang, "app.prelim", done=k, total=total) in text:
            return k
    if figure_card:
        return total if any(m.label == figure_card for m in at.metric) else 0
    return total if at.metric else 0


def open_sections(at, *keys: str):
    """Open the sidebar's lazily drawn sections (hearings, advanced) and run: their controls are
    drawn only while open (ui/widgets/inputs.py ``_lazy_section``)."""
    from ui.widgets.inputs import ADVANCED_OPEN, HEARINGS_OPEN

    for k in keys or (HEARINGS_OPEN, ADVANCED_OPEN):
        at.session_state[k] = True
    at.run()
    assert not at.exception, at.exception
    return at


def judge_slider(at, team: int):
    """Team ``team``'s judge slider in the app ``at``."""
    return control(at, "slider", f"judges_{team}")


def control(at, kind: str, key: str):
    """The plan's control ``key`` (a ``kind``: "number_input", "toggle", ...) in the app ``at``,
    under the widget key it is drawn under now (a new one whenever the plan gives it a value it
    did not set itself: :func:`ui.widgets.plan.key_to_draw`)."""
    from ui.widgets import plan as P

    return getattr(at, kind)(key=P.control_key(at.session_state, key))
