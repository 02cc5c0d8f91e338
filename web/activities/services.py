"""Manual activity entry: a run the athlete tells the coach about, without a file.

The import service (``analytics.importing``) handles files; this one takes a
handful of numbers, so it must validate exactly as the admin form does: the
model's ``full_clean`` applies ``foulee.limits`` field by field.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from foulee.races import is_race_name
from foulee.sports import RUNNING_SPORTS
from web.accounts.models import User
from web.activities.models import Activity, Source, Sport


def log_manual_activity(
    athlete: User,
    *,
    start_time: dt.datetime,
    distance_m: float,
    duration_s: float,
    sport: str = Sport.RUN,
    avg_hr: float | None = None,
    name: str = "",
) -> Activity:
    """Create and return a validated manual activity for ``athlete``.

    Raises ``django.core.exceptions.ValidationError`` (with one message per
    field) when a value is implausible; nothing is saved then. The average
    speed is derived (distance over time), since a person rarely knows it.
    """
    if start_time.tzinfo is None:
        raise ValueError("start_time must be timezone-aware")
    activity = Activity(
        user=athlete,
        sport=sport,
        name=name,
        start_time=start_time,
        distance_m=distance_m,
        duration_s=duration_s,
        moving_time_s=duration_s,
        avg_hr=avg_hr,
        avg_speed_mps=distance_m / duration_s if duration_s > 0 else None,
        source=Source.MANUAL,
    )
    activity.full_clean()
    with transaction.atomic():
        activity.save()
    return activity


def race_results(athlete: User) -> list[Activity]:
    """The athlete's race results, newest first.

    A race is a running activity marked as one (it fulfils a planned session of type race), read
    from a results page (``Source.RESULTS``: ``web.activities.results``), or named as one
    (``foulee.races.is_race_name``: "10 km de Paris", "Semi-marathon de Lyon", "parkrun").
    Activity names live here, in the system of record, not in the analytics store.
    """
    from web.plans.models import SessionType

    runs = (
        Activity.objects.filter(user=athlete, sport__in=RUNNING_SPORTS, distance_m__isnull=False)
        .select_related("planned_session")
        .order_by("-start_time", "-id")
    )
    found = []
    for run in runs:
        session = getattr(run, "planned_session", None)
        if (
            (session is not None and session.session_type == SessionType.RACE)
            or run.source == Source.RESULTS
            or is_race_name(run.name)
        ):
            found.append(run)
    return found
