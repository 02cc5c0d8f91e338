"""From activity summaries to analysis rows: quality verdicts, local days, load and features.

Vectorised over a batch (a pandas DataFrame), because the sync pushes hundreds
of thousands of activities through here on a backfill.

Quality rules (each bad value is left out of the metric it would corrupt, and
``quality_note`` says why; the activity itself is kept):

* pace is used only for runs with a distance, a moving time, a speed of at
  least 1 m/s (slower is walking or a watch left running) and a VDOT of at most
  86 (the world records, 1 km to the marathon, sit at 84.6 to 85.6: a marathon
  at 2 min/km is a GPS or typing error);
* heart rate is used only when the average lies in the human range, is not
  above the recorded maximum, lies above the athlete's resting HR and no more
  than 10 bpm above a measured HR max.

Load is Banister TRIMP from the average HR (``hr_avg``); without usable HR, the
load the source reported (``source``); otherwise unknown, and said so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from analytics import metrics, quality
from analytics.efforts import BEST_EFFORT_DISTANCES_M, BEST_EFFORT_DURATIONS_S
from analytics.physiology import Physiology
from foulee import limits
from foulee.sports import RUNNING_SPORTS

#: Slower than this (16:40 per km) a "run" is a walk or a watch left running.
MIN_RUNNING_SPEED_MPS: Final = 1.0
#: World records from 1 km to the marathon sit at VDOT 84.6-85.6 (tests/analytics/test_samples.py);
#: anything above this is an error.
MAX_HUMAN_VDOT: Final = 86.0
#: VDOT comes from Daniels' race equations: only whole efforts from 1500 m to ~50 km of 3.5 min or more.
VDOT_DISTANCE_RANGE_M: Final = (1500.0, 50_000.0)
VDOT_MIN_TIME_S: Final = 210.0
#: A whole activity counts as a best effort over a standard distance when it is at most 5 % longer.
SUMMARY_EFFORT_TOLERANCE: Final = 0.05
#: Average HR this far above a measured HR max is a sensor error, not a new maximum.
HR_MAX_SLACK_BPM: Final = 10.0

#: The feature column of each standard distance and duration (analytics.efforts lists them).
BEST_DISTANCE_COLUMNS: Final[dict[str, float]] = dict(
    zip(
        ("best_1k_s", "best_mile_s", "best_5k_s", "best_10k_s", "best_half_s"),
        BEST_EFFORT_DISTANCES_M,
        strict=True,
    )
)
BEST_DURATION_COLUMNS: Final[dict[str, float]] = dict(
    zip(
        ("best_1min_m", "best_3min_m", "best_6min_m", "best_12min_m", "best_20min_m", "best_60min_m"),
        BEST_EFFORT_DURATIONS_S,
        strict=True,
    )
)
ZONE_COLUMNS: Final = ("zone1_s", "zone2_s", "zone3_s", "zone4_s", "zone5_s")

#: Columns of a batch handed to :func:`derive`, as read from the system of record.
SOURCE_COLUMNS: Final = (
    "id",
    "athlete_id",
    "sport",
    "start_time",
    "distance_m",
    "duration_s",
    "moving_time_s",
    "elevation_gain_m",
    "avg_hr",
    "max_hr",
    "avg_speed_mps",
    "max_speed_mps",
    "avg_cadence_spm",
    "source_load",
    "source_updated_at",
)


@dataclass(frozen=True)
class AthleteContext:
    """What deriving an athlete's rows needs: their physiology and their time zone."""

    physiology: Physiology
    timezone: str


