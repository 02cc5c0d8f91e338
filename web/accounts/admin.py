"""Admin for people. A coach sees and edits their own athletes, never anyone else."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foulee import formatting
from foulee.units import km
from web.accounts.models import ApiToken, AthleteProfile, TelegramLink, User
from web.admin_scoping import CoachScopedAdmin, CoachScopedInline, RecordsAccess

#: The "weekly km" column covers this rolling window, ending now.
WEEK = dt.timedelta(days=7)


class AthleteProfileInline(CoachScopedInline, admin.StackedInline):  # type: ignore[type-arg]
    model = AthleteProfile
    can_delete = False
    fields = ("birth_year", "sex", "weight_kg", "hr_max", "hr_rest", "language", "timezone")


@admin.register(User)
class UserAdmin(CoachScopedAdmin, DjangoUserAdmin):  # type: ignore[type-arg]
    """Athletes and coaches. For a coach, the list is "my athletes" with their recent training."""

    athlete_path = "pk"
    ordering = ("full_name", "email")
    list_display = ("email", "full_name", "role", "coach", "last_activity", "week_km")
    list_filter = ("role", "is_active")
    search_fields = ("email", "full_name")
    inlines = (AthleteProfileInline,)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "role", "coach")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "role", "password1", "password2")}),
    )
    coach_fieldsets = (
        (None, {"fields": ("email", "full_name")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        week_ago = timezone.now() - WEEK
        users: QuerySet[User] = super().get_queryset(request)
        return users.select_related("coach").annotate(
            last_activity_at=Max("activities__start_time"),
            week_distance_m=Coalesce(
                Sum("activities__distance_m", filter=Q(activities__start_time__gte=week_ago)), 0.0
            ),
        )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.coach_fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.is_superuser:
            return ("last_login", "date_joined")
        # A coach may fix an athlete's name and profile, not their login or role.
        return ("email", "last_login", "date_joined")

    def get_list_filter(self, request: HttpRequest) -> Any:
        return self.list_filter if request.user.is_superuser else ()

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        # Athletes join by signing up or through the bot, then choose their coach.
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    @admin.display(description=_("last activity"), ordering="last_activity_at")
    def last_activity(self, user: Any) -> Any:
        return user.last_activity_at or "—"

    @admin.display(description=_("km, last 7 days"), ordering="week_distance_m")
    def week_km(self, user: Any) -> str:
        return formatting.number(km(user.week_distance_m), 1)


@admin.register(TelegramLink)
class TelegramLinkAdmin(RecordsAccess):
    """Superusers only: a link is a credential."""

    athlete_path = "user"
    list_display = ("user", "username", "telegram_user_id", "linked_at")
    readonly_fields = ("link_code_hash", "link_code_expires_at", "linked_at", "created_at", "updated_at")
    search_fields = ("user__email", "username")


@admin.register(ApiToken)
class ApiTokenAdmin(RecordsAccess):
    """Superusers only. Tokens are issued with `foulee token create`, which shows the secret once."""

    athlete_path = "user"
    list_display = ("name", "user", "key_prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "key_prefix", "key_hash", "created_at", "last_used_at")
    search_fields = ("name", "user__email", "key_prefix")
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
