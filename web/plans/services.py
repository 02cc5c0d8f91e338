"""Training plans: generate a periodised plan, find the next session, adjust for a missed day or an illness.

The coach agent, the web pages and the API call these. ``create_plan`` is the
generator: it builds a plan from the inputs it is given. ``create_plan_for_athlete``
is the use case every door calls: it gathers those inputs for an athlete (their
level from the analytics engine, their remembered availability and injuries)
so a plan made on the web, over the API or in the chat starts from the same facts.

How a plan is built (the numbers are named constants below, each with its source):

* **Phases** (Bompa & Haff, "Periodization", 5th ed.; Daniels, "Daniels' Running
  Formula", 3rd ed., ch. 10): base (easy volume), build (threshold work),
  specific (race-pace and VO2max intervals), taper.
* **Taper**: volume cut by 40–60 % over the last 1–3 weeks with intensity kept
  (Mujika & Padilla 2003, Med Sci Sports Exerc 35(7):1182; Bosquet et al. 2007,
  Med Sci Sports Exerc 39(8):1358): one week up to 10 km, two for a half, three
  for a marathon.
* **Volume**: from the athlete's recent weekly volume, +10 % a week at most
  (the conventional ceiling, e.g. Daniels ch. 3 on stress increments), every
  fourth week a recovery week at 70 %, capped at a peak that suits the distance
  and at 1.5 × the starting volume. The long run is 30 % of the week (40 % with
  three sessions or fewer) and stays the longest session (easy runs at most 80 %
  of it).
* **Paces**: Daniels' intensities from the athlete's VDOT
  (``analytics.metrics.pace_zones``); with a target time, race-pace sessions use
  the goal pace instead of M/T pace. Without a VDOT, heart-rate zones only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from analytics import metrics, queries
from analytics.db import get_engine
from foulee import limits, races
from foulee.sports import RUNNING_SPORTS
from foulee.units import METRES_PER_KM
from web.accounts.models import AthleteProfile, User
from web.accounts.timezones import zone_of
from web.activities.models import Activity
from web.coaching.models import AthleteFact, FactKind
from web.plans.models import PlannedSession, PlanStatus, SessionStatus, SessionType, TrainingPlan

MIN_PLAN_WEEKS: Final = 3
MAX_PLAN_WEEKS: Final = 30
WEEKLY_INCREASE: Final = 1.10
RECOVERY_WEEK_EVERY: Final = 4
RECOVERY_WEEK_FACTOR: Final = 0.70
#: Taper weeks' share of peak volume, last week last (Mujika & Padilla 2003: -40 to -60 %).
TAPER_FACTORS: Final = {1: (0.55,), 2: (0.70, 0.50), 3: (0.80, 0.65, 0.45)}
#: Peak weekly km and longest run km per goal distance (upper bound, km): Daniels' and
#: Pfitzinger's entry-level plans ("Advanced Marathoning", 2nd ed., 55-mile schedule) scaled down.
PEAKS_KM: Final = (
    (5_500.0, 35.0, 12.0),
    (11_000.0, 45.0, 16.0),
    (22_000.0, 55.0, 21.0),
    (50_000.0, 70.0, 32.0),
)
#: Never below this weekly volume, so a beginner's plan still has sessions worth running.
FLOOR_WEEKLY_KM: Final = 12.0
DEFAULT_DAYS_PER_WEEK: Final = 3
#: Training days (Monday = 0) for each number of sessions a week; the last one is the long run.
WEEKDAYS: Final = {
    1: (6,),
    2: (2, 6),
    3: (1, 3, 6),
    4: (1, 3, 5, 6),
    5: (0, 1, 3, 5, 6),
    6: (0, 1, 2, 3, 5, 6),
    7: (0, 1, 2, 3, 4, 5, 6),
}
LONG_RUN_SHARE: Final = 0.30
#: With three sessions a week or fewer, the long run carries more of the week.
LONG_RUN_SHARE_FEW_DAYS: Final = 0.40
QUALITY_SHARE: Final = 0.20
#: The long run stays the longest session: an easy run is at most this share of it.
EASY_TO_LONG_MAX: Final = 0.80
#: A plan raises weekly volume by at most this factor over its course, whatever the distance's peak.
MAX_VOLUME_GROWTH: Final = 1.5
#: After an illness, hard sessions turn easy and volume is cut for as many days as were lost
#: (at least 3, at most 14): Daniels ch. 15 ("breaks from training") resumes below the old load.
ILLNESS_RETURN_FACTOR: Final = 0.70
ILLNESS_RETURN_MIN_DAYS: Final = 3
ILLNESS_RETURN_MAX_DAYS: Final = 14
#: With a pain or an injury, for this many days (default) hard sessions (intervals, tempo, hills)
#: turn easy and every distance is cut to ``INJURY_VOLUME_FACTOR``: the pain-monitoring model keeps
#: running at a load the injury tolerates, without speed or hill work (Silbernagel et al. 2007,
#: Am J Sports Med 35(6):897; knowledge/corpus/*/achilles-tendinopathy.md, shin-splints.md).
INJURY_EASE_DAYS: Final = 14
INJURY_VOLUME_FACTOR: Final = 0.70


@dataclass(frozen=True)
class AthleteLevel:
    """What the plan starts from: recent running volume and, when known, the best recent VDOT."""

    weekly_km: float
    vdot: float | None


@dataclass(frozen=True)
class Adjustment:
    """What ``adjust_plan`` changed, for the coach to say."""

    reason: str
    cancelled: list[PlannedSession]
    eased: list[PlannedSession]
    missed: list[PlannedSession]


class NoActivePlanError(LookupError):
    """The athlete has no active plan to read or adjust."""


def sessions_a_week(days_per_week: int | None) -> int:
    """The sessions a week a plan has: the number asked for, within 1 to 7, or the default."""
    return min(7, max(1, days_per_week or DEFAULT_DAYS_PER_WEEK))


def plan_weeks(start: dt.date, goal_date: dt.date) -> int:
    """Calendar weeks (Monday to Sunday) from the one containing ``start`` to the race week."""
    start_monday = start - dt.timedelta(days=start.weekday())
    race_monday = goal_date - dt.timedelta(days=goal_date.weekday())
    return (race_monday - start_monday).days // 7 + 1


def phase_lengths(weeks: int, goal_distance_m: float) -> dict[str, int]:
    """Weeks of base, build, specific and taper for a plan of ``weeks`` weeks."""
    taper = 1 if goal_distance_m <= 11_000 else 2 if goal_distance_m <= 22_000 else 3
    taper = min(taper, max(1, weeks // 4))
    rest = weeks - taper
    base = max(1, round(rest * 0.40)) if rest >= 3 else 0
    build = max(1, round(rest * 0.35)) if rest >= 2 else 0
    specific = rest - base - build
    return {"base": base, "build": build, "specific": specific, "taper": taper}


def _peaks(goal_distance_m: float) -> tuple[float, float]:
    for limit, weekly_km, long_km in PEAKS_KM:
        if goal_distance_m <= limit:
            return weekly_km, long_km
    return PEAKS_KM[-1][1], PEAKS_KM[-1][2]


def weekly_volumes(weeks: int, goal_distance_m: float, start_km: float) -> list[tuple[str, float]]:
    """(phase, km) for every week of the plan, the race week last."""
    phases = phase_lengths(weeks, goal_distance_m)
    peak_km, _ = _peaks(goal_distance_m)
    # An athlete already above the distance's peak keeps their volume; nobody grows more than 50 %.
    peak = max(min(peak_km, max(start_km, FLOOR_WEEKLY_KM) * MAX_VOLUME_GROWTH), start_km)
    volume = max(FLOOR_WEEKLY_KM, start_km)
    plan: list[tuple[str, float]] = []
    loading = [name for name in ("base", "build", "specific") for _ in range(phases[name])]
    previous_recovery = True  # the first week starts at the athlete's current volume
    for index, phase in enumerate(loading, start=1):
        recovery = index % RECOVERY_WEEK_EVERY == 0
        if not recovery and not previous_recovery:
            volume = min(peak, volume * WEEKLY_INCREASE)
        # A recovery week does not raise the level: the week after it resumes where training was.
        plan.append((phase, volume * RECOVERY_WEEK_FACTOR if recovery else volume))
        previous_recovery = recovery
    top = max((km for _, km in plan), default=volume)
    for factor in TAPER_FACTORS[phases["taper"]]:
        plan.append(("taper", top * factor))
    return plan


def _pace(speed_mps: float) -> float:
    """Seconds per km, clamped into the range PlannedSession accepts."""
    return limits.clamp_pace(METRES_PER_KM / speed_mps)


def _paces(level: AthleteLevel, goal_distance_m: float, target_time_s: float | None) -> dict[str, float]:
    paces: dict[str, float] = {}
    if level.vdot:
        zones = {zone.name.split()[0]: zone for zone in metrics.pace_zones(level.vdot)}
        for key in ("E", "M", "T", "I"):
            zone = zones[key]
            paces[key] = _pace((zone.low + zone.high) / 2.0)
        paces["race"] = _pace(goal_distance_m / metrics.race_time_for_vdot(level.vdot, goal_distance_m))
    if target_time_s:
        paces["race"] = limits.clamp_pace(target_time_s / (goal_distance_m / METRES_PER_KM))
    return paces


_TEXT: Final = {
    "fr": {
        SessionType.EASY: "Footing facile, en aisance respiratoire",
        SessionType.LONG: "Sortie longue, allure facile",
        SessionType.TEMPO: "Tempo : échauffement, {minutes} min à allure seuil, retour au calme",
        SessionType.INTERVALS: (
            "Fractionné : échauffement, {reps} × 3 min vite (récup 2 min trot), retour au calme"
        ),
        "race_pace": "Allure spécifique : échauffement, {minutes} min à l'allure objectif, retour au calme",
        SessionType.RACE: "Jour de course ! Échauffement court, départ prudent",
        "illness": "Reprise après maladie : footing facile réduit",
        "injury": "Allégé pour ta blessure : footing facile réduit, sans fractionné ni côtes",
    },
    "en": {
        SessionType.EASY: "Easy run, conversational",
        SessionType.LONG: "Long run, easy pace",
        SessionType.TEMPO: "Tempo: warm-up, {minutes} min at threshold pace, cool-down",
        SessionType.INTERVALS: "Intervals: warm-up, {reps} × 3 min hard (2 min jog), cool-down",
        "race_pace": "Race pace: warm-up, {minutes} min at goal pace, cool-down",
        SessionType.RACE: "Race day! Short warm-up, start conservatively",
        "illness": "Back after illness: reduced easy run",
        "injury": "Eased for your injury: reduced easy run, no intervals or hills",
    },
}


def _session(
    plan: TrainingPlan,
    day: dt.date,
    kind: str,
    distance_km: float,
    paces: dict[str, float],
    language: str,
) -> PlannedSession:
    text = _TEXT.get(language, _TEXT["en"])
    session_type = SessionType.TEMPO if kind == "race_pace" else SessionType(kind)
    pace_key = {"easy": "E", "long": "E", "tempo": "T", "intervals": "I", "race_pace": "race"}[kind]
    zone = {"easy": 2, "long": 2, "tempo": 4, "intervals": 5, "race_pace": 4}[kind]
    minutes = max(10, round(distance_km * 0.4 * (paces.get(pace_key, 330.0)) / 60.0 / 5.0) * 5)
    reps = max(3, min(8, round(distance_km / 1.5)))
    return PlannedSession(
        plan=plan,
        date=day,
        session_type=session_type,
        description=text[kind].format(minutes=minutes, reps=reps),
        target_distance_m=round(max(distance_km, 0.1) * METRES_PER_KM, -2),
        target_pace_s_per_km=paces.get(pace_key),
        target_hr_zone=zone,
    )


def _week_sessions(phase: str, days: int, peak_long_km: float, volume_km: float) -> list[tuple[str, float]]:
    """The (kind, km) of one week's sessions, in weekday order, the long run last."""
    share = LONG_RUN_SHARE_FEW_DAYS if days <= 3 else LONG_RUN_SHARE
    long_km = min(peak_long_km, volume_km * share) if days > 1 else volume_km
    quality: list[str] = []
    if phase == "build" and days >= 2:
        quality = ["tempo"]
    elif phase == "specific" and days >= 2:
        quality = ["intervals", "race_pace"] if days >= 4 else ["race_pace"]
    elif phase == "taper" and days >= 2:
        quality = ["race_pace"]
    quality_km = volume_km * QUALITY_SHARE
    easy_count = days - 1 - len(quality)
    remaining = max(0.0, volume_km - long_km - quality_km * len(quality))
    easy_km = min(remaining / easy_count, long_km * EASY_TO_LONG_MAX) if easy_count > 0 else 0.0
    kinds = ["easy"] * easy_count
    # Hard days are spread: easy, hard, easy, hard ... long.
    ordered: list[tuple[str, float]] = []
    for index in range(days - 1):
        if quality and (index % 2 == 1 or not kinds):
            ordered.append((quality.pop(0), quality_km))
        elif kinds:
            kinds.pop()
            ordered.append(("easy", max(3.0, easy_km)))
        else:
            ordered.append((quality.pop(0), quality_km))
    ordered.append(("long", long_km))
    return ordered


