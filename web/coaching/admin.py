"""Admin for conversations. A coach reads their athletes' conversations; nobody edits them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from web.admin_scoping import CoachScopedAdmin, CoachScopedInline, athlete_filter
from web.coaching.models import AthleteFact, CoachingSession, Message


class MessageInline(CoachScopedInline, admin.TabularInline):  # type: ignore[type-arg]
    model = Message
    extra = 0
    fields = ("created_at", "role", "language", "content", "tool_calls")
    readonly_fields = fields
    can_delete = False
    coach_can_edit = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CoachingSession)
class CoachingSessionAdmin(CoachScopedAdmin):
    athlete_path = "athlete"
    coach_can_edit = False
    list_display = ("athlete", "channel", "started_at", "last_message_at")
    list_filter = (athlete_filter("athlete"), "channel")
    list_select_related = ("athlete",)
    readonly_fields = ("athlete", "channel", "started_at", "last_message_at")
    inlines = (MessageInline,)


@admin.register(AthleteFact)
class AthleteFactAdmin(CoachScopedAdmin):
    """What the athlete told the AI coach about themselves; their coach reads and corrects it."""

    athlete_path = "athlete"
    list_display = ("athlete", "kind", "text", "days_per_week", "active", "created_at")
    list_filter = (athlete_filter("athlete"), "kind", "active")
    list_select_related = ("athlete",)
    readonly_fields = ("created_at",)
