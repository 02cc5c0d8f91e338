"""The periodisation rules a plan keeps, each named once, with its source.

Every figure a plan is built from lives here; the builder (``days``, ``weeks``,
``library``, ``realism``, ``adjust``) reads them and the tests in
``tests/web/test_plan_rules.py`` check each one on the stored sessions.

Sources, cited by short name below:

* Daniels — J. Daniels, "Daniels' Running Formula", 3rd ed. (2014).
* Pfitzinger — P. Pfitzinger & S. Douglas, "Advanced Marathoning", 2nd ed. (2009), and
  P. Pfitzinger & P. Latter, "Faster Road Racing" (2015).
* Higdon — H. Higdon's novice and intermediate plans ("Marathon", 5th ed., 2020).
* Mujika — I. Mujika & S. Padilla, "Scientific bases for precompetition tapering strategies",
  Med Sci Sports Exerc 35(7):1182 (2003); L. Bosquet et al., "Effects of tapering on performance:
  a meta-analysis", Med Sci Sports Exerc 39(8):1358 (2007).
* Seiler — S. Seiler, "What is best practice for training intensity distribution?",
  Int J Sports Physiol Perform 5(3):276 (2010).
* Silbernagel — K. G. Silbernagel et al., Am J Sports Med 35(6):897 (2007) (pain-monitored loading).
"""

from __future__ import annotations

from typing import Final, TypeVar

from foulee import races

_T = TypeVar("_T")

# --- plan length ---------------------------------------------------------------------------------

MIN_PLAN_WEEKS: Final = 3
MAX_PLAN_WEEKS: Final = 30

# --- volume --------------------------------------------------------------------------------------

#: Weekly volume rises by at most 10 % over the last loading week (Daniels ch. 3, "stress
#: increments"; the conventional 10 % ceiling).
WEEKLY_INCREASE: Final = 1.10
#: A lighter week every fourth week: three loading weeks, one recovery week (Pfitzinger's
#: mesocycles; Higdon's "step-back" weeks every 3-4 weeks).
RECOVERY_WEEK_EVERY: Final = 4
#: The recovery week's volume, as a share of the week before it (Pfitzinger: -20 to -30 %).
RECOVERY_WEEK_FACTOR: Final = 0.75
#: The weekly volume a plan aims to peak at for each goal race (km): Pfitzinger's entry-level
#: schedules (55 miles ≈ 88 km for the marathon, about 65 km for the half) and Daniels' 5-10 km plans.
RACE_PEAK_WEEKLY_KM: Final = {
    races.FIVE_K_M: 40.0,
    races.TEN_K_M: 50.0,
    races.HALF_MARATHON_M: 65.0,
    races.MARATHON_M: 90.0,
}
#: Over a plan, volume grows by at least 10 % (a plan builds) and at most 50 % (a beginner's body
#: adapts slower than their lungs: Daniels ch. 3), whatever the race's peak.
MIN_VOLUME_GROWTH: Final = 1.10
MAX_VOLUME_GROWTH: Final = 1.50
#: Never below this weekly volume, so a beginner's plan still has sessions worth running.
FLOOR_WEEKLY_KM: Final = 12.0
#: Under this weekly volume an athlete is a beginner (Higdon's novice plans start at 15-25 km).
BEGINNER_WEEKLY_KM: Final = 25.0

# --- long run ------------------------------------------------------------------------------------

#: The long run's share of the week: at most 30 % (Daniels ch. 3: 25-30 % of the week), 35 % for a
#: beginner, a week of three runs or fewer, or a marathon (Higdon's novice plans; Pfitzinger's long
#: runs are 30-35 % of the week).
LONG_RUN_MAX_SHARE: Final = 0.30
LONG_RUN_MAX_SHARE_RELAXED: Final = 0.35
#: The longest long run of a plan, by goal race (km): Pfitzinger's marathon long runs peak at
#: 28-32 km, his half-marathon ones at 18-22 km; his 5 and 10 km schedules ("Faster Road Racing")
#: at 14-16 and 16-20 km for the higher volumes.
LONG_RUN_PEAK_KM: Final = {
    races.FIVE_K_M: (14.0, 16.0),
    races.TEN_K_M: (16.0, 20.0),
    races.HALF_MARATHON_M: (18.0, 22.0),
    races.MARATHON_M: (28.0, 32.0),
}
#: The last long run comes a full week before the race at least: the race week has none (Higdon,
#: Pfitzinger's race-week schedules).
LAST_LONG_RUN_DAYS_BEFORE_RACE: Final = 7

# --- intensity -----------------------------------------------------------------------------------

