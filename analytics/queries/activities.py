"""What the analytics engine derived for given activities: their training load and how it was had."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Connection, select

from analytics.queries.common import activity


@dataclass(frozen=True)
class ActivityLoad:
    """An activity's training load as the analytics store holds it (the one the web page shows).

    ``method`` is how it was had: ``hr_samples`` or ``hr_avg`` (Banister TRIMP from
    the recorded heart rate), or ``source`` (the load the file or person reported).
    """

    training_load: float | None
    method: str | None


def activity_loads(
    conn: Connection, athlete_id: int, activity_ids: Collection[int]
) -> dict[int, ActivityLoad]:
    """The load of each of ``activity_ids`` that the store holds, by id; one query, one athlete.

    An activity absent from the result is not synced yet (or not the athlete's).
    """
    if not activity_ids:
        return {}
    a = activity.c
    rows = conn.execute(
        select(a.id, a.training_load, a.load_method).where(
            a.athlete_id == athlete_id, a.id.in_(list(activity_ids))
        )
    )
    return {
        int(row.id): ActivityLoad(
            float(row.training_load) if row.training_load is not None else None, row.load_method
        )
        for row in rows
    }
