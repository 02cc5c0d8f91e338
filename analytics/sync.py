"""Django → analytics sync: incremental, batched, idempotent and resumable.

Three streams, in this order on every run:

1. **athletes** — profiles changed since the watermark. A change of physiology
   (HR max or rest, sex, birth year) re-derives that athlete's loads.
2. **activities** — activities whose ``(updated_at, id)`` is past the
   watermark, read in batches in that order and upserted. Each batch commits
   together with the new watermark, so a crash loses nothing and repeats
   nothing.
3. **tombstones** — ``DeletedRecord`` rows, applied, committed, then removed
   from Django (re-applying a deletion is harmless).

Each run re-reads the last ``LOOKBACK`` before the watermark: a transaction
that stamped ``updated_at`` early but committed late is still seen. Rows whose
``updated_at`` the store already has are skipped, so running the sync twice
changes nothing. Daily loads are rebuilt for every (athlete, day) a batch
touched, old days of moved activities included.

Unlike a "synced" flag, the watermark sees later edits: an edit bumps
``updated_at`` (Django's ``auto_now``) and the activity flows again.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import pandas as pd
from django.db import connection as django_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from sqlalchemy import Connection, Engine, Table, and_, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from analytics import schema
from analytics.db import WRITE, get_engine
from analytics.features import SOURCE_COLUMNS, AthleteContext, derive
from analytics.physiology import resolve
from web.accounts.models import AthleteProfile
from web.activities.models import Activity, DeletedRecord

logger = logging.getLogger(__name__)

LOOKBACK: Final = dt.timedelta(minutes=5)
BATCH_SIZE: Final = 5000
EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

ATHLETES: Final = "athletes"
ACTIVITIES: Final = "activities"

#: Django field for each column of :data:`analytics.features.SOURCE_COLUMNS`.
ACTIVITY_FIELDS: Final = {
    "id": "id",
    "athlete_id": "user_id",
    "sport": "sport",
    "start_time": "start_time",
    "distance_m": "distance_m",
    "duration_s": "duration_s",
    "moving_time_s": "moving_time_s",
    "elevation_gain_m": "elevation_gain_m",
    "avg_hr": "avg_hr",
    "max_hr": "max_hr",
    "avg_speed_mps": "avg_speed_mps",
    "max_speed_mps": "max_speed_mps",
    "avg_cadence_spm": "avg_cadence_spm",
    "source_load": "training_load",
    "source_updated_at": "updated_at",
}
ATHLETE_FIELDS: Final = {
    "id": "user_id",
    "sex": "sex",
    "birth_year": "birth_year",
    "hr_max": "hr_max",
    "hr_rest": "hr_rest",
    "timezone": "timezone",
    "source_updated_at": "updated_at",
}
PHYSIOLOGY: Final = ("sex", "birth_year", "hr_max", "hr_rest", "timezone")

athlete_table: Table = schema.Athlete.__table__  # type: ignore[assignment]
activity_table: Table = schema.Activity.__table__  # type: ignore[assignment]
features_table: Table = schema.ActivityFeatures.__table__  # type: ignore[assignment]
daily_load_table: Table = schema.DailyLoad.__table__  # type: ignore[assignment]
state_table: Table = schema.SyncState.__table__  # type: ignore[assignment]


@dataclass
class SyncReport:
    athletes: int = 0
    activities: int = 0
    unchanged: int = 0
    deleted_activities: int = 0
    deleted_athletes: int = 0
    seconds: float = 0.0
    batches: int = 0
    recomputed_athletes: set[int] = field(default_factory=set)

    def summary(self) -> str:
        return (
            f"{self.activities} activities and {self.athletes} athletes synced, "
            f"{self.unchanged} unchanged, {self.deleted_activities} activities and "
            f"{self.deleted_athletes} athletes deleted, in {self.seconds:.2f} s"
        )


_run_lock = threading.Lock()
_pending = threading.Event()


def sync(engine: Engine | None = None, *, batch_size: int = BATCH_SIZE) -> SyncReport:
    """Bring the analytics store up to date with the system of record."""
    with _run_lock:
        return _sync(engine or get_engine(), batch_size)


def _sync(engine: Engine, batch_size: int) -> SyncReport:
    report = SyncReport()
    started = time.perf_counter()
    _sync_athletes(engine, report, batch_size)
    while _sync_activity_batch(engine, report, batch_size):
        report.batches += 1
    _apply_tombstones(engine, report)
    report.seconds = time.perf_counter() - started
    return report


def request_sync() -> None:
    """Sync once the current transaction commits (or now, outside one)."""
    transaction.on_commit(_run_requested, robust=True)


def _run_requested() -> None:
    """Run a sync now, unless one is running in this process: that one then runs again.

    Saves in many threads (ASGI workers) thus cost one running sync and at most
    one queued behind it, never a pile of them.
    """
    _pending.set()
    while _pending.is_set():
        if not _run_lock.acquire(blocking=False):
            return
        try:
            _pending.clear()
            _sync(get_engine(), BATCH_SIZE)
        except Exception:
            logger.exception("analytics sync failed; the next change or `foulee sync` will retry")
            return
        finally:
            _run_lock.release()


# --- reading the system of record ------------------------------------------------------------


def _read(queryset: QuerySet[Any], fields: dict[str, str]) -> pd.DataFrame:
    """Rows of ``queryset`` as a DataFrame, through one raw cursor (no model instances).

    The ORM still builds the SQL; skipping instance creation is what makes
    a backfill of a million activities take seconds rather than minutes.
    """
    sql, params = queryset.values_list(*fields.values()).query.sql_with_params()
    with django_connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    frame = pd.DataFrame.from_records(rows, columns=list(fields))
    if "source_updated_at" in frame:
        frame["source_updated_at"] = _utc(frame["source_updated_at"])
    if "start_time" in frame:
        frame["start_time"] = _utc(frame["start_time"])
    return frame


def _utc(column: pd.Series) -> pd.Series:
    # SQLite hands back naive UTC strings or datetimes, PostgreSQL aware ones.
    return pd.to_datetime(column, utc=True, format="ISO8601")


def _after(watermark_at: dt.datetime, watermark_id: int) -> Q:
    """Rows strictly after (at, id) in (updated_at, id) order, written to use the index."""
    return Q(updated_at__gte=watermark_at) & (Q(updated_at__gt=watermark_at) | Q(id__gt=watermark_id))


# --- state ------------------------------------------------------------------------------------


def _read_state(conn: Connection, stream: str) -> tuple[dt.datetime, int]:
    query = select(state_table.c.watermark_at, state_table.c.watermark_id).where(
        state_table.c.stream == stream
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None or row.watermark_at is None:
        return EPOCH, 0
    return row.watermark_at, int(row.watermark_id)


def _write_state(conn: Connection, stream: str, at: dt.datetime, last_id: int) -> None:
    _upsert(
        conn,
        state_table,
        [
            {
                "stream": stream,
                "watermark_at": at,
                "watermark_id": last_id,
                "last_run_at": dt.datetime.now(dt.UTC),
            }
        ],
        keys=("stream",),
    )


# --- athletes ---------------------------------------------------------------------------------


def _sync_athletes(engine: Engine, report: SyncReport, batch_size: int) -> None:
    with engine.connect().execution_options(**WRITE) as conn, conn.begin():
        watermark_at, _ = _read_state(conn, ATHLETES)
        profiles = AthleteProfile.objects.filter(updated_at__gte=watermark_at - LOOKBACK).order_by(
            "updated_at", "id"
        )
        frame = _read(profiles, ATHLETE_FIELDS)
        if frame.empty:
            return
        changed = _upsert_athletes(conn, frame)
        report.athletes += len(changed)
        for athlete_id in changed:
            _rederive_athlete(conn, athlete_id)
            report.recomputed_athletes.add(athlete_id)
        _write_state(conn, ATHLETES, frame["source_updated_at"].max().to_pydatetime(), 0)


def _upsert_athletes(conn: Connection, frame: pd.DataFrame) -> list[int]:
    """Upsert athletes; return those that are new or whose physiology changed."""
    ids = [int(value) for value in frame["id"]]
    existing = {row.id: row for row in conn.execute(select(athlete_table).where(athlete_table.c.id.in_(ids)))}
    rows = _records(frame)
    fresh = [row for row in rows if _athlete_changed(existing.get(row["id"]), row)]
    if fresh:
        _upsert(conn, athlete_table, fresh, keys=("id",))
    return [
        row["id"]
        for row in fresh
        if row["id"] in existing
        and any(getattr(existing[row["id"]], name) != row[name] for name in PHYSIOLOGY)
    ]


def _athlete_changed(existing: Any, row: dict[str, Any]) -> bool:
    return existing is None or existing.source_updated_at != row["source_updated_at"]


def _ensure_athletes(conn: Connection, athlete_ids: Iterable[int]) -> None:
    """Sync athletes that activities refer to but the store has not seen yet."""
    wanted = set(athlete_ids)
    known: set[int] = set(
        conn.execute(select(athlete_table.c.id).where(athlete_table.c.id.in_(wanted))).scalars()
    )
    missing = wanted - known
    if missing:
        _upsert_athletes(conn, _read(AthleteProfile.objects.filter(user_id__in=missing), ATHLETE_FIELDS))


def _contexts(conn: Connection, athlete_ids: Iterable[int]) -> dict[int, AthleteContext]:
    rows = conn.execute(select(athlete_table).where(athlete_table.c.id.in_(set(athlete_ids))))
    return {
        row.id: AthleteContext(
            physiology=resolve(
                sex=row.sex, birth_year=row.birth_year, hr_max=row.hr_max, hr_rest=row.hr_rest
            ),
            timezone=row.timezone,
        )
        for row in rows
    }


# --- activities -------------------------------------------------------------------------------


def _sync_activity_batch(engine: Engine, report: SyncReport, batch_size: int) -> bool:
    """Sync one batch; True when a full batch was read (there may be more)."""
    with engine.connect().execution_options(**WRITE) as conn, conn.begin():
        watermark_at, watermark_id = _read_state(conn, ACTIVITIES)
        if report.batches == 0 and watermark_at > EPOCH:
            watermark_at, watermark_id = watermark_at - LOOKBACK, 0
        queryset = Activity.objects.filter(_after(watermark_at, watermark_id)).order_by("updated_at", "id")
        batch = _read(queryset[:batch_size], ACTIVITY_FIELDS)
        if batch.empty:
            return False
        last = batch.iloc[-1]
        changed = _changed_rows(conn, batch)
        report.unchanged += len(batch) - len(changed)
        if not changed.empty:
            _ensure_athletes(conn, changed["athlete_id"].unique().tolist())
            old_days = _days_of(conn, changed["id"].tolist())
            _write_activities(conn, changed, _contexts(conn, changed["athlete_id"].unique().tolist()))
            _rebuild_daily_loads(conn, old_days + _days_of(conn, changed["id"].tolist()))
            report.activities += len(changed)
        _write_state(conn, ACTIVITIES, last["source_updated_at"].to_pydatetime(), int(last["id"]))
        return len(batch) == batch_size


def _changed_rows(conn: Connection, batch: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``batch`` the store does not already have at this version."""
    ids = [int(value) for value in batch["id"]]
    query = select(activity_table.c.id, activity_table.c.source_updated_at).where(
        activity_table.c.id.in_(ids)
    )
    known = {int(row.id): row.source_updated_at for row in conn.execute(query)}
    if not known:
        return batch
    stale = [
        known.get(int(row_id)) != updated
        for row_id, updated in zip(batch["id"], batch["source_updated_at"], strict=True)
    ]
    return batch[stale]


