"""Training load and form: the Performance Manager Chart of an athlete."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from analytics import metrics
from analytics.queries.common import NOT_ENOUGH_DATA, daily_load, today_utc

#: Form bands on TSB, as TrainingPeaks describes them (Friel, "The Triathlete's Training
#: Bible"): fresh above +5 (race-ready up to +25, detraining beyond), neutral from -10,
#: productive training fatigue down to -30, and a risk of overreaching below.
FORM_BANDS: Final = (
    (25.0, "very fresh", "very_fresh"),
    (5.0, "fresh", "fresh"),
    (-10.0, "neutral", "neutral"),
    (-30.0, "tired (productive training)", "tired"),
    (float("-inf"), "very tired (overreaching risk)", "overreaching"),
)
#: Fitness needs weeks of history to mean anything: CTL reaches 63 % of a steady load in 42 days.
MIN_HISTORY_DAYS: Final = 28


@dataclass(frozen=True)
class FormReading:
    day: dt.date
    fitness: float
    fatigue: float
    form: float
    label: str
    code: str
    ramp_per_week: float


@dataclass(frozen=True)
class TrainingLoad:
    """The PMC over the requested days, and today's reading (None when history is too short)."""

    series: pd.DataFrame
    today: FormReading | None
    history_days: int
    note: str


def form_band(tsb: float) -> tuple[str, str]:
    """The (label, code) of the form band containing ``tsb``."""
    for low, label, code in FORM_BANDS:
        if tsb > low:
            return label, code
    return FORM_BANDS[-1][1], FORM_BANDS[-1][2]


def training_load(
    conn: Connection,
    athlete_id: int,
    days: int = 90,
    today: dt.date | None = None,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> TrainingLoad:
    """Daily load with fitness (CTL), fatigue (ATL) and form (TSB), for the last ``days`` days.

    The PMC runs over the athlete's whole history (CTL needs it to converge)
    and is extended with rest days up to ``today``. With a window, the series
    covers ``start`` to ``end`` and the reading is the one of ``end`` ("how
    tired was I last week": the form at the end of that week).
    """
    until = end or today or today_utc()
    if start is not None:
        if start > until:
            raise ValueError("start must not be after end")
        days = (until - start).days + 1
    rows = conn.execute(
        select(daily_load.c.day, daily_load.c.load)
        .where(daily_load.c.athlete_id == athlete_id, daily_load.c.day <= until)
        .order_by(daily_load.c.day)
    ).all()
    columns = ["day", "load", "ctl", "atl", "tsb"]
    if not rows:
        return TrainingLoad(
            pd.DataFrame(columns=columns), None, 0, f"{NOT_ENOUGH_DATA}: no training recorded"
        )
    first = rows[0].day
    history = (until - first).days + 1
    loads = np.zeros(history)
    for row in rows:
        loads[(row.day - first).days] += float(row.load)
    chart = metrics.pmc(loads)
    shown = chart.tail(days)
    series = pd.DataFrame(
        {
            "day": [first + dt.timedelta(days=int(offset)) for offset in shown.index],
            "load": loads[shown.index],
            "ctl": shown["ctl"].to_numpy(),
            "atl": shown["atl"].to_numpy(),
            "tsb": shown["tsb"].to_numpy(),
        }
    )
    if history < MIN_HISTORY_DAYS:
        note = f"{NOT_ENOUGH_DATA}: {history} days of history, form needs {MIN_HISTORY_DAYS}"
        return TrainingLoad(series[columns], None, history, note)
    last = chart.iloc[-1]
    week_ago = chart["ctl"].iloc[-8] if history > 7 else 0.0
    label, code = form_band(float(last["tsb"]))
    reading = FormReading(
        day=until,
        fitness=float(last["ctl"]),
        fatigue=float(last["atl"]),
        form=float(last["tsb"]),
        label=label,
        code=code,
        ramp_per_week=float(last["ctl"] - week_ago),
    )
    return TrainingLoad(series[columns], reading, history, "")