@transaction.atomic
def create_plan(
    athlete: User,
    *,
    goal_distance_m: float,
    goal_date: dt.date,
    level: AthleteLevel,
    today: dt.date,
    target_time_s: float | None = None,
    days_per_week: int | None = None,
    language: str = "en",
    notes: str = "",
) -> TrainingPlan:
    """Build, store and return a new active plan, retiring the current one, in one transaction.

    Raises ``ValueError`` when the race is too close (under ``MIN_PLAN_WEEKS``
    weeks) or too far (over ``MAX_PLAN_WEEKS``), or already past.
    """
    start = today + dt.timedelta(days=1)
    weeks = plan_weeks(start, goal_date)
    if goal_date <= today:
        raise ValueError("the race date must be in the future")
    if weeks < MIN_PLAN_WEEKS or weeks > MAX_PLAN_WEEKS:
        raise ValueError(f"a plan needs {MIN_PLAN_WEEKS} to {MAX_PLAN_WEEKS} weeks; the race is in {weeks}")
    days = sessions_a_week(days_per_week)
    TrainingPlan.objects.select_for_update().filter(athlete=athlete, status=PlanStatus.ACTIVE).update(
        status=PlanStatus.ABANDONED
    )
    km_label = f"{goal_distance_m / METRES_PER_KM:g} km"
    plan = TrainingPlan(
        athlete=athlete,
        name=f"{km_label} · {goal_date:%Y-%m-%d}",
        goal_distance_m=goal_distance_m,
        goal_date=goal_date,
        target_time_s=target_time_s,
        start_date=start,
        status=PlanStatus.ACTIVE,
        notes=notes,
    )
    plan.full_clean()
    plan.save()
    paces = _paces(level, goal_distance_m, target_time_s)
    _, peak_long = _peaks(goal_distance_m)
    sessions: list[PlannedSession] = []
    # Week 1 is the (possibly partial) week that ends on the Sunday on or after the start;
    # the race week is the one containing goal_date.
    race_monday = goal_date - dt.timedelta(days=goal_date.weekday())
    first_monday = race_monday - dt.timedelta(weeks=weeks - 1)
    for week_index, (phase, volume) in enumerate(weekly_volumes(weeks, goal_distance_m, level.weekly_km)):
        monday = first_monday + dt.timedelta(weeks=week_index)
        for weekday, (kind, distance_km) in zip(
            WEEKDAYS[days], _week_sessions(phase, days, peak_long, volume), strict=True
        ):
            day = monday + dt.timedelta(days=weekday)
            if start <= day < goal_date:
                sessions.append(_session(plan, day, kind, distance_km, paces, language))
    race = PlannedSession(
        plan=plan,
        date=goal_date,
        session_type=SessionType.RACE,
        description=_TEXT.get(language, _TEXT["en"])[SessionType.RACE],
        target_distance_m=goal_distance_m,
        target_pace_s_per_km=paces.get("race"),
    )
    sessions.append(race)
    for session in sessions:
        session.full_clean()
    PlannedSession.objects.bulk_create(sessions)
    return plan


