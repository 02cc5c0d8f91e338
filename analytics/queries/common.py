"""What every query shares: tables, the athlete's physiology, the date window."""

from __future__ import annotations

import datetime as dt
from typing import Final

from sqlalchemy import Connection, select

from analytics import schema
from analytics.physiology import Physiology, resolve

activity: Final = schema.activity_table
features: Final = schema.features_table
athlete: Final = schema.athlete_table
daily_load: Final = schema.daily_load_table

NOT_ENOUGH_DATA: Final = "not enough data yet"


def today_utc() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def window(weeks: int, today: dt.date | None) -> tuple[dt.date, dt.date]:
    """The local days covered by "the last ``weeks`` weeks", today included, starting on a Monday."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    until = today or today_utc()
    this_monday = until - dt.timedelta(days=until.weekday())
    return this_monday - dt.timedelta(weeks=weeks - 1), until


def period(
    weeks: int, today: dt.date | None, start: dt.date | None = None, end: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """The local days a query covers: ``start`` to ``end`` when given (both included), else :func:`window`.

    A missing ``end`` is ``today``; a missing ``start`` is the start of the ``weeks`` weeks up to ``end``.
    """
    until = end or today or today_utc()
    since = start or window(weeks, until)[0]
    if since > until:
        raise ValueError("start must not be after end")
    return since, until


def physiology(conn: Connection, athlete_id: int, today: dt.date | None = None) -> Physiology | None:
    """The athlete's physiology with estimates filled in; None if the athlete is unknown."""
    row = conn.execute(select(athlete).where(athlete.c.id == athlete_id)).first()
    if row is None:
        return None
    return resolve(
        sex=row.sex, birth_year=row.birth_year, hr_max=row.hr_max, hr_rest=row.hr_rest, today=today
    )
