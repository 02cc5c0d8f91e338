"""Best efforts and heart-rate work from the samples of one recorded activity.

This runs on every imported file (a 3-hour run is ~10,000 samples), so every
function is vectorised with numpy: one ``searchsorted`` per pass, O(n log n),
no Python loop over samples. Inputs are 1-D arrays of equal length:
``time_s`` (seconds since the start, non-decreasing), ``distance_m``
(cumulative, non-decreasing, NaN where the device recorded no distance) and
``hr`` (bpm, NaN where there was no signal).

Windows are measured on moving time (:func:`moving_clock`): a stop at a
traffic light or a 14-minute café break inside a window is left out, as
Strava's best efforts and the moving pace leave it out; otherwise the best
10 km of a run with a long stop would be slower than its average moving pace.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from analytics import metrics
from foulee import limits, races

FloatArray = npt.NDArray[np.float64]

# The distances (``foulee.races.BEST_EFFORT_RACES``) and durations every imported activity is searched for.
BEST_EFFORT_DISTANCES_M: Final = tuple(race.metres for race in races.BEST_EFFORT_RACES)
# 6 minutes is the half-Cooper test: its best speed estimates VMA (metrics.vma_from_six_minute_effort).
BEST_EFFORT_DURATIONS_S: Final = (60.0, 180.0, 360.0, 720.0, 1200.0, 3600.0)

# An interval between two samples longer than this is a pause or a lost
# signal: nobody knows the heart rate during it, so it counts in no zone and adds no TRIMP.
MAX_GAP_S: Final = 30.0

# Below 0.5 m/s (1.8 km/h) one is standing, not walking: the same threshold as
# Strava's moving-time rule for runs.
MOVING_SPEED_MPS: Final = 0.5
#: The speed that says whether an interval is moving is taken over this many seconds around it.
MOVING_WINDOW_S: Final = 10.0


@dataclass(frozen=True)
class BestEfforts:
    """The best efforts of one activity; None where the activity is too short."""

    time_for_distance_s: dict[float, float | None]
    distance_for_duration_m: dict[float, float | None]


def best_time_for_distance(time_s: npt.ArrayLike, distance_m: npt.ArrayLike, target_m: float) -> float | None:
    """Fastest time (s) to cover ``target_m`` anywhere in the activity, or None if it is shorter.

    Position is linearly interpolated between samples, so the result does not
    depend on where the samples happen to fall.
    """
    time, distance = _distance_samples(time_s, distance_m)
    return _best_time_for_distance(time, distance, target_m)


def best_distance_for_duration(
    time_s: npt.ArrayLike, distance_m: npt.ArrayLike, duration_s: float
) -> float | None:
    """Greatest distance (m) covered in any window of ``duration_s``, or None if the activity is shorter."""
    time, distance = _distance_samples(time_s, distance_m)
    return _best_distance_for_duration(time, distance, duration_s)


def best_efforts(time_s: npt.ArrayLike, distance_m: npt.ArrayLike) -> BestEfforts:
    """Every distance of :data:`BEST_EFFORT_DISTANCES_M` and duration of :data:`BEST_EFFORT_DURATIONS_S`,
    on the :func:`moving_clock` (pauses left out)."""
    time, distance = moving_clock(time_s, distance_m)
    return BestEfforts(
        time_for_distance_s={
            target: _best_time_for_distance(time, distance, target) for target in BEST_EFFORT_DISTANCES_M
        },
        distance_for_duration_m={
            duration: _best_distance_for_duration(time, distance, duration)
            for duration in BEST_EFFORT_DURATIONS_S
        },
    )


def time_in_zones(time_s: npt.ArrayLike, hr: npt.ArrayLike, zones: Sequence[metrics.Zone]) -> list[float]:
    """Seconds spent in each of ``zones`` (aligned with them), e.g. from :func:`metrics.hr_zones`.

    Each interval between two samples takes the heart rate of its first
    sample; intervals longer than :data:`MAX_GAP_S`, and those starting on a
    missing or implausible HR (outside ``limits.HR_MIN_BPM``-``HR_MAX_BPM``),
    are not counted. The zone rule is :func:`metrics.zone_positions`: a
    boundary belongs to the zone above, anything above the top zone is the top
    zone, and time below zone 1 is in no zone: :func:`time_below_zones` gives it.
    """
    durations, heart_rates = _heart_rate_intervals(time_s, hr)
    positions = metrics.zone_positions(heart_rates, zones)
    in_zone = positions >= 0
    per_zone = np.bincount(positions[in_zone], weights=durations[in_zone], minlength=len(zones))
    return [float(seconds) for seconds in per_zone]


def time_below_zones(time_s: npt.ArrayLike, hr: npt.ArrayLike, zones: Sequence[metrics.Zone]) -> float:
    """Seconds under the first of ``zones`` (walking, standing), with the rules of :func:`time_in_zones`.

    Kept apart so that the zone times stay a plain list aligned with the
    zones; their sum plus this value is the time with a usable heart rate.
    """
    durations, heart_rates = _heart_rate_intervals(time_s, hr)
    return float(durations[metrics.zone_positions(heart_rates, zones) < 0].sum())


def trimp_from_samples(
    time_s: npt.ArrayLike, hr: npt.ArrayLike, hr_rest: float, hr_max: float, sex: metrics.Sex
) -> float:
    """Banister's TRIMP summed over the sample intervals (gap and HR rules of :func:`time_in_zones`).

    Summing per interval weights the hard minutes of an interval session
    exponentially, which one mean HR for the whole session (:func:`metrics.trimp`)
    underestimates; on a constant HR the two agree.
    """
    durations, heart_rates = _heart_rate_intervals(time_s, hr)
    per_minute = metrics.trimp_per_minute(heart_rates, hr_rest, hr_max, sex)
    return float(np.sum(durations / 60.0 * per_minute))


def moving_intervals(
    time: FloatArray, distance: FloatArray, speed: FloatArray | None = None
) -> npt.NDArray[np.bool_]:
    """Which intervals between samples are moving: faster than :data:`MOVING_SPEED_MPS` and
    shorter than :data:`MAX_GAP_S` (a longer one is a pause or a lost signal).

    An interval's speed is the distance over time across the samples within
    :data:`MOVING_WINDOW_S` around it: devices update the distance every few
    seconds (a TomTom writes the same distance twice, then the three seconds'
    worth), so one second's step alone would call a runner stopped. Where the
    distance is missing, the recorded ``speed`` at the interval's end counts.
    The one rule for the moving time of a summary and for the moving clock of
    the best efforts.
    """
    dt_s = np.diff(time)
    half = MOVING_WINDOW_S / 2.0
    # Window edges: the first sample at or after start - half, the last at or before end + half.
    lower = np.minimum(np.searchsorted(time, time[:-1] - half, side="left"), np.arange(len(dt_s)))
    upper = np.maximum(np.searchsorted(time, time[1:] + half, side="right") - 1, np.arange(1, len(time)))
    span = time[upper] - time[lower]
    with np.errstate(divide="ignore", invalid="ignore"):
        interval_speed = np.where(span > 0, (distance[upper] - distance[lower]) / span, np.nan)
    if speed is not None:
        interval_speed = np.where(np.isfinite(interval_speed), interval_speed, speed[1:])
    moving: npt.NDArray[np.bool_] = (interval_speed > MOVING_SPEED_MPS) & (dt_s > 0) & (dt_s <= MAX_GAP_S)
    return moving


def moving_clock(time_s: npt.ArrayLike, distance_m: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Time and distance with the pauses taken out, for the best-effort search.

    Samples without a distance are dropped; then every interval that is not
    moving (:func:`moving_intervals`) adds neither time nor distance: the
    metres shuffled while stopped are not running, and keeping them with no
    time would invent speed.
    """
    time, distance = _distance_samples(time_s, distance_m)
    if len(time) < 2:
        return time, distance
    moving = moving_intervals(time, distance)
    clock = np.concatenate(([time[0]], time[0] + np.cumsum(np.where(moving, np.diff(time), 0.0))))
    steps = np.where(moving, np.diff(distance), 0.0)
    covered = np.concatenate(([distance[0]], distance[0] + np.cumsum(steps)))
    return clock, covered


