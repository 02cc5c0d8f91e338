"""Manual activity entry: a run the athlete tells the coach about, without a file.

The import service (``analytics.importing``) handles files; this one takes a
handful of numbers, so it must validate exactly as the admin form does: the
model's ``full_clean`` applies ``foulee.limits`` field by field.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

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
