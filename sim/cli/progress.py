"""The command line's progress bar: tqdm on stderr, always closed, silent with ``--quiet``."""
from __future__ import annotations

import sys
from typing import Any, Callable


def progress_bar(enabled: bool, total: int, desc: str):
    """A tqdm bar on stderr and the callback that advances it."""
    if not enabled:
        return None, (lambda done, tot: None)
    from tqdm import tqdm

    bar = tqdm(total=total, desc=desc, unit="rep", file=sys.stderr, leave=False)

    def cb(done: int, tot: int) -> None:
        bar.n = done
        bar.refresh()
    return bar, cb


def with_bar(quiet: bool, total: int, fn: Callable[[Callable[[int, int], None]], Any]) -> Any:
    """Call ``fn(progress)`` with a progress bar on stderr (unless quiet) that is always closed."""
    bar, cb = progress_bar(not quiet, total, "replications")
    try:
        return fn(cb)
    finally:
        if bar:
            bar.close()
