"""Activities in and out of the API. Bounds come from ``foulee.limits``, as in the model."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from analytics.queries.activities import ActivityLoad
from api.errors import ErrorBody
from api.rounding import (
    BeatsPerMinute,
    Kilocalories,
    Metres,
    MetresPerSecond,
    Seconds,
    StepsPerMinute,
    TrainingLoad,
)
from foulee import limits
from web.activities.models import Activity, Sport


def _bounded(low: float, high: float, description: str) -> Any:
    return Field(ge=low, le=high, allow_inf_nan=False, description=description)


class ActivityOut(BaseModel):
    """One activity, in SI units, its figures rounded to what each unit needs (``api.rounding``)."""

    id: int
    athlete_id: int
    sport: str
    name: str = Field(
        description=(
            "Never empty: the activity's own name, or, when it has none (an imported file), its "
            "sport's in the caller's language, as the web pages show it (`Activity.display_name`)."
        )
    )
    description: str
    start_time: dt.datetime = Field(description="UTC.")
    distance_m: Metres
    duration_s: Seconds = Field(description="Elapsed time, pauses included.")
    moving_time_s: Seconds | None = Field(
        description=(
            "Moving time: pauses and standing still left out (the device's own figure, else from "
            "the samples: slower than 0.5 m/s or a gap over 30 s is not moving); the time of "
            "pace and best efforts. Null when unknown."
        )
    )
    elevation_gain_m: Metres | None
    avg_hr: BeatsPerMinute | None = Field(
        description="Null when unknown, or without the athlete's consent to health data (`/v1/me/consent`)."
    )
    max_hr: BeatsPerMinute | None = Field(
        description="Null when unknown, or without the athlete's consent to health data (`/v1/me/consent`)."
    )
    avg_speed_mps: MetresPerSecond | None
    max_speed_mps: MetresPerSecond | None
    avg_cadence_spm: StepsPerMinute | None
    calories_kcal: Kilocalories | None
    training_load: TrainingLoad | None = Field(
        description=(
            "The analytics engine's load, the one the web page and the coach show: Banister TRIMP "
            "from the recorded heart rate, else the load the source reported. Null until the "
            "activity is synced to the analytics store, with neither heart rate nor a reported load, or "
            "without the athlete's consent to health data (`/v1/me/consent`)."
        )
    )
    training_load_method: str | None = Field(
        description=(
            "How `training_load` was had: `hr_samples` (from the heart-rate samples), `hr_avg` (from "
            "the average heart rate), "
            "or `source` (the figure the source reported); null with the load."
        )
    )
    source: str = Field(description="`manual`, `file` or `api`.")
    has_original_file: bool
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, activity: Activity, load: ActivityLoad | None, *, health: bool = True) -> ActivityOut:
        """``activity`` with ``load``, what the analytics store holds of it (None: not synced).

        Without ``health`` (the athlete's consent to health data) heart rate and load are null.

        The name is put in the active language: the caller's, set by the route.
        """
        return cls(
            id=activity.pk,
            athlete_id=activity.user_id,
            sport=activity.sport,
            name=activity.display_name,
            description=activity.description,
            start_time=activity.start_time.astimezone(dt.UTC),
            distance_m=activity.distance_m,
            duration_s=activity.duration_s,
            moving_time_s=activity.moving_time_s,
            elevation_gain_m=activity.elevation_gain_m,
            avg_hr=activity.avg_hr if health else None,
            max_hr=activity.max_hr if health else None,
            avg_speed_mps=activity.avg_speed_mps,
            max_speed_mps=activity.max_speed_mps,
            avg_cadence_spm=activity.avg_cadence_spm,
            calories_kcal=activity.calories_kcal,
            training_load=load.training_load if load is not None and health else None,
            training_load_method=load.method
            if load is not None and load.training_load is not None and health
            else None,
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
    distance_m: Metres | None
    duration_s: Seconds | None
    avg_hr: BeatsPerMinute | None
    error: str | None = Field(description="Why the file was refused, or which activity it duplicates.")


class UploadSummary(BaseModel):
    imported: int
    duplicates: int
    errors: int
    skipped_without_file: int = Field(description="Strava export rows without a file: nothing to import.")


#: What became of an upload as a whole, and the HTTP status that says it.
UploadOutcome = Literal["complete", "partial", "failed"]
OUTCOME_STATUS: dict[str, int] = {"complete": 200, "partial": 207, "failed": 422}


def outcome_of(summary: UploadSummary) -> UploadOutcome:
    """``complete`` when no file failed (a duplicate is already there: not a failure), ``failed``
    when every file did, ``partial`` in between."""
    if not summary.errors:
        return "complete"
    return "partial" if summary.imported or summary.duplicates else "failed"


class UploadResponse(BaseModel):
    """The upload's results: 200 when no file failed, 207 when some did (``outcome: partial``)."""

    athlete_id: int
    outcome: UploadOutcome = Field(
        description=(
            "`complete` (200: every file imported or already there), `partial` (207: some files "
            "were refused, each `error` says why); a request whose files all failed is a 422."
        )
    )
    message: str = Field(description="The outcome in a sentence, for a person.")
    results: list[ImportResultOut]
    summary: UploadSummary
    job_id: int | None = Field(default=None, description="The import's job (`GET /v1/jobs/{job_id}`).")


class UploadFailure(ErrorBody):
    """422: not one file of the upload could be imported. The API's error shape, with each file's result.

    ``error.fields`` names each refused file (``body.file``) and why; ``results`` and
    ``summary`` are the ones a success would carry. Other 422s of the route (no
    ``file`` part) have the error alone.
    """

    results: list[ImportResultOut] = Field(default_factory=list)
    summary: UploadSummary | None = None
    job_id: int | None = None
