"""Training plans towards a goal race, and the sessions they are made of."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from foulee import limits
from web.text import MULTI_LINE, SINGLE_LINE


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    ABANDONED = "abandoned", _("Abandoned")


class TrainingPlan(models.Model):
    """A periodised plan for one goal race. An athlete has at most one active plan."""

    athlete = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("athlete"),
        on_delete=models.CASCADE,
        related_name="training_plans",
    )
    name = models.CharField(_("name"), max_length=200, validators=[SINGLE_LINE])
    goal_distance_m = models.FloatField(
        _("goal distance (m)"),
        validators=[MinValueValidator(100.0), MaxValueValidator(limits.ACTIVITY_MAX_DISTANCE_M)],
    )
    goal_date = models.DateField(_("goal date"), help_text=_("The day of the goal race."))
    target_time_s = models.FloatField(
        _("target time (s)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1.0)],
        help_text=_("Leave empty to train for the distance without a time goal."),
    )
    start_date = models.DateField(_("start date"))
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )
    notes = models.TextField(_("notes"), blank=True, validators=[MULTI_LINE])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The coach or athlete who made it; empty when the AI coach did."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        ordering = ["-goal_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["athlete"],
                condition=Q(status="active"),
                name="plan_one_active_per_athlete",
            ),
            models.CheckConstraint(
                condition=Q(start_date__lte=models.F("goal_date")), name="plan_starts_before_goal"
            ),
            models.CheckConstraint(condition=Q(goal_distance_m__gt=0), name="plan_goal_distance_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.goal_date:%Y-%m-%d})"

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.goal_date and self.start_date > self.goal_date:
            raise ValidationError({"start_date": _("The plan must start before its goal date.")})


class SessionType(models.TextChoices):
    EASY = "easy", _("Easy run")
    LONG = "long", _("Long run")
    TEMPO = "tempo", _("Tempo run")
    INTERVALS = "intervals", _("Intervals")
    RACE = "race", _("Race")
    REST = "rest", _("Rest")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    MISSED = "missed", _("Missed")
    #: Called off in advance (an illness): not run, and not counted against the athlete.
    CANCELLED = "cancelled", _("Cancelled")


class PlannedSession(models.Model):
    """One day of a plan: what to run, with targets, and the activity that fulfilled it."""

    plan = models.ForeignKey(
        TrainingPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="sessions"
    )
    date = models.DateField(_("date"))
    session_type = models.CharField(_("type"), max_length=16, choices=SessionType.choices)
    description = models.TextField(_("description"), blank=True, validators=[MULTI_LINE])
    target_duration_s = models.FloatField(
        _("target duration (s)"), null=True, blank=True, validators=[MinValueValidator(60.0)]
    )
    target_distance_m = models.FloatField(
        _("target distance (m)"), null=True, blank=True, validators=[MinValueValidator(100.0)]
    )
    target_pace_s_per_km = models.FloatField(
        _("target pace (s/km)"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(limits.TARGET_PACE_RANGE_S_PER_KM[0]),
            MaxValueValidator(limits.TARGET_PACE_RANGE_S_PER_KM[1]),
        ],
    )
    target_hr_zone = models.PositiveSmallIntegerField(
        _("target HR zone"),
        null=True,
        blank=True,
        validators=[MinValueValidator(limits.HR_ZONE_RANGE[0]), MaxValueValidator(limits.HR_ZONE_RANGE[1])],
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    structure = models.JSONField(
        _("structure"),
        default=list,
        blank=True,
        help_text=_("The steps: warm-up, reps or blocks at their pace, cool-down."),
    )
    completed_activity = models.OneToOneField(
        "activities.Activity",
        verbose_name=_("completed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="planned_session",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("planned session")
        verbose_name_plural = _("planned sessions")
        ordering = ["date"]
        indexes = [models.Index(fields=["plan", "date"], name="session_plan_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_session_type_display()}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        plan = self.plan if self.plan_id else None
        if plan is not None and self.date and not plan.start_date <= self.date <= plan.goal_date:
            errors["date"] = _("The session must fall between the plan's start and goal dates.")
        if self.session_type == SessionType.REST and (
            self.target_duration_s or self.target_distance_m or self.target_pace_s_per_km
        ):
            errors["session_type"] = _("A rest day has no targets.")
        activity = self.completed_activity
        if activity is not None and plan is not None and activity.user_id != plan.athlete_id:
            errors["completed_activity"] = _("That activity belongs to another athlete.")
        if errors:
            raise ValidationError(errors)
