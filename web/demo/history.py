"""Turn a demo athlete's story into a year of plausible runs and a current plan.

Pure and deterministic: the same athlete and the same ``today`` always give the
same runs, because every random draw is seeded by (athlete, week, weekday).

The physiology, so that analytics has something true to find:

* fitness is a VDOT that rises along a smooth curve (Daniels' tables then give
  race times, and his intensity fractions give training paces);
* weekly volume ramps from a start to a peak in 4-week cycles (three build
  weeks, one recovery week), with a taper before each race and the odd
  setback week;
* heart rate follows the heart-rate reserve in proportion to the VO2 reserve
  (Swain & Leutholtz, 1997), plus a cardiac drift of ~3 % of the reserve per
  hour;
* cadence rises with speed, calories are ~1 kcal per kg per km.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from analytics import metrics
from foulee.races import HALF_MARATHON_M, TEN_K_M
from foulee.units import METRES_PER_KM
from web.demo.athletes import DemoAthlete, Race
from web.plans.models import SessionType

HISTORY_WEEKS = 52
MIN_RUN_M = 2000.0
WARM_UP_AND_COOL_DOWN_M = 3000.0

# Mean speed of a whole session as a fraction of VDOT (Daniels' intensities,
# averaged over warm-up, work and recovery for the quality sessions).
SESSION_INTENSITY: dict[SessionType, float] = {
    SessionType.EASY: 0.66,
    SessionType.LONG: 0.68,
    SessionType.TEMPO: 0.78,
    SessionType.INTERVALS: 0.74,
}
# Pace targets of the work part, for plans: points inside the ranges of metrics.DANIELS_INTENSITIES.
WORK_INTENSITY: dict[SessionType, float] = {
    SessionType.EASY: 0.66,
    SessionType.LONG: 0.68,
    SessionType.TEMPO: 0.86,
    SessionType.INTERVALS: 0.98,
}
HR_ZONE_OF: dict[SessionType, int] = {
    SessionType.EASY: 2,
    SessionType.LONG: 2,
    SessionType.TEMPO: 4,
    SessionType.INTERVALS: 5,
    SessionType.RACE: 5,
}
BUILD_CYCLE = (0.92, 1.0, 1.08, 0.72)

SESSION_NAMES: dict[SessionType, dict[str, str]] = {
    SessionType.EASY: {"fr": "Footing", "en": "Easy run"},
    SessionType.LONG: {"fr": "Sortie longue", "en": "Long run"},
    SessionType.TEMPO: {"fr": "Allure seuil", "en": "Tempo run"},
    SessionType.INTERVALS: {"fr": "Fractionné", "en": "Intervals"},
}


@dataclass(frozen=True)
class Prescription:
    """What the routine asks for on one day."""

    date: dt.date
    session_type: SessionType
    distance_m: float
    intensity: float
    vdot: float
    race: Race | None = None
    description: str = ""


@dataclass(frozen=True)
class DemoRun:
    """One generated activity, in the Activity model's units."""

    session_type: SessionType
    name: str
    description: str
    start_time: dt.datetime
    distance_m: float
    duration_s: float
    moving_time_s: float
    elevation_gain_m: float
    avg_hr: float
    max_hr: float
    avg_speed_mps: float
    max_speed_mps: float
    avg_cadence_spm: float
    calories_kcal: float
    training_load: float


def history_start(today: dt.date) -> dt.date:
    """The Monday 52 weeks before the Monday of ``today``'s week."""
    this_monday = today - dt.timedelta(days=today.weekday())
    return this_monday - dt.timedelta(weeks=HISTORY_WEEKS)


def plan_weeks(athlete: DemoAthlete) -> tuple[int, int]:
    """First and last week index of the athlete's current plan (the last holds the goal race)."""
    first = HISTORY_WEEKS - athlete.plan.weeks_elapsed
    return first, first + athlete.plan.weeks_total - 1


def races(athlete: DemoAthlete) -> tuple[Race, ...]:
    """Past races and the plan's goal race, on the same week scale."""
    goal = Race(
        week=plan_weeks(athlete)[1], distance_m=athlete.plan.goal_distance_m, name=athlete.plan.goal_name
    )
    return (*athlete.races, goal)


