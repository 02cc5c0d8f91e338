"""The analytics store's schema: migrations match the models, and Django's tables are never touched."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from analytics import db, schema
from analytics.db import VERSION_TABLE


def test_migrations_create_exactly_the_models(store: Engine) -> None:
    with store.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        differences = [
            change for change in compare_metadata(context, schema.Base.metadata) if not _is_foreign(change)
        ]
    assert differences == []


def _is_foreign(change: object) -> bool:
    """Tables of other owners sharing the database (Django's, on PostgreSQL) are not ours to compare."""
    return (
        isinstance(change, tuple)
        and change[0] == "remove_table"
        and not change[1].name.startswith("analytics_")
    )


@pytest.mark.django_db
def test_every_table_is_prefixed_and_versioned_apart(store: Engine) -> None:
    tables = set(inspect(store).get_table_names())
    ours = {name for name in tables if name.startswith("analytics_")}
    assert {table.name for table in schema.Base.metadata.sorted_tables} <= ours
    assert VERSION_TABLE in ours
    assert "alembic_version" not in tables


def test_upgrade_is_idempotent(store: Engine) -> None:
    db.upgrade(store)
    db.upgrade(store)


def test_postgres_urls_use_psycopg_3() -> None:
    assert db.normalise_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert db.normalise_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert db.normalise_url("sqlite:////tmp/x.sqlite3") == "sqlite:////tmp/x.sqlite3"


def test_naive_datetimes_are_refused(store: Engine) -> None:
    with pytest.raises(Exception, match="naive"), store.begin() as conn:
        conn.execute(
            schema.state_table.insert(),
            {"stream": "x", "watermark_at": dt.datetime(2026, 1, 1), "watermark_id": 0},  # noqa: DTZ001
        )


def a_run(stamp: dt.datetime) -> dict[str, object]:
    """An activity row of athlete 1 (without its id), on Sunday 1 March 2026, at ``stamp``."""
    return {
        "athlete_id": 1,
        "sport": "run",
        "is_running": True,
        "start_time": stamp,
        "local_date": dt.date(2026, 3, 1),
        "week_start": dt.date(2026, 2, 23),
        "distance_m": 10_000.0,
        "duration_s": 3000.0,
        "moving_time_s": 2950.0,
        "pace_ok": True,
        "hr_ok": True,
        "quality_note": "",
        "source_updated_at": stamp,
    }


def test_migration_0003_moves_vdot_and_vma_into_the_activity_row(store: Engine) -> None:
    """On a store of the previous shape, with a summary-only and a samples row of features."""
    from alembic import command
    from sqlalchemy import MetaData, select

    config = db.alembic_config(store)
    command.downgrade(config, "0002")
    try:
        old = MetaData()
        old.reflect(store, only=["analytics_athlete", "analytics_activity", "analytics_activity_features"])
        athletes, activities, features = (
            old.tables[name]
            for name in ("analytics_athlete", "analytics_activity", "analytics_activity_features")
        )
        # Reflected columns have the plain types: naive UTC on SQLite, as UTCDateTime stores it.
        stamp = dt.datetime(2026, 3, 1, 8, tzinfo=None if store.dialect.name == "sqlite" else dt.UTC)
        activity = a_run(stamp)
        with store.begin() as conn:
            conn.execute(athletes.insert(), {"id": 1, "timezone": "UTC", "source_updated_at": stamp})
            conn.execute(activities.insert(), [{"id": 10, **activity}, {"id": 11, **activity}])
            for row in (
                {
                    "activity_id": 10,
                    "from_samples": False,
                    "vdot": 45.0,
                    "vma_kmh": 15.0,
                    "best_10k_s": 2950.0,
                },
                {
                    "activity_id": 11,
                    "from_samples": True,
                    "vdot": 47.0,
                    "vma_kmh": 16.0,
                    "best_5k_s": 1400.0,
                },
            ):
                conn.execute(features.insert(), row)
    finally:
        command.upgrade(config, "head")
    with store.connect() as conn:
        moved = conn.execute(
            select(
                schema.activity_table.c.id, schema.activity_table.c.vdot, schema.activity_table.c.vma_kmh
            ).order_by(schema.activity_table.c.id)
        ).all()
        kept = conn.execute(
            select(schema.features_table.c.activity_id, schema.features_table.c.best_5k_s)
        ).all()
    assert [tuple(row) for row in moved] == [(10, 45.0, 15.0), (11, 47.0, 16.0)]
    # The summary-only row said nothing the activity row does not: it is gone.
    assert [tuple(row) for row in kept] == [(11, 1400.0)]


def test_migration_0004_drops_the_athlete_foreign_keys_and_keeps_every_row(store: Engine) -> None:
    """Rebuilding a SQLite table in a batch migration must not cascade to the rows that refer to it."""
    from alembic import command
    from sqlalchemy import func, select

    config = db.alembic_config(store)
    command.downgrade(config, "0003")
    try:
        assert _athlete_foreign_keys(store) == {"analytics_activity", "analytics_daily_load"}
    finally:
        command.upgrade(config, "head")
    stamp = dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC)
    with store.begin() as conn:
        conn.execute(schema.athlete_table.insert(), {"id": 1, "timezone": "UTC", "source_updated_at": stamp})
        conn.execute(
            schema.activity_table.insert(),
            {"id": 10, **a_run(stamp)},
        )
        conn.execute(schema.features_table.insert(), {"activity_id": 10, "best_5k_s": 1400.0})
        conn.execute(
            schema.daily_load_table.insert(),
            {
                "athlete_id": 1,
                "day": stamp.date(),
                "load": 50.0,
                "distance_m": 10_000.0,
                "moving_time_s": 2950.0,
                "activity_count": 1,
            },
        )
    command.downgrade(config, "0003")
    try:
        assert _athlete_foreign_keys(store) == {"analytics_activity", "analytics_daily_load"}
    finally:
        command.upgrade(config, "head")
    assert _athlete_foreign_keys(store) == set()
    with store.connect() as conn:
        counts = [
            conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (schema.activity_table, schema.features_table, schema.daily_load_table)
        ]
    assert counts == [1, 1, 1]


def _athlete_foreign_keys(store: Engine) -> set[str]:
    # A new engine: SQLite's PRAGMA foreign_key_list on a pooled connection can still describe
    # a table as it was before a migration rebuilt it.
    from sqlalchemy import create_engine

    engine = create_engine(store.url)
    try:
        inspector = inspect(engine)
        return {
            table
            for table in ("analytics_activity", "analytics_daily_load", "analytics_activity_features")
            if any(key["referred_table"] == "analytics_athlete" for key in inspector.get_foreign_keys(table))
        }
    finally:
        engine.dispose()
