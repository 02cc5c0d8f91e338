"""Responses of ``/v1/analytics``: what ``analytics.queries`` returns, in JSON.

Every quantity keeps its unit in its name, as in the queries. ``null`` means
unknown (no heart rate recorded, no run that week), never zero. When a query
has too little data, ``available`` is false and ``note`` says why.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class AnalyticsResponse(BaseModel):
    athlete_id: int = Field(
        description="Whose data this is (the caller, or the athlete named by `athlete_id`)."
    )


class DashboardWeek(BaseModel):
    week_start: dt.date = Field(description="The Monday of the athlete's local week.")
    distance_km: float = Field(description="Running distance.")
    moving_time_h: float = Field(description="Running moving time.")
    avg_speed_kmh: float | None = Field(description="Over runs with a trustworthy pace; null without one.")
    load: float = Field(description="Training load (TRIMP) of every sport.")
    max_hr: float | None
    runs: int
    activities: int
    vma_kmh: float | None = Field(description="The best VMA an activity of the week demonstrated.")


class Dashboard(AnalyticsResponse):
    weeks: int
    rows: list[DashboardWeek] = Field(description="One row per week, oldest first, empty weeks included.")


class TrendRow(BaseModel):
    activity_id: int
    start_time: dt.datetime
    distance_km: float
    duration_min: float
    speed_kmh: float | None
    speed_trend_kmh: float | None = Field(description="Mean speed of this run and the 6 before it.")
    load: float | None
    load_stability: float | None = Field(description="Standard deviation of load over the last 14 runs.")


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
    hours: float
    share: float = Field(description="Share of the time in zones, 0 to 1.")
    avg_load: float | None


class Zones(AnalyticsResponse):
    weeks: int
    available: bool
    method: str = Field(description="`karvonen`, `percent of HR max`, or `none`.")
    hr_max: float | None
    hr_max_source: str | None
    hr_rest: float | None
    activities: int
    share_from_samples: float
    note: str
    zones: list[ZoneRow]


class Performance(BaseModel):
    distance_m: float
    time_s: float
    day: dt.date
    activity_id: int
    source: str
    vdot: float


class Prediction(AnalyticsResponse):
    available: bool
    distance_m: float
    time_s: float | None = Field(description="The predicted race time; null without enough data.")
    vdot_time_s: float | None
    riegel_time_s: float | None
    personal_time_s: float | None
    personal_exponent: float | None
    vdot: float | None
    confidence: float = Field(description="0 to 1, the mean of `confidence_factors`.")
    confidence_factors: dict[str, float]
    basis: Performance | None
    method: str
    notes: list[str]


class Vma(AnalyticsResponse):
    available: bool
    vma_kmh: float | None
    vo2max: float | None = Field(description="ml/kg/min, Léger: 3.5 × VMA.")
    method: str
    activity_id: int | None
    activity_date: dt.date | None
    weeks: int


class FormReading(BaseModel):
    day: dt.date
    fitness: float = Field(description="CTL.")
    fatigue: float = Field(description="ATL.")
    form: float = Field(description="TSB = CTL - ATL (of the day before).")
    label: str
    code: str
    ramp_per_week: float


class LoadDay(BaseModel):
    day: dt.date
    load: float
    ctl: float
    atl: float
    tsb: float


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
    target: float = Field(description="Metres for a distance, seconds for a duration.")
    value: float
    activity_id: int
    date: dt.date
    from_samples: bool


class Records(AnalyticsResponse):
    records: list[Record]
