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
import errno
import os
import stat
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Iterator, Optional, Union

from ..model.errors import ScenarioError, field_error
from ..model.loader import decode_text, file_kind, read_file_bytes
from ..model.scenario import Scenario
from ..vocabulary.safe_text import without_refused

# the store's pieces, one module each; their public names are imported from here as before
from .errors import (
    _WRITE_CODES,
    MAX_FILE_BYTES,
    InvalidName,
    InvalidScenarioFile,
    ScenarioExists,
    ScenarioNotFound,
    StoreError,
    UploadTooLarge,
    _write_error,
)
from .files import exclusive_lock, fsync_dir
from .names import (
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    _clean_note,
    _lookup_name,
    normalise_name,
    safe_filename,
)
from .saved import (
    BUILTIN_FOLDER,
    FORMAT_VERSION,
    META_PREFIX,
    SUFFIXES,
    SavedScenario,
    UnreadableEntry,
    _is_file,
    _prefetch,
    _read_meta,
    _renamed_raw,
    builtin_scenarios,
    parse_saved_text,
    read_saved_file,
    render_saved,
)

__all__ = ["BUILTIN_FOLDER", "DEFAULT_FOLDER", "ENV_VAR", "FORMAT_VERSION", "MAX_FILE_BYTES", "MAX_NAME_CHARS",
           "MAX_NOTE_CHARS", "META_PREFIX", "InvalidName", "InvalidScenarioFile", "SavedScenario", "ScenarioExists",
           "ScenarioNotFound", "ScenarioStore", "StoreError", "UnreadableEntry", "UploadTooLarge", "builtin_scenarios",
           "load_scenario_arg", "normalise_name", "parse_saved_text", "read_saved_file", "render_saved",
           "safe_filename"]

try:  # Linux and macOS; elsewhere the link-based create below still prevents lost files
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

ENV_VAR = "COURT_SIM_SCENARIO_DIR"
DEFAULT_FOLDER = BUILTIN_FOLDER / "saved"
LOCK_NAME = ".store.lock"
TMP_PREFIX = ".tmp-"
TMP_SUFFIX = ".part"
TMP_MIN_AGE = 60.0            # seconds: a temporary file younger than this is never removed
RAW_SHOW_BYTES = 64_000       # how much of an unreadable file is shown as text


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
