"""Unit conversions and human formats. Foulée stores SI units; people read these."""

from __future__ import annotations

import math
from typing import Final

METRES_PER_KM: Final = 1000.0
SECONDS_PER_HOUR: Final = 3600.0
MPS_TO_KMH: Final = SECONDS_PER_HOUR / METRES_PER_KM


def km(distance_m: float) -> float:
    return distance_m / METRES_PER_KM


def kmh(speed_mps: float) -> float:
    return speed_mps * MPS_TO_KMH


def pace_s_per_km(speed_mps: float) -> float | None:
    """Seconds per kilometre at a speed, or None when standing still."""
    if speed_mps <= 0 or not math.isfinite(speed_mps):
        return None
    return METRES_PER_KM / speed_mps


def format_duration(seconds: float | None) -> str:
    """``1:02:03`` above an hour, ``2:03`` below; an em dash when unknown."""
    if seconds is None or not math.isfinite(seconds):
        return "—"
    total = math.floor(seconds + 0.5)  # half up, as times are read aloud: 59.5 s is 1:00, 2.5 s is 0:03
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_pace(seconds_per_km: float | None) -> str:
    """``5:07 /km``; an em dash when unknown."""
    if seconds_per_km is None:
        return "—"
    return f"{format_duration(seconds_per_km)} /km"
