"""One activity file becomes one Django activity: the service every door calls (CLI, web, API, bot).

The file is read (``analytics.readers``), checked against what the athlete
already has, and stored with its original in one transaction: either the
activity and its file both exist afterwards, or neither does. The sync then
brings it to the analytics store, where its samples and their features are
computed (``analytics.sync_samples``); the parsed file is handed over so the
sync does not read it twice.

Call it outside any transaction: a file written to storage cannot be rolled
back by an enclosing transaction that fails later.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
from dataclasses import asdict, dataclass
from typing import Any, Final, Literal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils.text import get_valid_filename

from analytics import originals
from analytics.readers import ActivityFileError, ParsedActivity, ParsedFile, file_format, read_file
from analytics.readers.model import SUMMARY_FIELDS
from analytics.readers.sport import implausible_speed
from foulee import limits
from foulee.config import get_settings
from foulee.filenames import upload_name
from foulee.units import format_duration
from web.accounts.models import User
from web.activities.models import Activity, MultisportEvent, Source, original_file_path

logger = logging.getLogger(__name__)

Status = Literal["imported", "duplicate", "error"]

#: The same run recorded twice (a watch file and its Strava copy) starts within a minute...
SAME_RUN_START_WINDOW: Final = dt.timedelta(minutes=1)
#: ...and covers about the same distance: within 5 %, or 100 m for short ones (GPS noise).
SAME_RUN_DISTANCE_TOLERANCE: Final = 0.05
SAME_RUN_DISTANCE_FLOOR_M: Final = 100.0

#: Summary fields copied from the parsed file to the activity; the optional ones are dropped,
#: not the whole file refused, when a sensor glitch puts them out of bounds.
REQUIRED_FIELDS: Final = ("distance_m", "duration_s")
OPTIONAL_FIELDS: Final = tuple(field for field in SUMMARY_FIELDS if field not in REQUIRED_FIELDS)
#: The sport a multisport file's result reports (each leg has its own).
MULTISPORT: Final = "multisport"
#: What Django's storage appends to a name already taken (``_`` and 7 random characters).
COLLISION_SUFFIX_CHARS: Final = 8


@dataclass(frozen=True)
class ImportResult:
    """What became of one file; ``to_json`` is the line ``foulee import --json`` prints."""

    file: str
    status: Status
    activity_id: int | None = None
    sport: str | None = None
    distance_m: float | None = None
    duration_s: float | None = None
    avg_hr: float | None = None
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.status == "error"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def refused(cls, file: str, reason: str) -> ImportResult:
        return cls(file=file, status="error", error=reason)

    @classmethod
    def of(cls, file: str, status: Status, activity: Activity, note: str | None = None) -> ImportResult:
        return cls(
            file=file,
            status=status,
            activity_id=activity.pk,
            sport=activity.sport,
            distance_m=activity.distance_m,
            duration_s=activity.duration_s,
            avg_hr=activity.avg_hr,
            error=note,
        )


def import_file(
    user: User,
    data: bytes,
    filename: str,
    *,
    label: str | None = None,
    name: str = "",
    description: str = "",
) -> ImportResult:
    """Import one activity file for ``user``; never raises for a bad file, says why instead.

    ``filename`` decides the format by its extension, once made safe by
    ``foulee.filenames.upload_name`` (no path, no control character, bounded);
    ``label`` is how results name the file (a path, or
    ``export.zip:activities/1.fit``), the safe ``filename`` by default.
    ``name`` and ``description`` come from files too (a Strava export's CSV):
    their control characters are removed rather than the file refused. A
    duplicate's result carries the existing activity and, in ``error``, which
    rule matched, so the athlete knows why nothing changed.

    A file of several legs (a triathlon) becomes one activity per leg, linked
    by a :class:`MultisportEvent`; each leg is compared with the athlete's
    activities on its own, so a leg already imported (the swim's own GPX) is
    left out and the others are imported. The result then describes the
    event: its total distance and time, and each leg in ``error``'s note.
    """
    filename = upload_name(filename)
    shown = label or filename
    checksum = hashlib.sha256(data).hexdigest()
    same_file = Activity.objects.filter(user=user, file_checksum=checksum).order_by("file_leg").first()
    if same_file is not None:
        return ImportResult.of(shown, "duplicate", same_file, f"same file as activity {same_file.pk}")
    try:
        parsed = read_file(data, filename, max_bytes=get_settings().max_upload_bytes)
    except ActivityFileError as error:
        return ImportResult.refused(shown, str(error))
    legs: list[tuple[int, ParsedActivity]] = []
    refusals: list[str] = []
    for index, leg in enumerate(parsed.legs):
        refusal = recording_refusal(leg, truncated=parsed.truncated, filename=filename)
        if refusal is None:
            legs.append((index, leg))
        else:
            refusals.append(refusal)
    if not legs:
        return ImportResult.refused(shown, refusals[0])
    new_legs: list[tuple[int, ParsedActivity]] = []
    duplicates: list[Activity] = []
    for index, leg in legs:
        same_run = _same_run(user, leg)
        if same_run is None:
            new_legs.append((index, leg))
        else:
            duplicates.append(same_run)
    if not new_legs:
        return ImportResult.of(shown, "duplicate", duplicates[0], f"same run as activity {duplicates[0].pk}")
    try:
        activities = [
            _activity(user, leg, checksum, index, name=name, description=description)
            for index, leg in new_legs
        ]
    except ValidationError as error:
        return ImportResult.refused(shown, _one_line(error))
    event = _event(user, parsed) if parsed.is_multisport else None
    # Handed to the sync *before* the save: with sync on commit (the default), the sync runs
    # the moment the save commits, and must find this parse instead of reading the file again.
    originals.remember(checksum, parsed, legs=[index for index, _ in new_legs])
    try:
        _save_with_original(activities, event, data, filename)
    except IntegrityError:
        originals.forget(checksum)
        # The same file, imported at the same moment through another door, won the race.
        twin = Activity.objects.filter(user=user, file_checksum=checksum).order_by("file_leg").first()
        if twin is None:
            raise
        return ImportResult.of(shown, "duplicate", twin, f"same file as activity {twin.pk}")
    except BaseException:
        originals.forget(checksum)
        raise
    logger.debug("imported %s as activities %s for user %s", shown, [a.pk for a in activities], user.pk)
    note = _note(parsed, activities, duplicates, skipped=len(refusals))
    if event is None:
        return ImportResult.of(shown, "imported", activities[0], note)
    return ImportResult(
        file=shown,
        status="imported",
        activity_id=activities[0].pk,
        sport=MULTISPORT,
        distance_m=event.distance_m,
        duration_s=event.duration_s,
        avg_hr=None,
        error=note,
    )


def recording_refusal(leg: ParsedActivity, *, truncated: bool, filename: str) -> str | None:
    """Why a leg read from a file is no activity to import, or ``None`` if it is one.

    A recording of a few seconds and metres (a watch started by mistake) is
    empty; one no human could have made (a car trip) is implausible. A cut
    file whose part before the cut is empty is refused for being cut.
    """
    distance, duration = leg.distance_m or 0.0, leg.duration_s or 0.0
    if duration < limits.EMPTY_RECORDING_MAX_S and distance < limits.EMPTY_RECORDING_MAX_M:
        if truncated:
            return f"truncated or corrupt {file_format(filename)} file"
        return f"empty recording ({distance:.0f} m in {format_duration(duration)}), nothing to import"
    if leg.sport != "other" and (speed := implausible_speed(leg.samples)) is not None:
        return (
            f"implausible recording: {speed * 3.6:.0f} km/h, faster than anyone runs or rides "
            "(a trip by car or train?)"
        )
    return None


def _event(user: User, parsed: ParsedFile) -> MultisportEvent:
    """The event that links the legs of ``parsed``: its totals include the transitions."""
    starts = [leg.start_time for leg in parsed.legs] + [t.start_time for t in parsed.transitions]
    ends = [leg.start_time + dt.timedelta(seconds=leg.duration_s or 0.0) for leg in parsed.legs] + [
        t.start_time + dt.timedelta(seconds=t.duration_s) for t in parsed.transitions
    ]
    transition_time = sum(t.duration_s for t in parsed.transitions)
    transition_distance = sum(t.distance_m for t in parsed.transitions)
    return MultisportEvent(
        user=user,
        start_time=min(starts),
        distance_m=sum(leg.distance_m or 0.0 for leg in parsed.legs) + transition_distance,
        duration_s=(max(ends) - min(starts)).total_seconds(),
        transition_time_s=transition_time,
        transition_distance_m=transition_distance,
    )


def _note(
    parsed: ParsedFile, activities: list[Activity], duplicates: list[Activity], *, skipped: int
) -> str | None:
    """What the athlete should know besides the numbers: the legs, what was cut or left out."""
    parts: list[str] = []
    if parsed.is_multisport:
        legs = ", ".join(
            f"{activity.sport} {activity.distance_m / 1000:.2f} km in {format_duration(activity.duration_s)}"
            f" (activity {activity.pk})"
            for activity in activities
        )
        parts.append(f"{len(activities)} legs: {legs}")
        if parsed.transitions:
            transitions = sum(t.duration_s for t in parsed.transitions)
            parts.append(f"{len(parsed.transitions)} transitions, {format_duration(transitions)}")
    if duplicates:
        parts.append("already imported: " + ", ".join(f"activity {activity.pk}" for activity in duplicates))
    if skipped:
        parts.append(f"{skipped} empty or implausible legs left out")
    if parsed.truncated:
        parts.append("the file is truncated: imported what was recorded before the cut")
    parts.extend(parsed.notes)
    return "; ".join(parts) or None


def _same_run(user: User, parsed: ParsedActivity) -> Activity | None:
    """An activity of ``user`` that is this one (a leg, for a multisport file) recorded again."""
    nearby = Activity.objects.filter(
        user=user,
        start_time__gte=parsed.start_time - SAME_RUN_START_WINDOW,
        start_time__lte=parsed.start_time + SAME_RUN_START_WINDOW,
    ).order_by("start_time")
    distance = parsed.distance_m or 0.0
    for candidate in nearby:
        longer = max(distance, candidate.distance_m)
        allowed = max(SAME_RUN_DISTANCE_FLOOR_M, SAME_RUN_DISTANCE_TOLERANCE * longer)
        if abs(candidate.distance_m - distance) <= allowed:
            return candidate
    return None


def _activity(
    user: User, parsed: ParsedActivity, checksum: str, leg: int, *, name: str, description: str
) -> Activity:
    """The unsaved activity for ``parsed``, validated like any other; raises ValidationError."""
    values: dict[str, Any] = {
        field: _finite(getattr(parsed, field)) for field in (*REQUIRED_FIELDS, *OPTIONAL_FIELDS)
    }
    if values["duration_s"] is None:
        raise ValidationError("the file has no duration")
    values["distance_m"] = values["distance_m"] or 0.0
    activity = Activity(
        user=user,
        sport=parsed.sport,
        # Text from a file is cleaned, not refused: one stray byte must not cost the whole run.
        name=limits.without_forbidden_characters(name, multiline=False)[
            : Activity._meta.get_field("name").max_length
        ],
        description=limits.without_forbidden_characters(description, multiline=True),
        start_time=parsed.start_time,
        source=Source.FILE,
        file_checksum=checksum,
        file_leg=leg,
        **values,
    )
    _drop_implausible(activity)
    activity.full_clean(exclude=["original_file"], validate_unique=False, validate_constraints=False)
    return activity


def _drop_implausible(activity: Activity) -> None:
    """Clear optional values a sensor got wrong, so one glitch does not cost the whole run.

    The analytics engine would leave them out of its metrics anyway; here they
    must also pass the model's bounds to be stored at all.
    """
    for field in OPTIONAL_FIELDS:
        model_field = Activity._meta.get_field(field)
        assert isinstance(model_field, models.Field)  # noqa: S101 (for the type checker)
        try:
            model_field.clean(getattr(activity, field), activity)
        except ValidationError:
            logger.info("dropping %s=%s, out of bounds", field, getattr(activity, field))
            setattr(activity, field, None)
    if activity.moving_time_s is not None and activity.moving_time_s > activity.duration_s:
        activity.moving_time_s = None
    if activity.avg_hr is not None and activity.max_hr is not None and activity.avg_hr > activity.max_hr:
        activity.max_hr = None
    if (
        activity.avg_speed_mps is not None
        and activity.max_speed_mps is not None
        and activity.avg_speed_mps > activity.max_speed_mps
    ):
        activity.max_speed_mps = None


def _save_with_original(
    activities: list[Activity], event: MultisportEvent | None, data: bytes, filename: str
) -> None:
    """Save the activities (the legs of one file), their event and the original file together;
    on any failure, none of them stays. The legs share one stored copy of the file."""
    first = activities[0]
    stored: str | None = None
    try:
        with transaction.atomic():
            if event is not None:
                event.save()
            first.original_file.save(_storage_name(first, filename), ContentFile(data), save=False)
            stored = first.original_file.name
            for activity in activities:
                activity.original_file.name = stored
                activity.event = event
                activity.save()
    except BaseException:
        if stored:
            first.original_file.storage.delete(stored)
        for activity in activities:
            activity.pk = None
        if event is not None:
            event.pk = None
        raise


def _storage_name(activity: Activity, filename: str) -> str:
    """The file's own name, safe and short enough for its column and the disk, taken or not.

    ``activities/<user id>/<name>`` must fit ``original_file``'s column even with the
    suffix storage adds to a name already taken, and ``<name>`` (bytes, with that
    suffix) the file system's limit: ``limits.MAX_UPLOAD_NAME_BYTES`` is well below both.
    """
    column = Activity._meta.get_field("original_file").max_length or limits.MAX_FILENAME_BYTES
    room = column - len(original_file_path(activity, "")) - COLLISION_SUFFIX_CHARS
    bound = min(limits.MAX_UPLOAD_NAME_BYTES, limits.MAX_FILENAME_BYTES - COLLISION_SUFFIX_CHARS, room)
    return get_valid_filename(upload_name(filename, max_bytes=bound))


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _one_line(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        parts = [
            f"{field}: {' '.join(str(message) for message in messages)}"
            for field, messages in error.message_dict.items()
        ]
        return "invalid values in the file: " + "; ".join(parts)
    return " ".join(str(message) for message in error.messages)
