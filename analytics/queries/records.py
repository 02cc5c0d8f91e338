"""Personal records: the best effort over each standard distance and duration."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from analytics.db import to_frame
from analytics.features import (
    BEST_DISTANCE_COLUMNS,
    BEST_DURATION_COLUMNS,
    SUMMARY_EFFORT_TOLERANCE,
    whole_run_efforts,
)
from analytics.queries.common import activity, features


def personal_records(conn: Connection, athlete_id: int) -> pd.DataFrame:
    """One row per standard distance or duration the athlete has a record for.

    Columns: ``effort`` (column name), ``kind`` (``distance`` or ``duration``),
    ``target`` (metres or seconds), ``value`` (seconds for distances, metres for
    durations), ``activity_id``, ``date``, ``from_samples``. Only efforts with a
    trustworthy pace count: best efforts found in samples, and whole runs at most
    5 % longer than a standard distance (timed at their average pace).
    """
    a, f = activity.c, features.c
    low = min(BEST_DISTANCE_COLUMNS.values())
    high = max(BEST_DISTANCE_COLUMNS.values()) * (1.0 + SUMMARY_EFFORT_TOLERANCE)
    runs = to_frame(
        conn.execute(
            select(a.id, a.local_date, a.distance_m, a.moving_time_s).where(
                a.athlete_id == athlete_id, a.pace_ok, a.distance_m.between(low, high)
            )
        ),
        columns=["activity_id", "date", "distance_m", "moving_time_s"],
    )
    efforts = whole_run_efforts(
        runs["distance_m"].to_numpy(dtype=float),
        runs["moving_time_s"].to_numpy(dtype=float),
        np.ones(len(runs), dtype=bool),
    )
    whole = pd.DataFrame({"activity_id": runs["activity_id"], "date": runs["date"], **efforts})
    whole["from_samples"] = False
    columns = [*BEST_DISTANCE_COLUMNS, *BEST_DURATION_COLUMNS]
    sampled = to_frame(
        conn.execute(
            select(a.id, a.local_date, *(f[column] for column in columns))
            .select_from(activity.join(features, f.activity_id == a.id))
            .where(a.athlete_id == athlete_id, a.pace_ok)
        ),
        columns=["activity_id", "date", *columns],
    )
    sampled["from_samples"] = True
    frame = pd.concat([sampled, whole], ignore_index=True)
    records = []
    for column in columns:
        values = frame[column].astype(float)
        if values.isna().all():
            continue
        is_distance = column in BEST_DISTANCE_COLUMNS
        best = int(np.nanargmin(values) if is_distance else np.nanargmax(values))
        records.append(
            {
                "effort": column,
                "kind": "distance" if is_distance else "duration",
                "target": BEST_DISTANCE_COLUMNS[column] if is_distance else BEST_DURATION_COLUMNS[column],
                "value": float(values.iloc[best]),
                "activity_id": int(frame["activity_id"].iloc[best]),
                "date": frame["date"].iloc[best],
                "from_samples": bool(frame["from_samples"].iloc[best]),
            }
        )
    return pd.DataFrame.from_records(
        records, columns=["effort", "kind", "target", "value", "activity_id", "date", "from_samples"]
    )
