"""The scenario store: named scenarios saved as YAML files in one folder.

Used by the app and by ``python -m sim scenarios``. The folder is ``scenarios/saved/`` in the
repository unless the environment variable ``COURT_SIM_SCENARIO_DIR`` points elsewhere (a
training room can share one folder on a server).

File format
-----------
A saved file is an ordinary scenario YAML file (``python -m sim run FILE`` and
:func:`sim.scenario.load_scenario` read it unchanged) that starts with a comment line holding
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
(``fcntl``) serialises the check-then-write of save, rename, duplicate and delete.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Iterator, Optional, Union

import yaml

from .scenario import FieldError, Scenario, ScenarioError, dump_yaml, load_yaml_text, scenario_from_dict

try:  # Linux and macOS; elsewhere the link-based create below still prevents lost files
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

_CLoader = getattr(yaml, "CSafeLoader", None)  # libyaml: ten times faster, so listing stays quick

ENV_VAR = "COURT_SIM_SCENARIO_DIR"
DEFAULT_FOLDER = Path(__file__).resolve().parent.parent / "scenarios" / "saved"
MAX_FILE_BYTES = 1_000_000
MAX_NAME_CHARS = 120          # the scenario's own ``name`` field allows 120 characters
MAX_NOTE_CHARS = 2000
META_PREFIX = "# court-sim-meta: "
FORMAT_VERSION = 1
LOCK_NAME = ".store.lock"
TMP_PREFIX = ".tmp-"
SUFFIXES = (".yaml", ".yml")
_MAX_STEM_BYTES = 80          # plus "-" + 10 hex + ".yaml": well under the usual 255-byte limit

_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
# Characters that are path separators or reserved on some filesystem we may be shared from.
_UNSAFE_CHARS = re.compile(r'[\\/:*?"<>|\s]')


# --- errors --------------------------------------------------------------------------------
class StoreError(Exception):
    """A problem with the store that a user can cause; ``str()`` is a message for them.

    ``code`` is a stable identifier the app can use to choose a translated message.
    """

    code = "store_error"


class InvalidName(StoreError):
    """The display name is empty, too long or holds control characters."""

    code = "invalid_name"


class ScenarioExists(StoreError):
    """A scenario of that name is already saved; pass ``overwrite=True`` to replace it."""

    code = "exists"

    def __init__(self, name: str):
        self.name = name
        super().__init__(f"a saved scenario named {name!r} already exists; "
                         "choose another name or confirm overwriting it")


class ScenarioNotFound(StoreError):
    """No saved scenario has that name."""

    code = "not_found"

    def __init__(self, name: str):
        self.name = name
        super().__init__(f"no saved scenario named {name!r}")


class UploadTooLarge(StoreError):
    """An uploaded file is over :data:`MAX_FILE_BYTES`."""

    code = "too_large"

    def __init__(self, size: int):
        self.size = size
        super().__init__(f"the file is {size / 1e6:.1f} MB; files over {MAX_FILE_BYTES / 1e6:.0f} MB are refused")


class InvalidScenarioFile(StoreError):
    """A file is not readable as a scenario; ``errors`` names each field at fault."""

    code = "invalid_scenario"

    def __init__(self, errors: list[FieldError], source: str = ""):
        self.errors = errors
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(where + "not a valid scenario: " + "; ".join(str(e) for e in errors))


class UnreadableEntry(StoreError):
    """The saved file exists but is corrupt or invalid (its error is in the message)."""

    code = "unreadable"


# --- names ---------------------------------------------------------------------------------
def normalise_name(name: str) -> str:
    """The canonical display name: NFC, surrounding white space removed; refuses bad names.

    Raises :class:`InvalidName` for an empty name, control characters (NUL included), lone
    surrogates or more than :data:`MAX_NAME_CHARS` characters.
    """
    if not isinstance(name, str):
        raise InvalidName(f"a name must be text, got {type(name).__name__}")
    n = unicodedata.normalize("NFC", name).strip()
    if not n:
        raise InvalidName("a name cannot be empty")
    bad = sorted({c for c in n if unicodedata.category(c) in ("Cc", "Cs", "Cn")})
    if bad:
        shown = ", ".join(f"U+{ord(c):04X}" for c in bad[:5])
        raise InvalidName(f"a name cannot hold control or invalid characters ({shown})")
    if len(n) > MAX_NAME_CHARS:
        raise InvalidName(f"a name can have at most {MAX_NAME_CHARS} characters; this one has {len(n)}")
    return n


def _clean_note(note: Optional[str]) -> str:
    """Notes keep line breaks and tabs; other control characters are dropped."""
    if note is None:
        return ""
    if not isinstance(note, str):
        raise StoreError(f"a note must be text, got {type(note).__name__}")
    n = unicodedata.normalize("NFC", note.replace("\r\n", "\n").replace("\r", "\n"))
    if any(unicodedata.category(c) == "Cs" for c in n):
        raise StoreError("the note holds invalid characters (lone surrogates)")
    n = "".join(c for c in n if c in "\n\t" or unicodedata.category(c) != "Cc").strip()
    if len(n) > MAX_NOTE_CHARS:
        raise StoreError(f"a note can have at most {MAX_NOTE_CHARS} characters; this one has {len(n)}")
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
        back = _load_text(text)
    except ScenarioError as exc:  # pragma: no cover - dump_yaml writes what the schema accepts
        raise StoreError(f"the scenario cannot be saved: {exc}") from None
    if back.model_dump(mode="json") != scn.model_dump(mode="json") or _read_meta(text) != meta:
        raise StoreError("the scenario holds characters that cannot be saved exactly "
                         "(for example U+0085 in a name or description); remove them and save again")
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

    @property
    def ok(self) -> bool:
        """True when the file holds a valid scenario."""
        return self.error is None

    def as_dict(self) -> dict:
        """Plain data for the command line's JSON and the app's tables (no scenario object)."""
        return {"name": self.name, "note": self.note, "saved_at": self.saved_at,
                "file": str(self.file), "error": self.error}


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidScenarioFile([FieldError(path="", value=source, message="the file is not UTF-8 text")], source) from None


def _load_text(text: str) -> Scenario:
    """Like :func:`sim.scenario.load_yaml_text`, with libyaml when it is installed."""
    if _CLoader is None:
        return load_yaml_text(text)
    try:
        data = yaml.load(text, Loader=_CLoader)  # noqa: S506 - CSafeLoader is the safe loader
    except yaml.YAMLError:
        return load_yaml_text(text)  # same error message as everywhere else
    return scenario_from_dict(data)


def parse_saved_text(text: str, source: str = "") -> tuple[Scenario, dict]:
    """Read a saved file's (or any scenario YAML's) text: the scenario and its metadata.

    The metadata is ``{}`` for a plain scenario file. Raises :class:`InvalidScenarioFile`.
    """
    meta = _read_meta(text) or {}
    try:
        scn = _load_text(text)
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


def _read_saved_file(p: Path, st: os.stat_result) -> SavedScenario:
    try:
        if st.st_size > MAX_FILE_BYTES:
            raise StoreError(f"the file is {st.st_size / 1e6:.1f} MB; files over {MAX_FILE_BYTES / 1e6:.0f} MB are skipped")
        text = _decode(p.read_bytes(), p.name)
        meta = _read_meta(text) or {}
    except (OSError, StoreError) as exc:
        msg = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return SavedScenario(name=p.stem, note="", saved_at="", file=p, error=msg)
    name = meta.get("name") if isinstance(meta.get("name"), str) and meta.get("name") else None
    note = meta.get("note") if isinstance(meta.get("note"), str) else ""
    saved_at = meta.get("saved_at") if isinstance(meta.get("saved_at"), str) else ""
    if not saved_at:
        saved_at = dt.datetime.fromtimestamp(st.st_mtime).astimezone().isoformat(timespec="seconds")
    try:
        scn = _load_text(text)
    except ScenarioError as exc:
        return SavedScenario(name=name or _plain_name(text) or p.stem, note=note, saved_at=saved_at,
                             file=p, error=str(exc))
    return SavedScenario(name=name or scn.name, note=note, saved_at=saved_at, file=p, scenario=scn)


def _plain_name(text: str) -> Optional[str]:
    """The ``name:`` of a scenario whose validation failed, for listing it recognisably."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    n = data.get("name") if isinstance(data, dict) else None
    return n if isinstance(n, str) and n.strip() else None


