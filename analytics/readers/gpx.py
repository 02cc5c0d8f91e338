"""GPX tracks, read from defusedxml's tree.

GPX has no summary, so everything but the points is derived; distance is the
2-D haversine sum, as Strava and runpandas compute it, within each track
segment (the gap between two segments is a pause, not distance).

The tree is read here rather than by gpxpy: gpxpy refuses a whole file for one
point without coordinates, and the file is already parsed (safely) once.
What real files hold, and how it is read: a point without (valid) coordinates
or time is skipped, as is one that goes back in time; tags are matched by
local name, so any namespace (GPX 1.0 or 1.1, Garmin's TrackPointExtension v1
or v2, or a prefix never declared) gives its heart rate and cadence. A track
without a ``<type>`` gets its sport from its speed (``analytics.readers.sport``).
"""

from __future__ import annotations

import datetime as dt
from typing import Final
from xml.etree.ElementTree import Element

from analytics.readers.derive import build_activity
from analytics.readers.errors import ActivityFileError
from analytics.readers.geo import cumulative_distance_m
from analytics.readers.model import FOOT_SPORTS, ParsedFile, samples_frame
from analytics.readers.sport import gpx_sport, sport_from_speed
from analytics.readers.xml import Events, local_name, stream_safely

__all__ = ["gpx_sport", "read_gpx"]

#: Extension elements, by local name, that carry heart rate and cadence (Garmin TrackPointExtension
#: ``hr``/``cad``, Cluetrust ``hr``/``cadence``, others' ``heartrate``).
_HR_TAGS: Final = frozenset({"hr", "heartrate", "heart_rate", "HeartRate"})
_CADENCE_TAGS: Final = frozenset({"cad", "cadence", "Cadence", "RunCadence"})
#: A point's own GPX elements: no heart rate in them.
_POINT_TAGS: Final = frozenset({"ele", "time", "name", "desc", "sym", "type", "sat", "hdop", "vdop", "pdop"})


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if local_name(child.tag) == name]


def _text(element: Element, name: str) -> str | None:
    for child in element:
        if local_name(child.tag) == name:
            return child.text.strip() if child.text else None
    return None


def _float(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    # GPX times without an offset are UTC by the schema (xsd:dateTime in GPX 1.1 is "in UTC").
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _extension_values(point: Element) -> tuple[float, float]:
    """Heart rate and cadence from a point's extensions, any schema, NaN when absent."""
    hr = cadence = float("nan")
    for child in point:
        # Inside <extensions> (GPX 1.1), or straight in the point (GPX 1.0 has no <extensions>).
        if local_name(str(child.tag)) in _POINT_TAGS:
            continue
        for element in child.iter():
            name = local_name(str(element.tag))
            if name in _HR_TAGS and hr != hr:
                hr = _float(element.text) or float("nan")
            elif name in _CADENCE_TAGS and cadence != cadence:
                cadence = _float(element.text) or float("nan")
    return hr, cadence


class _Track:
    """What one pass over a GPX file's events collects: the points, as columns, and the tracks."""

    def __init__(self) -> None:
        self.columns: dict[str, list[float]] = {
            name: [] for name in ("segment", "hr", "cadence_spm", "altitude_m", "lat", "lon")
        }
        self.times: list[dt.datetime] = []
        self.types: list[str] = []
        self.tracks = 0
        self.routes_or_waypoints = False
        self.creator: str | None = None

    def add(self, point: Element, segment: int) -> None:
        lat, lon = _float(point.get("lat")), _float(point.get("lon"))
        when = _time(_text(point, "time"))
        if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180 or when is None:
            return  # a malformed point: the rest of the track is still good
        if self.times and when < self.times[-1]:
            return  # back in time: a point written out of order
        hr, cadence = _extension_values(point)
        elevation = _float(_text(point, "ele"))
        self.times.append(when)
        self.columns["segment"].append(segment)
        self.columns["hr"].append(hr)
        self.columns["cadence_spm"].append(cadence)
        self.columns["altitude_m"].append(float("nan") if elevation is None else elevation)
        self.columns["lat"].append(lat)
        self.columns["lon"].append(lon)


def _collect(events: Events) -> _Track:
    """Every timed point of every track segment, each element dropped once read (the memory is
    that of the columns, not of the tree)."""
    collected = _Track()
    _, root = next(events)
    if local_name(root.tag) != "gpx":
        raise ActivityFileError("not a GPX file")
    collected.creator = root.get("creator") or None
    segment = 0
    parent: Element | None = None
    for event, element in events:
        name = local_name(element.tag)
        if event == "start":
            if name == "trkseg":
                segment += 1
                parent = element
            continue
        if name == "trkpt":
            collected.add(element, segment)
            _drop(parent, element)
        elif name == "trk":
            collected.tracks += 1
            if kind := _text(element, "type"):
                collected.types.append(kind)
            _drop(root, element)
        elif name in ("rte", "wpt"):
            collected.routes_or_waypoints = True
            _drop(root, element)
    return collected


def _drop(parent: Element | None, element: Element) -> None:
    """Forget ``element`` once read. Each point is dropped as soon as it ends, so it is its
    segment's first child (the parser may already have added the next few): found at once."""
    if parent is not None and len(parent) and parent[0] is element:
        del parent[0]


def read_gpx(data: bytes) -> ParsedFile:
    """Read the timed points of every track of a GPX file, in order, as one activity.

    Streamed (``xml.stream_safely``): a 40 MB track is read point by point.
    """
    collected = stream_safely(data, "GPX", _collect)
    columns, times = collected.columns, collected.times
    if not times:
        if not collected.tracks and collected.routes_or_waypoints:
            raise ActivityFileError("this is a route file (waypoints, no recorded track), not an activity")
        raise ActivityFileError("no track points")
    track_type = collected.types[0] if collected.types else None
    start_time = times[0]
    segments = columns.pop("segment")
    columns["time_s"] = [(when - start_time).total_seconds() for when in times]
    columns["distance_m"] = list(cumulative_distance_m(columns["lat"], columns["lon"], segments))
    samples = samples_frame(columns)
    sport = gpx_sport(track_type) or sport_from_speed(samples)
    if sport in FOOT_SPORTS:
        # Garmin's cad counts one leg (strides per minute), like FIT running cadence.
        samples["cadence_spm"] = samples["cadence_spm"] * 2.0
    activity = build_activity(
        sport=sport,
        start_time=start_time,
        device=collected.creator,
        device_summary={},
        samples=samples,
    )
    return ParsedFile(legs=(activity,))
