"""Training plans: the use cases every door calls (web pages, API, bot, the coach's tools).

``create_plan_for_athlete`` gathers what Foulée knows of an athlete (recent volume and VDOT, recent
hard sessions from the analytics store, remembered availability and injuries) and ``create_plan``
builds the plan from it. The rules are named and cited in ``web.plans.rules``; the builder is split
by job: ``days`` (which weekday gets what), ``weeks`` (the volume curve, counted back from the race),
``library`` (sessions and their structure), ``realism`` (goal against prediction).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from analytics import queries
from analytics.db import get_engine
from analytics.queries.intensity import recent_intensity
from foulee import limits, races
from foulee.sports import RUNNING_SPORTS
from foulee.units import METRES_PER_KM
from web.accounts.models import AthleteProfile, User
from web.accounts.timezones import zone_of
from web.activities.models import Activity
from web.coaching.models import AthleteFact, FactKind
from web.plans import days as day_rules
from web.plans import library, realism, rules
from web.plans.days import DEFAULT_DAYS_PER_WEEK, sessions_a_week
from web.plans.models import PlannedSession, PlanStatus, SessionStatus, SessionType, TrainingPlan
from web.plans.weeks import phase_lengths, plan_weeks, weekly_volumes

# Names the doors read from here (one place each: ``rules``).
MIN_PLAN_WEEKS: Final = rules.MIN_PLAN_WEEKS
MAX_PLAN_WEEKS: Final = rules.MAX_PLAN_WEEKS
INJURY_EASE_DAYS: Final = rules.INJURY_EASE_DAYS
INJURY_VOLUME_FACTOR: Final = rules.INJURY_VOLUME_FACTOR
ILLNESS_RETURN_FACTOR: Final = rules.RETURN_START_FACTOR

__all__ = [
    "DEFAULT_DAYS_PER_WEEK",
    "phase_lengths",
    "plan_weeks",
    "sessions_a_week",
]


@dataclass(frozen=True)
class AthleteLevel:
    """What the plan starts from: recent weekly km, best recent VDOT, recent hard sessions a week."""

    weekly_km: float
    vdot: float | None
    hard_per_week: float = 0.0


@dataclass(frozen=True)
class Adjustment:
    """What ``adjust_plan`` changed, for the coach to say."""

    reason: str
    cancelled: list[PlannedSession]
    eased: list[PlannedSession]
    missed: list[PlannedSession]
    #: The first and last day the adjustment read as lost (the illness or the missed days).
    lost_from: dt.date | None = None
    lost_until: dt.date | None = None
    #: Planned km of each 7-day window of the return, before and after (the ramp back).
    ramp: list[tuple[float, float]] = field(default_factory=list)


class NoActivePlanError(LookupError):
    """The athlete has no active plan to read or adjust."""


_TEXT: Final = {
    "fr": {
        "easy": "Footing facile, en aisance respiratoire",
        "long": "Sortie longue, allure facile",
        "tempo": "Seuil : échauffement, bloc à allure seuil, retour au calme",
        "intervals": "Fractionné VMA : échauffement, répétitions, récupération trottinée, retour au calme",
        "race_pace": "Allure spécifique : échauffement, bloc à l'allure objectif, retour au calme",
        "race": "Jour de course ! Échauffement court, départ prudent",
        "pre_race": "Footing court et facile avant la course",
        "illness": "Reprise après maladie : footing facile réduit",
        "return": "Reprise progressive : volume réduit",
        "injury": "Allégé pour ta blessure : footing facile réduit, sans fractionné ni côtes",
    },
    "en": {
        "easy": "Easy run, conversational",
        "long": "Long run, easy pace",
        "tempo": "Threshold: warm-up, a block at threshold pace, cool-down",
        "intervals": "VO2max intervals: warm-up, reps, jog recoveries, cool-down",
        "race_pace": "Race pace: warm-up, a block at goal pace, cool-down",
        "race": "Race day! Short warm-up, start conservatively",
        "pre_race": "Short easy run before the race",
        "illness": "Back after illness: reduced easy run",
        "return": "Gradual return: reduced volume",
        "injury": "Eased for your injury: reduced easy run, no intervals or hills",
    },
}


def _text(language: str) -> dict[str, str]:
    return _TEXT.get(language, _TEXT["en"])


_TYPE_OF_KIND: Final = {
    "easy": SessionType.EASY,
    "long": SessionType.LONG,
    "tempo": SessionType.TEMPO,
    "race_pace": SessionType.TEMPO,
    "intervals": SessionType.INTERVALS,
}


def hard_kinds(phase: str, goal_distance_m: float, keeps_intervals: bool, recovery: bool) -> list[str]:
    """The week's hard sessions, most important first (the layout keeps as many as it has days for).

    Base: none, or intervals for an athlete who already runs them; build: threshold (and intervals
    for them); specific and taper: intervals and race pace (Daniels ch. 10). A recovery week keeps one.
    """
    short = goal_distance_m <= races.TEN_K_M * 1.05
    if phase == "base":
        kinds = ["intervals"] if keeps_intervals else []
    elif phase == "build":
        kinds = ["tempo", "intervals"] if keeps_intervals else ["tempo"]
    else:
        kinds = ["intervals", "race_pace"] if short else ["race_pace", "intervals"]
    return kinds[:1] if recovery else kinds


def _week_sessions(
    layout: day_rules.WeekLayout,
    week: library.Paces,
    *,
    phase: str,
    km: float,
    recovery: bool,
    goal_distance_m: float,
    long_share: float,
    keeps_intervals: bool,
) -> dict[int, library.Built]:
    """One week's sessions by weekday: long run, hard sessions, easy runs sharing the rest."""
    paces = week
    count = len(layout.days)
    peak_long = rules.long_run_peak_km(goal_distance_m)[1]
    long_km = km if count == 1 else min(peak_long, km * (0.5 if count == 2 else long_share))
    built: dict[int, library.Built] = {layout.long_day: library.steady("long", long_km, paces)}
    kinds = hard_kinds(phase, goal_distance_m, keeps_intervals, recovery)
    # The other runs share the rest of the week equally, never longer than the long run.
    share_km = min(long_km, (km - long_km) / (count - 1)) if count > 1 else 0.0
    for day, kind in zip(layout.hard_days, kinds, strict=False):
        if kind == "intervals":
            built[day] = library.intervals(share_km, km, paces)
        elif kind == "tempo":
            built[day] = library.tempo(share_km, km, paces)
        else:
            built[day] = library.race_pace(share_km, km, goal_distance_m, paces)
    for day in layout.days:
        if day not in built:
            built[day] = library.steady("easy", max(3.0, share_km), paces)
    return built