def active_plan(athlete: User) -> TrainingPlan | None:
    return TrainingPlan.objects.filter(athlete=athlete, status=PlanStatus.ACTIVE).first()


def next_session(athlete: User, today: dt.date) -> PlannedSession | None:
    """The first session still planned on or after ``today`` in the athlete's active plan."""
    return (
        PlannedSession.objects.filter(
            plan__athlete=athlete,
            plan__status=PlanStatus.ACTIVE,
            status=SessionStatus.PLANNED,
            date__gte=today,
        )
        .exclude(session_type=SessionType.REST)
        .order_by("date", "id")
        .first()
    )


@transaction.atomic
def adjust_plan(
    athlete: User, *, reason: str, today: dt.date, days: int | None = None, language: str = "en"
) -> Adjustment:
    """Adjust the active plan for a missed session or an illness; the rule is documented here.

    * ``missed``: the most recent planned session before today (or today's) is
      marked missed and **not** made up: cramming it into the following days
      stacks load (Daniels ch. 3: missed training is lost, not owed).
    * ``illness`` (``days`` off, default 7): the sessions planned in those days
      are marked missed; then, for as many days as were lost (3 to 14), hard
      sessions become easy runs and every distance is cut to 70 %.
    * ``injury`` (``days``, default ``INJURY_EASE_DAYS``): from today, for those
      days, hard sessions become easy runs and every distance is cut to
      ``INJURY_VOLUME_FACTOR`` (``ease_for_injury``); nothing is marked missed.

    The race session is never changed.
    """
    plan = TrainingPlan.objects.select_for_update().filter(athlete=athlete, status=PlanStatus.ACTIVE).first()
    if plan is None:
        raise NoActivePlanError("no active plan")
    planned = plan.sessions.filter(status=SessionStatus.PLANNED).exclude(session_type=SessionType.RACE)
    if reason == "missed":
        session = planned.filter(date__lte=today).order_by("-date", "-id").first()
        missed = []
        if session is not None:
            session.status = SessionStatus.MISSED
            session.save(update_fields=["status", "updated_at"])
            missed.append(session)
        return Adjustment("missed", [], [], missed)
    if reason == "injury":
        eased = ease_for_injury(plan, today, days or INJURY_EASE_DAYS, language)
        return Adjustment("injury", [], eased, [])
    if reason != "illness":
        raise ValueError("reason must be 'missed', 'illness' or 'injury'")
    lost = max(1, min(days or 7, 28))
    sick_until = today + dt.timedelta(days=lost)
    cancelled = list(planned.filter(date__gte=today, date__lt=sick_until))
    for session in cancelled:
        session.status = SessionStatus.MISSED
        session.save(update_fields=["status", "updated_at"])
    back_days = min(ILLNESS_RETURN_MAX_DAYS, max(ILLNESS_RETURN_MIN_DAYS, lost))
    eased = list(planned.filter(date__gte=sick_until, date__lt=sick_until + dt.timedelta(days=back_days)))
    _ease(eased, ILLNESS_RETURN_FACTOR, _TEXT.get(language, _TEXT["en"])["illness"])
    return Adjustment("illness", cancelled, eased, [])


