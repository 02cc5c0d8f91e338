"""The weekly dashboard (the seed's use case 1), every week of the window present; the last 7 days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection, case, func, select

from analytics.queries.common import activity, today_utc, window
from foulee.units import METRES_PER_KM, MPS_TO_KMH, SECONDS_PER_HOUR

COLUMNS = (
    "week_start",
    "distance_km",
    "moving_time_h",
    "avg_speed_kmh",
    "load",
    "max_hr",
    "runs",
    "activities",
    "vma_kmh",
)


def weekly_dashboard(
    conn: Connection, athlete_id: int, weeks: int = 12, today: dt.date | None = None
) -> pd.DataFrame:
    """One row per week (Monday start, athlete's local time), oldest first.

    Distance, time and speed are running only; speed comes only from runs with
    a trustworthy pace; load counts every sport; ``max_hr`` only trustworthy
    HR; ``vma_kmh`` is the best VMA any activity of the week demonstrated.
    Weeks without activity are present with zeros (and empty speed, HR, VMA).
    """
    since, until = window(weeks, today)
    a = activity.c
    pace_time = func.sum(case((a.pace_ok, a.moving_time_s)))
    query = (
        select(
            a.week_start,
            func.coalesce(func.sum(case((a.is_running, a.distance_m), else_=0.0)), 0.0),
            func.coalesce(func.sum(case((a.is_running, a.moving_time_s), else_=0.0)), 0.0),
            func.sum(case((a.pace_ok, a.distance_m))) / func.nullif(pace_time, 0.0),
            func.coalesce(func.sum(a.training_load), 0.0),
            func.max(case((a.hr_ok, a.max_hr))),
            func.sum(case((a.is_running, 1), else_=0)),
            func.count(),
            func.max(a.vma_kmh),
        )
        .where(a.athlete_id == athlete_id, a.local_date.between(since, until))
        .group_by(a.week_start)
        .order_by(a.week_start)
    )
    every_week = [since + dt.timedelta(weeks=offset) for offset in range(weeks)]
    position = {week: index for index, week in enumerate(every_week)}
    # Filled column by column in numpy: one DataFrame built at the end costs a
    # fraction of pandas' reindex-and-cast on a small frame.
    values = np.zeros((weeks, len(COLUMNS) - 1))
    values[:, [2, 4, 7]] = np.nan  # speed, max HR and VMA are unknown in empty weeks
    for week, *measures in conn.execute(query):
        day = week if isinstance(week, dt.date) else dt.date.fromisoformat(str(week))
        values[position[day]] = np.array(
            [np.nan if value is None else value for value in measures], dtype=float
        )
    return pd.DataFrame(
        {
            "week_start": every_week,
            "distance_km": values[:, 0] / METRES_PER_KM,
            "moving_time_h": values[:, 1] / SECONDS_PER_HOUR,
            "avg_speed_kmh": values[:, 2] * MPS_TO_KMH,
            "load": values[:, 3],
            "max_hr": values[:, 4],
            "runs": values[:, 5].astype(int),
            "activities": values[:, 6].astype(int),
            "vma_kmh": values[:, 7],
        }
    )


def period_totals(
    conn: Connection, athlete_id: int, start: dt.date, end: dt.date
) -> dict[str, float | int | None]:
    """Running totals of the local days ``start`` to ``end`` (both included), as the dashboard counts them.

    Keys: ``distance_km``, ``moving_time_h``, ``avg_speed_kmh`` (None without a trustworthy pace),
    ``load``, ``runs``, ``activities``, ``longest_km``.
    """
    a = activity.c
    pace_time = func.sum(case((a.pace_ok, a.moving_time_s)))
    row = conn.execute(
        select(
            func.coalesce(func.sum(case((a.is_running, a.distance_m), else_=0.0)), 0.0),
            func.coalesce(func.sum(case((a.is_running, a.moving_time_s), else_=0.0)), 0.0),
            func.sum(case((a.pace_ok, a.distance_m))) / func.nullif(pace_time, 0.0),
            func.coalesce(func.sum(a.training_load), 0.0),
            func.coalesce(func.sum(case((a.is_running, 1), else_=0)), 0),
            func.count(),
            func.max(case((a.is_running, a.distance_m))),
        ).where(a.athlete_id == athlete_id, a.local_date.between(start, end))
    ).one()
    distance, moving, speed, load, runs, count, longest = (
        None if value is None else float(value) for value in row
    )
    return {
        "distance_km": (distance or 0.0) / METRES_PER_KM,
        "moving_time_h": (moving or 0.0) / SECONDS_PER_HOUR,
        "avg_speed_kmh": speed * MPS_TO_KMH if speed is not None else None,
        "load": load or 0.0,
        "runs": int(runs or 0),
        "activities": int(count or 0),
        "longest_km": longest / METRES_PER_KM if longest is not None else None,
    }


#: "The last 7 days": a rolling window, today included, so Monday morning is not an empty week.
RECENT_DAYS = 7


@dataclass(frozen=True)
class RecentRunning:
    """The running of the last ``days`` local days, today included (``first_day`` to ``last_day``)."""

    first_day: dt.date
    last_day: dt.date
    distance_km: float
    runs: int


def recent_running(
    conn: Connection, athlete_id: int, days: int = RECENT_DAYS, today: dt.date | None = None
) -> RecentRunning:
    """Running distance and runs over the athlete's last ``days`` local days (a rolling window)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    last_day = today or today_utc()
    first_day = last_day - dt.timedelta(days=days - 1)
    a = activity.c
    row = conn.execute(
        select(
            func.coalesce(func.sum(case((a.is_running, a.distance_m), else_=0.0)), 0.0),
            func.coalesce(func.sum(case((a.is_running, 1), else_=0)), 0),
        ).where(a.athlete_id == athlete_id, a.local_date.between(first_day, last_day))
    ).one()
    distance, runs = float(row[0]), int(row[1])
    return RecentRunning(first_day, last_day, distance / METRES_PER_KM, runs)
