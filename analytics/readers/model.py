"""The normalised result of reading one activity file, whatever its format."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final, Literal

import pandas as pd

#: Every sport a reader may report; the running ones are ``foulee.sports.RUNNING_SPORTS``.
SPORTS: Final = frozenset(
    {"run", "trail_run", "treadmill", "walk", "hike", "ride", "swim", "strength", "other"}
)

#: Sports on foot, whose cadence is counted in steps (both legs) per minute.
FOOT_SPORTS: Final = frozenset({"run", "trail_run", "treadmill", "walk", "hike"})

#: Columns of :attr:`ParsedActivity.samples`, all float64, NaN where the file has no value.
SAMPLE_COLUMNS: Final = (
    "time_s",
    "distance_m",
    "speed_mps",
    "hr",
    "cadence_spm",
    "altitude_m",
    "lat",
    "lon",
)

#: Summary fields of :class:`ParsedActivity`, the keys of its ``summary_source``.
SUMMARY_FIELDS: Final = (
    "distance_m",
    "duration_s",
    "moving_time_s",
    "elevation_gain_m",
    "avg_hr",
    "max_hr",
    "avg_speed_mps",
    "max_speed_mps",
    "avg_cadence_spm",
    "calories_kcal",
)

SummarySource = Literal["device", "derived"]


def samples_frame(columns: dict[str, list[float]]) -> pd.DataFrame:
    """A samples DataFrame with every :data:`SAMPLE_COLUMNS` column, float64, missing ones all NaN."""
    length = len(columns.get("time_s", []))
    return pd.DataFrame(
        {
            name: pd.Series(columns.get(name, [float("nan")] * length), dtype="float64")
            for name in SAMPLE_COLUMNS
        }
    )


@dataclass(frozen=True)
class ParsedActivity:
    """One activity read from a file, in SI units, before it is stored anywhere.

    ``duration_s`` is the elapsed time from start to finish, pauses included;
    ``moving_time_s`` leaves out stops. ``cadence_spm`` is steps per minute on
    foot and pedal revolutions per minute on a bike. ``summary_source`` tells,
    for each of :data:`SUMMARY_FIELDS`, whether the value is the device's own
    summary or was derived from the samples: the device sees data (e.g.
    1-second records, barometric altitude) that the file may not keep, so its
    summary wins when present.
    """

    sport: str
    start_time: dt.datetime
    device: str | None
    distance_m: float | None
    duration_s: float | None
    moving_time_s: float | None
    elevation_gain_m: float | None
    avg_hr: float | None
    max_hr: float | None
    avg_speed_mps: float | None
    max_speed_mps: float | None
    avg_cadence_spm: float | None
    calories_kcal: float | None
    samples: pd.DataFrame = field(repr=False)
    summary_source: dict[str, SummarySource] = field(default_factory=dict)


@dataclass(frozen=True)
class Transition:
    """The time between two legs of a multisport event (T1, T2 of a triathlon): not an activity,
    but part of the event's total time and distance."""

    start_time: dt.datetime
    duration_s: float
    distance_m: float


@dataclass(frozen=True)
class ParsedFile:
    """Everything read from one file: one leg per session or activity it records, in order.

    Most files hold one leg. A multisport file (a triathlon from a FIT watch, a
    TCX with several ``Activity`` elements) holds one per sport, and the
    ``transitions`` between them. ``truncated`` says the file was cut off and
    only what came before the cut was read; ``notes`` are other things the
    athlete should be told (a start time taken from the watch's local clock).
    """

    legs: tuple[ParsedActivity, ...]
    transitions: tuple[Transition, ...] = ()
    truncated: bool = False
    notes: tuple[str, ...] = ()

    @property
    def is_multisport(self) -> bool:
        return len(self.legs) > 1
