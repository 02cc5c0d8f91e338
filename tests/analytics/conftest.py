"""The analytics store under test: the suite's backend (SQLite file or PostgreSQL), emptied per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, delete

from analytics import db, schema


@pytest.fixture(scope="session")
def analytics_engine() -> Engine:
    engine = db.get_engine()
    db.upgrade(engine)
    return engine


@pytest.fixture
def store(analytics_engine: Engine) -> Iterator[Engine]:
    """A migrated, empty analytics store."""
    with analytics_engine.begin() as conn:
        for table in reversed(schema.Base.metadata.sorted_tables):
            conn.execute(delete(table))
    yield analytics_engine


@pytest.fixture
def conn(store: Engine) -> Iterator[Connection]:
    with store.connect() as connection:
        yield connection
