"""Structured errors (issue 9): every code has a message in both catalogues, with the same
parameters, and renders with its parameters filled in each language."""
from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from sim.vocabulary.messages import CATALOGUES, LANGS, codes, render

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = {"limit": 500, "min_length": 1, "max_length": 60, "expected": "'fifo' or 'edf'", "kind": "integer",
          "total": 0.9, "min_year": 2000, "max_year": 2100, "type": "list", "chars": "U+0085", "end": "2025-02-01",
          "start": "2025-03-01", "bad": [0, 8], "allowed": "ordinary, simple", "procedure": "ordinary",
          "track": "complex", "name": "甲方案", "role": "judges", "have": 8, "line": 3,
          "problem": "did not find expected ','", "tag": "!!python/object", "anchor": "a", "key": "judges",
          "folder": "/srv/scenarios", "size_mb": 50.0, "limit_mb": 1.0, "reason": "the sheet is locked",
          "max": 4, "message": "Input should be a finite number", "length": 300, "file": "bad.yaml",
          "errors": "teams.0.judges: …", "n": 2, "files": "a.yaml, b.yaml", "path": "/etc/passwd",
          "value": "9999", "total_staff": 1, "needs": [["simple", 1], ["complex", 2]], "option": "--seed",
          "lo": 0, "hi": 10, "detail": "something odd",
          # importing a court's records (sim.calibration)
          "column": "立案日期", "other": "收案日期", "field": "filing_date", "names": "立案日期 / 立案时间",
          "type_code": "民终", "filing": "2024-03-05", "days": 31, "first_row": 12, "closed": 250,
          "received": 80, "carried": 900, "filed": 240, "after": "2024-05", "pending": 880,
          # carried-over groups, hearings (model10) and the engine's warnings (sim.model.caveats)
          "share": 0.25, "slots": 6, "slot_hours": 3, "week": 32.5,
          "team": "速裁团队", "date": "2025-07-01", "year": 2027, "load": "99.0%",
          # province files, sweeps and the Dask scheduler (sim.province); calibration (issue 12)
          "first": 0, "need": 12, "address": "tcp://10.0.0.5:8786", "seconds": "10", "count": 600,
          "roles": "judges, assistants, clerks", "module": "sim", "months": 5,
          # the starting state as a table of open cases (issue 22)
          "judge": "J03", "mode": "判决", "closing": "结案日期", "kept_row": 7, "month": "2024-05",
          # hostile files (issue 21): what a file declares, the child process's limits
          # (numbers under 1,000, so that their thousands separators do not hide them)
          "rows": 901, "columns": 902, "max_rows": 903, "max_columns": 904, "max_cells": 905,
          "sheet": "sheet1", "cell": "XFD1048576", "member": "xl/worksheets/sheet1.xml", "ratio": 1024.0,
          "limit_s": 120.0, "signal": "SIGSEGV"}


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_code_has_a_message_in_both_languages_with_the_same_parameters() -> None:
    assert set(CATALOGUES["en"]) == set(CATALOGUES["zh"])
    for code in CATALOGUES["en"]:
        assert _fields(CATALOGUES["en"][code]) == _fields(CATALOGUES["zh"][code]), code


@pytest.mark.parametrize("lang", LANGS)
def test_a_sample_of_each_code_renders_with_its_parameters(lang: str) -> None:
    for code in codes():
        params = {f: SAMPLE[f] for f in _fields(CATALOGUES[lang][code])}
        out = render(code, params, lang)
        assert out and "?" not in out.replace("?", "") and "{" not in out, (code, out)
        for f, v in params.items():
            if f in ("track", "role", "kind", "needs", "total", "size_mb", "limit_mb", "ratio", "limit_s"):
                continue  # translated words and formatted numbers
            assert str(v) in out, (code, f, out)
    assert "繁案" in render("track_no_team", {"track": "complex"}, "zh")
    assert "90.0%" in render("shares_sum", {"total": 0.9}, "zh")


def test_every_code_the_engine_raises_is_in_the_catalogue() -> None:
    """Codes named in the engine's source (raise sites) all have messages."""
    src = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "sim").rglob("*.py") if "messages" not in p.parts)
    from sim.model.scenario import _PYDANTIC_CODES

    used = {code for code, _ in _PYDANTIC_CODES.values()}
    for m in re.finditer(r"(?:_?PathError|\.one|StoreError|InvalidName|AdviceInputError|UserError|_Refused|"
                         r"CodedError|field_error|\bfail)\(", src):
        window = src[m.end(): m.end() + 240]
        # the code is the string literal followed by keyword parameters or the closing parenthesis
        hit = re.search(r'"([a-z][a-z_]*)"(?=\s*(?:,\s*\w+=|,?\s*\)(?!,)|,\s*\*\*))', window)
        if hit:
            used.add(hit.group(1))
    missing = sorted(c for c in used if c not in CATALOGUES["en"])
    assert not missing, missing
    assert len(used) > 40


def test_no_surface_parses_an_english_error_message() -> None:
    """No regular expression in the app or the engine reads an error message (issue 9)."""
    for p in list((ROOT / "ui").rglob("*.py")) + list((ROOT / "sim").rglob("*.py")):
        text = p.read_text(encoding="utf-8")
        for line in text.splitlines():
            if "re.match" in line or "re.findall" in line or "re.search" in line:
                assert "message" not in line and "msg" not in line and "exc" not in line, (p, line)
    assert "translate_error" not in (ROOT / "ui" / "i18n.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang, words", [("zh", "没有访问权限"), ("en", "no permission")])
def test_a_system_reason_is_written_in_the_language_of_the_page(lang: str, words: str) -> None:
    """The system's English text of an error number (what a store passes as ``reason``) and the
    number's name (what the command line passes) both come out in the page's words."""
    import errno
    import os

    assert render("write_failed", {"path": "a.csv", "reason": os.strerror(errno.EACCES)}, lang).endswith(words)
    assert render("write_failed", {"path": "a.csv", "reason": "EACCES"}, lang).endswith(words)


def test_an_exception_without_a_code_never_shows_its_own_text() -> None:
    import errno
    import os

    from sim.model.errors import ScenarioError
    from sim.vocabulary.messages import error_code, render_error

    secret = "/srv/court/secret/path"
    assert error_code(KeyError(secret)) == ("unexpected", {"kind": "KeyError"})
    assert secret not in render_error(KeyError(secret), "zh") and "KeyError" in render_error(KeyError(secret), "zh")
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), f"{secret}/甲.yaml")
    assert render_error(full, "zh") == "无法读写文件“甲.yaml”：磁盘已满。"
    assert render_error(OSError(errno.EROFS, os.strerror(errno.EROFS)), "en") == \
        "A file could not be read or written: the folder is read-only."
    two = ScenarioError.one("seed", "ge", limit=0).errors + ScenarioError.one("replications", "le", limit=500).errors
    assert render_error(ScenarioError(two), "zh") == "数值不能小于 0。；数值不能大于 500。"