def _race_week_layout(layout: day_rules.WeekLayout, goal_date: dt.date) -> day_rules.WeekLayout:
    """The race week keeps its intensity on days more than ``PRE_RACE_EASY_DAYS`` before the race."""

    def to_race(weekday: int) -> int:
        return (goal_date.weekday() - weekday) % 7

    kept = [day for day in layout.hard_days if to_race(day) > rules.PRE_RACE_EASY_DAYS]
    # A moved hard day touches no hard day of the weeks before, nor another moved one.
    for day in sorted(layout.days, key=to_race, reverse=True):
        if len(kept) >= len(layout.hard_days):
            break
        if day in kept or day == layout.long_day or to_race(day) <= rules.PRE_RACE_EASY_DAYS:
            continue
        if all(day_rules.gap(day, other) > 1 for other in (*layout.hard_days, *kept)):
            kept.append(day)
    return day_rules.WeekLayout(days=layout.days, long_day=layout.long_day, hard_days=tuple(sorted(kept)))


def _stored(plan: TrainingPlan, day: dt.date, session: library.Built, language: str) -> PlannedSession:
    return PlannedSession(
        plan=plan,
        date=day,
        session_type=_TYPE_OF_KIND[session.kind],
        description=_text(language)[session.kind],
        structure=session.steps,
        target_distance_m=round(session.km * METRES_PER_KM, -2),
        target_pace_s_per_km=session.pace,
        target_hr_zone=session.hr_zone,
    )


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
    free_days: frozenset[int] | None = None,
    language: str = "en",
    notes: str = "",
) -> TrainingPlan:
    """Build, store and return a new active plan, retiring the current one, in one transaction.

    Raises ``ValueError`` when the race is too close (under ``MIN_PLAN_WEEKS``
    weeks) or too far (over ``MAX_PLAN_WEEKS``), or already past.
    """
    start = today + dt.timedelta(days=1)
    if goal_date <= today:
        raise ValueError("the race date must be in the future")
    weeks = plan_weeks(start, goal_date)
    if weeks < MIN_PLAN_WEEKS or weeks > MAX_PLAN_WEEKS:
        raise ValueError(f"a plan needs {MIN_PLAN_WEEKS} to {MAX_PLAN_WEEKS} weeks; the race is in {weeks}")
    TrainingPlan.objects.select_for_update().filter(athlete=athlete, status=PlanStatus.ACTIVE).update(
        status=PlanStatus.ABANDONED
    )
    plan = TrainingPlan(
        athlete=athlete,
        name=f"{goal_distance_m / METRES_PER_KM:g} km · {goal_date:%Y-%m-%d}",
        goal_distance_m=goal_distance_m,
        goal_date=goal_date,
        target_time_s=target_time_s,
        start_date=start,
        status=PlanStatus.ACTIVE,
        notes=notes,
    )
    plan.full_clean()
    plan.save()
    judged = realism.judge(level.vdot, goal_distance_m, target_time_s, weeks)
    race_pace = (
        limits.clamp_pace(judged.race_pace_time_s / (goal_distance_m / METRES_PER_KM))
        if judged.race_pace_time_s
        else None
    )
    paces = library.Paces.from_vdot(level.vdot, goal_distance_m, race_pace)
    layout = day_rules.week_layout(days_per_week, free_days)
    share = rules.long_run_max_share(len(layout.days), level.weekly_km, goal_distance_m)
    keeps = level.hard_per_week >= rules.HARD_SESSIONS_A_WEEK_TO_KEEP
    text = _text(language)
    sessions: list[PlannedSession] = []
    for index, week in enumerate(weekly_volumes(weeks, goal_distance_m, level.weekly_km)):
        before = weeks - 1 - index
        first = goal_date - dt.timedelta(days=7 * before + 6)
        built = _week_sessions(
            _race_week_layout(layout, goal_date) if before == 0 else layout,
            paces,
            phase=week.phase,
            km=week.km,
            recovery=week.recovery,
            goal_distance_m=goal_distance_m,
            long_share=share,
            keeps_intervals=keeps,
        )
        for offset in range(7):
            day = first + dt.timedelta(days=offset)
            session = built.get(day.weekday())
            if session is None or not start <= day < goal_date:
                continue
            to_race = (goal_date - day).days
            if to_race <= rules.PRE_RACE_EASY_DAYS or (
                session.kind == "long" and to_race < rules.LAST_LONG_RUN_DAYS_BEFORE_RACE
            ):
                easy_km = min(rules.PRE_RACE_EASY_MAX_KM, week.km * 0.15, session.km)
                stored = _stored(plan, day, library.steady("easy", max(3.0, easy_km), paces), language)
                stored.description = text["pre_race"]
            else:
                stored = _stored(plan, day, session, language)
            sessions.append(stored)
    sessions.append(
        PlannedSession(
            plan=plan,
            date=goal_date,
            session_type=SessionType.RACE,
            description=text["race"],
            target_distance_m=goal_distance_m,
            target_pace_s_per_km=paces.race,
        )
    )
    for stored_session in sessions:
        stored_session.full_clean()
    PlannedSession.objects.bulk_create(sessions)
    return plan


