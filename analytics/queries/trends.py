"""Performance trends (the seed's use case 3), with the window bound as a parameter.

The seed wrote ``INTERVAL ':weeks weeks'``: a bind parameter inside a string
literal, which the driver never substitutes. Here the start of the window is
computed in Python and bound as a date.

The moving averages also see the runs just before the window (up to
``LOOKBACK_DAYS``), so the window's first run carries a real 7-run mean rather
than its own speed: a trend that started from one run would call any fast
first day a decline. ``speed_runs`` says how many runs each mean holds.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import numpy as np
import pandas as pd
from sqlalchemy import Connection, func, select

from analytics.queries.common import activity, period
from foulee.units import METRES_PER_KM, MPS_TO_KMH

#: The moving average of speed spans this many runs; the rolling spread of load this many.
SPEED_WINDOW: Final = 7
LOAD_WINDOW: Final = 14
#: How far before the window the moving averages may look for their earlier runs.
LOOKBACK_DAYS: Final = 120


def performance_trends(
    conn: Connection,
    athlete_id: int,
    weeks: int = 12,
    today: dt.date | None = None,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """One row per run of the window with a trustworthy pace, oldest first.

    ``speed_trend_kmh`` is the average speed of this run and the 6 before it
    (``speed_runs`` of them: fewer only when the athlete has fewer before);
    ``load_stability`` the sample standard deviation of load over this run and
    the 13 before it (SQLite has no STDDEV, so the window returns the mean of
    the load and of its square, and the deviation is finished here). Both look
    back before the window's start (``LOOKBACK_DAYS``).
    """
    since, until = period(weeks, today, start, end)
    a = activity.c
    order = (a.start_time, a.id)
    speed_rows = (-(SPEED_WINDOW - 1), 0)
    load_rows = (-(LOAD_WINDOW - 1), 0)
    moving = (
        select(
            a.id,
            a.start_time,
            a.local_date,
            a.distance_m,
            a.moving_time_s,
            a.avg_speed_mps,
            a.training_load,
            func.avg(a.avg_speed_mps).over(order_by=order, rows=speed_rows).label("speed_trend"),
            func.avg(a.training_load).over(order_by=order, rows=load_rows).label("load_mean"),
            func.avg(a.training_load * a.training_load).over(order_by=order, rows=load_rows).label("load_sq"),
            func.count(a.training_load).over(order_by=order, rows=load_rows).label("load_n"),
            func.count(a.avg_speed_mps).over(order_by=order, rows=speed_rows).label("speed_n"),
        )
        .where(
            a.athlete_id == athlete_id,
            a.local_date.between(since - dt.timedelta(days=LOOKBACK_DAYS), until),
            a.pace_ok,
        )
        .subquery()
    )
    m = moving.c
    query = (
        select(
            m.id,
            m.start_time,
            m.distance_m,
            m.moving_time_s,
            m.avg_speed_mps,
            m.training_load,
            m.speed_trend,
            m.load_mean,
            m.load_sq,
            m.load_n,
            m.speed_n,
        )
        .where(m.local_date >= since)
        .order_by(m.start_time, m.id)
    )
    rows = conn.execute(query).all()
    # Columns straight into numpy (None becomes NaN): pandas arithmetic on a few dozen rows
    # would cost more than the query.
    ids, starts, distance, moving_s, speed, load, speed_trend, mean, mean_sq, n, speed_n = (
        list(column) for column in (zip(*rows, strict=True) if rows else [()] * 11)
    )
    count = np.array(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        variance = (np.array(mean_sq, dtype=float) - np.array(mean, dtype=float) ** 2) * count / (count - 1)
    # Rounding can leave a tiny negative variance for constant loads.
    stability = np.sqrt(np.where(count > 1, np.clip(variance, 0.0, None), np.nan))
    return pd.DataFrame(
        {
            "activity_id": pd.Series(ids, dtype="int64"),
            "start_time": pd.to_datetime(pd.Series(starts, dtype=object), utc=True),
            "distance_km": np.array(distance, dtype=float) / METRES_PER_KM,
            "duration_min": np.array(moving_s, dtype=float) / 60.0,
            "speed_kmh": np.array(speed, dtype=float) * MPS_TO_KMH,
            "speed_trend_kmh": np.array(speed_trend, dtype=float) * MPS_TO_KMH,
            "speed_runs": np.array(speed_n, dtype="int64"),
            "load": np.array(load, dtype=float),
            "load_stability": stability,
        }
    )
