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

Each run first re-checks the last ``LOOKBACK`` before the watermark: a
transaction that stamped ``updated_at`` early but committed late is still seen.
It reads only their ``(id, updated_at)``, then whole the rows whose
``updated_at`` the store does not have. Rows the store has at their version are
skipped everywhere, so running the sync twice changes nothing. Daily loads are
brought up to date for every (athlete, day) a batch touched, old days of moved
activities included.

Unlike a "synced" flag, the watermark sees later edits: an edit bumps
``updated_at`` (Django's ``auto_now``) and the activity flows again.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
from django.db import connection as django_connection
from django.db import transaction
from django.db.models import BooleanField, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from sqlalchemy import Connection, Engine, Row, delete, func, select

from analytics import bulk, sync_samples
from analytics.db import WRITE, driver_frame, get_engine, to_frame
from analytics.features import SOURCE_COLUMNS, AthleteContext, derive
from analytics.physiology import resolve
from analytics.schema import (
    activity_table,
    athlete_table,
    daily_load_table,
    samples_table,
    state_table,
)
from web.accounts.models import AthleteProfile
from web.activities.models import Activity, DeletedRecord

logger = logging.getLogger(__name__)

LOOKBACK: Final = dt.timedelta(minutes=5)
BATCH_SIZE: Final = 50_000
EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

ATHLETES: Final = "athletes"
ACTIVITIES: Final = "activities"

#: Django field for each column of :data:`analytics.features.SOURCE_COLUMNS`, and the original file.
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
    "original_file": "original_file",
    "file_checksum": "file_checksum",
    "file_leg": "file_leg",
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
#: Django fields read as text (see ``_read``).
TIMESTAMP_FIELDS: Final = ("start_time", "updated_at")


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


@dataclass(frozen=True)
class StoreTotals:
    """What the analytics store holds, whatever the last sync had to do."""

    activities: int
    athletes: int
    with_samples: int

    def summary(self) -> str:
        return (
            f"{self.activities} activities of {self.athletes} athletes in the store, "
            f"{self.with_samples} of them with samples"
        )


def store_totals(engine: Engine | None = None) -> StoreTotals:
    """Count the store's activities, the athletes they belong to, and those with samples.

    A sync that found nothing new says "0 synced": these totals say what is there.
    """
    a = activity_table.c
    with (engine or get_engine()).connect() as conn:
        activities, athletes = conn.execute(
            select(func.count(), func.count(a.athlete_id.distinct())).select_from(activity_table)
        ).one()
        with_samples = conn.execute(select(func.count()).select_from(samples_table)).scalar_one()
    return StoreTotals(activities=int(activities), athletes=int(athletes), with_samples=int(with_samples))


_run_lock = threading.Lock()
_pending = threading.Event()


def sync(engine: Engine | None = None, *, batch_size: int = BATCH_SIZE) -> SyncReport:
    """Bring the analytics store up to date with the system of record."""
    with _run_lock:
        return _sync(engine or get_engine(), batch_size)


def _sync(engine: Engine, batch_size: int) -> SyncReport:
    report = SyncReport()
    started = time.perf_counter()
    _sync_athletes(engine, report)
    _recheck_lookback(engine, report, batch_size)
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


def attach_samples(recorded: Mapping[int, pd.DataFrame], engine: Engine | None = None) -> int:
    """Store samples recorded without a file (the demo's), by activity id, with their features.

    Syncs first, so the activities' rows are in the store; activities it still lacks
    are left out. The days of those that got samples have their loads rebuilt, as
    the TRIMP over the samples replaces the one from the average HR. Returns how
    many activities got samples.
    """
    engine = engine or get_engine()
    with _run_lock:
        _sync(engine, BATCH_SIZE)
        with engine.connect().execution_options(**WRITE) as conn, conn.begin():
            a = activity_table.c
            found: list[Row[Any]] = []
            for chunk in _chunks(list(recorded)):
                query = select(a.id, a.athlete_id, a.pace_ok, a.hr_ok, a.vdot, a.local_date)
                found.extend(conn.execute(query.where(a.id.in_(chunk))).all())
            activities = to_frame(
                found, columns=["id", "athlete_id", "pace_ok", "hr_ok", "vdot", "local_date"]
            )
            if activities.empty:
                return 0
            contexts = _contexts(conn, [int(value) for value in activities["athlete_id"].unique()])
            ids = [int(value) for value in activities["id"]]
            sync_samples.attach(
                conn, {activity_id: recorded[activity_id] for activity_id in ids}, activities, contexts
            )
            days = activities[["athlete_id", "local_date"]].rename(columns={"local_date": "day"})
            _rebuild_daily_loads(conn, days.drop_duplicates())
    return len(ids)


# --- reading the system of record ------------------------------------------------------------


def _read(queryset: QuerySet[Any], fields: dict[str, str]) -> pd.DataFrame:
    """Rows of ``queryset`` as a DataFrame, through one raw cursor (no model instances).

    The ORM still builds the SQL; skipping instance creation is what makes
    a backfill of a million activities take seconds rather than minutes.
    """
    frame = pd.DataFrame.from_records(_fetch(queryset, fields), columns=list(fields))
    if "source_updated_at" in frame:
        frame["source_updated_at"] = _utc(frame["source_updated_at"])
    if "start_time" in frame:
        frame["start_time"] = _utc(frame["start_time"])
    return frame


def _fetch(queryset: QuerySet[Any], fields: dict[str, str]) -> list[tuple[Any, ...]]:
    """The values of these fields of ``queryset``'s rows, timestamps as text.

    Django's converters (SQLite) and time-zone-aware loaders (PostgreSQL) parse
    timestamps one value at a time in Python, which cost more than the rest of
    the read: :func:`_read` parses the text with pandas, in one go.
    """
    columns: list[Any] = list(fields.values())
    texts = {name: Cast(name, TextField()) for name in TIMESTAMP_FIELDS if name in columns}
    queryset = queryset.annotate(**{f"{name}_text": cast for name, cast in texts.items()})
    columns = [f"{name}_text" if name in texts else name for name in columns]
    sql, params = queryset.values_list(*columns).query.sql_with_params()
    with django_connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def _utc(column: pd.Series) -> pd.Series:
    """Timestamps as aware UTC, parsed in one go.

    From Django, as text: SQLite's is naive UTC ("2026-03-01 08:00:00"), PostgreSQL's has
    its offset ("+00"), ISO as psycopg (so Django) needs the server's DateStyle to be
    (``to_char`` would not depend on it, and cost a second more per 200,000 rows). From
    the store: the same text on SQLite, psycopg's aware datetimes on PostgreSQL.
    """
    return pd.to_datetime(column, utc=True, format="ISO8601")


def _keyset(operator: str, at: dt.datetime, last_id: int) -> RawSQL:
    """Activities before or after ``(at, last_id)`` in ``(updated_at, id)`` order, by ``operator``.

    A row-value comparison: both backends answer it with one range scan of the
    (updated_at, id) index bounded at that point. The equivalent
    ``updated_at >= at AND (updated_at > at OR id > last)`` makes them start at
    ``at`` and filter, so a bulk import stamped with one ``updated_at`` was
    re-scanned from its first row by every batch: quadratic in its size.
    """
    if operator not in {">", "<="}:
        raise ValueError(f"not a keyset bound: {operator!r}")
    quote = django_connection.ops.quote_name
    table, stamp = quote(Activity._meta.db_table), django_connection.ops.adapt_datetimefield_value(at)
    return RawSQL(  # noqa: S611 (quoted names and a checked operator; the values are parameters)
        f"({table}.{quote('updated_at')}, {table}.{quote('id')}) {operator} (%s, %s)",
        (stamp, last_id),
        output_field=BooleanField(),
    )


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
    state = {
        "stream": stream,
        "watermark_at": at,
        "watermark_id": last_id,
        "last_run_at": dt.datetime.now(dt.UTC),
    }
    bulk.upsert(conn, state_table, pd.DataFrame([state]), keys=("stream",))


# --- athletes ---------------------------------------------------------------------------------


def _sync_athletes(engine: Engine, report: SyncReport) -> None:
    with engine.connect().execution_options(**WRITE) as conn, conn.begin():
        watermark_at, _ = _read_state(conn, ATHLETES)
        profiles = AthleteProfile.objects.filter(updated_at__gte=watermark_at - LOOKBACK).order_by(
            "updated_at", "id"
        )
        frame = _read(profiles, ATHLETE_FIELDS)
        if frame.empty:
            return
        written, rederive = _upsert_athletes(conn, frame)
        report.athletes += written
        for athlete_id in rederive:
            _rederive_athlete(conn, athlete_id)
            report.recomputed_athletes.add(athlete_id)
        _write_state(conn, ATHLETES, frame["source_updated_at"].max().to_pydatetime(), 0)


def _upsert_athletes(conn: Connection, frame: pd.DataFrame) -> tuple[int, list[int]]:
    """Upsert new or changed athletes; return how many, and those whose physiology changed."""
    ids = [int(value) for value in frame["id"]]
    existing = {row.id: row for row in conn.execute(select(athlete_table).where(athlete_table.c.id.in_(ids)))}
    frame = frame.astype(object).where(frame.notna(), None)
    rows: list[dict[str, Any]] = frame.to_dict("records")  # type: ignore[assignment]
    changed = [_athlete_changed(existing.get(int(row["id"])), row) for row in rows]
    bulk.upsert(conn, athlete_table, frame[changed], keys=("id",))
    rederive = [
        int(row["id"])
        for row, fresh in zip(rows, changed, strict=True)
        if fresh
        and int(row["id"]) in existing
        and any(getattr(existing[int(row["id"])], name) != row[name] for name in PHYSIOLOGY)
    ]
    return sum(changed), rederive


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


def _recheck_lookback(engine: Engine, report: SyncReport, batch_size: int) -> None:
    """Apply what the store lacks of the activities stamped in the ``LOOKBACK`` before the watermark.

    A transaction may stamp ``updated_at`` before another that commits first: its rows then
    land behind the watermark. Only their ``(id, updated_at)`` are read at first (Django's
    ``(updated_at, id)`` index holds both), a batch at a time, and compared with the store;
    the few rows it lacks are then read whole. Right after a bulk import every row of the
    window is re-checked, so the narrow read is what keeps that case cheap.
    """
    with engine.connect().execution_options(**WRITE) as conn, conn.begin():
        watermark_at, watermark_id = _read_state(conn, ACTIVITIES)
        if watermark_at == EPOCH:
            return
        after_at, after_id = watermark_at - LOOKBACK, 0
        while True:
            window = Activity.objects.filter(
                _keyset(">", after_at, after_id), _keyset("<=", watermark_at, watermark_id)
            ).order_by("updated_at", "id")
            stamps = _read(window[:batch_size], {"id": "id", "source_updated_at": "updated_at"})
            if stamps.empty:
                return
            stale, _, _ = _changed_rows(conn, stamps)
            report.unchanged += len(stamps) - len(stale)
            if not stale.empty:
                chunks = _chunks(stale["id"].tolist())
                reads = [_read(Activity.objects.filter(id__in=chunk), ACTIVITY_FIELDS) for chunk in chunks]
                _apply_batch(conn, pd.concat(reads, ignore_index=True), report)
            if len(stamps) < batch_size:
                return
            after_at, after_id = _last_position(stamps)


def _sync_activity_batch(engine: Engine, report: SyncReport, batch_size: int) -> bool:
    """Sync one batch past the watermark; True when a full batch was read (there may be more)."""
    with engine.connect().execution_options(**WRITE) as conn, conn.begin():
        watermark_at, watermark_id = _read_state(conn, ACTIVITIES)
        queryset = Activity.objects.filter(_keyset(">", watermark_at, watermark_id)).order_by(
            "updated_at", "id"
        )
        batch = _read(queryset[:batch_size], ACTIVITY_FIELDS)
        if batch.empty:
            return False
        last_at, last_id = _last_position(batch)
        if (last_at, last_id) <= (watermark_at, watermark_id):
            # Only rows stored in a format the ORM would not write can cause this.
            raise RuntimeError(f"sync watermark did not advance past ({watermark_at}, {watermark_id})")
        _apply_batch(conn, batch, report)
        _write_state(conn, ACTIVITIES, last_at, last_id)
        return len(batch) == batch_size


def _last_position(rows: pd.DataFrame) -> tuple[dt.datetime, int]:
    """The ``(updated_at, id)`` of the last of rows read in that order: where the next read starts."""
    last = rows.iloc[-1]
    return last["source_updated_at"].to_pydatetime(), int(last["id"])


def _apply_batch(conn: Connection, batch: pd.DataFrame, report: SyncReport) -> None:
    """Write the rows of ``batch`` the store lacks at their version, and their days' loads."""
    changed, old_days, new_ids = _changed_rows(conn, batch)
    report.unchanged += len(batch) - len(changed)
    if changed.empty:
        return
    athlete_ids = changed["athlete_id"].unique().tolist()
    _ensure_athletes(conn, athlete_ids)
    contexts = _contexts(conn, athlete_ids)
    activities = _write_activities(conn, changed, contexts, new_ids)
    sync_samples.refresh_from_files(conn, changed, activities, contexts)
    sync_samples.refresh_kept(conn, changed, activities, contexts, new_ids)
    # Samples may have set the loads of activities with a file: theirs are read back.
    final = activities["id"].isin(new_ids).to_numpy() & ~sync_samples.has_original_file(changed).to_numpy()
    _update_daily_loads(conn, activities, final, left=old_days)
    report.activities += len(changed)


def _changed_rows(conn: Connection, batch: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, set[int]]:
    """The rows of ``batch`` the store lacks at this version, the days the stale ones were on,
    and the ids the store has no row for at all."""
    a = activity_table.c
    low, high = int(batch["id"].min()), int(batch["id"].max())
    if conn.execute(select(a.id).where(a.id.between(low, high)).limit(1)).first() is None:
        # No stored id in the batch's range (a backfill, a bulk import): all of it is new.
        return batch, pd.DataFrame({"athlete_id": [], "day": []}), {int(value) for value in batch["id"]}
    # The batch's ids go to a temporary table and one join reads what the store has of them:
    # a few thousand bound parameters per batch would cost more than the rows themselves.
    bulk.fill_temporary(conn, "batch_ids", batch[["id"]].astype("int64"), "id BIGINT PRIMARY KEY")
    # CROSS JOIN makes SQLite loop over the batch and probe the primary key (not scan the table).
    # The driver's values, parsed below a column at a time: SQLAlchemy's rows and result
    # processing (SQLite's timestamps and dates parsed one by one) cost more than the query.
    known = driver_frame(
        conn,
        f"SELECT a.id, a.source_updated_at, a.athlete_id, a.local_date FROM batch_ids t "  # noqa: S608
        f"CROSS JOIN {activity_table.name} a WHERE a.id = t.id",
        columns=["id", "stored_at", "athlete_id", "day"],
    )
    if known.empty:
        return batch, known[["athlete_id", "day"]], {int(value) for value in batch["id"]}
    known["stored_at"] = _utc(known["stored_at"])
    merged = batch[["id", "source_updated_at"]].merge(known, on="id", how="left")
    missing = merged["stored_at"].isna().to_numpy()
    stale = missing | (merged["stored_at"] != merged["source_updated_at"]).to_numpy()
    old_days = merged.loc[stale & merged["day"].notna().to_numpy(), ["athlete_id", "day"]]
    old_days["day"] = pd.to_datetime(old_days["day"]).dt.date  # text on SQLite
    return batch[stale], old_days, {int(value) for value in merged.loc[missing, "id"]}


def _write_activities(
    conn: Connection,
    batch: pd.DataFrame,
    contexts: dict[int, AthleteContext],
    new_ids: set[int] | None = None,
) -> pd.DataFrame:
    """Derive and write a batch's activity rows; return them.

    Rows in ``new_ids`` (the store has none of them; the batch's transaction holds the
    sync's lock) are plainly inserted, which on PostgreSQL is one ``COPY`` into the table;
    the others are upserted.
    """
    activities = derive(batch[list(SOURCE_COLUMNS)], contexts)
    # Writing in index order keeps the B-tree inserts local: markedly faster on big batches.
    ordered = activities.sort_values(["athlete_id", "local_date"])
    new = ordered["id"].isin(new_ids or ()).to_numpy()
    bulk.insert(conn, activity_table, ordered[new])
    bulk.upsert(conn, activity_table, ordered[~new], keys=("id",))
    return activities


def _rederive_athlete(conn: Connection, athlete_id: int) -> None:
    """Recompute loads and features of all an athlete's activities after a profile change."""
    columns = [activity_table.c[name] for name in SOURCE_COLUMNS]
    rows = conn.execute(select(*columns).where(activity_table.c.athlete_id == athlete_id)).all()
    if not rows:
        return
    batch = to_frame(rows, columns=list(SOURCE_COLUMNS))
    contexts = _contexts(conn, [athlete_id])
    old_days = _days_of(conn, batch["id"].tolist())
    activities = _write_activities(conn, batch, contexts)
    sync_samples.refresh_athlete(conn, athlete_id, activities, contexts)
    # A new time zone moves activities to other local days: the old ones are rebuilt too.
    new_days = activities[["athlete_id", "local_date"]].rename(columns={"local_date": "day"})
    _rebuild_daily_loads(conn, new_days, left=old_days)


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
                # Features and samples go with their activities (ON DELETE CASCADE).
                for table in (daily_load_table, activity_table):
                    conn.execute(delete(table).where(table.c.athlete_id.in_(chunk)))
                report.deleted_athletes += conn.execute(
                    delete(athlete_table).where(athlete_table.c.id.in_(chunk))
                ).rowcount
            _rebuild_daily_loads(conn, days.iloc[:0], left=days[~days["athlete_id"].isin(athlete_ids)])
        DeletedRecord.objects.filter(id__in=[record_id for record_id, _, _ in records]).delete()


# --- daily load -------------------------------------------------------------------------------


def _days_of(conn: Connection, activity_ids: Sequence[int]) -> pd.DataFrame:
    """The (athlete_id, day) of each of these activities the store has."""
    found: list[Row[Any]] = []
    for chunk in _chunks(activity_ids):
        query = select(activity_table.c.athlete_id, activity_table.c.local_date).where(
            activity_table.c.id.in_(chunk)
        )
        found.extend(conn.execute(query).all())
    return to_frame(found, columns=["athlete_id", "day"])


def _update_daily_loads(
    conn: Connection, activities: pd.DataFrame, added: npt.NDArray[np.bool_], left: pd.DataFrame
) -> None:
    """Bring up to date the daily loads of the days a batch's ``activities`` are on, and ``left``.

    ``added`` marks activities the store did not have, whose rows as given are final. A day
    whose only change is such activities gets their sums added to its row: every write
    leaves a day's row equal to the sums of its activities, so adding the newcomers keeps it
    so, without reading the day's other activities back. The other days (one an activity
    left or was edited on, or whose activity's load came from samples) are recomputed from
    their activities (:func:`_rebuild_daily_loads`). A backfill takes the first path.
    """
    days = activities[["athlete_id", "local_date"]].rename(columns={"local_date": "day"})
    key = pd.MultiIndex.from_frame(days)
    touched = pd.concat([days[~added], left], ignore_index=True).astype({"athlete_id": "int64"})
    additive = added & ~key.isin(pd.MultiIndex.from_frame(touched))
    sums = (
        activities[additive]
        .groupby(["athlete_id", "local_date"], sort=True)
        .agg(
            load=("training_load", "sum"),  # missing loads count as 0, as in the rebuild
            distance_m=("distance_m", "sum"),
            moving_time_s=("moving_time_s", "sum"),
            activity_count=("id", "size"),
        )
        .reset_index()
        .rename(columns={"local_date": "day"})
    )
    bulk.upsert(conn, daily_load_table, sums, keys=("athlete_id", "day"), accumulate=True)
    _rebuild_daily_loads(conn, days[~additive], left=left)


def _rebuild_daily_loads(conn: Connection, days: pd.DataFrame, left: pd.DataFrame | None = None) -> None:
    """Recompute the daily load rows of these (athlete_id, day) pairs.

    ``days`` are days activities are on now, ``left`` days some left (an activity deleted,
    or moved to another day), which may now have none. Set-based: the pairs go to a
    temporary table, then one INSERT … SELECT … GROUP BY … ON CONFLICT rewrites the days
    that have activities, and one DELETE drops the days left empty, whatever their number.
    """
    left = left if left is not None else days.iloc[:0]
    if days.empty and left.empty:
        return
    pairs = (
        pd.concat([days.assign(may_empty=False), left.assign(may_empty=True)], ignore_index=True)
        .sort_values("may_empty")
        .drop_duplicates(["athlete_id", "day"], keep="last")
        .reset_index(drop=True)
    )
    # Concatenating an empty frame turns ids into floats; the table wants integers.
    pairs["athlete_id"] = pairs["athlete_id"].astype("int64")
    bulk.fill_temporary(
        conn,
        "affected_days",
        pairs[["athlete_id", "day", "may_empty"]],
        "athlete_id BIGINT, day DATE, may_empty BOOLEAN, PRIMARY KEY (athlete_id, day)",
    )
    loads, activities = daily_load_table.name, activity_table.name
    conn.exec_driver_sql(
        f"INSERT INTO {loads} (athlete_id, day, load, distance_m, moving_time_s, activity_count) "  # noqa: S608
        "SELECT a.athlete_id, a.local_date, COALESCE(SUM(a.training_load), 0), SUM(a.distance_m), "
        # CROSS JOIN makes SQLite loop over the affected days and probe the
        # (athlete_id, local_date) index, rather than scan every activity.
        f"SUM(a.moving_time_s), COUNT(*) FROM affected_days t CROSS JOIN {activities} a "
        "WHERE a.athlete_id = t.athlete_id AND a.local_date = t.day "
        "GROUP BY a.athlete_id, a.local_date "
        "ON CONFLICT (athlete_id, day) DO UPDATE SET load = excluded.load, distance_m = excluded.distance_m, "
        "moving_time_s = excluded.moving_time_s, activity_count = excluded.activity_count"
    )
    if left.empty:
        return
    # Row-value IN: both backends probe the primary key per pair instead of scanning.
    conn.exec_driver_sql(
        f"DELETE FROM {loads} WHERE (athlete_id, day) IN (SELECT athlete_id, day FROM affected_days t "  # noqa: S608
        f"WHERE t.may_empty AND NOT EXISTS (SELECT 1 FROM {activities} a WHERE a.athlete_id = t.athlete_id "
        "AND a.local_date = t.day))"
    )


# --- writing ----------------------------------------------------------------------------------


def _chunks(values: Sequence[int], size: int = 1000) -> Iterable[list[int]]:
    for start in range(0, len(values), size):
        yield [int(value) for value in values[start : start + size]]