def plans_of(athlete: User) -> list[TrainingPlan]:
    """The athlete's plans, the active one first, then the newest: a retired plan stays readable."""
    plans = TrainingPlan.objects.filter(athlete=athlete).order_by("-created_at", "-id")
    return sorted(plans, key=lambda plan: plan.status != PlanStatus.ACTIVE)


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
    athlete: User,
    *,
    reason: str,
    today: dt.date,
    days: int | None = None,
    past: bool = False,
    language: str = "en",
) -> Adjustment:
    """Adjust the active plan for a missed session, missed days, an illness or an injury.

    * ``missed`` without ``days``: the most recent planned session up to today is
      marked missed and **not** made up (Daniels ch. 3: missed training is lost, not owed).
      With ``days``: the planned sessions of the last ``days`` days are marked missed and, from
      ``rules.RETURN_AFTER_MISSED_DAYS`` days, the return ramp follows.
    * ``illness``, ``days`` long (default ``rules.DEFAULT_ILLNESS_DAYS``): ``past`` ("j'ai été
      malade", "I was sick") reads the days as the ones before today; otherwise ("je suis
      malade") as today and the days after. The planned sessions of those days are
      **cancelled**, and the return ramp (``_ramp_back``) eases the weeks after.
    * ``injury`` (``days``, default ``INJURY_EASE_DAYS``): from today, hard sessions turn easy and
      distances are cut (``ease_for_injury``); nothing is cancelled.

    The race session is never changed.
    """
    plan = TrainingPlan.objects.select_for_update().filter(athlete=athlete, status=PlanStatus.ACTIVE).first()
    if plan is None:
        raise NoActivePlanError("no active plan")
    planned = plan.sessions.filter(status=SessionStatus.PLANNED).exclude(session_type=SessionType.RACE)
    if reason == "injury":
        for_injury = ease_for_injury(plan, today, days or INJURY_EASE_DAYS, language)
        return Adjustment("injury", [], for_injury, [])
    if reason == "missed" and not days:
        session = planned.filter(date__lte=today).order_by("-date", "-id").first()
        missed = []
        if session is not None:
            session.status = SessionStatus.MISSED
            session.save(update_fields=["status", "updated_at"])
            missed.append(session)
        return Adjustment("missed", [], [], missed)
    if reason not in ("missed", "illness"):
        raise ValueError("reason must be 'missed', 'illness' or 'injury'")
    lost = max(1, min(days or rules.DEFAULT_ILLNESS_DAYS, 28))
    if reason == "missed" or past:
        lost_from, back = today - dt.timedelta(days=lost), today
    else:
        lost_from, back = today, today + dt.timedelta(days=lost)
    status = SessionStatus.MISSED if reason == "missed" else SessionStatus.CANCELLED
    gone = list(planned.filter(date__gte=lost_from, date__lt=back).order_by("date", "id"))
    for session in gone:
        session.status = status
        session.save(update_fields=["status", "updated_at"])
    ramp: list[tuple[float, float]] = []
    eased: list[PlannedSession] = []
    if reason == "illness" or lost >= rules.RETURN_AFTER_MISSED_DAYS:
        eased, ramp = _ramp_back(plan, back, _text(language)["illness" if reason == "illness" else "return"])
    cancelled = gone if reason == "illness" else []
    missed = gone if reason == "missed" else []
    return Adjustment(reason, cancelled, eased, missed, lost_from, back - dt.timedelta(days=1), ramp)


