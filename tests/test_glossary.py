"""The glossary (issue 13, part 6): every figure of the registry and the court terms, defined in
Chinese and English, and the page in AppTest."""
from __future__ import annotations

from helpers import app_on
from sim.vocabulary.figure_registry import REGISTRY
from sim.vocabulary.glossary import TERMS, entries
from ui.i18n import t
from ui.pages.glossary import glossary_table


def test_every_figure_and_term_has_both_languages_and_a_definition():
    es = entries()
    assert [e.key for e in es if e.kind == "figure"] == list(REGISTRY)
    for e in es:
        assert e.zh and e.en and len(e.definition_zh) > 5 and len(e.definition_en) > 10, e.key
    keys = [e.key for e in TERMS]
    assert len(keys) == len(set(keys))
    names = {e.zh for e in TERMS}
    assert {"员额法官", "繁简分流", "简转普", "诉前调解", "审限", "年底不收案", "共同随机数"} <= names
    # a figure's glossary entry is the registry's own words
    wl = next(e for e in es if e.key == "within_limit_rate")
    assert (wl.zh, wl.definition_en) == (REGISTRY["within_limit_rate"].name_zh,
                                          REGISTRY["within_limit_rate"].definition_en)


def test_the_search_finds_a_term_in_either_language():
    zh = glossary_table("zh", "简转普")
    # the term itself, and the per-track figures whose definitions say where a converted case counts
    assert list(zh[t("zh", "gl.col.term")]) == ["简案审限内结案率", "繁案审限内结案率", "繁案超审限未结案件数", "简转普"]
    en = glossary_table("en", "conversion")
    assert "Conversion to ordinary procedure" in list(en[t("en", "gl.col.term")])
    assert glossary_table("en", "no such thing at all").empty


def test_the_glossary_page_in_both_languages():
    for lang in ("zh", "en"):
        at = app_on(lang, "glossary")
        shown = [m.value for m in at.markdown if m.value.startswith("**")]
        assert len(shown) == len(entries())
        # one paragraph an entry: the term, the other language's term, its kind, the definition
        wl = REGISTRY["within_limit_rate"]
        term, other = (wl.name_zh, wl.name_en) if lang == "zh" else (wl.name_en, wl.name_zh)
        assert f"**{term}** · {other} · {t(lang, 'gl.kind.figure')}  \n{wl.definition(lang)}" in shown
        assert at.title[0].value == t(lang, "gl.title")
