"""Heart-rate zones analysis (the seed's zones query, done right).

The seed put the boundaries at fractions of the athlete's highest *average*
HR, with four correlated sub-queries per row. Here the boundaries come from the
athlete's real HR max (measured, or estimated and said so), Karvonen zones when
a resting HR is known, and time in zone comes from HR samples when the activity
has them; otherwise the whole moving time counts in the zone of its average HR.
One indexed query reads the window; the grouping is a numpy bincount.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from analytics import metrics
from analytics.features import ZONE_COLUMNS
from analytics.queries.common import NOT_ENOUGH_DATA, activity, features, period, physiology
from foulee.units import SECONDS_PER_HOUR


@dataclass(frozen=True)
class ZonesAnalysis:
    """Time and activities per zone over the window, and how the zones were set."""

    method: str
    hr_max: float | None
    hr_max_source: str | None
    hr_rest: float | None
    table: pd.DataFrame
    activities: int
    share_from_samples: float
    note: str

    @property
    def available(self) -> bool:
        return self.activities > 0


def zones_analysis(
    conn: Connection,
    athlete_id: int,
    weeks: int = 12,
    today: dt.date | None = None,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> ZonesAnalysis:
    """Per zone: activities (by their average HR), hours, share of time and average load."""
    body = physiology(conn, athlete_id, today)
    empty = pd.DataFrame(
        columns=["zone", "name", "low_bpm", "high_bpm", "activities", "hours", "share", "avg_load"]
    )
    if body is None:
        return ZonesAnalysis(
            "none", None, None, None, empty, 0, 0.0, f"{NOT_ENOUGH_DATA}: no activity synced"
        )
    zones, method = body.zones()
    since, until = period(weeks, today, start, end)
    a, f = activity.c, features.c
    rows = conn.execute(
        select(a.avg_hr, a.moving_time_s, a.training_load, *(f[column] for column in ZONE_COLUMNS))
        .select_from(activity.outerjoin(features, f.activity_id == a.id))
        .where(a.athlete_id == athlete_id, a.local_date.between(since, until), a.hr_ok)
    ).all()
    if not rows:
        return ZonesAnalysis(
            method,
            body.hr_max,
            body.hr_max_source,
            body.hr_rest,
            empty,
            0,
            0.0,
            f"{NOT_ENOUGH_DATA}: no activity with heart rate in the window",
        )
    # Plain tuples: handed SQLAlchemy rows, numpy probes each for array attributes it lacks.
    data = np.array([tuple(row) for row in rows], dtype=np.float64)
    avg_hr, moving, load, zone_seconds = data[:, 0], data[:, 1], data[:, 2], data[:, 3:]
    count = len(zones)
    position = metrics.zone_positions(avg_hr, zones)
    in_a_zone = position >= 0
    sampled = np.asarray(~np.isnan(zone_seconds).any(axis=1), dtype=bool)
    # Activities with zone samples add their measured seconds; the others their whole
    # moving time in the zone of their average HR.
    seconds = np.nansum(np.where(sampled[:, None], zone_seconds, 0.0), axis=0)
    summary_only = in_a_zone & ~sampled
    seconds += np.bincount(position[summary_only], weights=moving[summary_only], minlength=count)[:count]
    counts = np.bincount(position[in_a_zone], minlength=count)[:count]
    has_load = in_a_zone & ~np.isnan(load)
    load_sums = np.bincount(position[has_load], weights=load[has_load], minlength=count)[:count]
    load_counts = np.bincount(position[has_load], minlength=count)[:count]
    total = seconds.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        avg_load = np.where(load_counts > 0, load_sums / load_counts, np.nan)
        share = seconds / total if total > 0 else np.zeros(count)
    table = pd.DataFrame(
        {
            "zone": [zone.number for zone in zones],
            "name": [zone.name for zone in zones],
            "low_bpm": [zone.low_bpm for zone in zones],
            "high_bpm": [zone.high_bpm for zone in zones],
            "activities": counts,
            "hours": seconds / SECONDS_PER_HOUR,
            "share": share,
            "avg_load": avg_load,
        }
    )
    return ZonesAnalysis(
        method=method,
        hr_max=body.hr_max,
        hr_max_source=body.hr_max_source,
        hr_rest=body.hr_rest if method == "karvonen" else None,
        table=table,
        activities=len(rows),
        share_from_samples=float(sampled.mean()),
        note=body.describe(),
    )
