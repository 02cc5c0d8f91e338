"""Sync throughput: activities per second from Django into the analytics store.

    python -m bench.sync_throughput --backend sqlite --activities 200000
    python -m bench.sync_throughput --backend postgres --activities 200000

Fills a fresh system of record (raw bulk inserts, not the ORM), then times:
our full backfill, a second run with nothing to do, an incremental run after
100 edits, the floor of any sync of this shape (reading the rows from Django
alone, writing the store's rows alone), and the seed's row-by-row sync (a
faithful copy of its loop: read unsynced rows, enrich one, insert one, flag
them) on a sample of the same rows.
Target: at least 100,000 activities/s for the backfill on both backends.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from contextlib import ExitStack
from typing import Any

import numpy as np
import pandas as pd

TARGET_PER_SECOND = 100_000
ATHLETE_ACTIVITIES = 500


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--activities", type=int, default=200_000)
    parser.add_argument("--seed-sample", type=int, default=5_000)
    args = parser.parse_args()

    from bench.common import postgres_database

    with ExitStack() as stack:
        data_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="foulee-bench-"))
        os.environ["FOULEE_DATA_DIR"] = data_dir
        os.environ["FOULEE_SYNC_ON_COMMIT"] = "false"
        if args.backend == "postgres":
            url = stack.enter_context(postgres_database("foulee_bench_sync"))
            os.environ["DATABASE_URL"] = url
            os.environ["ANALYTICS_DATABASE_URL"] = url
        else:
            os.environ.pop("DATABASE_URL", None)
            os.environ.pop("ANALYTICS_DATABASE_URL", None)
        run(args.backend, args.activities, args.seed_sample)


def run(backend: str, count: int, seed_sample: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from analytics import db
    from analytics.sync import sync

    call_command("migrate", interactive=False, verbosity=0)
    db.upgrade()
    started = time.perf_counter()
    fill_system_of_record(count)
    print(
        f"[{backend}] filled the system of record with {count:,} activities in {time.perf_counter() - started:.1f} s"
    )

    report = sync()
    rate = report.activities / report.seconds
    verdict = "met" if rate >= TARGET_PER_SECOND else "MISSED"
    print(
        f"[{backend}] backfill: {report.activities:,} activities in {report.seconds:.2f} s = {rate:,.0f} activities/s"
        f"   target >= {TARGET_PER_SECOND:,}/s: {verdict}"
    )
    again = sync()
    print(
        f"[{backend}] second run, nothing to do: {again.seconds * 1000:.1f} ms ({again.unchanged:,} rows re-read in the look-back)"
    )

    from web.activities.models import Activity

    edited = list(Activity.objects.order_by("?").values_list("id", flat=True)[:100])
    for activity in Activity.objects.filter(id__in=edited):
        activity.distance_m += 10
        activity.save()
    incremental = sync()
    print(f"[{backend}] incremental run after 100 edits: {incremental.seconds * 1000:.1f} ms")

    read_s, write_s = read_floor(), write_floor()
    print(
        f"[{backend}] floor of any sync that reads each row once and writes it once: reading the rows "
        f"from Django {read_s:.2f} s + writing the store's rows, ready-made, with its indexes "
        f"{write_s:.2f} s = at best {count / (read_s + write_s):,.0f} activities/s"
    )

    seed_rate = seed_row_by_row_sync(seed_sample)
    print(
        f"[{backend}] the seed's row-by-row sync on {seed_sample:,} of the same rows: {seed_rate:,.0f} activities/s"
        f"   (ours is {rate / seed_rate:.0f}x faster)"
    )


def fill_system_of_record(count: int) -> None:
    """Athletes and activities, written with one bulk statement per chunk (the ORM would take minutes)."""
    from django.db import connection, transaction

    from web.accounts.models import AthleteProfile, User

    athletes = max(1, count // ATHLETE_ACTIVITIES)
    users = User.objects.bulk_create(
        [User(email=f"bench{number}@example.org", full_name=f"Bench {number}") for number in range(athletes)],
        batch_size=2000,
    )
    rng = np.random.default_rng(7)
    AthleteProfile.objects.bulk_create(
        [
            AthleteProfile(
                user=user,
                sex="F" if index % 2 else "M",
                birth_year=int(rng.integers(1960, 2005)),
                hr_max=int(rng.integers(175, 200)),
                hr_rest=int(rng.integers(42, 65)),
                timezone="Europe/Paris",
            )
            for index, user in enumerate(users)
        ],
        batch_size=2000,
    )
    user_ids = np.array([user.pk for user in users])
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    now = dt.datetime.now(dt.UTC)
    columns = (
        "user_id, sport, name, description, start_time, distance_m, duration_s, moving_time_s, avg_hr, max_hr, "
        "avg_speed_mps, source, original_file, file_checksum, created_at, updated_at"
    )
    placeholders = ", ".join(["%s"] * 16)
    sql = f"INSERT INTO activities_activity ({columns}) VALUES ({placeholders})"
    chunk = 50_000
    adapt = connection.ops.adapt_datetimefield_value  # stored exactly as the ORM stores them
    stamp = adapt(now)
    with transaction.atomic(), connection.cursor() as cursor:
        for offset in range(0, count, chunk):
            size = min(chunk, count - offset)
            athlete = user_ids[(np.arange(offset, offset + size)) % len(user_ids)]
            distance = np.round(rng.lognormal(np.log(8000), 0.4, size))
            speed = np.clip(rng.normal(3.2, 0.4, size), 2.0, 5.5)
            moving = np.round(distance / speed)
            avg_hr = np.round(rng.normal(148, 10, size)).clip(100, 185)
            starts = [
                start + dt.timedelta(minutes=int(minute)) for minute in rng.integers(0, 2 * 365 * 1440, size)
            ]
            rows = [
                (
                    int(athlete[i]),
                    "run",
                    "",
                    "",
                    adapt(starts[i]),
                    float(distance[i]),
                    float(moving[i] + 30),
                    float(moving[i]),
                    float(avg_hr[i]),
                    float(avg_hr[i] + 15),
                    float(distance[i] / moving[i]),
                    "manual",
                    "",
                    "",
                    stamp,
                    stamp,
                )
                for i in range(size)
            ]
            cursor.executemany(sql, rows)
        if connection.vendor == "postgresql":
            # What autovacuum would do after a mass insert; without statistics the planner
            # sorts the whole table for each batch the sync reads.
            cursor.execute("ANALYZE activities_activity")


def read_floor() -> float:
    """Seconds to fetch every activity's source columns from Django: the sync's query, raw tuples."""
    from analytics import sync
    from web.activities.models import Activity

    started = time.perf_counter()
    watermark_at, watermark_id = sync.EPOCH, 0
    while True:
        queryset = Activity.objects.filter(sync._keyset(">", watermark_at, watermark_id)).order_by(
            "updated_at", "id"
        )
        rows = sync._fetch(queryset[: sync.BATCH_SIZE], sync.ACTIVITY_FIELDS)
        if len(rows) < sync.BATCH_SIZE:
            return time.perf_counter() - started
        stamp = rows[-1][list(sync.ACTIVITY_FIELDS).index("source_updated_at")]
        watermark_at, watermark_id = sync._utc(pd.Series([stamp])).iloc[0].to_pydatetime(), rows[-1][0]


def write_floor() -> float:
    """Seconds to write the store's activity rows, converted beforehand, into a copy of its table.

    The copy has the table's indexes; rows go in by the sync's batches and order, with the
    fastest path of each backend (SQLite: executemany; PostgreSQL: binary COPY).
    """
    from analytics import bulk, pgcopy, sync
    from analytics.db import get_engine, to_frame
    from analytics.schema import activity_table

    engine = get_engine()
    postgres = engine.dialect.name == "postgresql"
    copy_name = "bench_floor_activity"
    with engine.begin() as conn:
        stored = to_frame(conn.execute(activity_table.select()), columns=list(activity_table.c.keys()))
        if postgres:
            conn.exec_driver_sql(f"CREATE TABLE {copy_name} (LIKE {activity_table.name} INCLUDING ALL)")
        else:
            for (ddl,) in conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type DESC",
                (activity_table.name,),
            ):
                conn.exec_driver_sql(str(ddl).replace(activity_table.name, copy_name))
        columns = ", ".join(stored.columns)
        batches = [
            stored.iloc[start : start + sync.BATCH_SIZE].sort_values(["athlete_id", "local_date"])
            for start in range(0, len(stored), sync.BATCH_SIZE)
        ]
        if postgres:
            cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            types = bulk._pg_types(cursor, copy_name, list(stored.columns))
            ready: list[Any] = [pgcopy.payload(batch, types) for batch in batches]
        else:
            ready = [bulk._rows(conn, activity_table, batch) for batch in batches]
    started = time.perf_counter()
    for data in ready:
        with engine.begin() as conn:
            if postgres:
                cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
                with cursor.copy(f"COPY {copy_name} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
                    copy.write(data)
            else:
                placeholders = ", ".join("?" * len(stored.columns))
                conn.exec_driver_sql(f"INSERT INTO {copy_name} ({columns}) VALUES ({placeholders})", data)
    seconds = time.perf_counter() - started
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP TABLE {copy_name}")
    return seconds


def seed_row_by_row_sync(sample: int) -> float:
    """The seed's phase-1 sync, as it wrote it: one enriched row at a time, then a flag.

    Its table, its `synced_to_analytics` flag and its per-row insert are
    reproduced in a scratch table of the analytics store; only the timing is kept.
    """
    from sqlalchemy import Column, Float, Integer, MetaData, String, Table, insert

    from analytics.db import get_engine
    from web.activities.models import Activity

    metadata = MetaData()
    table = Table(
        "bench_seed_activities",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("user_id", Integer),
        Column("activity_type", String(16)),
        Column("distance_meters", Float),
        Column("duration_seconds", Float),
        Column("average_speed", Float),
        Column("average_hr", Float),
        Column("training_load", Float),
    )
    engine = get_engine()
    metadata.create_all(engine)
    started = time.perf_counter()
    rows = list(Activity.objects.values()[:sample])  # the seed: .filter(synced_to_analytics=False).values()
    synced = []
    with engine.begin() as conn:
        for row in rows:
            enriched = {
                "id": row["id"],
                "user_id": row["user_id"],
                "activity_type": row["sport"],
                "distance_meters": row["distance_m"],
                "duration_seconds": row["duration_s"],
                "average_speed": row["distance_m"] / (row["moving_time_s"] or row["duration_s"]),
                "average_hr": row["avg_hr"],
                "training_load": ((row["moving_time_s"] or 0.0) / 60.0) * (row["avg_hr"] or 0) / 100.0,
            }
            conn.execute(insert(table), enriched)
            synced.append(row["id"])
    # The seed then flags what it copied (a flag that never sees a later edit).
    Activity.objects.filter(id__in=synced).update(description="synced")
    metadata.drop_all(engine)
    return len(rows) / (time.perf_counter() - started)


if __name__ == "__main__":
    main()
