"""Responses of ``/v1/analytics``: what ``analytics.queries`` returns, in JSON.

Every quantity keeps its unit in its name, as in the queries, and is rounded to what
that unit needs (``api.rounding``; each field's description says how). ``null`` means
unknown (no heart rate recorded, no run that week), never zero. When a query
has too little data, ``available`` is false and ``note`` says why.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from api.rounding import (
    BeatsPerMinute,
    Confidence,
    Exponent,
    Hours,
    Kilometres,
    KilometresPerHour,
    LoadAverage,
    Metres,
    MetresOrSeconds,
    Minutes,
    Seconds,
    Share,
    TrainingLoad,
    Vdot,
    Vo2max,
)


class AnalyticsResponse(BaseModel):
    athlete_id: int = Field(
        description="Whose data this is (the caller, or the athlete named by `athlete_id`)."
    )


class DashboardWeek(BaseModel):
    week_start: dt.date = Field(description="The Monday of the athlete's local week.")
    distance_km: Kilometres = Field(description="Running distance.")
    moving_time_h: Hours = Field(description="Running moving time.")
    avg_speed_kmh: KilometresPerHour | None = Field(
        description="Over runs with a trustworthy pace; null without one."
    )
    load: TrainingLoad | None = Field(
        description="Training load (TRIMP) of every sport; null without consent to health data."
    )
    max_hr: BeatsPerMinute | None = Field(
        description="Highest heart rate; null without consent to health data."
    )
    runs: int
    activities: int
    vma_kmh: KilometresPerHour | None = Field(
        description="The best VMA an activity of the week demonstrated."
    )


class Dashboard(AnalyticsResponse):
    weeks: int
    rows: list[DashboardWeek] = Field(description="One row per week, oldest first, empty weeks included.")


class TrendRow(BaseModel):
    activity_id: int
    start_time: dt.datetime
    distance_km: Kilometres
    duration_min: Minutes
    speed_kmh: KilometresPerHour | None
    speed_trend_kmh: KilometresPerHour | None = Field(
        description="Mean speed of this run and the 6 before it."
    )
    load: TrainingLoad | None
    load_stability: LoadAverage | None = Field(
        description="Standard deviation of load over the last 14 runs."
    )


class Trends(AnalyticsResponse):
    weeks: int
    available: bool
    note: str
    rows: list[TrendRow]


class ZoneRow(BaseModel):
    zone: int
    name: str
    low_bpm: int
    high_bpm: int
    activities: int
    hours: Hours
    share: Share = Field(description="Share of the time in zones, 0 to 1.")
    avg_load: TrainingLoad | None


class Zones(AnalyticsResponse):
    weeks: int
    available: bool
    method: str = Field(description="`karvonen`, `percent of HR max`, or `none`.")
    hr_max: BeatsPerMinute | None
    hr_max_source: str | None
    hr_rest: BeatsPerMinute | None
    activities: int
    share_from_samples: Share
    note: str
    zones: list[ZoneRow]


class Performance(BaseModel):
    distance_m: Metres
    time_s: Seconds
    day: dt.date
    activity_id: int
    source: str
    vdot: Vdot


class Prediction(AnalyticsResponse):
    available: bool
    distance_m: Metres
    time_s: Seconds | None = Field(description="The predicted race time; null without enough data.")
    vdot_time_s: Seconds | None
    riegel_time_s: Seconds | None
    personal_time_s: Seconds | None
    personal_exponent: Exponent | None
    vdot: Vdot | None
    confidence: Confidence = Field(description="0 to 1, the mean of `confidence_factors`.")
    confidence_factors: dict[str, Confidence]
    basis: Performance | None
    method: str
    notes: list[str]


class Vma(AnalyticsResponse):
    available: bool
    vma_kmh: KilometresPerHour | None
    vo2max: Vo2max | None = Field(description="ml/kg/min, Léger: 3.5 × VMA (of the unrounded VMA).")
    method: str
    activity_id: int | None
    activity_date: dt.date | None
    weeks: int


#: The PMC's three values, named as ``analytics.metrics.pmc`` names its columns, in both shapes below.
CTL_DESCRIPTION = "Chronic training load, the athlete's fitness: load averaged over 42 days (EWMA)."
ATL_DESCRIPTION = "Acute training load, the athlete's fatigue: load averaged over 7 days (EWMA)."
TSB_DESCRIPTION = "Training stress balance, the athlete's form: CTL - ATL, both of the day before."


class FormReading(BaseModel):
    day: dt.date
    ctl: LoadAverage = Field(description=CTL_DESCRIPTION)
    atl: LoadAverage = Field(description=ATL_DESCRIPTION)
    tsb: LoadAverage = Field(description=TSB_DESCRIPTION)
    label: str = Field(description="The form band `tsb` falls in, in words.")
    code: str = Field(description="The form band's stable code.")
    ramp_per_week: LoadAverage = Field(description="How fast `ctl` rose over the last week, per week.")


class LoadDay(BaseModel):
    day: dt.date
    load: TrainingLoad = Field(description="The day's training load (TRIMP), every sport.")
    ctl: LoadAverage = Field(description=CTL_DESCRIPTION)
    atl: LoadAverage = Field(description=ATL_DESCRIPTION)
    tsb: LoadAverage = Field(description=TSB_DESCRIPTION)


class Load(AnalyticsResponse):
    days: int
    available: bool
    history_days: int
    note: str
    today: FormReading | None
    series: list[LoadDay]


class Record(BaseModel):
    effort: str = Field(description="The effort's name, e.g. `best_5k_s` or `best_12min_m`.")
    kind: str = Field(description="`distance` (value in seconds) or `duration` (value in metres).")
    target: MetresOrSeconds = Field(description="Metres for a distance, seconds for a duration.")
    value: MetresOrSeconds = Field(description="Seconds for a distance, metres for a duration.")
    activity_id: int
    date: dt.date
    from_samples: bool


class Records(AnalyticsResponse):
    records: list[Record]
