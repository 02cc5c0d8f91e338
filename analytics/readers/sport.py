"""Which sport a recording is: the names and codes each format uses, and a track's speed profile.

One place for the mapping of every format (FIT ``sport``/``sub_sport``, TCX's
``Sport`` attribute, GPX ``<trk><type>`` as Garmin Connect and Strava write
it), so that the same run gets the same sport whatever file it came in.
A GPX without a type is told by how fast it moves (:func:`sport_from_speed`).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from foulee import limits

# FIT profile (Garmin FIT SDK, Profile.xlsx, types ``sport`` and ``sub_sport``), by name as
# fitdecode decodes them. A (sport, sub_sport) pair wins over the sport alone.
_FIT_SUB_SPORTS: Final = {
    ("running", "trail"): "trail_run",
    ("running", "treadmill"): "treadmill",
    ("running", "indoor_running"): "treadmill",
    ("running", "virtual_activity"): "treadmill",
    ("fitness_equipment", "treadmill"): "treadmill",
    ("fitness_equipment", "indoor_cycling"): "ride",
    ("training", "strength_training"): "strength",
    ("walking", "indoor_walking"): "walk",
}
_FIT_SPORTS: Final = {
    "running": "run",
    "wheelchair_push_run": "run",
    "walking": "walk",
    "wheelchair_push_walk": "walk",
    "hiking": "hike",
    "mountaineering": "hike",
    "snowshoeing": "hike",
    "cycling": "ride",
    "e_biking": "ride",
    "swimming": "swim",
}
#: FIT's ``sport`` of the time between two legs of a multisport event (not an activity itself).
FIT_TRANSITION: Final = "transition"

# TCX (TrainingCenterDatabase v2): Running, Biking, Other; some writers add their own words.
_TCX_SPORTS: Final = {
    "running": "run",
    "biking": "ride",
    "cycling": "ride",
    "swimming": "swim",
    "walking": "walk",
    "hiking": "hike",
}

# GPX <trk><type>: Garmin Connect's activity type keys (running, road_biking, lap_swimming ...),
# Strava's activity type names (Run, VirtualRide ...) and the numbers of Strava's GPX exports
# (1 Ride, 4 Hike, 9 Run, 10 Walk, 16 Swim, 17 VirtualRide). Keys are normalised by _gpx_key.
_GPX_TYPES: Final = {
    **dict.fromkeys(
        (
            "running",
            "run",
            "street_running",
            "track_running",
            "road_running",
            "ultra_running",
            "obstacle_run",
            "9",
        ),
        "run",
    ),
    **dict.fromkeys(("trail_running", "trail_run", "trailrun"), "trail_run"),
    **dict.fromkeys(
        ("treadmill_running", "treadmill", "indoor_running", "virtualrun", "virtual_run"), "treadmill"
    ),
    **dict.fromkeys(("walking", "walk", "casual_walking", "speed_walking", "10"), "walk"),
    **dict.fromkeys(("hiking", "hike", "mountaineering", "4"), "hike"),
    **dict.fromkeys(
        (
            "cycling",
            "biking",
            "ride",
            "road_biking",
            "road_cycling",
            "mountain_biking",
            "gravel_cycling",
            "cyclocross",
            "indoor_cycling",
            "virtual_ride",
            "virtualride",
            "e_bike_fitness",
            "e_bike_mountain",
            "ebikeride",
            "e_bike_ride",
            "1",
            "17",
        ),
        "ride",
    ),
    **dict.fromkeys(
        ("swimming", "swim", "lap_swimming", "open_water_swimming", "pool_swimming", "16"), "swim"
    ),
    **dict.fromkeys(("strength_training", "weighttraining", "weight_training"), "strength"),
}

#: Speed profile of a track without a sport (time-weighted median of the moving speed, m/s):
#: under 2.0 m/s (7.2 km/h) is a walk; up to 5.5 m/s (19.8 km/h, faster than a 2:08 marathon)
#: with its fastest tenth under 7.5 m/s (27 km/h, a sprint) is a run; faster is a ride.
WALK_MAX_TYPICAL_MPS: Final = 2.0
RUN_MAX_TYPICAL_MPS: Final = 5.5
RUN_MAX_FAST_MPS: Final = 7.5
#: Below this one stands (analytics.readers.derive uses the same threshold for moving time).
STANDING_MPS: Final = 0.5


def fit_sport(sport: object, sub_sport: object) -> str:
    """Foulée sport for a FIT sport/sub_sport pair; unknown values are "other"."""
    return _FIT_SUB_SPORTS.get((str(sport), str(sub_sport))) or _FIT_SPORTS.get(str(sport), "other")


def tcx_sport(sport: str | None) -> str:
    """Foulée sport for a TCX ``Activity/@Sport``."""
    return _TCX_SPORTS.get((sport or "").strip().lower(), "other")


def _gpx_key(track_type: str) -> str:
    return "_".join(track_type.strip().lower().replace("-", " ").split())


def gpx_sport(track_type: str | None) -> str | None:
    """Foulée sport for a GPX ``<trk><type>``; ``None`` when the track has no type (see
    :func:`sport_from_speed`), "other" for a type we do not know."""
    if not track_type or not track_type.strip():
        return None
    return _GPX_TYPES.get(_gpx_key(track_type), "other")


def speed_profile(samples: pd.DataFrame) -> tuple[float, float] | None:
    """The typical and the fast moving speed of a track (m/s): the time-weighted median and
    90th percentile of the speed between consecutive samples, standing still left out.

    Weighted by time, not by sample, so a device that records more often at speed
    does not look faster; ``None`` when the track never moves.
    """
    time = samples["time_s"].to_numpy(dtype=np.float64, na_value=np.nan)
    distance = samples["distance_m"].to_numpy(dtype=np.float64, na_value=np.nan)
    if time.size < 2:
        return None
    dt_s = np.diff(time)
    with np.errstate(divide="ignore", invalid="ignore"):
        speed = np.diff(distance) / dt_s
    moving = np.isfinite(speed) & (dt_s > 0) & (speed > STANDING_MPS)
    if not moving.any():
        return None
    order = np.argsort(speed[moving])
    sorted_speed, weights = speed[moving][order], dt_s[moving][order]
    cumulative = np.cumsum(weights) / weights.sum()
    last = sorted_speed.size - 1
    typical = float(sorted_speed[min(int(np.searchsorted(cumulative, 0.5)), last)])
    fast = float(sorted_speed[min(int(np.searchsorted(cumulative, 0.9)), last)])
    return typical, fast


def sport_from_speed(samples: pd.DataFrame) -> str:
    """The sport of an untyped track by its speed profile; a track that never moves is a run
    (the most common recording that reaches a running coach)."""
    profile = speed_profile(samples)
    if profile is None:
        return "run"
    typical, fast = profile
    if typical < WALK_MAX_TYPICAL_MPS:
        return "walk"
    if typical <= RUN_MAX_TYPICAL_MPS and fast <= RUN_MAX_FAST_MPS:
        return "run"
    return "ride"


def implausible_speed(samples: pd.DataFrame) -> float | None:
    """The speed (m/s) that shows no human ran, rode or swam this track, or ``None`` if plausible.

    A car trip or a train ride recorded by mistake: a typical moving speed above
    ``limits.HUMAN_MAX_TYPICAL_SPEED_MPS`` or a fastest tenth above
    ``limits.HUMAN_MAX_FAST_SPEED_MPS``.
    """
    profile = speed_profile(samples)
    if profile is None:
        return None
    typical, fast = profile
    if typical > limits.HUMAN_MAX_TYPICAL_SPEED_MPS:
        return typical
    if fast > limits.HUMAN_MAX_FAST_SPEED_MPS:
        return fast
    return None