def load_scenario_arg(arg: str, store: Optional["ScenarioStore"] = None) -> Scenario:
    """What the command line's ``run``/``compare``/``validate`` load for an argument.

    A path that exists is read as a scenario file (saved files included); otherwise the argument
    is looked up as a saved scenario's name. Raises :class:`ScenarioError` either way, so the
    command line reports it as bad input.
    """
    p = Path(arg)
    if p.exists():
        from .scenario import load_scenario
        return load_scenario(p)
    st = store or ScenarioStore()
    try:
        return st.load(arg)
    except ScenarioNotFound:
        raise ScenarioError([FieldError(path="", value=arg, message=(
            f"no such file, and no saved scenario of that name in {st.folder}"))]) from None
    except InvalidScenarioFile as exc:
        raise ScenarioError(exc.errors) from None
    except StoreError as exc:
        raise ScenarioError([FieldError(path="", value=arg, message=str(exc))]) from None


# --- the store -----------------------------------------------------------------------------
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
            raise StoreError(f"cannot read the scenario folder {self.folder}: {exc.strerror or exc}") from None
        return sorted(p for p in items if p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
                      and p.is_file())

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the scenario folder {self.folder}: {exc.strerror or exc}") from None
        if fcntl is None:  # pragma: no cover
            yield
            return
        fd = os.open(self.folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    def _inside(self, p: Path) -> Path:
        """``p`` resolved, refusing anything that is not directly inside the folder."""
        r = p.resolve()
        if r.parent != self.folder:
            raise StoreError(f"refusing to touch {p}: it is not inside the scenario folder {self.folder}")
        return r

    def _name_of(self, p: Path) -> Optional[str]:
        """A file's display name from its first lines (cheap), or None if unreadable."""
        try:
            with p.open("rb") as fh:
                head = fh.read(4096)
        except OSError:
            return None
        meta = _read_meta(head.decode("utf-8-sig", errors="replace"))
        if meta and isinstance(meta.get("name"), str) and meta["name"]:
            return unicodedata.normalize("NFC", meta["name"]).strip()
        entry = read_saved_file(p)  # cached, so a folder of hand-copied files stays cheap
        return unicodedata.normalize("NFC", entry.name).strip() if entry.name else None

    def _find(self, name: str) -> Optional[Path]:
        """The file holding ``name``: its derived file, else the one file whose name matches."""
        n = normalise_name(name)
        derived = self.folder / safe_filename(n)
        if derived.is_file():
            return derived
        hits = [p for p in self._files() if self._name_of(p) == n]
        if len(hits) > 1:
            raise StoreError(f"{len(hits)} files carry the name {n!r} ({', '.join(p.name for p in hits)}); "
                             "rename or delete one of them")
        return hits[0] if hits else None

    def _write_atomic(self, target: Path, text: str, overwrite: bool, name: str) -> None:
        """Write via a fsynced temporary file in the folder, then rename it into place."""
        data = text.encode("utf-8")
        fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=".part", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o664)
            if overwrite:
                os.replace(tmp, target)
            else:
                # link() fails if the target exists, atomically, even without the lock
                try:
                    os.link(tmp, target)
                except FileExistsError:
                    raise ScenarioExists(name) from None
                except OSError:
                    if target.exists():
                        raise ScenarioExists(name) from None
                    os.replace(tmp, target)  # filesystems without hard links; the lock guards us
                finally:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(tmp)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        self._fsync_dir()

    def _fsync_dir(self) -> None:
        with contextlib.suppress(OSError):
            dfd = os.open(self.folder, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)

    def _entry(self, name: str) -> SavedScenario:
        p = self._find(name)
        if p is None:
            raise ScenarioNotFound(normalise_name(name))
        return read_saved_file(p)

    # -- public API --
    def list(self) -> list[SavedScenario]:
        """Every file in the folder, sorted by name; corrupt or invalid ones carry ``error``."""
        entries = [read_saved_file(p) for p in self._files()]
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
            raise UnreadableEntry(f"the saved scenario {e.name!r} ({e.file.name}) cannot be read: {e.error}")
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
        scn = scn.model_copy(update={"name": n}, deep=True)
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
        o, n = normalise_name(old), normalise_name(new)
        with self._lock():
            e = self._entry(o)
            if not e.ok:
                raise UnreadableEntry(f"cannot rename {e.name!r}: the file cannot be read ({e.error})")
            if n == e.name:
                return e
            clash = self._find(n)
            if clash is not None and clash.resolve() != e.file.resolve() and not overwrite:
                raise ScenarioExists(n)
            assert e.scenario is not None
            scn = e.scenario.model_copy(update={"name": n}, deep=True)
            target = clash or (self.folder / safe_filename(n))
            self._inside(target)
            # new file first, then remove the old: a crash in between leaves both, never neither
            self._write_atomic(target, render_saved(scn, n, e.note, e.saved_at), overwrite=clash is not None, name=n)
            if self._inside(e.file) != target.resolve():
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self._inside(e.file))
                self._fsync_dir()
        return read_saved_file(target)

    def duplicate(self, name: str, new: Optional[str] = None, note: Optional[str] = None) -> SavedScenario:
        """Save a copy of a saved scenario under ``new`` (default: "NAME (copy)", numbered)."""
        with self._lock():
            e = self.get(name)
            assert e.scenario is not None
            if new is None:
                base = normalise_name(f"{e.name[:MAX_NAME_CHARS - 12]} (copy)")
                n, i = base, 2
                while self._find(n) is not None:
                    n = normalise_name(f"{e.name[:MAX_NAME_CHARS - 12]} (copy {i})")
                    i += 1
            else:
                n = normalise_name(new)
                if self._find(n) is not None:
                    raise ScenarioExists(n)
            scn = e.scenario.model_copy(update={"name": n}, deep=True)
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
                raise ScenarioNotFound(normalise_name(name))
            p = self._inside(p)
            try:
                os.unlink(p)
            except FileNotFoundError:
                raise ScenarioNotFound(normalise_name(name)) from None
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
            raise StoreError("an upload must be bytes")
        if len(data) > MAX_FILE_BYTES:
            raise UploadTooLarge(len(data))
        scn, meta = parse_saved_text(_decode(bytes(data), source), source)
        n = name if name is not None else (meta.get("name") if isinstance(meta.get("name"), str) else None) or scn.name
        nt = note if note is not None else (meta.get("note") if isinstance(meta.get("note"), str) else "")
        return self.save(scn, n, nt, overwrite=overwrite)

    def download(self, name: str) -> bytes:
        """The saved file's bytes, exactly as stored (it uploads back unchanged)."""
        p = self._find(name)
        if p is None:
            raise ScenarioNotFound(normalise_name(name))
        try:
            return self._inside(p).read_bytes()
        except OSError as exc:
            raise StoreError(f"cannot read {p.name}: {exc.strerror or exc}") from None

    def download_filename(self, name: str) -> str:
        """A file name to offer for a download of that scenario."""
        p = self._find(name)
        return p.name if p is not None else safe_filename(name)