def vdot_in_week(athlete: DemoAthlete, week: int) -> float:
    """Fitness follows a saturating curve: fast gains first, then a plateau."""
    progress = min(max(week / (HISTORY_WEEKS - 1), 0.0), 1.0)
    shaped = (1.0 - math.exp(-3.0 * progress)) / (1.0 - math.exp(-3.0))
    return athlete.vdot_start + (athlete.vdot_end - athlete.vdot_start) * shaped


def weekly_volume_m(athlete: DemoAthlete, week: int) -> float:
    progress = min(max(week / (HISTORY_WEEKS - 1), 0.0), 1.0)
    base_km = athlete.weekly_km_start + (athlete.weekly_km_peak - athlete.weekly_km_start) * progress
    factor = BUILD_CYCLE[week % len(BUILD_CYCLE)]
    race_weeks = {race.week for race in races(athlete)}
    if week in race_weeks:
        factor = min(factor, 0.65)
    elif week + 1 in race_weeks:
        factor = min(factor, 0.85)
    if week in athlete.setback_weeks:
        factor *= 0.3
    return base_km * factor * METRES_PER_KM


def _rng(athlete: DemoAthlete, week: int, weekday: int) -> random.Random:
    return random.Random(f"{athlete.email}/{week}/{weekday}")  # noqa: S311 (demo data, not security)


def prescriptions(athlete: DemoAthlete, start: dt.date, week: int) -> list[Prescription]:
    """The sessions of one week, distances split by the athlete's routine."""
    vdot = vdot_in_week(athlete, week)
    volume = weekly_volume_m(athlete, week)
    race = next((race for race in races(athlete) if race.week == week), None)
    quality = sum(1 for _, kind in athlete.routine if kind in (SessionType.TEMPO, SessionType.INTERVALS))
    easy_days = sum(1 for _, kind in athlete.routine if kind == SessionType.EASY)
    share_left = 1.0 - athlete.long_run_share - 0.18 * quality
    week_start = start + dt.timedelta(weeks=week)
    sessions: list[Prescription] = []
    for weekday, kind in athlete.routine:
        day = week_start + dt.timedelta(days=weekday)
        if race is not None and weekday == 6:
            sessions.append(
                Prescription(
                    day, SessionType.RACE, race.distance_m, 1.0, vdot, race=race, description=race.name
                )
            )
            continue
        if race is not None and kind != SessionType.EASY:
            kind = SessionType.EASY  # race week: quality sessions become easy runs
        share = {
            SessionType.LONG: athlete.long_run_share,
            SessionType.EASY: share_left / max(easy_days, 1),
        }.get(kind, 0.18)
        shortest = MIN_RUN_M
        description = ""
        if kind == SessionType.INTERVALS:
            reps, metres = athlete.interval_set
            description = f"{reps} × {metres} m"
            # Warm-up and cool-down, the reps, and jogged recoveries of half a rep each.
            shortest = WARM_UP_AND_COOL_DOWN_M + 1.5 * reps * metres
        elif kind == SessionType.TEMPO:
            shortest = WARM_UP_AND_COOL_DOWN_M + 3000.0
        distance = max(round(volume * share / 500.0) * 500.0, round(shortest / 500.0) * 500.0)
        sessions.append(
            Prescription(day, kind, distance, SESSION_INTENSITY[kind], vdot, description=description)
        )
    return sessions