def _ease(sessions: list[PlannedSession], factor: float, description: str) -> None:
    """Hard sessions become easy runs (zone 2, no pace), every distance is cut to ``factor``."""
    for session in sessions:
        if session.session_type in (SessionType.TEMPO, SessionType.INTERVALS):
            session.session_type = SessionType.EASY
            session.target_hr_zone = 2
            session.target_pace_s_per_km = None
        if session.target_distance_m:
            reduced = round(session.target_distance_m * factor, -2)
            session.target_distance_m = max(1000.0, reduced)
        session.description = description
        session.full_clean()
        session.save()


def ease_for_injury(
    plan: TrainingPlan, start: dt.date, days: int, language: str = "en"
) -> list[PlannedSession]:
    """Ease ``plan``'s planned sessions from ``start`` for ``days`` days for an injury; returns them.

    No intervals, tempo or hills, every distance cut to ``INJURY_VOLUME_FACTOR``; the race and the
    sessions already done or missed are left alone.
    """
    eased = list(
        plan.sessions.filter(
            status=SessionStatus.PLANNED,
            date__gte=start,
            date__lt=start + dt.timedelta(days=max(1, min(days, 28))),
        )
        .exclude(session_type__in=(SessionType.RACE, SessionType.REST))
        .order_by("date", "id")
    )
    _ease(eased, INJURY_VOLUME_FACTOR, _TEXT.get(language, _TEXT["en"])["injury"])
    return eased