def _write_activities(conn: Connection, batch: pd.DataFrame, contexts: dict[int, AthleteContext]) -> None:
    activities, features = derive(batch[list(SOURCE_COLUMNS)], contexts)
    _upsert(conn, activity_table, _records(activities), keys=("id",))
    # Features computed from samples (at import) are better than the summary's: keep them.
    _upsert(
        conn,
        features_table,
        _records(features),
        keys=("activity_id",),
        only_where=features_table.c.from_samples.is_(False),
    )


def _rederive_athlete(conn: Connection, athlete_id: int) -> None:
    """Recompute loads and features of all an athlete's activities after a profile change."""
    columns = [activity_table.c[name] for name in SOURCE_COLUMNS]
    rows = conn.execute(select(*columns).where(activity_table.c.athlete_id == athlete_id)).all()
    if not rows:
        return
    batch = pd.DataFrame.from_records(rows, columns=list(SOURCE_COLUMNS))
    _write_activities(conn, batch, _contexts(conn, [athlete_id]))
    _rebuild_daily_loads(conn, _days_of(conn, batch["id"].tolist()))


# --- tombstones -------------------------------------------------------------------------------


def _apply_tombstones(engine: Engine, report: SyncReport) -> None:
    while True:
        records = list(
            DeletedRecord.objects.order_by("id").values_list("id", "kind", "object_id")[:BATCH_SIZE]
        )
        if not records:
            return
        activity_ids = [object_id for _, kind, object_id in records if kind == DeletedRecord.Kind.ACTIVITY]
        athlete_ids = [object_id for _, kind, object_id in records if kind == DeletedRecord.Kind.ATHLETE]
        with engine.connect().execution_options(**WRITE) as conn, conn.begin():
            days = _days_of(conn, activity_ids)
            for chunk in _chunks(activity_ids):
                report.deleted_activities += conn.execute(
                    delete(activity_table).where(activity_table.c.id.in_(chunk))
                ).rowcount
            for chunk in _chunks(athlete_ids):
                for table in (daily_load_table, features_table, activity_table):
                    column = table.c.athlete_id
                    conn.execute(delete(table).where(column.in_(chunk)))
                report.deleted_athletes += conn.execute(
                    delete(athlete_table).where(athlete_table.c.id.in_(chunk))
                ).rowcount
            _rebuild_daily_loads(
                conn, [(athlete, day) for athlete, day in days if athlete not in set(athlete_ids)]
            )
        DeletedRecord.objects.filter(id__in=[record_id for record_id, _, _ in records]).delete()


