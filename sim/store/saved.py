"""The saved file: its format (a metadata comment line, then the scenario's YAML), reading one file
into a :class:`SavedScenario` that never raises, and the built-in scenarios read the same way."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import stat
from pathlib import Path
from typing import Optional, Union

from ..model.errors import FieldError, ScenarioError, field_error
from ..model.loader import decode_text, parse_yaml, prefetch, read_file_bytes
from ..model.scenario import Scenario, dump_yaml, load_yaml_text
from .errors import MAX_FILE_BYTES, InvalidScenarioFile, StoreError

#: the scenarios shipped with the simulator (``scenarios/*.yaml`` of the repository, two folders
#: above this file's sim/store/), read-only for the store
BUILTIN_FOLDER = Path(__file__).resolve().parents[2] / "scenarios"
META_PREFIX = "# court-sim-meta: "
FORMAT_VERSION = 1
SUFFIXES = (".yaml", ".yml")


# --- file format ---------------------------------------------------------------------------
def _yaml_safe_json(obj: dict) -> str:
    """One line of JSON that PyYAML accepts inside a comment.

    YAML treats U+0085, U+2028 and U+2029 as line breaks and refuses some other characters even
    in comments, so those are written as JSON ``\\u`` escapes.
    """
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True)
    out = []
    for c in text:
        o = ord(c)
        printable = (o == 0x09 or 0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD
                     or o >= 0x10000)
        out.append(c if printable and o not in (0x2028, 0x2029) else f"\\u{o:04x}")
    return "".join(out)


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def render_saved(scn: Scenario, name: str, note: str = "", saved_at: Optional[str] = None) -> str:
    """The text of a saved file: the metadata comment line, then the scenario's YAML.

    The text is read back before it is returned: a scenario that would not load back exactly
    (PyYAML writes U+0085 raw and reads it as a line break) raises :class:`StoreError` rather
    than being saved changed.
    """
    meta = {"format": FORMAT_VERSION, "name": name, "note": note, "saved_at": saved_at or _now()}
    text = META_PREFIX + _yaml_safe_json(meta) + "\n" + dump_yaml(scn)
    try:
        back = load_yaml_text(text, own=True)
    except ScenarioError as exc:  # pragma: no cover - dump_yaml writes what the schema accepts
        raise InvalidScenarioFile(exc.errors, name) from None
    if back.model_dump(mode="json") != scn.model_dump(mode="json") or _read_meta(text) != meta:
        raise StoreError("cannot_save_exactly")
    return text


def _read_meta(text: str) -> Optional[dict]:
    """The metadata of a saved file's text, or None when it has no (valid) metadata line."""
    for line in text.split("\n", 20)[:20]:
        if line.startswith(META_PREFIX):
            try:
                meta = json.loads(line[len(META_PREFIX):])
            except ValueError:
                return None
            return meta if isinstance(meta, dict) else None
        if line.strip() and not line.lstrip().startswith("#"):
            break  # the metadata line only ever precedes the scenario itself
    return None


