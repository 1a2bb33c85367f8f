"""The scenario store: named scenarios saved as YAML files in one folder.

Used by the app and by ``python -m sim scenarios``. The folder is ``scenarios/saved/`` in the
repository unless the environment variable ``COURT_SIM_SCENARIO_DIR`` points elsewhere (a
training room can share one folder on a server).

File format
-----------
A saved file is an ordinary scenario YAML file (``python -m sim run FILE`` and
:func:`sim.model.scenario.load_scenario` read it unchanged) that starts with a comment line holding
the store's metadata as one line of JSON::

    # court-sim-meta: {"format": 1, "name": "速裁团队扩编方案", "note": "…", "saved_at": "2025-…"}
    name: 速裁团队扩编方案
    ...

The metadata lives in a comment rather than a wrapping mapping so that every saved file stays a
valid scenario for every tool; JSON on one line keeps any note (newlines included) exact.
A YAML file without the line (copied into the folder by hand) is listed too, under its
scenario's name. The display name is never used raw as a path: :func:`safe_filename` derives
the file name, and the display name is kept inside the file.

Writes go to a temporary file in the same folder, are fsynced and then renamed over the target,
so a crash or two sessions saving at once never leaves a half-written or lost file. A lock file
(``fcntl``) serialises the check-then-write of save, rename, duplicate and delete. The writer
holds an ``flock`` on its temporary file while it exists; temporary files left by a killed
writer (no lock held, older than a minute) are removed by the next write.

Every file is read through :mod:`sim.model.loader` (regular files of at most 1 MB, bounded YAML). A
file that cannot be read as a scenario (damaged, invalid, a YAML bomb) is listed with its reason
and never breaks a listing or a page; it can still be shown (raw text), downloaded, renamed and
deleted. A read-only, full or forbidden folder raises a :class:`StoreError` saying so, and
nothing already saved is touched.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import errno
import hashlib
import json
import os
import re
import stat
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Iterator, Optional, Union

from ..model.errors import CodedError, FieldError, ScenarioError, field_error
from ..model.loader import MAX_BYTES, decode_text, file_kind, parse_yaml, prefetch, read_file_bytes
from ..model.scenario import Scenario, dump_yaml, load_yaml_text
from ..vocabulary.safe_text import describe_chars, refused_in_name, without_refused
from .files import exclusive_lock, fsync_dir

try:  # Linux and macOS; elsewhere the link-based create below still prevents lost files
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

ENV_VAR = "COURT_SIM_SCENARIO_DIR"
#: the scenarios shipped with the simulator (``scenarios/*.yaml`` of the repository, two folders
#: above this file's sim/store/), read-only for the store
BUILTIN_FOLDER = Path(__file__).resolve().parents[2] / "scenarios"
DEFAULT_FOLDER = BUILTIN_FOLDER / "saved"
MAX_FILE_BYTES = MAX_BYTES
MAX_NAME_CHARS = 120          # the scenario's own ``name`` field allows 120 characters
MAX_NOTE_CHARS = 2000
META_PREFIX = "# court-sim-meta: "
FORMAT_VERSION = 1
LOCK_NAME = ".store.lock"
TMP_PREFIX = ".tmp-"
TMP_SUFFIX = ".part"
TMP_MIN_AGE = 60.0            # seconds: a temporary file younger than this is never removed
RAW_SHOW_BYTES = 64_000       # how much of an unreadable file is shown as text
SUFFIXES = (".yaml", ".yml")
_MAX_STEM_BYTES = 80          # plus "-" + 10 hex + ".yaml": well under the usual 255-byte limit

_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
# Characters that are path separators or reserved on some filesystem we may be shared from.
_UNSAFE_CHARS = re.compile(r'[\\/:*?"<>|\s]')


# --- errors --------------------------------------------------------------------------------
class StoreError(CodedError):
    """A problem with the store that a user can cause: ``code`` and ``params`` say which
    (rendered in any language by :mod:`sim.vocabulary.messages`); ``str()`` is the English message."""

    code = "folder_error"


class InvalidName(StoreError):
    """The display name is empty, too long or holds control characters."""

    code = "name_empty"


class ScenarioExists(StoreError):
    """A scenario of that name is already saved; pass ``overwrite=True`` to replace it."""

    def __init__(self, name: str):
        self.name = name
        super().__init__("exists", name=name)


class ScenarioNotFound(StoreError):
    """No saved scenario has that name."""

    def __init__(self, name: str):
        self.name = name
        super().__init__("not_found", name=name)


class UploadTooLarge(StoreError):
    """An uploaded file is over :data:`MAX_FILE_BYTES`."""

    def __init__(self, size: int):
        self.size = size
        super().__init__("too_large", size_mb=size / 1e6, limit_mb=MAX_FILE_BYTES / 1e6)


class InvalidScenarioFile(StoreError):
    """A file is not readable as a scenario; ``errors`` names each field at fault."""

    def __init__(self, errors: list[FieldError], source: str = ""):
        self.errors = errors
        self.source = source
        super().__init__("invalid_scenario", file=source or "?", errors="; ".join(str(e) for e in errors))


class UnreadableEntry(StoreError):
    """The saved file exists but is corrupt or invalid; ``problems`` holds its errors."""

    def __init__(self, entry: "SavedScenario"):
        self.problems = list(entry.problems)
        super().__init__("unreadable", name=entry.name, file=entry.file.name, reason=entry.error or "?")


_WRITE_CODES = {errno.EROFS: "folder_readonly", errno.ENOSPC: "folder_full", errno.EDQUOT: "folder_full",
                errno.EACCES: "folder_permission", errno.EPERM: "folder_permission",
                errno.ENAMETOOLONG: "name_too_long"}


def _write_error(exc: OSError, folder: Path) -> StoreError:
    """A write's OSError as a StoreError that says what is wrong with the folder."""
    return StoreError(_WRITE_CODES.get(exc.errno or 0, "folder_error"), folder=str(folder),
                      reason=exc.strerror or str(exc))


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


