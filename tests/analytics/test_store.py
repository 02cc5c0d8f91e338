"""The analytics store's schema: migrations match the models, and Django's tables are never touched."""

from __future__ import annotations

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
    import datetime as dt

    with pytest.raises(Exception, match="naive"), store.begin() as conn:
        conn.execute(
            schema.state_table.insert(),
            {"stream": "x", "watermark_at": dt.datetime(2026, 1, 1), "watermark_id": 0},  # noqa: DTZ001
        )
