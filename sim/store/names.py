"""A saved scenario's display name and note, and the file name derived from a name."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Optional

from ..vocabulary.safe_text import describe_chars, refused_in_name
from .errors import InvalidName, StoreError

MAX_NAME_CHARS = 120          # the scenario's own ``name`` field allows 120 characters
MAX_NOTE_CHARS = 2000
_MAX_STEM_BYTES = 80          # plus "-" + 10 hex + ".yaml": well under the usual 255-byte limit

_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
# Characters that are path separators or reserved on some filesystem we may be shared from.
_UNSAFE_CHARS = re.compile(r'[\\/:*?"<>|\s]')


# --- names ---------------------------------------------------------------------------------
def normalise_name(name: str) -> str:
    """The canonical display name: NFC, surrounding white space removed; refuses bad names.

    Raises :class:`InvalidName` for an empty name, control characters (NUL included), format
    characters such as the right-to-left override U+202E (a name is what it looks like), lone
    surrogates or more than :data:`MAX_NAME_CHARS` characters; the message names each one.
    """
    if not isinstance(name, str):
        raise InvalidName("name_not_text", type=type(name).__name__)
    n = unicodedata.normalize("NFC", name).strip()
    if not n:
        raise InvalidName("name_empty")
    bad = refused_in_name(n)
    if bad:
        raise InvalidName("name_chars", chars=describe_chars(bad))
    if len(n) > MAX_NAME_CHARS:
        raise InvalidName("name_long", limit=MAX_NAME_CHARS, length=len(n))
    return n


def _lookup_name(name: str) -> str:
    """A name as it is looked up among the files: NFC, surrounding white space removed, and
    nothing refused, so a file saved with characters a name may no longer hold can still be
    found, renamed and deleted."""
    if not isinstance(name, str):
        raise InvalidName("name_not_text", type=type(name).__name__)
    n = unicodedata.normalize("NFC", name).strip()
    if not n:
        raise InvalidName("name_empty")
    return n


def _clean_note(note: Optional[str]) -> str:
    """Notes keep line breaks and tabs; other control characters are dropped."""
    if note is None:
        return ""
    if not isinstance(note, str):
        raise StoreError("note_not_text", type=type(note).__name__)
    n = unicodedata.normalize("NFC", note.replace("\r\n", "\n").replace("\r", "\n"))
    if any(unicodedata.category(c) == "Cs" for c in n):
        raise StoreError("note_surrogates")
    n = "".join(c for c in n if c in "\n\t" or unicodedata.category(c) != "Cc").strip()
    if len(n) > MAX_NOTE_CHARS:
        raise StoreError("note_long", limit=MAX_NOTE_CHARS, length=len(n))
    return n


def safe_filename(name: str) -> str:
    """A file name for a display name that is safe on Linux, macOS and Windows shares.

    Separators, reserved and white-space characters become ``_``; leading dots are removed (so
    ``..`` and hidden files are impossible); the stem is cut to 80 UTF-8 bytes; a short hash of
    the full name keeps names distinct that would otherwise map to the same file.
    """
    n = normalise_name(name)
    digest = hashlib.sha256(n.encode("utf-8")).hexdigest()[:10]
    stem = _UNSAFE_CHARS.sub("_", n).lstrip(".").rstrip(". ")
    raw = stem.encode("utf-8")[:_MAX_STEM_BYTES]
    stem = raw.decode("utf-8", errors="ignore")
    if not stem or set(stem) <= {"_", "."}:
        stem = "scenario"
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    return f"{stem}-{digest}.yaml"