def load_scenario_arg(arg: str, store: Optional["ScenarioStore"] = None) -> Scenario:
    """What the command line's ``run``/``compare``/``validate`` load for an argument.

    A regular file is read as a scenario file (saved files included); otherwise the argument is
    looked up as a saved scenario's name (so names such as ``.`` and ``..`` work); a folder, pipe
    or device that is not a saved name is refused without being opened. Raises
    :class:`ScenarioError` either way, so the command line reports it as bad input.
    """
    from ..model.scenario import load_scenario

    try:
        mode: Optional[int] = os.stat(arg).st_mode
    except (OSError, ValueError):  # missing, a name too long for a path, a NUL in it
        mode = None
    if mode is not None and stat.S_ISREG(mode):
        return load_scenario(arg)
    st = store or ScenarioStore()
    try:
        return st.load(arg)
    except (ScenarioNotFound, InvalidName):
        if mode is not None:
            raise ScenarioError.one("", "file_not_regular", arg, kind=file_kind(mode)) from None
        raise ScenarioError.one("", "file_not_found", arg, folder=str(st.folder)) from None
    except InvalidScenarioFile as exc:
        raise ScenarioError(exc.errors) from None
    except UnreadableEntry as exc:
        raise ScenarioError(exc.problems or [field_error("", exc.code, arg, **exc.params)]) from None
    except StoreError as exc:
        raise ScenarioError.one("", exc.code, arg, **exc.params) from None


# --- the store -----------------------------------------------------------------------------
def _named(scn: Scenario, name: str) -> Scenario:
    """A copy of ``scn`` called ``name``: a built-in scenario's names in each language
    (``name_zh``, ``name_en``) are dropped, so that the user's name is shown on every page."""
    return scn.model_copy(update={"name": name, "name_zh": "", "name_en": ""}, deep=True)