def mark_session_done(session: PlannedSession, activity: Activity | None = None) -> PlannedSession:
    """Mark ``session`` done, fulfilled by ``activity`` when given; raises ValidationError.

    Every door (API, bot, web) calls this after checking the session is the
    caller's to mark; the model's validation checks the activity is the plan's
    athlete's, and an activity fulfils at most one session.
    """
    with transaction.atomic():
        session = PlannedSession.objects.select_for_update().select_related("plan").get(pk=session.pk)
        if activity is not None:
            taken = PlannedSession.objects.filter(completed_activity=activity).exclude(pk=session.pk)
            if taken.exists():
                raise ValidationError({"activity_id": "That activity already fulfils another session."})
        session.status = SessionStatus.DONE
        session.completed_activity = activity
        session.full_clean()
        session.save(update_fields=["status", "completed_activity", "updated_at"])
    return session


def runs_by_day(athlete: User, first: dt.date, last: dt.date) -> dict[dt.date, Activity]:
    """The athlete's longest free run of each day from ``first`` to ``last``, by their local day.

    "Free": not yet fulfilling a planned session. Days are the athlete's own (their
    profile's time zone), as the plan's dates are: a 23:30 run in Paris is that day's run.
    """
    zone = zone_of(athlete)
    runs = Activity.objects.filter(
        user=athlete,
        sport__in=RUNNING_SPORTS,
        start_time__gte=dt.datetime.combine(first, dt.time(), zone),
        start_time__lt=dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone),
        planned_session__isnull=True,
    ).order_by(F("distance_m").desc(nulls_last=True), "start_time")
    longest: dict[dt.date, Activity] = {}
    for run in runs:
        longest.setdefault(run.start_time.astimezone(zone).date(), run)
    return longest


