"""Load the demo world into the system of record, once.

Idempotent by account: an account that already exists is left exactly as it
is (with whatever its owner did since), and a missing one is created with its
whole history. Each account is written in one transaction, so an interrupted
load leaves no half-made athlete behind.

Each run's recorded samples (:mod:`web.demo.samples`) go to the analytics store,
as an imported file's do, once the sync has written the run's row; a demo run
whose samples the store lacks (a store rebuilt from scratch) gets them back the
next time the demo is loaded.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pandas as pd
from django.db import transaction
from django.utils import timezone
from sqlalchemy import select

from analytics import metrics
from analytics.db import get_engine
from analytics.schema import activity_table, samples_table
from analytics.sync import attach_samples
from foulee.units import km, pace_s_per_km
from web.accounts import consent
from web.accounts.models import ConsentChannel, Role, User
from web.activities.models import Activity, Source, Sport
from web.demo import history, samples
from web.demo.athletes import ATHLETES, COACH, DEMO_PASSWORD, DemoAthlete
from web.plans.models import PlannedSession, PlanStatus, SessionStatus, SessionType, TrainingPlan


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    created: bool
    activities: int


def load_demo(today: dt.date | None = None) -> list[DemoAccount]:
    """Create the demo coach and athletes that do not exist yet; report on all of them."""
    today = today or timezone.localdate()
    accounts: list[DemoAccount] = []
    with transaction.atomic():
        coach = User.objects.filter(email=COACH.email).first()
        coach_created = coach is None
        if coach is None:
            coach = User.objects.create_user(
                COACH.email, DEMO_PASSWORD, full_name=COACH.full_name, role=Role.COACH
            )
            coach.profile.language = COACH.language
            coach.profile.save()
    accounts.append(DemoAccount(coach.email, coach.full_name, Role.COACH, coach_created, 0))
    recorded: dict[int, pd.DataFrame] = {}
    for athlete in ATHLETES:
        account, athlete_samples = _load_athlete(athlete, coach, today)
        accounts.append(account)
        recorded.update(athlete_samples)
    if recorded:
        # The samples go to the analytics store, where a file's samples go, once their rows are there.
        attach_samples(recorded)
    return accounts


def _load_athlete(
    spec: DemoAthlete, coach: User, today: dt.date
) -> tuple[DemoAccount, dict[int, pd.DataFrame]]:
    """The athlete's account, and the samples of the activities just created, by activity id."""
    with transaction.atomic():
        existing = User.objects.filter(email=spec.email).first()
        if existing is not None:
            count = existing.activities.count()
            return DemoAccount(spec.email, spec.full_name, Role.ATHLETE, False, count), _missing_samples(
                spec, existing
            )
        user = User.objects.create_user(
            spec.email, DEMO_PASSWORD, full_name=spec.full_name, role=Role.ATHLETE, coach=coach
        )
        # The demo athletes have ticked the health-data box at sign-up (``web.accounts.consent``).
        consent.record(user, granted=True, channel=ConsentChannel.WEB)
        profile = user.profile
        profile.birth_year = spec.birth_year
        profile.sex = spec.sex
        profile.weight_kg = spec.weight_kg
        profile.hr_max = spec.hr_max
        profile.hr_rest = spec.hr_rest
        profile.language = spec.language
        profile.timezone = spec.timezone
        profile.full_clean()
        profile.save()

        runs = [
            (prescription, _recorded(spec, prescription, run))
            for prescription, run in history.generate_history(spec, today)
        ]
        activities = [_activity(user, run) for _, (run, _) in runs]
        for activity in activities:
            # Field validators here; the database checks the table constraints on insert.
            activity.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
        Activity.objects.bulk_create(activities, batch_size=500)
        by_date = {
            prescription.date: activity for (prescription, _), activity in zip(runs, activities, strict=True)
        }
        _create_plan(spec, user, coach, today, by_date)
        recorded = {
            activity.pk: run_samples for activity, (_, (_, run_samples)) in zip(activities, runs, strict=True)
        }
        return DemoAccount(spec.email, spec.full_name, Role.ATHLETE, True, len(activities)), recorded


