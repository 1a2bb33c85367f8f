"""The app's frame: what every page shares, then ``st.navigation`` draws the page the address names.

Each task is a page in ``ui/pages/`` with its own address path (``/compare``, ``/advisor`` …;
the what-if page is the default, at ``/``), so a link opens a page and the browser's back button
moves between pages. Every page module is imported on every run: one that fails to import stops
the app with its error instead of silently leaving the menu.

Before the page: the layout, the address's shared state (language, plan, training group: read
once per session, ``ui/address.py``), the language switch and the widget texts. After it: the
address written back and the plan marked as settled. An old link that named its page with
``?p=`` (or ``?view=present``) is sent on to that page's path.
"""
from __future__ import annotations

import importlib
from types import ModuleType
from typing import Callable

import streamlit as st

from . import address, trace
from .i18n import t
from .pages import GOTO, PAGE, whatif
from .widgets import controls as C
from .widgets import plan as P
from .widgets.inputs import language_selector
from .widgets.layout import apply_layout
from .widgets.widget_texts import page_texts

#: (address path, module, menu icon) in menu order; the what-if page is the default
PAGES = (("whatif", "ui.pages.whatif", ":material/tune:"),
         ("compare", "ui.pages.compare", ":material/compare_arrows:"),
         ("advisor", "ui.pages.advisor", ":material/lightbulb:"),
         ("calibrate", "ui.pages.calibrate", ":material/upload_file:"),
         ("province", "ui.pages.province", ":material/account_balance:"),
         ("training", "ui.pages.training", ":material/school:"),
         ("glossary", "ui.pages.glossary", ":material/menu_book:"),
         ("present", "ui.pages.present", ":material/slideshow:"))
DEFAULT = "whatif"
#: pages not in the menu: presenter mode is opened from the trainer's view, in a tab of its own
HIDDEN = ("present",)


def page_modules() -> dict[str, ModuleType]:
    """Every page's module by address path (an import error is raised, never skipped)."""
    return {name: importlib.import_module(module) for name, module, _ in PAGES}


def names() -> list[str]:
    """The pages' address paths, in menu order."""
    return [name for name, _, _ in PAGES]


def _draw(module: ModuleType, lang: str) -> Callable[[], None]:
    def draw() -> None:
        module.page(lang)
    return draw


def main() -> None:
    """The shared frame, then the page the address (or a move to another page) names."""
    trace.mark("run_start")
    apply_layout()
    whatif.keep_one_shot_messages()
    modules = page_modules()
    old_link = address.restore(names())  # a refreshed page or a shared link: before any widget is drawn
    lang = language_selector()
    page_texts(lang)
    _reword_choices_after_language_switch(lang)
    address.notice()
    pages = {name: st.Page(_draw(modules[name], lang), title=t(lang, f"nav.{name}"), icon=icon,
                           url_path=name, default=name == DEFAULT,
                           visibility="hidden" if name in HIDDEN else "visible")
             for name, _, icon in PAGES}
    current = st.navigation(list(pages.values()))
    goto = old_link or st.session_state.pop(GOTO, None)
    if goto in pages and pages[goto] is not current:
        st.switch_page(pages[goto])  # e.g. a group that has just joined goes on to the what-if page
    st.session_state[PAGE] = next(name for name, pg in pages.items() if pg is current)
    current.run()  # the what-if plan is kept in the session while another page is shown (ui/widgets/plan.py)
    address.write()
    trace.mark("run_end")


LANG_DRAWN = "_lang_drawn"
#: choice boxes whose options are written in the page's language (besides the what-if controls')
WORDED_CHOICES = (C.TAKE_FROM, "scenario_file", "store_pick", "adv_objective", "adv_save_which", "adv_curve_fig", "cmp_pick",
                  "cmp_ref", "prov_file", "tr_exercise")


def _reword_choices_after_language_switch(lang: str) -> None:
    """After a language switch, write each choice box's value back through session state (the
    plan's are drawn anew instead).

    A keyed choice box keeps its identity when its label and options change, and the browser
    keeps showing the option as it was worded ("其他团队按人数比例分摊" on the English page); a
    value written through session state makes it draw the option again, in the new words.
    """
    s = st.session_state
    before, s[LANG_DRAWN] = s.get(LANG_DRAWN), lang
    if before is None or before == lang:
        return
    plan_keys = [C.TAKE_FROM, P.PICKER]
    if C.LOADED in s:
        plan_keys += [sp.key for sp in C.specs_for(s[C.LOADED]) if sp.widget in ("select", "multiselect")]
    P.redraw(s, plan_keys)  # the plan's choice boxes: drawn anew, with the plan's value (ui/widgets/plan.py)
    for k in WORDED_CHOICES:
        if k not in plan_keys and k in s:
            s[k] = s[k]
