"""The README a newcomer reads and the docs it leads to (issue 24, point 7).

The README stays short (at most 16 KB) and gives the two set-up commands within its first 60
lines: starting the app, and `.ci/run`, the very command CI runs. Every link in README.md and
docs/*.md opens a file of the repository (and a heading there, when it names one); none leads
outside the repository, to a path above it or to a web address.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, *DOCS]

FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.S | re.M)
CODE_SPAN = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)


def _prose(text: str) -> str:
    """The text without fenced code blocks and code spans (their brackets are not links)."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def links(path: Path) -> list[str]:
    """Every link and image target written in a Markdown file, in order."""
    text = _prose(path.read_text(encoding="utf-8"))
    return [m.group(1) for m in LINK.finditer(text)] + AUTOLINK.findall(text)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: link text kept, formatting and punctuation dropped
    (letters of any script, digits, '_' and '-' stay), lower case, spaces to hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").lower()
    kept = "".join(ch for ch in text if ch in " -_" or unicodedata.category(ch)[0] in "LN")
    return kept.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors of a Markdown file's headings (a repeated heading gets -1, -2, ...)."""
    seen: dict[str, int] = {}
    out = set()
    for h in HEADING.findall(FENCE.sub("", path.read_text(encoding="utf-8"))):
        s = _slug(h)
        n = seen.get(s, 0)
        seen[s] = n + 1
        out.add(s if n == 0 else f"{s}-{n}")
    return out


def test_the_helpers_find_links_and_anchors_as_github_does(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("# Teams, judges and assignment (分案)\n\n## A court's `own` records\n\n## Speed\n\n"
                    "## Speed\n\nSee [one](a.md#x), ![pic](b.png \"t\") and <https://example.org>.\n"
                    "`[not](code.md)`\n\n```\n[nor](fenced.md)\n# not a heading\n```\n",
                    encoding="utf-8")
    assert links(page) == ["a.md#x", "b.png", "https://example.org"]
    assert anchors(page) == {"teams-judges-and-assignment-分案", "a-courts-own-records", "speed", "speed-1"}


def test_the_readme_is_at_most_16_kb():
    size = README.stat().st_size
    assert size <= 16 * 1024, f"README.md is {size:,} bytes; move detail into docs/"


def _first_lines_code(n: int) -> list[str]:
    """The command lines of the code blocks that start within the README's first n lines."""
    head = "\n".join(README.read_text(encoding="utf-8").splitlines()[:n])
    lines = []
    for block in re.findall(r"^```[a-z]*\n(.*?)^```", head + "\n```", re.S | re.M):
        lines += [ln.strip() for ln in block.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    return lines


def test_the_two_set_up_commands_are_in_the_first_60_lines():
    commands = _first_lines_code(60)
    app = [c for c in commands if "streamlit run app.py" in c]
    assert app, "no command starting the app in the README's first 60 lines"
    assert "pip install -r requirements.txt" in app[0] and (ROOT / "requirements.txt").is_file()
    assert (ROOT / "app.py").is_file()
    # the default scenario the README names is the one the app opens on (found by its
    # definition, wherever in ui/ the module that makes the choice lives)
    defaults = {m.group(1) for f in (ROOT / "ui").rglob("*.py")
                for m in re.finditer(r'^DEFAULT_SCENARIO\s*=\s*"([^"]+)"', f.read_text(encoding="utf-8"), re.M)}
    assert len(defaults) == 1, defaults
    default = defaults.pop()
    assert f"scenarios/{default}" in "\n".join(README.read_text(encoding="utf-8").splitlines()[:60])
    assert (ROOT / "scenarios" / default).is_file()
    assert "bash .ci/run" in commands, "the test command is not `bash .ci/run` in the first 60 lines"


def test_the_readme_test_command_is_what_ci_runs():
    """`bash .ci/run` is the command: it installs the dev requirements, lints, then runs the tests:
    the browser tests in one pytest, every other test in another beside it, so that each test
    runs once (and with arguments, one pytest over tests/)."""
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    steps = [ln.strip() for ln in script.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    install = next(i for i, s in enumerate(steps) if "pip install" in s and "requirements-dev.txt" in s)
    lint = next(i for i, s in enumerate(steps) if re.search(r"\bruff\"? check\b", s))
    pytest_ = next(i for i, s in enumerate(steps) if "-m pytest" in s)
    asked = next(i for i, s in enumerate(steps) if '"${PYTEST[@]}" tests "$@"' in s)
    browser = next(i for i, s in enumerate(steps) if '"${PYTEST[@]}"' in s and " tests/test_browser*.py" in s)
    rest = next(i for i, s in enumerate(steps)
                if '"${PYTEST[@]}"' in s and " tests --ignore-glob='tests/test_browser*.py'" in s)
    assert install < lint < pytest_ < asked < browser < rest
    dev = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")
    assert re.search(r"^ruff==\d+\.\d+\.\d+$", dev, re.M), "ruff is not pinned in requirements-dev.txt"
    assert re.search(r"^-r requirements.txt$", dev, re.M)


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_link_opens_a_file_of_the_repository(page):
    found = links(page)
    if page == README:
        assert len(found) >= 8, "the README should lead to the docs"
    bad = []
    for target in found:
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("//"):
            bad.append(f"{target}: leads outside the repository")
            continue
        path_part, _, anchor = target.partition("#")
        dest = (page.parent / path_part).resolve() if path_part else page
        if not dest.is_relative_to(ROOT):
            bad.append(f"{target}: a path outside the repository")
        elif not dest.exists():
            bad.append(f"{target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            bad.append(f"{target}: no heading #{anchor} in {dest.relative_to(ROOT)}")
    assert not bad, f"{page.relative_to(ROOT)}: " + "; ".join(bad)


def test_no_page_names_the_design_notes_outside_the_repository():
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        assert "../shared" not in text and "shared/design" not in text, page.name
