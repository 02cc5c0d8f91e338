"""Per-athlete latency of the analytics queries on a large synthetic population.

    python -m bench.analytics_queries --backend sqlite --activities 1000000
    python -m bench.analytics_queries --backend postgres --activities 1000000

Fills a fresh analytics store (500 activities per athlete over two years up
to today, through the same derive + bulk path as the sync), then, for a
sample of athletes, times each query end to end (SQL, SQLAlchemy and pandas)
and its SQL part alone (the time spent in the driver's execute), next to the
seed's own SQL on the same rows: verbatim on PostgreSQL (with its interval bug
fixed so that it runs), translated where SQLite lacks DATE_TRUNC, NOW(),
INTERVAL and PERCENTILE_CONT.

Targets (p95, end to end): under 3 ms at 1M activities on SQLite, under 5 ms at
10M on PostgreSQL; SQL part within 2x of the seed's indexed queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, TextClause, event, text

from analytics import bulk, db, queries
from analytics.features import AthleteContext, derive
from analytics.physiology import resolve
from analytics.schema import activity_table, athlete_table, daily_load_table
from bench.common import Timing, postgres_database, sqlite_file, time_calls

ACTIVITIES_PER_ATHLETE = 500
CHUNK = 100_000
SAMPLE_ATHLETES = 200

SEED_PG = {
    "dashboard": """
        SELECT DATE_TRUNC('week', start_time) as week,
               AVG(average_speed * 3.6) as avg_speed_kmh, SUM(training_load) as weekly_load,
               MAX(average_hr) as max_hr_week, COUNT(*) as activities_count,
               PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY max_speed * 3.6) as vma_estimate
        FROM activities WHERE user_id = :user_id AND start_time >= NOW() - INTERVAL '12 weeks'
        GROUP BY DATE_TRUNC('week', start_time) ORDER BY week DESC""",
    "trends": """
        SELECT start_time, distance_meters/1000 as distance_km, duration_seconds/60 as duration_min,
               average_speed * 3.6 as pace_kmh,
               AVG(average_speed * 3.6) OVER (ORDER BY start_time ROWS BETWEEN 6 PRECEDING AND CURRENT ROW)
                   as pace_trend_7d,
               STDDEV(training_load) OVER (ORDER BY start_time ROWS BETWEEN 13 PRECEDING AND CURRENT ROW)
                   as load_stability
        FROM activities WHERE user_id = :user_id AND start_time >= NOW() - INTERVAL '12 weeks'
        ORDER BY start_time DESC""",
    "zones": """
        SELECT CASE
            WHEN average_hr <= (SELECT MAX(average_hr) * 0.6 FROM activities WHERE user_id = :user_id)
                THEN 'Zone 1 - Recovery'
            WHEN average_hr <= (SELECT MAX(average_hr) * 0.7 FROM activities WHERE user_id = :user_id)
                THEN 'Zone 2 - Aerobic'
            WHEN average_hr <= (SELECT MAX(average_hr) * 0.8 FROM activities WHERE user_id = :user_id)
                THEN 'Zone 3 - Tempo'
            WHEN average_hr <= (SELECT MAX(average_hr) * 0.9 FROM activities WHERE user_id = :user_id)
                THEN 'Zone 4 - Threshold'
            ELSE 'Zone 5 - VO2max' END as hr_zone,
            COUNT(*) as activities_count, AVG(duration_seconds)/60 as avg_duration_min,
            SUM(duration_seconds)/3600 as total_hours, AVG(training_load) as avg_training_load
        FROM activities WHERE user_id = :user_id AND average_hr IS NOT NULL GROUP BY 1 ORDER BY hr_zone""",
}
# SQLite has no DATE_TRUNC, NOW(), INTERVAL, STDDEV or PERCENTILE_CONT: the same queries,
# translated as closely as it allows (MAX instead of the 95th percentile, no standard deviation).
SEED_SQLITE = {
    "dashboard": """
        SELECT date(start_time, 'weekday 0', '-6 days') as week, AVG(average_speed * 3.6),
               SUM(training_load), MAX(average_hr), COUNT(*), MAX(max_speed * 3.6)
        FROM activities WHERE user_id = :user_id AND start_time >= datetime('now', '-84 days')
        GROUP BY 1 ORDER BY week DESC""",
    "trends": """
        SELECT start_time, distance_meters/1000, duration_seconds/60, average_speed * 3.6,
               AVG(average_speed * 3.6) OVER (ORDER BY start_time ROWS BETWEEN 6 PRECEDING AND CURRENT ROW),
               AVG(training_load) OVER (ORDER BY start_time ROWS BETWEEN 13 PRECEDING AND CURRENT ROW)
        FROM activities WHERE user_id = :user_id AND start_time >= datetime('now', '-84 days')
        ORDER BY start_time DESC""",
    "zones": SEED_PG["zones"],
}
SEED_VIEW = f"""
    CREATE VIEW activities AS SELECT athlete_id AS user_id, start_time, avg_speed_mps AS average_speed,
        training_load, avg_hr AS average_hr, max_speed_mps AS max_speed, moving_time_s AS duration_seconds,
        distance_m AS distance_meters FROM {activity_table.name}"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--activities", type=int, default=1_000_000)
    args = parser.parse_args()
    with ExitStack() as stack:
        if args.backend == "postgres":
            url = stack.enter_context(postgres_database("foulee_bench_queries"))
        else:
            url = stack.enter_context(sqlite_file("analytics.sqlite3"))
        engine = db.make_engine(url)
        db.upgrade(engine)
        started = time.perf_counter()
        athlete_ids = fill(engine, args.activities)
        print(
            f"[{args.backend}] {args.activities:,} activities for {len(athlete_ids):,} athletes "
            f"written in {time.perf_counter() - started:.1f} s"
        )
        measure(engine, args.backend, athlete_ids)
        engine.dispose()