def _ramp_back(
    plan: TrainingPlan, back: dt.date, description: str
) -> tuple[list[PlannedSession], list[tuple[float, float]]]:
    """Ease the 7-day windows from ``back`` so the load returns in steps (``rules.RETURN_*``).

    The first window is at ``RETURN_START_FACTOR`` of what it planned and has no hard session;
    each next one is at most ``RETURN_STEP`` above the one before, until the plan's own load is
    reached. Nothing missed is added back.
    """
    eased: list[PlannedSession] = []
    ramp: list[tuple[float, float]] = []
    cap: float | None = None
    for window in range(rules.RETURN_MAX_WEEKS):
        first = back + dt.timedelta(days=7 * window)
        sessions = list(
            plan.sessions.filter(
                status=SessionStatus.PLANNED, date__gte=first, date__lt=first + dt.timedelta(days=7)
            )
            .exclude(session_type__in=(SessionType.RACE, SessionType.REST))
            .order_by("date", "id")
        )
        planned_km = sum(s.target_distance_m or 0.0 for s in sessions) / METRES_PER_KM
        cap = planned_km * rules.RETURN_START_FACTOR if cap is None else cap * rules.RETURN_STEP
        if planned_km <= cap or not sessions:
            break
        factor = cap / planned_km
        if window == 0:
            _ease(sessions, factor, description)
        else:
            _scale(sessions, factor)
        eased.extend(sessions)
        ramp.append((planned_km, sum(s.target_distance_m or 0.0 for s in sessions) / METRES_PER_KM))
        cap = ramp[-1][1]
    return eased, ramp


