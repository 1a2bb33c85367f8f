"""Which track a case counts under in the per-track figures: the track of its procedure.

The per-track figures (``within_limit_rate_simple`` …, see ``docs/model.md``) split the cases by
the procedure whose statutory limit they are judged against, which is the procedure they are
under when they are closed (or at the end, while pending): a case converted from simple to
ordinary procedure (简转普) counts under ordinary procedure, so under the complex track, with the
ordinary limit it is measured against. A procedure belongs to a track as follows:

- ``small_claims`` (小额诉讼) and ``simple`` (简易程序): the simple track; ``ordinary``
  (普通程序): the complex track. The engine itself hears misrouted cases under ``simple`` or
  ``ordinary`` and converted ones under ``ordinary``, so these three never depend on the case types.
- any other procedure a scenario defines (second instance, enforcement, its own): the simple
  track when every case type and carried-over group that uses it is on the simple track, else
  the complex track (a procedure nobody uses has no cases, so its track changes no figure).

Every case is under exactly one procedure, so the two tracks split the cases exactly and the
overall within-limit rate is the closed-weighted mix of the two tracks' rates.
"""
from __future__ import annotations

from .scenario import Scenario

#: procedures on one track whatever a scenario's case types say
FIXED_TRACK = {"small_claims": "simple", "simple": "simple", "ordinary": "complex"}


def procedure_tracks(scn: Scenario) -> dict[str, str]:
    """Each of the scenario's procedures (in their order) → ``"simple"`` or ``"complex"``."""
    users: dict[str, set[str]] = {}
    for c in scn.case_types:
        users.setdefault(c.procedure, set()).add(c.track)
    for g in scn.initial_pending.groups:
        users.setdefault(g.procedure, set()).add(g.track)
    out = {}
    for name in scn.procedures:
        fixed = FIXED_TRACK.get(name)
        used = users.get(name, set())
        out[name] = fixed or ("simple" if used and used <= {"simple"} else "complex")
    return out
