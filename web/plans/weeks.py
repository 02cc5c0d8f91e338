"""The volume curve: plan weeks counted back from the race day, recovery weeks, the taper.

A plan week is seven days that end on the race's weekday: week 0 is the six days before the race
and the race day, week 1 the seven days before those, and so on. So the taper always ends on the
race, whatever weekday it falls on (a Tuesday 10 km gets its taper week Wednesday to Tuesday), and
every plan week holds each weekday once, so the week's layout (``days``) fits every week.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from web.plans import rules


def weeks_before_race(goal_date: dt.date, day: dt.date) -> int:
    """0 for the race week (the race and the six days before), 1 for the week before, ..."""
    return (goal_date - day).days // 7


def week_first_day(goal_date: dt.date, weeks_before: int) -> dt.date:
    """The first day of the plan week ``weeks_before`` weeks before the race."""
    return goal_date - dt.timedelta(days=7 * weeks_before + 6)


def plan_weeks(start: dt.date, goal_date: dt.date) -> int:
    """Plan weeks from the one containing ``start`` to the race week, both counted."""
    return weeks_before_race(goal_date, start) + 1


def phase_lengths(weeks: int, goal_distance_m: float) -> dict[str, int]:
    """Weeks of base, build, specific and taper (Daniels ch. 10's four phases) for ``weeks`` weeks."""
    taper = min(rules.taper_weeks(goal_distance_m), max(1, weeks // 4))
    rest = weeks - taper
    base = max(1, round(rest * 0.40)) if rest >= 3 else 0
    build = max(1, round(rest * 0.35)) if rest >= 2 else 0
    specific = rest - base - build
    return {"base": base, "build": build, "specific": specific, "taper": taper}


@dataclass(frozen=True)
class PlanWeek:
    """One plan week's phase and volume (km, the race itself not counted)."""

    phase: str
    km: float
    recovery: bool = False


def peak_weekly_km(goal_distance_m: float, start_km: float) -> float:
    """The race's peak volume, kept within 10 % to 50 % above where the athlete starts."""
    start = max(start_km, rules.FLOOR_WEEKLY_KM)
    low, high = start * rules.MIN_VOLUME_GROWTH, start * rules.MAX_VOLUME_GROWTH
    return min(high, max(low, rules.race_peak_weekly_km(goal_distance_m)))


def weekly_volumes(weeks: int, goal_distance_m: float, start_km: float) -> list[PlanWeek]:
    """Every plan week, the first first and the race week last.

    Loading weeks start at the athlete's recent volume and rise by ``WEEKLY_INCREASE`` at most
    toward ``peak_weekly_km``; every ``RECOVERY_WEEK_EVERY``-th week is lighter and the week after
    it resumes at the level before it; the taper weeks are shares of the peak week.
    """
    phases = phase_lengths(weeks, goal_distance_m)
    peak = peak_weekly_km(goal_distance_m, start_km)
    volume = max(rules.FLOOR_WEEKLY_KM, start_km)
    loading = [name for name in ("base", "build", "specific") for _ in range(phases[name])]
    plan: list[PlanWeek] = []
    for index, phase in enumerate(loading, start=1):
        recovery = index % rules.RECOVERY_WEEK_EVERY == 0 and index < len(loading)
        if recovery:
            plan.append(PlanWeek(phase, volume * rules.RECOVERY_WEEK_FACTOR, recovery=True))
            continue
        if index > 1:
            volume = min(peak, volume * rules.WEEKLY_INCREASE)
        plan.append(PlanWeek(phase, volume))
    top = max((week.km for week in plan), default=volume)
    plan.extend(PlanWeek("taper", top * factor) for factor in rules.TAPER_FACTORS[phases["taper"]])
    return plan
