"""Typed arguments of every tool (pydantic), shared by the LLM agent and the offline router.

None of them names an athlete: the athlete is bound by the coach
(``agent.context.ToolContext``). Distances and durations also accept the words
people use ("semi", "10k", "1h45"), parsed by ``agent.extract``, so a model
that passes ``"half marathon"`` is understood rather than refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

from agent import extract
from foulee import limits, races


def _distance(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            parsed = extract.parse_distance(value)
            if parsed is None:
                raise ValueError(f"not a distance: {value!r}") from None
            return parsed
    return value


def _duration(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            parsed = extract.parse_duration(value)
            if parsed is None:
                raise ValueError(f"not a duration: {value!r}") from None
            return parsed
    return value


def _number_or_words(
    description: str, *, minimum: float, maximum: float, exclusive_minimum: bool = False
) -> WithJsonSchema:
    """The JSON Schema a model reads for a figure that also accepts words: standard keywords only.

    pydantic writes the bounds of a ``BeforeValidator`` type as ``ge``/``le``/``gt`` (not JSON
    Schema) and types it ``number`` although "semi" or "1h45" is accepted: this says what is true.
    """
    low = {"exclusiveMinimum": minimum} if exclusive_minimum else {"minimum": minimum}
    return WithJsonSchema(
        {
            "anyOf": [{"type": "number", **low, "maximum": maximum}, {"type": "string", "minLength": 1}],
            "description": description,
        }
    )


_RACE_WORDS = "Metres, or words: '10k', 'semi', 'marathon', '5000 m'."
_RUN_WORDS = "Metres, or words such as '10 km'."
_DURATION_WORDS = "Seconds, or '1h45', '1:45:00', '45 min'."
RaceDistance = Annotated[
    float,
    BeforeValidator(_distance),
    Field(ge=races.RACE_DISTANCE_MIN_M, le=races.RACE_DISTANCE_MAX_M, description=_RACE_WORDS),
    _number_or_words(_RACE_WORDS, minimum=races.RACE_DISTANCE_MIN_M, maximum=races.RACE_DISTANCE_MAX_M),
]
RunDistance = Annotated[
    float,
    BeforeValidator(_distance),
    Field(gt=0.0, le=limits.ACTIVITY_MAX_DISTANCE_M, description=_RUN_WORDS),
    _number_or_words(_RUN_WORDS, minimum=0.0, maximum=limits.ACTIVITY_MAX_DISTANCE_M, exclusive_minimum=True),
]
Duration = Annotated[
    float,
    BeforeValidator(_duration),
    Field(gt=0.0, le=limits.ACTIVITY_MAX_DURATION_S, description=_DURATION_WORDS),
    _number_or_words(
        _DURATION_WORDS, minimum=0.0, maximum=limits.ACTIVITY_MAX_DURATION_S, exclusive_minimum=True
    ),
]
Weeks = Annotated[int, Field(ge=1, le=104, description="How many weeks back.")]


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NoArgs(_Args):
    pass


class WindowArgs(_Args):
    """A time window, both days included: the questions "la semaine dernière", "since October", "jeudi".

    Either day may be omitted: no ``end`` is today, no ``start`` the tool's default span before ``end``.
    """

    start: dt.date | None = Field(default=None, description="First day of the window (YYYY-MM-DD), included.")
    end: dt.date | None = Field(default=None, description="Last day of the window (YYYY-MM-DD), included.")

    @model_validator(mode="after")
    def _ordered(self) -> WindowArgs:
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValueError("start must not be after end")
        return self

    @property
    def has_window(self) -> bool:
        return self.start is not None or self.end is not None


class WeeksArgs(WindowArgs):
    weeks: Weeks = 12


class WeeklySummaryArgs(WindowArgs):
    weeks: Annotated[int, Field(ge=1, le=104, description="Complete weeks the average is taken over.")] = 4


class PredictRaceArgs(_Args):
    distance_m: RaceDistance


class TrainingLoadArgs(WindowArgs):
    days: Annotated[int, Field(ge=7, le=730, description="Days of history to show.")] = 90


class RecentActivitiesArgs(WindowArgs):
    limit: Annotated[int, Field(ge=1, le=20, description="At most this many (5, or 20 in a window).")] = 5


class ActivityAnalysisArgs(WindowArgs):
    activity_id: int | None = Field(
        default=None, description="The activity's id; else the latest run of the window, or the latest."
    )


class LogActivityArgs(_Args):
    distance_m: RunDistance
    duration_s: Duration
    date: dt.date | None = Field(default=None, description="The day (YYYY-MM-DD); today when omitted.")
    sport: Literal["run", "trail_run", "treadmill", "walk", "hike", "ride", "swim", "other"] = "run"
    avg_hr: Annotated[float | None, Field(ge=limits.HR_MIN_BPM, le=limits.HR_MAX_BPM)] = None


class CreatePlanArgs(_Args):
    distance_m: RaceDistance
    race_date: dt.date = Field(description="The race day (YYYY-MM-DD).")
    target_time_s: Duration | None = None
    days_per_week: Annotated[int | None, Field(ge=1, le=7)] = Field(
        default=None, description="Sessions a week; from the athlete's remembered availability when omitted."
    )


class AdjustPlanArgs(_Args):
    reason: Literal["missed", "illness", "injury"]
    days: Annotated[
        int | None, Field(ge=1, le=28, description="Days ill (illness) or days to ease (injury).")
    ] = None
    #: True for an illness that is over ("j'ai été malade", "I was sick"): the days are the ones
    #: before today; False for one that is now ("je suis malade"): today and the days after.
    past: bool = False


class SearchKnowledgeArgs(_Args):
    query: Annotated[str, Field(min_length=2, max_length=500)]
    k: Annotated[int, Field(ge=1, le=8)] = 3


class UpdateProfileArgs(_Args):
    hr_max: Annotated[int | None, Field(ge=limits.HR_MAX_RANGE_BPM[0], le=limits.HR_MAX_RANGE_BPM[1])] = None
    hr_rest: Annotated[int | None, Field(ge=limits.HR_REST_RANGE_BPM[0], le=limits.HR_REST_RANGE_BPM[1])] = (
        None
    )
    language: Literal["fr", "en"] | None = None
    weight_kg: Annotated[float | None, Field(ge=limits.WEIGHT_RANGE_KG[0], le=limits.WEIGHT_RANGE_KG[1])] = (
        None
    )


class RememberFactArgs(_Args):
    kind: Literal["injury", "availability", "goal", "preference", "other"]
    text: Annotated[str, Field(min_length=2, max_length=500, description="The fact, in the athlete's words.")]
    days_per_week: Annotated[int | None, Field(ge=1, le=7)] = None
