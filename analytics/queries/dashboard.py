"""The weekly dashboard (the seed's use case 1), every week of the window present."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Connection, case, func, select

from analytics.queries.common import activity, features, window
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
            func.max(features.c.vma_kmh),
        )
        .select_from(activity.outerjoin(features, features.c.activity_id == a.id))
        .where(a.athlete_id == athlete_id, a.local_date.between(since, until))
        .group_by(a.week_start)
        .order_by(a.week_start)
    )
    rows = conn.execute(query).all()
    found = pd.DataFrame.from_records(rows, columns=COLUMNS)
    found["week_start"] = pd.to_datetime(found["week_start"]).dt.date
    found = found.set_index("week_start")
    every_week = [since + dt.timedelta(weeks=offset) for offset in range(weeks)]
    frame = found.reindex(every_week)
    for column in ("distance_km", "moving_time_h", "load", "runs", "activities"):
        frame[column] = frame[column].fillna(0)
    frame["distance_km"] = frame["distance_km"].astype(float) / METRES_PER_KM
    frame["moving_time_h"] = frame["moving_time_h"].astype(float) / SECONDS_PER_HOUR
    frame["avg_speed_kmh"] = frame["avg_speed_kmh"].astype(float) * MPS_TO_KMH
    frame["runs"] = frame["runs"].astype(int)
    frame["activities"] = frame["activities"].astype(int)
    frame["max_hr"] = frame["max_hr"].astype(float)
    frame["vma_kmh"] = frame["vma_kmh"].astype(float)
    frame.index.name = "week_start"
    return frame.reset_index()
