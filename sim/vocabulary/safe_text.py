"""Text a user controls, made safe where it is shown and where it names something.

One module for every surface, so that a scenario's name, a team's name, a note, a group's
name, a value from the address bar or a cell of an uploaded file is shown as the characters it
is, never as markup:

- :func:`md_escape`: literal inside Streamlit Markdown (``st.markdown``, captions, alerts,
  titles, metric and widget labels, help texts): every character that could start a link, an
  image, emphasis, a heading, a list, a table, an HTML tag, ``$`` math or a ``:color[…]``
  directive is backslash-escaped (CommonMark's own escape), and an invisible word joiner breaks
  what would be a bare ``http://``, ``www.`` or e-mail link; a line's leading spaces become no-break spaces (four would start a code block) and
  line breaks stay line breaks.
- :func:`html_escape`: literal inside HTML a page or a report builds itself (Jinja's
  autoescaping does the same for the reports' templates).
- :func:`refused_in_name` and :func:`describe_chars`: the characters a name may not hold
  (control characters, format characters such as the right-to-left override U+202E that
  reorders what follows it, surrogates, private-use and unassigned code points, line and
  paragraph separators), and how a message names them ("U+202E RIGHT-TO-LEFT OVERRIDE").
- :func:`without_refused`: the same characters removed, for file names.

Plain-text surfaces (a table's cells, a select box's options, ``st.code``, a chart's labels, a
CSV) show text as it is and need none of this.
"""
from __future__ import annotations

import html
import re
import unicodedata
from typing import Any, Iterable

#: characters escaped wherever they are: links and images ([ ] < >), emphasis and code (* ~ `),
#: HTML and entities (< > &), tables (|), math ($) and the escape itself
_ALWAYS = frozenset("\\`*~[]<>|$&")
#: characters that start a block at the beginning of a line: heading, quote, list, rule, setext
_LINE_START = frozenset("#>+-=*_")
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)")
#: a directive of Streamlit's Markdown, ":red[…]" or ":red" alone: a colon that starts a word
_DIRECTIVE = re.compile(r"(?<!\w):(?=[A-Za-z])")
#: where GFM would see a bare link ("http://", "www.", an e-mail's "@") and Streamlit an icon or
#: an emoji (":material/home:", ":smile:"): all are found in the text after escapes are undone,
#: so no escape stops them; a word joiner (U+2060, invisible and not a break) inside each does
_BARE_LINK = re.compile(r"(?<=\w)(?=://)|(?<=\bwww)(?=\.)|(?<=@)(?=\w)|(?<=:)(?=material/|[A-Za-z0-9_+-]+:)",
                        re.IGNORECASE)
_WORD_JOINER = "\u2060"


#: Unicode categories a name may not hold: control, format (bidirectional overrides and
#: isolates, zero-width characters, the byte-order mark, tags), surrogate, private use,
#: unassigned, line and paragraph separators
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
#: names of control characters, which the Unicode database leaves unnamed
_CONTROL_NAMES = {0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x09: "CHARACTER TABULATION",
                  0x0A: "LINE FEED", 0x0B: "LINE TABULATION", 0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN",
                  0x1B: "ESCAPE", 0x7F: "DELETE", 0x85: "NEXT LINE"}


def md_escape(text: Any) -> str:
    """``text`` (anything; ``None`` is empty) as Markdown that Streamlit shows as those very
    characters: no link, image, emphasis, heading, list, table, HTML, math or directive.

    Only what can start Markdown is escaped (CommonMark's backslash escape, valid for every
    ASCII punctuation character), so ordinary text stays readable in the page's source: the
    characters of :data:`_ALWAYS`; ``_`` unless inside a word (``share_offered`` cannot
    emphasise); a line's first character when it would start a block, and ``1.`` / ``1)`` at a
    line's start; a ``:`` that starts a word (``:red[…]``, a directive). GFM makes bare
    ``http://``, ``www.`` and e-mail addresses links, and Streamlit ``:material/…:`` icons and
    ``:smile:`` emoji, in the text after escapes are undone, so a word joiner (U+2060,
    invisible) goes before ``://`` and after ``www``, ``@`` and such a ``:``. A line's leading
    spaces become no-break spaces (four would start a code block); line breaks stay.
    """
    s = "" if text is None else str(text)
    out = []
    for line in s.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        body = line.lstrip(" \t")
        lead = "\u00a0" * (len(line) - len(body))
        chars = []
        for i, c in enumerate(body):
            if c in _ALWAYS or (i == 0 and c in _LINE_START):
                chars.append("\\" + c)
            elif c == "_" and not (0 < i < len(body) - 1 and body[i - 1].isalnum() and body[i + 1].isalnum()):
                chars.append("\\_")
            else:
                chars.append(c)
        escaped = _ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), "".join(chars), count=1)
        escaped = _BARE_LINK.sub(_WORD_JOINER, _DIRECTIVE.sub(r"\\:", escaped))
        out.append(lead + escaped)
    return "  \n".join(out)  # two spaces: a hard line break, as the user typed it


def md_escape_all(params: dict[str, Any]) -> dict[str, Any]:
    """``params`` with every text value made literal by :func:`md_escape` (numbers, dates and
    other values stay as they are, so their format specs still apply)."""
    return {k: md_escape(v) if isinstance(v, str) else v for k, v in params.items()}


def html_escape(text: Any) -> str:
    """``text`` (``None`` is empty) as HTML text or attribute value: ``& < > " '`` escaped."""
    return html.escape("" if text is None else str(text), quote=True)


def refused_in_name(text: str) -> list[str]:
    """The distinct characters of ``text`` a name may not hold, in order of appearance."""
    seen: dict[str, None] = {}
    for c in text:
        if c not in seen and unicodedata.category(c) in REFUSED_CATEGORIES:
            seen[c] = None
    return list(seen)


def describe_chars(chars: Iterable[str], limit: int = 5) -> str:
    """Characters as a message names them: "U+202E RIGHT-TO-LEFT OVERRIDE, U+0007 BELL"."""
    items = []
    for i, c in enumerate(chars):
        if i == limit:
            items.append("…")
            break
        name = unicodedata.name(c, "") or _CONTROL_NAMES.get(ord(c), "")
        items.append(f"U+{ord(c):04X} {name}".rstrip())
    return ", ".join(items)


def without_refused(text: str) -> str:
    """``text`` without the characters a name may not hold (for a file name)."""
    return "".join(c for c in text if unicodedata.category(c) not in REFUSED_CATEGORIES)
