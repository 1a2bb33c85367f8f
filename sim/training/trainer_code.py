"""The trainer code: what opens the trainer's view of the training page.

Two places it can come from. A server started with ``COURT_SIM_TRAINER_CODE`` uses that code
(it cannot be changed from the page). Without it, the first trainer to open the training page
sets a code there; only a salted scrypt hash of it is kept, in ``trainer.json`` in the training
folder (:func:`sim.training.session.training_folder`), so the code survives a restart and no
file holds it in clear. Whoever knows the code may change it from the trainer's view.

Why not refuse the trainer's view without the environment variable (as before): a trainer who
started the app with one command found no way to run a session from the page at all.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Optional

from ..store.files import exclusive_lock
from .session import SessionError, atomic_write, read_json, training_folder

ENV = "COURT_SIM_TRAINER_CODE"
FILE = "trainer.json"
MIN_LEN, MAX_LEN = 6, 64
#: scrypt's cost (2^14, r 8: about 16 MB and a few hundredths of a second a check)
_N, _R, _P = 2 ** 14, 8, 1


def _env_code() -> str:
    return os.environ.get(ENV, "").strip()


def _path(folder: Optional[Path]) -> Path:
    return (folder or training_folder()) / FILE


def _hash(code: str, salt: bytes) -> str:
    return hashlib.scrypt(code.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32).hex()


def source(folder: Optional[Path] = None) -> Optional[str]:
    """``"env"`` when the server was started with a code, ``"page"`` when one was set on the
    page, None when there is none yet (the page then asks the first trainer to set one)."""
    if _env_code():
        return "env"
    return "page" if _path(folder).is_file() else None


def check(code: str, folder: Optional[Path] = None) -> bool:
    """Whether ``code`` is the trainer code (compared in constant time); False without one."""
    typed = (code or "").strip()
    want = _env_code()
    if want:
        return hmac.compare_digest(typed.encode("utf-8"), want.encode("utf-8"))
    path = _path(folder)
    if not typed or not path.is_file():
        return False
    try:
        data = read_json(path)
        salt = bytes.fromhex(str(data["salt"]))
        stored = str(data["scrypt"])
    except (SessionError, KeyError, ValueError):
        return False  # a damaged file opens nothing; setting a new code replaces it
    return hmac.compare_digest(_hash(typed, salt), stored)


def set_code(code: str, repeat: str, folder: Optional[Path] = None, current: Optional[str] = None) -> None:
    """Set the trainer code kept in the training folder; raises :class:`SessionError`.

    ``repeat`` must equal ``code`` (a typo would lock the trainer out). When a code is already
    set, ``current`` must be it; when the server's code comes from the environment, the page
    cannot change it (``trainer_code_env``).
    """
    if _env_code():
        raise SessionError("trainer_code_env")
    new = (code or "").strip()
    if not (MIN_LEN <= len(new) <= MAX_LEN) or not new.isprintable():
        raise SessionError("trainer_code_length", lo=MIN_LEN, hi=MAX_LEN)
    if new != (repeat or "").strip():
        raise SessionError("trainer_code_mismatch")
    path = _path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(path.parent / ".trainer.lock"):  # two first trainers at once: one sets it
        if path.is_file() and not check(current or "", folder):
            raise SessionError("trainer_code_wrong")
        salt = secrets.token_bytes(16)
        atomic_write(path, {"salt": salt.hex(), "scrypt": _hash(new, salt), "n": _N, "r": _R, "p": _P})
