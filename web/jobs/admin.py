"""Background jobs in the admin: a coach sees their athletes' jobs, an admin every job, read-only.

A ``dead`` job (every attempt failed) is listed with its last error: the dead
letters are looked at here, never dropped.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from web.admin_scoping import CoachScopedAdmin
from web.jobs.models import Job


@admin.register(Job)
class JobAdmin(CoachScopedAdmin):
    athlete_path = "owner"
    coach_can_edit = False
    list_display = ("id", "kind", "owner", "status", "attempts", "created_at", "finished_at")
    list_filter = ("status", "kind")
    readonly_fields = (
        "kind",
        "owner",
        "status",
        "attempts",
        "payload",
        "result",
        "error",
        "created_at",
        "started_at",
        "finished_at",
    )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
