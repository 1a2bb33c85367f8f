"""Tasks of a province study: one court under one plan, all its replications batched inside.

A task is plain data (the scenario as a dict, the seed, the number of replications), so it
travels to a Dask worker on another machine as it is; :func:`run_piece` runs replication *r*
exactly as the local runner does (:func:`sim.analysis.runner.run_replication`, streams from
``SeedSequence(seed, r)``), so a task's figures do not depend on where it ran.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence

from ..model.scenario import Scenario, scenario_from_dict, scenario_to_dict

ROLES = ("judges", "assistants", "clerks")


@dataclass(frozen=True)
class Task:
    """One court × plan: its scenario (as data), seed and replications 0..replications-1."""

    court: str
    plan: str
    data: Mapping[str, Any] = field(compare=False, hash=False)
    seed: int = 0
    replications: int = 1

    @property
    def key(self) -> str:
        """A stable name of exactly this work (court, plan, every parameter, seed, replications):
        a finished part with this key need not be run again."""
        blob = json.dumps([self.court, self.plan, self.data, self.seed, self.replications],
                          sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:24]

    def cases(self, reps: list[dict]) -> float:
        """Cases simulated (disputes brought to the court) over the task's replications."""
        return float(sum(r.get("disputes", 0.0) for r in reps))


def make_task(court: str, plan: str, scn: Scenario, seed: int, replications: int) -> Task:
    """A task for ``scn`` (validated already) under the names shown in the results."""
    return Task(court, plan, scenario_to_dict(scn), int(seed), int(replications))


def run_piece(task: Task, start: int, stop: int) -> list[dict[str, float]]:
    """Replications ``start``..``stop-1`` of ``task``, in order: each one's headline figures
    (figure → value). A task may run in pieces (:class:`sim.province.cluster.DaskRunner`).

    Imported by name on the Dask workers (they need this package installed or on PYTHONPATH).
    """
    from ..analysis.runner import replication_batch

    return [dict(f["summary"]) for f in replication_batch(dict(task.data), task.seed, range(start, stop))]


def warm_worker() -> bool:
    """Run on each Dask worker (``client.run``): import the engine, so the first task does not pay for it."""
    from ..analysis import runner  # noqa: F401

    return True


def with_posts(scn: Scenario, posts: Mapping[str, int]) -> Scenario:
    """``scn`` with new posts (role → number) added to its teams.

    A court's new posts of a role are spread over its teams in proportion to the judges each
    team has now, by :func:`apportion`: *k* posts always land in the same teams, and one more
    post adds to one team without moving the others. Where inside the court they do most good
    is the court's own question (``python -m sim advise``).
    """
    if not any(posts.get(r, 0) for r in ROLES):
        return scn
    data = scenario_to_dict(scn)
    weights = [t.judges for t in scn.teams]
    for role in ROLES:
        k = int(posts.get(role, 0))
        if k:
            for i, extra in enumerate(apportion(k, weights)):
                data["teams"][i][role] += extra
    return scenario_from_dict(data)


def apportion(total: int, weights: Sequence[float], mins: Optional[Sequence[int]] = None,
              maxs: Optional[Sequence[int]] = None) -> list[int]:
    """``total`` posts in proportion to ``weights`` (Sainte-Laguë), within ``mins``/``maxs``.

    Starts from the minimums; each further post goes to the one below its maximum with the
    largest ``weight / (2·given + 1)``, ties to the earlier. A divisor method, so it never
    takes a post back when the total grows (largest remainder can: the Alabama paradox).
    Equal weights give an even spread. Posts that no one may take any more are left over.
    """
    n = len(weights)
    w = [max(0.0, float(x)) for x in weights]
    if n and sum(w) <= 0:
        w = [1.0] * n
    out = [int(m) for m in (mins or [0] * n)]
    caps = [10 ** 9] * n if maxs is None else [int(m) for m in maxs]
    for _ in range(max(0, int(total) - sum(out))):
        open_ = [i for i in range(n) if out[i] < caps[i]]
        if not open_:
            break
        best = max(open_, key=lambda i: (w[i] / (2 * out[i] + 1), -i))
        out[best] += 1
    return out
