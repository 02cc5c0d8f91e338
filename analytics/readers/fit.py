"""Garmin FIT files, decoded with fitdecode.

FIT stores positions in semicircles (2^31 semicircles = 180 degrees) and, for
running, cadence per leg (strides per minute, what the FIT profile calls
``strides/min``); Foulée counts steps of both legs, so foot cadence is doubled
here, the way Garmin Connect displays it. Bike cadence (rpm) is kept as is.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, Final

import fitdecode

from analytics.readers.derive import build_activity
from analytics.readers.errors import ActivityFileError
from analytics.readers.model import FOOT_SPORTS, ParsedActivity, samples_frame

# FIT profile: degrees = semicircles × (180 / 2^31).
SEMICIRCLES_TO_DEGREES: Final = 180.0 / 2**31

# (FIT sport, FIT sub_sport) → Foulée sport; a sport alone applies to any sub_sport.
_SUB_SPORTS: Final = {
    ("running", "trail"): "trail_run",
    ("running", "treadmill"): "treadmill",
    ("running", "indoor_running"): "treadmill",
}
_SPORTS: Final = {
    "running": "run",
    "walking": "walk",
    "hiking": "hike",
    "cycling": "ride",
    "e_biking": "ride",
    "swimming": "swim",
}


def fit_sport(sport: Any, sub_sport: Any) -> str:
    """Foulée sport for a FIT sport/sub_sport pair; unknown or numeric (undefined) values are "other"."""
    return _SUB_SPORTS.get((str(sport), str(sub_sport))) or _SPORTS.get(str(sport), "other")


def _number(message: Any, *names: str) -> float | None:
    """The first of ``names`` that the message has with a numeric value."""
    for name in names:
        value = message.get_value(name, fallback=None)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


def _decode(data: bytes) -> tuple[list[Any], Any | None, Any | None, Any | None]:
    """Records, first session, sport message and file_id of a FIT stream."""
    records: list[Any] = []
    session = sport_message = file_id = None
    try:
        with fitdecode.FitReader(
            io.BytesIO(data),
            check_crc=fitdecode.CrcCheck.DISABLED,
            error_handling=fitdecode.ErrorHandling.IGNORE,
        ) as reader:
            for frame in reader:
                if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                    continue
                if frame.name == "record":
                    records.append(frame)
                elif frame.name == "session" and session is None:
                    session = frame
                elif frame.name == "sport" and sport_message is None:
                    sport_message = frame
                elif frame.name == "file_id" and file_id is None:
                    file_id = frame
    except fitdecode.FitEOFError as error:
        raise ActivityFileError("truncated or corrupt FIT file") from error
    # fitdecode raises assorted exceptions (struct.error, KeyError, ...) on garbage;
    # any of them means the same thing to the athlete.
    except Exception as error:
        raise ActivityFileError("truncated or corrupt FIT file") from error
    return records, session, sport_message, file_id


def _device(file_id: Any | None) -> str | None:
    if file_id is None:
        return None
    parts = [
        str(file_id.get_value(name, fallback=None))
        for name in ("manufacturer", "garmin_product", "product_name")
        if file_id.get_value(name, fallback=None) is not None
    ]
    return " ".join(parts) or None


def read_fit(data: bytes) -> ParsedActivity:
    """Read a FIT activity: records become samples, the first session is the device summary."""
    if len(data) < 12 or data[8:12] != b".FIT":
        raise ActivityFileError("not a FIT file")
    records, session, sport_message, file_id = _decode(data)
    timed = [r for r in records if isinstance(r.get_value("timestamp", fallback=None), dt.datetime)]
    if not timed:
        raise ActivityFileError("no track points")
    summary_source = session or sport_message
    sport = "other"
    if summary_source is not None:
        sport = fit_sport(
            summary_source.get_value("sport", fallback=None),
            summary_source.get_value("sub_sport", fallback=None),
        )
    start_time: dt.datetime = timed[0].get_value("timestamp")
    if session is not None and isinstance(session.get_value("start_time", fallback=None), dt.datetime):
        start_time = min(start_time, session.get_value("start_time"))
    cadence_factor = 2.0 if sport in FOOT_SPORTS else 1.0
    columns: dict[str, list[float]] = {name: [] for name in ("time_s", "distance_m", "speed_mps", "hr")}
    columns.update({name: [] for name in ("cadence_spm", "altitude_m", "lat", "lon")})
    for record in timed:
        columns["time_s"].append((record.get_value("timestamp") - start_time).total_seconds())
        columns["distance_m"].append(_sample(record, "distance"))
        columns["speed_mps"].append(_sample(record, "enhanced_speed", "speed"))
        columns["hr"].append(_sample(record, "heart_rate"))
        cadence = _sample(record, "cadence")
        columns["cadence_spm"].append(
            (cadence + _sample(record, "fractional_cadence", default=0.0)) * cadence_factor
        )
        columns["altitude_m"].append(_sample(record, "enhanced_altitude", "altitude"))
        columns["lat"].append(_sample(record, "position_lat") * SEMICIRCLES_TO_DEGREES)
        columns["lon"].append(_sample(record, "position_long") * SEMICIRCLES_TO_DEGREES)
    device_summary: dict[str, float | None] = {}
    if session is not None:
        avg_cadence = _number(session, "avg_running_cadence", "avg_cadence")
        device_summary = {
            "distance_m": _number(session, "total_distance"),
            "duration_s": _number(session, "total_elapsed_time"),
            "moving_time_s": _number(session, "total_moving_time"),
            "elevation_gain_m": _number(session, "total_ascent"),
            "avg_hr": _number(session, "avg_heart_rate"),
            "max_hr": _number(session, "max_heart_rate"),
            "avg_speed_mps": _number(session, "enhanced_avg_speed", "avg_speed"),
            "max_speed_mps": _number(session, "enhanced_max_speed", "max_speed"),
            "avg_cadence_spm": None
            if avg_cadence is None
            else (avg_cadence + (_number(session, "avg_fractional_cadence") or 0.0)) * cadence_factor,
            "calories_kcal": _number(session, "total_calories"),
        }
    return build_activity(
        sport=sport,
        start_time=start_time,
        device=_device(file_id),
        device_summary=device_summary,
        samples=samples_frame(columns),
    )


def _sample(record: Any, *names: str, default: float = float("nan")) -> float:
    value = _number(record, *names)
    return default if value is None else value
