"""Whose docket a case goes on: assignment (分案), judges joining and leaving, hand-over.

:class:`Dockets` is the part of :class:`sim.model.court.Court` that keeps the teams' judges and
desks: a case is assigned at filing to a team of its track (轮案 over teams weighted by judges
present, or the least loaded) and within it to a presiding judge by the scenario's rule
(rotation 轮案, random 随机分案, lightest docket, optionally by speciality 专业分案); a judge who
arrives opens a docket from that day, and a judge who leaves hands the open cases on
(:meth:`Dockets.hand_over_docket`). In the pooled mode the team is one desk of several judges.
"""
from __future__ import annotations

import math

from .desks import AT_DESK, BOOKED, INF, QUEUED, UNHEARD, Desk


class Dockets:
    """Judges, desks and assignment of the court (a part of ``Court``).

    Uses the court's scenario switches (``pooled``, ``specialised``, ``mode``, ``hand_over_rule``,
    ``least_loaded``), its per-day staffing lists, the case lists, and its steps
    ``book_hearing``, ``_enqueue`` and ``dispatch``.
    """

    def _seat_judges(self) -> None:
        """The teams at the start: their desks and the judges present on day 0."""
        p, scn = self.p, self.p.scenario
        n_teams = len(scn.teams)
        self.n_teams = n_teams
        self.track_teams = [[i for i in range(n_teams) if p.team_track[i] == k] for k in (0, 1)]
        self.track_types = [[k for k, c in enumerate(scn.case_types) if p.type_track[k] == t] for t in (0, 1)]
        self.rot = [[0.0] * n_teams, [0.0] * n_teams]
        self.team_open = [0] * n_teams
        # judges: speed ramps from `share` to 1 over `ramp` days after joining
        self.j_join: list[float] = []
        self.j_ramp: list[float] = []
        self.j_share: list[float] = []
        self.j_leaving: list[bool] = []
        self.j_desk: list[Desk] = []
        # desks: pooled = one per team; dockets = one per judge, plus one without judge per team
        # that holds cases while the team has nobody (they wait: see the team_without_judges warning)
        self.team_desks: list[list[Desk]] = [[] for _ in range(n_teams)]
        self.orphans: list[Desk] = []
        self.turn = [0] * n_teams            # rotation pointer within each team
        self.type_turn: dict[tuple[int, int], int] = {}
        self.n_desks = 0
        self.free_days: dict[int, list] = {}  # a team's empty skip list, copied for each new desk
        for i in range(n_teams):
            if self.pooled:
                cap = None
                if self.h is not None:
                    cap = [s * j for s, j in zip(self.slots[i], self.judges_day[i], strict=True)]
                d = self._new_desk(i, cap)
                self.team_desks[i].append(d)
                for _ in range(p.initial_judges[i]):
                    d.free.append(self._new_judge(d, 0.0))
                self.orphans.append(d)
            else:
                self.orphans.append(self._new_desk(i, None))
                self.orphans[i].active = False
                for _ in range(p.initial_judges[i]):
                    self.judge_joins(i, 0.0)

    # --- staff --------------------------------------------------------------------------
    def _new_desk(self, team: int, cap) -> Desk:
        d = Desk(team, cap, self.n_days, self.n_desks, self.free_days.get(team))
        if cap is not None and team not in self.free_days:
            self.free_days[team] = list(d.first_free)   # every judge of a team has the same slot days
        self.n_desks += 1
        d.queue = self._new_queue()
        return d

    def _new_judge(self, desk: Desk, t: float, ramp: float = 0.0, share: float = 1.0) -> int:
        jid = len(self.j_join)
        self.j_join.append(t)
        self.j_ramp.append(ramp)
        self.j_share.append(share)
        self.j_leaving.append(False)
        self.j_desk.append(desk)
        return jid

    def judge_joins(self, team: int, now: float, ramp: float = 0.0, share: float = 1.0) -> None:
        """A judge arrives: in a pooled team one more server; otherwise a new docket from today."""
        if self.pooled:
            d = self.team_desks[team][0]
            d.free.append(self._new_judge(d, now, ramp, share))
            self.dispatch(d, now)
            return
        cap = self.slots[team] if self.h is not None else None
        d = self._new_desk(team, cap)
        if cap is not None:
            for day in range(min(max(int(math.ceil(now)), 0), self.n_days)):
                d.first_free[day] = day + 1   # no hearings before the judge is here
        if self.specialised and self.track_types[self._team_track(team)]:
            types = self.track_types[self._team_track(team)]
            d.specialty = types[len(self.team_desks[team]) % len(types)]
        d.judge = self._new_judge(d, now, ramp, share)
        d.free.append(d.judge)
        self.team_desks[team].append(d)
        orphan = self.orphans[team]
        if orphan.cases:
            self.hand_over_docket(orphan, now)

    def judge_leaves(self, team: int, now: float) -> None:
        """A judge leaves (secondment ends, transfer): the most recent arrival of the team."""
        if self.pooled:
            d = self.team_desks[team][0]
            if d.free:
                self.j_leaving[d.free.pop()] = True   # gone
            else:
                busy = [j for j in range(len(self.j_desk)) if self.j_desk[j] is d and not self.j_leaving[j]
                        and j not in d.free]
                if busy:
                    self.j_leaving[min(busy)] = True
            return
        desks = [d for d in self.team_desks[team] if d.active]
        if not desks:
            return
        d = max(desks, key=lambda x: x.order)
        d.active = False
        self.team_desks[team].remove(d)
        if not d.free:
            self.j_leaving[d.judge] = True   # finishes the job at hand, then goes
        d.free.clear()
        self.hand_over_docket(d, now)

    def hand_over_docket(self, d: Desk, now: float) -> None:
        """Give every open case of a desk (but the one being drafted) to the team's remaining judges."""
        team = d.team
        for c in sorted(d.cases):
            st = self.state[c]
            if st == AT_DESK:
                continue                    # the leaving judge finishes it
            nd = self._pick_desk(c, team, self.hand_over_rule)
            d.cases.discard(c)
            d.open -= 1
            self._put_on(c, nd)
            if st == BOOKED:
                day, old = self.booked[c]
                if old is not None and day >= 0:
                    old.used[day] -= self.slot_cost[self.proc_l[c]]
                    old.first_free[day] = day
                self.version[c] += 1
                self.book_hearing(c, now)
            elif st == UNHEARD:
                self.book_hearing(c, now)
            elif st == QUEUED:
                jid = self.job_of[c]
                self._remove_queued(d, jid)
                self._enqueue(nd, jid, c, now)
        if d.queue:                         # panel work of a leaving judge goes with the docket
            rest = list(d.queue)
            d.queue.clear()
            for item in rest:
                jid = item[-2]
                self._enqueue(self._pick_desk(-1, team, "lightest"), jid, -1, now)

    # --- assignment -----------------------------------------------------------------------
    def _team_track(self, team: int) -> int:
        return int(self.p.team_track[team])

    def pick_team(self, trk: int, now: float) -> int:
        """The team of a track that receives the case (轮案 over teams by judges present, or least loaded)."""
        cand = self.track_teams[trk]
        if len(cand) == 1:
            return cand[0]
        day = min(max(int(now), 0), self.last_day)
        if self.least_loaded:
            best, best_load = cand[0], INF
            for i in cand:
                cap = self.judges_day[i][day]
                load = (self.team_open[i] + 1) / cap if cap > 0 else INF
                if load < best_load:
                    best, best_load = i, load
            return best
        # smooth weighted round-robin over teams, weights = judges present today
        cur = self.rot[trk]
        total = 0.0
        best = cand[0]
        for i in cand:
            w = self.judges_day[i][day]
            cur[i] += w
            total += w
            if cur[i] > cur[best]:
                best = i
        cur[best] -= total
        return best

    def _pick_desk(self, c: int, team: int, rule: str) -> Desk:
        """The presiding judge's desk within a team, by ``rule`` (rotation, random, lightest)."""
        desks = self.team_desks[team]
        if self.pooled:
            return desks[0]
        if not desks:
            return self.orphans[team]
        if self.specialised and c >= 0:
            own = [d for d in desks if d.specialty == self.ctype[c]]
            if own:
                desks = own
        if rule == "lightest":
            return min(desks, key=lambda d: (d.open, d.order))
        if rule == "random":
            u = self.u_assign[2 * c + (1 if self.stage2[c] else 0)] if c >= 0 else 0.5
            return desks[min(int(u * len(desks)), len(desks) - 1)]
        if self.specialised and c >= 0:
            key = (team, self.ctype[c])
            k = self.type_turn.get(key, 0)
            self.type_turn[key] = k + 1
        else:
            k = self.turn[team]
            self.turn[team] = k + 1
        return desks[k % len(desks)]

    def _put_on(self, c: int, d: Desk) -> None:
        self.case_desk[c] = d
        d.cases.add(c)
        d.open += 1

    def place_listed(self, c: int, now: float) -> int:
        """A listed open case on the first day: on its own team and, with dockets, on the docket of
        the judge in its seat; a seat the team no longer has goes by the hand-over rule, and a
        case without a team of the scenario is assigned like a new filing. Returns the team."""
        team = self.listed_team[c]
        if team < 0:
            return self.assign(c, self.track[c], now)
        self.case_team[c] = team
        self.team_open[team] += 1
        seat = self.listed_seat[c]
        desks = self.team_desks[team]
        if self.pooled:
            d = desks[0]
        elif 0 <= seat < len(desks):
            d = desks[seat]
        else:
            d = self._pick_desk(c, team, self.hand_over_rule if seat >= 0 else self.mode)
        self._put_on(c, d)
        return team

    def assign(self, c: int, trk: int, now: float) -> int:
        """分案: the team of the track, then the presiding judge within it; returns the team."""
        cand = self.track_teams[trk]
        team = cand[0] if len(cand) == 1 else self.pick_team(trk, now)
        self.case_team[c] = team
        self.team_open[team] += 1
        d = self.team_desks[team][0] if self.pooled else self._pick_desk(c, team, self.mode)
        self.case_desk[c] = d
        d.cases.add(c)
        d.open += 1
        return team
