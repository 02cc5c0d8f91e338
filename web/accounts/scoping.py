"""Who may see whose data. Every front (admin, web, API, bot) asks here.

The rule: users see their own data; a coach sees the data of the athletes they
coach; superusers see everything. Keeping it in one function means one place
to audit.
"""

from __future__ import annotations

from django.db.models import QuerySet

from web.accounts.models import User


def visible_athletes(viewer: User) -> QuerySet[User]:
    """The athletes whose data ``viewer`` may read and edit."""
    if viewer.is_superuser:
        return User.objects.all()
    if viewer.is_coach:
        return User.objects.filter(coach=viewer, is_active=True)
    return User.objects.filter(pk=viewer.pk)


def can_view_athlete(viewer: User, athlete_id: int | None) -> bool:
    if athlete_id is None:
        return False
    if viewer.is_superuser or viewer.pk == athlete_id:
        return True
    return visible_athletes(viewer).filter(pk=athlete_id).exists()
