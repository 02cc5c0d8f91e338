"""VMA and VO2max: from the athlete's best sustained effort."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Connection, select

from analytics import metrics
from analytics.queries.common import NOT_ENOUGH_DATA, activity, features, period


@dataclass(frozen=True)
class VmaEstimate:
    """VMA (km/h) and VO2max (ml/kg/min, Léger: 3.5 × VMA), or why there is none."""

    vma_kmh: float | None
    vo2max: float | None
    method: str
    activity_id: int | None
    activity_date: dt.date | None
    weeks: int
    #: What ``method`` says, as a code fronts can word in the athlete's language.
    basis: Literal["six_minute_effort", "whole_run_vdot"] | None = None

    @property
    def available(self) -> bool:
        return self.vma_kmh is not None


def estimate_vma(
    conn: Connection,
    athlete_id: int,
    weeks: int = 12,
    today: dt.date | None = None,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> VmaEstimate:
    """The best VMA demonstrated in the window.

    From samples, an activity's VMA is its best 6-minute average speed (the
    half-Cooper test); from a summary alone, it is the speed at the VDOT of the
    whole run (Daniels), a lower bound unless the run was a race.
    """
    since, until = period(weeks, today, start, end)
    a, f = activity.c, features.c
    row = conn.execute(
        select(a.vma_kmh, a.id, a.local_date)
        .where(
            a.athlete_id == athlete_id, a.local_date.between(since, until), a.pace_ok, a.vma_kmh.is_not(None)
        )
        .order_by(a.vma_kmh.desc(), a.local_date.desc())
        .limit(1)
    ).first()
    if row is None:
        return VmaEstimate(
            None, None, f"{NOT_ENOUGH_DATA}: no run with a usable pace in the window", None, None, weeks
        )
    best_6min_m = conn.execute(select(f.best_6min_m).where(f.activity_id == row.id)).scalar()
    basis: Literal["six_minute_effort", "whole_run_vdot"]
    if best_6min_m:
        method, basis = "best 6-minute effort in the recorded samples", "six_minute_effort"
    else:
        method, basis = "VDOT of a whole run (a lower bound unless it was a race)", "whole_run_vdot"
    return VmaEstimate(
        vma_kmh=float(row.vma_kmh),
        vo2max=metrics.vo2max_from_vma(float(row.vma_kmh)),
        method=method,
        activity_id=int(row.id),
        activity_date=row.local_date,
        weeks=weeks,
        basis=basis,
    )
