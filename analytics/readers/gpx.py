"""GPX tracks, read with gpxpy after a defusedxml safety check.

GPX has no summary, so everything but the points is derived; distance is the
2-D haversine sum, as Strava and runpandas compute it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import gpxpy

from analytics.readers.derive import build_activity
from analytics.readers.errors import ActivityFileError
from analytics.readers.geo import cumulative_distance_m
from analytics.readers.model import FOOT_SPORTS, ParsedActivity, samples_frame
from analytics.readers.xml import local_name, parse_safely

# <trk><type> values: words from Garmin/others, numbers from Strava's activity type enum
# (1 Ride, 4 Hike, 9 Run, 10 Walk).
_TRACK_TYPES: Final = {
    "running": "run",
    "run": "run",
    "9": "run",
    "trail_running": "trail_run",
    "trail running": "trail_run",
    "walking": "walk",
    "walk": "walk",
    "10": "walk",
    "hiking": "hike",
    "hike": "hike",
    "4": "hike",
    "cycling": "ride",
    "biking": "ride",
    "ride": "ride",
    "1": "ride",
    "swimming": "swim",
    "swim": "swim",
}


def gpx_sport(track_type: str | None) -> str:
    """Foulée sport for a ``<trk><type>``.

    A GPX without a type is taken as a run: the type is optional and many
    running apps (Nike Run Club, TomTom) leave it out, and files reach Foulée
    from runners. A type we do not know is "other".
    """
    if not track_type:
        return "run"
    return _TRACK_TYPES.get(track_type.strip().lower(), "other")


def _extension_values(point: Any) -> dict[str, float]:
    """Numeric TrackPointExtension children (``hr``, ``cad``) by local name, any namespace."""
    values: dict[str, float] = {}
    for extension in point.extensions:
        for element in extension.iter():
            name = local_name(str(element.tag))
            if name in ("hr", "cad") and element.text:
                try:
                    values[name] = float(element.text)
                except ValueError:
                    continue
    return values


def _utc(time: dt.datetime | None) -> dt.datetime:
    if time is None:  # filtered out by the caller; here for the type checker
        raise ActivityFileError("no track points")
    return time if time.tzinfo else time.replace(tzinfo=dt.UTC)


def read_gpx(data: bytes) -> ParsedActivity:
    """Read the timed points of every track of a GPX file, in order."""
    root = parse_safely(data, "GPX")
    if local_name(root.tag) != "gpx":
        raise ActivityFileError("not a GPX file")
    try:
        document = gpxpy.parse(data.decode("utf-8-sig"))
    except Exception as error:  # gpxpy raises its own and ElementTree's errors, and ValueError on bad numbers
        raise ActivityFileError("not a GPX file") from error
    points = [
        point
        for track in document.tracks
        for segment in track.segments
        for point in segment.points
        if isinstance(point.time, dt.datetime)
    ]
    if not points:
        raise ActivityFileError("no track points")
    sport = gpx_sport(document.tracks[0].type if document.tracks else None)
    # GPX times without an offset are UTC by the schema (xsd:dateTime in GPX 1.1 is "in UTC").
    times = [_utc(p.time) for p in points]
    start_time = times[0]
    cadence_factor = 2.0 if sport in FOOT_SPORTS else 1.0
    nan = float("nan")
    extensions = [_extension_values(point) for point in points]
    lat = [float(p.latitude) if p.latitude is not None else nan for p in points]
    lon = [float(p.longitude) if p.longitude is not None else nan for p in points]
    columns = {
        "time_s": [(t - start_time).total_seconds() for t in times],
        "distance_m": list(cumulative_distance_m(lat, lon)),
        "hr": [e.get("hr", nan) for e in extensions],
        "cadence_spm": [e.get("cad", nan) * cadence_factor for e in extensions],
        "altitude_m": [float(p.elevation) if p.elevation is not None else nan for p in points],
        "lat": lat,
        "lon": lon,
    }
    return build_activity(
        sport=sport,
        start_time=start_time,
        device=document.creator or None,
        device_summary={},
        samples=samples_frame(columns),
    )
