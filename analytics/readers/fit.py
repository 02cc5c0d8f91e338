"""Garmin FIT files, decoded with fitdecode.

FIT stores positions in semicircles (2^31 semicircles = 180 degrees) and, for
running, cadence per leg (strides per minute, what the FIT profile calls
``strides/min``); Foulée counts steps of both legs, so foot cadence is doubled
here, the way Garmin Connect displays it. Bike cadence (rpm) is kept as is.

What real watches write, and how it is read:

- one ``session`` per leg: a triathlon is swim, transition, bike, transition,
  run; each leg becomes its own activity, the transitions are kept apart;
- a session with no ``record`` (a pool swim, a treadmill without a footpod)
  is imported from its summary;
- timestamps below 0x10000000 count seconds from the watch's power-on (FIT
  profile, ``date_time``; the Forerunner 70 writes nothing else): they are
  placed in time by a ``timestamp_correlation`` message, or else by the
  ``activity`` message's local time;
- a file cut short keeps what was decoded before the cut, and says so;
- a FIT file that is not an activity (settings, a course, monitoring) is
  refused for what it is.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any, Final

import fitdecode

from analytics.readers.derive import build_activity
from analytics.readers.errors import ActivityFileError
from analytics.readers.model import FOOT_SPORTS, ParsedActivity, ParsedFile, Transition, samples_frame
from analytics.readers.sport import FIT_TRANSITION, fit_sport
from foulee import limits

__all__ = ["SEMICIRCLES_TO_DEGREES", "fit_sport", "read_fit"]

# FIT profile: degrees = semicircles × (180 / 2^31).
SEMICIRCLES_TO_DEGREES: Final = 180.0 / 2**31

# FIT profile, type date_time: seconds since 1989-12-31 00:00 UTC; values below 0x10000000 are
# "system time", seconds since the device powered on. fitdecode turns the others into datetimes.
FIT_EPOCH: Final = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)
RELATIVE_TIME_LIMIT: Final = 0x10000000

#: Records a few seconds past their session's end still belong to it (the watch's last write).
SESSION_END_SLACK_S: Final = 5.0

# FIT profile, type file: what a FIT file that is not an activity is, in the athlete's words.
_NOT_ACTIVITIES: Final = {
    "device": "this is a device settings file, not an activity",
    "settings": "this is a device settings file, not an activity",
    "sport": "this is a sport settings file, not an activity",
    "course": "this is a course file (a route to follow), not an activity",
    "workout": "this is a workout file (a planned session), not an activity",
    "schedules": "this is a training schedule file, not an activity",
    "monitoring_a": "this is a monitoring file (all-day tracking), not an activity",
    "monitoring_b": "this is a monitoring file (all-day tracking), not an activity",
    "monitoring_daily": "this is a monitoring file (all-day tracking), not an activity",
    "weight": "this is a weight scale file, not an activity",
    "blood_pressure": "this is a blood pressure file, not an activity",
    "totals": "this is a totals file, not an activity",
    "goals": "this is a goals file, not an activity",
    "activity_summary": "this is an activity summary file with nothing recorded in it",
    "segment": "this is a segment file, not an activity",
    "segment_list": "this is a segment list file, not an activity",
}
#: Messages that only a given kind of file holds, for files whose file_id does not say.
_KIND_BY_MESSAGE: Final = {
    "monitoring": "monitoring_b",
    "monitoring_info": "monitoring_b",
    "course": "course",
    "course_point": "course",
    "workout": "workout",
    "workout_step": "workout",
    "device_settings": "settings",
    "weight_scale": "weight",
}


@dataclass
class _Frames:
    """The data messages of a FIT stream that an activity needs."""

    records: list[Any] = field(default_factory=list)
    sessions: list[Any] = field(default_factory=list)
    laps: list[Any] = field(default_factory=list)
    sport: Any | None = None
    file_id: Any | None = None
    activity: Any | None = None
    correlation: Any | None = None
    kinds: set[str] = field(default_factory=set)
    truncated: bool = False


def _number(message: Any, *names: str) -> float | None:
    """The first of ``names`` that the message has with a numeric value."""
    for name in names:
        value = message.get_value(name, fallback=None)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


def _decode(data: bytes) -> _Frames:
    """The messages of a FIT stream; a stream cut short keeps the messages read before the cut."""
    frames = _Frames()
    try:
        with fitdecode.FitReader(
            io.BytesIO(data),
            check_crc=fitdecode.CrcCheck.DISABLED,
            error_handling=fitdecode.ErrorHandling.IGNORE,
        ) as reader:
            for frame in reader:
                if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                    continue
                name = frame.name
                if name == "record":
                    frames.records.append(frame)
                elif name == "session":
                    frames.sessions.append(frame)
                elif name == "lap":
                    frames.laps.append(frame)
                elif name == "sport" and frames.sport is None:
                    frames.sport = frame
                elif name == "file_id" and frames.file_id is None:
                    frames.file_id = frame
                elif name == "activity" and frames.activity is None:
                    frames.activity = frame
                elif name == "timestamp_correlation" and frames.correlation is None:
                    frames.correlation = frame
                elif name in _KIND_BY_MESSAGE:
                    frames.kinds.add(_KIND_BY_MESSAGE[name])
    # fitdecode raises FitEOFError at a cut, and assorted exceptions (FitParseError, struct.error,
    # KeyError ...) on a corrupt stretch: either way, what came before is what the file holds.
    except Exception as error:
        if not (frames.records or frames.sessions):
            raise ActivityFileError("truncated or corrupt FIT file") from error
        frames.truncated = True
    return frames


def _refuse_if_not_an_activity(frames: _Frames) -> None:
    kind = frames.file_id.get_value("type", fallback=None) if frames.file_id is not None else None
    if isinstance(kind, str) and kind != "activity":
        raise ActivityFileError(_NOT_ACTIVITIES.get(kind, f"this is a FIT {kind} file, not an activity"))
    if not (frames.records or frames.sessions) and frames.kinds:
        raise ActivityFileError(_NOT_ACTIVITIES[sorted(frames.kinds)[0]])


class _Clock:
    """FIT times to UTC datetimes, relative (power-on) times included when the file anchors them."""

    def __init__(self, frames: _Frames) -> None:
        self.offset: dt.datetime | None = None
        self.from_local_time = False
        correlation = frames.correlation
        if correlation is not None:
            absolute = correlation.get_value("timestamp", fallback=None)
            system = correlation.get_value("system_timestamp", fallback=None)
            if isinstance(absolute, dt.datetime) and isinstance(system, int | float):
                self.offset = absolute - dt.timedelta(seconds=float(system))
        if self.offset is None and frames.activity is not None:
            # local_timestamp is the activity's end in the watch's local time (time zone unknown):
            # the best anchor a watch without a correlation leaves.
            local = frames.activity.get_value("local_timestamp", fallback=None)
            end = frames.activity.get_value("timestamp", fallback=None)
            if isinstance(local, dt.datetime) and isinstance(end, int) and end < RELATIVE_TIME_LIMIT:
                self.offset = local.replace(tzinfo=dt.UTC) - dt.timedelta(seconds=end)
                self.from_local_time = True

    def at(self, value: Any) -> dt.datetime | None:
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < RELATIVE_TIME_LIMIT:
            return None if self.offset is None else self.offset + dt.timedelta(seconds=value)
        return None


def _device(file_id: Any | None) -> str | None:
    if file_id is None:
        return None
    parts = [
        str(file_id.get_value(name, fallback=None))
        for name in ("manufacturer", "garmin_product", "product_name")
        if file_id.get_value(name, fallback=None) is not None
    ]
    return " ".join(parts) or None


@dataclass(frozen=True)
class _Span:
    """One session (or the whole file without one): its sport, bounds and summary message."""

    sport: str
    start: dt.datetime | None
    end: dt.datetime | None
    summary: Any | None


def _spans(frames: _Frames, clock: _Clock) -> list[_Span]:
    spans: list[_Span] = []
    for session in frames.sessions:
        start = clock.at(session.get_value("start_time", fallback=None))
        elapsed = _number(session, "total_elapsed_time")
        end = clock.at(session.get_value("timestamp", fallback=None))
        if start is not None and elapsed is not None:
            end = start + dt.timedelta(seconds=elapsed)
        spans.append(
            _Span(
                sport=str(session.get_value("sport", fallback=None)),
                start=start,
                end=end,
                summary=session,
            )
        )
    spans.sort(key=lambda span: span.start or dt.datetime.max.replace(tzinfo=dt.UTC))
    if spans:
        return spans
    # No session (a file cut before its summary, a Sigma computer): one leg, of the sport message's
    # sport, summed up from its records (a lap may cover only the first seconds).
    named = frames.sport or next(iter(frames.laps), None)
    sport = str(named.get_value("sport", fallback=None)) if named is not None else "generic"
    return [_Span(sport=sport, start=None, end=None, summary=None)]


def _timed_records(frames: _Frames, clock: _Clock) -> list[tuple[dt.datetime, Any]]:
    """Records in time order; one that goes back in time or jumps past any activity's length
    is a corrupt write (the garbage a cut file ends with), and is dropped."""
    timed: list[tuple[dt.datetime, Any]] = []
    for record in frames.records:
        when = clock.at(record.get_value("timestamp", fallback=None))
        if when is None:
            continue
        if timed and (
            when < timed[-1][0] or (when - timed[0][0]).total_seconds() > limits.ACTIVITY_MAX_DURATION_S
        ):
            continue
        timed.append((when, record))
    return timed


def _leg_records(
    timed: list[tuple[dt.datetime, Any]], spans: list[_Span], index: int
) -> list[tuple[dt.datetime, Any]]:
    span = spans[index]
    if span.start is None:
        return timed
    following = spans[index + 1].start if index + 1 < len(spans) else None
    end = span.end + dt.timedelta(seconds=SESSION_END_SLACK_S) if span.end is not None else None
    return [
        (when, record)
        for when, record in timed
        if when >= span.start and (following is None or when < following) and (end is None or when <= end)
    ]


def _summary(message: Any | None, cadence_factor: float) -> dict[str, float | None]:
    if message is None:
        return {}
    avg_cadence = _number(message, "avg_running_cadence", "avg_cadence")
    return {
        "distance_m": _number(message, "total_distance"),
        "duration_s": _number(message, "total_elapsed_time"),
        "moving_time_s": _number(message, "total_moving_time"),
        # Pauses out, standing still in: the moving time only without records (build_activity).
        "timer_time_s": _number(message, "total_timer_time"),
        "elevation_gain_m": _number(message, "total_ascent"),
        "avg_hr": _number(message, "avg_heart_rate"),
        "max_hr": _number(message, "max_heart_rate"),
        "avg_speed_mps": _number(message, "enhanced_avg_speed", "avg_speed"),
        "max_speed_mps": _number(message, "enhanced_max_speed", "max_speed"),
        "avg_cadence_spm": None
        if avg_cadence is None
        else (avg_cadence + (_number(message, "avg_fractional_cadence") or 0.0)) * cadence_factor,
        "calories_kcal": _number(message, "total_calories"),
    }


def _leg(span: _Span, records: list[tuple[dt.datetime, Any]], device: str | None) -> ParsedActivity | None:
    summary_message = span.summary
    sport = fit_sport(
        span.sport,
        summary_message.get_value("sub_sport", fallback=None) if summary_message is not None else None,
    )
    starts = [when for when in (span.start, records[0][0] if records else None) if when is not None]
    if not starts:
        return None
    start_time = min(starts)
    cadence_factor = 2.0 if sport in FOOT_SPORTS else 1.0
    columns: dict[str, list[float]] = {
        name: []
        for name in ("time_s", "distance_m", "speed_mps", "hr", "cadence_spm", "altitude_m", "lat", "lon")
    }
    for when, record in records:
        columns["time_s"].append((when - start_time).total_seconds())
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
    if not records and (summary_message is None or _number(summary_message, "total_elapsed_time") is None):
        return None
    return build_activity(
        sport=sport,
        start_time=start_time,
        device=device,
        device_summary=_summary(summary_message, cadence_factor),
        samples=samples_frame(columns),
    )


def read_fit(data: bytes) -> ParsedFile:
    """Read a FIT activity: one leg per session (records become its samples, the session is its
    device summary), the transitions of a multisport file apart."""
    if len(data) < 12 or data[8:12] != b".FIT":
        raise ActivityFileError("not a FIT file")
    frames = _decode(data)
    _refuse_if_not_an_activity(frames)
    clock = _Clock(frames)
    timed = _timed_records(frames, clock)
    spans = _spans(frames, clock)
    device = _device(frames.file_id)
    legs: list[ParsedActivity] = []
    transitions: list[Transition] = []
    for index, span in enumerate(spans):
        records = _leg_records(timed, spans, index)
        if span.sport == FIT_TRANSITION:
            if span.start is not None:
                transitions.append(
                    Transition(
                        start_time=span.start,
                        duration_s=_number(span.summary, "total_elapsed_time") or 0.0,
                        distance_m=_number(span.summary, "total_distance") or 0.0,
                    )
                )
            continue
        leg = _leg(span, records, device)
        if leg is not None:
            legs.append(leg)
    if not legs:
        if clock.offset is None and _has_relative_times(frames):
            raise ActivityFileError("the watch's clock was not set: the file has no date")
        raise ActivityFileError("no track points")
    notes = ("start time from the watch's local clock (time zone unknown)",) if clock.from_local_time else ()
    return ParsedFile(
        legs=tuple(legs), transitions=tuple(transitions), truncated=frames.truncated, notes=notes
    )


def _has_relative_times(frames: _Frames) -> bool:
    return any(
        isinstance(message.get_value(name, fallback=None), int)
        for message, name in (
            *((record, "timestamp") for record in frames.records[:1]),
            *((session, "start_time") for session in frames.sessions),
        )
    )


def _sample(record: Any, *names: str, default: float = float("nan")) -> float:
    value = _number(record, *names)
    return default if value is None else value