def match_activities(plan: TrainingPlan) -> list[PlannedSession]:
    """Mark done the sessions of ``plan`` that an imported run fulfils; returns those sessions.

    The rule: a session still *planned* (not a rest day, not marked missed) becomes
    done with a running activity (``foulee.sports.RUNNING_SPORTS``) of the plan's
    athlete that started on the session's date, in the athlete's time zone, and
    fulfils no other session; with several runs that day, the longest. Distance and
    pace are not compared: a shorter run than planned is still the session, run
    differently, and the coach reads the difference. A session marked missed stays
    missed, since the athlete or ``adjust_plan`` said so. Calling it again changes
    nothing (an activity fulfils one session at most), so the web pages call it
    whenever the plan is shown.
    """
    sessions = list(
        plan.sessions.filter(status=SessionStatus.PLANNED)
        .exclude(session_type=SessionType.REST)
        .order_by("date")
    )
    if not sessions:
        return []
    runs = runs_by_day(plan.athlete, sessions[0].date, sessions[-1].date)
    matched = []
    for session in sessions:
        run = runs.pop(session.date, None)
        if run is not None:
            matched.append(mark_session_done(session, run))
    return matched


# --- a plan for an athlete: the one use case the web form, the API and the coach's tool call ----------

#: The recent volume a new plan starts from: the average of this many full weeks.
LEVEL_WEEKS: Final = 4


