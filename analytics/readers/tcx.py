"""Garmin Training Center (TCX) files, read with defusedxml's ElementTree.

Every ``Activity`` element is a leg (a multisport session, or an export of
several runs in one file), with its own sport; ``Transition`` elements of a
multisport session are kept as the event's transitions.

The lap totals are the device summary: distance and calories add up, maximum
speed and HR are the maximum over laps, average HR is the laps' average
weighted by their time. Elevation gain is not in TCX, so it is derived.

A lap's ``TotalTimeSeconds`` is **timer** time: the watch's auto-pause and
stop button leave pauses out of it. So the elapsed time (``duration_s``, as
FIT's ``total_elapsed_time`` and a GPX's timestamps give it) runs from the
first lap's start to the last trackpoint or the last lap's end, whichever is
later; the moving time is derived from the trackpoints like every format's,
and only a file without trackpoints (a pool swim, a treadmill) takes the
timer time as its moving time.
"""

from __future__ import annotations

import datetime as dt
from typing import Final
from xml.etree.ElementTree import Element

from analytics.readers.derive import build_activity
from analytics.readers.errors import ActivityFileError
from analytics.readers.geo import cumulative_distance_m
from analytics.readers.model import FOOT_SPORTS, ParsedActivity, ParsedFile, Transition, samples_frame
from analytics.readers.sport import tcx_sport
from analytics.readers.xml import local_name, parse_safely

_POINT_FIELDS: Final = frozenset(
    {
        "Time",
        "DistanceMeters",
        "AltitudeMeters",
        "LatitudeDegrees",
        "LongitudeDegrees",
        "Value",
        "Cadence",
        "Speed",
        "RunCadence",
    }
)


def _child(element: Element, *path: str) -> Element | None:
    """The first descendant along ``path`` by local names (namespace-agnostic)."""
    current: Element | None = element
    for name in path:
        if current is None:
            return None
        current = next((c for c in current if local_name(c.tag) == name), None)
    return current


def _float(element: Element, *path: str) -> float | None:
    found = _child(element, *path)
    if found is None or found.text is None:
        return None
    try:
        return float(found.text)
    except ValueError:
        return None


def _time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _lap_summary(laps: list[Element]) -> dict[str, float | None]:
    def total(*path: str) -> float | None:
        values = [v for lap in laps if (v := _float(lap, *path)) is not None]
        return sum(values) if values else None

    def maximum(*path: str) -> float | None:
        values = [v for lap in laps if (v := _float(lap, *path)) is not None]
        return max(values) if values else None

    weighted = [
        (hr, seconds)
        for lap in laps
        if (hr := _float(lap, "AverageHeartRateBpm", "Value")) is not None
        and (seconds := _float(lap, "TotalTimeSeconds"))
    ]
    weight = sum(seconds for _, seconds in weighted)
    return {
        "distance_m": total("DistanceMeters"),
        # Lap TotalTimeSeconds is timer time: pauses are out of it (the module's docstring).
        "timer_time_s": total("TotalTimeSeconds"),
        "max_hr": maximum("MaximumHeartRateBpm", "Value"),
        "avg_hr": sum(hr * seconds for hr, seconds in weighted) / weight if weight else None,
        "max_speed_mps": maximum("MaximumSpeed"),
        "calories_kcal": total("Calories"),
    }


def read_tcx(data: bytes) -> ParsedFile:
    """Read every activity of a TCX file, one leg each, with a multisport session's transitions."""
    root = parse_safely(data, "TCX")
    if local_name(root.tag) != "TrainingCenterDatabase":
        raise ActivityFileError("not a TCX file")
    activities = [e for e in root.iter() if local_name(e.tag) == "Activity"]
    if not activities:
        if any(local_name(e.tag) == "Course" for e in root.iter()):
            raise ActivityFileError("this is a course file (a route to follow), not an activity")
        if any(local_name(e.tag) == "Workout" for e in root.iter()):
            raise ActivityFileError("this is a workout file (a planned session), not an activity")
        raise ActivityFileError("no activity in TCX file")
    legs = [leg for activity in activities if (leg := _read_activity(activity)) is not None]
    if not legs:
        raise ActivityFileError("no track points")
    transitions = [
        Transition(start_time=start, duration_s=seconds, distance_m=_float(element, "DistanceMeters") or 0.0)
        for element in root.iter()
        if local_name(element.tag) == "Transition"
        and (start := _time(element.get("StartTime"))) is not None
        and (seconds := _float(element, "TotalTimeSeconds")) is not None
    ]
    return ParsedFile(
        legs=tuple(sorted(legs, key=lambda leg: leg.start_time)), transitions=tuple(transitions)
    )


