"""Performance trends (the seed's use case 3), with the window bound as a parameter.

The seed wrote ``INTERVAL ':weeks weeks'``: a bind parameter inside a string
literal, which the driver never substitutes. Here the start of the window is
computed in Python and bound as a date.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import numpy as np
import pandas as pd
from sqlalchemy import Connection, func, select

from analytics.queries.common import activity, window
from foulee.units import METRES_PER_KM, MPS_TO_KMH

#: The moving average of speed spans this many runs; the rolling spread of load this many.
SPEED_WINDOW: Final = 7
LOAD_WINDOW: Final = 14


def performance_trends(
    conn: Connection, athlete_id: int, weeks: int = 12, today: dt.date | None = None
) -> pd.DataFrame:
    """One row per run with a trustworthy pace, oldest first.

    ``speed_trend_kmh`` is the average speed of this run and the 6 before it;
    ``load_stability`` the sample standard deviation of load over this run and
    the 13 before it (SQLite has no STDDEV, so the window returns the mean of
    the load and of its square, and the deviation is finished here). Windows
    see only runs of the period, as in the seed.
    """
    since, until = window(weeks, today)
    a = activity.c
    order = (a.start_time, a.id)
    speed_rows = (-(SPEED_WINDOW - 1), 0)
    load_rows = (-(LOAD_WINDOW - 1), 0)
    query = (
        select(
            a.id,
            a.start_time,
            a.distance_m,
            a.moving_time_s,
            a.avg_speed_mps,
            a.training_load,
            func.avg(a.avg_speed_mps).over(order_by=order, rows=speed_rows),
            func.avg(a.training_load).over(order_by=order, rows=load_rows),
            func.avg(a.training_load * a.training_load).over(order_by=order, rows=load_rows),
            func.count(a.training_load).over(order_by=order, rows=load_rows),
        )
        .where(a.athlete_id == athlete_id, a.local_date.between(since, until), a.pace_ok)
        .order_by(a.start_time, a.id)
    )
    rows = conn.execute(query).all()
    # Columns straight into numpy (None becomes NaN): pandas arithmetic on a few dozen rows
    # would cost more than the query.
    ids, starts, distance, moving, speed, load, speed_trend, mean, mean_sq, n = (
        list(column) for column in (zip(*rows, strict=True) if rows else [()] * 10)
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
            "duration_min": np.array(moving, dtype=float) / 60.0,
            "speed_kmh": np.array(speed, dtype=float) * MPS_TO_KMH,
            "speed_trend_kmh": np.array(speed_trend, dtype=float) * MPS_TO_KMH,
            "load": np.array(load, dtype=float),
            "load_stability": stability,
        }
    )
