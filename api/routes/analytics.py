"""``/v1/analytics``: the analytics queries of one athlete, scoped by ``TargetAthlete``.

The queries read the analytics store (SQLAlchemy), not Django; a route here
touches the ORM only to authorise, in its dependencies.
"""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Query

from analytics import queries
from analytics.db import get_engine
from api.deps import HealthAllowed, HealthAthlete, TargetAthlete
from api.errors import AUTHENTICATED, responses
from api.schemas.analytics import Dashboard, Load, Prediction, Records, Trends, Vma, Zones
from api.serialise import frame_records, plain
from foulee import races

router = APIRouter(prefix="/analytics", tags=["analytics"], responses=responses(*AUTHENTICATED, 404))

#: Ten years: more than any query needs, small enough to keep every response bounded.
MAX_WEEKS: Final = 520
MAX_DAYS: Final = 3650

Weeks = Annotated[int, Query(ge=1, le=MAX_WEEKS, description="How many weeks back, this one included.")]


@router.get("/dashboard", summary="Weekly dashboard")
def dashboard(athlete: TargetAthlete, health: HealthAllowed, weeks: Weeks = 12) -> Dashboard:
    """Distance, time, speed, load, max HR, runs and VMA per week (Monday start), oldest first."""
    with get_engine().connect() as conn:
        frame = queries.weekly_dashboard(conn, athlete.pk, weeks)
    rows = frame_records(frame)
    if not health:
        # Heart rate and what derives from it stay out without consent (``web.accounts.consent``).
        rows = [{**row, "load": None, "max_hr": None} for row in rows]
    return Dashboard.model_validate({"athlete_id": athlete.pk, "weeks": weeks, "rows": rows})


@router.get("/trends", summary="Performance trends")
def trends(athlete: TargetAthlete, weeks: Weeks = 12) -> Trends:
    """Each run with a trustworthy pace: speed, its 7-run moving average, and load stability."""
    with get_engine().connect() as conn:
        frame = queries.performance_trends(conn, athlete.pk, weeks)
    rows = frame_records(frame)
    note = "" if rows else f"not enough data yet: no run with a usable pace in {weeks} weeks"
    return Trends.model_validate(
        {"athlete_id": athlete.pk, "weeks": weeks, "available": bool(rows), "note": note, "rows": rows}
    )


@router.get("/zones", summary="Heart-rate zones", responses=responses(403))
def zones(athlete: HealthAthlete, weeks: Weeks = 12) -> Zones:
    """Time, activities and load per heart-rate zone, and how the zones were set (Karvonen or % of HR max)."""
    with get_engine().connect() as conn:
        analysis = queries.zones_analysis(conn, athlete.pk, weeks)
    return Zones.model_validate(
        {
            "athlete_id": athlete.pk,
            "weeks": weeks,
            "available": analysis.available,
            "method": analysis.method,
            "hr_max": plain(analysis.hr_max),
            "hr_max_source": analysis.hr_max_source,
            "hr_rest": plain(analysis.hr_rest),
            "activities": analysis.activities,
            "share_from_samples": plain(analysis.share_from_samples) or 0.0,
            "note": analysis.note,
            "zones": frame_records(analysis.table),
        }
    )


@router.get("/predictions", summary="Race time prediction")
def predictions(
    athlete: TargetAthlete,
    distance_m: Annotated[
        float,
        Query(
            ge=races.RACE_DISTANCE_MIN_M,
            le=races.RACE_DISTANCE_MAX_M,
            allow_inf_nan=False,
            description=f"The race distance in metres ({races.BOUNDS_IN_WORDS}).",
            examples=[races.HALF_MARATHON_M],
        ),
    ],
    weeks: Annotated[
        int, Query(ge=1, le=MAX_WEEKS, description="How far back to look for performances.")
    ] = 26,
) -> Prediction:
    """VDOT, Riegel and the athlete's own curve, reconciled, with a confidence and its reasons."""
    with get_engine().connect() as conn:
        prediction = queries.predict_race(conn, athlete.pk, distance_m, weeks)
    values = plain(prediction)
    values.update(athlete_id=athlete.pk, available=prediction.available)
    return Prediction.model_validate(values)


@router.get("/vma", summary="VMA and VO2max")
def vma(athlete: TargetAthlete, weeks: Weeks = 12) -> Vma:
    """The best VMA demonstrated in the window, and the VO2max it implies."""
    with get_engine().connect() as conn:
        estimate = queries.estimate_vma(conn, athlete.pk, weeks)
    values = plain(estimate)
    values.update(athlete_id=athlete.pk, available=estimate.available)
    return Vma.model_validate(values)


@router.get("/load", summary="Training load and form", responses=responses(403))
def load(
    athlete: HealthAthlete,
    days: Annotated[int, Query(ge=1, le=MAX_DAYS, description="How many days of the chart to return.")] = 90,
) -> Load:
    """Daily load with its CTL (fitness), ATL (fatigue) and TSB (form), and today's reading.

    One name each, the PMC's (``analytics.metrics.pmc``): `ctl`, `atl`, `tsb`, in
    the series and in today's reading alike.
    """
    with get_engine().connect() as conn:
        chart = queries.training_load(conn, athlete.pk, days)
    today = None
    if chart.today is not None:
        reading = chart.today
        today = {
            "day": reading.day,
            "ctl": reading.fitness,
            "atl": reading.fatigue,
            "tsb": reading.form,
            "label": reading.label,
            "code": reading.code,
            "ramp_per_week": reading.ramp_per_week,
        }
    return Load.model_validate(
        {
            "athlete_id": athlete.pk,
            "days": days,
            "available": chart.today is not None,
            "history_days": chart.history_days,
            "note": chart.note,
            "today": plain(today),
            "series": frame_records(chart.series),
        }
    )


@router.get("/records", summary="Personal records")
def records(athlete: TargetAthlete) -> Records:
    """The best effort over each standard distance (time) and duration (distance)."""
    with get_engine().connect() as conn:
        frame = queries.personal_records(conn, athlete.pk)
    return Records.model_validate({"athlete_id": athlete.pk, "records": frame_records(frame)})
