"""File primitives shared by the engine's stores (the scenario store, the training sessions): an
exclusive ``flock`` for read-check-write steps, and a folder's entries made durable."""
from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator, Union

try:  # pragma: no cover - every supported system has fcntl; without it writes are still atomic
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]


@contextlib.contextmanager
def exclusive_lock(path: Union[str, Path]) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the block; other processes
    and threads asking for it wait. Raises ``OSError`` when the file cannot be opened."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def fsync_dir(folder: Union[str, Path]) -> None:
    """Flush ``folder``'s entries (a rename into it) to disk; best effort."""
    with contextlib.suppress(OSError):
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
