"""Summary values computed from the samples, for what the file's own summary lacks.

GPX has no summary at all, TCX lap totals miss elevation and speed averages,
and some FIT sessions omit heart rate (the Fenix 2 sample), so every summary
field has a derivation here. All of it is vectorised numpy over the samples.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from analytics.efforts import MAX_GAP_S, moving_intervals
from analytics.readers.model import SUMMARY_FIELDS, ParsedActivity, SummarySource
from foulee import limits

FloatArray = npt.NDArray[np.float64]

# Altitude is smoothed by a centred moving average over this many samples before
# summing the climbs: GPS and barometric altitude jitter by about a metre from one
# sample to the next, and summing that noise inflates the gain by tens of percent
# on a flat course. Five samples (~5 s on 1 Hz devices) removes the jitter and keeps
# every real hill.
ALTITUDE_SMOOTHING_SAMPLES: Final = 5


def _column(samples: pd.DataFrame, name: str) -> FloatArray:
    return np.asarray(samples[name].to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)


def _finite_or_none(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _interval_speeds(time: FloatArray, distance: FloatArray, speed: FloatArray) -> FloatArray:
    """Speed over each interval between samples: distance over time, or the recorded speed at its end."""
    dt_s = np.diff(time)
    with np.errstate(divide="ignore", invalid="ignore"):
        from_distance = np.where(dt_s > 0, np.diff(distance) / dt_s, np.nan)
    return np.where(np.isfinite(from_distance), from_distance, speed[1:])


def moving_time_s(time: FloatArray, distance: FloatArray, speed: FloatArray) -> float | None:
    """The time of the moving intervals (``efforts.moving_intervals``): pauses and stops left out."""
    if time.size < 2:
        return None
    return float(np.diff(time)[moving_intervals(time, distance, speed)].sum())


def elevation_gain_m(altitude: FloatArray) -> float | None:
    """Sum of the rises of the altitude after a :data:`ALTITUDE_SMOOTHING_SAMPLES` centred moving average."""
    known = altitude[np.isfinite(altitude)]
    if known.size < 2:
        return None
    smoothed = pd.Series(known).rolling(ALTITUDE_SMOOTHING_SAMPLES, center=True, min_periods=1).mean()
    steps = np.diff(smoothed.to_numpy(dtype=np.float64))
    return float(steps[steps > 0].sum())


def heart_rate_summary(time: FloatArray, hr: FloatArray) -> tuple[float | None, float | None]:
    """Time-weighted mean and maximum heart rate over the plausible readings.

    Each interval shorter than ``efforts.MAX_GAP_S`` takes the HR of its first
    sample (as ``efforts.time_in_zones`` does), so a device that records more
    often when the HR changes does not bias the mean. Readings outside
    ``limits.HR_MIN_BPM``-``HR_MAX_BPM`` are sensor glitches and are ignored.
    """
    plausible = np.isfinite(hr) & (hr >= limits.HR_MIN_BPM) & (hr <= limits.HR_MAX_BPM)
    if not plausible.any():
        return None, None
    maximum = float(hr[plausible].max())
    dt_s = np.diff(time)
    counted = plausible[:-1] & (dt_s > 0) & (dt_s <= MAX_GAP_S)
    if counted.any():
        mean = float(np.average(hr[:-1][counted], weights=dt_s[counted]))
    else:
        mean = float(hr[plausible].mean())
    return mean, maximum


def derive_summary(samples: pd.DataFrame) -> dict[str, float | None]:
    """Every summary field that the samples can give (calories cannot: they need the athlete's weight)."""
    time = _column(samples, "time_s")
    distance = _column(samples, "distance_m")
    speed = _column(samples, "speed_mps")
    speed = np.where((speed >= 0) & (speed <= limits.MAX_SPEED_MPS), speed, np.nan)
    cadence = _column(samples, "cadence_spm")
    known_distance = distance[np.isfinite(distance)]
    total_distance = float(known_distance.max()) if known_distance.size else None
    moving = moving_time_s(time, distance, speed)
    avg_hr, max_hr = heart_rate_summary(time, _column(samples, "hr"))
    recorded_speed = speed[np.isfinite(speed)]
    if recorded_speed.size:
        max_speed: float | None = float(recorded_speed.max())
    elif time.size >= 2:
        # Speeds from GPS steps are noisy: take the maximum of a 5-sample rolling median.
        interval = _interval_speeds(time, distance, speed)
        interval = np.where(interval <= limits.MAX_SPEED_MPS, interval, np.nan)
        max_speed = _finite_or_none(float(pd.Series(interval).rolling(5, min_periods=1).median().max()))
    else:
        max_speed = None
    pedalling = cadence[np.isfinite(cadence) & (cadence > 0) & (cadence <= limits.MAX_CADENCE_SPM)]
    return {
        "distance_m": total_distance,
        "duration_s": float(time[-1] - time[0]) if time.size else None,
        "moving_time_s": moving,
        "elevation_gain_m": elevation_gain_m(_column(samples, "altitude_m")),
        "avg_hr": avg_hr,
        "max_hr": max_hr,
        # Average over moving time, as runners read it (pace while running).
        "avg_speed_mps": total_distance / moving if total_distance is not None and moving else None,
        "max_speed_mps": max_speed,
        "avg_cadence_spm": float(pedalling.mean()) if pedalling.size else None,
        "calories_kcal": None,
    }


def build_activity(
    *,
    sport: str,
    start_time: dt.datetime,
    device: str | None,
    device_summary: Mapping[str, float | None],
    samples: pd.DataFrame,
) -> ParsedActivity:
    """Merge the device summary with the derived one, device first, and record where each value came from.

    ``device_summary`` holds :data:`SUMMARY_FIELDS`, and may hold ``timer_time_s``: the
    moving time when the samples give none.
    """
    derived = derive_summary(samples)
    values: dict[str, float | None] = {}
    sources: dict[str, SummarySource] = {}
    for name in SUMMARY_FIELDS:
        device_value = device_summary.get(name)
        if device_value is not None and math.isfinite(device_value):
            values[name], sources[name] = float(device_value), "device"
        else:
            values[name], sources[name] = derived[name], "derived"
    # Timer time (TCX laps, FIT total_timer_time) leaves the pauses out but counts the
    # standing still: it is the moving time only when the samples cannot tell.
    timer = device_summary.get("timer_time_s")
    if values["moving_time_s"] is None and timer is not None and math.isfinite(timer):
        values["moving_time_s"], sources["moving_time_s"] = float(timer), "device"
    # A device's elapsed time can be shorter than the samples' moving time (laps count
    # timer time); moving time never exceeds elapsed time, as the Activity model requires.
    moving, elapsed = values["moving_time_s"], values["duration_s"]
    if moving is not None and elapsed is not None and moving > elapsed:
        values["moving_time_s"] = elapsed
    return ParsedActivity(
        sport=sport,
        start_time=start_time.astimezone(dt.UTC),
        device=device,
        samples=samples,
        summary_source=sources,
        distance_m=values["distance_m"],
        duration_s=values["duration_s"],
        moving_time_s=values["moving_time_s"],
        elevation_gain_m=values["elevation_gain_m"],
        avg_hr=values["avg_hr"],
        max_hr=values["max_hr"],
        avg_speed_mps=values["avg_speed_mps"],
        max_speed_mps=values["max_speed_mps"],
        avg_cadence_spm=values["avg_cadence_spm"],
        calories_kcal=values["calories_kcal"],
    )