def perform(athlete: DemoAthlete, prescription: Prescription, week: int) -> DemoRun | None:
    """How the athlete actually ran a prescribed session (None: skipped it)."""
    rng = _rng(athlete, week, prescription.date.weekday())
    kind = prescription.session_type
    if kind != SessionType.RACE and (
        rng.random() < 0.07 or (week in athlete.setback_weeks and rng.random() < 0.6)
    ):
        return None
    vdot = prescription.vdot * (1.0 + rng.uniform(-0.015, 0.015))
    if prescription.race is not None:
        distance = prescription.distance_m * rng.uniform(1.004, 1.012)  # GPS reads long on race courses
        moving = metrics.race_time_for_vdot(vdot, prescription.race.distance_m) * rng.uniform(0.995, 1.02)
        speed = distance / moving
        race_m = prescription.race.distance_m
        reserve = 0.90 if race_m <= TEN_K_M else 0.86 if race_m <= HALF_MARATHON_M else 0.78
        pauses = 0.0
    else:
        distance = prescription.distance_m * rng.uniform(0.97, 1.04)
        speed = metrics.speed_at_vdot_fraction(vdot, prescription.intensity * rng.uniform(0.97, 1.03))
        if vdot < 31.0:
            speed *= 0.9  # the first weeks of a beginner mix running and walking
        moving = distance / speed
        reserve = (metrics.vo2_cost(speed) - metrics.RESTING_VO2) / (vdot - metrics.RESTING_VO2)
        pauses = rng.uniform(0.0, 90.0) + (rng.uniform(60.0, 180.0) if kind == SessionType.INTERVALS else 0.0)
    reserve += 0.03 * moving / 3600.0 + rng.uniform(-0.02, 0.02)
    reserve = min(max(reserve, 0.45), 0.97)
    avg_hr = round(metrics.heart_rate_at_reserve(athlete.hr_rest, athlete.hr_max, reserve))
    peak_reserve = 0.96 if kind == SessionType.INTERVALS else min(reserve + rng.uniform(0.06, 0.12), 1.0)
    max_hr = max(round(metrics.heart_rate_at_reserve(athlete.hr_rest, athlete.hr_max, peak_reserve)), avg_hr)
    max_speed = speed * (1.35 if kind == SessionType.INTERVALS else rng.uniform(1.12, 1.25))
    hilliness = rng.uniform(3.0, 14.0) if kind == SessionType.LONG else rng.uniform(2.0, 9.0)
    local_start = _start_time(rng, prescription.date, athlete.timezone, kind)
    moving = round(moving)
    return DemoRun(
        session_type=kind,
        name=prescription.description if prescription.race else SESSION_NAMES[kind][athlete.language],
        description="" if prescription.race else prescription.description,
        start_time=local_start.astimezone(dt.UTC),
        distance_m=round(distance),
        duration_s=moving + round(pauses),
        moving_time_s=moving,
        elevation_gain_m=round(distance / METRES_PER_KM * hilliness),
        avg_hr=avg_hr,
        max_hr=max_hr,
        avg_speed_mps=round(distance / moving, 3),
        max_speed_mps=round(max_speed, 3),
        avg_cadence_spm=round(140.0 + 9.0 * speed + rng.uniform(-3.0, 3.0)),
        calories_kcal=round(athlete.weight_kg * distance / METRES_PER_KM),
        training_load=round(
            metrics.trimp(
                moving, avg_hr, athlete.hr_rest, athlete.hr_max, "F" if athlete.sex == "F" else "M"
            ),
            1,
        ),
    )


def _start_time(rng: random.Random, day: dt.date, timezone: str, kind: SessionType) -> dt.datetime:
    weekend = day.weekday() >= 5
    if kind == SessionType.RACE:
        hour, minute = 9, 30
    elif weekend:
        hour, minute = rng.choice((8, 9)), rng.choice((0, 15, 30, 45))
    else:
        hour, minute = rng.choice((7, 12, 18, 19)), rng.choice((0, 10, 20, 30, 40))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(timezone))


def generate_history(athlete: DemoAthlete, today: dt.date) -> list[tuple[Prescription, DemoRun]]:
    """Every run of the year before ``today`` (``today`` excluded), oldest first."""
    start = history_start(today)
    runs: list[tuple[Prescription, DemoRun]] = []
    for week in range(HISTORY_WEEKS + 1):
        for prescription in prescriptions(athlete, start, week):
            if prescription.date >= today:
                continue
            run = perform(athlete, prescription, week)
            if run is not None:
                runs.append((prescription, run))
    return runs


def plan_prescriptions(athlete: DemoAthlete, today: dt.date) -> list[Prescription]:
    """The sessions of the athlete's current plan, past and future."""
    start = history_start(today)
    first, last = plan_weeks(athlete)
    return [session for week in range(first, last + 1) for session in prescriptions(athlete, start, week)]
