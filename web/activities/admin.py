"""Admin for activities, scoped to the coach's athletes."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from foulee import formatting
from foulee.config import get_settings
from foulee.units import km
from web.accounts.models import User
from web.activities.models import Activity
from web.admin_scoping import CoachScopedAdmin, athlete_filter, scoped_choices


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
        "heart_rate",
        "load",
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

    def get_urls(self) -> list[URLPattern]:
        upload = path(
            "upload/",
            self.admin_site.admin_view(self.upload_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_upload",
        )
        return [upload, *super().get_urls()]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """Import files for one of the coach's athletes, with the service ``foulee import`` uses."""
        from analytics.importing.batch import BatchSummary
        from web.activities.uploads import UploadForm, import_uploads

        if not self.has_add_permission(request):
            raise PermissionDenied
        athletes = User.objects.all() if request.user.is_superuser else scoped_choices(User, request)
        form = UploadForm(request.POST or None, request.FILES or None, athletes=athletes)
        results = []
        summary = BatchSummary()
        if request.method == "POST" and form.is_valid():
            athlete, uploads = form.cleaned_data["athlete"], form.cleaned_data["uploads"]
            results = list(import_uploads(athlete, uploads, summary))
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import activity files"),
            "form": form,
            "results": results,
            "summary": summary.line(),
            "max_upload_mb": get_settings().max_upload_mb,
        }
        return TemplateResponse(request, "admin/activities/activity/upload.html", context)

    @admin.display(description=_("distance (km)"), ordering="distance_m")
    def distance_km(self, activity: Activity) -> str:
        return formatting.number(km(activity.distance_m), 2)

    @admin.display(description=_("time"), ordering="duration_s")
    def elapsed(self, activity: Activity) -> str:
        return formatting.duration(activity.moving_time_s or activity.duration_s)

    @admin.display(description=_("pace"))
    def pace(self, activity: Activity) -> str:
        if not activity.is_running:
            return formatting.UNKNOWN
        return formatting.pace_from_speed(activity.avg_speed_mps)

    @admin.display(description=_("average HR (bpm)"), ordering="avg_hr")
    def heart_rate(self, activity: Activity) -> str:
        return formatting.integer(activity.avg_hr)

    @admin.display(description=_("training load (TRIMP)"), ordering="training_load")
    def load(self, activity: Activity) -> str:
        return formatting.integer(activity.training_load)
