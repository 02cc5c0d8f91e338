"""A coach whose athletes need attention, one for each reason of ``web.coaching.attention``; one fine.

Shared by the Django-client tests and the browser tests of the coach's home. Days are counted back
from ``today`` (UTC); runs start at 08:00 UTC, the same day in the athletes' default zone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import give_consent
from web.accounts.models import Role, User
from web.activities.models import Activity
from web.coaching.models import AthleteFact, FactKind
from web.plans.models import PlannedSession, PlanStatus, SessionType, TrainingPlan

#: The athletes by the reason each needs attention for ("fine" needs none).
NAMES = {
    "no_run": "Nina Norun",
    "high_fatigue": "Fanny Fatigue",
    "missed_key_session": "Marc Missed",
    "new_injury": "Iris Injury",
    "fine": "Olga Fine",
}


def _run(athlete: User, day: dt.date, load: float = 30.0, metres: float = 8_000.0) -> Activity:
    seconds = metres / 3.0
    activity = Activity(
        user=athlete,
        start_time=dt.datetime.combine(day, dt.time(8, 0), tzinfo=dt.UTC),
        distance_m=metres,
        duration_s=seconds + 5,
        moving_time_s=seconds,
        avg_speed_mps=3.0,
        max_speed_mps=4.0,
        training_load=load,
    )
    activity.full_clean()
    activity.save()
    return activity


def seed(coach: User, password: str, today: dt.date) -> dict[str, User]:
    """The athletes of ``coach``, by reason; the caller syncs the analytics store afterwards."""

    def athlete(reason: str) -> User:
        name = NAMES[reason]
        email = f"{name.split()[0].lower()}.{coach.pk}@example.org"
        user = User.objects.create_user(email, password, role=Role.ATHLETE, coach=coach, full_name=name)
        give_consent(user)  # their form (fatigue) derives from heart rate
        return user

    people: dict[str, Any] = {reason: athlete(reason) for reason in NAMES}
    _run(people["no_run"], today - dt.timedelta(days=10))
    # Five weeks of light running, then a week of very heavy days: fatigue (ATL) far above fitness.
    for back in range(40, 0, -1):
        _run(people["high_fatigue"], today - dt.timedelta(days=back), load=250.0 if back <= 7 else 20.0)
    missed = people["missed_key_session"]
    _run(missed, today - dt.timedelta(days=2))
    plan = TrainingPlan.objects.create(
        athlete=missed,
        name="10 km",
        goal_distance_m=10_000.0,
        goal_date=today + dt.timedelta(days=60),
        start_date=today - dt.timedelta(days=14),
        status=PlanStatus.ACTIVE,
    )
    PlannedSession.objects.create(
        plan=plan,
        date=today - dt.timedelta(days=3),
        session_type=SessionType.LONG,
        target_distance_m=16_000.0,
    )
    # An easy run missed is not a key session: it is not reported.
    PlannedSession.objects.create(plan=plan, date=today - dt.timedelta(days=4), session_type=SessionType.EASY)
    _run(people["new_injury"], today - dt.timedelta(days=1))
    AthleteFact.objects.create(
        athlete=people["new_injury"], kind=FactKind.INJURY, text="Pain in my left knee"
    )
    _run(people["fine"], today - dt.timedelta(days=1))
    # An injury retired, and one still active but told two weeks ago: neither is new.
    AthleteFact.objects.create(athlete=people["fine"], kind=FactKind.INJURY, text="Old ankle", active=False)
    told = AthleteFact.objects.create(athlete=people["fine"], kind=FactKind.INJURY, text="Tight calf")
    two_weeks_ago = dt.datetime.combine(today - dt.timedelta(days=14), dt.time(9, 0), tzinfo=dt.UTC)
    AthleteFact.objects.filter(pk=told.pk).update(created_at=two_weeks_ago)
    return people
