"""Does more running make this athlete more efficient? Weekly volume against pace at the same HR.

Aerobic efficiency is Friel's efficiency factor: speed (m/min) per beat of
average heart rate, over runs with trustworthy pace and HR. Each week's
efficiency is set against the mean weekly volume of the four weeks up to it,
since fitness follows the training that came before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

import pandas as pd
from sqlalchemy import Connection, select

from analytics.db import to_frame
from analytics.queries.common import NOT_ENOUGH_DATA, activity, window

MIN_WEEKS: Final = 6
VOLUME_WEEKS: Final = 4


@dataclass(frozen=True)
class VolumeEfficiency:
    weeks: int
    pairs: int
    r: float | None
    p_value: float | None
    table: pd.DataFrame
    interpretation: str

    @property
    def available(self) -> bool:
        return self.r is not None


def volume_vs_efficiency(
    conn: Connection, athlete_id: int, weeks: int = 26, today: dt.date | None = None
) -> VolumeEfficiency:
    since, until = window(weeks, today)
    a = activity.c
    rows = conn.execute(
        select(a.week_start, a.distance_m, a.moving_time_s, a.avg_hr, a.pace_ok, a.hr_ok).where(
            a.athlete_id == athlete_id,
            a.is_running,
            a.local_date.between(since - dt.timedelta(weeks=VOLUME_WEEKS - 1), until),
        )
    ).all()
    runs = to_frame(rows, columns=["week", "distance", "moving", "avg_hr", "pace_ok", "hr_ok"])
    every_week = pd.Index(
        [since + dt.timedelta(weeks=offset) for offset in range(-(VOLUME_WEEKS - 1), weeks)]
    )
    volume_km = runs.groupby("week")["distance"].sum().reindex(every_week, fill_value=0.0) / 1000.0
    usable = runs[runs["pace_ok"].astype(bool) & runs["hr_ok"].astype(bool)]
    # Time-weighted efficiency: total metres per minute over total beats, per week.
    metres = usable.groupby("week")["distance"].sum()
    beats = (usable["moving"] / 60.0 * usable["avg_hr"]).groupby(usable["week"]).sum()
    efficiency = (metres / beats).reindex(every_week)
    table = pd.DataFrame(
        {"volume_km": volume_km.rolling(VOLUME_WEEKS).mean(), "efficiency": efficiency}
    ).iloc[VOLUME_WEEKS - 1 :]
    table.index.name = "week_start"
    table = table.reset_index()
    paired = table.dropna()
    if len(paired) < MIN_WEEKS or paired["volume_km"].nunique() < 2 or paired["efficiency"].nunique() < 2:
        return VolumeEfficiency(
            weeks,
            len(paired),
            None,
            None,
            table,
            f"{NOT_ENOUGH_DATA}: {MIN_WEEKS} weeks of runs with HR are needed",
        )
    # scipy.stats takes seconds to import: only this question pays for it, not every process start.
    from scipy import stats

    result = stats.pearsonr(paired["volume_km"], paired["efficiency"])
    r, p_value = float(result.statistic), float(result.pvalue)
    strength = "strong" if abs(r) >= 0.6 else "moderate" if abs(r) >= 0.3 else "weak"
    direction = "rises" if r > 0 else "falls"
    significance = "" if p_value < 0.05 else " (not statistically significant)"
    return VolumeEfficiency(
        weeks,
        len(paired),
        r,
        p_value,
        table,
        f"{strength} link: efficiency {direction} with volume, r = {r:.2f}{significance}",
    )
