"""The analytics store's engine, sessions and migrations.

One engine per process, built from ``ANALYTICS_DATABASE_URL`` (a SQLite file
under the data dir by default). Alembic migrations live in
``analytics/migrations`` and record themselves in their own version table, so
they never touch Django's tables even when both share a PostgreSQL database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import Connection, Engine, Row, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from foulee.config import get_settings

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "analytics_alembic_version"


def normalise_url(url: str) -> str:
    """Accept the same URLs as Django (``postgres://``) and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


#: Execution option for transactions that write: on SQLite they take the write
#: lock when they begin (BEGIN IMMEDIATE) instead of failing to upgrade later.
WRITE = {"sqlite_immediate": True}


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # libpq's connect_timeout: a host that drops packets fails in seconds instead of minutes.
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        connect_args={"connect_timeout": get_settings().db_connect_timeout},
    )


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy, not the driver, says when transactions begin (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    # WAL lets readers go on while the sync writes; foreign keys make the
    # ON DELETE CASCADE of the schema real on SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    immediate = connection.get_execution_options().get("sqlite_immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    """The process-wide engine for the configured analytics store."""
    return make_engine(get_settings().resolved_analytics_database_url)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session whose work commits on success and rolls back on any error."""
    factory = sessionmaker(bind=engine or get_engine(), expire_on_commit=False)
    with factory() as session, session.begin():
        yield session


def alembic_config(engine: Engine) -> Config:
    # Alembic is imported here, not at the top: most processes never migrate, and it costs their start.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("version_table", VERSION_TABLE)
    config.attributes["engine"] = engine
    return config


def create_sqlite_dir(engine: Engine | None = None) -> None:
    """For a SQLite store, create the folder its file goes in (SQLite creates the file, not the folder)."""
    engine = engine or get_engine()
    database = engine.url.database
    if engine.url.get_backend_name() == "sqlite" and database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def upgrade(engine: Engine | None = None) -> None:
    """Bring the store's schema to the latest migration (creating the database file if needed)."""
    engine = engine or get_engine()
    create_sqlite_dir(engine)
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


def to_frame(rows: Iterable[Row[Any]], columns: Sequence[str]) -> pd.DataFrame:
    """Query rows as a DataFrame.

    The rows go in as plain tuples: handed SQLAlchemy ``Row`` objects, pandas
    probes each one for attributes it lacks, at a few microseconds a row.
    """
    return pd.DataFrame.from_records([tuple(row) for row in rows], columns=list(columns))


def driver_frame(conn: Connection, sql: str, columns: Sequence[str]) -> pd.DataFrame:
    """The rows of ``sql`` as a DataFrame of the driver's own values, in ``conn``'s transaction.

    No SQLAlchemy rows and no type processing: for reads of hundreds of thousands of rows
    whose columns the caller parses whole (SQLite's timestamps and dates are text).
    """
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return pd.DataFrame.from_records(rows, columns=list(columns))
