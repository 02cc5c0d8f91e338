"""The caller's own account: who they are, their profile, their export."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from api.rounding import Kilograms
from foulee import limits


class ProfileOut(BaseModel):
    birth_year: int | None
    sex: Literal["M", "F", ""] = Field(description="`M`, `F`, or empty when unknown.")
    weight_kg: Kilograms | None
    hr_max: int | None
    hr_rest: int | None
    language: Literal["fr", "en"]
    timezone: str


class Me(BaseModel):
    id: int
    email: str
    full_name: str
    role: Literal["athlete", "coach"]
    coach_id: int | None
    athlete_ids: list[int] = Field(description="For a coach: the athletes whose data `athlete_id=` may name.")
    profile: ProfileOut


class ProfileUpdate(BaseModel):
    """The fields to change; the others keep their value. ``null`` clears a field."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"hr_max": 188, "hr_rest": 48, "language": "en"}]}
    )

    birth_year: int | None = Field(default=None, ge=limits.BIRTH_YEAR_MIN, le=9999)
    sex: Literal["M", "F", ""] | None = None
    weight_kg: float | None = Field(
        default=None, ge=limits.WEIGHT_RANGE_KG[0], le=limits.WEIGHT_RANGE_KG[1], allow_inf_nan=False
    )
    hr_max: int | None = Field(default=None, ge=limits.HR_MAX_RANGE_BPM[0], le=limits.HR_MAX_RANGE_BPM[1])
    hr_rest: int | None = Field(default=None, ge=limits.HR_REST_RANGE_BPM[0], le=limits.HR_REST_RANGE_BPM[1])
    language: Literal["fr", "en"] | None = None
    timezone: str | None = Field(default=None, max_length=64, examples=["Europe/Paris"])


class Export(BaseModel):
    """Everything Foulée holds about the caller (GDPR art. 15 and 20), in one document."""

    exported_at: dt.datetime
    format: Literal["foulee-export-v2"]
    account: Me
    tables: dict[str, list[dict[str, Any]]] = Field(
        description=(
            "Every row that is the caller's, keyed `app.model` (activities, plans and their sessions, "
            "conversations and their messages, tokens…); secrets (password and token hashes) left out."
        )
    )
    analytics: dict[str, list[dict[str, Any]]] = Field(
        description=(
            "What Foulée derived from those rows, keyed by analytics table (synced activities, their "
            "features, best efforts and zones, the daily training load); docs/export.schema.json."
        )
    )


class ConsentEntry(BaseModel):
    """One decision of the athlete (the history is append-only: a withdrawal is a new entry)."""

    kind: Literal["health"]
    granted: bool
    notice_version: str
    channel: Literal["web", "bot", "api"]
    at: dt.datetime


class Consent(BaseModel):
    """The caller's consent to the processing of their health data (GDPR art. 9(2)(a))."""

    health: bool = Field(
        description=(
            "Whether health data (heart rate, injuries, illnesses) is processed now: the latest decision "
            "grants it for a notice version still accepted. Without it `/v1/analytics/zones` and "
            "`/v1/analytics/load` answer 403, the dashboard has no load or HR; distance, pace, VMA, "
            "predictions and plans still work."
        )
    )
    notice_version: str = Field(description="The current version of the privacy notice (`/privacy/`).")
    history: list[ConsentEntry] = Field(description="Every decision, oldest first.")


class ConsentUpdate(BaseModel):
    """Give (`true`) or withdraw (`false`) consent to health data, for the current notice."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"health": False}]})

    #: Strict: `0`, `"no"` or `"false"` are refused, not read as a decision the athlete did not make.
    health: StrictBool
