"""Admin classes that show a coach only their own athletes' data.

Coaches are staff without Django model permissions: what they may do is decided
here from their role and :func:`web.accounts.scoping.visible_athletes`, so a
coach can never be granted another coach's athletes by a stray permission.
Superusers keep Django's normal behaviour and see everything.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from web.accounts.access import record_accesses
from web.accounts.models import User
from web.accounts.scoping import visible_athletes


def request_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def is_coach_request(request: HttpRequest) -> bool:
    user = request.user
    return bool(
        user.is_authenticated
        and isinstance(user, User)
        and user.is_active
        and user.is_staff
        and user.is_coach
        and not user.is_superuser
    )


class ScopedChoicesMixin:
    """Foreign-key pickers offer a coach only their athletes and objects that belong to them."""

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if not request.user.is_superuser:
            kwargs["queryset"] = scoped_choices(db_field.related_model, request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc, no-any-return]


def athlete_id_of(obj: models.Model, path: str) -> int | None:
    """The id of the athlete ``obj`` belongs to, along the ORM ``path`` (``"user"``, ``"pk"``…)."""
    *through, last = path.split("__")
    target: Any = obj
    for name in through:
        target = getattr(target, name, None)
        if target is None:
            return None
    value = target.pk if last == "pk" else getattr(target, f"{last}_id", None)
    return value if isinstance(value, int) else None


class RecordsAccess(admin.ModelAdmin):  # type: ignore[type-arg]
    """Admin pages of athlete-owned rows note who saw them in the athletes' access records.

    An object's page (change, delete, history) records ``admin:<app.model>:<id>``; a list
    records ``admin:<app.model>:list`` for each athlete with a row on the page shown
    (``web.accounts.access``). Superusers are recorded as coaches are.
    """

    athlete_path: ClassVar[str]

    def _what(self, detail: str) -> str:
        return f"admin:{self.model._meta.label_lower}:{detail}"

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and isinstance(request.user, User):
            record_accesses(request.user, [athlete_id_of(obj, self.athlete_path)], self._what(str(obj.pk)))
        return obj

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None and isinstance(request.user, User):
            ids = [athlete_id_of(obj, self.athlete_path) for obj in changelist.result_list]
            record_accesses(request.user, ids, self._what("list"))
        return response


class CoachScopedAdmin(ScopedChoicesMixin, RecordsAccess):
    """A ModelAdmin whose rows belong to an athlete, reached by ``athlete_path``.

    ``athlete_path`` is the ORM path from the model to its athlete (``"user"``,
    ``"plan__athlete"``…). ``coach_can_edit`` turns a coach's access into
    read-only when False (conversations, for instance, are the athlete's words).
    """

    athlete_path: ClassVar[str]
    coach_can_edit: ClassVar[bool] = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        user = request.user
        if user.is_superuser:
            return queryset
        if is_coach_request(request):
            return queryset.filter(**{f"{self.athlete_path}__in": visible_athletes(request_user(request))})
        return queryset.none()

    def _coach_may(self, request: HttpRequest, obj: models.Model | None, *, edit: bool) -> bool:
        if not is_coach_request(request) or (edit and not self.coach_can_edit):
            return False
        # Objects reach admin views through get_queryset, which is scoped; this
        # second check keeps a hand-built object from slipping through.
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or is_coach_request(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if request.user.is_superuser:
            return super().has_view_permission(request, obj)
        return self._coach_may(request, obj, edit=False)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if request.user.is_superuser:
            return super().has_change_permission(request, obj)
        return self._coach_may(request, obj, edit=True)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        if request.user.is_superuser:
            return super().has_add_permission(request, *args)
        return is_coach_request(request) and self.coach_can_edit

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if request.user.is_superuser:
            return super().has_delete_permission(request, obj)
        return self._coach_may(request, obj, edit=True)


def scoped_choices(model: Any, request: HttpRequest) -> QuerySet[Any]:
    """The objects of ``model`` a non-superuser may pick in a form."""
    user = request_user(request)
    athletes = visible_athletes(user) if is_coach_request(request) else User.objects.none()
    if model is User:
        return athletes
    for field_name in ("user", "athlete"):
        if any(field.name == field_name for field in model._meta.get_fields()):
            return model._default_manager.filter(**{f"{field_name}__in": athletes})  # type: ignore[no-any-return]
    return model._default_manager.none()  # type: ignore[no-any-return]


class ScopedAthleteFilter(admin.SimpleListFilter):
    """Filter rows by athlete, listing only athletes the viewer may see.

    Django's default related-field filter would list every user in the
    database, leaking other coaches' athletes' names.
    """

    title = _("athlete")
    parameter_name = "athlete"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[Any, str]]:
        athletes = (
            visible_athletes(request_user(request)).filter(role="athlete").order_by("full_name", "email")
        )
        return [(athlete.pk, str(athlete)) for athlete in athletes]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value is None:
            return queryset
        path = getattr(self, "athlete_path", "user")
        return queryset.filter(**{f"{path}__pk": value}) if value.isdigit() else queryset.none()


def athlete_filter(path: str) -> type[ScopedAthleteFilter]:
    """A :class:`ScopedAthleteFilter` for models whose athlete lives at ``path``."""
    return type(f"ScopedAthleteFilter_{path}", (ScopedAthleteFilter,), {"athlete_path": path})


class CoachScopedInline(ScopedChoicesMixin, admin.options.InlineModelAdmin):  # type: ignore[type-arg]
    """An inline under a :class:`CoachScopedAdmin` page.

    The parent page has already checked that the coach may see the parent
    object, so the inline only needs to check who is asking, and to scope the
    choices its foreign keys offer.
    """

    coach_can_edit: ClassVar[bool] = True

    def _allowed(self, request: HttpRequest, *, edit: bool) -> bool:
        if request.user.is_superuser:
            return True
        return is_coach_request(request) and (self.coach_can_edit or not edit)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, edit=False)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, edit=True)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, edit=True)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, edit=True) and self.can_delete
