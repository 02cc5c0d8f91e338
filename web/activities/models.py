"""Activities: what an athlete did, as recorded by a watch, an app or by hand.

This is the system of record. The analytics store keeps a synced, derived copy
(see ``analytics/``) keyed by this table's primary key and ``updated_at``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from foulee import limits, sports
from web.text import MULTI_LINE, SINGLE_LINE


class Sport(models.TextChoices):
    RUN = sports.RUN, _("Run")
    TRAIL_RUN = sports.TRAIL_RUN, _("Trail run")
    TREADMILL = sports.TREADMILL, _("Treadmill run")
    WALK = "walk", _("Walk")
    HIKE = "hike", _("Hike")
    RIDE = "ride", _("Ride")
    SWIM = "swim", _("Swim")
    STRENGTH = "strength", _("Strength training")
    OTHER = "other", _("Other")


class Source(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    FILE = "file", _("Imported file")
    API = "api", _("HTTP API")
    #: A race result read from a public results page (web.activities.results): a race, always.
    RESULTS = "results", _("Race results page")
    #: Synced from the athlete's connected Strava account (web.strava).
    STRAVA = "strava", _("Strava")


def original_file_path(instance: Activity, filename: str) -> str:
    """Keep each athlete's files apart, so a path never reveals or collides with another's."""
    return f"activities/{instance.user_id}/{filename}"


def validate_start_time(value: dt.datetime) -> None:
    """An activity starts between 1970 and a day from now (``foulee.limits``)."""
    if value < limits.ACTIVITY_EARLIEST_START:
        raise ValidationError(_("Start time cannot be before 1970."), code="too_early")
    if value > dt.datetime.now(dt.UTC) + limits.ACTIVITY_FUTURE_SLACK:
        raise ValidationError(_("Start time cannot be in the future."), code="in_future")


def _bounded(low: float, high: float) -> list[Any]:
    return [MinValueValidator(low), MaxValueValidator(high)]


class MultisportEvent(models.Model):
    """One recording of several legs: a triathlon or a duathlon, or a file that holds several
    activities. Each leg is an :class:`Activity` with its own sport; the event keeps what belongs to
    none of them: the totals, transitions included, and the transitions themselves."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("athlete"),
        on_delete=models.CASCADE,
        related_name="multisport_events",
    )
    start_time = models.DateTimeField(_("start time"), help_text=_("Stored in UTC."))
    distance_m = models.FloatField(
        _("total distance (m)"),
        validators=_bounded(0.0, limits.ACTIVITY_MAX_DISTANCE_M),
        help_text=_("Every leg and transition."),
    )
    duration_s = models.FloatField(
        _("total time (s)"),
        validators=_bounded(0.0, limits.ACTIVITY_MAX_DURATION_S),
        help_text=_("From the start of the first leg to the end of the last, transitions included."),
    )
    transition_time_s = models.FloatField(
        _("time in transitions (s)"), default=0.0, validators=[MinValueValidator(0.0)]
    )
    transition_distance_m = models.FloatField(
        _("distance in transitions (m)"), default=0.0, validators=[MinValueValidator(0.0)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("multisport event")
        verbose_name_plural = _("multisport events")
        ordering = ["-start_time"]

    def __str__(self) -> str:
        return f"{self.distance_m / 1000.0:.1f} km, {self.start_time:%Y-%m-%d %H:%M}"


class Activity(models.Model):
    """One workout. Units are SI (metres, seconds, metres per second) as everywhere in Foulée."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("athlete"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    sport = models.CharField(_("sport"), max_length=16, choices=Sport.choices, default=Sport.RUN)
    name = models.CharField(_("name"), max_length=200, blank=True, validators=[SINGLE_LINE])
    description = models.TextField(_("description"), blank=True, validators=[MULTI_LINE])
    start_time = models.DateTimeField(
        _("start time"), validators=[validate_start_time], help_text=_("Stored in UTC.")
    )
    distance_m = models.FloatField(
        _("distance (m)"), default=0.0, validators=_bounded(0.0, limits.ACTIVITY_MAX_DISTANCE_M)
    )
    duration_s = models.FloatField(
        _("elapsed time (s)"),
        validators=_bounded(1.0, limits.ACTIVITY_MAX_DURATION_S),
        help_text=_("From start to finish, pauses included."),
    )
    moving_time_s = models.FloatField(
        _("moving time (s)"),
        null=True,
        blank=True,
        validators=_bounded(0.0, limits.ACTIVITY_MAX_DURATION_S),
    )
    elevation_gain_m = models.FloatField(
        _("elevation gain (m)"),
        null=True,
        blank=True,
        validators=_bounded(0.0, limits.MAX_ELEVATION_GAIN_M),
    )
    avg_hr = models.FloatField(
        _("average HR (bpm)"),
        null=True,
        blank=True,
        validators=_bounded(limits.HR_MIN_BPM, limits.HR_MAX_BPM),
    )
    max_hr = models.FloatField(
        _("maximum HR (bpm)"),
        null=True,
        blank=True,
        validators=_bounded(limits.HR_MIN_BPM, limits.HR_MAX_BPM),
    )
    avg_speed_mps = models.FloatField(
        _("average speed (m/s)"),
        null=True,
        blank=True,
        validators=_bounded(0.0, limits.MAX_SPEED_MPS),
        help_text=_("Distance over moving time."),
    )
    max_speed_mps = models.FloatField(
        _("maximum speed (m/s)"),
        null=True,
        blank=True,
        validators=_bounded(0.0, limits.MAX_SPEED_MPS),
    )
    avg_cadence_spm = models.FloatField(
        _("average cadence (steps/min)"),
        null=True,
        blank=True,
        validators=_bounded(0.0, limits.MAX_CADENCE_SPM),
    )
    calories_kcal = models.FloatField(
        _("calories (kcal)"),
        null=True,
        blank=True,
        validators=_bounded(0.0, limits.MAX_CALORIES_KCAL),
    )
    training_load = models.FloatField(
        _("training load (TRIMP)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0)],
        help_text=_(
            "The load the source reported (a device, the API, a person). The analytics "
            "engine computes its own TRIMP from heart rate and uses this only when it cannot."
        ),
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.MANUAL)
    original_file = models.FileField(
        _("original file"), upload_to=original_file_path, blank=True, max_length=255
    )
    file_checksum = models.CharField(
        _("file checksum"),
        max_length=64,
        blank=True,
        validators=[SINGLE_LINE],
        help_text=_("SHA-256 of the original file, to refuse importing it twice."),
    )
    event = models.ForeignKey(
        MultisportEvent,
        verbose_name=_("multisport event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="legs",
        help_text=_("The event this activity is a leg of, when its file recorded several."),
    )
    file_leg = models.PositiveSmallIntegerField(
        _("leg of the file"),
        default=0,
        # In the database too: rows written by raw SQL (bulk loads, benchmarks) are single-leg.
        db_default=0,
        help_text=_("Which of the original file's legs this activity is (0 for the first or only one)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(
        auto_now=True, help_text=_("The analytics sync's watermark follows this column.")
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-start_time"]
        indexes = [
            models.Index(fields=["user", "-start_time"], name="activity_user_start"),
            models.Index(fields=["updated_at", "id"], name="activity_updated"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "file_checksum", "file_leg"],
                condition=~Q(file_checksum=""),
                name="activity_unique_file_leg_per_user",
            ),
            models.CheckConstraint(
                condition=Q(distance_m__gte=0) & Q(distance_m__lte=limits.ACTIVITY_MAX_DISTANCE_M),
                name="activity_distance_range",
            ),
            models.CheckConstraint(
                condition=Q(duration_s__gt=0) & Q(duration_s__lte=limits.ACTIVITY_MAX_DURATION_S),
                name="activity_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(moving_time_s__isnull=True) | Q(moving_time_s__lte=models.F("duration_s")),
                name="activity_moving_within_elapsed",
            ),
            models.CheckConstraint(
                condition=Q(avg_hr__isnull=True)
                | (Q(avg_hr__gte=limits.HR_MIN_BPM) & Q(avg_hr__lte=limits.HR_MAX_BPM)),
                name="activity_avg_hr_range",
            ),
            models.CheckConstraint(
                condition=Q(max_hr__isnull=True)
                | (Q(max_hr__gte=limits.HR_MIN_BPM) & Q(max_hr__lte=limits.HR_MAX_BPM)),
                name="activity_max_hr_range",
            ),
            models.CheckConstraint(
                condition=Q(avg_hr__isnull=True) | Q(max_hr__isnull=True) | Q(avg_hr__lte=models.F("max_hr")),
                name="activity_avg_hr_le_max",
            ),
            models.CheckConstraint(
                condition=Q(avg_speed_mps__isnull=True)
                | Q(max_speed_mps__isnull=True)
                | Q(avg_speed_mps__lte=models.F("max_speed_mps")),
                name="activity_avg_speed_le_max",
            ),
            models.CheckConstraint(
                condition=Q(training_load__isnull=True) | Q(training_load__gte=0),
                name="activity_load_non_negative",
            ),
        ]

    def __str__(self) -> str:
        km = self.distance_m / 1000.0
        return f"{self.get_sport_display()} {km:.1f} km, {self.start_time:%Y-%m-%d %H:%M}"

    @property
    def display_name(self) -> str:
        """What the activity is called wherever it is shown (pages, API): its name, else its sport's.

        A file rarely names its activity; its sport, in the active language, does.
        """
        return self.name or str(self.get_sport_display())

    @property
    def is_running(self) -> bool:
        return self.sport in sports.RUNNING_SPORTS

    def clean(self) -> None:
        super().clean()
        if self.start_time is not None and self.start_time.tzinfo is not None:
            # Stored in UTC: an offset PostgreSQL does not take (beyond ±15:59) never reaches it.
            with contextlib.suppress(OverflowError):
                self.start_time = self.start_time.astimezone(dt.UTC)
        errors: dict[str, Any] = {}
        if (
            self.moving_time_s is not None
            and self.duration_s is not None
            and self.moving_time_s > self.duration_s
        ):
            errors["moving_time_s"] = _("Moving time cannot exceed elapsed time.")
        if self.avg_hr is not None and self.max_hr is not None and self.avg_hr > self.max_hr:
            errors["avg_hr"] = _("Average HR cannot exceed maximum HR.")
        if (
            self.avg_speed_mps is not None
            and self.max_speed_mps is not None
            and self.avg_speed_mps > self.max_speed_mps
        ):
            errors["avg_speed_mps"] = _("Average speed cannot exceed maximum speed.")
        if errors:
            raise ValidationError(errors)


class DeletedRecord(models.Model):
    """A deletion the analytics store has not applied yet (a tombstone).

    The sync consumes these: it applies them to the analytics store, commits,
    then removes them here. Re-applying a deletion is harmless, so a crash in
    between repeats nothing that matters and loses nothing.
    """

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("Activity")
        ATHLETE = "athlete", _("Athlete")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    object_id = models.BigIntegerField()
    deleted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deleted record")
        verbose_name_plural = _("deleted records")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} deleted {self.deleted_at:%Y-%m-%d %H:%M}"
