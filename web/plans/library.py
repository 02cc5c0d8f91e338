"""Session templates with their structure: warm-up, work (reps × distance at rep pace, or a steady
block), recovery, cool-down. A session's total distance is the sum of its steps and its average pace
their time over that distance, so the page shows the structure apart from the totals.

The work portions keep Daniels' caps (``rules.INTERVAL_WORK_MAX_SHARE`` and friends); a hard session
is never longer than the week's long run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from analytics import metrics
from foulee import limits
from foulee.units import METRES_PER_KM
from web.plans import rules

#: A jog recovery is run this much slower than easy pace (s/km).
JOG_SLOWER_S: Final = 30.0
#: Rep lengths (m) by the work's length: short reps for a short budget (Daniels' I reps are 3-5 min).
_REP_LENGTHS: Final = ((4.0, 1000.0), (2.0, 800.0), (0.0, 400.0))
#: Jog recovery, as a share of the rep's length (Daniels: about as long in time as the rep).
_RECOVERY_SHARE: Final = 0.5
_MIN_WARMUP_KM: Final = 1.0


@dataclass(frozen=True)
class Paces:
    """Seconds per km for Daniels' E, M, T, I intensities and the race pace; None when unknown."""

    easy: float | None = None
    marathon: float | None = None
    threshold: float | None = None
    interval: float | None = None
    race: float | None = None

    @classmethod
    def from_vdot(cls, vdot: float | None, goal_distance_m: float, race_pace: float | None) -> Paces:
        if not vdot:
            return cls(race=race_pace)
        zones = {zone.name.split()[0]: zone for zone in metrics.pace_zones(vdot)}

        def pace(key: str) -> float:
            zone = zones[key]
            return limits.clamp_pace(METRES_PER_KM / ((zone.low + zone.high) / 2.0))

        predicted = limits.clamp_pace(
            metrics.race_time_for_vdot(vdot, goal_distance_m) / (goal_distance_m / METRES_PER_KM)
        )
        return cls(
            easy=pace("E"),
            marathon=pace("M"),
            threshold=pace("T"),
            interval=pace("I"),
            race=race_pace or predicted,
        )


@dataclass(frozen=True)
class Built:
    """A session as the builder stores it: kind, steps, total km, average pace, HR zone."""

    kind: str
    steps: list[dict[str, Any]]
    km: float
    pace: float | None
    hr_zone: int


def _step(kind: str, km: float, pace: float | None, **extra: Any) -> dict[str, Any]:
    step: dict[str, Any] = {"kind": kind, "distance_m": round(km * METRES_PER_KM, -2), "pace": pace}
    step.update(extra)
    return step


def _totals(steps: list[dict[str, Any]]) -> tuple[float, float | None]:
    metres = 0.0
    seconds = 0.0
    known = True
    for step in steps:
        reps = step.get("reps", 1)
        work = reps * step["distance_m"]
        metres += work
        if step["pace"] is None:
            known = False
        else:
            seconds += work / METRES_PER_KM * step["pace"]
        recovery = step.get("recovery_m")
        if recovery:
            metres += reps * recovery
            if step.get("recovery_pace") is None:
                known = False
            else:
                seconds += reps * recovery / METRES_PER_KM * step["recovery_pace"]
    pace = limits.clamp_pace(seconds / (metres / METRES_PER_KM)) if known and metres else None
    return metres / METRES_PER_KM, pace


def steady(kind: str, km: float, paces: Paces) -> Built:
    """An easy run or a long run: one step at easy pace."""
    km = max(1.0, round(km, 1))
    steps = [_step("steady", km, paces.easy)]
    total, pace = _totals(steps)
    return Built(kind, steps, total, pace, 2)


def _warm(budget_km: float, work_km: float) -> tuple[float, float]:
    """Warm-up and cool-down km (easy running) that fill ``budget_km`` around ``work_km``."""
    room = max(0.0, budget_km - work_km)
    warm = max(_MIN_WARMUP_KM, room * 0.55)
    cool = max(_MIN_WARMUP_KM, room - warm)
    return warm, cool


def intervals(budget_km: float, week_km: float, paces: Paces) -> Built:
    """VO2max reps at I pace: the work at most 8 % of the week and 10 km (Daniels)."""
    work_km = min(rules.INTERVAL_WORK_MAX_KM, week_km * rules.INTERVAL_WORK_MAX_SHARE, budget_km * 0.45)
    rep_m = next(length for floor, length in _REP_LENGTHS if work_km >= floor)
    reps = max(3, round(work_km * METRES_PER_KM / rep_m))
    recovery_m = rep_m * _RECOVERY_SHARE
    done_km = reps * (rep_m + recovery_m) / METRES_PER_KM
    warm, cool = _warm(budget_km, done_km)
    jog = paces.easy + JOG_SLOWER_S if paces.easy else None
    steps = [
        _step("warmup", warm, paces.easy),
        {
            "kind": "reps",
            "reps": reps,
            "distance_m": rep_m,
            "pace": paces.interval,
            "recovery_m": recovery_m,
            "recovery_pace": jog,
        },
        _step("cooldown", cool, paces.easy),
    ]
    total, pace = _totals(steps)
    return Built("intervals", steps, total, pace, 5)


def _block(
    kind: str, zone: int, work_km: float, budget_km: float, work_pace: float | None, paces: Paces
) -> Built:
    work_km = max(1.0, round(work_km, 1))
    warm, cool = _warm(budget_km, work_km)
    steps = [
        _step("warmup", warm, paces.easy),
        _step("work", work_km, work_pace),
        _step("cooldown", cool, paces.easy),
    ]
    total, pace = _totals(steps)
    return Built(kind, steps, total, pace, zone)


def tempo(budget_km: float, week_km: float, paces: Paces) -> Built:
    """A threshold block at T pace: at most 10 % of the week (Daniels)."""
    work = min(week_km * rules.THRESHOLD_WORK_MAX_SHARE, budget_km * 0.6)
    return _block("tempo", 4, work, budget_km, paces.threshold, paces)


def race_pace(budget_km: float, week_km: float, goal_distance_m: float, paces: Paces) -> Built:
    """A block at the race pace the athlete can hold (``realism``)."""
    work = min(week_km * rules.race_pace_work_share(goal_distance_m), budget_km * 0.7)
    return _block("race_pace", 4, work, budget_km, paces.race, paces)
