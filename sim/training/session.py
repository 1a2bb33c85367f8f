"""Training sessions on disk: groups join, submit plans, and only ever change their own.

A session is a folder under the training folder (``COURT_SIM_TRAINING_DIR``, default
``scenarios/training/``) named by a short code the trainer reads out::

    <code>/session.json          exercise, created, revealed
    <code>/groups/<id>.json      one file per group: name, hash of its token, plan, time
    <code>/results/<key>.json    per-replication figures of one plan (shared by identical plans)
    <code>/answer.json           the best answer, once computed

Every write goes to a fsynced temporary file in the same folder and is renamed into place, so
a reader never sees half a file. Joining, submitting and revealing hold an ``flock`` on the
session's lock file for their read-check-write, so twelve groups submitting at once lose
nothing, and two groups can never take the same name. Each group gets a random token when it
joins (kept in the browser's session state; only its SHA-256 is stored): a submission whose
token does not match the group's is refused, so no group can change another's plan.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Union

from ..model.errors import CodedError, ScenarioError
from ..model.loader import decode_text, read_file_bytes
from ..model.scenario import Scenario
from ..store.files import exclusive_lock, fsync_dir
from ..vocabulary.safe_text import describe_chars, refused_in_name
from .exercise import ROOT, Exercise
from .plan import Plan, check_plan, plan_from_dict

DEFAULT_FOLDER = ROOT / "scenarios" / "training"
#: a class has 8-15 groups; a cap keeps a mistyped script from filling the disk
MAX_GROUPS = 40
MAX_NAME = 40
#: session codes: no 0/O or 1/I/L to misread on a projector
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_CODE = re.compile(r"^[A-Z2-9]{6}$")
_GID = re.compile(r"^[0-9a-f]{16}$")
_KEY = re.compile(r"^[0-9a-f]{16,64}$")


class SessionError(CodedError):
    """A session request that cannot be done (code + params, rendered in either language);
    ``problems``: for a plan outside the limits, the checker's coded problems."""

    problems: list = []


def training_folder() -> Path:
    """Where sessions live: ``COURT_SIM_TRAINING_DIR`` or ``scenarios/training``."""
    env = os.environ.get("COURT_SIM_TRAINING_DIR", "").strip()
    return Path(env) if env else DEFAULT_FOLDER


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def clean_name(name: Any) -> str:
    """A group's name, normalised (NFC, spaces collapsed); raises :class:`SessionError`, naming
    any control or format character (a right-to-left override U+202E) the name holds."""
    text = " ".join(unicodedata.normalize("NFC", name).split()) if isinstance(name, str) else ""
    bad = refused_in_name(text)
    if bad:
        raise SessionError("ses_name_chars", chars=describe_chars(bad))
    if not text or len(text) > MAX_NAME or not text.isprintable():
        raise SessionError("ses_name_invalid")
    return text


def atomic_write(target: Path, data: dict) -> None:
    """Write ``data`` as JSON to ``target`` through a fsynced temporary file and a rename."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=target.parent)
    try:
        blob = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
        view = memoryview(blob)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp, target)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(target.parent)


def read_json(path: Path) -> dict:
    """A JSON object file, read with the engine's safe reader; raises :class:`SessionError`."""
    try:
        data = json.loads(decode_text(read_file_bytes(path)))
    except (ScenarioError, ValueError) as exc:
        reason = str(exc.errors[0]) if isinstance(exc, ScenarioError) and exc.errors else str(exc)[:200]
        raise SessionError("ses_unreadable", file=path.name, reason=reason) from None
    if not isinstance(data, dict):
        raise SessionError("ses_unreadable", file=path.name, reason="not a JSON object")
    return data


def _check_token(data: dict, token: Any) -> None:
    """Refuse (``ses_not_yours``) a token that is not the one the group file's hash was made of."""
    if not isinstance(token, str) or not hmac.compare_digest(_digest(token), str(data.get("token_sha256"))):
        raise SessionError("ses_not_yours")


