"""Who may see whose data. Every front (admin, web, API, bot, the coach's tools) asks here.

The rule: users see their own data; a coach sees the data of the athletes they
coach; superusers see everything. Keeping it in one function means one place
to audit.

Opening one athlete's data (:func:`athlete_seen_by`, :func:`can_view_athlete`) also records the
access when the viewer is someone else (``web.accounts.access``): the door says *what* it opens,
and the athlete reads the record on their "Who saw my data" page. :func:`visible_athletes` only
scopes queries; a door that lists several athletes' data records them itself
(:func:`web.accounts.access.record_accesses`).
"""

from __future__ import annotations

from django.db.models import QuerySet

from web.accounts.access import record_access
from web.accounts.models import User


def visible_athletes(viewer: User) -> QuerySet[User]:
    """The athletes whose data ``viewer`` may read and edit."""
    if viewer.is_superuser:
        return User.objects.all()
    if viewer.is_coach:
        return User.objects.filter(coach=viewer, is_active=True)
    return User.objects.filter(pk=viewer.pk)


def athlete_seen_by(viewer: User, athlete_id: int | None, what: str) -> User | None:
    """The athlete ``athlete_id`` if ``viewer`` may see them (the access recorded), else None."""
    if athlete_id is None:
        return None
    if athlete_id == viewer.pk:
        return viewer
    athlete = visible_athletes(viewer).filter(pk=athlete_id).first()
    if athlete is not None:
        record_access(viewer, athlete, what)
    return athlete


def can_view_athlete(viewer: User, athlete_id: int | None, *, what: str) -> bool:
    """Whether ``viewer`` may see ``athlete_id``'s data; a yes to someone else is recorded as ``what``."""
    if athlete_id is None:
        return False
    if viewer.pk == athlete_id:
        return True
    if visible_athletes(viewer).filter(pk=athlete_id).exists():
        record_access(viewer, athlete_id, what)
        return True
    return False
