"""Personal records: the best effort over each standard distance and duration."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Connection, or_, select

from analytics.db import to_frame
from analytics.features import BEST_DISTANCE_COLUMNS, BEST_DURATION_COLUMNS
from analytics.queries.common import activity, features


def personal_records(conn: Connection, athlete_id: int) -> pd.DataFrame:
    """One row per standard distance or duration the athlete has a record for.

    Columns: ``effort`` (column name), ``kind`` (``distance`` or ``duration``),
    ``target`` (metres or seconds), ``value`` (seconds for distances, metres for
    durations), ``activity_id``, ``date``, ``from_samples``. Only efforts with a
    trustworthy pace count.
    """
    a, f = activity.c, features.c
    columns = [*BEST_DISTANCE_COLUMNS, *BEST_DURATION_COLUMNS]
    rows = conn.execute(
        select(a.id, a.local_date, f.from_samples, *(f[column] for column in columns))
        .select_from(activity.join(features, f.activity_id == a.id))
        .where(a.athlete_id == athlete_id, a.pace_ok, or_(*(f[column].is_not(None) for column in columns)))
    ).all()
    records = []
    if rows:
        frame = to_frame(rows, columns=["activity_id", "date", "from_samples", *columns])
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
