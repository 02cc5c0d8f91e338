"""A Strava activity as Foulée keeps it: its summary and streams in one JSON document (``.strava``).

``web.strava`` stores what the Strava API returned for an activity (the
activity's summary and its ``time``, ``distance``, ``heartrate``, ``cadence``,
``altitude``, ``latlng``, ``moving`` streams) as the activity's original file,
so the sync reads its samples back like any FIT or GPX file: the same compact
samples, the same features, best efforts and zones whatever the source, and a
store rebuilt from scratch gets them back.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any, Final

from analytics.readers.derive import build_activity
from analytics.readers.errors import ActivityFileError
from analytics.readers.model import FOOT_SPORTS, ParsedFile, samples_frame
from analytics.readers.sport import gpx_sport, sport_from_speed

#: The document's ``format`` key, so a JSON file of anything else is refused by name.
FORMAT: Final = "foulee-strava-streams/1"

#: Summary keys of Strava's activity object → Foulée's summary fields (device values).
_SUMMARY: Final = {
    "distance": "distance_m",
    "elapsed_time": "duration_s",
    "moving_time": "moving_time_s",
    "total_elevation_gain": "elevation_gain_m",
    "average_heartrate": "avg_hr",
    "max_heartrate": "max_hr",
    "average_speed": "avg_speed_mps",
    "max_speed": "max_speed_mps",
    "calories": "calories_kcal",
}


def document(summary: dict[str, Any], streams: dict[str, list[Any]]) -> bytes:
    """The ``.strava`` document for one activity: ``summary`` as Strava's API gave it, ``streams``
    by type (``key_by_type``), each the list of its ``data``."""
    return json.dumps(
        {"format": FORMAT, "summary": summary, "streams": streams}, sort_keys=True, separators=(",", ":")
    ).encode()


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _series(streams: dict[str, Any], name: str, length: int) -> list[float]:
    values = streams.get(name)
    if not isinstance(values, list) or len(values) != length:
        return [math.nan] * length
    return [math.nan if (number := _number(value)) is None else number for value in values]


def read_strava_streams(data: bytes) -> ParsedFile:
    """Read a ``.strava`` document; an :class:`ActivityFileError` says what is wrong with it."""
    try:
        parsed = json.loads(data)
    except (UnicodeDecodeError, ValueError) as error:
        raise ActivityFileError("not a Strava streams document (invalid JSON)") from error
    if not isinstance(parsed, dict) or parsed.get("format") != FORMAT:
        raise ActivityFileError("not a Strava streams document")
    summary, streams = parsed.get("summary"), parsed.get("streams")
    if not isinstance(summary, dict) or not isinstance(streams, dict):
        raise ActivityFileError("a Strava streams document needs a summary and streams")
    try:
        start_time = dt.datetime.fromisoformat(str(summary.get("start_date", "")))
    except ValueError as error:
        raise ActivityFileError("the Strava activity has no valid start date") from error
    if start_time.tzinfo is None:
        raise ActivityFileError("the Strava activity's start date has no time zone")
    times = streams.get("time")
    if not isinstance(times, list) or not times:
        raise ActivityFileError("the Strava activity has no time stream")
    length = len(times)
    columns: dict[str, list[float]] = {
        "time_s": _series(streams, "time", length),
        "distance_m": _series(streams, "distance", length),
        "hr": _series(streams, "heartrate", length),
        "cadence_spm": _series(streams, "cadence", length),
        "altitude_m": _series(streams, "altitude", length),
    }
    latlng = streams.get("latlng")
    points = latlng if isinstance(latlng, list) and len(latlng) == length else [None] * length
    columns["lat"] = [
        _number(p[0]) or math.nan if isinstance(p, list) and len(p) == 2 else math.nan for p in points
    ]
    columns["lon"] = [
        _number(p[1]) or math.nan if isinstance(p, list) and len(p) == 2 else math.nan for p in points
    ]
    if any(math.isnan(value) for value in columns["time_s"]):
        raise ActivityFileError("the Strava activity's time stream has gaps")
    samples = samples_frame(columns)
    sport = gpx_sport(str(summary.get("sport_type") or summary.get("type") or "")) or sport_from_speed(
        samples
    )
    if sport in FOOT_SPORTS:
        # Strava's run cadence counts one leg (as FIT does): steps per minute are twice that.
        samples["cadence_spm"] = samples["cadence_spm"] * 2.0
    device_summary = {field: _number(summary.get(key)) for key, field in _SUMMARY.items()}
    cadence = _number(summary.get("average_cadence"))
    device_summary["avg_cadence_spm"] = (
        cadence * 2.0 if cadence is not None and sport in FOOT_SPORTS else cadence
    )
    device = summary.get("device_name")
    return ParsedFile(
        legs=(
            build_activity(
                sport=sport,
                start_time=start_time,
                device=str(device) if device else "Strava",
                device_summary=device_summary,
                samples=samples,
            ),
        )
    )
