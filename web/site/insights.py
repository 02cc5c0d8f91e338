"""What the pages show from the analytics store, read through :mod:`analytics.queries`.

The caller has already authorised the athlete (:mod:`web.accounts.scoping`);
each function opens one connection from :func:`analytics.db.get_engine` and
runs the queries the agent and the API use, so the web shows the same numbers
as the bot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

import pandas as pd
from sqlalchemy import select

from analytics import metrics, schema
from analytics.db import get_engine
from analytics.features import BEST_DISTANCE_COLUMNS, BEST_DURATION_COLUMNS
from analytics.queries import (
    RacePrediction,
    TrainingLoad,
    VmaEstimate,
    ZonesAnalysis,
    estimate_vma,
    personal_records,
    predict_race,
    recent_running,
    training_load,
    weekly_dashboard,
    zones_analysis,
)
from analytics.queries.common import physiology
from analytics.samples import decode
from foulee import races

#: The races a runner asks about (``foulee.races``: 5 km, 10 km, half marathon, marathon).
PREDICTED_DISTANCES_M: Final = tuple(race.metres for race in races.GOAL_RACES)
DASHBOARD_WEEKS: Final = 12
PMC_DAYS: Final = 90


@dataclass(frozen=True)
class Dashboard:
    weeks: pd.DataFrame
    load: TrainingLoad
    zones: ZonesAnalysis
    vma: VmaEstimate
    predictions: list[RacePrediction]
    records: pd.DataFrame


def _no_load() -> TrainingLoad:
    return TrainingLoad(pd.DataFrame(columns=["day", "load", "ctl", "atl", "tsb"]), None, 0, "")


def _no_zones() -> ZonesAnalysis:
    return ZonesAnalysis("", None, None, None, pd.DataFrame(), 0, 0.0, "")


def dashboard(athlete_id: int, today: dt.date, *, health: bool = True) -> Dashboard:
    """Everything the athlete dashboard shows, from one connection.

    ``health`` false (no consent, ``web.accounts.consent``): heart rate and what derives from it
    (load, form, zones) are neither read nor computed, and the weekly load is left out.
    """
    with get_engine().connect() as conn:
        weeks = weekly_dashboard(conn, athlete_id, weeks=DASHBOARD_WEEKS, today=today)
        if not health:
            weeks = weeks.drop(columns=["load", "max_hr"], errors="ignore")
        return Dashboard(
            weeks=weeks,
            load=training_load(conn, athlete_id, days=PMC_DAYS, today=today) if health else _no_load(),
            zones=zones_analysis(conn, athlete_id, weeks=DASHBOARD_WEEKS, today=today)
            if health
            else _no_zones(),
            vma=estimate_vma(conn, athlete_id, weeks=DASHBOARD_WEEKS, today=today),
            predictions=[
                predict_race(conn, athlete_id, distance, today=today) for distance in PREDICTED_DISTANCES_M
            ],
            records=personal_records(conn, athlete_id),
        )


@dataclass(frozen=True)
class AthleteGlance:
    """A coach's one-line view of an athlete: the last 7 days' running and today's form.

    A rolling week rather than the calendar one, which reads 0 every Monday morning.
    """

    week_km: float
    week_runs: int
    form: float | None
    form_code: str | None


def glance(athlete_id: int, today: dt.date, *, health: bool = True) -> AthleteGlance:
    """``today`` is the athlete's local day: the days of their runs are theirs. ``health`` false
    (no consent, ``web.accounts.consent``): no form, which derives from heart rate."""
    with get_engine().connect() as conn:
        recent = recent_running(conn, athlete_id, today=today)
        reading = training_load(conn, athlete_id, days=1, today=today).today if health else None
    return AthleteGlance(
        week_km=recent.distance_km,
        week_runs=recent.runs,
        form=reading.form if reading else None,
        form_code=reading.code if reading else None,
    )


def hr_zones(athlete_id: int) -> tuple[list[metrics.Zone], str] | None:
    """The athlete's HR zones as analytics sets them, or None before their first sync."""
    with get_engine().connect() as conn:
        body = physiology(conn, athlete_id)
    return None if body is None else body.zones()


@dataclass(frozen=True)
class ActivityAnalysis:
    """An activity as analytics sees it: samples, best efforts and load, when they exist."""

    samples: pd.DataFrame | None
    best_distances: list[tuple[float, float]]
    best_durations: list[tuple[float, float]]
    training_load: float | None
    load_method: str | None
    quality_note: str
    vdot: float | None
    vma_kmh: float | None

    @property
    def synced(self) -> bool:
        return self.load_method is not None or self.samples is not None or bool(self.best_distances)


def activity_analysis(activity_id: int) -> ActivityAnalysis:
    a, f, s = schema.activity_table.c, schema.features_table.c, schema.samples_table.c
    with get_engine().connect() as conn:
        row = conn.execute(
            select(a.training_load, a.load_method, a.quality_note, a.vdot, a.vma_kmh).where(
                a.id == activity_id
            )
        ).first()
        feature_row = conn.execute(select(schema.features_table).where(f.activity_id == activity_id)).first()
        stored = conn.execute(
            select(s.encoding, s.data, s.sample_count).where(s.activity_id == activity_id)
        ).first()
    samples = decode(stored.encoding, stored.data, stored.sample_count) if stored else None
    features = feature_row._mapping if feature_row is not None else {}
    return ActivityAnalysis(
        samples=samples if samples is not None and len(samples) > 1 else None,
        best_distances=[
            (target, float(features[column]))
            for column, target in BEST_DISTANCE_COLUMNS.items()
            if features.get(column) is not None
        ],
        best_durations=[
            (duration, float(features[column]))
            for column, duration in BEST_DURATION_COLUMNS.items()
            if features.get(column) is not None
        ],
        training_load=float(row.training_load) if row is not None and row.training_load is not None else None,
        load_method=row.load_method if row is not None else None,
        quality_note=row.quality_note if row is not None else "",
        vdot=row.vdot if row is not None else None,
        vma_kmh=row.vma_kmh if row is not None else None,
    )