def _missing_samples(spec: DemoAthlete, user: User) -> dict[int, pd.DataFrame]:
    """Samples of the athlete's demo runs that the analytics store lacks, by activity id.

    The samples live in the analytics store only (a demo run has no file to read them
    back from), so a store rebuilt from scratch, or a demo loaded before runs had
    samples, lacks them. The history is regenerated from the week of the athlete's
    first activity: an activity whose start and distance are a generated run's is that
    run, and gets the very samples it got at first; anything else (the athlete's own
    entries, edited runs) is left alone.
    """
    activities = list(
        user.activities.filter(source=Source.MANUAL, original_file="").values_list(
            "pk", "start_time", "distance_m"
        )
    )
    if not activities:
        return {}
    s = samples_table.c
    with get_engine().connect() as conn:
        stored: set[int] = set(
            conn.execute(
                select(s.activity_id)
                .join(activity_table, activity_table.c.id == s.activity_id)
                .where(activity_table.c.athlete_id == user.pk)
            ).scalars()
        )
    missing = [(pk, start, distance) for pk, start, distance in activities if pk not in stored]
    if not missing:
        return {}
    first = min(start for _, start, _ in activities).astimezone(ZoneInfo(spec.timezone)).date()
    # The history's last week is the one of the day it was loaded: its Sunday covers every run.
    start = first - dt.timedelta(days=first.weekday())
    history_today = start + dt.timedelta(weeks=history.HISTORY_WEEKS, days=6)
    generated = {
        run.start_time: (prescription, run)
        for prescription, run in history.generate_history(spec, history_today)
    }
    found: dict[int, pd.DataFrame] = {}
    for pk, start, distance in missing:
        match = generated.get(start)
        if match is not None and match[1].distance_m == distance:
            found[pk] = _recorded(spec, *match)[1]
    return found


def _recorded(
    spec: DemoAthlete, prescription: history.Prescription, run: history.DemoRun
) -> tuple[history.DemoRun, pd.DataFrame]:
    """The run with the maxima its samples show, and the samples."""
    recording = samples.record_demo_run(spec, prescription, run)
    maxima = dataclasses.replace(
        run,
        max_hr=max(recording.max_hr, run.avg_hr),
        max_speed_mps=max(recording.max_speed_mps, run.avg_speed_mps),
    )
    return maxima, recording.samples


def _activity(user: User, run: history.DemoRun) -> Activity:
    return Activity(
        user=user,
        sport=Sport.RUN,
        name=run.name,
        description=run.description,
        start_time=run.start_time,
        distance_m=run.distance_m,
        duration_s=run.duration_s,
        moving_time_s=run.moving_time_s,
        elevation_gain_m=run.elevation_gain_m,
        avg_hr=run.avg_hr,
        max_hr=run.max_hr,
        avg_speed_mps=run.avg_speed_mps,
        max_speed_mps=run.max_speed_mps,
        avg_cadence_spm=run.avg_cadence_spm,
        calories_kcal=run.calories_kcal,
        training_load=run.training_load,
        source=Source.MANUAL,
    )


def _create_plan(
    spec: DemoAthlete, user: User, coach: User, today: dt.date, done_on: dict[dt.date, Activity]
) -> TrainingPlan:
    sessions = history.plan_prescriptions(spec, today)
    plan = TrainingPlan(
        athlete=user,
        name=spec.plan.name,
        goal_distance_m=spec.plan.goal_distance_m,
        goal_date=sessions[-1].date,
        target_time_s=spec.plan.target_time_s,
        start_date=sessions[0].date - dt.timedelta(days=sessions[0].date.weekday()),
        status=PlanStatus.ACTIVE,
        created_by=coach,
    )
    plan.full_clean()
    plan.save()
    planned = []
    for prescription in sessions:
        activity = done_on.get(prescription.date) if prescription.date < today else None
        if prescription.date >= today:
            status = SessionStatus.PLANNED
        else:
            status = SessionStatus.DONE if activity is not None else SessionStatus.MISSED
        session = PlannedSession(
            plan=plan,
            date=prescription.date,
            session_type=prescription.session_type,
            description=prescription.description,
            target_distance_m=prescription.distance_m,
            target_pace_s_per_km=_target_pace(spec, prescription),
            target_hr_zone=history.HR_ZONE_OF.get(prescription.session_type),
            status=status,
            completed_activity=activity,
        )
        session.full_clean(validate_constraints=False)
        planned.append(session)
    PlannedSession.objects.bulk_create(planned)
    return plan


def _target_pace(spec: DemoAthlete, prescription: history.Prescription) -> float | None:
    if prescription.session_type == SessionType.RACE:
        if spec.plan.target_time_s is None:
            return None
        return round(spec.plan.target_time_s / km(spec.plan.goal_distance_m))
    intensity = history.WORK_INTENSITY[prescription.session_type]
    pace = pace_s_per_km(metrics.speed_at_vdot_fraction(prescription.vdot, intensity))
    return round(pace) if pace is not None else None
