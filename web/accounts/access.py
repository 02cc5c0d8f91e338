"""The record of who saw an athlete's data: one function, called by the scoping layer.

``record_access(viewer, athlete, what)`` notes that ``viewer`` read or changed ``athlete``'s
data; ``what`` is a short code (``dashboard``, ``activity:123``, ``plan``, ``api:analytics/zones``,
``admin:activities.activity:123``, ``tool:weekly_summary``…). Every door asks
``web.accounts.scoping`` before it opens an athlete's data, and scoping calls this, so no
door forgets to record (the admin's lists, which show several athletes' rows at once,
record each athlete on the page: ``web/admin_scoping.py``).

Decisions:
- the athlete's own reads are never recorded: the record is of someone *else* seeing their
  data (their coach, or a superuser of the server, who is recorded the same way);
- deduplicated per viewer, athlete, ``what`` and clock hour (UTC): one row whose time is the
  first access of the hour. A page that reads the data twenty times writes one row, and a
  coach who comes back an hour later is seen again. The insert ignores a row already there,
  so two requests in the same hour cannot fail on the unique constraint;
- kept ``FOULEE_RETENTION_ACCESS_LOG_DAYS`` (a year by default) by ``foulee purge``, deleted
  with the athlete's account, exported with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

from django.utils import timezone

from web.accounts.models import AccessRecord, User

#: The longest code stored (the column's length); a longer one is cut.
MAX_WHAT: Final = AccessRecord._meta.get_field("what").max_length or 64


def _hour_of(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def record_access(viewer: User, athlete: User | int, what: str, *, now: dt.datetime | None = None) -> None:
    """Note that ``viewer`` read or changed ``athlete``'s data (nothing when it is their own)."""
    record_accesses(viewer, [athlete.pk if isinstance(athlete, User) else athlete], what, now=now)


def record_accesses(
    viewer: User, athlete_ids: Iterable[int | None], what: str, *, now: dt.datetime | None = None
) -> None:
    """:func:`record_access` for several athletes at once (a list that shows each of them)."""
    ids = {pk for pk in athlete_ids if pk is not None and pk != viewer.pk}
    if not ids or viewer.pk is None:
        return
    moment = now or timezone.now()
    hour = _hour_of(moment)
    code = what[:MAX_WHAT]
    AccessRecord.objects.bulk_create(
        [AccessRecord(athlete_id=pk, viewer=viewer, what=code, hour=hour, at=moment) for pk in sorted(ids)],
        ignore_conflicts=True,
    )