def fill(engine: Engine, count: int) -> list[int]:
    rng = np.random.default_rng(11)
    athletes = max(1, count // ACTIVITIES_PER_ATHLETE)
    ids = list(range(1, athletes + 1))
    now = dt.datetime.now(dt.UTC)
    profiles = pd.DataFrame(
        {
            "id": ids,
            "sex": ["F" if i % 2 else "M" for i in ids],
            "birth_year": rng.integers(1960, 2005, athletes),
            "hr_max": rng.integers(175, 200, athletes),
            "hr_rest": rng.integers(42, 65, athletes),
            "timezone": "Europe/Paris",
            "source_updated_at": now,
        }
    )
    contexts = {
        int(row["id"]): AthleteContext(
            resolve(
                sex=row["sex"], birth_year=row["birth_year"], hr_max=row["hr_max"], hr_rest=row["hr_rest"]
            ),
            str(row["timezone"]),
        )
        for row in profiles.astype(object).to_dict("records")
    }
    with engine.begin() as conn:
        bulk.upsert(conn, athlete_table, profiles, keys=("id",))
    two_years = 2 * 365 * 24 * 3600
    for offset in range(0, count, CHUNK):
        size = min(CHUNK, count - offset)
        distance = np.round(rng.lognormal(np.log(8000), 0.45, size))
        moving = np.round(distance / np.clip(rng.normal(3.2, 0.45, size), 1.8, 5.8))
        avg_hr = np.round(rng.normal(148, 11, size)).clip(95, 190)
        batch = pd.DataFrame(
            {
                "id": np.arange(offset + 1, offset + size + 1),
                "athlete_id": (np.arange(offset, offset + size) % athletes) + 1,
                "sport": np.where(rng.random(size) < 0.9, "run", "ride"),
                "start_time": pd.to_datetime(now)
                - pd.to_timedelta(rng.integers(0, two_years, size), unit="s"),
                "distance_m": distance,
                "duration_s": moving + 60,
                "moving_time_s": moving,
                "elevation_gain_m": np.nan,
                "avg_hr": np.where(rng.random(size) < 0.9, avg_hr, np.nan),
                "max_hr": avg_hr + 14,
                "avg_speed_mps": distance / moving,
                "max_speed_mps": distance / moving * 1.3,
                "avg_cadence_spm": np.nan,
                "source_load": np.nan,
                "source_updated_at": now,
            }
        )
        activities = derive(batch, contexts)
        with engine.begin() as conn:
            bulk.upsert(
                conn, activity_table, activities.sort_values(["athlete_id", "local_date"]), keys=("id",)
            )
    with engine.begin() as conn:
        a = activity_table.name
        conn.exec_driver_sql(
            f"INSERT INTO {daily_load_table.name} (athlete_id, day, load, distance_m, moving_time_s, activity_count) "
            f"SELECT athlete_id, local_date, COALESCE(SUM(training_load), 0), SUM(distance_m), SUM(moving_time_s), "
            f"COUNT(*) FROM {a} GROUP BY athlete_id, local_date"
        )
        conn.exec_driver_sql(SEED_VIEW)
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("ANALYZE")
    if engine.dialect.name == "postgresql":
        # What autovacuum does after a mass insert (PostgreSQL counts inserts since 13):
        # statistics, and hint bits set, so that the first reads are not the ones writing them.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    return ids


@contextmanager
def sql_timer(engine: Engine) -> Iterator[list[float]]:
    """Collects the seconds spent in the driver's execute, statement by statement."""
    spent: list[float] = []
    starts: list[float] = []

    def before(*_args: object) -> None:
        starts.append(time.perf_counter())

    def after(*_args: object) -> None:
        spent.append(time.perf_counter() - starts.pop())

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield spent
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def timed(name: str, engine: Engine, calls: Sequence[Callable[[], object]]) -> tuple[Timing, Timing]:
    """End-to-end and SQL-only timings of each call (after five untimed warm-up calls)."""
    for call in calls[:5]:
        call()
    total, sql = [], []
    with sql_timer(engine) as spent:
        for call in calls:
            spent.clear()
            started = time.perf_counter()
            call()
            total.append((time.perf_counter() - started) * 1000)
            sql.append(sum(spent) * 1000)
    return Timing(name, total), Timing(f"{name} (SQL part)", sql)


def measure(engine: Engine, backend: str, athlete_ids: list[int]) -> None:
    sample = random.Random(3).sample(athlete_ids, min(SAMPLE_ATHLETES, len(athlete_ids)))
    today = dt.datetime.now(dt.UTC).date()
    ours: dict[str, Callable[[Connection, int], object]] = {
        "dashboard": lambda conn, athlete: queries.weekly_dashboard(conn, athlete, 12, today),
        "trends": lambda conn, athlete: queries.performance_trends(conn, athlete, 12, today),
        "zones": lambda conn, athlete: queries.zones_analysis(conn, athlete, 12, today),
        "predictions": lambda conn, athlete: queries.predict_race(conn, athlete, 10_000, today=today),
        "training load": lambda conn, athlete: queries.training_load(conn, athlete, 90, today),
    }
    seed = SEED_PG if backend == "postgres" else SEED_SQLITE
    target = 3.0 if backend == "sqlite" else 5.0
    with engine.connect() as conn:
        for name, query in ours.items():
            calls = [functools.partial(query, conn, athlete) for athlete in sample]
            end_to_end, sql_part = timed(f"ours  {name}", engine, calls)
            print(f"[{backend}] {end_to_end.line(target)}")
            print(f"[{backend}] {sql_part.line()}")
            if name in seed:
                statement = text(seed[name])
                seed_calls = [functools.partial(_run_seed, conn, statement, athlete) for athlete in sample]
                print(f"[{backend}] {time_calls(f'seed  {name} (SQL)', seed_calls).line()}")


def _run_seed(conn: Connection, statement: TextClause, athlete: int) -> object:
    return conn.execute(statement, {"user_id": athlete}).all()


if __name__ == "__main__":
    main()
