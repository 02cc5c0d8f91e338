"""Coaches and operators see connections and their backfill, never a token."""

from __future__ import annotations

from django.contrib import admin

from web.admin_scoping import CoachScopedAdmin
from web.strava.models import StravaActivityLink, StravaConnection


@admin.register(StravaConnection)
class StravaConnectionAdmin(CoachScopedAdmin):
    athlete_path = "user"
    coach_can_edit = False
    list_display = ("user", "strava_athlete_id", "backfill_done", "backfill_imported", "backfill_waiting")
    fields = (
        "user",
        "strava_athlete_id",
        "scopes",
        "expires_at",
        "connected_at",
        "backfill_done",
        "backfill_seen",
        "backfill_imported",
        "backfill_waiting",
        "backfill_resume_at",
    )
    readonly_fields = fields


@admin.register(StravaActivityLink)
class StravaActivityLinkAdmin(CoachScopedAdmin):
    athlete_path = "user"
    coach_can_edit = False
    list_display = ("strava_activity_id", "activity", "user", "from_strava")
    readonly_fields = ("strava_activity_id", "activity", "user", "from_strava")