class ScenarioStore:
    """Named scenarios in one folder (see the module docstring for the file format).

    ``folder`` defaults to ``$COURT_SIM_SCENARIO_DIR`` if set, else ``scenarios/saved/`` in the
    repository. The folder is created on the first save.
    """

    def __init__(self, folder: Union[str, Path, None] = None):
        if folder is None:
            env = os.environ.get(ENV_VAR, "").strip()
            folder = Path(env).expanduser() if env else DEFAULT_FOLDER
        self.folder = Path(folder).expanduser().resolve()

    def __repr__(self) -> str:
        return f"ScenarioStore({str(self.folder)!r})"

    # -- plumbing --
    def _files(self) -> list[Path]:
        try:
            items = list(self.folder.iterdir())
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise StoreError("folder_unreadable", folder=str(self.folder), reason=exc.strerror or str(exc)) from None
        return sorted(p for p in items if p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
                      and _is_file(p))

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _write_error(exc, self.folder) from None
        with contextlib.ExitStack() as stack:
            try:
                stack.enter_context(exclusive_lock(self.folder / LOCK_NAME))
            except OSError as exc:
                raise _write_error(exc, self.folder) from None
            self.cleanup_temp()
            yield

    def _inside(self, p: Path) -> Path:
        """``p`` resolved, refusing anything that is not directly inside the folder."""
        r = p.resolve()
        if r.parent != self.folder:
            raise StoreError("outside_folder", path=str(p))
        return r

    def _name_of(self, p: Path) -> Optional[str]:
        """A file's display name from its first lines (cheap), or None if unreadable."""
        try:
            if not _is_file(p):
                return None
            fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            try:
                head = os.read(fd, 4096)
            finally:
                os.close(fd)
        except OSError:
            return None
        meta = _read_meta(head.decode("utf-8-sig", errors="replace"))
        if meta and isinstance(meta.get("name"), str) and meta["name"]:
            return unicodedata.normalize("NFC", meta["name"]).strip()
        entry = read_saved_file(p)  # cached, so a folder of hand-copied files stays cheap
        return unicodedata.normalize("NFC", entry.name).strip() if entry.name else None

    def _find(self, name: str) -> Optional[Path]:
        """The file holding ``name``: its derived file, else the one file whose name matches."""
        n = _lookup_name(name)
        try:
            derived: Optional[Path] = self.folder / safe_filename(n)
        except InvalidName:  # a name no longer allowed: only an existing file can hold it
            derived = None
        if derived is not None and _is_file(derived):
            return derived
        hits = [p for p in self._files() if self._name_of(p) == n]
        if len(hits) > 1:
            raise StoreError("ambiguous_name", n=len(hits), name=n, files=", ".join(p.name for p in hits))
        return hits[0] if hits else None

    def _write_atomic(self, target: Path, text: Union[str, bytes], overwrite: bool, name: str) -> None:
        """Write via a fsynced temporary file in the folder, then rename it into place.

        The temporary file is locked (``flock``) from creation until it is renamed or removed,
        so :meth:`cleanup_temp` never removes a file a live writer is still writing. A failing
        write (read-only or full folder) removes its temporary file and leaves the target as it
        was.
        """
        data = text.encode("utf-8") if isinstance(text, str) else text
        try:
            fd, tmp = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{os.getpid()}-", suffix=TMP_SUFFIX, dir=self.folder)
        except OSError as exc:
            raise _write_error(exc, self.folder) from None
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
            os.fchmod(fd, 0o664)
            if overwrite:
                os.replace(tmp, target)
            else:
                # link() fails if the target exists, atomically, even without the lock
                try:
                    os.link(tmp, target)
                except FileExistsError:
                    raise ScenarioExists(name) from None
                except OSError as exc:
                    if exc.errno in _WRITE_CODES and exc.errno != errno.EPERM:
                        raise
                    if target.exists():
                        raise ScenarioExists(name) from None
                    os.replace(tmp, target)  # filesystems without hard links; the lock guards us
                finally:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(tmp)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise _write_error(exc, self.folder) from None
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        finally:
            os.close(fd)
        self._fsync_dir()

    def cleanup_temp(self, min_age: float = TMP_MIN_AGE) -> list[Path]:
        """Remove temporary files left by interrupted saves; returns those removed.

        Only ``.tmp-*.part`` files older than ``min_age`` seconds whose ``flock`` can be taken
        (no live writer holds it) are removed. Never raises.
        """
        removed: list[Path] = []
        if fcntl is None:  # pragma: no cover - without flock we cannot tell a live writer
            return removed
        try:
            items = list(os.scandir(self.folder))
        except OSError:
            return removed
        now = time.time()
        for item in items:
            if not (item.name.startswith(TMP_PREFIX) and item.name.endswith(TMP_SUFFIX)):
                continue
            try:
                st = item.stat(follow_symlinks=False)
                if not stat.S_ISREG(st.st_mode) or now - st.st_mtime < min_age:
                    continue
                fd = os.open(item.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                # still the same file under that name (not renamed into place meanwhile)?
                if os.stat(item.path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino:
                    os.unlink(item.path)
                    removed.append(Path(item.path))
            except OSError:
                pass  # locked by a live writer, or gone already
            finally:
                os.close(fd)
        return removed

    def _fsync_dir(self) -> None:
        fsync_dir(self.folder)

    def _entry(self, name: str) -> SavedScenario:
        p = self._find(name)
        if p is None:
            raise ScenarioNotFound(_lookup_name(name))
        return read_saved_file(p)

    # -- public API --
    def list(self) -> list[SavedScenario]:
        """Every file in the folder, sorted by name; corrupt or invalid ones carry ``error``."""
        files = self._files()
        _prefetch(files)
        entries = [read_saved_file(p) for p in files]
        return sorted(entries, key=lambda e: (e.name.casefold(), e.name, e.file.name))

    def names(self) -> list[str]:
        """Names of the valid saved scenarios, sorted."""
        return [e.name for e in self.list() if e.ok]

    def exists(self, name: str) -> bool:
        """True when a scenario of that name is saved (valid or not)."""
        return self._find(name) is not None

    def get(self, name: str) -> SavedScenario:
        """The saved entry of that name with its scenario; raises if missing or unreadable."""
        e = self._entry(name)
        if not e.ok:
            raise UnreadableEntry(e)
        return e

    def load(self, name: str) -> Scenario:
        """The saved scenario of that name."""
        scn = self.get(name).scenario
        assert scn is not None
        return scn

    def save(self, scn: Scenario, name: str, note: str = "", overwrite: bool = False) -> SavedScenario:
        """Save ``scn`` under ``name`` with ``note`` and the current date and time.

        The scenario's own ``name`` becomes the display name, so results and comparisons show
        it. Raises :class:`ScenarioExists` if the name is taken and ``overwrite`` is false.
        """
        n = normalise_name(name)
        note = _clean_note(note)
        scn = _named(scn, n)
        text = render_saved(scn, n, note)
        with self._lock():
            existing = self._find(n)
            if existing is not None and not overwrite:
                raise ScenarioExists(n)
            target = existing or (self.folder / safe_filename(n))
            self._inside(target)
            self._write_atomic(target, text, overwrite=existing is not None, name=n)
        return read_saved_file(target)

    def rename(self, old: str, new: str, overwrite: bool = False) -> SavedScenario:
        """Give a saved scenario a new name (note and date kept)."""
        o, n = _lookup_name(old), normalise_name(new)
        with self._lock():
            e = self._entry(o)
            if n == e.name:
                return e
            clash = self._find(n)
            if clash is not None and clash.resolve() != e.file.resolve() and not overwrite:
                raise ScenarioExists(n)
            target = clash or (self.folder / safe_filename(n))
            self._inside(target)
            # new file first, then remove the old: a crash in between leaves both, never neither
            if e.ok:
                assert e.scenario is not None
                scn = _named(e.scenario, n)
                self._write_atomic(target, render_saved(scn, n, e.note, e.saved_at), overwrite=clash is not None,
                                   name=n)
            else:  # an unreadable file moves as it is, under a metadata line with the new name
                self._write_atomic(target, _renamed_raw(self._inside(e.file), n, e.note, e.saved_at),
                                   overwrite=clash is not None, name=n)
            if self._inside(e.file) != target.resolve():
                try:
                    os.unlink(self._inside(e.file))
                except FileNotFoundError:
                    pass
                except OSError as exc:
                    raise _write_error(exc, self.folder) from None
                self._fsync_dir()
        return read_saved_file(target)

    def duplicate(self, name: str, new: Optional[str] = None, note: Optional[str] = None,
                  copy_word: str = "copy") -> SavedScenario:
        """Save a copy of a saved scenario under ``new`` (default: "NAME (copy)", numbered;
        ``copy_word`` is "copy" in the page's language)."""
        with self._lock():
            e = self.get(name)
            assert e.scenario is not None
            if new is None:
                base = normalise_name(f"{e.name[:MAX_NAME_CHARS - 12]} ({copy_word[:6]})")
                n, i = base, 2
                while self._find(n) is not None:
                    n = normalise_name(f"{e.name[:MAX_NAME_CHARS - 12]} ({copy_word[:6]} {i})")
                    i += 1
            else:
                n = normalise_name(new)
                if self._find(n) is not None:
                    raise ScenarioExists(n)
            scn = _named(e.scenario, n)
            target = self.folder / safe_filename(n)
            self._inside(target)
            self._write_atomic(target, render_saved(scn, n, e.note if note is None else _clean_note(note)),
                               overwrite=False, name=n)
        return read_saved_file(target)

    def delete(self, name: str) -> Path:
        """Delete the saved scenario of that name (valid or not); returns the removed file."""
        with self._lock():
            p = self._find(name)
            if p is None:
                raise ScenarioNotFound(_lookup_name(name))
            p = self._inside(p)
            try:
                os.unlink(p)
            except FileNotFoundError:
                raise ScenarioNotFound(_lookup_name(name)) from None
            except OSError as exc:
                raise _write_error(exc, self.folder) from None
            self._fsync_dir()
        return p

    def upload(self, data: bytes, name: Optional[str] = None, note: Optional[str] = None,
               overwrite: bool = False, source: str = "upload") -> SavedScenario:
        """Save an uploaded YAML file (a saved file or any scenario file).

        The name is ``name`` if given, else the file's saved name, else its scenario's name;
        the note likewise. Refuses files over 1 MB (:class:`UploadTooLarge`) and invalid
        scenarios (:class:`InvalidScenarioFile`, naming each field at fault).
        """
        if not isinstance(data, (bytes, bytearray)):
            raise StoreError("upload_not_bytes")
        if len(data) > MAX_FILE_BYTES:
            raise UploadTooLarge(len(data))
        try:
            text = decode_text(bytes(data))
        except ScenarioError as exc:
            raise InvalidScenarioFile(exc.errors, source) from None
        scn, meta = parse_saved_text(text, source)
        n = name if name is not None else (meta.get("name") if isinstance(meta.get("name"), str) else None) or scn.name
        nt = note if note is not None else (meta.get("note") if isinstance(meta.get("note"), str) else "")
        return self.save(scn, n, nt, overwrite=overwrite)

    def download(self, name: str) -> bytes:
        """The saved file's bytes, exactly as stored (it uploads back unchanged)."""
        p = self._find(name)
        if p is None:
            raise ScenarioNotFound(_lookup_name(name))
        try:
            return read_file_bytes(self._inside(p), limit=1 << 62)
        except ScenarioError as exc:
            raise StoreError("store_read_error", file=p.name, reason=exc.errors[0].message) from None

    def raw_text(self, name: str, limit: int = RAW_SHOW_BYTES) -> tuple[str, bool]:
        """The start of a saved file as text (undecodable bytes replaced), and whether it was cut.

        For showing a file that cannot be read as a scenario; at most ``limit`` bytes are read.
        """
        p = self._find(name)
        if p is None:
            raise ScenarioNotFound(_lookup_name(name))
        p = self._inside(p)
        try:
            fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            try:
                data = os.read(fd, limit + 1)
            finally:
                os.close(fd)
        except OSError as exc:
            raise StoreError("store_read_error", file=p.name, reason=exc.strerror or str(exc)) from None
        return data[:limit].decode("utf-8", errors="replace"), len(data) > limit

    def download_filename(self, name: str) -> str:
        """A file name to offer for a download of that scenario (without control or format
        characters, even when a file in the folder has them)."""
        p = self._find(name)
        return (without_refused(p.name) or "scenario.yaml") if p is not None else safe_filename(name)


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