def derive(batch: pd.DataFrame, athletes: Mapping[int, AthleteContext]) -> pd.DataFrame:
    """Analysis rows for a batch of activities: the columns of ``analytics_activity``.

    Their VDOT and VMA are the whole run's; the sync raises them when samples show a
    better effort (:mod:`analytics.sync_samples`).
    """
    frame = batch.reset_index(drop=True)
    distance = frame["distance_m"].to_numpy(dtype=float)
    moving = frame["moving_time_s"].fillna(frame["duration_s"]).to_numpy(dtype=float)
    is_running = frame["sport"].isin(RUNNING_SPORTS).to_numpy()
    hr_max, hr_rest, female, hr_max_measured = _physiology_columns(frame, athletes)

    with np.errstate(divide="ignore", invalid="ignore"):
        speed = np.where(moving > 0, distance / moving, np.nan)
        whole_vdot = metrics.vdot_array(distance, moving)
    has_distance = is_running & (distance > 0) & (moving > 0)
    too_slow = has_distance & (speed < MIN_RUNNING_SPEED_MPS)
    too_fast = has_distance & (whole_vdot > MAX_HUMAN_VDOT)
    pace_ok = has_distance & ~too_slow & ~too_fast

    avg_hr = frame["avg_hr"].to_numpy(dtype=float)
    max_hr = frame["max_hr"].to_numpy(dtype=float)
    has_hr = ~np.isnan(avg_hr)
    hr_outside = has_hr & (
        (avg_hr < limits.HR_MIN_BPM) | (avg_hr > limits.HR_MAX_BPM) | (max_hr > limits.HR_MAX_BPM)
    )
    hr_inconsistent = has_hr & ~hr_outside & (avg_hr > max_hr)
    hr_below_rest = has_hr & ~hr_outside & (avg_hr <= hr_rest)
    hr_above_max = has_hr & ~hr_outside & hr_max_measured & (avg_hr > hr_max + HR_MAX_SLACK_BPM)
    hr_ok = has_hr & ~(hr_outside | hr_inconsistent | hr_below_rest | hr_above_max)

    notes = _notes(
        (is_running & ~((distance > 0) & (moving > 0)), "no_distance_or_time"),
        (too_slow, "too_slow"),
        (too_fast, "too_fast"),
        (is_running & ~has_hr, "no_hr"),
        (hr_outside, "hr_outside_human_range"),
        (hr_inconsistent, "hr_avg_above_max"),
        (hr_below_rest, "hr_below_rest"),
        (hr_above_max, "hr_far_above_hr_max"),
    )

    load = np.where(hr_ok, metrics.trimp_array(moving, avg_hr, hr_rest, hr_max, female), np.nan)
    source_load = frame["source_load"].to_numpy(dtype=float)
    use_source = ~hr_ok & ~np.isnan(source_load)
    load = np.where(use_source, source_load, load)
    load_method = np.full(len(frame), None, dtype=object)
    load_method[use_source] = "source"
    load_method[hr_ok] = "hr_avg"
    notes = _append(notes, ~hr_ok & ~use_source, "load_unknown")

    vdot = whole_run_vdot(distance, moving, pace_ok, whole_vdot)
    local_day, week_start = _local_days(frame, athletes)
    activities = pd.DataFrame(
        {
            "id": frame["id"],
            "athlete_id": frame["athlete_id"],
            "sport": frame["sport"],
            "is_running": is_running,
            "start_time": frame["start_time"],
            "local_date": local_day,
            "week_start": week_start,
            "distance_m": distance,
            "duration_s": frame["duration_s"].astype(float),
            "moving_time_s": moving,
            "elevation_gain_m": frame["elevation_gain_m"],
            "avg_hr": avg_hr,
            "max_hr": max_hr,
            "avg_speed_mps": np.where(
                np.isnan(frame["avg_speed_mps"].to_numpy(dtype=float)), speed, frame["avg_speed_mps"]
            ),
            "max_speed_mps": frame["max_speed_mps"],
            "avg_cadence_spm": frame["avg_cadence_spm"],
            "training_load": load,
            "load_method": load_method,
            "pace_ok": pace_ok,
            "hr_ok": hr_ok,
            "quality_note": notes,
            "vdot": vdot,
            "vma_kmh": metrics.vma_from_vdot_array(vdot),
            "source_updated_at": frame["source_updated_at"],
        }
    )
    return activities