# --- daily load -------------------------------------------------------------------------------


def _days_of(conn: Connection, activity_ids: Sequence[int]) -> list[tuple[int, dt.date]]:
    days: list[tuple[int, dt.date]] = []
    for chunk in _chunks(activity_ids):
        query = select(activity_table.c.athlete_id, activity_table.c.local_date).where(
            activity_table.c.id.in_(chunk)
        )
        days.extend((int(row.athlete_id), row.local_date) for row in conn.execute(query))
    return days


def _rebuild_daily_loads(conn: Connection, days: Iterable[tuple[int, dt.date]]) -> None:
    """Recompute daily load rows for the span of days touched, per athlete."""
    spans: dict[int, tuple[dt.date, dt.date]] = {}
    for athlete, day in days:
        low, high = spans.get(athlete, (day, day))
        spans[athlete] = (min(low, day), max(high, day))
    for athlete, (low, high) in spans.items():
        conn.execute(
            delete(daily_load_table).where(
                daily_load_table.c.athlete_id == athlete,
                daily_load_table.c.day.between(low, high),
            )
        )
        activity = activity_table.c
        totals = (
            select(
                activity.athlete_id,
                activity.local_date,
                func.coalesce(func.sum(activity.training_load), 0.0),
                func.sum(activity.distance_m),
                func.sum(activity.moving_time_s),
                func.count(),
            )
            .where(and_(activity.athlete_id == athlete, activity.local_date.between(low, high)))
            .group_by(activity.athlete_id, activity.local_date)
        )
        conn.execute(
            insert(daily_load_table).from_select(
                ["athlete_id", "day", "load", "distance_m", "moving_time_s", "activity_count"], totals
            )
        )


# --- writing ----------------------------------------------------------------------------------


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as dicts with None for missing values and plain Python scalars."""
    clean = frame.astype(object).where(frame.notna(), None)
    return [
        {
            str(key): (value.to_pydatetime() if isinstance(value, pd.Timestamp) else value)
            for key, value in row.items()
        }
        for row in clean.to_dict("records")
    ]


def _upsert(
    conn: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    keys: Sequence[str],
    only_where: Any = None,
) -> None:
    """INSERT … ON CONFLICT (keys) DO UPDATE, on SQLite and PostgreSQL alike."""
    if not rows:
        return
    dialect_insert: Callable[..., Any] = (
        postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    )
    statement = dialect_insert(table)
    updates = {name: statement.excluded[name] for name in rows[0] if name not in keys}
    statement = statement.on_conflict_do_update(index_elements=list(keys), set_=updates, where=only_where)
    conn.execute(statement, list(rows))


def _chunks(values: Sequence[int], size: int = 1000) -> Iterable[list[int]]:
    for start in range(0, len(values), size):
        yield [int(value) for value in values[start : start + size]]
