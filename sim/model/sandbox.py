"""Parsing what a user sends in a child process that may use only so much memory and time.

A file's parser (python-calamine's Rust code, the csv module, libyaml) runs in the server's
process unless told otherwise; a file built to make it allocate 512 GiB or loop for ever then
takes the server, and everyone's session with it, down. :func:`run_isolated` runs one parse in
a child process instead, with

- an address-space limit (``RLIMIT_AS``) of what the child already maps plus
  :data:`MEMORY_MB` (``COURT_SIM_PARSE_MEMORY_MB``), so an allocation beyond it fails in the
  child (Python raises MemoryError; Rust's allocator aborts the child);
- a wall-clock limit of :data:`SECONDS` (``COURT_SIM_PARSE_SECONDS``), after which the child is
  killed (and a CPU-time limit just above it, in case the parent is gone);
- no core dump, and its stderr kept in a temporary file, whose last words say how much an
  aborted allocation asked for.

Whatever the child does, the caller gets the child's return value, the exception it raised
(re-raised here: the engine's coded errors pickle whole, see :mod:`sim.model.errors`), or a
:class:`SandboxError` (``parse_memory``, ``parse_time``, ``parse_crashed``) with the limit in
its parameters. At most :data:`PARALLEL` parses run at once (others wait their turn), so many
uploads at once cannot together take the machine's memory.

How the child starts: under a server with threads (Streamlit), from multiprocessing's
forkserver, the same one the engine's worker pools use (a fork of a multi-threaded process
could inherit a lock another thread held); in a process with one thread (the command line,
most tests), by a plain fork, which costs a few milliseconds and no imports. The forkserver
preloads the engine's worker module (which imports the model and this module), so whichever of
the two starts it first, it serves both. A forkserver child would run the parent's ``__main__``
again (``app.py`` under Streamlit, which is why app.py draws the page only under ``if __name__
== "__main__"``); ours are prepared without it, since a parse needs nothing of it.
"""
from __future__ import annotations

import faulthandler
import multiprocessing as mp
import multiprocessing.connection as mp_connection
import os
import re
import signal
import sys
import tempfile
import threading
import time
from typing import Any, Callable, Optional

from .errors import CodedError

try:  # POSIX; elsewhere only the time limit applies
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]


def _env_number(name: str, default: float) -> float:
    try:
        v = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return v if v > 0 else default


#: memory a parse may use beyond what its process maps at the start (MB)
MEMORY_MB = int(_env_number("COURT_SIM_PARSE_MEMORY_MB", 3072))
#: wall-clock seconds a parse may take
SECONDS = _env_number("COURT_SIM_PARSE_SECONDS", 120.0)
#: parses running at once (the rest wait): one per core, at least two
PARALLEL = max(2, os.cpu_count() or 1)
#: what the forkserver imports before it forks: the engine's worker module (see the docstring)
PRELOAD = ["sim.analysis.runner"]

#: the children's name: the forkserver gives them nothing of ``__main__`` (see _without_main)
CHILD_NAME = "court-sim-parse"

_SLOTS = threading.BoundedSemaphore(PARALLEL)
_INSIDE = False  # True in a child: a parse inside a parse runs where it is, already limited
_ASKED = re.compile(rb"memory allocation of (\d+) bytes failed")


class SandboxError(CodedError):
    """A parse that was stopped: ``parse_memory`` (``limit_mb``, ``asked_mb`` when the parser
    said how much it asked for), ``parse_time`` (``limit_s``) or ``parse_crashed``
    (``signal``)."""

    code = "parse_crashed"


def inside() -> bool:
    """True in the child of :func:`run_isolated` (and so already under its limits)."""
    return _INSIDE


def _mapped_bytes() -> int:
    """The address space this process maps now (0 when it cannot be read)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _without_main(original: Callable[[str], dict]) -> Callable[[str], dict]:
    """multiprocessing's preparation data for a new child, without the main module for ours.

    A forkserver child runs the parent's ``__main__`` again before its function: ``app.py``
    under Streamlit (harmless, guarded), but under a test's ``AppTest.from_function`` a
    temporary script that fails as ``__mp_main__``. A parse needs nothing of ``__main__`` (its
    function lives in ``sim``), so our children are prepared without it.
    """
    if getattr(original, "_court_sim", False):
        return original

    def get_preparation_data(name: str) -> dict:
        data = original(name)
        if name.startswith(CHILD_NAME):
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
        return data

    get_preparation_data._court_sim = True  # type: ignore[attr-defined]
    return get_preparation_data


def _context() -> Any:
    if sys.platform == "win32":  # pragma: no cover
        return mp.get_context("spawn")
    if threading.active_count() == 1 and "fork" in mp.get_all_start_methods():
        return mp.get_context("fork")
    from multiprocessing import spawn

    spawn.get_preparation_data = _without_main(spawn.get_preparation_data)
    ctx = mp.get_context("forkserver")
    try:
        ctx.set_forkserver_preload(PRELOAD)
    except Exception:  # pragma: no cover - preload is only an optimisation
        pass
    return ctx


def _limit(kind: int, value: int) -> None:
    soft, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    if soft == resource.RLIM_INFINITY or value < soft:
        resource.setrlimit(kind, (value, value if hard == resource.RLIM_INFINITY else hard))


def _one_malloc_arena() -> None:
    """glibc's malloc, refused memory by the address-space limit, tries to make a new arena
    (a 64 MiB reservation) on every call and fails slowly: a parse at its limit crawled until
    the time limit instead of failing at once. With one arena it fails at once (MemoryError)."""
    try:
        import ctypes

        ctypes.CDLL(None).mallopt(-8, 1)  # M_ARENA_MAX = -8
    except (OSError, AttributeError):  # not glibc
        pass


def _child(conn: Any, err_path: str, fn: Callable[..., Any], args: tuple, memory: int, seconds: float) -> None:
    """The child's body: limits first, then ``fn(*args)``, then one message to the parent."""
    global _INSIDE
    _INSIDE = True
    faulthandler.disable()  # a parent's fault handler (pytest's) would print the child's end elsewhere
    if err_path:
        try:
            fd = os.open(err_path, os.O_WRONLY | os.O_TRUNC)
            os.dup2(fd, 2)
            os.close(fd)
        except OSError:
            pass
    _one_malloc_arena()
    if resource is not None:
        _limit(resource.RLIMIT_CORE, 0)
        _limit(resource.RLIMIT_CPU, int(seconds) + 2)
        base = _mapped_bytes()
        if base:
            _limit(resource.RLIMIT_AS, base + memory)
    try:
        result: tuple = ("ok", fn(*args))
    except MemoryError:
        result = ("memory", None)
    except BaseException as exc:  # noqa: BLE001 - every outcome goes back to the parent
        result = ("raised", exc)
    try:
        conn.send(result)
    except MemoryError:
        result = None  # the result did not fit through the pipe: free it before saying so
        conn.send(("memory", None))
    except Exception as exc:  # noqa: BLE001 - an exception that does not pickle
        conn.send(("crashed", f"{type(exc).__name__}: {exc}"[:200]))
    finally:
        conn.close()


