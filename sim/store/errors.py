"""What can go wrong with the store that a user can cause, as coded errors (rendered in any
language by :mod:`sim.vocabulary.messages`), and a write's ``OSError`` said in those terms."""
from __future__ import annotations

import errno
from pathlib import Path

from ..model.errors import CodedError, FieldError
from ..model.loader import MAX_BYTES

MAX_FILE_BYTES = MAX_BYTES


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


_WRITE_CODES = {errno.EROFS: "folder_readonly", errno.ENOSPC: "folder_full", errno.EDQUOT: "folder_full",
                errno.EACCES: "folder_permission", errno.EPERM: "folder_permission",
                errno.ENAMETOOLONG: "name_too_long"}


def _write_error(exc: OSError, folder: Path) -> StoreError:
    """A write's OSError as a StoreError that says what is wrong with the folder."""
    return StoreError(_WRITE_CODES.get(exc.errno or 0, "folder_error"), folder=str(folder),
                      reason=exc.strerror or str(exc))
