"""Admin for activities, scoped to the coach's athletes."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from foulee.units import format_duration, format_pace, km, pace_s_per_km
from web.activities.models import Activity
from web.admin_scoping import CoachScopedAdmin, athlete_filter


@admin.register(Activity)
class ActivityAdmin(CoachScopedAdmin):
    athlete_path = "user"
    list_display = (
        "start_time",
        "user",
        "sport",
        "name",
        "distance_km",
        "elapsed",
        "pace",
        "avg_hr",
        "training_load",
        "source",
    )
    list_filter = (athlete_filter("user"), "sport", "source")
    list_select_related = ("user",)
    date_hierarchy = "start_time"
    search_fields = ("name", "description", "user__email", "user__full_name")
    readonly_fields = ("source", "original_file", "file_checksum", "created_at", "updated_at")
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("user", "sport", "name", "description", "start_time")}),
        (
            _("Measures"),
            {
                "fields": (
                    ("distance_m", "duration_s", "moving_time_s"),
                    ("avg_speed_mps", "max_speed_mps"),
                    ("avg_hr", "max_hr"),
                    ("elevation_gain_m", "avg_cadence_spm", "calories_kcal"),
                    "training_load",
                )
            },
        ),
        (_("Origin"), {"fields": ("source", "original_file", "file_checksum", "created_at", "updated_at")}),
    )

    @admin.display(description=_("distance (km)"), ordering="distance_m")
    def distance_km(self, activity: Activity) -> str:
        return f"{km(activity.distance_m):.2f}"

    @admin.display(description=_("time"), ordering="duration_s")
    def elapsed(self, activity: Activity) -> str:
        return format_duration(activity.moving_time_s or activity.duration_s)

    @admin.display(description=_("pace"))
    def pace(self, activity: Activity) -> str:
        if not activity.is_running or activity.avg_speed_mps is None:
            return "—"
        return format_pace(pace_s_per_km(activity.avg_speed_mps))