#: At most two hard sessions (tempo, intervals, race pace) a week, never on two days in a row
#: (Daniels' "Q" sessions; Seiler's 80/20 distribution).
HARD_SESSIONS_MAX: Final = 2
#: With three runs a week or fewer, one hard session (Daniels: Q sessions need easy days around).
HARD_SESSIONS_MAX_FEW_DAYS: Final = 1
#: Daniels' caps on the work portion of one session: intervals (I) at most 8 % of the week and
#: 10 km; threshold (T) at most 10 % of the week.
INTERVAL_WORK_MAX_SHARE: Final = 0.08
INTERVAL_WORK_MAX_KM: Final = 10.0
THRESHOLD_WORK_MAX_SHARE: Final = 0.10
#: Race-pace work: up to 20 % of the week for a marathon (Pfitzinger's 13-19 km MP runs), 12 % else.
RACE_PACE_WORK_MAX_SHARE: Final = {races.MARATHON_M: 0.20}
RACE_PACE_WORK_SHARE_DEFAULT: Final = 0.12
#: An athlete who ran this many hard sessions a week on average over the last weeks "already runs
#: intervals" and keeps them from the first week (Daniels ch. 10: build on what the runner does).
HISTORY_WEEKS: Final = 6
HARD_SESSIONS_A_WEEK_TO_KEEP: Final = 0.5
#: An activity is a hard session when it spent this long in HR zones 4-5 (a 20-min tempo, 5 × 3 min).
HARD_SESSION_MIN_ZONE45_S: Final = 600.0

# --- taper ---------------------------------------------------------------------------------------

#: Taper weeks, counted back from the race day (Mujika; Pfitzinger): 3 for a marathon, 2 for a
#: half, 1 for a 10 km or a 5 km.
TAPER_WEEKS: Final = {
    races.FIVE_K_M: 1,
    races.TEN_K_M: 1,
    races.HALF_MARATHON_M: 2,
    races.MARATHON_M: 3,
}
#: Each taper week's volume as a share of the peak week, the race week last: -30 to -60 %
#: (Mujika; Bosquet: -41 to -60 % is best), intensity kept.
TAPER_FACTORS: Final = {1: (0.50,), 2: (0.70, 0.50), 3: (0.70, 0.60, 0.45)}
#: Nothing hard, nothing long in the last two days before the race (Daniels' race-week schedules).
PRE_RACE_EASY_DAYS: Final = 2
PRE_RACE_EASY_MAX_KM: Final = 6.0

# --- goal realism --------------------------------------------------------------------------------

#: How fast VDOT can rise with training: about one point every 4 weeks of consistent training
#: (Daniels ch. 4 raises training VDOT by one after 4-6 weeks at a level), at most 5 points a plan.
VDOT_GAIN_PER_WEEK: Final = 0.25
VDOT_GAIN_MAX: Final = 5.0

# --- adjustments ---------------------------------------------------------------------------------

#: After an illness or several missed days, the first week back is at 75 % of the plan and each
#: 7 days after may be at most 15 % above the one before, until the plan's own load is reached:
#: about two weeks back (Daniels ch. 15, "breaks from training"). Missed work is not made up.
RETURN_START_FACTOR: Final = 0.75
RETURN_STEP: Final = 1.15
RETURN_MAX_WEEKS: Final = 6
#: The first week back has no hard session (Daniels ch. 15: easy running first).
RETURN_EASY_DAYS: Final = 7
#: Missed days from which the return ramp applies (one missed session changes nothing else).
RETURN_AFTER_MISSED_DAYS: Final = 4
DEFAULT_ILLNESS_DAYS: Final = 7
#: With a pain or an injury, for this many days hard sessions (intervals, tempo, hills) turn easy and
#: every distance is cut to 70 % (Silbernagel; knowledge/corpus/*/achilles-tendinopathy.md).
INJURY_EASE_DAYS: Final = 14
INJURY_VOLUME_FACTOR: Final = 0.70


def _for_goal(table: dict[float, _T], goal_distance_m: float) -> _T:
    """The entry of the nearest goal race at or above ``goal_distance_m`` (the marathon's above)."""
    for distance in sorted(table):
        if goal_distance_m <= distance * 1.05:
            return table[distance]
    return table[max(table)]


def race_peak_weekly_km(goal_distance_m: float) -> float:
    return _for_goal(RACE_PEAK_WEEKLY_KM, goal_distance_m)


def long_run_peak_km(goal_distance_m: float) -> tuple[float, float]:
    return _for_goal(LONG_RUN_PEAK_KM, goal_distance_m)


def taper_weeks(goal_distance_m: float) -> int:
    return _for_goal(TAPER_WEEKS, goal_distance_m)


def long_run_max_share(days_per_week: int, start_weekly_km: float, goal_distance_m: float) -> float:
    """30 %, or 35 % for a beginner, three runs a week or fewer, or a marathon (see above)."""
    relaxed = (
        days_per_week <= 3
        or start_weekly_km < BEGINNER_WEEKLY_KM
        or goal_distance_m > races.HALF_MARATHON_M * 1.05
    )
    return LONG_RUN_MAX_SHARE_RELAXED if relaxed else LONG_RUN_MAX_SHARE


def hard_sessions_max(days_per_week: int) -> int:
    return HARD_SESSIONS_MAX_FEW_DAYS if days_per_week <= 3 else HARD_SESSIONS_MAX


def race_pace_work_share(goal_distance_m: float) -> float:
    if goal_distance_m > races.HALF_MARATHON_M * 1.05:
        return RACE_PACE_WORK_MAX_SHARE[races.MARATHON_M]
    return RACE_PACE_WORK_SHARE_DEFAULT