@dataclass(frozen=True)
class SessionInfo:
    """A session: its code, exercise, when it was created, and whether the answer is shown."""

    code: str
    exercise: str
    created: str
    revealed: bool


@dataclass(frozen=True)
class Group:
    """A group of a session, with its submitted plan (None before it submits) or, for a
    damaged file, ``problem``."""

    id: str
    name: str
    joined: str
    plan: Optional[Plan] = None
    submitted_at: str = ""
    revision: int = 0
    problem: str = ""


class TrainingStore:
    """Sessions in ``folder`` (default :func:`training_folder`)."""

    def __init__(self, folder: Union[str, Path, None] = None):
        self.folder = Path(folder) if folder is not None else training_folder()

    # --- paths and locking ---------------------------------------------------------------
    def _dir(self, code: str) -> Path:
        code = code.strip().upper() if isinstance(code, str) else ""
        d = self.folder / code
        if not _CODE.match(code) or not (d / "session.json").is_file():
            raise SessionError("ses_not_found", name=code[:20])
        return d

    def _lock(self, d: Path) -> contextlib.AbstractContextManager:
        return exclusive_lock(d / ".lock")

    # --- sessions ------------------------------------------------------------------------
    def create(self, exercise_id: str) -> str:
        """A new session of ``exercise_id``; returns its code."""
        self.folder.mkdir(parents=True, exist_ok=True)
        while True:
            code = "".join(secrets.choice(_ALPHABET) for _ in range(6))
            d = self.folder / code
            try:
                d.mkdir()
            except FileExistsError:
                continue
            (d / "groups").mkdir()
            (d / "results").mkdir()
            atomic_write(d / "session.json", {"exercise": exercise_id, "created": _now(), "revealed": False})
            return code

    def session(self, code: str) -> SessionInfo:
        """The session ``code``; raises :class:`SessionError` when there is none."""
        d = self._dir(code)
        data = read_json(d / "session.json")
        return SessionInfo(d.name, str(data.get("exercise", "")), str(data.get("created", "")),
                           bool(data.get("revealed", False)))

    def sessions(self) -> list[SessionInfo]:
        """Every readable session, newest first."""
        out = []
        with contextlib.suppress(OSError):
            for d in self.folder.iterdir():
                with contextlib.suppress(SessionError):
                    out.append(self.session(d.name))
        return sorted(out, key=lambda s: s.created, reverse=True)

    def reveal(self, code: str, revealed: bool = True) -> None:
        """Show (or hide again) the answer and the debrief to every group."""
        d = self._dir(code)
        with self._lock(d):
            data = read_json(d / "session.json")
            data["revealed"] = bool(revealed)
            atomic_write(d / "session.json", data)

    def stamp(self, code: str) -> tuple[bool, int]:
        """What the trainer changes of a group's page: whether the answer is revealed, and (once
        it is) the answer file's modification time (0 before it exists). Cheap — one small file
        read and one ``stat`` — so every group's page can poll it every few seconds."""
        d = self._dir(code)
        revealed = bool(read_json(d / "session.json").get("revealed", False))
        if not revealed:
            return False, 0
        try:
            return True, (d / "answer.json").stat().st_mtime_ns
        except FileNotFoundError:
            return True, 0

    # --- groups --------------------------------------------------------------------------
    def join(self, code: str, name: str) -> tuple[str, str]:
        """Add a group named ``name``; returns (group id, token). The token is shown only here:
        keep it in the group's browser session to submit later."""
        d = self._dir(code)
        name = clean_name(name)
        with self._lock(d):
            groups = self.groups(code)
            if any(g.name.casefold() == name.casefold() for g in groups):
                raise SessionError("ses_name_taken", name=name)
            if len(groups) >= MAX_GROUPS:
                raise SessionError("ses_too_many", n=len(groups))
            gid, token = secrets.token_hex(8), secrets.token_urlsafe(24)
            atomic_write(d / "groups" / f"{gid}.json",
                         {"name": name, "token_sha256": _digest(token), "joined": _now(), "plan": None,
                          "submitted_at": "", "revision": 0})
        return gid, token

    def _group_file(self, d: Path, gid: str) -> Path:
        p = d / "groups" / f"{gid}.json"
        if not isinstance(gid, str) or not _GID.match(gid) or not p.is_file():
            raise SessionError("ses_not_yours")
        return p

    def submit(self, code: str, gid: str, token: str, plan: Union[Plan, dict], ex: Exercise,
               start: Scenario) -> Group:
        """Store ``plan`` as group ``gid``'s submission, replacing its earlier one.

        Refused (:class:`SessionError`) when the token is not the group's, or the plan is not
        within the exercise's limits (the first problem is named).
        """
        d = self._dir(code)
        p = plan if isinstance(plan, Plan) else plan_from_dict(plan)
        check = check_plan(ex, start, p)
        if not check.ok:
            exc = SessionError("ses_outside_limits", detail=str(check.problems[0]))
            exc.problems = check.problems  # coded, for a page to show in its own language
            raise exc
        with self._lock(d):
            f = self._group_file(d, gid)
            data = read_json(f)
            _check_token(data, token)
            data.update(plan=p.model_dump(mode="json"), submitted_at=_now(),
                        revision=int(data.get("revision", 0)) + 1)
            atomic_write(f, data)
        return self._group(f)

    def group(self, code: str, gid: str, token: str) -> Group:
        """Group ``gid`` of session ``code``, for the holder of its token only (a browser that
        comes back to the session, e.g. after a refresh); raises :class:`SessionError`."""
        f = self._group_file(self._dir(code), gid)
        _check_token(read_json(f), token)
        return self._group(f)

    def _group(self, f: Path) -> Group:
        try:
            data = read_json(f)
            plan = None if data.get("plan") is None else plan_from_dict(data["plan"])
            return Group(f.stem, clean_name(data.get("name")), str(data.get("joined", "")), plan,
                         str(data.get("submitted_at", "")), int(data.get("revision", 0)))
        except (SessionError, ScenarioError, ValueError, TypeError) as exc:
            return Group(f.stem, f.name, "", problem=str(exc)[:200])

    def groups(self, code: str) -> list[Group]:
        """Every group of the session in the order they joined; a damaged file is listed with
        its problem."""
        d = self._dir(code)
        files = sorted((d / "groups").glob("*.json"))
        return sorted((self._group(f) for f in files), key=lambda g: (g.joined, g.id))

    # --- results and the answer ----------------------------------------------------------
    def load_result(self, code: str, key: str) -> Optional[dict]:
        """The stored figures of plan ``key``, or None."""
        p = self._dir(code) / "results" / f"{key}.json"
        if not _KEY.match(key) or not p.is_file():
            return None
        with contextlib.suppress(SessionError):
            return read_json(p)
        return None

    def save_result(self, code: str, key: str, data: dict) -> None:
        """Store the figures of plan ``key`` (written whole, never half)."""
        if not _KEY.match(key):
            raise ValueError("result keys are hexadecimal hashes")
        atomic_write(self._dir(code) / "results" / f"{key}.json", data)

    def load_answer(self, code: str) -> Optional[dict]:
        """The best answer, once computed."""
        p = self._dir(code) / "answer.json"
        with contextlib.suppress(SessionError):
            return read_json(p) if p.is_file() else None
        return None

    def save_answer(self, code: str, data: dict) -> None:
        """Store the best answer."""
        atomic_write(self._dir(code) / "answer.json", data)


__all__ = ["Group", "MAX_GROUPS", "SessionError", "SessionInfo", "TrainingStore", "atomic_write", "clean_name",
           "training_folder"]
