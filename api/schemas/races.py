"""Race results read from a results page (``POST /v1/races/import-url``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from api.errors import ErrorBody
from api.rounding import Metres, Seconds
from api.schemas.activities import ActivityOut
from foulee import races
from web.activities.results.fetch import MAX_URL_CHARS
from web.activities.results.service import Candidate


class RaceImportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        min_length=1,
        max_length=MAX_URL_CHARS,
        description="A public results page (http or https), fetched once, now.",
        examples=["https://www.example.org/resultats/10km-houilles-2025.html"],
    )
    date: dt.date | None = Field(
        default=None, description="The race's day, when the page does not say it (else the page's is used)."
    )
    distance_m: float | None = Field(
        default=None,
        ge=races.RACE_DISTANCE_MIN_M,
        le=races.RACE_DISTANCE_MAX_M,
        allow_inf_nan=False,
        description="The race's distance, when the page does not say it (else read from the page).",
    )
    choice: str | None = Field(
        default=None,
        max_length=20,
        pattern=r"^t\d{1,4}r\d{1,6}$",
        description="Which row, when several rows name the athlete: a candidate's `choice` from a 409.",
    )


class CandidateOut(BaseModel):
    choice: str = Field(description="Send it back as `choice` to import this row.")
    name: str
    time_s: Seconds | None
    time: str = Field(description="The time as the page writes it.")
    place: str
    category: str
    bib: str
    distance_m: Metres | None
    race: str = Field(description="The table's caption or heading: which race of the page.")

    @classmethod
    def of(cls, candidate: Candidate) -> CandidateOut:
        return cls(
            choice=candidate.choice,
            name=candidate.name,
            time_s=candidate.time_s,
            time=candidate.time,
            place=candidate.place,
            category=candidate.category,
            bib=candidate.bib,
            distance_m=candidate.distance_m,
            race=candidate.race,
        )


class RaceImportOut(BaseModel):
    status: Literal["imported", "duplicate"] = Field(
        description="`duplicate`: this result was imported before; `activity` is that one."
    )
    activity: ActivityOut


class RaceImportAmbiguous(ErrorBody):
    """409: several rows name the athlete; nothing was recorded. The API's error shape, and the rows."""

    candidates: list[CandidateOut]


class RaceImportRefused(ErrorBody):
    """422: the page could not be read, or holds no result of the athlete; nothing was recorded."""

    reason: str | None = Field(
        default=None,
        description=(
            "Why, for a program: `bad_url`, `address_refused`, `unreachable`, `timeout`, `not_found`, "
            "`http_error`, `not_html`, `too_large`, `too_many_redirects`, `no_table`, `no_name`, "
            "`name_not_found`, `bad_choice`, `bad_distance`, `no_distance`, `no_date`, `no_time`, "
            "`invalid`. Absent when the request itself is malformed (the error's `fields` say where)."
        ),
    )
