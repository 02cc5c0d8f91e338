"""The athlete's recent hard sessions (intervals, tempo): what a plan's intensity starts from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from analytics.queries.common import activity, features, window


@dataclass(frozen=True)
class RecentIntensity:
    weeks: int
    hard_sessions: int

    @property
    def per_week(self) -> float:
        return self.hard_sessions / self.weeks


def recent_intensity(
    conn: Connection, athlete_id: int, *, weeks: int, today: dt.date | None, min_zone45_s: float
) -> RecentIntensity:
    """Hard runs (``min_zone45_s`` or more in zones 4-5) of the athlete over the last ``weeks`` full weeks."""
    first, last = window(weeks + 1, today)
    this_monday = last - dt.timedelta(days=last.weekday())
    zone45 = func.coalesce(features.c.zone4_s, 0.0) + func.coalesce(features.c.zone5_s, 0.0)
    count = conn.execute(
        select(func.count())
        .select_from(activity.join(features, features.c.activity_id == activity.c.id))
        .where(
            activity.c.athlete_id == athlete_id,
            activity.c.is_running.is_(True),
            activity.c.local_date >= first,
            activity.c.local_date < this_monday,
            zone45 >= min_zone45_s,
        )
    ).scalar_one()
    return RecentIntensity(weeks=weeks, hard_sessions=int(count))