# --- Best efforts --------------------------------------------------------------------------------
# Position is piecewise linear between samples, so the time to cover a distance
# (or the distance covered in a duration) as a function of the window's start is
# piecewise linear too, with corners where one end of the window meets a sample:
# its optimum lies at such a corner. Trying every window that starts on a sample
# and every window that ends on one is therefore exact, in two searchsorted passes.
def _best_time_for_distance(time: FloatArray, distance: FloatArray, target_m: float) -> float | None:
    if not target_m > 0:
        raise ValueError("target distance must be positive")
    if len(distance) < 2 or distance[-1] - distance[0] < target_m:
        return None
    # Windows starting on a sample: the first moment the runner reaches start + target.
    starts = distance + target_m <= distance[-1]
    arrivals = _interpolate(distance, time, distance[starts] + target_m, latest=False)
    from_starts = arrivals - time[starts]
    # Windows ending on a sample: the last moment the runner was at end - target
    # (after any stop there, which is no part of the effort).
    ends = distance - target_m >= distance[0]
    departures = _interpolate(distance, time, distance[ends] - target_m, latest=True)
    to_ends = time[ends] - departures
    return float(min(from_starts.min(initial=np.inf), to_ends.min(initial=np.inf)))


def _best_distance_for_duration(time: FloatArray, distance: FloatArray, duration_s: float) -> float | None:
    if not duration_s > 0:
        raise ValueError("duration must be positive")
    if len(time) < 2 or time[-1] - time[0] < duration_s:
        return None
    starts = time + duration_s <= time[-1]
    reached = _interpolate(time, distance, time[starts] + duration_s, latest=True)
    from_starts = reached - distance[starts]
    ends = time - duration_s >= time[0]
    left = _interpolate(time, distance, time[ends] - duration_s, latest=False)
    to_ends = distance[ends] - left
    return float(max(from_starts.max(initial=-np.inf), to_ends.max(initial=-np.inf)))