def whole_run_vdot(
    distance_m: np.ndarray, moving_time_s: np.ndarray, pace_ok: np.ndarray, vdot: np.ndarray | None = None
) -> np.ndarray:
    """Each run's VDOT when the whole run qualifies for Daniels' equations, else NaN.

    ``vdot`` is the runs' VDOT when the caller already has it (it is computed otherwise).
    """
    distance = np.asarray(distance_m, dtype=float)
    moving = np.asarray(moving_time_s, dtype=float)
    if vdot is None:
        with np.errstate(divide="ignore", invalid="ignore"):
            vdot = metrics.vdot_array(distance, moving)
    low, high = VDOT_DISTANCE_RANGE_M
    qualifies = np.asarray(pace_ok, dtype=bool) & (distance >= low) & (distance <= high)
    return np.where(qualifies & (moving >= VDOT_MIN_TIME_S), vdot, np.nan)


def whole_run_efforts(
    distance_m: np.ndarray, moving_time_s: np.ndarray, pace_ok: np.ndarray
) -> dict[str, np.ndarray]:
    """Per best-distance column, each run's time over that distance when the whole run was it.

    A run counts for a standard distance when it is at most 5 % longer; its time is scaled
    down to the distance at its average pace. NaN where the run does not count.
    """
    distance = np.asarray(distance_m, dtype=float)
    moving = np.asarray(moving_time_s, dtype=float)
    ok = np.asarray(pace_ok, dtype=bool)
    efforts: dict[str, np.ndarray] = {}
    for column, target in BEST_DISTANCE_COLUMNS.items():
        fits = ok & (distance >= target) & (distance <= target * (1.0 + SUMMARY_EFFORT_TOLERANCE))
        with np.errstate(divide="ignore", invalid="ignore"):
            efforts[column] = np.where(fits, moving * target / distance, np.nan)
    return efforts


def _physiology_columns(
    frame: pd.DataFrame, athletes: Mapping[int, AthleteContext]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    ids = frame["athlete_id"].to_numpy()
    unique_ids, positions = np.unique(ids, return_inverse=True)
    contexts = [athletes[int(athlete_id)].physiology for athlete_id in unique_ids]
    hr_max = np.array([context.hr_max for context in contexts], dtype=float)[positions]
    hr_rest = np.array([context.hr_rest for context in contexts], dtype=float)[positions]
    female = np.array([context.sex == "F" for context in contexts], dtype=bool)[positions]
    measured = np.array([context.hr_max_source == "measured" for context in contexts], dtype=bool)[positions]
    return hr_max, hr_rest, female, measured


def _local_days(frame: pd.DataFrame, athletes: Mapping[int, AthleteContext]) -> tuple[pd.Series, pd.Series]:
    """The local calendar day of each start, and the Monday of its week, in each athlete's zone."""
    start = pd.to_datetime(frame["start_time"], utc=True)
    zones = frame["athlete_id"].map(lambda athlete_id: athletes[int(athlete_id)].timezone)
    local = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    for zone, rows in zones.groupby(zones).groups.items():
        local.loc[rows] = start.loc[rows].dt.tz_convert(str(zone)).dt.tz_localize(None).dt.normalize()
    week_start = local - pd.to_timedelta(local.dt.day_of_week, unit="D")
    return local.dt.date, week_start.dt.date


def _notes(*reasons: tuple[np.ndarray, str]) -> np.ndarray:
    """Each row's quality note: the reasons (codes of :mod:`analytics.quality`) whose mask is set."""
    notes = np.full(len(reasons[0][0]), "", dtype=object)
    for mask, code in reasons:
        notes = _append(notes, mask, code)
    return notes


def _append(notes: np.ndarray, mask: np.ndarray, code: str) -> np.ndarray:
    separator = np.where(notes == "", "", quality.SEPARATOR)
    return np.where(mask, notes + separator + quality.REASONS[code], notes)