@dataclass(frozen=True)
class PlanForAthlete:
    """A new plan with the inputs it was built from, for the door to show or say."""

    plan: TrainingPlan
    level: AthleteLevel
    days_per_week: int
    #: True when the days came from the athlete's remembered availability, not from the request.
    days_from_memory: bool
    #: The athlete's active injury facts, as they told them.
    injuries: list[str]
    #: How many of the first sessions were eased for those injuries (``ease_for_injury``).
    eased_for_injury: int = 0


def athlete_level(athlete: User, today: dt.date) -> AthleteLevel:
    """Recent weekly running volume and best recent VDOT, from the analytics engine."""
    with get_engine().connect() as conn:
        weeks = queries.weekly_dashboard(conn, athlete.pk, weeks=LEVEL_WEEKS + 1, today=today)
        prediction = queries.predict_race(conn, athlete.pk, races.TEN_K_M, today=today)
    full_weeks = weeks["distance_km"].iloc[:-1]  # the current week is not over
    return AthleteLevel(weekly_km=float(full_weeks.mean()), vdot=prediction.vdot)


def remembered_days_per_week(athlete: User) -> int | None:
    """The days a week the athlete last said they can train (an active availability fact), if any."""
    fact = (
        AthleteFact.objects.filter(
            athlete=athlete, kind=FactKind.AVAILABILITY, active=True, days_per_week__isnull=False
        )
        .order_by("-created_at", "-id")
        .first()
    )
    return fact.days_per_week if fact else None


def active_injuries(athlete: User) -> list[str]:
    """The athlete's active injury facts, newest first, in their own words."""
    facts = AthleteFact.objects.filter(athlete=athlete, kind=FactKind.INJURY, active=True)
    return list(facts.order_by("-created_at", "-id").values_list("text", flat=True))


def athlete_language(athlete: User) -> str:
    """Session descriptions are written in the athlete's language, whoever makes the plan."""
    profile = AthleteProfile.objects.filter(user=athlete).first()
    return "en" if profile is not None and profile.language == "en" else "fr"


@transaction.atomic
def create_plan_for_athlete(
    athlete: User,
    *,
    goal_distance_m: float,
    goal_date: dt.date,
    today: dt.date | None = None,
    target_time_s: float | None = None,
    days_per_week: int | None = None,
    language: str | None = None,
    created_by: User | None = None,
) -> PlanForAthlete:
    """Build the athlete's plan from what Foulée knows of them, the same way from every door.

    The level comes from the analytics store (``athlete_level``); the days a
    week from the request or else from the remembered availability; the
    active injuries from the remembered facts: ``create_plan`` keeps them in
    the plan's notes and, while one is active, the plan's first
    ``INJURY_EASE_DAYS`` days are eased (``ease_for_injury``). ``today`` is
    the athlete's local day unless given. Raises ``ValueError`` or
    ``ValidationError`` as ``create_plan`` does.
    """
    if today is None:
        today = dt.datetime.now(zone_of(athlete)).date()
    level = athlete_level(athlete, today)
    remembered = remembered_days_per_week(athlete) if days_per_week is None else None
    injuries = active_injuries(athlete)
    plan = create_plan(
        athlete,
        goal_distance_m=goal_distance_m,
        goal_date=goal_date,
        target_time_s=target_time_s,
        level=level,
        today=today,
        days_per_week=days_per_week or remembered,
        language=language or athlete_language(athlete),
        notes="; ".join(injuries),
    )
    eased = (
        ease_for_injury(plan, plan.start_date, INJURY_EASE_DAYS, language or athlete_language(athlete))
        if injuries
        else []
    )
    if created_by is not None:
        plan.created_by = created_by
        plan.save(update_fields=["created_by", "updated_at"])
    return PlanForAthlete(
        plan=plan,
        level=level,
        days_per_week=sessions_a_week(days_per_week or remembered),
        days_from_memory=remembered is not None,
        injuries=injuries,
        eased_for_injury=len(eased),
    )