def _read_activity(activity: Element) -> ParsedActivity | None:
    """One ``Activity`` element: its laps are the device summary, its trackpoints the samples."""
    sport = tcx_sport(activity.get("Sport"))
    laps = [lap for lap in activity if local_name(lap.tag) == "Lap"]
    trackpoints = [
        (when, values)
        for point in activity.iter()
        if local_name(point.tag) == "Trackpoint"
        and (when := _time((values := _point_values(point)).get("Time"))) is not None
    ]
    lap_start = next((start for lap in laps if (start := _time(lap.get("StartTime"))) is not None), None)
    summary = _lap_summary(laps) if laps else {}
    if not trackpoints:
        # A pool swim or a treadmill run without a footpod: laps and no points; the laps say it all.
        if lap_start is None or summary.get("timer_time_s") is None:
            return None
        start_time = lap_start
    else:
        start_time = min(lap_start, trackpoints[0][0]) if lap_start else trackpoints[0][0]
    summary["duration_s"] = _elapsed_s(laps, start_time, trackpoints[-1][0] if trackpoints else None)
    # RunCadence (Garmin ActivityExtension) counts one leg, like FIT running cadence; Cadence is bike rpm.
    foot_factor = 2.0 if sport in FOOT_SPORTS else 1.0
    columns: dict[str, list[float]] = {
        name: []
        for name in ("time_s", "distance_m", "speed_mps", "hr", "cadence_spm", "altitude_m", "lat", "lon")
    }
    for when, values in trackpoints:
        cadence = _number(values.get("Cadence"))
        if cadence != cadence and values.get("RunCadence"):
            cadence = _number(values["RunCadence"]) * foot_factor
        columns["time_s"].append((when - start_time).total_seconds())
        columns["distance_m"].append(_number(values.get("DistanceMeters")))
        columns["speed_mps"].append(_number(values.get("Speed")))
        columns["hr"].append(_number(values.get("Value")))
        columns["cadence_spm"].append(cadence)
        columns["altitude_m"].append(_number(values.get("AltitudeMeters")))
        columns["lat"].append(_number(values.get("LatitudeDegrees")))
        columns["lon"].append(_number(values.get("LongitudeDegrees")))
    if not any(v == v for v in columns["distance_m"]) and any(v == v for v in columns["lat"]):
        columns["distance_m"] = list(cumulative_distance_m(columns["lat"], columns["lon"]))
    creator = _child(activity, "Creator", "Name")
    return build_activity(
        sport=sport,
        start_time=start_time,
        device=creator.text.strip() if creator is not None and creator.text else None,
        device_summary=summary,
        samples=samples_frame(columns),
    )


def _elapsed_s(laps: list[Element], start: dt.datetime, last_point: dt.datetime | None) -> float | None:
    """From ``start`` to the later of the last trackpoint and the last lap's end (its start plus
    its timer time), pauses included, never under the timer time; None when neither is known."""
    ends = [last_point] if last_point is not None else []
    for lap in laps:
        lap_start, seconds = _time(lap.get("StartTime")), _float(lap, "TotalTimeSeconds")
        if lap_start is not None and seconds is not None:
            ends.append(lap_start + dt.timedelta(seconds=seconds))
    if not ends:
        return None
    # Lap start times are whole seconds: the timer time can pass the end they give by a fraction.
    timer = sum(seconds for lap in laps if (seconds := _float(lap, "TotalTimeSeconds")) is not None)
    return max((max(ends) - start).total_seconds(), timer)


def _point_values(point: Element) -> dict[str, str]:
    """The text of each field of a trackpoint, by local name, in one pass over its elements.

    Within a trackpoint the only ``Value`` is the heart rate's (``HeartRateBpm/Value``),
    and ``Speed`` and ``RunCadence`` come from Garmin's ActivityExtension.
    """
    values: dict[str, str] = {}
    for element in point.iter():
        name = local_name(element.tag)
        if name in _POINT_FIELDS and element.text is not None and name not in values:
            values[name] = element.text
    return values


def _number(text: str | None) -> float:
    if not text:
        return float("nan")
    try:
        return float(text)
    except ValueError:
        return float("nan")
