"""The demo world's people: one coach and three athletes at three levels.

Each athlete is a training story told by numbers: a fitness curve (VDOT), a
weekly volume that ramps in 4-week cycles, a weekly routine, a few races and
one current training plan. :mod:`web.demo.history` turns a story into runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from foulee.races import FIVE_K_M, HALF_MARATHON_M, MARATHON_M, TEN_K_M
from web.plans.models import SessionType

#: Every demo account logs in with this password. The demo is for trying Foulée
#: on one's own machine; `foulee run --no-demo` keeps it out of a real install.
DEMO_PASSWORD = "foulee-demo"  # noqa: S105 (published on purpose, see above)

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)


@dataclass(frozen=True)
class DemoCoach:
    email: str
    full_name: str
    language: str


@dataclass(frozen=True)
class Race:
    """A race in the history; ``week`` counts from the first week of the history."""

    week: int
    distance_m: float
    name: str


@dataclass(frozen=True)
class Plan:
    """The athlete's current plan: ``weeks_elapsed`` of its ``weeks_total`` are behind them."""

    name: str
    goal_distance_m: float
    goal_name: str
    weeks_total: int
    weeks_elapsed: int
    target_time_s: float | None


@dataclass(frozen=True)
class DemoAthlete:
    email: str
    full_name: str
    sex: str
    birth_year: int
    weight_kg: float
    hr_max: int
    hr_rest: int
    language: str
    timezone: str
    vdot_start: float
    vdot_end: float
    weekly_km_start: float
    weekly_km_peak: float
    long_run_share: float
    routine: tuple[tuple[int, SessionType], ...]
    interval_set: tuple[int, int]
    races: tuple[Race, ...]
    plan: Plan
    #: Weeks in which a cold or a busy week cut training short.
    setback_weeks: tuple[int, ...] = ()


COACH = DemoCoach(email="coach@foulee.example", full_name="Claire Dubois", language="fr")

BEGINNER = DemoAthlete(
    email="lea@foulee.example",
    full_name="Léa Martin",
    sex="F",
    birth_year=1996,
    weight_kg=61.0,
    hr_max=194,
    hr_rest=62,
    language="fr",
    timezone="Europe/Paris",
    vdot_start=27.0,
    vdot_end=36.0,
    weekly_km_start=8.0,
    weekly_km_peak=26.0,
    long_run_share=0.40,
    routine=((TUESDAY, SessionType.EASY), (THURSDAY, SessionType.INTERVALS), (SUNDAY, SessionType.LONG)),
    interval_set=(8, 400),
    races=(Race(week=30, distance_m=FIVE_K_M, name="Course des Lumières 5 km"),),
    plan=Plan(
        name="Premier 10 km",
        goal_distance_m=TEN_K_M,
        goal_name="10 km de la Ville",
        weeks_total=10,
        weeks_elapsed=3,
        target_time_s=None,
    ),
    setback_weeks=(14, 37),
)

TEN_K = DemoAthlete(
    email="karim@foulee.example",
    full_name="Karim Benali",
    sex="M",
    birth_year=1990,
    weight_kg=70.0,
    hr_max=189,
    hr_rest=50,
    language="fr",
    timezone="Europe/Paris",
    vdot_start=47.0,
    vdot_end=51.5,
    weekly_km_start=36.0,
    weekly_km_peak=52.0,
    long_run_share=0.30,
    routine=(
        (TUESDAY, SessionType.INTERVALS),
        (THURSDAY, SessionType.EASY),
        (SATURDAY, SessionType.TEMPO),
        (SUNDAY, SessionType.LONG),
    ),
    interval_set=(6, 1000),
    races=(
        Race(week=10, distance_m=TEN_K_M, name="10 km de Vincennes"),
        Race(week=24, distance_m=HALF_MARATHON_M, name="Semi-marathon de Lyon"),
        Race(week=44, distance_m=TEN_K_M, name="Corrida de Houilles"),
    ),
    plan=Plan(
        name="10 km sous 40 minutes",
        goal_distance_m=TEN_K_M,
        goal_name="10 km de Paris",
        weeks_total=8,
        weeks_elapsed=2,
        target_time_s=39 * 60 + 50.0,
    ),
    setback_weeks=(31,),
)

MARATHONER = DemoAthlete(
    email="sam@foulee.example",
    full_name="Sam Taylor",
    sex="F",
    birth_year=1981,
    weight_kg=57.0,
    hr_max=180,
    hr_rest=46,
    language="en",
    timezone="Europe/London",
    vdot_start=49.0,
    vdot_end=52.0,
    weekly_km_start=60.0,
    weekly_km_peak=88.0,
    long_run_share=0.30,
    routine=(
        (MONDAY, SessionType.EASY),
        (TUESDAY, SessionType.INTERVALS),
        (WEDNESDAY, SessionType.EASY),
        (THURSDAY, SessionType.TEMPO),
        (SATURDAY, SessionType.EASY),
        (SUNDAY, SessionType.LONG),
    ),
    interval_set=(5, 1600),
    races=(
        Race(week=8, distance_m=HALF_MARATHON_M, name="Reading Half Marathon"),
        Race(week=18, distance_m=MARATHON_M, name="Manchester Marathon"),
        Race(week=40, distance_m=HALF_MARATHON_M, name="Great North Run"),
    ),
    plan=Plan(
        name="Spring marathon, sub 3:15",
        goal_distance_m=MARATHON_M,
        goal_name="Brighton Marathon",
        weeks_total=16,
        weeks_elapsed=4,
        target_time_s=3 * 3600 + 14 * 60.0,
    ),
    setback_weeks=(27,),
)

ATHLETES: tuple[DemoAthlete, ...] = (BEGINNER, TEN_K, MARATHONER)
