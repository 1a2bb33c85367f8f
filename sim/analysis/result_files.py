"""Results kept on disk, so a freshly started server shows a setting's figures without running it.

The app's results cache lives in the server process and is gone when the server restarts; the
first visitor of a fresh server then waited 8–17 s for the default scenario's twenty
replications. Every finished run is also written here, one file per run, named by a hash of:

- the scenario's content (:func:`sim.analysis.runner.scenario_key`: every parameter),
- the replications and the seed,
- the code version (:func:`code_version`: every source file of ``sim/`` and the versions of
  the libraries whose numbers the figures depend on),

so a file is found only by the very run it holds, and any change to the scenario, the seed or
the code makes a new name (the old file is never read again and ages out). The figures are
stored as NumPy arrays with their dtypes (``.npz``, read with ``allow_pickle=False``: no code
is ever loaded from a file) and the rest as JSON, whose floats round-trip exactly, so a result
read back is identical, figure for figure, to a fresh run.

``COURT_SIM_CACHE_DIR`` names the folder (default: ``$XDG_CACHE_HOME/court-sim/results``, else
``~/.cache/court-sim/results``); ``off`` turns the files off. At most :data:`MAX_FILES` are
kept, the least recently used go first. A file that cannot be read is deleted and the run made
again; a folder that cannot be written only means nothing is kept (said once, as a warning).
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
import os
import sys
import tempfile
import warnings
import zipfile
from pathlib import Path
from typing import Any, Optional

import numpy as np

from ..model.figures import FIGURES
from ..model.scenario import Scenario
from .results import Results

ENV = "COURT_SIM_CACHE_DIR"
OFF = "off"
MAX_FILES = 256
SUFFIX = ".npz"
_warned = False


def folder() -> Optional[Path]:
    """Where results are kept (None when ``COURT_SIM_CACHE_DIR=off``); read on every call."""
    env = os.environ.get(ENV, "").strip()
    if env.lower() == OFF:
        return None
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "court-sim" / "results"


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of every ``sim/`` source file (path and bytes) and of the Python, NumPy, SciPy and
    SimPy versions: what a run's figures can depend on besides the scenario, replications and seed."""
    import scipy
    import simpy

    libs = f"{sys.version_info[:3]}|{np.__version__}|{scipy.__version__}|{simpy.__version__}"
    return source_hash(Path(__file__).resolve().parent.parent, libs)


def source_hash(root: Path, extra: str = "") -> str:
    """A hash of every ``.py`` file below ``root`` (its path and bytes), and ``extra``."""
    h = hashlib.sha256()
    for p in sorted(root.rglob("*.py")):
        h.update(str(p.relative_to(root)).encode("utf-8") + b"\0" + p.read_bytes() + b"\0")
    h.update(extra.encode("utf-8"))
    return h.hexdigest()


def file_name(scenario_key: str, replications: int, seed: int) -> str:
    """The file that holds the run of the scenario whose content hash is ``scenario_key``."""
    blob = f"{scenario_key}|{int(replications)}|{int(seed)}|{code_version()}".encode("utf-8")
    return hashlib.sha256(blob).hexdigest() + SUFFIX


def _plain(x: Any) -> Any:
    """JSON's view of NumPy scalars and arrays inside staffing rows and warnings."""
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, np.generic):
        return x.item()
    raise TypeError(f"cannot keep {type(x).__name__}")


def dumps(res: Results) -> bytes:
    """``res`` as the bytes of a file (see the module docstring). Every field of
    :class:`Results` is kept (arrays and tables of arrays as arrays, the rest as JSON) but the
    scenario, which the file's name stands for."""
    arrays: dict[str, np.ndarray] = {}
    meta: dict[str, Any] = {}
    kinds: dict[str, Any] = {}
    for f in dataclasses.fields(Results):
        if f.name == "scenario":
            continue
        v = getattr(res, f.name)
        if isinstance(v, np.ndarray):
            kinds[f.name] = "array"
            arrays[f.name] = v
        elif isinstance(v, dict) and v and all(isinstance(x, np.ndarray) for x in v.values()):
            kinds[f.name] = list(v)  # a table of arrays: its keys, in order
            for j, x in enumerate(v.values()):
                arrays[f"{f.name}.{j}"] = x
        else:
            kinds[f.name] = "json"
            meta[f.name] = v
    meta["kinds"] = kinds
    arrays["meta.json"] = np.frombuffer(json.dumps(meta, default=_plain, ensure_ascii=False).encode("utf-8"),
                                        dtype=np.uint8)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def loads(data: bytes, scn: Scenario, replications: int, seed: int) -> Results:
    """The results :func:`dumps` wrote, for ``scn``; ValueError when the bytes are not such a
    file or do not hold ``replications`` replications of seed ``seed`` of ``scn``'s teams."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        meta = json.loads(arrays.pop("meta.json").tobytes().decode("utf-8"))
        kw: dict[str, Any] = {"scenario": scn}
        for name, kind in meta.pop("kinds").items():
            if kind == "array":
                kw[name] = arrays[name]
            elif kind == "json":
                kw[name] = meta[name]
            else:
                kw[name] = {key: arrays[f"{name}.{j}"] for j, key in enumerate(kind)}
        res = Results(**kw)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise ValueError(f"not a kept result: {exc}") from exc
    if (res.replications, res.seed) != (int(replications), int(seed)) or set(res.summary_reps) != set(FIGURES) \
            or any(len(v) != res.replications for v in res.summary_reps.values()) \
            or res.team_names != [tm.name for tm in scn.teams]:
        raise ValueError("the file does not hold this run")
    return res


def load(scenario_key: str, scn: Scenario, replications: int, seed: int) -> Optional[Results]:
    """The kept results of this run, or None (none kept, files off, or a file that cannot be
    read, which is then deleted)."""
    where = folder()
    if where is None:
        return None
    path = where / file_name(scenario_key, replications, seed)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        res = loads(data, scn, replications, seed)
    except ValueError:
        path.unlink(missing_ok=True)
        return None
    try:
        os.utime(path)  # used: the last to go
    except OSError:
        pass
    return res


def save(scenario_key: str, res: Results) -> Optional[Path]:
    """Keep ``res`` (a finished run of the scenario whose content hash is ``scenario_key``);
    returns the file, or None when files are off or the folder cannot be written."""
    where = folder()
    if where is None:
        return None
    path = where / file_name(scenario_key, res.replications, res.seed)
    try:
        where.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".part-", suffix=SUFFIX)
        with os.fdopen(fd, "wb") as f:
            f.write(dumps(res))
        os.replace(tmp, path)  # whole or not at all: a reader never sees half a file
        _trim(where)
    except OSError as exc:
        _warn_once(f"results are not kept in {where}: {exc}")
        return None
    return path


def _trim(where: Path) -> None:
    """Delete the least recently used files beyond :data:`MAX_FILES`."""
    files = []
    for p in where.glob("*" + SUFFIX):
        if p.name.startswith("."):  # another writer's file, not yet renamed into place
            continue
        try:
            files.append((p.stat().st_mtime, p))
        except OSError:
            continue
    files.sort()
    for _, p in files[:max(0, len(files) - MAX_FILES)]:
        p.unlink(missing_ok=True)


def _warn_once(msg: str) -> None:
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(msg, RuntimeWarning, stacklevel=3)
