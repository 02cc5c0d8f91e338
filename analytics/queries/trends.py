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

from analytics.db import to_frame
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
    raw = to_frame(
        rows,
        columns=[
            "activity_id",
            "start_time",
            "distance_m",
            "moving_s",
            "speed",
            "load",
            "speed_trend",
            "mean",
            "mean_sq",
            "n",
        ],
    )
    n = raw["n"].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        variance = (raw["mean_sq"].astype(float) - raw["mean"].astype(float) ** 2) * n / (n - 1)
    return pd.DataFrame(
        {
            "activity_id": raw["activity_id"],
            "start_time": raw["start_time"],
            "distance_km": raw["distance_m"].astype(float) / METRES_PER_KM,
            "duration_min": raw["moving_s"].astype(float) / 60.0,
            "speed_kmh": raw["speed"].astype(float) * MPS_TO_KMH,
            "speed_trend_kmh": raw["speed_trend"].astype(float) * MPS_TO_KMH,
            "load": raw["load"].astype(float),
            # Rounding can leave a tiny negative variance for constant loads.
            "load_stability": np.sqrt(variance.where(n > 1).clip(lower=0.0)),
        }
    )
