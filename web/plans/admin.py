"""Admin for training plans: a coach builds and edits their athletes' plans here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from foulee import formatting
from foulee.units import format_duration, km
from web.admin_scoping import CoachScopedAdmin, CoachScopedInline, athlete_filter
from web.plans.models import PlannedSession, TrainingPlan


class PlannedSessionInline(CoachScopedInline, admin.TabularInline):  # type: ignore[type-arg]
    model = PlannedSession
    extra = 0
    fields = (
        "date",
        "session_type",
        "description",
        "target_duration_s",
        "target_distance_m",
        "target_pace_s_per_km",
        "target_hr_zone",
        "status",
        "completed_activity",
    )
    raw_id_fields = ("completed_activity",)


@admin.register(TrainingPlan)
class TrainingPlanAdmin(CoachScopedAdmin):
    athlete_path = "athlete"
    list_display = ("name", "athlete", "goal_km", "goal_date", "target", "status", "progress")
    list_filter = (athlete_filter("athlete"), "status")
    list_select_related = ("athlete",)
    search_fields = ("name", "athlete__email", "athlete__full_name")
    readonly_fields = ("created_by", "created_at", "updated_at")
    inlines = (PlannedSessionInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        plans: QuerySet[TrainingPlan] = super().get_queryset(request)
        return plans.annotate(
            sessions_total=Count("sessions", filter=~Q(sessions__session_type="rest")),
            sessions_done=Count("sessions", filter=Q(sessions__status="done")),
        )

    def save_model(self, request: HttpRequest, obj: TrainingPlan, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    @admin.display(description=_("goal (km)"), ordering="goal_distance_m")
    def goal_km(self, plan: TrainingPlan) -> str:
        return formatting.number(km(plan.goal_distance_m), 1)

    @admin.display(description=_("target time"), ordering="target_time_s")
    def target(self, plan: TrainingPlan) -> str:
        return format_duration(plan.target_time_s)

    @admin.display(description=_("sessions done"))
    def progress(self, plan: Any) -> str:
        return f"{plan.sessions_done}/{plan.sessions_total}"