def _scale(sessions: list[PlannedSession], factor: float) -> None:
    """Every distance cut to ``factor``, the session's kind and structure kept in proportion."""
    for session in sessions:
        if session.target_distance_m:
            session.target_distance_m = max(1000.0, round(session.target_distance_m * factor, -2))
        for step in session.structure:
            if step.get("kind") in ("warmup", "cooldown", "steady"):
                step["distance_m"] = max(500.0, round(step["distance_m"] * factor, -2))
        session.full_clean()
        session.save()


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
        pace = session.target_pace_s_per_km
        session.structure = (
            [{"kind": "steady", "distance_m": session.target_distance_m, "pace": pace}]
            if session.target_distance_m
            else []
        )
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
    _ease(eased, INJURY_VOLUME_FACTOR, _text(language)["injury"])
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
    #: The goal against the prediction (``realism.judge``).
    realism: realism.Realism = field(default_factory=lambda: realism.Realism("no_goal"))
    #: The weekdays the plan runs on (Monday = 0).
    weekdays: tuple[int, ...] = ()


def athlete_level(athlete: User, today: dt.date) -> AthleteLevel:
    """Recent weekly running volume and best recent VDOT, from the analytics engine."""
    with get_engine().connect() as conn:
        weeks = queries.weekly_dashboard(conn, athlete.pk, weeks=LEVEL_WEEKS + 1, today=today)
        prediction = queries.predict_race(conn, athlete.pk, races.TEN_K_M, today=today)
        hard = recent_intensity(
            conn,
            athlete.pk,
            weeks=rules.HISTORY_WEEKS,
            today=today,
            min_zone45_s=rules.HARD_SESSION_MIN_ZONE45_S,
        )
    full_weeks = weeks["distance_km"].iloc[:-1]  # the current week is not over
    return AthleteLevel(weekly_km=float(full_weeks.mean()), vdot=prediction.vdot, hard_per_week=hard.per_week)


def remembered_availability(athlete: User) -> tuple[int | None, frozenset[int] | None]:
    """The runs a week and the weekdays of the athlete's newest availability fact (either may be None).

    "mardi, jeudi et dimanche" gives three runs on those days; "weekdays only" Monday to Friday.
    """
    fact = (
        AthleteFact.objects.filter(athlete=athlete, kind=FactKind.AVAILABILITY, active=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if fact is None:
        return None, None
    free = day_rules.available_weekdays(fact.text)
    count = fact.days_per_week or (len(free) if free and len(free) < 5 else None)
    return count, free


def remembered_days_per_week(athlete: User) -> int | None:
    """The runs a week of the athlete's remembered availability, if any (``remembered_availability``)."""
    return remembered_availability(athlete)[0]


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
    remembered, free = remembered_availability(athlete)
    count = days_per_week or remembered
    injuries = active_injuries(athlete)
    language = language or athlete_language(athlete)
    plan = create_plan(
        athlete,
        goal_distance_m=goal_distance_m,
        goal_date=goal_date,
        target_time_s=target_time_s,
        level=level,
        today=today,
        days_per_week=count,
        free_days=free,
        language=language,
        notes="; ".join(injuries),
    )
    eased = ease_for_injury(plan, plan.start_date, INJURY_EASE_DAYS, language) if injuries else []
    if created_by is not None:
        plan.created_by = created_by
        plan.save(update_fields=["created_by", "updated_at"])
    layout = day_rules.week_layout(count, free)
    weeks = plan_weeks(plan.start_date, goal_date)
    return PlanForAthlete(
        plan=plan,
        level=level,
        days_per_week=len(layout.days),
        days_from_memory=days_per_week is None and (remembered is not None or free is not None),
        injuries=injuries,
        eased_for_injury=len(eased),
        realism=realism.judge(level.vdot, goal_distance_m, target_time_s, weeks),
        weekdays=layout.days,
    )
