"""Functions the sandbox tests run in a child process (importable by name from a forkserver
child, which a test module with pytest's imports is not, cheaply)."""
from __future__ import annotations

import os
import time

from sim.model.errors import CodedError, ScenarioError


def double(x: int) -> int:
    return 2 * x


def allocate(mb: int) -> int:
    """Python-level allocation: MemoryError under the limit."""
    block = bytearray(mb * 2**20)
    return len(block)


def spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def abort() -> None:
    """What a native parser does when its allocator fails."""
    os.write(2, b"memory allocation of 549755813888 bytes failed\n")
    os.abort()


def segfault() -> None:
    import ctypes

    ctypes.string_at(0)


def refuse() -> None:
    raise CodedError("rec_no_header")


def refuse_field() -> None:
    raise ScenarioError.one("teams.0.judges", "le", 900, limit=500)


def nested() -> int:
    from sim.model.sandbox import inside, run_isolated

    assert inside()
    return run_isolated(double, 21)  # runs where it is: already limited


def pid() -> int:
    return os.getpid()
