"""An activity's recorded samples: their compact storage, and the features they give.

Samples are stored one activity per row (``analytics_activity_samples``), not
one row per sample: a 3-hour run is ~10,000 samples, and a row each would make
the store a hundred times larger for no query that needs it. The encoding is
the columns of :data:`analytics.readers.model.SAMPLE_COLUMNS` one after the
other, little-endian, float32 except latitude and longitude (float64: float32
would round positions to about a metre), the whole zlib-compressed: 15 bytes
a sample for a GPS run with heart rate (the Fenix 2 test file), against 48 raw.

The features (best efforts, time in HR zones, TRIMP, VDOT and VMA) are
computed from the samples with the athlete's physiology, so a change of HR
max recomputes them from the stored samples, without the original file.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from analytics import efforts, metrics
from analytics.features import (
    BEST_DISTANCE_COLUMNS,
    BEST_DURATION_COLUMNS,
    MAX_HUMAN_VDOT,
    VDOT_DISTANCE_RANGE_M,
    VDOT_MIN_TIME_S,
    ZONE_COLUMNS,
)
from analytics.physiology import Physiology
from analytics.readers.model import SAMPLE_COLUMNS

#: Version tag stored with every row: a new layout gets a new tag, and old rows stay readable.
ENCODING: Final = "columns-f32-zlib-v1"
_DOUBLE_COLUMNS: Final = frozenset({"lat", "lon"})
_DTYPES: Final = {name: np.dtype("<f8" if name in _DOUBLE_COLUMNS else "<f4") for name in SAMPLE_COLUMNS}
_BYTES_PER_SAMPLE: Final = sum(dtype.itemsize for dtype in _DTYPES.values())

#: Faster than this between two samples is a GPS jump (the fastest sprinters peak near 12.4 m/s).
MAX_SAMPLE_SPEED_MPS: Final = 12.5


def encode(samples: pd.DataFrame) -> bytes:
    """The compact form of a samples table (every column of SAMPLE_COLUMNS, NaN where missing)."""
    parts = [samples[name].to_numpy(dtype=_DTYPES[name]).tobytes() for name in SAMPLE_COLUMNS]
    return zlib.compress(b"".join(parts), 6)


def as_stored(samples: pd.DataFrame) -> pd.DataFrame:
    """The samples as :func:`decode` will read them back from :func:`encode`, without the round trip."""
    return pd.DataFrame(
        {name: samples[name].to_numpy(dtype=_DTYPES[name]).astype(np.float64) for name in SAMPLE_COLUMNS}
    )


def decode(encoding: str, data: bytes, sample_count: int) -> pd.DataFrame:
    """The samples table stored by :func:`encode`, as float64 columns."""
    if encoding != ENCODING:
        raise ValueError(f"unknown samples encoding {encoding!r}")
    raw = zlib.decompress(data)
    if len(raw) != sample_count * _BYTES_PER_SAMPLE:
        raise ValueError("stored samples are corrupt: their size does not match their count")
    columns: dict[str, np.ndarray] = {}
    offset = 0
    for name in SAMPLE_COLUMNS:
        dtype = _DTYPES[name]
        columns[name] = np.frombuffer(raw, dtype=dtype, count=sample_count, offset=offset).astype(np.float64)
        offset += sample_count * dtype.itemsize
    return pd.DataFrame(columns)


@dataclass(frozen=True)
class SampleFeatures:
    """What the samples say: a features row (without its activity id), the activity's best VDOT
    and VMA, and the TRIMP, if HR allows."""

    row: dict[str, Any]
    vdot: float | None
    vma_kmh: float | None
    trimp: float | None


def compute(
    samples: pd.DataFrame, body: Physiology, *, pace_ok: bool, hr_ok: bool, whole_vdot: float | None
) -> SampleFeatures:
    """Best efforts, zone times, TRIMP, VDOT and VMA of one activity from its samples.

    ``pace_ok`` and ``hr_ok`` are the activity's quality verdicts
    (:mod:`analytics.features`): samples of a run whose summary pace is absurd
    give no best efforts, and HR samples of an activity whose HR was refused
    give no zones or TRIMP. ``whole_vdot`` is the whole activity's VDOT, if it
    qualified, so the activity's VDOT is its best performance either way.
    """
    row: dict[str, Any] = dict.fromkeys((*BEST_DISTANCE_COLUMNS, *BEST_DURATION_COLUMNS, *ZONE_COLUMNS))
    time = samples["time_s"].to_numpy(dtype=np.float64)
    vdots = [whole_vdot] if whole_vdot is not None else []
    six_minute_speed = None
    if pace_ok:
        best = efforts.best_efforts(time, _cumulative(time, samples["distance_m"].to_numpy(dtype=np.float64)))
        for column, target in BEST_DISTANCE_COLUMNS.items():
            seconds = best.time_for_distance_s[target]
            if seconds is not None and _plausible(target, seconds):
                row[column] = seconds
                if _qualifies_for_vdot(target, seconds):
                    vdots.append(metrics.vdot(target, seconds))
        for column, duration in BEST_DURATION_COLUMNS.items():
            metres = best.distance_for_duration_m[duration]
            if metres is not None and metres > 0 and _plausible(metres, duration):
                row[column] = metres
        six_minutes = row["best_6min_m"]
        if six_minutes is not None:
            six_minute_speed = six_minutes / efforts.BEST_EFFORT_DURATIONS_S[2]
    trimp = None
    if hr_ok:
        heart_rate = samples["hr"].to_numpy(dtype=np.float64)
        zones, _ = body.zones()
        seconds_in_zones = efforts.time_in_zones(time, heart_rate, zones)
        # Time under zone 1 still counts: an easy walk with HR has a (small) load.
        if sum(seconds_in_zones) + efforts.time_below_zones(time, heart_rate, zones) > 0:
            row.update(zip(ZONE_COLUMNS, seconds_in_zones, strict=True))
            trimp = efforts.trimp_from_samples(time, heart_rate, body.hr_rest, body.hr_max, body.sex)
    vdot = max(vdots) if vdots else None
    candidates = [metrics.vma_from_vdot(vdot)] if vdot is not None else []
    if six_minute_speed is not None:
        candidates.append(metrics.vma_from_six_minute_effort(six_minute_speed))
    return SampleFeatures(row=row, vdot=vdot, vma_kmh=max(candidates) if candidates else None, trimp=trimp)


def chart_speed(samples: pd.DataFrame, window: int) -> np.ndarray:
    """The speed (m/s) a pace chart draws at each sample: a centred rolling mean over ``window``
    samples of the recorded speed, or, for a file that records none (GPX), the distance over
    the time across the same window. NaN where the athlete stood still: a pause is no pace.
    """
    recorded = samples["speed_mps"]
    if recorded.notna().any():
        speed = recorded.rolling(window, center=True, min_periods=1).mean().to_numpy(dtype=np.float64)
    else:
        half = max(window // 2, 1)
        distance, time = samples["distance_m"], samples["time_s"]
        span = (time.shift(-half) - time.shift(half)).to_numpy(dtype=np.float64)
        moved = (distance.shift(-half) - distance.shift(half)).to_numpy(dtype=np.float64)
        # Near the ends the centred window is cut: the first and last `half` samples have none.
        with np.errstate(divide="ignore", invalid="ignore"):
            speed = np.where(span > 0, moved / span, np.nan)
    return np.where(speed > efforts.MOVING_SPEED_MPS, speed, np.nan)


def _cumulative(time: np.ndarray, distance: np.ndarray) -> np.ndarray:
    """The recorded distances cleaned of device noise, non-decreasing, for the best-effort search.

    A step back (a device correcting itself by a metre) counts as no progress,
    and a step faster than :data:`MAX_SAMPLE_SPEED_MPS` is a GPS jump, not
    running: it is dropped, so the efforts around it are still found. Missing
    values stay missing (filling them would invent a stop).
    """
    cleaned = distance.copy()
    recorded = ~np.isnan(cleaned)
    steps = np.diff(cleaned[recorded], prepend=cleaned[recorded][:1])
    seconds = np.diff(time[recorded], prepend=time[recorded][:1])
    jumps = steps > MAX_SAMPLE_SPEED_MPS * np.maximum(seconds, 1.0)
    steps[(steps < 0) | jumps] = 0.0
    cleaned[recorded] = cleaned[recorded][:1] + np.cumsum(steps) if recorded.any() else cleaned[recorded]
    return cleaned


def _plausible(distance_m: float, time_s: float) -> bool:
    """Could a human have run this effort? Daniels' VDOT of every world record, 1 km to the
    marathon, is under 85, and the formula's duration term keeps it honest down to a minute.
    """
    return metrics.vdot(distance_m, time_s) <= MAX_HUMAN_VDOT


def _qualifies_for_vdot(distance_m: float, time_s: float) -> bool:
    low, high = VDOT_DISTANCE_RANGE_M
    return low <= distance_m <= high and time_s >= VDOT_MIN_TIME_S and math.isfinite(time_s)