def run_isolated(fn: Callable[..., Any], *args: Any, memory_mb: Optional[int] = None,
                 seconds: Optional[float] = None) -> Any:
    """``fn(*args)`` computed in a child process under a memory and a time limit.

    ``fn`` must be a module-level function and its arguments and result picklable. Returns what
    ``fn`` returns, re-raises what it raises, and raises :class:`SandboxError` when the child
    is stopped (too much memory, too long, a crash). Inside such a child, ``fn`` just runs.
    """
    if _INSIDE or mp.current_process().daemon:
        # inside a child (already limited); or in a daemonic worker (a Dask worker), which may
        # not start children: the engine's workers never parse what a user sends, so such a
        # call only stays working, as before
        return fn(*args)
    mem = int((memory_mb or MEMORY_MB) * 2**20)
    secs = float(seconds or SECONDS)
    with _SLOTS:
        try:
            fd, err_path = tempfile.mkstemp(prefix="court-sim-parse-", suffix=".err")
            os.close(fd)
        except OSError:  # no temporary folder: the child's last words go to our stderr, unread
            err_path = ""
        try:
            return _run(fn, args, mem, secs, err_path)
        finally:
            if err_path:
                try:
                    os.unlink(err_path)
                except OSError:
                    pass


def _run(fn: Callable[..., Any], args: tuple, mem: int, secs: float, err_path: str) -> Any:
    ctx = _context()
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, err_path, fn, args, mem, secs), daemon=True, name=CHILD_NAME)
    proc.start()
    send.close()
    deadline = time.monotonic() + secs
    msg: Optional[tuple] = None
    timed_out = False
    try:
        # the answer, or the child's end (its sentinel), whichever comes first
        ready = mp_connection.wait([recv, proc.sentinel], timeout=secs)
        if not ready:
            timed_out = True
        elif recv in ready or recv.poll(0):
            try:
                msg = recv.recv()
            except (EOFError, OSError):
                msg = None  # the child died before it could answer
    finally:
        if proc.is_alive() and (timed_out or msg is None):
            proc.kill()
        proc.join(max(1.0, deadline - time.monotonic()) if msg is not None else 10)
        if proc.is_alive():  # pragma: no cover - answered, then hung on its way out
            proc.kill()
            proc.join(10)
        recv.close()
    limit_mb = mem // 2**20
    if timed_out:
        raise SandboxError("parse_time", limit_s=secs)
    if msg is None:
        raise _death(proc.exitcode, err_path, limit_mb, secs)
    kind, value = msg
    if kind == "ok":
        return value
    if kind == "raised":
        raise value
    if kind == "memory":
        raise SandboxError("parse_memory", limit_mb=limit_mb, asked_mb=None)
    raise SandboxError("parse_crashed", signal=str(value))


def _death(exitcode: Optional[int], err_path: str, limit_mb: int, secs: float) -> SandboxError:
    """Why a child died without answering, from its exit status and its last words."""
    try:
        if not err_path:
            raise OSError("no file")
        with open(err_path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 65536))
            tail = fh.read()
    except OSError:
        tail = b""
    asked = _ASKED.search(tail)
    if asked is not None or b"MemoryError" in tail or b"out of memory" in tail.lower():
        return SandboxError("parse_memory", limit_mb=limit_mb,
                            asked_mb=int(asked.group(1)) / 2**20 if asked else None)
    sig = -exitcode if exitcode is not None and exitcode < 0 else None
    if sig in (signal.SIGXCPU,):
        return SandboxError("parse_time", limit_s=secs)
    if sig == signal.SIGKILL:  # not ours (we kill only on time-out): the kernel's OOM killer
        return SandboxError("parse_memory", limit_mb=limit_mb, asked_mb=None)
    name = signal.Signals(sig).name if sig else f"exit status {exitcode}"
    return SandboxError("parse_crashed", signal=name)