def _interpolate(x: FloatArray, y: FloatArray, queries: FloatArray, *, latest: bool) -> FloatArray:
    """``y`` at each query on ``x`` (non-decreasing, queries within its range), linearly.

    Where ``x`` repeats a value (a stop: distance still, time running), the
    query takes the last sample at that value if ``latest``, else the first.
    """
    upper = np.searchsorted(x, queries, side="right" if latest else "left")
    # Off the ends only for a query equal to the first or last x; the fill below handles it.
    upper = np.clip(upper, 1, len(x) - 1)
    lower = upper - 1
    span = x[upper] - x[lower]
    fraction = np.full(queries.shape, 1.0 if latest else 0.0)
    np.divide(queries - x[lower], span, out=fraction, where=span > 0)
    interpolated: FloatArray = y[lower] + fraction * (y[upper] - y[lower])
    return interpolated


# --- Input checks --------------------------------------------------------------------------------
def _samples(time_s: npt.ArrayLike, other: npt.ArrayLike, other_name: str) -> tuple[FloatArray, FloatArray]:
    time = np.asarray(time_s, dtype=np.float64)
    values = np.asarray(other, dtype=np.float64)
    if time.ndim != 1 or values.ndim != 1:
        raise ValueError(f"time_s and {other_name} must be one-dimensional arrays")
    if len(time) != len(values):
        raise ValueError(f"time_s and {other_name} must have the same length ({len(time)} != {len(values)})")
    if not np.all(np.isfinite(time)):
        raise ValueError("time_s must not contain NaN or infinite values")
    if np.any(np.diff(time) < 0):
        raise ValueError("time_s must be non-decreasing")
    return time, values


def _distance_samples(time_s: npt.ArrayLike, distance_m: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Time and distance with the samples that have no distance dropped."""
    time, distance = _samples(time_s, distance_m, "distance_m")
    recorded = ~np.isnan(distance)
    time, distance = time[recorded], distance[recorded]
    if np.any(np.diff(distance) < 0):
        raise ValueError("distance_m must be non-decreasing (cumulative)")
    return time, distance


def _heart_rate_intervals(time_s: npt.ArrayLike, hr: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Duration and heart rate of every interval that counts: short enough, with a plausible HR."""
    time, heart_rate = _samples(time_s, hr, "hr")
    durations = np.diff(time)
    starting_hr = heart_rate[:-1]
    # NaN compares false, so missing HR fails the plausibility test too.
    counted = (
        (durations <= MAX_GAP_S) & (starting_hr >= limits.HR_MIN_BPM) & (starting_hr <= limits.HR_MAX_BPM)
    )
    return durations[counted], starting_hr[counted]
