"""Activities in and out of the API. Bounds come from ``foulee.limits``, as in the model."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from foulee import limits
from web.activities.models import Activity, Sport


def _bounded(low: float, high: float, description: str) -> Any:
    return Field(ge=low, le=high, allow_inf_nan=False, description=description)


class ActivityOut(BaseModel):
    """One activity, in SI units."""

    id: int
    athlete_id: int
    sport: str
    name: str
    description: str
    start_time: dt.datetime = Field(description="UTC.")
    distance_m: float
    duration_s: float = Field(description="Elapsed time, pauses included.")
    moving_time_s: float | None
    elevation_gain_m: float | None
    avg_hr: float | None
    max_hr: float | None
    avg_speed_mps: float | None
    max_speed_mps: float | None
    avg_cadence_spm: float | None
    calories_kcal: float | None
    training_load: float | None
    source: str = Field(description="`manual`, `file` or `api`.")
    has_original_file: bool
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, activity: Activity) -> ActivityOut:
        return cls(
            id=activity.pk,
            athlete_id=activity.user_id,
            sport=activity.sport,
            name=activity.name,
            description=activity.description,
            start_time=activity.start_time.astimezone(dt.UTC),
            distance_m=activity.distance_m,
            duration_s=activity.duration_s,
            moving_time_s=activity.moving_time_s,
            elevation_gain_m=activity.elevation_gain_m,
            avg_hr=activity.avg_hr,
            max_hr=activity.max_hr,
            avg_speed_mps=activity.avg_speed_mps,
            max_speed_mps=activity.max_speed_mps,
            avg_cadence_spm=activity.avg_cadence_spm,
            calories_kcal=activity.calories_kcal,
            training_load=activity.training_load,
            source=activity.source,
            has_original_file=bool(activity.original_file),
            created_at=activity.created_at,
            updated_at=activity.updated_at,
        )


class ActivityPage(BaseModel):
    items: list[ActivityOut]
    total: int = Field(description="Activities matching the filters.")
    limit: int
    offset: int
    next_offset: int | None = Field(description="The offset of the next page; null on the last one.")


class ManualActivity(BaseModel):
    """A run (or other workout) entered by hand, without a file."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "start_time": "2026-11-20T07:30:00+01:00",
                    "distance_m": 10000,
                    "duration_s": 3120,
                    "sport": "run",
                    "avg_hr": 148,
                    "name": "Easy run by the river",
                }
            ]
        },
    )

    start_time: AwareDatetime = Field(description="With its UTC offset.")
    distance_m: Annotated[float, _bounded(0.0, limits.ACTIVITY_MAX_DISTANCE_M, "Metres, 0 to 1,000 km.")]
    duration_s: Annotated[
        float, _bounded(1.0, limits.ACTIVITY_MAX_DURATION_S, "Elapsed seconds, 1 s to 7 days.")
    ]
    sport: Sport = Sport.RUN
    avg_hr: Annotated[
        float | None, _bounded(limits.HR_MIN_BPM, limits.HR_MAX_BPM, "Average heart rate, bpm.")
    ] = None
    name: str = Field(default="", max_length=200)


class ImportResultOut(BaseModel):
    """What became of one uploaded file (the ``foulee import --json`` line)."""

    file: str
    status: Literal["imported", "duplicate", "error"]
    activity_id: int | None
    sport: str | None
    distance_m: float | None
    duration_s: float | None
    avg_hr: float | None
    error: str | None = Field(description="Why the file was refused, or which activity it duplicates.")


class UploadSummary(BaseModel):
    imported: int
    duplicates: int
    errors: int
    skipped_without_file: int


class UploadResponse(BaseModel):
    athlete_id: int
    results: list[ImportResultOut]
    summary: UploadSummary