@dataclasses.dataclass
class SavedScenario:
    """One file in the store: its display name, note, date, file and either a scenario or an error."""

    name: str
    note: str
    saved_at: str
    file: Path
    error: Optional[str] = None
    scenario: Optional[Scenario] = None
    problems: list[FieldError] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file holds a valid scenario."""
        return self.error is None

    def as_dict(self) -> dict:
        """Plain data for the command line's JSON and the app's tables (no scenario object)."""
        return {"name": self.name, "note": self.note, "saved_at": self.saved_at,
                "file": str(self.file), "error": self.error,
                "problems": [{"path": e.path, "code": e.code, "params": _json_safe(e.params)} for e in self.problems]}


def _json_safe(params: dict) -> dict:
    """Parameters as JSON-safe values (numbers, text, lists of those)."""
    return json.loads(json.dumps(params, default=str, allow_nan=False)) if params else {}


def parse_saved_text(text: str, source: str = "") -> tuple[Scenario, dict]:
    """Read a saved file's (or any scenario YAML's) text: the scenario and its metadata.

    The metadata is ``{}`` for a plain scenario file. Raises :class:`InvalidScenarioFile`.
    """
    meta = _read_meta(text) or {}
    try:
        scn = load_yaml_text(text)
    except ScenarioError as exc:
        raise InvalidScenarioFile(exc.errors, source) from None
    return scn, meta


_CACHE: dict[Path, tuple[tuple[int, int, int], SavedScenario]] = {}
_CACHE_MAX = 1000


def read_saved_file(path: Union[str, Path]) -> SavedScenario:
    """Read one file into a :class:`SavedScenario`; problems go into ``error``, never raised.

    Results are cached by (inode, mtime, size): writes replace the file, so a change is seen.
    """
    p = Path(path)
    try:
        st = p.stat()
    except OSError as exc:
        return SavedScenario(name=p.stem, note="", saved_at="", file=p, error=exc.strerror or str(exc))
    key = (st.st_ino, st.st_mtime_ns, st.st_size)
    hit = _CACHE.get(p)
    if hit is not None and hit[0] == key:
        e = hit[1]
    else:
        e = _read_saved_file(p, st)
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[p] = (key, e)
    # callers may change the scenario they get; the cached one must stay as read
    return dataclasses.replace(e, scenario=e.scenario.model_copy(deep=True) if e.scenario else None)


def _prefetch(files: list[Path]) -> None:
    """Parse the files a listing has not read yet in one child process, not one each."""
    texts = []
    for p in files:
        try:
            st = p.stat()
            hit = _CACHE.get(p)
            if hit is not None and hit[0] == (st.st_ino, st.st_mtime_ns, st.st_size):
                continue
            texts.append(decode_text(read_file_bytes(p)))
        except (OSError, ScenarioError):
            continue  # read, and reported, on its own
    prefetch(texts)


def _bad(p: Path, problems: list[FieldError], name: Optional[str] = None, note: str = "",
         saved_at: str = "") -> SavedScenario:
    return SavedScenario(name=name or p.stem, note=note, saved_at=saved_at, file=p, problems=problems,
                         error="; ".join(str(e) for e in problems) or "?")


def _read_saved_file(p: Path, st: os.stat_result) -> SavedScenario:
    try:
        data = read_file_bytes(p)
    except ScenarioError as exc:
        return _bad(p, exc.errors)
    meta = _read_meta(data[:8192].decode("utf-8", errors="replace")) or {}
    name = meta.get("name") if isinstance(meta.get("name"), str) and meta.get("name") else None
    note = meta.get("note") if isinstance(meta.get("note"), str) else ""
    saved_at = meta.get("saved_at") if isinstance(meta.get("saved_at"), str) else ""
    if not saved_at:
        saved_at = dt.datetime.fromtimestamp(st.st_mtime).astimezone().isoformat(timespec="seconds")
    try:
        text = decode_text(data)
        scn = load_yaml_text(text)
    except ScenarioError as exc:
        plain = _plain_name(data) if name is None else None
        return _bad(p, exc.errors, name or plain, note, saved_at)
    except Exception as exc:  # noqa: BLE001 - one odd file must never break a listing or a page
        return _bad(p, [field_error("", "invalid", detail=f"{type(exc).__name__}: {exc}"[:200])], name, note, saved_at)
    return SavedScenario(name=name or scn.name, note=note, saved_at=saved_at, file=p, scenario=scn)


def _plain_name(data: bytes) -> Optional[str]:
    """The ``name:`` of a scenario whose validation failed, for listing it recognisably."""
    try:
        parsed = parse_yaml(decode_text(data))
    except Exception:  # noqa: BLE001 - any failure just means "no name"
        return None
    n = parsed.get("name") if isinstance(parsed, dict) else None
    return n if isinstance(n, str) and n.strip() else None


def builtin_scenarios(folder: Optional[Path] = None) -> list[SavedScenario]:
    """The built-in scenario files (``scenarios/*.yaml``, baseline first), each read like a saved
    file: name, file, and the scenario or the reason it cannot be read."""
    folder = BUILTIN_FOLDER if folder is None else Path(folder)
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and _is_file(p))
    except OSError:
        return []
    files.sort(key=lambda p: (p.name != "baseline.yaml", p.name))
    out = []
    for p in files:
        e = read_saved_file(p)
        out.append(dataclasses.replace(e, name=e.scenario.name if e.scenario is not None else p.stem, saved_at=""))
    return out


def _is_file(p: Path) -> bool:
    """A regular file (following links); never raises (a name too long is just not a file)."""
    try:
        return stat.S_ISREG(os.stat(p).st_mode)
    except (OSError, ValueError):
        return False


def _renamed_raw(p: Path, name: str, note: str, saved_at: str) -> bytes:
    """The bytes of an unreadable saved file under a new metadata line (its old one removed)."""
    try:
        data = read_file_bytes(p, limit=MAX_FILE_BYTES)
    except ScenarioError as exc:
        raise StoreError("store_read_error", file=p.name, reason=exc.errors[0].message) from None
    lines = data.split(b"\n")
    body = b"\n".join(line for line in lines[:20] if not line.startswith(META_PREFIX.encode()))
    body += b"\n" + b"\n".join(lines[20:]) if len(lines) > 20 else b""
    meta = {"format": FORMAT_VERSION, "name": name, "note": note, "saved_at": saved_at or _now()}
    return (META_PREFIX + _yaml_safe_json(meta) + "\n").encode("utf-8") + body


class UnreadableEntry(StoreError):
    """The saved file exists but is corrupt or invalid; ``problems`` holds its errors."""

    def __init__(self, entry: SavedScenario):
        self.problems = list(entry.problems)
        super().__init__("unreadable", name=entry.name, file=entry.file.name, reason=entry.error or "?")
